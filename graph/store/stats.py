"""Statistics of the store: triples, entities per class and per kind, the sources and the other graphs."""

from __future__ import annotations

from typing import Any

from graph.namespaces import ID
from graph.store.graphstore import GraphStore
from graph.store.namedgraphs import named_graphs


def statistics(store: GraphStore) -> dict[str, Any]:
    """Plain data: {'triples', 'entities', 'graphs', 'kinds': {kind: n}, 'classes': {iri: n}, 'sources': [...],
    'other_graphs': [...]}, the graphs named and kinded as the downloads name them (graph.store.namedgraphs)."""
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
    graphs = named_graphs(store)  # every named graph once, with its kind and label
    sources = sorted(
        ({"iri": g.iri, "label": g.label("nl"), "triples": n} for g, n in graphs if g.kind == "bron"),
        key=lambda s: (-int(str(s["triples"])), str(s["iri"])),
    )
    others = [{"iri": g.iri, "kind": g.kind, "label": g.label("nl"), "triples": n} for g, n in graphs if g.kind != "bron"]
    return {
        "triples": store.triple_count(),
        "entities": sum(kinds.values()),
        "graphs": len(graphs),
        "kinds": dict(sorted(kinds.items())),
        "classes": classes,
        "sources": sources,
        "other_graphs": others,  # the ontology, the source list, the editorial graphs, the moderation record
    }
