"""The W3C SPARQL 1.1 Protocol tests (sparql11/protocol/manifest.ttl), as parametrised tests on a real
server: an app made with `create_app({...})` whose data folder holds the graphs the tests name
(tests/fixtures/w3c-protocol), served by waitress on 127.0.0.1.

The requests and expected answers are those of the manifest's entries (the W3C suite states them in
prose and HTTP terms; they are written out here). Every `query_*` test passes as the W3C states it.
Every `update_*` and `bad_update_*` request is refused with 400 (the endpoint is read-only), and
every `bad_query_*` request gets a 4xx with a message. The manifest names the tests; the test
`test_the_manifest_names_no_other_tests` keeps this file and the suite's list in step.
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

import pytest
from rdflib import Graph

from tests.conftest import ROOT, LiveServer, make_settings
from tests.sparql.w3c import suite_dir

pytestmark = pytest.mark.slow

DATA = "http://kasei.us/2009/09/sparql/data/"
D0, D1, D2, D3 = (f"{DATA}data{n}.rdf" for n in range(4))
RESULTS = ("application/sparql-results+xml", "application/sparql-results+json", "text/csv", "text/tab-separated-values")
RDF = ("application/rdf+xml", "text/turtle", "application/n-triples", "application/ld+json")
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"


def q(**params: str | Sequence[str]) -> str:
    """A query string with repeated parameters, encoded as the manifest's requests are."""
    return urllib.parse.urlencode(params, doseq=True, quote_via=urllib.parse.quote)


@dataclass
class Case:
    """One request of the manifest and what its answer must be."""

    method: str
    path: str
    body: bytes | None = None
    content_type: str | None = None
    boolean: bool | None = None  # the expected ASK answer
    kind: str | None = None  # "boolean", "tabular" or "RDF": the kind of media type expected
    headers: dict[str, str] = field(default_factory=dict)


ASK_1_2 = f"ASK {{ <{D1}> a ?type . <{D2}> a ?type . }}"
ASK_NAMED = f"ASK {{ GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}"
ASK_FULL = f"ASK {{\n  <{D3}> a ?type\n  GRAPH ?g1 {{ <{D1}> a ?type }}\n  GRAPH ?g2 {{ <{D2}> a ?type }}\n}}"
QUERY_TESTS: dict[str, Case] = {
    "query_post_form": Case("POST", "/sparql/?" + q(**{"default-graph-uri": D0}), b"query=ASK%20%7B%7D", FORM, True, "boolean"),
    "query_dataset_default_graphs_get": Case(
        "GET", "/sparql/?" + q(query=ASK_1_2, **{"default-graph-uri": [D1, D2]}), boolean=True, kind="boolean"),
    "query_dataset_default_graphs_post": Case(
        "POST", "/sparql/?" + q(**{"default-graph-uri": [D1, D2]}), ASK_1_2.encode(), DIRECT, True, "boolean"),
    "query_dataset_named_graphs_post": Case(
        "POST", "/sparql/?" + q(**{"named-graph-uri": [D1, D2]}), ASK_NAMED.encode(), DIRECT, True, "boolean"),
    "query_dataset_named_graphs_get": Case(
        "GET", "/sparql/?" + q(query=ASK_NAMED, **{"named-graph-uri": [D1, D2]}), boolean=True, kind="boolean"),
    "query_dataset_full": Case(
        "POST", "/sparql/?" + q(**{"default-graph-uri": D3, "named-graph-uri": [D1, D2]}), ASK_FULL.encode(), DIRECT,
        True, "boolean"),
    # The manifest's request encodes '&named-graph-uri=' inside the first value (%26, %3D); the test
    # means two named graphs, as its name and its expected answer say. The literal request is below.
    "query_multiple_dataset": Case(
        "POST", "/sparql/?" + q(**{"named-graph-uri": [D1, D2]}),
        f"ASK FROM <{D3}> {{ GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}".encode(), DIRECT,
        True, "boolean"),
    "query_get": Case("GET", "/sparql/?" + q(query="ASK {}", **{"default-graph-uri": D0}), boolean=True, kind="boolean"),
    "query_content_type_select": Case(
        "POST", "/sparql/?" + q(**{"default-graph-uri": D0}), b"SELECT (1 AS ?value) {}", DIRECT, kind="tabular"),
    "query_content_type_ask": Case("POST", "/sparql/?" + q(**{"default-graph-uri": D0}), b"ASK {}", DIRECT, kind="boolean"),
    "query_content_type_describe": Case(
        "POST", "/sparql/?" + q(**{"default-graph-uri": D0}), b"DESCRIBE <http://example.org/>", DIRECT, kind="RDF"),
    "query_content_type_construct": Case(
        "POST", "/sparql/?" + q(**{"default-graph-uri": D0}), b"CONSTRUCT { <s> <p> 1 } WHERE {}", DIRECT, kind="RDF"),
    "query_post_direct": Case("POST", "/sparql/?" + q(**{"default-graph-uri": D0}), b"ASK {}", DIRECT, True, "boolean"),
}

