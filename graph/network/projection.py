"""The networkx projection: entities as typed nodes, relations as edges with predicate and sources."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from graph.namespaces import ID, KINDS_BY_SEGMENT, split_entity_iri
from graph.store.graphstore import GraphStore
from graph.store.labels import pick

# Edges that describe the vocabulary or bookkeeping rather than the field.
SKIPPED_PREDICATES = {RDF.type, SKOS.inScheme, SKOS.topConceptOf, SKOS.hasTopConcept}

NODES_QUERY = f"""
SELECT ?s ?type ?label WHERE {{
  ?s a ?type .
  FILTER(STRSTARTS(STR(?s), "{ID}"))
  OPTIONAL {{ ?s rdfs:label ?label }}
}}
"""

EDGES_QUERY = f"""
SELECT ?s ?p ?o ?g WHERE {{
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER(isIRI(?o) && STRSTARTS(STR(?s), "{ID}") && STRSTARTS(STR(?o), "{ID}"))
}}
"""


def project(store: GraphStore, *, include_sources: bool = False) -> nx.MultiDiGraph:
    """Build a MultiDiGraph: node attrs kind, types, label_nl, label_en; edge key = predicate IRI,
    edge attrs predicate and sources (sorted list of graph IRIs that state the relation)."""
    g = nx.MultiDiGraph()
    types: dict[Node, set[Node]] = defaultdict(set)
    labels: dict[Node, list[Literal]] = defaultdict(list)
    for row in store.select(NODES_QUERY):
        subject: Node = row["s"]
        types[subject].add(row["type"])
        label = row.get("label")
        if isinstance(label, Literal):
            labels[subject].append(label)
    # Nodes and edges go in sorted, so the graph (and what is computed from it: communities, layouts)
    # is the same whatever order a store returns its rows in.
    for subject, ts in sorted(types.items(), key=lambda item: str(item[0])):
        parts = split_entity_iri(str(subject))
        if parts is None or (parts[0] == "bron" and not include_sources):
            continue
        lit = sorted(set(labels.get(subject, [])), key=lambda x: (x.language or "", str(x)))
        g.add_node(
            str(subject),
            kind=parts[0],
            types=sorted(str(t) for t in ts),
            label_nl=pick(lit, "nl") or parts[1],
            label_en=pick(lit, "en") or pick(lit, "nl") or parts[1],
        )
    sources: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for row in store.select(EDGES_QUERY):
        s, p, o = str(row["s"]), str(row["p"]), str(row["o"])
        if URIRef(p) in SKIPPED_PREDICATES or p == str(RDFS.seeAlso):
            continue
        if s in g and o in g and s != o:
            sources[(s, p, o)].add(str(row["g"]))
    for (s, p, o), srcs in sorted(sources.items()):
        g.add_edge(s, o, key=p, predicate=p, sources=sorted(srcs))
    return g


def kind_class(segment: str) -> str:
    return str(KINDS_BY_SEGMENT[segment].cls)
