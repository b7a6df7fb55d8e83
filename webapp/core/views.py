"""Home page and health check."""

from __future__ import annotations

import os
from typing import Any

from flask import Blueprint, Response, jsonify, render_template
from rdflib import URIRef

from graph.browse import concepts
from graph.browse.describe import exists
from graph.browse.library import library
from graph.caching import PerStore
from graph.namespaces import entity_iri
from graph.store.graphstore import GraphStore
from graph.store.stats import statistics
from webapp.browse.respond import negotiated
from webapp.i18n import get_lang
from webapp.negotiation import negotiate
from webapp.state import get_searcher, get_store
from webapp.urls import resource_url

bp = Blueprint("core", __name__)

PILLARS = entity_iri("begrip", "pijlers-sociale-kwaliteit")
SPHERES = entity_iri("begrip", "sferen-sociale-basis")
# whole-store scans, once per store version (graph/caching.PerStore)
_statistics: PerStore[GraphStore, dict[str, Any]] = PerStore(statistics)
_triples: PerStore[GraphStore, int] = PerStore(lambda store: store.triple_count())


def cached_statistics(store: GraphStore) -> dict[str, Any]:
    """statistics(store), computed once per store version (it scans the whole store)."""
    return _statistics.get(store)


@bp.get("/health")
def health():
    store = get_store()
    # "process": which web process answered, when several share the port (sociale-basis serve --workers N)
    # the count is kept per store version: a load balancer's polling does not scan the store each time
    return jsonify({"status": "ok", "triples": _triples.get(store), "version": store.version, "process": os.getpid()})


def _ways_in(store: GraphStore, scheme: URIRef, facet: str, lang: str) -> list[dict[str, Any]]:
    found = concepts.schemes(store, lang, only=scheme)
    if not found:
        return []
    searcher = get_searcher()
    out = []
    for node in found[0].tops:
        slug = node.iri.rsplit("/", 1)[-1]
        out.append({
            "iri": node.iri, "slug": slug, "label": node.label, "definition": node.definition,
            "count": searcher.count_with(facet, slug),
            "derived": searcher.count_with("editorial_" + facet, slug),
            "publications": searcher.count_with(facet, slug, "publicatie"),
        })
    return out


def home_data(lang: str) -> dict[str, Any]:
    store = get_store()
    searcher = get_searcher()
    latest = library(searcher, store, {}, lang=lang, limit=5)
    sociale_basis = entity_iri("begrip", "sociale-basis")
    return {
        "kinds": searcher.counts_by_kind(),
        "pillars": _ways_in(store, PILLARS, "pillar", lang),
        "spheres": _ways_in(store, SPHERES, "sphere", lang),
        "latest": latest.hits,
        "sociale_basis": str(sociale_basis) if exists(store, sociale_basis) else None,
    }


@bp.get("/")
def home() -> Response:
    if negotiate(["html", "json"]) == "json":
        return negotiated(jsonify(_home_json()), suffix_given=False)
    data = home_data(get_lang())
    stats = cached_statistics(get_store())
    return negotiated(Response(render_template("core/home.html", stats=stats, **data)), suffix_given=False)


def _home_json() -> dict[str, Any]:
    stats = dict(cached_statistics(get_store()))
    data = home_data(get_lang())
    stats["pillars"] = [{"iri": p["iri"], "label": p["label"].value, "stated": p["count"], "derived": p["derived"]} for p in data["pillars"]]
    stats["spheres"] = [{"iri": p["iri"], "label": p["label"].value, "stated": p["count"], "derived": p["derived"]}
                        for p in data["spheres"]]
    stats["latest_publications"] = [
        {"iri": h.iri, "url": resource_url(h.iri), "label": h.label.value, "date": h.date or None} for h in data["latest"]
    ]
    return stats


@bp.get("/index.json")
def home_json():
    return jsonify(_home_json())
