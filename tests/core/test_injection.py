"""Visitor input never becomes query text: no SPARQL injection through labels, facets or filters,
and so no outbound request from the server (checked with a real listener on 127.0.0.1)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from graph.namespaces import is_plain_iri


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def listener():
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


def payloads(listener: str) -> list[str]:
    return [
        f"https://w3id.org/sociale-basis/id/x> }} SERVICE <{listener}> {{ ?s ?p ?l }} }} #",
        f"sociale-cohesie> }} SERVICE <{listener}> {{ ?s ?p ?o }} }} #",
        "zz\r\nFAKE-LOG-LINE",
        "%",
    ]


@pytest.mark.parametrize("path, param", [
    ("/sparql/labels.json", "iri"),
    ("/search", "pillar"),
    ("/search.json", "pillar"),
    ("/search.json", "type"),
    ("/bibliotheek", "pillar"),
    ("/bibliotheek.json", "programme"),
    ("/programmas", "pillar"),
])
def test_hostile_values_are_inert(client, listener, path, param):
    _Recorder.hits.clear()
    for value in payloads(listener):
        r = client.get(path, query_string={param: value, "q": "buurt"})
        assert r.status_code < 500, (path, value, r.status_code)
        assert "syntax error" not in r.get_data(as_text=True).lower()
    assert _Recorder.hits == []


@pytest.mark.parametrize("text, plain", [
    ("https://w3id.org/sociale-basis/id/programma/gala", True),
    ("https://w3id.org/x> } SERVICE <http://h/> { ?s ?p ?o } #", False),
    ("https://w3id.org/x y", False),
    ("https://w3id.org/x\ny", False),
    ("no-scheme", False),
    ("", False),
])
def test_only_plain_iris_go_into_query_text(text, plain):
    assert is_plain_iri(text) is plain


@pytest.mark.parametrize("path", ["/programmas.xyz", "/begrippen.ttl", "/dataset/anything/at/all"])
def test_unknown_variants_are_404(client, path):
    assert client.get(path).status_code == 404
