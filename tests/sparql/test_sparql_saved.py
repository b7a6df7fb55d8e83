"""Example questions as saved queries: the gallery, each query as an API with .json/.csv/.tsv/.rq
twins, parameters bound as typed values (never pasted into the query), and every example giving rows
on the real shipped data."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Iterator

import pytest
from rdflib import Literal, URIRef

from graph.errors import BadRequest, ParseError
from graph.sparql.guard import tokens
from graph.sparql.saved import load_queries, parse_query_file
from tests.conftest import ROOT
from tests.sparql.test_sparql_support import canon_rows, csv_rows, own_app, parse_results, result_rows

QUERY_DIR = ROOT / "webapp" / "queries"
QUERIES = load_queries(QUERY_DIR)
NAMES = list(QUERIES)


def test_at_least_fifteen_examples_with_both_languages() -> None:
    assert len(QUERIES) >= 15
    for query in QUERIES.values():
        assert query.title_nl and query.title_en and query.title_nl != query.title_en, query.name
        assert query.description_nl.endswith(".") and query.description_en.endswith("."), query.name
        assert query.form == "SELECT"


@pytest.mark.parametrize("name", NAMES)
def test_every_prefix_is_declared(name: str) -> None:
    """The editor (YASQE) marks undeclared prefixes as errors; the endpoint would predeclare them."""
    text = QUERIES[name].editor_text()
    toks = [t for t in tokens(text) if t.kind not in ("ws", "comment")]
    declared = {toks[i + 1].text[:-1] for i, t in enumerate(toks[:-1]) if t.kind == "word" and t.text.upper() == "PREFIX"}
    used = {t.text.split(":", 1)[0] for t in toks if t.kind == "pname"}
    assert used <= declared, used - declared


def test_pillar_examples_say_they_use_editorial_pillars() -> None:
    for query in QUERIES.values():
        if "sb:editorialPillar" in query.text and "sb:addressesPillar" not in query.text:
            assert "redactionele" in query.description_nl and "editorial" in query.description_en, query.name


def test_gallery(client) -> None:
    page = client.get("/queries/")
    assert page.status_code == 200
    text = html.unescape(page.get_data(as_text=True))
    for query in QUERIES.values():
        assert query.title_nl in text
        assert f"/query?voorbeeld={query.name}" in text
    listing = client.get("/queries.json").get_json()["queries"]
    assert [q["name"] for q in listing] == NAMES
    assert listing[0]["links"]["csv"] == f"/queries/{NAMES[0]}.csv"
    assert client.get("/queries/", headers={"Accept": "application/json"}).get_json()["queries"] == listing
    assert client.get("/queries").status_code == 308


@pytest.mark.parametrize("name", NAMES)
def test_each_example_as_an_api(client, store, name: str) -> None:
    query = QUERIES[name]
    expected = canon_rows(store.select(query.text, {k: _rdflib(v) for k, v in query.values({}).items()}))
    response = client.get(f"/queries/{name}.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    result = parse_results(response.data, "json")
    assert canon_rows(result_rows(result)) == expected
    variables = [str(v) for v in result.vars]
    as_csv = client.get(f"/queries/{name}.csv")
    assert as_csv.mimetype == "text/csv"
    header, rows = csv_rows(as_csv.data)
    assert header == variables and len(rows) == len(expected)
    as_tsv = client.get(f"/queries/{name}.tsv")
    assert canon_rows(result_rows(parse_results(as_tsv.data, "tsv"))) == expected
    page = client.get(f"/queries/{name}")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert query.title_nl in html.unescape(page.get_data(as_text=True))
    assert client.get(f"/queries/{name}.rq").get_data(as_text=True) == query.text
    negotiated = client.get(f"/queries/{name}", headers={"Accept": "text/csv"})
    assert negotiated.mimetype == "text/csv"


@pytest.mark.parametrize("name", NAMES)
def test_the_editor_version_gives_the_same_rows(client, name: str) -> None:
    """What opens in the editor (values written as VALUES) answers like the API (values bound)."""
    query = QUERIES[name]
    api = canon_rows(result_rows(parse_results(client.get(f"/queries/{name}.json").data, "json")))
    editor = client.post("/sparql", data={"query": query.editor_text()}, headers={"Accept": "application/sparql-results+json"})
    assert editor.status_code == 200, editor.data
    assert canon_rows(result_rows(parse_results(editor.data, "json"))) == api
    page = client.get("/query", query_string={"voorbeeld": name})
    assert page.status_code == 200
    config = _config(page.get_data(as_text=True))
    assert config["query"] == query.editor_text()


def _config(text: str) -> dict:
    marker = '<script type="application/json" id="sparql-config">'
    start = text.index(marker) + len(marker)
    return json.loads(text[start : text.index("</script>", start)])


def _rdflib(term) -> URIRef | Literal:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


# -- parameters ------------------------------------------------------------------------------------
def test_parameters_change_the_answer(client) -> None:
    cohesion = client.get("/queries/programmas-per-pijler.json").get_json()["results"]["bindings"]
    inclusion = client.get("/queries/programmas-per-pijler.json?pillar=sociale-inclusie").get_json()["results"]["bindings"]
    assert {r["pillar"]["value"] for r in cohesion} == {"https://w3id.org/sociale-basis/id/begrip/sociale-cohesie"}
    assert {r["pillar"]["value"] for r in inclusion} == {"https://w3id.org/sociale-basis/id/begrip/sociale-inclusie"}
    assert {r["programme"]["value"] for r in inclusion} == {"https://w3id.org/sociale-basis/id/programma/een-tegen-eenzaamheid"}
    for spelling in ("con:sociale-inclusie", "https://w3id.org/sociale-basis/id/begrip/sociale-inclusie"):
        same = client.get("/queries/programmas-per-pijler.json", query_string={"pillar": spelling}).get_json()
        assert same["results"]["bindings"] == inclusion


@pytest.mark.parametrize(
    "value",
    [
        "sociale-cohesie> } SERVICE <http://127.0.0.1:9/> { }",
        "sociale-cohesie } ; DROP ALL",
        "https://example.org/x",
        "prog:gala",
        "Sociale Cohesie",
        "",
    ],
)
def test_bad_parameter_values_are_refused(client, value: str) -> None:
    response = client.get("/queries/programmas-per-pijler.json", query_string={"pillar": value}, headers={"Accept": "application/json"})
    if value == "":
        assert response.status_code == 200  # empty means: the default
        return
    assert response.status_code == 400
    assert "pillar" in response.get_json()["error"]


def test_unknown_parameters_are_refused(client) -> None:
    response = client.get("/queries/programmas-per-pijler.json?pilar=sociale-cohesie")
    assert response.status_code == 400
    assert "pillar" in response.get_json()["error"]
    assert client.get("/queries/programmas-per-pijler.json?lang=en").status_code == 200


def test_text_parameters_are_values_not_query_text(client) -> None:
    word = 'eenzaam" ) } SERVICE <http://127.0.0.1:9/> { } # '
    response = client.get("/queries/zoek-een-woord.json", query_string={"word": word})
    assert response.status_code == 200
    rows = response.get_json()["results"]["bindings"]
    assert rows == []  # no thing contains that text; the text did not change the query
    found = client.get("/queries/zoek-een-woord.json", query_string={"word": "EENZAAM"}).get_json()["results"]["bindings"]
    assert found and all(r["word"]["value"] == "EENZAAM" for r in found)
    assert client.get("/queries/zoek-een-woord.json", query_string={"word": "x" * 201}).status_code == 400


def test_unknown_query_is_404(client) -> None:
    assert client.get("/queries/bestaat-niet").status_code == 404
    assert client.get("/queries/bestaat-niet.json").status_code == 404


def test_results_page_links_to_our_pages_with_labels(client) -> None:
    page = client.get("/queries/programmas-per-pijler").get_data(as_text=True)
    assert 'href="/id/programma/alfa"' in page
    assert ">Alfa-akkoord</a>" in page
    assert "/query?voorbeeld=programmas-per-pijler" in page


def test_results_page_escapes_data(client) -> None:
    page = client.get("/queries/zoek-een-woord", query_string={"word": "onerror"}).get_data(as_text=True)
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


# -- the file format ------------------------------------------------------------------------------
def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "#+ title_nl: T\n#+ title_en: T en\n#+ description_nl: D.\n#+ description_en: D en.\n"


def test_query_files_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="lacks"):
        parse_query_file(_write(tmp_path, "a.rq", "#+ title_nl: x\nSELECT * WHERE { ?s ?p ?o }"))
    with pytest.raises(ParseError, match="public checks"):
        parse_query_file(_write(tmp_path, "b.rq", HEADER + "SELECT * WHERE { SERVICE <http://x/> { } }"))
    with pytest.raises(ParseError, match="projected"):
        parse_query_file(_write(tmp_path, "c.rq", HEADER + "#+ param: p | type: begrip | default: x\nSELECT ?s WHERE { ?s ?q ?p }"))
    with pytest.raises(ParseError, match="type"):
        parse_query_file(_write(tmp_path, "d.rq", HEADER + "#+ param: p | type: thing | default: x\nSELECT ?p WHERE { ?s ?q ?p }"))
    with pytest.raises(ParseError, match="default"):
        parse_query_file(_write(tmp_path, "e.rq", HEADER + "#+ param: p | type: begrip | default: Not A Slug\nSELECT ?p WHERE { ?s ?q ?p }"))
    with pytest.raises(ParseError, match="lowercase"):
        parse_query_file(_write(tmp_path, "Bad_Name.rq", HEADER + "SELECT * WHERE { ?s ?p ?o }"))
    ok = parse_query_file(_write(tmp_path, "ok.rq", HEADER + "#+ param: n | type: integer | default: 3\n# a comment\nSELECT ?n WHERE { ?s ?p ?n }"))
    assert ok.text.startswith("# a comment")
    assert ok.substitutions({"n": "42"}) == (("n", '"42"^^<http://www.w3.org/2001/XMLSchema#integer>'),)
    with pytest.raises(BadRequest):
        ok.substitutions({"n": "4 2"})


# -- the real, shipped data -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def shipped_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    with own_app(tmp_path_factory.mktemp("shipped"), SOURCE_DATA_PATH=str(ROOT / "data")) as app:
        yield app.test_client()


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_every_example_has_rows_on_the_shipped_data(shipped_client, name: str) -> None:
    response = shipped_client.get(f"/queries/{name}.json")
    assert response.status_code == 200, response.data
    rows = response.get_json()["results"]["bindings"]
    assert rows, f"{name} gives no rows on the shipped data"
    page = shipped_client.get(f"/queries/{name}")
    assert page.status_code == 200
