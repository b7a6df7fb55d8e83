"""The dataset and the base IRI a public query runs with (issue 12, items 1 and 5).

Every FROM combination counts each triple once (SPARQL 1.1, 13.2: the default graph is the RDF
merge of the FROM graphs), although Oxigraph itself reads several FROM graphs as a bag
(oxigraph#1919); and relative IRIs resolve against the site's base.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from graph.namespaces import BASE
from graph.sparql.dataset import Datasets

EX = "http://example.org/"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count(client, query: str, **params: str | list[str]) -> int:
    response = client.get("/sparql", query_string={"query": query, **params}, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return int(response.get_json()["results"]["bindings"][0]["n"]["value"])


def triples(store, graphs) -> set[tuple]:
    """The distinct triples of `graphs`, read from the store without SPARQL."""
    return {(s, p, o) for g in graphs for s, p, o, _ in store.quads(URIRef(g))}


def engine_count(store: ox.Store, query: str, **kwargs: Any) -> int:
    result = store.query(query, **kwargs)
    assert isinstance(result, ox.QuerySolutions)
    value = next(iter(result))["n"]
    assert isinstance(value, ox.Literal)
    return int(value.value)


def from_clauses(graphs, keyword: str = "FROM") -> str:
    return " ".join(f"{keyword} <{g}>" for g in graphs)


# -- the merge itself, on a small store with overlapping graphs -------------------------------------
@pytest.fixture
def small() -> ox.Store:
    store = ox.Store()
    shared = [ox.Triple(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("10"))]
    for name, own in (("g1", 1), ("g2", 2), ("g3", 3)):
        graph = ox.NamedNode(EX + name)
        for t in shared + [ox.Triple(ox.NamedNode(EX + name), ox.NamedNode(EX + "n"), ox.Literal(str(i))) for i in range(own)]:
            store.add(ox.Quad(t.subject, t.predicate, t.object, graph))
            store.add(ox.Quad(t.subject, t.predicate, t.object))  # the default graph is the union, as the build keeps it
    return store


def test_oxigraph_alone_counts_a_shared_triple_twice(small: ox.Store) -> None:
    """The engine behaviour worked around here (if this starts failing, the workaround can go)."""
    graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [ox.NamedNode(EX + "g1"), ox.NamedNode(EX + "g2")]
    assert engine_count(small, COUNT, default_graph=graphs) == 5  # g1: 2 triples, g2: 3, one of them shared


def test_every_combination_of_graphs_counts_each_triple_once(small: ox.Store) -> None:
    datasets = Datasets()
    names = [EX + "g1", EX + "g2", EX + "g3"]
    sizes = {EX + "g1": 2, EX + "g2": 3, EX + "g3": 4}
    for k in range(1, 4):
        for chosen in combinations(names, k):
            target, kwargs = datasets.target(small, chosen, None)
            assert engine_count(target, COUNT, **kwargs) == sum(sizes[g] for g in chosen) - (len(chosen) - 1), chosen
    # the query's own FROM clauses (which the endpoint has read into the dataset) change nothing
    query = COUNT.replace("WHERE", from_clauses(names[:2]) + " WHERE")
    target, kwargs = datasets.target(small, tuple(names[:2]), ())
    assert engine_count(target, query, **kwargs) == 4
    # the same graph twice is that graph once
    target, kwargs = datasets.target(small, (EX + "g1", EX + "g1"), None)
    assert engine_count(target, COUNT, **kwargs) == 2


def test_named_graphs_stay_beside_a_merged_default_graph(small: ox.Store) -> None:
    datasets = Datasets()
    target, kwargs = datasets.target(small, (EX + "g1", EX + "g2"), (EX + "g3",))
    per_graph = target.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", **kwargs)
    assert isinstance(per_graph, ox.QuerySolutions)
    assert [(str(r["g"]), str(r["n"])) for r in per_graph] == [(f"<{EX}g3>", '"4"^^<http://www.w3.org/2001/XMLSchema#integer>')]
    assert datasets.target(small, (EX + "g2", EX + "g1"), (EX + "g3",))[0] is target  # kept for the next query
    target, kwargs = datasets.target(small, None, (EX + "g3",))
    assert engine_count(target, COUNT, **kwargs) == 0  # FROM NAMED alone: empty default graph


def test_merges_are_dropped_when_the_store_changes(small: ox.Store) -> None:
    datasets = Datasets(kept=1)
    first = datasets.target(small, (EX + "g1", EX + "g2"), None)[0]
    assert datasets.target(small, (EX + "g1", EX + "g3"), None)[0] is not first
    assert datasets.target(small, (EX + "g1", EX + "g2"), None)[0] is not first  # only one kept
    other = ox.Store()
    other.add(ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "b"), ox.NamedNode(EX + "c"), ox.NamedNode(EX + "g1")))
    target, kwargs = datasets.target(other, (EX + "g1", EX + "g2"), None)
    assert engine_count(target, COUNT, **kwargs) == 1


# -- through the endpoint, on the fixture data ------------------------------------------------------
def test_from_every_graph_counts_each_triple_once(client, store) -> None:
    graphs = sorted(str(g) for g in store.graph_names())
    expected = len(triples(store, graphs))
    assert expected == store.triple_count()  # the default graph is that union
    assert sum(store.triple_count(URIRef(g)) for g in graphs) > expected  # some triple is in two graphs
    assert count(client, COUNT.replace("WHERE", from_clauses(graphs) + " WHERE")) == expected
    assert count(client, COUNT, **{"default-graph-uri": graphs}) == expected


def test_from_two_overlapping_graphs_counts_each_triple_once(client, store) -> None:
    graphs = sorted(str(g) for g in store.graph_names())
    pairs = [(a, b) for a, b in combinations(graphs, 2) if triples(store, [a]) & triples(store, [b])]
    assert pairs, "the fixture data should have two graphs that share a triple"
    for pair in pairs:
        expected = len(triples(store, pair))
        assert count(client, COUNT.replace("WHERE", from_clauses(pair) + " WHERE")) == expected, pair
        assert count(client, COUNT, **{"default-graph-uri": list(pair)}) == expected, pair
    a, b = pairs[0]
    rest = [g for g in graphs if g not in (a, b)][:1]
    dataset = f"{from_clauses((a, b))} {from_clauses(rest, 'FROM NAMED')}"
    query = f"SELECT (COUNT(*) AS ?n) {dataset} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert count(client, query) == len(triples(store, rest))


# -- the base IRI -----------------------------------------------------------------------------------
def test_relative_iris_resolve_against_the_site_base(client, store) -> None:
    """The W3C protocol test query_content_type_construct: a relative IRI is no syntax error."""
    response = client.get(
        "/sparql", query_string={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"}, headers={"Accept": "text/turtle"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    graph = Graph().parse(data=response.data, format="turtle")
    assert (URIRef(BASE + "s"), URIRef(BASE + "p"), None) in graph
    own_base = "BASE <http://example.org/> CONSTRUCT { <s> <p> 1 } WHERE {}"
    response = client.get("/sparql", query_string={"query": own_base}, headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.data, format="turtle")
    assert (URIRef(EX + "s"), URIRef(EX + "p"), None) in graph
    graph_iri = next(str(g) for g in store.graph_names() if str(g).startswith(BASE + "id/bron/"))
    relative = "SELECT (COUNT(*) AS ?n) FROM <" + graph_iri[len(BASE):] + "> WHERE { ?s ?p ?o }"
    assert count(client, relative) == store.triple_count(URIRef(graph_iri))
