"""The networkx projection: typed nodes with nl/en labels, edges with predicate and sources."""

from __future__ import annotations

from graph.network.projection import project

ALFA = "https://w3id.org/sociale-basis/id/programma/alfa"
VNG = "https://w3id.org/sociale-basis/id/organisatie/vng"
SIGNATORY = "https://w3id.org/sociale-basis/def/signatory"


def test_nodes_are_typed_and_labelled(store):
    g = project(store)
    node = g.nodes[ALFA]
    assert node["kind"] == "programma"
    assert node["label_nl"] == "Alfa-akkoord" and node["label_en"] == "Alpha Agreement"
    assert "https://w3id.org/sociale-basis/def/Agreement" in node["types"]
    assert not any(n.startswith("https://w3id.org/sociale-basis/id/bron/") for n in g.nodes)


def test_edges_carry_predicate_and_every_source_that_states_them(store):
    g = project(store)
    data = g.get_edge_data(ALFA, VNG)[SIGNATORY]
    assert data["predicate"] == SIGNATORY
    assert data["sources"] == [
        "https://w3id.org/sociale-basis/id/bron/toets-a",
        "https://w3id.org/sociale-basis/id/bron/toets-b",
    ]


def test_literals_and_vocabulary_links_are_not_edges(store):
    g = project(store)
    predicates = {d["predicate"] for _u, _v, d in g.edges(data=True)}
    assert "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" not in predicates
    assert "http://www.w3.org/2004/02/skos/core#inScheme" not in predicates
    assert all(v.startswith("https://w3id.org/sociale-basis/id/") for _u, v in g.edges())
