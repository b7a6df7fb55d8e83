"""Helpers shared by the SPARQL and download tests (no tests of its own): a counting listener on
127.0.0.1, apps with their own settings, and result parsing that compares with the store's answer."""

from __future__ import annotations

import csv
import http.server
import io
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from rdflib.query import Result
from rdflib.term import BNode, Node

from tests.conftest import make_settings

RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
    "xml": "application/rdf+xml",
}


class Listener:
    """A tiny HTTP server on 127.0.0.1 that counts every request it gets."""

    def __init__(self) -> None:
        hits: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                hits.append(f"{self.command} {self.path}")
                body = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET
            do_HEAD = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.hits = hits
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def own_app(data_dir: Path, **settings: Any) -> Iterator[Any]:
    """An app on the fixture data with its own settings; its query workers stop afterwards."""
    from webapp import create_app
    from webapp.sparql.service import shutdown
    from webapp.state import get_store

    app = create_app(make_settings(data_dir, **settings))
    app.testing = True
    try:
        yield app
    finally:
        shutdown(app)
        with app.app_context():
            get_store().close()


def parse_results(body: bytes, fmt: str) -> Result:
    return Result.parse(io.BytesIO(body), format=fmt)


def canon_rows(rows: list[dict[str, Node]] | list[dict[Any, Node]]) -> list[tuple[tuple[str, str], ...]]:
    """Rows as sorted tuples of (variable, N3), blank nodes made anonymous: comparable across formats."""
    out = []
    for row in rows:
        items = []
        for key, value in row.items():
            if value is None:
                continue
            text = "_:b" if isinstance(value, BNode) else value.n3()
            items.append((str(key), text))
        out.append(tuple(sorted(items)))
    return sorted(out)


def result_rows(result: Result) -> list[dict[str, Node]]:
    return [{str(k): v for k, v in row.asdict().items()} for row in result]


def csv_rows(body: bytes) -> tuple[list[str], list[list[str]]]:
    reader = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
    header, *rows = list(reader)
    return header, rows


def plain(value: Node | None) -> str:
    """A term as the SPARQL CSV format writes it."""
    if value is None:
        return ""
    if isinstance(value, BNode):
        return "_:" + str(value)
    return str(value)