INSERT = (f"PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\nCLEAR ALL ;\n"
          f"INSERT DATA {{ GRAPH <{D1}> {{ <{D1}> a foaf:Document }} }} ;\n"
          "INSERT { GRAPH <http://example.org/protocol-update-dataset-test/> { ?s a dc:BibliographicResource } }\n"
          "WHERE { ?s a foaf:Document }")
CLEAR = "CLEAR NAMED"
# Every update request of the manifest, as sent: all must be refused with 400 and change nothing.
UPDATE_TESTS: dict[str, Case] = {
    "update_dataset_default_graph": Case("POST", "/sparql/?" + q(**{"using-graph-uri": D1}), INSERT.encode(), UPDATE),
    "update_dataset_default_graphs": Case("POST", "/sparql/?" + q(**{"using-graph-uri": [D1, D2]}), INSERT.encode(), UPDATE),
    "update_dataset_named_graphs": Case("POST", "/sparql/?" + q(**{"using-named-graph-uri": [D1, D2]}), INSERT.encode(), UPDATE),
    "update_dataset_full": Case(
        "POST", "/sparql/?" + q(**{"using-graph-uri": D1, "using-named-graph-uri": D2}), INSERT.encode(), UPDATE),
    "update_post_form": Case("POST", "/sparql/", ("update=" + urllib.parse.quote(CLEAR)).encode(), FORM),
    "update_post_direct": Case("POST", "/sparql/", CLEAR.encode(), UPDATE),
    "update_base_uri": Case(
        "POST", "/sparql/", b"CLEAR ALL ; INSERT DATA { GRAPH <http://example.org/protocol-base-test/> { <http://example.org/s> "
        b"<http://example.org/p> <test> } }", UPDATE),
    "bad_update_get": Case("GET", "/sparql/?" + q(update=CLEAR)),
    "bad_multiple_updates": Case("POST", "/sparql/", ("update=" + urllib.parse.quote(CLEAR) + "&update="
                                                      + urllib.parse.quote("CLEAR DEFAULT")).encode(), FORM),
    "bad_update_wrong_media_type": Case("POST", "/sparql/", CLEAR.encode(), "text/plain"),
    "bad_update_missing_form_type": Case("POST", "/sparql/", ("update=" + urllib.parse.quote(CLEAR)).encode()),
    "bad_update_non_utf8": Case("POST", "/sparql/", CLEAR.encode("utf-16"), UPDATE + "; charset=UTF-16"),
    "bad_update_syntax": Case("POST", "/sparql/", b"CLEAR XYZ", UPDATE),
    "bad_update_dataset_conflict": Case(
        "POST", "/sparql/?" + q(**{"using-graph-uri": D1}), b"CLEAR ALL ; INSERT { GRAPH <http://example.org/g> { ?s ?p ?o } } "
        + f"USING <{D2}> WHERE {{ ?s ?p ?o }}".encode(), UPDATE),
}
# The malformed query requests: each a 4xx with a message, never a result.
BAD_QUERY_TESTS: dict[str, Case] = {
    "bad_query_method": Case("PUT", "/sparql/?" + q(query="ASK {}")),
    "bad_multiple_queries": Case("GET", "/sparql/?" + q(query=["ASK {}", "SELECT * {}"])),
    "bad_query_wrong_media_type": Case("POST", "/sparql/", b"ASK {}", "text/plain"),
    "bad_query_missing_form_type": Case("POST", "/sparql/", b"query=ASK%20%7B%7D"),
    "bad_query_missing_direct_type": Case("POST", "/sparql/", b"ASK {}"),
    "bad_query_non_utf8": Case("POST", "/sparql/", "ASK {}".encode("utf-16"), DIRECT + "; charset=UTF-16"),
    "bad_query_syntax": Case("GET", "/sparql/?" + q(query="ASK {")),
}


@pytest.fixture(scope="module")
def protocol_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A real server of an app whose data folder holds the protocol tests' graphs (no other data)."""
    from webapp import create_app
    from webapp.state import get_store

    settings = make_settings(tmp_path_factory.mktemp("w3c-protocol"), SOURCE_DATA_PATH=str(ROOT / "tests" / "fixtures" / "w3c-protocol"))
    application = create_app(settings)
    with LiveServer(application) as server:
        yield server
    with application.app_context():
        get_store().close()


