"""What the SPARQL area's three blueprints (endpoint, downloads, queries) share: the site's base URL,
the graphs and counts per store version, the saved queries, CORS for browser clients on other
sites, and the template helpers. Imports no route module, so each route module can import it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from flask import Response, current_app, request
from flask_babel import format_decimal

from graph.sparql.saved import SavedQuery, load_queries
from graph.sparql.void import DUMP_FORMATS, counts, graphs
from webapp.i18n import number
from webapp.sparql.service import get_service
from webapp.state import get_store
from webapp.urls import graph_page_url, resource_url

CORS_PATHS = ("/sparql", "/queries", "/data", "/.well-known/void")
QUERY_DIR = Path(__file__).resolve().parent.parent / "queries"
QUERIES_EXTENSION = "sociale_basis_saved_queries"


def site_url() -> str:
    """The public base URL of the site, without a trailing slash."""
    return (current_app.config.get("PUBLIC_URL") or request.url_root).rstrip("/")


def graphs_and_counts() -> tuple[Any, Any]:
    """The downloadable graphs and the dataset's counts, once per store version."""
    store = get_store()
    service = get_service()
    return (
        service.cached("graphs", store, lambda: graphs(store)),
        service.cached("counts", store, lambda: counts(store)),
    )


EAGER_DUMP_QUADS = 250_000  # up to this size the dumps are made while a page waits; beyond, in the background


def make_dumps(bases: Iterable[tuple[str, Any]], quads: int) -> None:
    """Make the dumps of these (path, graph or None for everything) in every format, once per store
    version, so a page can give their exact sizes: right away for `quads` of ordinary size, in the
    background beyond EAGER_DUMP_QUADS (the sizes appear later)."""
    store = get_store()
    dumps = get_service().dumps
    jobs = [(f"{base}.{suffix}", fmt.name, graph) for base, graph in bases for suffix, fmt in DUMP_FORMATS.items()]
    if quads <= EAGER_DUMP_QUADS:
        for path, name, graph in jobs:
            dumps.get(store, path, name, graph)
    else:
        dumps.make_in_background(store, jobs)


def dump_sizes(bases: Iterable[str]) -> dict[str, int]:
    """Byte sizes of the dumps made so far for these paths ('/data/bron/x' gives '/data/bron/x.trig', …)."""
    store = get_store()
    dumps = get_service().dumps
    sizes = {}
    for base in bases:
        for suffix in DUMP_FORMATS:
            size = dumps.size(store, f"{base}.{suffix}")
            if size is not None:
                sizes[f"{base}.{suffix}"] = size
    return sizes


def saved_queries() -> dict[str, SavedQuery]:
    """The example queries, read once per app (QUERY_DIR, or the app's SAVED_QUERY_DIR)."""
    app = current_app
    queries = app.extensions.get(QUERIES_EXTENSION)
    if queries is None:
        queries = load_queries(Path(app.config.get("SAVED_QUERY_DIR") or QUERY_DIR))
        app.extensions[QUERIES_EXTENSION] = queries
    return queries


# What SPARQL clients send in a browser (YASGUI, Comunica, fetch-sparql-endpoint); none carries a credential
# (no cookies are allowed cross-site), so allowing `Authorization` only lets a client reach a proxy that wants it.
CORS_HEADERS = "Accept, Content-Type, Authorization, X-Requested-With, Cache-Control, User-Agent"


def cors(response: Response) -> Response:
    """Browser clients on other sites may query and download (no cookies are involved).

    Each SPARQL blueprint installs it with `bp.after_request(cors)`."""
    if request.path.startswith(CORS_PATHS):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
        response.headers["Access-Control-Max-Age"] = "86400"
        response.vary.add("Accept")
    return response


def template_helpers() -> dict[str, Any]:
    """Helpers for the SPARQL templates (each SPARQL blueprint installs it as context processor)."""
    return {"resource_url": resource_url, "graph_page_url": graph_page_url, "fmt_size": fmt_size, "fmt_num": fmt_num}


def fmt_num(value: int) -> str:
    """A count in the page's language (Babel: 1.234 in Dutch)."""
    return number(value)


def fmt_size(size: int | None) -> str:
    """A file size in B, kB, MB or GB, formatted by Babel in the page's language; a no-break space keeps
    the number with its unit in a narrow table cell."""
    if size is None:
        return "–"
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return str(format_decimal(value, format="0" if unit == "B" else "0.0")) + "\u00a0" + unit
        value /= 1000
    return str(value)
