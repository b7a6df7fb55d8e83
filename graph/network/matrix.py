"""The pillar x sphere matrix: how many programmes, initiatives and publications address each
pillar in each sphere, and where nothing does (the gaps).

An entity counts in a cell (pillar P, sphere S) when it has pillar P and sphere S. Stated pillars
(`sb:addressesPillar`) and derived ones (`sb:derivedPillar`) are kept apart: `stated` lists hold
entities whose source states the pillar; `derived` lists hold entities whose pillar P is only
derived (not also stated). Entities without a stated pillar fall in the row `None` ("no pillar
stated"); without a sphere in the column `None` ("no sphere stated"). A gap is a cell of the four
pillars x three spheres with no stated entity.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph.network.vocab import DERIVED_PILLAR, MATRIX_KINDS, PILLARS, SPHERE, SPHERES, STATED_PILLAR


def classify(g: nx.MultiDiGraph, node: str) -> tuple[set[str], set[str], set[str]]:
    """(stated pillars, derived-only pillars, spheres) of one entity."""
    stated, derived, spheres = set(), set(), set()
    for _, other, predicate in g.out_edges(node, keys=True):
        if predicate == STATED_PILLAR and other in PILLARS:
            stated.add(other)
        elif predicate == DERIVED_PILLAR and other in PILLARS:
            derived.add(other)
        elif predicate == SPHERE and other in SPHERES:
            spheres.add(other)
    return stated, derived - stated, spheres


def pillar_sphere_matrix(g: nx.MultiDiGraph, kinds: tuple[str, ...] = MATRIX_KINDS) -> dict[str, Any]:
    """Plain data: {pillars, spheres, kinds, cells: [{pillar, sphere, stated: {kind: [iri]},
    derived: {kind: [iri]}, counts: {kind: n, total: n}, derived_counts: {...}, gap}], gaps, max}.

    Rows are the four pillars then None; columns the three spheres then None."""
    rows: list[str | None] = [*PILLARS, None]
    columns: list[str | None] = [*SPHERES, None]
    cells: dict[tuple[str | None, str | None], dict[str, dict[str, list[str]]]] = {
        (p, s): {"stated": {k: [] for k in kinds}, "derived": {k: [] for k in kinds}} for p in rows for s in columns
    }
    for node, kind in sorted(g.nodes(data="kind")):
        if kind not in kinds:
            continue
        stated, derived, spheres = classify(g, node)
        sphere_keys: list[str | None] = [*sorted(spheres)] or [None]
        stated_keys: list[str | None] = [*sorted(stated)] or [None]
        for sphere in sphere_keys:
            for pillar in stated_keys:
                cells[(pillar, sphere)]["stated"][kind].append(node)
            for pillar in sorted(derived):
                cells[(pillar, sphere)]["derived"][kind].append(node)
    out_cells = []
    biggest = 0
    for p in rows:
        for s in columns:
            cell = cells[(p, s)]
            counts = {k: len(cell["stated"][k]) for k in kinds}
            counts["total"] = sum(counts.values())
            derived_counts = {k: len(cell["derived"][k]) for k in kinds}
            derived_counts["total"] = sum(derived_counts.values())
            gap = p is not None and s is not None and counts["total"] == 0
            if p is not None and s is not None:
                biggest = max(biggest, counts["total"] + derived_counts["total"])
            out_cells.append(
                {"pillar": p, "sphere": s, **cell, "counts": counts, "derived_counts": derived_counts, "gap": gap}
            )
    return {
        "pillars": list(PILLARS),
        "spheres": list(SPHERES),
        "kinds": list(kinds),
        "cells": out_cells,
        "gaps": [{"pillar": c["pillar"], "sphere": c["sphere"]} for c in out_cells if c["gap"]],
        "max": biggest,
    }


def cell(matrix: dict[str, Any], pillar: str | None, sphere: str | None) -> dict[str, Any] | None:
    for c in matrix["cells"]:
        if c["pillar"] == pillar and c["sphere"] == sphere:
            return c
    return None
