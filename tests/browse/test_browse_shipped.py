"""End to end on the shipped ontology and data: every entity has a page and a Turtle twin."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from graph.namespaces import ID

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shipped_app(tmp_path_factory):
    from webapp import create_app
    from webapp.state import get_store

    application = create_app({"DATA_DIR": str(tmp_path_factory.mktemp("shipped")), "SECRET_KEY": "x"})
    application.testing = True
    yield application
    with application.app_context():
        get_store().close()


def test_every_shipped_entity_has_a_page_and_a_twin(shipped_app):
    from webapp.state import get_store

    with shipped_app.app_context():
        rows = get_store().select(f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{ID}")) }}')
    entities = sorted(str(r["s"]) for r in rows)
    assert entities
    client = shipped_app.test_client()
    for iri in entities:
        path = "/" + iri.split("https://w3id.org/sociale-basis/", 1)[1]
        response = client.get(path)
        assert response.status_code == 200, iri
        twin = client.get(path + ".ttl")
        assert twin.status_code == 200, iri
        graph = Graph().parse(data=twin.data, format="turtle")
        assert any(True for _ in graph.triples((URIRef(iri), None, None))), iri


def test_shipped_site_pages(shipped_app):
    client = shipped_app.test_client()
    for path in ("/", "/bibliotheek", "/begrippen", "/programmas", "/search?q=gezond", "/def/", "/bronnen", "/bibliotheek.atom"):
        assert client.get(path).status_code == 200, path
    assert client.get("/search.json?q=GALA").get_json()["hits"][0]["iri"].endswith("/programma/gala")
