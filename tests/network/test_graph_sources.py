"""An editorial graph as the source of a relation: the network views name it by its own label and link it
to its graph page (/graph/redactie/<name>), which answers; the concept map filters by it like by a source.
On the fixture data plus tests/fixtures/editorial (the `editorial_app`), where the editors give prog:gamma
the pillar sociale-empowerment."""

from __future__ import annotations

import html

import pytest

from graph.network.cache import network_data, resolve_source

ID = "https://w3id.org/sociale-basis/id/"
EDITORIAL = "https://w3id.org/sociale-basis/graph/redactie/toekenningen"
LABELS = {"nl": "Toekenningen van thema's, pijlers en sferen (redactie)", "en": "Assignments of themes, pillars and spheres (editors)"}
PAGE = "/graph/redactie/toekenningen"


@pytest.fixture
def client(editorial_app):
    return editorial_app.test_client()  # one per test: a ?lang= choice is remembered in a cookie


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_path_step_names_the_editorial_graph_and_links_its_page(client, lang: str) -> None:
    payload = client.get(f"/pad.json?van=prog:gamma&naar=con:sociale-empowerment&lang={lang}").get_json()
    step = payload["paths"][0]["steps"][0]
    assert step["relations"][0]["predicate"] == "https://w3id.org/sociale-basis/def/editorialPillar"
    assert step["sources"] == [{"iri": EDITORIAL, "label": LABELS[lang], "url": PAGE}]
    assert {"iri": EDITORIAL, "label": LABELS[lang], "url": PAGE} in payload["sources"]
    assert client.get(step["sources"][0]["url"]).status_code == 200


def test_the_path_page_links_the_editorial_graph(client) -> None:
    text = html.unescape(client.get("/pad?van=prog:gamma&naar=con:sociale-empowerment").get_data(as_text=True))
    assert f'<a href="{PAGE}">{LABELS["nl"]}</a>' in text


def test_the_matrix_names_and_links_the_editorial_graph(client) -> None:
    payload = client.get("/matrix.json").get_json()
    source = next(s for s in payload["sources"] if s["iri"] == EDITORIAL)
    assert source == {"iri": EDITORIAL, "label": LABELS["nl"], "url": PAGE}
    gamma = next(n for n in payload["nodes"] if n["id"] == ID + "programma/gamma")
    assert payload["sources"].index(source) in gamma["sources"]
    assert client.get(source["url"]).status_code == 200


def test_the_concept_map_filters_by_an_editorial_graph(client, editorial_app) -> None:
    from webapp.state import get_store

    with editorial_app.app_context():
        data = network_data(get_store())
    assert resolve_source(data, "toekenningen") == EDITORIAL  # the map's filter names it by its last segment
    assert resolve_source(data, "toets-a") == ID + "bron/toets-a"
    assert resolve_source(data, "bestaat-niet") is None
    page = client.get("/verkennen?bron=toekenningen")
    assert page.status_code == 200
    assert f'<option value="toekenningen" selected>{LABELS["nl"]}</option>' in html.unescape(page.get_data(as_text=True))
    nodes = {n["id"] for n in client.get("/verkennen.json?bron=toekenningen").get_json()["nodes"]}
    assert ID + "programma/gamma" in nodes and ID + "publicatie/essay-b" in nodes
    assert client.get("/verkennen.json?bron=bestaat-niet").status_code == 400
