"""The library: publications newest first, filtered by pillar, sphere, publisher, programme, type
and year, with an Atom feed of the newest (also per filter). Built on the search index."""

from __future__ import annotations

from typing import Any, Mapping

from graph.search.searcher import Results, Searcher
from graph.store.graphstore import GraphStore

LIBRARY_FACETS = ("type", "theme", "editorial_theme", "pillar", "editorial_pillar", "sphere", "editorial_sphere", "publisher", "programme", "year")
LIBRARY_FILTERS = LIBRARY_FACETS
FEED_SIZE = 20


def library(searcher: Searcher, store: GraphStore, filters: Mapping[str, list[str]], *, q: str = "",
            lang: str = "nl", offset: int = 0, limit: int = 20) -> Results:
    """Publications matching the filters (and words, if any), newest first."""
    chosen = {f: list(v) for f, v in filters.items() if f in LIBRARY_FILTERS}
    return searcher.search(store, q, chosen, lang=lang, offset=offset, limit=limit, facets=LIBRARY_FACETS,
                           order="date", kind="publicatie")


def feed_entries(searcher: Searcher, store: GraphStore, filters: Mapping[str, list[str]], *, lang: str = "nl") -> list[dict[str, Any]]:
    """The newest publications for the Atom feed: iri, title, summary, date (ISO), year."""
    results = library(searcher, store, filters, lang=lang, limit=FEED_SIZE)
    return [
        {"iri": h.iri, "title": h.label, "summary": h.description, "date": h.date, "type": h.type}
        for h in results.hits
    ]


def atom_date(value: str) -> str:
    """An xsd:date, gYearMonth or gYear as an RFC 3339 timestamp (the first moment it covers)."""
    value = (value or "").strip()
    if len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return value[:10] + "T00:00:00Z"
    if len(value) == 7 and value[4] == "-":
        return value + "-01T00:00:00Z"
    if len(value) == 4 and value.isdigit():
        return value + "-01-01T00:00:00Z"
    return "1970-01-01T00:00:00Z"
