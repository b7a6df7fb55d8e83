"""The SPARQL 1.1 Protocol at /sparql: every request form, every result format (parsed and compared
with the store's own answer), content negotiation, CORS, HEAD, the Service Description, and the
protocol's error cases."""

from __future__ import annotations

import json
import re

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from tests.sparql.test_sparql_support import (
    GRAPH_TYPES,
    RESULT_TYPES,
    canon_rows,
    csv_rows,
    own_app,
    parse_results,
    plain,
    result_rows,
)

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SRC = "https://w3id.org/sociale-basis/id/bron/"
SELECT = """SELECT ?s ?label ?type WHERE {
  ?s rdfs:label ?label .
  OPTIONAL { ?s a ?type FILTER(STRSTARTS(STR(?type), STR(sb:))) }
  FILTER(STRSTARTS(STR(?s), "https://w3id.org/sociale-basis/id/"))
} ORDER BY ?s ?label"""
CONSTRUCT = """CONSTRUCT { ?p sb:responsibleMinistry ?m ; rdfs:label ?l ; sb:figure [ sb:n 1 ] }
WHERE { ?p sb:responsibleMinistry ?m ; rdfs:label ?l }"""
ASK_TRUE = "ASK { ?s a sb:Agreement }"
ASK_FALSE = "ASK { ?s a sb:DoesNotExist }"


def get(client, query: str, accept: str | None = None, **params: str):
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql", query_string={"query": query, **params}, headers=headers)


def expected_rows(store, query: str):
    return canon_rows(store.select(query))


# -- results, in every format, equal to the store's answer ------------------------------------------
@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_select_results_by_accept(client, store, fmt: str) -> None:
    response = get(client, SELECT, RESULT_TYPES[fmt])
    assert response.status_code == 200, response.data
    assert response.mimetype == RESULT_TYPES[fmt]
    assert "Accept" in {name.strip() for header in response.headers.get_all("Vary") for name in header.split(",")}
    result = parse_results(response.data, fmt)
    assert [str(v) for v in result.vars] == ["s", "label", "type"]
    rows = result_rows(result)
    assert len(rows) > 20
    assert canon_rows(rows) == expected_rows(store, SELECT)


