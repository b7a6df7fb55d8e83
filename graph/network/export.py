"""Exports of a drawn network (a `graph.network.visdata.build` result): GraphML and Turtle.

GraphML is written by networkx (`generate_graphml`) with string attributes only. Turtle holds the
triples behind the drawn edges, read back from the store (CONSTRUCT with VALUES, in chunks), plus
the type and labels of every drawn node, so the file stands on its own.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

import networkx as nx
from rdflib import Graph

from graph.namespaces import PREFIXES, iri_rows, iri_values, is_plain_iri
from graph.store.graphstore import GraphStore

CHUNK = 400

EDGES_CONSTRUCT = """
CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  VALUES (?s ?p ?o) {{ {values} }}
  ?s ?p ?o .
}}
"""
NODES_CONSTRUCT = """
CONSTRUCT {{ ?s a ?t ; rdfs:label ?l }} WHERE {{
  VALUES ?s {{ {values} }}
  {{ ?s a ?t }} UNION {{ ?s rdfs:label ?l }}
}}
"""


def graphml(payload: Mapping[str, Any]) -> str:
    """The drawn nodes and edges as GraphML (one edge per relation, keyed by predicate; a node's
    `group` when the view is grouped by theme or community)."""
    g = nx.MultiDiGraph()
    sources = payload.get("sources", [])
    for node in payload["nodes"]:
        g.add_node(
            node["id"],
            label=str(node.get("label", "")),
            kind=str(node.get("kind", "")),
            url=str(node.get("url", "")),
            pillars=" ".join(node.get("pillars", [])),
            editorial_pillars=" ".join(node.get("editorialPillars", [])),
            spheres=" ".join(node.get("spheres", [])),
            **({"group": str(node["group"])} if "group" in node else {}),
        )
    predicates = payload.get("predicates", [])
    for edge in payload["edges"]:
        for rel in edge["relations"]:
            predicate = predicates[rel["predicate"]]
            g.add_edge(
                edge["from"],
                edge["to"],
                key=predicate["iri"],
                predicate=predicate["iri"],
                label=str(predicate.get("label", "")),
                sources=" ".join(sources[i]["iri"] for i in rel.get("sources", [])),
            )
    return "\n".join(nx.generate_graphml(g, prettyprint=True)) + "\n"


def triples_behind(payload: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(subject, predicate, object) of every drawn relation."""
    predicates = payload.get("predicates", [])
    return [(e["from"], predicates[r["predicate"]]["iri"], e["to"]) for e in payload["edges"] for r in e["relations"]]


def turtle(store: GraphStore, payload: Mapping[str, Any]) -> bytes:
    """The triples behind the drawn edges and the drawn nodes' types and labels, from the store."""
    out = Graph()
    for prefix, iri in PREFIXES.items():
        out.bind(prefix, iri)
    triples = [t for t in triples_behind(payload) if all(map(is_plain_iri, t))]
    for chunk in _chunks(triples):
        values = iri_rows(chunk)
        for triple in store.construct(EDGES_CONSTRUCT.format(values=values)):
            out.add(triple)
    nodes = [n["id"] for n in payload["nodes"] if is_plain_iri(n["id"])]
    for chunk in _chunks(nodes):
        values = iri_values(chunk)
        for triple in store.construct(NODES_CONSTRUCT.format(values=values)):
            out.add(triple)
    return out.serialize(format="turtle").encode("utf-8")


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


