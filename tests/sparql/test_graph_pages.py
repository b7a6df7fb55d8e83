"""Every named graph of the store is listed and downloadable exactly once (sources, editorial graphs, the
project's own graphs, a moderation record, a graph named elsewhere), and each graph under graph/ has a page
(/graph/<name>) with RDF and JSON twins; unknown graphs answer 404 in the client's format."""

from __future__ import annotations

import html
from urllib.parse import parse_qs, urlsplit

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDFS, VOID

from graph.namespaces import GRAPH_MODERATION, GRAPH_ONTOLOGY, GRAPH_SOURCES

BASE = "https://w3id.org/sociale-basis/"
EDITORIAL = URIRef(BASE + "graph/redactie/toekenningen")
ELSEWHERE = URIRef("http://example.org/elders/graaf")
LABEL_NL = "Toekenningen van thema's, pijlers en sferen (redactie)"
LABEL_EN = "Assignments of themes, pillars and spheres (editors)"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DUMPS = {"trig": "trig", "nq": "nquads", "ttl": "turtle", "jsonld": "json-ld"}
TWINS = [("ttl", "text/turtle", "turtle"), ("jsonld", "application/ld+json", "json-ld"),
         ("nt", "application/n-triples", "nt"), ("rdf", "application/rdf+xml", "xml")]


@pytest.fixture
def client(editorial_app):
    return editorial_app.test_client()  # one per test: a ?lang= choice is remembered in a cookie


@pytest.fixture(scope="module")
def store(editorial_app):
    from webapp.state import get_store

    with editorial_app.app_context():
        return get_store()


def listing(client) -> list[dict]:
    response = client.get("/data/index.json")
    assert response.status_code == 200
    return response.get_json()["downloads"][1:]


def test_every_graph_of_the_store_is_listed_once(client, store) -> None:
    graphs = listing(client)
    names = [g["graph"] for g in graphs]
    assert len(names) == len(set(names)) == len(store.graph_names())
    assert set(names) == {str(g) for g in store.graph_names()}
    assert {str(EDITORIAL), str(GRAPH_MODERATION), str(ELSEWHERE), str(GRAPH_ONTOLOGY), str(GRAPH_SOURCES)} <= set(names)
    files = [f["url"] for g in graphs for f in g["files"].values()]
    assert len(files) == len(set(files)) == 4 * len(graphs)  # one place per graph and format
    by_iri = {g["graph"]: g for g in graphs}
    editorial = by_iri[str(EDITORIAL)]
    assert editorial["kind"] == "redactie" and editorial["label"] == LABEL_NL
    assert editorial["labels"] == {"nl": LABEL_NL, "en": LABEL_EN}
    assert editorial["files"]["ttl"]["url"] == "/data/redactie/toekenningen.ttl"
    assert editorial["page"] == "/graph/redactie/toekenningen"
    assert by_iri[str(GRAPH_MODERATION)]["kind"] == "moderatie" and by_iri[str(GRAPH_MODERATION)]["page"] == "/graph/moderatie"
    assert by_iri[str(GRAPH_ONTOLOGY)]["kind"] == "ontologie" and by_iri[str(GRAPH_SOURCES)]["kind"] == "bronnenlijst"
    assert by_iri[BASE + "id/bron/toets-a"]["page"] == "/id/bron/toets-a"  # a source's page is its resource page
    assert by_iri[str(ELSEWHERE)]["page"] is None and by_iri[str(ELSEWHERE)]["files"]["ttl"]["url"].startswith("/data/overig/")
    # every graph downloads, with its own triples
    for g in graphs:
        response = client.get(g["files"]["nq"]["url"])
        assert response.status_code == 200, g["graph"]
        ds = Dataset()
        ds.parse(data=response.data, format="nquads")
        assert {str(q[3]) for q in ds.quads((None, None, None, None))} == {g["graph"]}
        assert g["triples"] == store.triple_count(URIRef(g["graph"]))


def test_the_download_page_links_each_graph_to_its_page(client) -> None:
    text = html.unescape(client.get("/data/").get_data(as_text=True))
    assert f'<a class="graph-label" href="/graph/redactie/toekenningen">{LABEL_NL}</a>' in text
    assert '<a class="graph-label" href="/id/bron/toets-a">Toetsbron A</a>' in text
    assert 'href="/data/redactie/toekenningen.trig"' in text and 'href="/data/graaf/moderatie.trig"' in text


