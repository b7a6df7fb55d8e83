"""SPARQL endpoint (SPARQL 1.1 Protocol), query editor and labels for it (blueprint 'endpoint'); saved
queries and downloads have their own blueprints (queries.py, downloads.py), shared pieces are in common.py.

`/sparql`: a query answers in the negotiated format; without a query, RDF clients get the Service
Description and browsers the editor (also at `/query`). Read-only, checked before it runs
(graph.sparql.guard), run in a worker process with a hard time limit (graph.sparql.workers).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext
from rdflib import URIRef

from graph import formats
from graph.errors import N_, BadRequest
from graph.namespaces import BASE, PREFIXES, is_plain_iri
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

bp = Blueprint("endpoint", __name__)
bp.after_request(cors)
bp.context_processor(template_helpers)

MAX_LABELS = 500


# -- the endpoint ---------------------------------------------------------------------------------
@bp.route("/sparql", methods=["GET", "POST"])
@bp.route("/sparql/", methods=["GET", "POST"])
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
    return Response(outcome.body, content_type=response_type(name, checked.form))


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
        "endpoint": "/sparql",
        "labels": "/sparql/labels.json",
        "base": BASE,
        "lang": lang,
        "prefixes": PREFIXES,
        "query": query,
        "text": {
            "share": gettext("Link to this query"),
            "copied": gettext("Copied"),
            "download": gettext("Download the results"),
        },
    }
    security.allow_inline_styles()  # YASGUI sets style attributes and one <style>; scripts stay 'self'
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
