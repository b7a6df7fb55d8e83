"""Content negotiation: the one function that picks a format for a request, by URL suffix or by
the Accept header. The formats themselves (media types, suffixes) come from graph.formats."""

from __future__ import annotations

from typing import Iterable

from flask import request

from graph.errors import N_, NotAcceptable
from graph.formats import FORMATS, Format, by_suffix

__all__ = ["FORMATS", "Format", "media_type", "negotiate", "split_suffix"]


def split_suffix(path: str, allowed: Iterable[str]) -> tuple[str, str | None]:
    """('/id/x/y', 'turtle') for '/id/x/y.ttl' when that format is allowed; else (path, None)."""
    stem, dot, suffix = path.rpartition(".")
    fmt = by_suffix(suffix) if dot and "/" not in suffix else None
    if fmt is not None and fmt.name in allowed:
        return stem, fmt.name
    return path, None


def negotiate(offers: Iterable[str], default: str | None = None) -> str:
    """The best of `offers` (format names) for the request's Accept header; 406 when none fits."""
    offered = [FORMATS[name] for name in offers]
    accept = request.accept_mimetypes
    if not accept or not request.headers.get("Accept"):
        return default or offered[0].name
    best = accept.best_match([f.media_type for f in offered])
    if best is None:
        wanted = request.headers.get("Accept", "")
        raise NotAcceptable(
            N_("cannot serve '%(wanted)s'; available: %(available)s"),
            wanted=wanted, available=", ".join(f.media_type for f in offered)
        )
    # A browser's "*/*" alongside text/html should get the first offer (normally HTML).
    for f in offered:
        if f.media_type == best:
            return f.name
    return offered[0].name


def media_type(name: str) -> str:
    """The Content-Type of a negotiated answer: text, JSON and XML types say they are UTF-8."""
    mt = FORMATS[name].media_type
    return mt + "; charset=utf-8" if mt.startswith("text/") or mt.endswith("json") or mt.endswith("xml") else mt