@pytest.mark.parametrize("suffix", list(DUMPS))
def test_an_editorial_graph_downloads_in_every_format(client, store, suffix: str) -> None:
    response = client.get(f"/data/redactie/toekenningen.{suffix}")
    assert response.status_code == 200
    expected = {(s, p, o) for s, p, o, _g in store.quads(EDITORIAL)}
    assert len(expected) == store.triple_count(EDITORIAL) == 3
    if suffix == "ttl":
        parsed = {t for t in Graph().parse(data=response.data, format="turtle")}
    else:
        ds = Dataset()
        ds.parse(data=response.data, format=DUMPS[suffix])
        quads = list(ds.quads((None, None, None, None)))
        assert {str(q[3]) for q in quads} == {str(EDITORIAL)}
        parsed = {(s, p, o) for s, p, o, _g in quads}
    assert parsed == expected


def test_void_has_one_subset_per_graph(client, store) -> None:
    g = Graph().parse(data=client.get("/data/void.ttl").data, format="turtle")
    subsets = list(g.objects(URIRef(BASE + "dataset"), VOID.subset))
    names = [g.value(s, SD.name) for s in subsets]
    assert len(names) == len(set(names)) == len(store.graph_names())
    editorial = next(s for s in subsets if g.value(s, SD.name) == EDITORIAL)
    assert int(g.value(editorial, VOID.triples)) == 3
    assert (editorial, DCTERMS.title, Literal(LABEL_EN, lang="en")) in g
    assert any(str(d).endswith("/data/redactie/toekenningen.jsonld") for d in g.objects(editorial, VOID.dataDump))


@pytest.mark.parametrize("lang, label, editors", [
    ("nl", LABEL_NL, "Redactie van de toetsgraaf"),
    ("en", LABEL_EN, "Editors of the test graph"),
])
def test_an_editorial_graph_has_a_page(client, lang: str, label: str, editors: str) -> None:
    response = client.get(f"/graph/redactie/toekenningen?lang={lang}")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Content-Location"] == "/graph/redactie/toekenningen"
    assert "Accept" in response.headers["Vary"]
    assert '</graph/redactie/toekenningen.ttl>; rel="alternate"; type="text/turtle"' in response.headers["Link"]
    text = html.unescape(response.get_data(as_text=True))
    assert f"<h1 id=\"title\">{label}</h1>" in text
    assert f'<html lang="{lang}">' in text
    for suffix in DUMPS:  # every dump format, with its size
        assert f'href="/data/redactie/toekenningen.{suffix}" download' in text
    assert 'href="/id/bron/toets-a"' in text  # PROV: derived from a source, linked to its page
    assert editors in text  # PROV: attributed to the editors, named in the page's language
    assert 'href="/def/editorialPillar"' in text  # what it holds: the properties, linked to the vocabulary
    assert 'href="/data/"' in text and 'href="/graph/redactie/toekenningen.jsonld"' in text


def test_the_page_opens_a_query_on_the_graph_in_the_editor(client) -> None:
    text = html.unescape(client.get("/graph/redactie/toekenningen").get_data(as_text=True))
    start = text.index('href="/query?')
    editor = text[start + len('href="') : text.index('"', start + len('href="'))]
    query = parse_qs(urlsplit(editor).query)["query"][0]
    assert f"GRAPH <{EDITORIAL}>" in query
    assert client.get(editor).status_code == 200
    answer = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200 and len(answer.get_json()["results"]["bindings"]) == 3


@pytest.mark.parametrize("suffix, media, fmt", TWINS)
def test_the_page_has_rdf_twins_by_suffix_and_accept(client, suffix: str, media: str, fmt: str) -> None:
    by_suffix = client.get(f"/graph/redactie/toekenningen.{suffix}")
    by_accept = client.get("/graph/redactie/toekenningen", headers={"Accept": media})
    for response in (by_suffix, by_accept):
        assert response.status_code == 200 and response.mimetype == media
        g = Graph().parse(data=response.data, format=fmt)
        assert (EDITORIAL, RDFS.label, Literal(LABEL_NL, lang="nl")) in g
        assert (EDITORIAL, PROV.wasDerivedFrom, URIRef(BASE + "id/bron/toets-a")) in g
        agent = g.value(EDITORIAL, PROV.wasAttributedTo)
        assert (agent, RDFS.label, Literal("Editors of the test graph", lang="en")) in g
        assert str(g.value(EDITORIAL, FOAF.page)).endswith("/graph/redactie/toekenningen")
        subset = g.value(None, SD.name, EDITORIAL)
        assert int(g.value(subset, VOID.triples)) == 3
        assert {str(d).rsplit("/", 1)[1] for d in g.objects(subset, DCAT.distribution)} == {
            f"toekenningen.{s}" for s in DUMPS
        }
    assert by_accept.headers["Content-Location"] == f"/graph/redactie/toekenningen.{suffix}"