def test_select_csv_matches_the_store(client, store) -> None:
    response = get(client, SELECT, "text/csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    header, rows = csv_rows(response.data)
    assert header == ["s", "label", "type"]
    expected = sorted([plain(r.get("s")), plain(r.get("label")), plain(r.get("type"))] for r in store.select(SELECT))
    assert sorted(rows) == expected


@pytest.mark.parametrize(
    "param, fmt", [("json", "json"), ("xml", "xml"), ("tsv", "tsv"), ("srj", "json"), ("application/sparql-results+xml", "xml")]
)
def test_format_parameter_overrides_accept(client, store, param: str, fmt: str) -> None:
    response = get(client, SELECT, "text/html", format=param)
    assert response.status_code == 200
    assert response.mimetype == RESULT_TYPES[fmt]
    assert canon_rows(result_rows(parse_results(response.data, fmt))) == expected_rows(store, SELECT)


def test_format_csv_link(client, store) -> None:
    response = get(client, SELECT, None, format="csv")
    assert response.mimetype == "text/csv"
    assert len(csv_rows(response.data)[1]) == len(store.select(SELECT))


def test_default_format_is_json(client, store) -> None:
    for accept in (None, "*/*", "application/json"):
        response = get(client, SELECT, accept)
        assert response.status_code == 200
        assert response.mimetype == "application/sparql-results+json"
        assert canon_rows(result_rows(parse_results(response.data, "json"))) == expected_rows(store, SELECT)


def test_post_form_encoded(client, store) -> None:
    response = client.post("/sparql", data={"query": SELECT}, headers={"Accept": RESULT_TYPES["xml"]})
    assert response.status_code == 200
    assert canon_rows(result_rows(parse_results(response.data, "xml"))) == expected_rows(store, SELECT)


def test_post_sparql_query_body(client, store) -> None:
    response = client.post(
        "/sparql",
        data=SELECT.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query; charset=utf-8", "Accept": RESULT_TYPES["tsv"]},
    )
    assert response.status_code == 200
    assert canon_rows(result_rows(parse_results(response.data, "tsv"))) == expected_rows(store, SELECT)


def test_special_characters_survive_every_format(client) -> None:
    query = """SELECT ?v WHERE { VALUES ?v { "a \\"quoted\\", comma\\nnew line\\ttab é ✓"@nl "<b>&amp;</b>"
                 42 "2023-06-26"^^xsd:date <https://w3id.org/sociale-basis/id/programma/alfa> } }"""
    parsed = {}
    for fmt in ("json", "xml", "tsv"):
        response = get(client, query, RESULT_TYPES[fmt])
        assert response.status_code == 200, response.data
        parsed[fmt] = canon_rows(result_rows(parse_results(response.data, fmt)))
    assert parsed["json"] == parsed["xml"] == parsed["tsv"]
    assert len(parsed["json"]) == 5
    header, rows = csv_rows(get(client, query, "text/csv").data)
    assert ['a "quoted", comma\nnew line\ttab é ✓'] in rows and ["<b>&amp;</b>"] in rows


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_ask_results(client, fmt: str) -> None:
    for query, answer in ((ASK_TRUE, True), (ASK_FALSE, False)):
        response = get(client, query, RESULT_TYPES[fmt])
        assert response.status_code == 200
        assert response.mimetype == RESULT_TYPES[fmt]
        result = parse_results(response.data, fmt)
        assert result.type == "ASK" and result.askAnswer is answer


def test_ask_has_no_csv(client) -> None:
    response = get(client, ASK_TRUE, "text/csv")
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.get_data(as_text=True)


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld", "xml"])
def test_construct_results(client, store, fmt: str) -> None:
    response = get(client, CONSTRUCT, GRAPH_TYPES[fmt])
    assert response.status_code == 200, response.data
    assert response.mimetype == GRAPH_TYPES[fmt]
    served = Graph().parse(data=response.data, format=fmt)
    expected = store.construct(CONSTRUCT)
    assert len(served) > 5
    assert isomorphic(served, expected)


def test_construct_format_parameter_and_default(client, store) -> None:
    for params, mimetype, fmt in (
        ({}, "text/turtle", "turtle"),
        ({"format": "json"}, "application/ld+json", "json-ld"),
        ({"format": "xml"}, "application/rdf+xml", "xml"),
        ({"format": "nt"}, "application/n-triples", "nt"),
    ):
        response = get(client, CONSTRUCT, None, **params)
        assert response.mimetype == mimetype
        assert isomorphic(Graph().parse(data=response.data, format=fmt), store.construct(CONSTRUCT))


def test_describe(client) -> None:
    response = get(client, "DESCRIBE prog:alfa", "text/turtle")
    assert response.status_code == 200
    graph = Graph().parse(data=response.data, format="turtle")
    alfa = URIRef("https://w3id.org/sociale-basis/id/programma/alfa")
    assert (alfa, RDF.type, URIRef("https://w3id.org/sociale-basis/def/Agreement")) in graph


def test_406_for_what_cannot_be_served(client) -> None:
    for query, accept in ((SELECT, "image/png"), (CONSTRUCT, "image/png"), (ASK_TRUE, "text/csv")):
        response = get(client, query, accept)
        assert response.status_code == 406, (query, accept)
        assert "Accept" in response.headers["Vary"]
    assert get(client, SELECT, None, format="turtle").status_code == 406  # an explicit format= is taken at its word


def test_a_client_asking_the_other_kind_of_result_gets_this_kinds_default(client) -> None:
    """rdflib's SPARQLStore sends a results type for a CONSTRUCT: Fuseki and Oxigraph answer Turtle."""
    response = get(client, CONSTRUCT, "application/sparql-results+json")
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    response = get(client, SELECT, "text/turtle")
    assert response.status_code == 200 and response.mimetype == "application/sparql-results+json"


def test_cors_on_get_post_and_preflight(client) -> None:
    origin = {"Origin": "https://example.org"}
    response = client.get("/sparql", query_string={"query": ASK_TRUE}, headers=origin)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    response = client.post("/sparql", data={"query": ASK_TRUE}, headers=origin)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/sparql",
        headers={**origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "content-type" in preflight.headers["Access-Control-Allow-Headers"].lower()
    # errors carry CORS too, so a browser client can read the message
    error = client.get("/sparql", query_string={"query": "SELECT nonsense"}, headers=origin)
    assert error.status_code == 400 and error.headers["Access-Control-Allow-Origin"] == "*"


def test_head(client) -> None:
    response = client.head("/sparql", query_string={"query": SELECT}, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data == b""
    assert client.head("/sparql", headers={"Accept": "text/turtle"}).status_code == 200


# -- service description ------------------------------------------------------------------------
@pytest.mark.parametrize("accept, fmt", [
    ("text/turtle", "turtle"), (None, "turtle"), ("*/*", "turtle"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
])
def test_service_description(client, store, accept: str | None, fmt: str) -> None:
    response = client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    graph = Graph().parse(data=response.data, format=fmt)
    service = next(graph.subjects(RDF.type, SD.Service))
    assert str(service).endswith("/sparql")
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    formats = {str(f) for f in graph.objects(service, SD.resultFormat)}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats and "http://www.w3.org/ns/formats/Turtle" in formats
    names = {str(n) for n in graph.objects(None, SD.name)}
    assert {str(g) for g in store.graph_names()} == names


def test_browsers_get_the_editor(client) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = client.get("/sparql", headers={"Accept": browser})
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "yasgui.min.js" in page.get_data(as_text=True)
    shared = client.get("/sparql", query_string={"query": ASK_TRUE}, headers={"Accept": browser})
    assert shared.mimetype == "text/html"
    config = _config(shared.get_data(as_text=True))
    assert config["query"] == ASK_TRUE
    assert client.get("/query", query_string={"query": ASK_TRUE}).mimetype == "text/html"


def _config(html: str) -> dict:
    tag = '<script type="application/json" id="sparql-config">'
    start = html.index(tag) + len(tag)
    return json.loads(html[start : html.index("</script>", start)])


def test_editor_page_is_safe(client) -> None:
    nasty = 'SELECT * WHERE { ?s ?p "</script><script>alert(1)</script>" }'
    page = client.get("/query", query_string={"query": nasty})
    html = page.get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert _config(html)["query"] == nasty
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    # one JSON data block (the editor's configuration); every other script is a file of its own
    heads = [tag.split(">", 1)[0] for tag in html.split("<script")[1:]]
    data = [head for head in heads if 'type="application/json"' in head]
    assert data == [' type="application/json" id="sparql-config"']
    assert all("src=" in head for head in heads if head not in data)
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), "inline event handler"


def test_editor_config_is_offline(client) -> None:
    config = _config(client.get("/query").get_data(as_text=True))
    assert config["endpoint"] == "/sparql"
    # everything the editor asks is on this site: completion, labels, the municipalities and their map
    for key in ("complete", "labels", "municipalities", "topology"):
        assert config[key].startswith("/") and not config[key].startswith("//"), key
    assert config["prefixes"]["sb"] == "https://w3id.org/sociale-basis/def/"
    assert "SELECT" in config["query"]


# -- the protocol's error cases -------------------------------------------------------------------
def test_two_query_parameters(client) -> None:
    response = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "2 'query' parameters" in response.get_json()["error"]
    response = client.post("/sparql?query=ASK%7B%7D", data={"query": "ASK {}"})
    assert response.status_code == 400
    response = client.post("/sparql?query=ASK%7B%7D", data=b"ASK {}", headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", "multipart/form-data; boundary=x", None])
def test_wrong_content_type(client, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/sparql", data=b"ASK {}", headers=headers)
    assert response.status_code == 400
    assert "application/sparql-query" in response.get_data(as_text=True)


def test_syntax_error_says_what_is_wrong(client) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"}, headers={"Accept": "application/json"})
    assert response.status_code == 400
    message = response.get_json()["error"]
    assert "syntax error" in message.lower()


def test_non_utf8_body(client) -> None:
    response = client.post(
        "/sparql", data="ASK { ?s ?p 'é' }".encode("latin-1"), headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 400
    assert "UTF-8" in response.get_data(as_text=True)


def test_missing_query(client) -> None:
    assert client.get("/sparql", query_string={"format": "json"}).status_code == 400
    assert client.get("/sparql", headers={"Accept": "application/sparql-results+json"}).status_code == 400
    assert client.get("/sparql", query_string={"query": ASK_TRUE, "format": "pdf"}).status_code == 400


def test_unknown_methods(client) -> None:
    assert client.put("/sparql", data=b"ASK {}").status_code == 405
    assert client.delete("/sparql").status_code == 405


# -- datasets ---------------------------------------------------------------------------------------
def test_default_and_named_graph_uri(client, store) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    only_b = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{SRC}toets-b> {{ ?s ?p ?o }} }}"
    response = get(client, query, RESULT_TYPES["json"], **{"default-graph-uri": SRC + "toets-b"})
    assert response.status_code == 200
    assert canon_rows(result_rows(parse_results(response.data, "json"))) == expected_rows(store, only_b)
    named = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    response = client.post("/sparql", data={"query": named, "named-graph-uri": [SRC + "toets-a", SRC + "toets-b"]})
    graphs = {str(r["g"]) for r in result_rows(parse_results(response.data, "json"))}
    assert graphs == {SRC + "toets-a", SRC + "toets-b"}
    response = client.post(
        "/sparql?named-graph-uri=" + SRC + "toets-b", data=named.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert {str(r["g"]) for r in result_rows(parse_results(response.data, "json"))} == {SRC + "toets-b"}


def test_protocol_dataset_overrides_from(client, store) -> None:
    query = f"SELECT ?s ?p ?o FROM <{SRC}toets-a> WHERE {{ ?s ?p ?o }}"
    response = get(client, query, RESULT_TYPES["json"], **{"default-graph-uri": SRC + "toets-b"})
    only_b = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{SRC}toets-b> {{ ?s ?p ?o }} }}"
    assert canon_rows(result_rows(parse_results(response.data, "json"))) == expected_rows(store, only_b)


def test_from_and_from_named_with_own_graphs(client, store) -> None:
    response = get(client, "SELECT ?s ?p ?o FROM src:toets-b WHERE { ?s ?p ?o }", RESULT_TYPES["json"])
    only_b = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{SRC}toets-b> {{ ?s ?p ?o }} }}"
    assert canon_rows(result_rows(parse_results(response.data, "json"))) == expected_rows(store, only_b)
    response = get(client, "SELECT DISTINCT ?g FROM NAMED src:toets-a WHERE { GRAPH ?g { ?s ?p ?o } }", RESULT_TYPES["json"])
    assert [str(r["g"]) for r in result_rows(parse_results(response.data, "json"))] == [SRC + "toets-a"]


@pytest.mark.parametrize("parameter", ["default-graph-uri", "named-graph-uri"])
def test_foreign_graph_parameters_are_refused(client, parameter: str) -> None:
    response = get(client, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "application/json", **{parameter: "http://127.0.0.1:9/data"})
    assert response.status_code == 400
    assert "own graphs" in response.get_json()["error"]


def test_union_default_graph_counts_each_triple_once(client, store) -> None:
    """alfa sb:signatory vng is stated by two sources: once in the default graph, twice with GRAPH."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { prog:alfa sb:signatory orgn:vng }"
    per_graph = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { prog:alfa sb:signatory orgn:vng } }"
    rows = result_rows(parse_results(get(client, query).data, "json"))
    assert int(rows[0]["n"]) == 1
    rows = result_rows(parse_results(get(client, per_graph).data, "json"))
    assert int(rows[0]["n"]) == 2


# -- limits -----------------------------------------------------------------------------------------
def test_query_length_limit(client, app) -> None:
    limit = app.config["MAX_QUERY_LENGTH"]
    query = "ASK { ?s ?p ?o } #" + "x" * limit
    response = client.post("/sparql", data={"query": query}, headers={"Accept": "application/json"})
    assert response.status_code == 413
    assert "limit" in response.get_json()["error"]


def test_row_cap_is_an_explicit_error(tmp_path) -> None:
    with own_app(tmp_path, MAX_RESULT_ROWS=5) as app:
        client = app.test_client()
        response = client.get(
            "/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "application/json"}
        )
        assert response.status_code == 422
        message = response.get_json()["error"]
        assert "more than 5 rows" in message and "LIMIT" in message
        exact = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
        assert exact.status_code == 200
        assert len(result_rows(parse_results(exact.data, "json"))) == 5
        graph = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
        assert graph.status_code == 422 and b"triples" in graph.data
        csv_response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }", "format": "csv"})
        assert csv_response.status_code == 422


def test_labels_for_the_editor(client) -> None:
    response = client.post(
        "/sparql/labels.json",
        data={"iri": ["https://w3id.org/sociale-basis/id/programma/alfa", "http://example.org/x"], "lang": "en"},
    )
    assert response.status_code == 200
    assert response.get_json()["labels"] == {"https://w3id.org/sociale-basis/id/programma/alfa": "Alpha Agreement"}
    too_many = client.post("/sparql/labels.json", data={"iri": [f"https://w3id.org/sociale-basis/id/x/{i}" for i in range(501)]})
    assert too_many.status_code == 400


def test_only_named_graphs_make_the_default_graph_empty(client):
    """SPARQL 1.1 Protocol 2.1.4 / Query 13.2: FROM NAMED without FROM leaves the default graph empty."""
    src = "https://w3id.org/sociale-basis/id/bron/toets-a"
    r = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "named-graph-uri": src},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.json["results"]["bindings"][0]["n"]["value"] == "0"
    r = client.get("/sparql",
                   query_string={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": src},
                   headers={"Accept": "application/sparql-results+json"})
    assert int(r.json["results"]["bindings"][0]["n"]["value"]) > 100
