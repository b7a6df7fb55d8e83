"""The pillar x sphere matrix: how many programmes, initiatives and publications address each
pillar in each sphere, and where nothing does (the gaps).

An entity counts in a cell (pillar P, sphere S) when it has pillar P and sphere S. Stated
assignments (`sb:addressesPillar`, `sb:sphere`) and editorial ones (`sb:editorialPillar`,
`sb:editorialSphere`) are kept apart: `stated` lists hold entities whose sources state both the
pillar and the sphere; `derived` lists hold the entities that reach the cell only with an editorial
pillar or sphere. Entities without a stated pillar fall in the row `None` ("no pillar"); without a
sphere in the column `None` ("no sphere"). A cell of the four pillars x three spheres is a gap
(`gap`: no stated entity; `gap_all`: no entity at all, stated or editorial).
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph.network.vocab import (
    EDITORIAL_PILLAR,
    EDITORIAL_SPHERE,
    MATRIX_KINDS,
    PILLARS,
    SPHERE,
    SPHERES,
    STATED_PILLAR,
)


def classify(g: nx.MultiDiGraph, node: str) -> tuple[set[str], set[str], set[str], set[str]]:
    """(stated pillars, editorial-only pillars, stated spheres, editorial-only spheres) of one entity."""
    stated, derived, spheres, derived_spheres = set(), set(), set(), set()
    for _, other, predicate in g.out_edges(node, keys=True):
        if predicate == STATED_PILLAR and other in PILLARS:
            stated.add(other)
        elif predicate == EDITORIAL_PILLAR and other in PILLARS:
            derived.add(other)
        elif predicate == SPHERE and other in SPHERES:
            spheres.add(other)
        elif predicate == EDITORIAL_SPHERE and other in SPHERES:
            derived_spheres.add(other)
    return stated, derived - stated, spheres, derived_spheres - spheres


def assignment_shares(g: nx.MultiDiGraph, kinds: tuple[str, ...] = MATRIX_KINDS) -> dict[str, int]:
    """How many pillar and sphere assignments of these kinds are stated and how many editorial."""
    counts = {"stated": 0, "editorial": 0}
    for node, kind in g.nodes(data="kind"):
        if kind not in kinds:
            continue
        for _, other, predicate in g.out_edges(node, keys=True):
            if other not in PILLARS and other not in SPHERES:
                continue
            if predicate in (STATED_PILLAR, SPHERE):
                counts["stated"] += 1
            elif predicate in (EDITORIAL_PILLAR, EDITORIAL_SPHERE):
                counts["editorial"] += 1
    return counts


def pillar_sphere_matrix(g: nx.MultiDiGraph, kinds: tuple[str, ...] = MATRIX_KINDS) -> dict[str, Any]:
    """Plain data: {pillars, spheres, kinds, cells: [{pillar, sphere, stated: {kind: [iri]},
    derived: {kind: [iri]}, counts: {kind: n, total: n}, derived_counts: {...}, gap}], gaps, max}.

    Rows are the four pillars then None; columns the three spheres then None."""
    rows: list[str | None] = [*PILLARS, None]
    columns: list[str | None] = [*SPHERES, None]
    cells: dict[tuple[str | None, str | None], dict[str, dict[str, list[str]]]] = {
        (p, s): {"stated": {k: [] for k in kinds}, "derived": {k: [] for k in kinds}, "all": {k: [] for k in kinds}}
        for p in rows for s in columns
    }
    for node, kind in sorted(g.nodes(data="kind")):
        if kind not in kinds:
            continue
        stated, derived, spheres, derived_spheres = classify(g, node)
        none: list[str | None] = [None]
        stated_pillars: list[str | None] = [*sorted(stated)] or none
        stated_spheres: list[str | None] = [*sorted(spheres)] or none
        stated_cells = {(p, s) for p in stated_pillars for s in stated_spheres}
        all_pillars: list[str | None] = [*sorted(stated | derived)] or none
        all_spheres: list[str | None] = [*sorted(spheres | derived_spheres)] or none
        all_cells = {(p, s) for p in all_pillars for s in all_spheres}
        for key in sorted(stated_cells, key=str):
            cells[key]["stated"][kind].append(node)
        for key in sorted(all_cells - stated_cells, key=str):
            cells[key]["derived"][kind].append(node)
        for key in sorted(all_cells, key=str):  # stated and editorial together: the margins hold what has none
            cells[key]["all"][kind].append(node)
    out_cells = []
    biggest = 0
    for p in rows:
        for s in columns:
            cell = cells[(p, s)]
            counts = {k: len(cell["stated"][k]) for k in kinds}
            counts["total"] = sum(counts.values())
            derived_counts = {k: len(cell["derived"][k]) for k in kinds}
            derived_counts["total"] = sum(derived_counts.values())
            all_counts = {k: len(cell["all"][k]) for k in kinds}
            all_counts["total"] = sum(all_counts.values())
            gap = p is not None and s is not None and counts["total"] == 0
            gap_all = gap and derived_counts["total"] == 0
            if p is not None and s is not None:
                biggest = max(biggest, counts["total"] + derived_counts["total"])
            out_cells.append(
                {"pillar": p, "sphere": s, **cell, "counts": counts, "derived_counts": derived_counts,
                 "all_counts": all_counts, "gap": gap, "gap_all": gap_all}
            )
    return {
        "pillars": list(PILLARS),
        "spheres": list(SPHERES),
        "kinds": list(kinds),
        "cells": out_cells,
        "gaps": [{"pillar": c["pillar"], "sphere": c["sphere"]} for c in out_cells if c["gap"]],
        "gaps_all": [{"pillar": c["pillar"], "sphere": c["sphere"]} for c in out_cells if c["gap_all"]],
        "max": biggest,
        "shares": assignment_shares(g, kinds),
    }


def cell(matrix: dict[str, Any], pillar: str | None, sphere: str | None) -> dict[str, Any] | None:
    for c in matrix["cells"]:
        if c["pillar"] == pillar and c["sphere"] == sphere:
            return c
    return None
