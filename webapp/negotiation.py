"""Content negotiation as a table: formats by media type and by URL suffix, chosen in one function."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from flask import request

from graph.errors import N_, NotAcceptable


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    suffix: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("html", "text/html", "html"),
        Format("json", "application/json", "json"),
        Format("turtle", "text/turtle", "ttl"),
        Format("jsonld", "application/ld+json", "jsonld"),
        Format("ntriples", "application/n-triples", "nt"),
        Format("rdfxml", "application/rdf+xml", "rdf"),
        Format("trig", "application/trig", "trig"),
        Format("nquads", "application/n-quads", "nq"),
        Format("csv", "text/csv", "csv"),
        Format("tsv", "text/tab-separated-values", "tsv"),
        Format("atom", "application/atom+xml", "atom"),
        Format("graphml", "application/graphml+xml", "graphml"),
        Format("sparql-json", "application/sparql-results+json", "srj"),
        Format("sparql-xml", "application/sparql-results+xml", "srx"),
    )
}
BY_SUFFIX = {f.suffix: f for f in FORMATS.values()}
RDF_FORMATS = ("turtle", "jsonld", "ntriples", "rdfxml", "trig", "nquads")


def split_suffix(path: str, allowed: Iterable[str]) -> tuple[str, str | None]:
    """('/id/x/y', 'turtle') for '/id/x/y.ttl' when that format is allowed; else (path, None)."""
    stem, dot, suffix = path.rpartition(".")
    if dot and "/" not in suffix and suffix in BY_SUFFIX and BY_SUFFIX[suffix].name in allowed:
        return stem, BY_SUFFIX[suffix].name
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
    mt = FORMATS[name].media_type
    return mt + "; charset=utf-8" if mt.startswith("text/") or mt.endswith("json") or mt.endswith("xml") else mt
