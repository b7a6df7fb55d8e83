"""Content negotiation: the one function that picks a format for a request, by URL suffix or by
the Accept header. The formats themselves (media types, suffixes) come from graph.formats."""

from __future__ import annotations

from typing import Iterable

from flask import request
from werkzeug.datastructures import MIMEAccept

from graph.errors import N_, NotAcceptable
from graph.formats import FORMATS, Format, by_suffix

__all__ = ["FORMATS", "Format", "client_accept", "media_type", "negotiate", "split_suffix"]


def split_suffix(path: str, allowed: Iterable[str]) -> tuple[str, str | None]:
    """('/id/x/y', 'turtle') for '/id/x/y.ttl' when that format is allowed; else (path, None)."""
    stem, dot, suffix = path.rpartition(".")
    fmt = by_suffix(suffix) if dot and "/" not in suffix else None
    if fmt is not None and fmt.name in allowed:
        return stem, fmt.name
    return path, None


def client_accept() -> MIMEAccept:
    """The request's Accept header with media-type parameters other than q set aside: clients send
    `application/sparql-results+json; charset=utf-8` for a type we serve without parameters."""
    return MIMEAccept([(value.split(";", 1)[0].strip().lower(), q) for value, q in request.accept_mimetypes])


def negotiate(offers: Iterable[str], default: str | None = None) -> str:
    """The best of `offers` (format names) for the request's Accept header, by canonical media type
    or alias (graph.formats); 406 when none fits."""
    offered = [FORMATS[name] for name in offers]
    if not request.headers.get("Accept") or not request.accept_mimetypes:
        return default or offered[0].name
    candidates: dict[str, str] = {}  # media type -> format name: canonical types first, then aliases
    for f in offered:
        candidates.setdefault(f.media_type, f.name)
    for f in offered:
        for alias in f.aliases:
            candidates.setdefault(alias, f.name)
    best = client_accept().best_match(list(candidates))
    if best is None:
        wanted = request.headers.get("Accept", "")
        raise NotAcceptable(
            N_("cannot serve '%(wanted)s'; available: %(available)s"),
            wanted=wanted, available=", ".join(f.media_type for f in offered)
        )
    # A browser's "*/*" alongside text/html gets the first offer (normally HTML): best_match keeps offer order.
    return candidates[best]


def media_type(name: str) -> str:
    """The Content-Type of a negotiated answer: text, JSON and XML types say they are UTF-8."""
    mt = FORMATS[name].media_type
    return mt + "; charset=utf-8" if mt.startswith("text/") or mt.endswith("json") or mt.endswith("xml") else mt