def test_the_page_has_a_json_twin(client) -> None:
    for response in (client.get("/graph/redactie/toekenningen.json?lang=en"),
                     client.get("/graph/redactie/toekenningen?lang=en", headers={"Accept": "application/json"})):
        assert response.status_code == 200 and response.mimetype == "application/json"
        data = response.get_json()
        assert data["iri"] == str(EDITORIAL) and data["kind"] == "redactie" and data["label"] == LABEL_EN
        assert data["triples"] == 3 and data["subjects"] == 2
        assert {p["iri"]: p["triples"] for p in data["properties"]} == {
            BASE + "def/editorialPillar": 2, BASE + "def/editorialSphere": 1}
        assert {d["url"] for d in data["downloads"].values()} == {f"/data/redactie/toekenningen.{s}" for s in DUMPS}
        assert all(d["bytes"] for d in data["downloads"].values())
        derived = next(m for m in data["metadata"] if m["property"] == str(PROV.wasDerivedFrom))
        assert derived["values"] == [{"iri": BASE + "id/bron/toets-a", "text": "Test source A", "lang": "en"}]
        assert data["url"] == "/graph/redactie/toekenningen" and data["editor"].startswith("/query?query=")


@pytest.mark.parametrize("name, kind", [("ontologie", "ontologie"), ("bronnen", "bronnenlijst"), ("moderatie", "moderatie")])
def test_the_project_graphs_have_pages(client, store, name: str, kind: str) -> None:
    assert client.get(f"/graph/{name}").status_code == 200
    data = client.get(f"/graph/{name}.json").get_json()
    assert data["kind"] == kind and data["triples"] == store.triple_count(URIRef(BASE + "graph/" + name))
    assert client.get(data["downloads"]["ttl"]["url"]).status_code == 200


def test_unknown_graphs_are_404_in_the_clients_format(client) -> None:
    page = client.get("/graph/bestaat-niet")
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "graph/bestaat-niet" in page.get_data(as_text=True)
    for response in (client.get("/graph/redactie/bestaat-niet.json"),
                     client.get("/graph/redactie/bestaat-niet", headers={"Accept": "application/json"})):
        assert response.status_code == 404 and response.mimetype == "application/json"
        assert "graph/redactie/bestaat-niet" in response.get_json()["error"]
    assert client.get("/graph/redactie/toekenningen.csv").status_code == 404
    for path in ("/data/redactie/bestaat-niet.ttl", "/data/overig/0000000000000000.ttl", "/data/redactie/toekenningen.pdf"):
        assert client.get(path).status_code == 404, path
    assert client.get("/graph/").status_code == 303


def test_an_approved_submission_is_listed_with_its_label_and_page(sapp, visitor, editor) -> None:
    from tests.submissions.test_submit_support import decide, receipt_id, submit

    sid = receipt_id(visitor, submit(visitor))
    assert decide(editor, sid, "approve").status_code == 303
    graphs = {g["graph"]: g for g in listing(visitor)}
    graph = graphs[f"{BASE}id/bron/inzending-{sid}"]
    assert graph["kind"] == "bron" and graph["label"].startswith("Inzending: ")
    assert graph["page"] == f"/id/bron/inzending-{sid}" and visitor.get(graph["page"]).status_code == 200
    assert visitor.get(graph["files"]["trig"]["url"]).status_code == 200


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_the_page_in_a_browser(browser, editorial_app, width: int, height: int) -> None:
    """No serious accessibility violations, nothing wider than a phone's screen; screenshots in test-artifacts/."""
    import json

    from tests.browse.test_a11y_browse import serious_violations
    from tests.conftest import LiveServer, screenshot

    with LiveServer(editorial_app) as server:
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        page = context.new_page()
        try:
            page.goto(server.url + "/graph/redactie/toekenningen")
            assert page.locator("h1").inner_text() == LABEL_NL
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            screenshot(page, f"graph-page-{width}")
            found = serious_violations(page)
            assert not found, json.dumps(found, indent=1)
        finally:
            context.close()
