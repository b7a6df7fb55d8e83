"""Downloads at stable URLs under /data/: the whole dataset and each graph in TriG, N-Quads, Turtle
and JSON-LD; the VoID/DCAT description (/data/void.ttl); an HTML overview with sizes (/data/).

Dumps are made on first request and kept in memory per store version (graph.sparql.void.DumpCache, one
per app), with an ETag so clients can revalidate cheaply.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, json, redirect, render_template, request, url_for
from rdflib import URIRef
from werkzeug.wrappers import Response as BaseResponse

from graph import formats
from graph.errors import N_, NotFound
from graph.sparql.void import DUMP_FORMATS, DUMP_NAME, SECTIONS, GraphInfo, find_graph, graph_iri, void_description
from graph.store.build import read_build_info
from webapp.negotiation import negotiate
from webapp.sparql.common import cors, dump_sizes, graphs_and_counts, make_dumps, site_url, template_helpers
from webapp.sparql.service import get_service
from webapp.state import get_store
from webapp.urls import graph_page_url

bp = Blueprint("downloads", __name__)
bp.after_request(cors)
bp.context_processor(template_helpers)

VOID_SUFFIXES = formats.suffixes(formats.DESCRIPTION_FORMATS)


def _dump(path: str, suffix: str, graph: Any) -> Response:
    if suffix not in DUMP_FORMATS:
        raise NotFound(N_("no download %(path)s; formats: %(formats)s"),
                       path=path, formats=", ".join("." + s for s in DUMP_FORMATS))
    fmt = DUMP_FORMATS[suffix]
    body = get_service().dumps.get(get_store(), path, fmt.name, graph)
    response = Response(body, content_type=fmt.content_type)
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    response.headers["Cache-Control"] = "public, max-age=300"
    response.make_conditional(request)  # sets 304 and the headers in place
    return response


def _graph_info(section: str, slug: str) -> GraphInfo:
    graph_list, _counts = graphs_and_counts()
    info = find_graph(graph_list, section, slug)
    if info is None:
        raise NotFound(N_("there is no graph %(iri)s in this dataset; see /data/ for the list"),
                       iri=graph_iri(section, slug) or f"/data/{section}/{slug}")
    return info


@bp.get(f"/data/{DUMP_NAME}.<suffix>")
def dataset_dump(suffix: str) -> Response:
    return _dump(f"/data/{DUMP_NAME}.{suffix}", suffix, None)


@bp.get(f"/data/<any({', '.join(SECTIONS)}):section>/<name>")
def graph_dump(section: str, name: str) -> Response:
    slug, dot, suffix = name.rpartition(".")
    if not dot:
        raise NotFound(N_("add a format to the file name: .trig, .nq, .ttl or .jsonld"))
    info = _graph_info(section, slug)
    return _dump(f"{info.path}.{suffix}", suffix, URIRef(info.iri))


def _modified() -> str | None:
    info = read_build_info(Path(current_app.config["DATA_DIR"]))
    if info is None:
        return None
    return datetime.fromtimestamp(info.built_at, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sizes(graph_list: list[GraphInfo]) -> dict[str, int]:
    return dump_sizes([f"/data/{DUMP_NAME}"] + [g.path for g in graph_list])


@bp.get("/data/void.<suffix>")
def void(suffix: str) -> Response:
    if suffix not in VOID_SUFFIXES:
        raise NotFound(N_("the dataset description is at /data/void.ttl (also .jsonld, .nt, .rdf)"))
    fmt = VOID_SUFFIXES[suffix]
    store = get_store()
    graph_list, dataset_counts = graphs_and_counts()
    site = site_url()
    sizes = _sizes(graph_list)
    key = f"void:{site}:{fmt.name}:{len(sizes)}"

    def make() -> bytes:
        g = void_description(
            store, site, sizes=sizes, modified=_modified(), graph_list=graph_list, dataset_counts=dataset_counts
        )
        return g.serialize(format=fmt.rdflib_name, encoding="utf-8")

    body = get_service().cached(key, store, make)
    return Response(body, content_type=fmt.content_type)


@bp.get("/.well-known/void")
def well_known_void() -> BaseResponse:
    return redirect(url_for("downloads.void", suffix="ttl"), code=303)


@bp.get("/dataset")
@bp.get("/dataset/<path:rest>")
def dataset_iri(rest: str | None = None) -> BaseResponse:
    """The dataset's IRI (https://w3id.org/sociale-basis/dataset) resolves to its description."""
    if rest:
        raise NotFound(N_("no such resource: /dataset/%(rest)s"), rest=rest)
    if negotiate(["html", "turtle"], default="turtle") == "html":
        return redirect(url_for("downloads.data_index"), code=303)
    return redirect(url_for("downloads.void", suffix="ttl"), code=303)


@bp.get("/data/")
def data_index() -> Response:
    return _data_index(negotiate(["html", "json"]))


@bp.get("/data/index.json")
def data_index_json() -> Response:
    return _data_index("json")


def _data_index(fmt: str) -> Response:
    graph_list, dataset_counts = graphs_and_counts()
    whole = f"/data/{DUMP_NAME}"
    make_dumps([(whole, None)] + [(g.path, URIRef(g.iri)) for g in graph_list], dataset_counts.quads)
    sizes = _sizes(graph_list)
    if fmt == "json":
        data = {
            "dataset": {"triples": dataset_counts.triples, "quads": dataset_counts.quads, "entities": dataset_counts.entities},
            "description": "/data/void.ttl",
            "sparql": "/sparql",
            "downloads": [
                {"graph": None, "label": "all", "triples": dataset_counts.quads,
                 "files": {s: {"url": f"{whole}.{s}", "bytes": sizes.get(f"{whole}.{s}")} for s in DUMP_FORMATS}}
            ] + [
                {"graph": g.iri, "label": g.label("nl"), "labels": g.labels, "kind": g.kind, "triples": g.triples,
                 "page": graph_page_url(g.iri),
                 "files": {s: {"url": f"{g.path}.{s}", "bytes": sizes.get(f"{g.path}.{s}")} for s in DUMP_FORMATS}}
                for g in graph_list
            ],
        }
        return Response(json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json")
    html = render_template(
        "sparql/data.html",
        graphs=graph_list,
        counts=dataset_counts,
        sizes=sizes,
        whole=whole,
        suffixes=list(DUMP_FORMATS),
        modified=_modified(),
    )
    response = Response(html, content_type="text/html; charset=utf-8")
    response.vary.add("Accept")
    return response


@bp.get("/data")
def data_redirect() -> BaseResponse:
    return redirect(url_for("downloads.data_index"), code=308)
