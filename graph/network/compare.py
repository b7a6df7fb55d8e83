"""Programmes side by side: which pillars, organisations, initiatives and publications they share.

A programme's reach is the programme itself plus its components (entities of kind `onderdeel`
that are `sb:partOf` it, directly or through other components). What is related to it is what
any of those is directly related to, in either direction:

- pillars: `sb:addressesPillar` (stated by a source) and, apart, `sb:editorialPillar` (derived by
  the compiler of a facts file), never mixed;
- organisations, initiatives, publications: related entities of that kind.
"""

from __future__ import annotations

from typing import Any, Iterable

import networkx as nx

from graph.network.vocab import EDITORIAL_PILLAR, PART_OF, PILLARS, STATED_PILLAR

CATEGORIES: tuple[str, ...] = ("pillars", "editorial_pillars", "organisations", "initiatives", "publications")
KIND_CATEGORY = {"organisatie": "organisations", "initiatief": "initiatives", "publicatie": "publications"}


def programme_scope(g: nx.MultiDiGraph, programme: str) -> set[str]:
    """The programme and its components (kind 'onderdeel', `sb:partOf` it, directly or indirectly)."""
    scope = {programme}
    frontier = [programme]
    while frontier:
        whole = frontier.pop()
        for part, _, predicate in g.in_edges(whole, keys=True):
            if predicate == PART_OF and part not in scope and g.nodes[part].get("kind") == "onderdeel":
                scope.add(part)
                frontier.append(part)
    return scope


def related(g: nx.MultiDiGraph, programme: str) -> dict[str, set[str]]:
    """{category: entities} for one programme (see the module text for what counts)."""
    scope = programme_scope(g, programme)
    out: dict[str, set[str]] = {c: set() for c in CATEGORIES}
    pillars = set(PILLARS)
    for node in scope:
        for _, other, predicate in g.out_edges(node, keys=True):
            if predicate == STATED_PILLAR and other in pillars:
                out["pillars"].add(other)
            elif predicate == EDITORIAL_PILLAR and other in pillars:
                out["editorial_pillars"].add(other)
        for other in set(g.successors(node)) | set(g.predecessors(node)):
            category = KIND_CATEGORY.get(g.nodes[other].get("kind", ""))
            if category and other not in scope:
                out[category].add(other)
    return out


def compare(g: nx.MultiDiGraph, programmes: Iterable[str]) -> dict[str, Any]:
    """The overlap of two or more programmes, as plain data:

    {programmes: [...], scopes: {programme: [components]},
     categories: {category: {rows: [{iri, in: [bool per programme], shared: bool}],
                             shared: [iri], only: {programme: [iri]}, some: [iri]}}}

    `shared`: related to every programme; `only`: to exactly that one; `some`: to more than one
    but not all (only with three or more programmes)."""
    chosen = list(dict.fromkeys(programmes))
    per = {p: related(g, p) for p in chosen}
    categories: dict[str, Any] = {}
    for category in CATEGORIES:
        union = sorted(set().union(*(per[p][category] for p in chosen)))
        rows: list[dict[str, Any]] = []
        shared: list[str] = []
        some: list[str] = []
        only: dict[str, list[str]] = {p: [] for p in chosen}
        for iri in union:
            present = [iri in per[p][category] for p in chosen]
            count = sum(present)
            rows.append({"iri": iri, "in": present, "shared": count == len(chosen)})
            if count == len(chosen):
                shared.append(iri)
            elif count == 1:
                only[chosen[present.index(True)]].append(iri)
            else:
                some.append(iri)
        # Shared first, then by how many programmes, then by IRI.
        rows.sort(key=lambda r: (-sum(r["in"]), r["iri"]))
        categories[category] = {"rows": rows, "shared": shared, "only": only, "some": some}
    return {
        "programmes": chosen,
        "scopes": {p: sorted(programme_scope(g, p) - {p}) for p in chosen},
        "categories": categories,
    }


def comparison_nodes(result: dict[str, Any]) -> set[str]:
    """The programmes, their components and everything compared: the nodes of the comparison network."""
    nodes = set(result["programmes"])
    for parts in result["scopes"].values():
        nodes.update(parts)
    for category in result["categories"].values():
        nodes.update(row["iri"] for row in category["rows"])
    return nodes
