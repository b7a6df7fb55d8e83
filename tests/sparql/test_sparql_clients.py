"""Real clients against the running server: SPARQLWrapper, rdflib's SPARQLStore and curl; axe on the
gallery and saved-query pages (the editor's browser tests are in test_editor_browser.py)."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from tests.browse.test_a11y_browse import serious_violations
from tests.conftest import LiveServer, screenshot
from tests.sparql.test_sparql_support import canon_rows

SELECT = """PREFIX sb: <https://w3id.org/sociale-basis/def/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?p ?label WHERE { ?p a/rdfs:subClassOf* sb:Programme ; rdfs:label ?label } ORDER BY ?p ?label"""
CONSTRUCT = """PREFIX sb: <https://w3id.org/sociale-basis/def/>
CONSTRUCT { ?p sb:responsibleMinistry ?m } WHERE { ?p sb:responsibleMinistry ?m }"""
pytestmark = pytest.mark.slow


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_select(live_server: LiveServer, store, method: str, fmt: str) -> None:
    from SPARQLWrapper import CSV, GET, JSON, POST, TSV, XML, SPARQLWrapper

    client = SPARQLWrapper(live_server.url + "/sparql")
    client.setMethod(GET if method == "GET" else POST)
    client.setReturnFormat({"json": JSON, "xml": XML, "csv": CSV, "tsv": TSV}[fmt])
    client.setQuery(SELECT)
    result = client.query()
    expected = store.select(SELECT)
    if fmt == "json":
        rows = result.convert()["results"]["bindings"]
        assert sorted((r["p"]["value"], r["label"]["value"], r["label"].get("xml:lang")) for r in rows) == sorted(
            (str(r["p"]), str(r["label"]), r["label"].language) for r in expected
        )
    elif fmt == "xml":
        document = result.convert()
        assert len(document.getElementsByTagName("result")) == len(expected)
    else:
        text = result.convert().decode("utf-8")
        assert len(text.strip().splitlines()) == len(expected) + 1


def test_sparqlwrapper_ask_construct_and_errors(live_server: LiveServer, store) -> None:
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    client = SPARQLWrapper(live_server.url + "/sparql")
    client.setReturnFormat(JSON)
    client.setQuery("ASK { ?s a <https://w3id.org/sociale-basis/def/Agreement> }")
    assert client.query().convert()["boolean"] is True
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    served = Graph().parse(data=client.query().convert(), format="turtle")
    assert isomorphic(served, store.construct(CONSTRUCT))
    client.setReturnFormat(JSON)
    client.setQuery("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    with pytest.raises(QueryBadFormed) as info:
        client.query()
    assert "SERVICE" in str(info.value)


def test_rdflib_sparqlstore(live_server: LiveServer, store) -> None:
    remote = SPARQLStore(live_server.url + "/sparql", returnFormat="json")
    graph = Graph(store=remote)
    rows = [{"p": r.p, "label": r.label} for r in graph.query(SELECT)]
    assert canon_rows(rows) == canon_rows(store.select(SELECT))
    assert bool(graph.query("ASK { ?s ?p ?o }").askAnswer) is True
    alfa = URIRef("https://w3id.org/sociale-basis/id/programma/alfa")
    labels = set(graph.objects(alfa, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
    assert {str(label) for label in labels} == {"Alfa-akkoord", "Alpha Agreement"}
    assert len(remote) == store.triple_count()
    remote.close()


@pytest.mark.browser
@pytest.mark.parametrize("path, name", [
    ("/queries/", "gallery"), ("/queries/programmas-per-pijler", "saved-query"), ("/data/", "downloads"),
    ("/queries/bronnen-over-plaats?lang=en", "saved-query-en"),
])
def test_pages_have_no_serious_accessibility_violations(axe_page, live_server: LiveServer, path: str, name: str) -> None:
    import json

    axe_page.goto(live_server.url + path)
    found = serious_violations(axe_page)
    screenshot(axe_page, f"sparql-axe-{name}")
    assert not found, json.dumps(found, indent=1)


@pytest.mark.parametrize("return_format", ["json", "xml"])
def test_rdflib_sparqlstore_select_ask_and_construct(live_server: LiveServer, store, return_format: str) -> None:
    """rdflib's SPARQLStore sends its results type for every query, CONSTRUCT included (docs/sparql.md's example)."""
    remote = SPARQLStore(live_server.url + "/sparql", returnFormat=return_format)
    graph = Graph(store=remote)
    rows = [{"p": r.p, "label": r.label} for r in graph.query(SELECT)]
    assert canon_rows(rows) == canon_rows(store.select(SELECT))
    assert bool(graph.query("ASK { ?s a <https://w3id.org/sociale-basis/def/Agreement> }").askAnswer) is True
    constructed = graph.query(CONSTRUCT).graph
    assert constructed is not None and isomorphic(constructed, store.construct(CONSTRUCT))
    remote.close()


# Accept headers real clients send: with parameters, and the aliases other servers accept.
CURL_SELECT = [
    ("application/sparql-results+json; charset=utf-8", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("application/xml", "application/sparql-results+xml"),
    ("text/xml", "application/sparql-results+xml"),
    ("text/csv; charset=utf-8", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("text/turtle", "application/sparql-results+json"),  # a graph type for a SELECT: the results default
]
CURL_CONSTRUCT = [
    ("text/turtle;charset=utf-8", "text/turtle"),
    ("application/x-turtle", "text/turtle"),
    ("text/n3", "text/turtle"),
    ("text/plain", "application/n-triples"),
    ("application/n-triples", "application/n-triples"),
    ("application/rdf+xml", "application/rdf+xml"),
    ("application/xml", "application/rdf+xml"),
    ("application/ld+json", "application/ld+json"),
    ("application/sparql-results+json", "text/turtle"),  # rdflib's SPARQLStore: the graph default
]


def _curl(url: str, *args: str) -> tuple[int, str, str]:
    import subprocess

    out = subprocess.run(["curl", "-sS", "-o", "-", "-w", "\n%{http_code} %{content_type}", *args, url],
                         capture_output=True, text=True, timeout=60, check=True).stdout
    body, _, tail = out.rpartition("\n")
    status, _, content_type = tail.partition(" ")
    return int(status), content_type, body


@pytest.mark.parametrize("query, accept, expected", [(SELECT, a, e) for a, e in CURL_SELECT] + [(CONSTRUCT, a, e) for a, e in CURL_CONSTRUCT])
def test_curl_with_each_accept_variant(live_server: LiveServer, query: str, accept: str, expected: str) -> None:
    from urllib.parse import quote

    status, content_type, body = _curl(f"{live_server.url}/sparql?query={quote(query)}", "-H", f"Accept: {accept}")
    assert status == 200, body
    assert content_type.split(";")[0] == expected
    assert body.strip()