def send(server: LiveServer, case: Case) -> tuple[int, str, bytes]:
    """The request on its own connection, as the manifest writes it: (status, media type, body)."""
    host = urllib.parse.urlsplit(server.url)
    conn = http.client.HTTPConnection(host.hostname or "127.0.0.1", host.port, timeout=30)
    headers = dict(case.headers)
    if case.content_type:
        headers["Content-Type"] = case.content_type
    conn.request(case.method, case.path, body=case.body, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, (response.getheader("Content-Type") or "").split(";")[0].strip(), body


def boolean_of(media: str, body: bytes) -> bool:
    """The ASK answer in a SPARQL JSON or XML results document."""
    if media == "application/sparql-results+json":
        return bool(json.loads(body)["boolean"])
    assert media == "application/sparql-results+xml", media
    text = body.decode()
    return "<boolean>true</boolean>" in text


@pytest.mark.parametrize("name", sorted(QUERY_TESTS))
def test_protocol_query(protocol_server: LiveServer, name: str) -> None:
    """A 2xx answer in a media type of the expected kind, with the expected boolean where there is one."""
    case = QUERY_TESTS[name]
    status, media, body = send(protocol_server, case)
    assert 200 <= status < 400, (status, body[:300])
    if case.kind == "boolean":
        assert media in RESULTS[:2]
    elif case.kind == "tabular":
        assert media in RESULTS
    elif case.kind == "RDF":
        assert media in RDF
        Graph().parse(data=body, format={"text/turtle": "turtle", "application/n-triples": "nt",
                                         "application/rdf+xml": "xml", "application/ld+json": "json-ld"}[media])
    if case.boolean is not None:
        assert boolean_of(media, body) is case.boolean
    if name == "query_content_type_construct":  # the relative IRIs resolve against the service's base
        graph = Graph().parse(data=body, format="turtle")
        assert {str(s) for s in graph.subjects()} == {"https://w3id.org/sociale-basis/s"}


def test_query_multiple_dataset_as_literally_encoded(protocol_server: LiveServer) -> None:
    """The manifest's request names one graph '…data1.rdf&named-graph-uri=…data2.rdf' (one value):
    not a graph of this dataset, so it is refused with a message naming it, not run on something else."""
    weird = f"{D1}&named-graph-uri={D2}"
    case = Case("POST", "/sparql/?" + q(**{"named-graph-uri": weird}),
                f"ASK FROM <{D3}> {{ GRAPH ?g1 {{ <{D1}> a ?type }} }}".encode(), DIRECT,
                headers={"Accept": "application/sparql-results+json"})
    status, media, body = send(protocol_server, case)
    assert status == 400 and media == "application/json"
    assert "named-graph-uri" in json.loads(body)["error"]


@pytest.mark.parametrize("name", sorted(UPDATE_TESTS))
def test_protocol_update_is_refused(protocol_server: LiveServer, name: str) -> None:
    """Deliberately not as the W3C expects (2xx, then an ASK that sees the change): the endpoint is
    read-only (docs/sparql.md, Guardrails), so every update request gets 400 with a JSON message
    and the data stays as it was."""
    case = UPDATE_TESTS[name]
    case.headers.setdefault("Accept", "application/sparql-results+json")
    status, media, body = send(protocol_server, case)
    assert status == 400, (status, body[:300])
    assert media == "application/json" and json.loads(body)["error"]
    # nothing changed: the graphs are all still there, and nothing was inserted
    counting = f'SELECT (COUNT(*) AS ?n) {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{DATA}") || CONTAINS(STR(?g), "example.org")) }}'
    check = Case("GET", "/sparql/?" + q(query=counting),
                 headers={"Accept": "application/sparql-results+json"})
    _status, _media, counted = send(protocol_server, check)
    assert json.loads(counted)["results"]["bindings"][0]["n"]["value"] == "8"


@pytest.mark.parametrize("name", sorted(BAD_QUERY_TESTS))
def test_protocol_bad_query(protocol_server: LiveServer, name: str) -> None:
    """A malformed query request gets a 4xx with a message in the type asked for, as the manifest wants."""
    case = BAD_QUERY_TESTS[name]
    case.headers.setdefault("Accept", "application/sparql-results+json")
    status, media, body = send(protocol_server, case)
    assert 400 <= status < 500, (status, body[:300])
    assert media == "application/json" and json.loads(body)["error"]


def test_the_manifest_names_no_other_tests() -> None:
    """This file writes out every test of the suite's protocol manifest, and no other."""
    manifest = Graph().parse(Path(suite_dir()) / "protocol" / "manifest.ttl", format="turtle")
    names = {str(s).rsplit("#", 1)[1] for s in manifest.subjects(
        predicate=None, object=None) if "#" in str(s) and not str(s).endswith("#")}
    listed = {n for n in names if n.startswith(("query_", "update_", "bad_"))}
    ours = set(QUERY_TESTS) | set(UPDATE_TESTS) | set(BAD_QUERY_TESTS)
    assert listed == ours
    assert len(QUERY_TESTS) == 13
