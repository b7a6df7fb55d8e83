"""Resource pages, their Linked Data twins, index pages, concept trees and the vocabulary."""

from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from graph.namespaces import ID, SB

ALFA = URIRef(ID + "programma/alfa")


def fixture_entities(store) -> list[str]:
    rows = store.select(f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{ID}")) }}')
    return sorted(str(r["s"]) for r in rows)


def path_of(iri: str) -> str:
    return "/" + iri.split("https://w3id.org/sociale-basis/", 1)[1]


def test_every_fixture_entity_has_a_page(client, store):
    entities = fixture_entities(store)
    assert len(entities) > 20
    for iri in entities:
        response = client.get(path_of(iri))
        assert response.status_code == 200, iri
        assert b"<h1" in response.data


def test_turtle_twin_holds_the_entitys_statements(client, store):
    response = client.get("/id/programma/alfa.ttl")
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.data, format="turtle")
    rows = store.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {"s": ALFA})
    expected = {(ALFA, r["p"], r["o"]) for r in rows}
    assert expected and expected <= set(graph)
    # incoming statements too (the publication about it)
    assert (URIRef(ID + "publicatie/rapport-a"), SB.about, ALFA) in graph


@pytest.mark.parametrize("accept,mimetype,fmt", [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"),
])
def test_negotiation_by_accept(client, accept, mimetype, fmt):
    response = client.get("/id/programma/alfa", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert "Accept" in response.headers.get("Vary", "")
    assert response.headers["Content-Location"].startswith("/id/programma/alfa.")
    graph = Graph().parse(data=response.data, format=fmt)
    assert (ALFA, RDFS.label, Literal("Alfa-akkoord", lang="nl")) in graph


@pytest.mark.parametrize("suffix,mimetype", [
    (".ttl", "text/turtle"), (".jsonld", "application/ld+json"), (".nt", "application/n-triples"),
    (".trig", "application/trig"), (".nq", "application/n-quads"), (".json", "application/json"),
])
def test_negotiation_by_suffix(client, suffix, mimetype):
    response = client.get("/id/programma/alfa" + suffix)
    assert response.status_code == 200
    assert response.mimetype == mimetype


def test_quad_twin_keeps_the_sources(client):
    ds = Dataset()
    ds.parse(data=client.get("/id/programma/alfa.trig").data, format="trig")
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert {ID + "bron/toets-a", ID + "bron/toets-b"} <= graphs


def test_browser_gets_html_and_link_headers(client):
    response = client.get("/id/programma/alfa", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.mimetype == "text/html"
    assert "Accept" in response.headers["Vary"]
    assert 'rel="alternate"; type="text/turtle"' in response.headers["Link"]


def test_406_404_and_head(client):
    assert client.get("/id/programma/alfa", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/id/programma/bestaat-niet").status_code == 404
    assert client.get("/id/programma/bestaat-niet.ttl").status_code == 404
    assert client.get("/id/onbekend/alfa").status_code == 404
    assert client.get("/id/programma/Niet_Geldig").status_code == 404
    head = client.head("/id/programma/alfa")
    assert head.status_code == 200 and head.data == b"" and head.mimetype == "text/html"
    assert client.head("/id/programma/alfa.ttl").mimetype == "text/turtle"
    assert client.head("/id/programma/bestaat-niet").status_code == 404


def test_404_page_is_dutch_with_a_search_box(client):
    response = client.get("/deze/pagina/bestaat/niet")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Pagina niet gevonden" in html and 'role="search"' in html and 'lang="nl"' in html


def test_resource_page_shows_relations_with_labels_and_sources(client):
    html = client.get("/id/programma/alfa").get_data(as_text=True)
    assert "<h1" in html and "Alfa-akkoord" in html
    assert "Ondertekenaar" in html  # sb:signatory by its label, never the IRI
    assert "sb:signatory" not in html and "https://w3id.org/sociale-basis/def/signatory" not in html
    assert "Vereniging van Nederlandse Gemeenten" in html
    # the signatory VNG is stated by two sources, both linked to their pages
    vng_line = html.split("Vereniging van Nederlandse Gemeenten</span></a>", 1)[1].split("</li>", 1)[0]
    assert 'href="/id/bron/toets-a"' in vng_line and 'href="/id/bron/toets-b"' in vng_line
    assert "3 februari 2023" in html  # dates in Dutch
    assert "(redactioneel)" in html  # an editorial pillar says so
    # incoming, with the inverse label from the ontology
    assert "Wordt uitgewerkt in" in html and 'href="/id/programma/gamma"' in html


def test_values_are_formatted_for_people(client):
    html = client.get("/id/plaats/lflat").get_data(as_text=True)
    assert "2.000" in html and "728" in html
    assert "2,000" in client.get("/id/plaats/lflat?lang=en").get_data(as_text=True)
    rapport = client.get("/id/publicatie/rapport-a?lang=nl").get_data(as_text=True)
    assert '<a href="https://example.org/rapport-a" rel="external">' in rapport
    assert "26 juni 2023" in rapport


def test_incoming_relations_read_backwards(client):
    html = client.get("/id/organisatie/vng").get_data(as_text=True)
    assert "Ondertekent" in html and "Alfa-akkoord" in html
    assert "Droeg bij aan" in html  # dcterms:contributor read from the object


def test_hostile_labels_are_escaped(client):
    html = client.get("/id/initiatief/toets-xss").get_data(as_text=True)
    assert "<img src=x" not in html and "<script>alert" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_source_page_lists_what_it_states(client):
    html = client.get("/id/bron/toets-b").get_data(as_text=True)
    assert "Toetsbron B" in html and 'href="/id/publicatie/essay-b"' in html


def test_json_twin_matches_the_page(client):
    data = client.get("/id/programma/alfa.json").get_json()
    assert data["label"] == "Alfa-akkoord"
    signatory = next(g for g in data["relations"] if g["property"] == str(SB.signatory))
    vng = next(v for v in signatory["values"] if v["iri"].endswith("/vng"))
    assert set(vng["sources"]) == {ID + "bron/toets-a", ID + "bron/toets-b"}


def test_index_pages_and_their_json(client):
    for path in ("/programmas", "/onderdelen", "/initiatieven", "/publicaties",
                 "/organisaties", "/plaatsen", "/personen", "/bronnen"):
        html = client.get(path)
        assert html.status_code == 200, path
        data = client.get(path + ".json").get_json()
        for item in data["items"]:
            assert f'href="{item["url"]}"' in html.get_data(as_text=True), (path, item)
    data = client.get("/organisaties.json").get_json()
    assert {t["name"] for t in data["types"]} >= {"Ministry", "Association"}
    ministries = client.get("/organisaties.json?type=Ministry").get_json()
    assert [i["label"] for i in ministries["items"]] == ["Ministerie van VWS"]


def test_concept_schemes_as_trees(client):
    html = client.get("/begrippen").get_data(as_text=True)
    assert "Pijlers van sociale kwaliteit" in html and "Sferen van de sociale basis" in html
    cohesie = html.index('href="/id/begrip/sociale-cohesie"')
    nested = html.index('href="/id/begrip/ontmoeting"', cohesie)
    assert '<ul class="tree">' in html[cohesie:nested]
    data = client.get("/begrippen.json").get_json()
    pillars = next(s for s in data["schemes"] if s["iri"].endswith("pijlers-sociale-kwaliteit"))
    tops = {t["label"]: t for t in pillars["top_concepts"]}
    assert set(tops) == {"Sociaaleconomische zekerheid", "Sociale inclusie", "Sociale cohesie", "Sociale empowerment"}
    assert [n["label"] for n in tops["Sociale cohesie"]["narrower"]] == ["Ontmoeting in de buurt"]
    concept = client.get("/id/begrip/ontmoeting").get_data(as_text=True)
    crumbs = concept.split('class="breadcrumb"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/id/begrip/sociale-cohesie"' in crumbs


def test_vocabulary_documentation_and_twins(client):
    html = client.get("/def/").get_data(as_text=True)
    assert 'id="Programme"' in html and "sb:Programme" in html and "Programma" in html
    assert client.get("/def").status_code == 301
    turtle = client.get("/def/", headers={"Accept": "text/turtle"})
    assert turtle.mimetype == "text/turtle" and "Accept" in turtle.headers["Vary"]
    graph = Graph().parse(data=turtle.data, format="turtle")
    assert (SB.Programme, RDFS.label, Literal("Programma", lang="nl")) in graph
    term = client.get("/def/signatory")
    assert term.status_code == 200 and "ondertekenaar" in term.get_data(as_text=True).lower()
    term_ttl = Graph().parse(data=client.get("/def/signatory.ttl").data, format="turtle")
    assert (SB.signatory, RDFS.label, Literal("ondertekenaar", lang="nl")) in term_ttl
    assert client.get("/def/BestaatNiet").status_code == 404
    assert client.get("/def/", headers={"Accept": "image/png"}).status_code == 406


def test_home_page(client):
    html = client.get("/").get_data(as_text=True)
    for text in ("Wat is de sociale basis?", "Vier pijlers van sociale kwaliteit", "Drie sferen", "Nieuwste publicaties",
                 'href="/sparql"', 'href="/verkennen"', 'role="search"', "Sterke buurten, sterke basis"):
        assert text in html, text
    data = json.loads(client.get("/", headers={"Accept": "application/json"}).data)
    assert data["latest_publications"][0]["label"] == "Sterke buurten, sterke basis"
    assert {p["label"] for p in data["pillars"]} >= {"Sociale cohesie"}


def test_an_incoming_relation_without_a_backward_reading_is_worded_by_the_site(tmp_path):
    """graph/ hands over the relation's name and `backward`; the page and its twin word it per language."""
    import shutil

    from tests.conftest import FIXTURE_DATA, make_settings
    from webapp import create_app
    from webapp.state import get_store

    data = tmp_path / "sources"
    shutil.copytree(FIXTURE_DATA, data)
    (data / "extra.trig").write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/sociale-basis/id/bron/toets-extra> {\n"
        "  <https://example.org/noemt> rdfs:label \"noemt\"@nl, \"mentions\"@en .\n"
        "  <https://w3id.org/sociale-basis/id/organisatie/vng> <https://example.org/noemt>"
        " <https://w3id.org/sociale-basis/id/programma/alfa> .\n}\n",
        encoding="utf-8",
    )
    application = create_app(make_settings(tmp_path / "data", SOURCE_DATA_PATH=str(data)))
    try:
        client = application.test_client()
        groups = {g["property"]: g for g in client.get("/id/programma/alfa.json").get_json()["incoming"]}
        assert groups["https://example.org/noemt"]["backward"] is True
        assert groups["https://example.org/noemt"]["label"] == "is noemt van"
        english = client.get("/id/programma/alfa.json?lang=en").get_json()["incoming"]
        # a term outside the ontology is named by its local name
        assert {g["label"] for g in english if g["property"] == "https://example.org/noemt"} == {"is noemt of"}
        page = client.get("/id/programma/alfa?lang=en").get_data(as_text=True)
        assert "Is noemt of" in page
        assert "is signed by" not in {g["label"] for g in english if g["backward"]}
    finally:
        with application.app_context():
            get_store().close()


def test_a_resource_page_is_kept_until_the_store_changes(fresh_app):
    """The rendered page is reused per store version, language and URL; a change shows at once."""
    from rdflib.namespace import RDFS as _RDFS

    from webapp.browse.respond import PAGE_CACHE
    from webapp.state import get_store

    client = fresh_app.test_client()
    first = client.get("/id/programma/alfa").get_data(as_text=True)
    assert client.get("/id/programma/alfa").get_data(as_text=True) == first
    assert len(fresh_app.extensions[PAGE_CACHE]) == 1
    english = client.get("/id/programma/alfa?lang=en").get_data(as_text=True)
    assert english != first and 'lang="en"' in english  # another language, another entry
    newcomer = URIRef(ID + "initiatief/nieuw-buurtinitiatief")
    with fresh_app.app_context():
        get_store().replace_graph(URIRef(ID + "bron/toets-wijziging"), [
            (newcomer, URIRef(SB + "partOf"), ALFA),
            (newcomer, _RDFS.label, Literal("Nieuw buurtinitiatief", lang="nl")),
        ])
    after = client.get("/id/programma/alfa").get_data(as_text=True)
    assert "Nieuw buurtinitiatief" in after and "Nieuw buurtinitiatief" not in first
    assert all(key[0] == get_version(fresh_app) for key in fresh_app.extensions[PAGE_CACHE].keys())


def test_a_search_page_is_kept_until_the_store_and_its_index_change(fresh_app):
    """Search pages are kept like resource pages; a new entity is found at once after a change."""
    from rdflib.namespace import RDFS as _RDFS

    from webapp.browse.respond import PAGE_CACHE
    from webapp.state import get_searcher, get_store

    client = fresh_app.test_client()
    first = client.get("/search?q=buurtinitiatief&lang=nl").get_data(as_text=True)
    assert client.get("/search?q=buurtinitiatief&lang=nl").get_data(as_text=True) == first
    assert len(fresh_app.extensions[PAGE_CACHE]) == 1
    assert client.get("/search?q=buurtinitiatief&lang=en").get_data(as_text=True) != first
    assert len(fresh_app.extensions[PAGE_CACHE]) == 2
    total = client.get("/search.json?q=buurtinitiatief&lang=nl").get_json()["total"]
    with fresh_app.app_context():
        generation = get_searcher().index.generation
        get_store().replace_graph(URIRef(ID + "bron/toets-zoeken"), [
            (URIRef(ID + "initiatief/zoekbaar-buurtinitiatief"), RDF.type, SB.Initiative),
            (URIRef(ID + "initiatief/zoekbaar-buurtinitiatief"), _RDFS.label, Literal("Zoekbaar buurtinitiatief", lang="nl")),
        ])
        assert get_searcher().index.generation > generation
    after = client.get("/search?q=buurtinitiatief&lang=nl").get_data(as_text=True)
    assert after != first
    assert client.get("/search.json?q=buurtinitiatief&lang=nl").get_json()["total"] == total + 1
    assert all(key[0] == get_version(fresh_app) for key in fresh_app.extensions[PAGE_CACHE].keys())


def get_version(app) -> int:
    from webapp.state import get_store

    with app.app_context():
        return get_store().version
