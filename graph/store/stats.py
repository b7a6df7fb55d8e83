"""Statistics of the store: triples, entities per class and per kind, sources."""

from __future__ import annotations

from typing import Any

from graph.namespaces import GRAPH_ONTOLOGY, GRAPH_SOURCES, ID
from graph.store.graphstore import GraphStore
from graph.store.labels import pick


def statistics(store: GraphStore) -> dict[str, Any]:
    """Plain data: {'triples', 'entities', 'graphs', 'kinds': {kind: n}, 'classes': {iri: n}, 'sources': [...]}."""
    classes = {
        str(r["c"]): int(r["n"])
        for r in store.select(
            f'SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?s), "{ID}")) }} GROUP BY ?c ORDER BY DESC(?n)'
        )
    }
    kinds: dict[str, int] = {}
    for r in store.select(
        f'SELECT ?s WHERE {{ ?s rdfs:label ?l FILTER(STRSTARTS(STR(?s), "{ID}") && LANG(?l) = "nl") }}'
    ):
        kind = str(r["s"])[len(ID) :].split("/", 1)[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    per_graph = {
        str(r["g"]): int(r["n"]) for r in store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    }
    titles: dict[str, list] = {}
    for r in store.select("SELECT ?g ?t WHERE { ?g a sb:Source ; rdfs:label ?t }"):
        titles.setdefault(str(r["g"]), []).append(r["t"])
    sources = sorted(
        (
            {"iri": g, "label": pick(titles.get(g, []), "nl") or g, "triples": int(n)}
            for g, n in per_graph.items()
            if g not in {str(GRAPH_ONTOLOGY), str(GRAPH_SOURCES)}
        ),
        key=lambda s: (-int(str(s["triples"])), str(s["iri"])),
    )
    return {
        "triples": store.triple_count(),
        "entities": sum(kinds.values()),
        "graphs": len(per_graph),
        "kinds": dict(sorted(kinds.items())),
        "classes": classes,
        "sources": sources,
    }
