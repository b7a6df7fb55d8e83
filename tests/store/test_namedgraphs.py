"""The store's named graphs read one way: each with its kind and labels, every graph once, in a fixed order."""

from __future__ import annotations

from graph.namespaces import GRAPH_MODERATION, GRAPH_ONTOLOGY, GRAPH_SOURCES
from graph.store.namedgraphs import KINDS, described_graphs, graph_kind, named_graphs

BASE = "https://w3id.org/sociale-basis/"
SB = BASE + "def/"


def test_kinds_by_iri_then_by_type() -> None:
    assert graph_kind(BASE + "id/bron/toets-a") == "bron"
    assert graph_kind(BASE + "graph/redactie/toekenningen") == "redactie"
    assert graph_kind(str(GRAPH_ONTOLOGY)) == "ontologie"
    assert graph_kind(str(GRAPH_SOURCES)) == "bronnenlijst"
    assert graph_kind(str(GRAPH_MODERATION)) == "moderatie"
    assert graph_kind(BASE + "graph/iets-anders") == "graaf"
    assert graph_kind("http://example.org/g", [SB + "EditorialGraph"]) == "redactie"
    assert graph_kind("http://example.org/g", [SB + "Source"]) == "bron"


def test_every_graph_once_with_kind_and_labels(editorial_app) -> None:
    from webapp.state import get_store

    with editorial_app.app_context():
        store = get_store()
        graphs = named_graphs(store)
        described = described_graphs(store)
    iris = [g.iri for g, _n in graphs]
    assert sorted(iris) == sorted(str(g) for g in store.graph_names()) and len(iris) == len(set(iris))
    assert [KINDS.index(g.kind) for g, _n in graphs] == sorted(KINDS.index(g.kind) for g, _n in graphs)
    by_iri = {g.iri: (g, n) for g, n in graphs}
    editorial, size = by_iri[BASE + "graph/redactie/toekenningen"]
    assert editorial.kind == "redactie" and size == 3
    assert editorial.label("en") == "Assignments of themes, pillars and spheres (editors)"
    assert by_iri[BASE + "id/bron/toets-a"][0].label("nl") == "Toetsbron A"
    assert by_iri[str(GRAPH_ONTOLOGY)][0].label("en") == "Ontology (vocabulary)"
    assert by_iri["http://example.org/elders/graaf"][0].label() == "graaf"  # not described: its IRI's last segment
    assert described[BASE + "graph/redactie/toekenningen"] == editorial
