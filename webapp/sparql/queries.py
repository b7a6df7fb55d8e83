"""Example questions as saved queries: a gallery, and every query as an API (like datasette's canned
queries): `/queries/<name>` (HTML with the results), `.json` (SPARQL JSON results), `.csv`, `.tsv`
and `.rq` (the query text). Named parameters come from the URL (`?pillar=sociale-cohesie`) and are
bound as typed terms, never pasted into the query text.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for
from rdflib import URIRef

from graph.errors import N_, NotFound
from graph.namespaces import BASE
from graph.sparql.saved import SavedQuery, choices
from graph.store.labels import labels
from graph.store.remote import RemoteSparqlStore
from webapp.i18n import get_lang
from webapp.negotiation import media_type, negotiate, split_suffix
from webapp.sparql.common import cors, saved_queries, template_helpers
from webapp.sparql.service import get_service
from webapp.state import get_store
from webapp.urls import is_local, resource_url

bp = Blueprint("queries", __name__)
bp.after_request(cors)
bp.context_processor(template_helpers)

IGNORED_ARGS = ("lang", "format")
PAGE_ROWS = 1000


def _get(name: str) -> SavedQuery:
    query = saved_queries().get(name)
    if query is None:
        raise NotFound(N_("there is no saved query '%(name)s'; see /queries/ for the list"), name=name)
    return query


def describe(query: SavedQuery) -> dict[str, Any]:
    """A saved query as plain data (the gallery's JSON twin)."""
    return {
        "name": query.name,
        "title": {"nl": query.title_nl, "en": query.title_en},
        "description": {"nl": query.description_nl, "en": query.description_en},
        "tags": list(query.tags),
        "parameters": [
            {"name": p.name, "type": p.type, "default": p.default, "label": {"nl": p.label_nl, "en": p.label_en}}
            for p in query.parameters
        ],
        "query": query.text,
        "links": {
            "html": url_for("queries.saved_query", name=query.name),
            "json": url_for("queries.saved_query", name=query.name + ".json"),
            "csv": url_for("queries.saved_query", name=query.name + ".csv"),
            "rq": url_for("queries.saved_query", name=query.name + ".rq"),
            "editor": url_for("endpoint.editor", voorbeeld=query.name),
        },
    }


@bp.get("/queries/")
def gallery() -> Response:
    queries = list(saved_queries().values())
    if negotiate(["html", "json"]) == "json":
        return _json({"queries": [describe(q) for q in queries]})
    html = render_template("sparql/gallery.html", queries=queries)
    response = Response(html, content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response


@bp.get("/queries.json")
def gallery_json() -> Response:
    return _json({"queries": [describe(q) for q in saved_queries().values()]})


@bp.get("/queries")
def gallery_redirect() -> Response:
    return Response(status=308, headers={"Location": url_for("queries.gallery")})


@bp.get("/queries/<name>")
def saved_query(name: str) -> Response:
    stem, fmt = split_suffix(name, ("json", "csv", "tsv", "sparql-json", "sparql-xml"))
    if fmt is None and name.endswith(".rq"):
        query = _get(name[:-3])
        return Response(query.text, content_type="application/sparql-query; charset=utf-8")
    query = _get(stem)
    if fmt is None:
        fmt = negotiate(["html", "json", "csv", "tsv", "sparql-json", "sparql-xml"])
    store = get_store()
    service = get_service()
    substitutions = query.substitutions(request.args, ignore=IGNORED_ARGS)
    worker_fmt = "sparql-json" if fmt in ("html", "json") else fmt
    text = query.text
    if substitutions and not _substitutes(store):
        text = query.editor_text(request.args, ignore=IGNORED_ARGS)
        substitutions = ()
    checked = service.check(text, store)
    outcome = service.run(store, checked.text, worker_fmt, substitutions=substitutions)
    if fmt == "html":
        return _page(query, json.loads(outcome.body))
    content_type = "application/json" if fmt == "json" else media_type(fmt)
    response = Response(outcome.body, content_type=content_type)
    response.vary.add("Accept")
    return response


def _substitutes(store: Any) -> bool:
    """Only the embedded store binds by substitution; a remote one gets the VALUES form."""
    return not isinstance(store, RemoteSparqlStore)


def _page(query: SavedQuery, results: dict[str, Any]) -> Response:
    lang = get_lang()
    variables: list[str] = results.get("head", {}).get("vars", [])
    bindings: list[dict[str, Any]] = results.get("results", {}).get("bindings", [])
    iris = {
        URIRef(b["value"]) for row in bindings[:PAGE_ROWS] for b in row.values()
        if b.get("type") == "uri" and b["value"].startswith(BASE)
    }
    names = labels(get_store(), iris, lang) if iris else {}
    rows = []
    for row in bindings[:PAGE_ROWS]:
        cells: list[dict[str, Any] | None] = []
        for var in variables:
            value = row.get(var)
            if value is None:
                cells.append(None)
            elif value["type"] == "uri":
                iri = value["value"]
                local = is_local(iri)
                cells.append({
                    "href": resource_url(iri) if local else iri,
                    "text": names.get(URIRef(iri), iri),
                    "iri": iri,
                    "external": not local,
                })
            else:
                cells.append({"text": value["value"], "lang": value.get("xml:lang")})
        rows.append(cells)
    values: dict[str, Any] = {p.name: request.args.get(p.name) or p.default for p in query.parameters}
    html = render_template(
        "sparql/query.html",
        query=query,
        variables=variables,
        rows=rows,
        total=len(bindings),
        shown=min(len(bindings), PAGE_ROWS),
        values=values,
        options={p.name: choices(get_store(), p, lang) for p in query.parameters},
        editor_url=url_for("endpoint.editor", voorbeeld=query.name, **{k: v for k, v in values.items()}),
        links={
            fmt: url_for("queries.saved_query", name=f"{query.name}.{fmt}", **{k: v for k, v in values.items()})
            for fmt in ("json", "csv", "tsv")
        },
    )
    response = Response(html, content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response


def _json(data: Any) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json")
