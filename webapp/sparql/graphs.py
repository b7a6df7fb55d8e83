"""Pages of the named graphs (/graph/<name>): what a graph is, its size, metadata and provenance, its
downloads and a query on it, with Turtle, JSON-LD, N-Triples, RDF/XML and JSON twins by Accept or suffix.

A graph IRI https://w3id.org/sociale-basis/graph/<name> resolves here. Source graphs (id/bron/<slug>) are
described on their resource pages, which the download index links instead; unknown names answer 404.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, redirect, render_template, url_for
from rdflib import URIRef
from werkzeug.wrappers import Response as BaseResponse

from graph import formats
from graph.namespaces import BASE
from graph.sparql.namedgraph import describe_graph, description_graph, graph_for_page
from graph.sparql.void import DUMP_FORMATS
from webapp.browse.respond import negotiated
from webapp.i18n import get_lang, show_value
from webapp.negotiation import media_type, negotiate, split_suffix
from webapp.sparql.common import dump_sizes, graphs_and_counts, make_dumps, site_url, template_helpers
from webapp.state import get_store
from webapp.urls import graph_page_url, is_local, resource_url

bp = Blueprint("graphs", __name__)
bp.context_processor(template_helpers)

GRAPH_FORMATS = ["html", *formats.DESCRIPTION_FORMATS, "json"]


@bp.get("/graph")
@bp.get("/graph/")
def graph_index() -> BaseResponse:
    """The graphs are listed with their downloads."""
    return redirect(url_for("downloads.data_index"), code=303)


def _href(iri: str) -> str | None:
    """Where a link to `iri` goes: our page for what the site serves, the IRI itself for another site,
    none for our IRIs that have no page (the editors' agent, say)."""
    if is_local(iri):
        return resource_url(iri)
    return None if iri.startswith(BASE) else iri


@bp.get("/graph/<path:name>")
def graph_page(name: str) -> Response:
    name, suffix = split_suffix(name, GRAPH_FORMATS)
    graph_list, _counts = graphs_and_counts()
    info = graph_for_page(graph_list, name)
    fmt = suffix or negotiate(GRAPH_FORMATS)
    page = graph_page_url(info.iri) or ""
    alternates = {f: graph_page_url(info.iri, f) or "" for f in GRAPH_FORMATS if f != "html"}
    store = get_store()
    make_dumps([(info.path, URIRef(info.iri))], info.triples)
    sizes = dump_sizes([info.path])
    downloads = {s: {"url": f"{info.path}.{s}", "bytes": sizes.get(f"{info.path}.{s}"), "format": f.label}
                 for s, f in DUMP_FORMATS.items()}
    if fmt in ("html", "json"):
        described = describe_graph(store, info, get_lang())
        editor = url_for("endpoint.editor", query=described.query)
        if fmt == "json":
            payload = described.as_dict(show_value)
            payload.update(url=page, editor=editor, downloads=downloads, twins=alternates)
            response = jsonify(payload)
        else:
            html = render_template("sparql/graph.html", d=described, downloads=downloads, editor=editor,
                                   alternates=alternates, href=_href)
            response = Response(html, content_type="text/html; charset=utf-8")
    else:
        site = site_url()
        rdf = description_graph(store, info, site, sizes, page=site + page)
        body = rdf.serialize(format=formats.get(fmt).rdflib_name, encoding="utf-8")
        response = Response(body, content_type=media_type(fmt))
    return negotiated(response, suffix_given=bool(suffix), location=graph_page_url(info.iri, fmt if fmt != "html" else None),
                      alternates=alternates)
