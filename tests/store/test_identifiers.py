"""Identifiers and all municipalities (issue 10 part 3): the shipped files are what the generator
makes of ../shared/sources/, every municipality has one CBS code and a page, government bodies are
kept apart from the territory, merged municipalities are modelled, and a researcher joins by code or QID."""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox
import pytest

from graph.store.identifiers import OUT_FILES, generate
from tests.conftest import ROOT

SOURCES = ROOT.parent / "shared" / "sources"
ID = "https://w3id.org/sociale-basis/id/"


def _quads(body: bytes) -> set[ox.Quad]:
    return set(ox.parse(body, format=ox.RdfFormat.TRIG))


@pytest.mark.skipif(not (SOURCES / "identifiers.tsv").is_file(), reason=f"the sources folder {SOURCES} is not here")
def test_the_shipped_files_are_what_the_generator_makes_of_the_sources():
    made = generate(SOURCES, ROOT / "data")
    for name in OUT_FILES:
        shipped = (ROOT / "data" / "identifiers" / name).read_bytes()
        assert _quads(made[name]) == _quads(shipped), f"data/identifiers/{name} is stale: run 'sociale-basis import-identifiers {SOURCES}'"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    from webapp import create_app
    from webapp.state import get_store

    application = create_app({"DATA_DIR": str(tmp_path_factory.mktemp("shipped-ids")), "SECRET_KEY": "x"})
    yield application
    with application.app_context():
        get_store().close()


def _select(app, query: str) -> list[dict]:
    client = app.test_client()
    response = client.get("/sparql?query=" + quote(query), headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return [{k: v["value"] for k, v in b.items()} for b in response.get_json()["results"]["bindings"]]


def test_a_researcher_finds_amsterdam_by_its_cbs_code(shipped):
    rows = _select(shipped, 'SELECT ?g WHERE { ?g <https://w3id.org/sociale-basis/def/cbsCode> "GM0363" }')
    assert rows == [{"g": ID + "plaats/amsterdam"}]


def test_all_342_municipalities_have_one_code_a_province_a_wikidata_item_and_a_page(shipped):
    rows = _select(shipped, """PREFIX sb: <https://w3id.org/sociale-basis/def/> PREFIX schema: <https://schema.org/>
        SELECT ?m (COUNT(DISTINCT ?code) AS ?codes) (COUNT(DISTINCT ?prov) AS ?provs) (COUNT(DISTINCT ?wd) AS ?wds) WHERE {
          ?m sb:cbsCode ?code . OPTIONAL { ?m schema:containedInPlace ?prov . ?prov a sb:Province }
          OPTIONAL { ?m schema:sameAs ?wd } } GROUP BY ?m""")
    assert len(rows) == 342
    assert [r for r in rows if not (r["codes"] == "1" and r["provs"] == "1")] == []
    # a Wikidata item wherever the source gives one (it gives none for 5, which stay without: nothing is invented)
    without = sorted(r["m"].rsplit("/", 1)[1] for r in rows if r["wds"] == "0")
    assert without == ["bergen-l", "bergen-nh", "dantumadiel", "de-fryske-marren", "tytsjerksteradiel"]
    client = shipped.test_client()
    for row in rows[::17]:  # every 17th: the shipped-data test visits every entity's page
        assert client.get("/" + row["m"].split("https://w3id.org/sociale-basis/", 1)[1]).status_code == 200


def test_the_government_body_carries_tooi_oin_and_website_apart_from_the_territory(shipped):
    rows = _select(shipped, """PREFIX sb: <https://w3id.org/sociale-basis/def/> PREFIX schema: <https://schema.org/>
        SELECT ?body ?tooi ?oin ?url ?code WHERE { ?body sb:governs <https://w3id.org/sociale-basis/id/plaats/zeist> ;
          sb:tooi ?tooi ; sb:oin ?oin ; schema:url ?url . <https://w3id.org/sociale-basis/id/plaats/zeist> sb:cbsCode ?code }""")
    assert {(r["body"], r["tooi"], r["code"]) for r in rows} == {
        (ID + "organisatie/gemeente-zeist", "https://identifier.overheid.nl/tooi/id/gemeente/gm0355", "GM0355")}
    on_places = "SELECT ?p WHERE { ?p <https://w3id.org/sociale-basis/def/tooi> ?t . ?p a <https://w3id.org/sociale-basis/def/Place> }"
    assert _select(shipped, on_places) == []


def test_merged_and_contained_places(shipped):
    rows = _select(shipped, """PREFIX sb: <https://w3id.org/sociale-basis/def/> PREFIX schema: <https://schema.org/>
        SELECT ?into ?former ?date WHERE { <https://w3id.org/sociale-basis/id/plaats/uden> sb:mergedInto ?into ;
          sb:formerCbsCode ?former ; schema:dissolutionDate ?date }""")
    assert rows == [{"into": ID + "plaats/maashorst", "former": "GM0856", "date": "2022-01-01"}]
    uden_code = "SELECT ?c WHERE { <https://w3id.org/sociale-basis/id/plaats/uden> <https://w3id.org/sociale-basis/def/cbsCode> ?c }"
    assert _select(shipped, uden_code) == []
    assert _select(shipped, "SELECT ?z WHERE { <https://w3id.org/sociale-basis/id/plaats/zaandam> <https://schema.org/containedInPlace> ?z }") == [
        {"z": ID + "plaats/zaanstad"}]


def test_each_value_names_its_source_and_doubted_values_are_not_stated(shipped):
    rows = _select(shipped, """SELECT ?g ?url WHERE { GRAPH ?g { <https://w3id.org/sociale-basis/id/organisatie/ministerie-vws>
          <https://w3id.org/sociale-basis/def/oin> ?oin }
          GRAPH <https://w3id.org/sociale-basis/graph/bronnen> { ?g <https://schema.org/url> ?url } }""")
    assert rows and all("polder" in r["url"] and "/blob/" in r["url"] for r in rows)
    # BZK's Wikidata item: the sources disagree, so neither QID is stated
    assert _select(shipped, "SELECT ?q WHERE { <https://w3id.org/sociale-basis/id/organisatie/ministerie-bzk> <https://schema.org/sameAs> ?q }") == []


def test_the_join_examples_run(shipped):
    client = shipped.test_client()
    for name in ("gemeente-op-cbs-code", "koppelen-met-wikidata"):
        response = client.get(f"/queries/{name}.json")
        assert response.status_code == 200, name
