"""SPARQL endpoint (SPARQL 1.1 Protocol), query editor and labels for it (blueprint 'endpoint'); saved
queries and downloads have their own blueprints (queries.py, downloads.py), shared pieces are in common.py.

`/sparql`: a query answers in the negotiated format; without a query, RDF clients get the Service
Description and browsers the editor (also at `/query`). Read-only, checked before it runs
(graph.sparql.guard), run in a worker process with a hard time limit (graph.sparql.workers).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import gettext
from rdflib import URIRef

from graph import formats
from graph.errors import N_, BadRequest
from graph.namespaces import BASE, ID, PREFIXES, is_plain_iri
from graph.sparql.completion import POSITIONS, completions
from graph.sparql.saved import starter_query
from graph.sparql.void import service_description
from graph.store.labels import labels
from webapp import security
from webapp.i18n import get_lang
from webapp.negotiation import media_type, negotiate
from webapp.sparql.common import cors, graphs_and_counts, saved_queries, site_url, template_helpers
from webapp.sparql.protocol import (
    ALL_OFFERS,
    read_request,
    response_type,
    result_format,
    wants_page,
    worker_format,
)
from webapp.sparql.service import get_service
from webapp.state import get_store
from webapp.urls import LOCAL_PAGES

bp = Blueprint("endpoint", __name__)
bp.after_request(cors)
bp.context_processor(template_helpers)

MAX_LABELS = 500


# -- the endpoint ---------------------------------------------------------------------------------
@bp.route("/sparql/", methods=["GET", "POST"])
@bp.route("/sparql", methods=["GET", "POST"])  # registered first, so url_for gives this one
def endpoint() -> Response:
    store = get_store()
    service = get_service()
    req = read_request()
    if req.query is None:
        return _without_query(req.format_param)
    if wants_page():
        return editor_page(req.query)
    checked = service.check(req.query, store)
    default: tuple[str, ...] | None = None
    named: tuple[str, ...] | None = None
    if req.has_dataset:  # the protocol's parameters take precedence over FROM / FROM NAMED
        service.check_graphs(req.default_graphs, store, "default-graph-uri")
        service.check_graphs(req.named_graphs, store, "named-graph-uri")
        default, named = tuple(req.default_graphs), tuple(req.named_graphs)
    elif checked.has_dataset:
        default, named = checked.default_graphs, checked.named_graphs
    name = result_format(checked.form, req.format_param)
    outcome = service.run(
        store, checked.text, worker_format(name, checked.form), default_graphs=default, named_graphs=named
    )
    response = Response(outcome.body, content_type=response_type(name, checked.form))
    return shared_cacheable(response) if request.method == "GET" else response


def shared_cacheable(response: Response) -> Response:
    """Let a shared cache in front (SPARQL_CACHE_SECONDS; docs/deploy.md) serve this answer again: only
    answered GET queries, so errors, limits and POSTed queries always reach the endpoint."""
    seconds = int(current_app.config["SPARQL_CACHE_SECONDS"])
    if seconds > 0:
        response.cache_control.public = True
        response.cache_control.max_age = seconds
        response.vary.add("Accept")
    return response


def _without_query(format_param: str | None) -> Response:
    if format_param:
        raise BadRequest(N_("no query: send one in the 'query' parameter"))
    offers = ["turtle", "html", "ntriples", "jsonld", "rdfxml", *ALL_OFFERS]
    fmt = negotiate(list(dict.fromkeys(offers)), default="turtle")
    if fmt == "html":
        return editor_page(None)
    if fmt not in formats.DESCRIPTION_FORMATS:
        raise BadRequest(N_("no query: send one in the 'query' parameter (or ask for text/turtle for the service description)"))
    return Response(_service_description(fmt), content_type=media_type(fmt))


def _service_description(fmt: str) -> bytes:
    store = get_store()
    service = get_service()
    site = site_url()

    def make() -> bytes:
        graph_list, dataset_counts = graphs_and_counts()
        g = service_description(site, graph_list, dataset_counts)
        return g.serialize(format=formats.get(fmt).rdflib_name, encoding="utf-8")

    return service.cached(f"sd:{site}:{fmt}", store, make)


# -- the editor -----------------------------------------------------------------------------------
@bp.get("/query")
def editor() -> Response:
    return editor_page(request.args.get("query"))


def editor_page(query: str | None) -> Response:
    """The YASGUI editor on our endpoint, with the project's prefixes and the example questions."""
    lang = get_lang()
    examples = saved_queries()
    chosen = request.args.get("voorbeeld") or request.args.get("example")
    example = examples.get(chosen) if chosen else None
    if query is None and example is not None:
        query = example.editor_text(request.args, ignore=("voorbeeld", "example", "lang"))
    if query is None:
        query = starter_query(lang)
    config = {
        "endpoint": url_for("endpoint.endpoint"),
        "labels": url_for("endpoint.labels_json"),
        "complete": url_for("endpoint.complete_json"),
        "municipalities": url_for("municipalities.municipalities"),
        "topology": url_for("static", filename="geo/gemeente_2025.topojson"),
        "placePrefix": f"{ID}plaats/",
        "base": BASE,
        "pages": list(LOCAL_PAGES),  # what webapp.urls.is_local serves as pages
        "lang": lang,
        "prefixes": PREFIXES,
        "query": query,
        "run": True,
        "text": editor_texts(),
    }
    security.allow_inline_styles()  # YASQE and vis-network set style attributes; scripts stay 'self'
    html = render_template(
        "sparql/editor.html",
        config_data=config,
        examples=list(examples.values()),
        example=example,
        site=site_url(),
    )
    response = Response(html, content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response


def editor_texts() -> dict[str, str]:
    """The editor's texts in the page's language (views.js and editor.js show only these)."""
    return {
        "copied": gettext("Copied"),
        "editorLabel": gettext("SPARQL query"),
        "running": gettext("Running…"),
        "rows": gettext("%(n)s results in %(seconds)s s"),
        "triples": gettext("%(n)s triples in %(seconds)s s"),
        "answer": gettext("Answer in %(seconds)s s"),
        "failed": gettext("The query could not be run"),
        "yes": gettext("Yes (true)"),
        "no": gettext("No (false)"),
        "results": gettext("Query results"),
        "empty": gettext("No results: the query found nothing in the graph."),
        "more": gettext("Show %(n)s more"),
        "firstOf": gettext("The first %(shown)s of %(total)s are shown; the table and downloads have all of them."),
        "notFitting": gettext("This view does not fit this result"),
        "chartOf": gettext("Bar chart of %(value)s per %(label)s"),
        "timelineOf": gettext("Timeline by %(date)s"),
        "mapOf": gettext("Map of the municipalities, coloured by %(value)s"),
        "mapLegend": gettext("%(n)s municipalities in the result; darker is more (highest: %(max)s). Grey: not in the result."),
        "mapFailed": gettext("The map could not be loaded."),
        "graphOf": gettext("Network of %(n)s nodes; double-click a node to open its page"),
        "none": gettext("not in the result"),
        "count": gettext("the number of results"),
    }


@bp.get("/sparql/complete.json")
def complete_json() -> Response:
    """{"suggestions": [{iri, label, kind, count}]} for the editor: classes, properties or entities
    whose IRI starts with `q` (the typed name with its prefix expanded) or whose label has a word
    starting with its local part."""
    typed = request.args.get("q", "")
    position = request.args.get("position", "entity")
    if position not in POSITIONS:
        raise BadRequest(N_("position must be one of: %(allowed)s"), allowed=", ".join(POSITIONS))
    if not typed or len(typed) > 500:
        raise BadRequest(N_("parameter 'q' must hold the start of an IRI (at most 500 characters)"))
    try:
        limit = int(request.args.get("limit", "20"))
    except ValueError:
        raise BadRequest(N_("parameter 'limit' must be a whole number")) from None
    found = completions(get_store()).suggest(typed, position, get_lang(), limit)
    body = json.dumps({"suggestions": [s.as_dict() for s in found]}, ensure_ascii=False)
    return Response(body, content_type="application/json")


@bp.route("/sparql/labels.json", methods=["GET", "POST"])
def labels_json() -> Response:
    """{"labels": {iri: label}} for up to 500 of the project's IRIs (the editor's results)."""
    iris = request.values.getlist("iri")
    if len(iris) > MAX_LABELS:
        raise BadRequest(N_("at most %(max)s IRIs per request"), max=MAX_LABELS)
    wanted = [URIRef(i) for i in dict.fromkeys(iris) if i.startswith(BASE) and is_plain_iri(i)]
    lang = request.values.get("lang") or get_lang()
    found = labels(get_store(), wanted, "en" if lang == "en" else "nl") if wanted else {}
    body = json.dumps({"labels": {str(k): v for k, v in found.items()}}, ensure_ascii=False)
    return Response(body, content_type="application/json")
