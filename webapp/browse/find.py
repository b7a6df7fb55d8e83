"""Search (/search, /search.json, completion at /search/suggest.json) and the library
(/bibliotheek with .json and .atom twins)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from flask_babel import gettext
from rdflib import URIRef

from graph.browse.library import LIBRARY_FILTERS, atom_date, feed_entries, library
from graph.browse.vocabulary import vocabulary
from graph.errors import NotFound
from graph.search.searcher import SEARCH_FACETS, Results
from graph.store.present import Text, texts
from graph.textproc import highlight, shorten
from webapp.browse.respond import (
    FilterToggle,
    cached_page,
    concept_label,
    current_args,
    filters_from_args,
    hit_json,
    kind_label,
    negotiated,
    nice_date,
    page_args,
    url_with,
)
from webapp.i18n import get_lang, translations
from webapp.negotiation import negotiate
from webapp.state import get_searcher, get_store
from webapp.urls import resource_url, resource_url_function

bp = Blueprint("find", __name__)

MAX_QUERY = 200
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PAGE = 20


def _query() -> str:
    return " ".join((request.args.get("q") or "").split())[:MAX_QUERY]


def results_json(results: Results) -> dict[str, Any]:
    catalog = translations()  # facet titles are message ids: one catalog lookup, not one per title
    return {
        "query": results.query,
        "total": results.total,
        "offset": results.offset,
        "limit": results.limit,
        "loose": results.loose,
        "suggestion": results.suggestion or None,
        "corrected": results.corrected,
        "filters": results.filters,
        "hits": [dict(hit_json(h), match=h.match) for h in results.hits],
        "facets": [
            {"name": f.name, "label": catalog.ugettext(f.label), "more": f.hidden,
             "values": [{"value": v.value, "label": v.label.value, "count": v.count, "selected": v.selected} for v in f.values]}
            for f in results.facets
        ],
    }


def _decorate(results: Results, lang: str) -> list[dict[str, Any]]:
    """What the result list shows per hit: highlighted label and snippet, type label, and what the
    search page would otherwise ask a template helper for per hit (link, kind, date, pillar labels):
    worked out here once per page, since each helper or macro call in a template costs some 10 to
    30 µs and a page has twenty hits."""
    vocab = vocabulary(get_store())
    url_of = resource_url_function()
    kinds: dict[str, str] = {}
    type_labels: dict[str, Text] = {}
    pillar_names: dict[str, Text] = {}
    out = []
    for hit in results.hits:
        snippet = shorten(hit.description.value) if hit.description else ""
        type_label = (type_labels[hit.type] if hit.type in type_labels
                      else type_labels.setdefault(hit.type, vocab.label(hit.type, lang))) if hit.type else None
        kind = kinds[hit.kind] if hit.kind in kinds else kinds.setdefault(hit.kind, kind_label(hit.kind))
        out.append({
            "hit": hit,
            "label_parts": highlight(hit.label.value, results.stems, hit.label.lang or lang),
            "snippet_parts": highlight(snippet, results.stems, (hit.description.lang if hit.description else lang) or lang),
            "type_label": type_label,
            "url": url_of(hit.iri),
            "kind_label": kind,
            "type_shown": type_label is not None and type_label.value.lower() != kind.lower(),
            "date": nice_date(hit.date),
            "pillars": [(slug, derived, pillar_names[slug] if slug in pillar_names
                         else pillar_names.setdefault(slug, concept_label(slug))) for slug, derived in hit.pillars],
        })
    return out


@bp.get("/search", defaults={"ext": None})
@bp.get("/search.<ext>")
def search(ext: str | None) -> Response:
    if ext not in (None, "json"):
        raise NotFound(gettext("This page does not exist."))
    fmt = "json" if ext == "json" else negotiate(["html", "json"])
    q = _query()
    filters = filters_from_args(SEARCH_FACETS)
    offset, page = page_args(PAGE)
    lang = get_lang()
    searcher = get_searcher()

    def found() -> Results | None:
        return searcher.search(get_store(), q, filters, lang=lang, offset=offset, limit=PAGE) if q or filters else None

    if fmt == "json":
        results = found()
        payload = results_json(results) if results else {"query": q, "total": 0, "hits": [], "facets": []}
        return negotiated(jsonify(payload), suffix_given=ext is not None)

    def render() -> str:
        results = found()
        return render_template(
            "browse/search.html", q=q, results=results, items=_decorate(results, lang) if results else [],
            page=page, pages=max(1, -(-results.total // PAGE)) if results else 1,
            toggle=FilterToggle("find.search"), endpoint="find.search", args=current_args(),
            suggestion_url=url_with("find.search", current_args(), q=results.suggestion) if results and results.suggestion else None,
        )

    # kept like a resource page, and until the search index changes too
    return negotiated(Response(cached_page(render, also=searcher.index.generation)), suffix_given=False)


@bp.get("/search/suggest.json")
def suggest() -> Response:
    q = _query()
    lang = get_lang()
    hits = get_searcher().suggest(q, lang=lang) if q else []
    return jsonify({
        "query": q,
        "suggestions": [
            {"label": h.label.value, "lang": h.label.lang, "kind": h.kind, "url": resource_url(h.iri), "iri": h.iri,
             "kind_label": kind_label(h.kind)}
            for h in hits
        ],
    })


# -- the library --------------------------------------------------------------------------------

@bp.get("/bibliotheek", defaults={"ext": None})
@bp.get("/bibliotheek.<ext>")
def library_page(ext: str | None) -> Response:
    if ext not in (None, "json", "atom"):
        raise NotFound(gettext("This page does not exist."))
    fmt = ext or negotiate(["html", "json", "atom"])
    filters = filters_from_args(LIBRARY_FILTERS)
    q = _query()
    lang = get_lang()
    store = get_store()
    searcher = get_searcher()
    if fmt == "atom":
        return negotiated(_atom(filters, lang), suffix_given=ext is not None)
    offset, page = page_args(PAGE)
    results = library(searcher, store, filters, q=q, lang=lang, offset=offset, limit=PAGE)
    if fmt == "json":
        return negotiated(jsonify(results_json(results)), suffix_given=ext is not None)
    publishers = _publishers(results, lang)
    feed_args = {k: v for k, v in current_args().items() if k in LIBRARY_FILTERS}
    html = render_template(
        "browse/library.html", q=q, results=results, items=_decorate(results, lang), publishers=publishers,
        page=page, pages=max(1, -(-results.total // PAGE)), feed_url=url_with("find.library_feed", feed_args),
        toggle=FilterToggle("find.library_page"), endpoint="find.library_page", args=current_args(),
    )
    return negotiated(Response(html), suffix_given=False)


@bp.get("/bibliotheek/feed.atom")
def library_feed() -> Response:
    return _atom(filters_from_args(LIBRARY_FILTERS), get_lang())


def _publishers(results: Results, lang: str) -> dict[str, Any]:
    """{hit iri: [(url, label)]} of the publishers of the listed publications."""
    arrays = get_searcher().arrays()
    per_hit: dict[str, list[URIRef]] = {}
    for hit in results.hits:
        row = arrays.matrix[hit.id] if hit.id < len(arrays.matrix) else ()
        slugs = [arrays.by_id[int(f)][1] for f in row if int(f) in arrays.by_id and arrays.by_id[int(f)][0] == "publisher"]
        per_hit[hit.iri] = [URIRef(f"https://w3id.org/sociale-basis/id/organisatie/{s}") for s in slugs]
    labels = texts(get_store(), [i for v in per_hit.values() for i in v], lang)
    return {iri: [(resource_url(i), labels[i]) for i in iris] for iri, iris in per_hit.items()}


def _atom(filters: dict[str, list[str]], lang: str) -> Response:
    """An Atom 1.0 feed of the newest publications (with the chosen filters)."""
    entries = feed_entries(get_searcher(), get_store(), filters, lang=lang)
    base = (current_app.config.get("PUBLIC_URL") or request.url_root).rstrip("/")
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    feed = ET.Element(f"{{{ns}}}feed", {XML_LANG: lang})
    ET.SubElement(feed, f"{{{ns}}}title").text = gettext("New publications on the social base")
    ET.SubElement(feed, f"{{{ns}}}subtitle").text = gettext("The newest publications in the library of the Social Base Knowledge Graph.")
    page_url = base + url_with("find.library_page", filters)
    self_url = base + url_with("find.library_feed", filters)
    ET.SubElement(feed, f"{{{ns}}}id").text = self_url
    ET.SubElement(feed, f"{{{ns}}}link", {"rel": "self", "type": "application/atom+xml", "href": self_url})
    ET.SubElement(feed, f"{{{ns}}}link", {"rel": "alternate", "type": "text/html", "href": page_url})
    ET.SubElement(feed, f"{{{ns}}}updated").text = max((atom_date(e["date"]) for e in entries), default="1970-01-01T00:00:00Z")
    author = ET.SubElement(feed, f"{{{ns}}}author")
    ET.SubElement(author, f"{{{ns}}}name").text = gettext("Social Base Knowledge Graph")
    for e in entries:
        entry = ET.SubElement(feed, f"{{{ns}}}entry")
        ET.SubElement(entry, f"{{{ns}}}id").text = e["iri"]
        title = ET.SubElement(entry, f"{{{ns}}}title")
        title.text = e["title"].value
        if e["title"].lang:
            title.set(XML_LANG, e["title"].lang)
        ET.SubElement(entry, f"{{{ns}}}link", {"rel": "alternate", "type": "text/html", "href": base + resource_url(e["iri"])})
        ET.SubElement(entry, f"{{{ns}}}updated").text = atom_date(e["date"])
        if e["date"]:
            ET.SubElement(entry, f"{{{ns}}}published").text = atom_date(e["date"])
        if e["summary"]:
            summary = ET.SubElement(entry, f"{{{ns}}}summary", {"type": "text"})
            summary.text = e["summary"].value
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, content_type="application/atom+xml; charset=utf-8")

