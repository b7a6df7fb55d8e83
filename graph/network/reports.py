"""The table-shaped network views as plain data: the pillar x sphere matrix, the metrics ranking,
and the card of one entity (see graph/netviews.py for the drawn ones)."""

from __future__ import annotations

from typing import Any

from rdflib import URIRef

from graph.errors import N_, BadRequest
from graph.namespaces import KINDS_BY_SEGMENT
from graph.network import analytics
from graph.network import matrix as matrix_mod
from graph.network.cache import NetworkData
from graph.network.views import UrlOf, all_nodes, betweenness, communities, degrees, draw, entity_ref, require_node, source_ref
from graph.network.vocab import EDITORIAL_PILLAR, EDITORIAL_SPHERE, PILLARS, SPHERE, SPHERES, STATED_PILLAR, slug_of
from graph.store.graphstore import GraphStore
from graph.store.labels import description

NONE = "geen"  # the 'no pillar stated' row / 'no sphere stated' column in URLs
MATRIX_COLUMNS = ["pillar", "sphere", "kind", "stated", "derived", "gap", "entities", "derived_entities"]
SORTS = ("degree", "betweenness", "label")


def kind_label(kind: str, lang: str) -> str:
    info = KINDS_BY_SEGMENT.get(kind)
    if info is None:
        return kind
    return info.plural_en if lang == "en" else info.plural_nl


# -- pillar x sphere matrix ---------------------------------------------------------------------

def matrix(data: NetworkData, *, lang: str, url_of: UrlOf) -> dict[str, Any]:
    """The matrix with every cell's entities (labelled), and the network of those entities with
    the pillars and spheres they address (the view's subgraph, for export)."""
    result = matrix_mod.pillar_sphere_matrix(data.graph)
    cells = []
    counted: set[str] = set()
    for cell in result["cells"]:
        for kind_lists in (cell["stated"], cell["derived"]):
            for iris in kind_lists.values():
                counted.update(iris)
        cells.append(
            {
                "pillar": slug_of(cell["pillar"]) if cell["pillar"] else None,
                "sphere": slug_of(cell["sphere"]) if cell["sphere"] else None,
                "counts": cell["counts"],
                "derivedCounts": cell["derived_counts"],
                "allCounts": cell["all_counts"],
                "gap": cell["gap"],
                "gapAll": cell["gap_all"],
                "stated": {k: [entity_ref(data, i, lang, url_of) for i in v] for k, v in cell["stated"].items()},
                "derived": {k: [entity_ref(data, i, lang, url_of) for i in v] for k, v in cell["derived"].items()},
                "all": {k: [entity_ref(data, i, lang, url_of) for i in v] for k, v in cell["all"].items()},
            }
        )
    concepts = [c for c in (*PILLARS, *SPHERES) if c in data.graph]
    classifying = {STATED_PILLAR, EDITORIAL_PILLAR, SPHERE, EDITORIAL_SPHERE}
    payload = draw(
        data,
        [*concepts, *sorted(counted)],
        lang=lang,
        url_of=url_of,
        edge_filter=lambda u, v, p, attrs: p in classifying,
        edge_labels=False,
        view={"type": "matrix"},
    )
    payload.update(
        {
            "pillars": [{"slug": slug_of(p), **entity_ref(data, p, lang, url_of)} for p in PILLARS],
            "spheres": [{"slug": slug_of(s), **entity_ref(data, s, lang, url_of)} for s in SPHERES],
            "kinds": [{"kind": k, "label": kind_label(k, lang)} for k in result["kinds"]],
            "shares": result["shares"],
            "cells": cells,
            "gaps": [{"pillar": slug_of(g["pillar"]), "sphere": slug_of(g["sphere"])} for g in result["gaps"]],
            "max": result["max"],
        }
    )
    return payload


def matrix_cell(payload: dict[str, Any], pillar: str | None, sphere: str | None) -> dict[str, Any] | None:
    """The cell for URL values (slugs, or 'geen' for the no-pillar row / no-sphere column)."""
    want_p = None if pillar in (None, "", NONE) else pillar
    want_s = None if sphere in (None, "", NONE) else sphere
    for cell in payload["cells"]:
        if cell["pillar"] == want_p and cell["sphere"] == want_s:
            return cell
    return None


def matrix_rows(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The matrix as flat rows (one per cell and kind), for CSV."""
    rows = []
    for cell in payload["cells"]:
        for kind in [k["kind"] for k in payload["kinds"]]:
            rows.append(
                {
                    "pillar": cell["pillar"] or NONE,
                    "sphere": cell["sphere"] or NONE,
                    "kind": kind,
                    "stated": cell["counts"][kind],
                    "derived": cell["derivedCounts"][kind],
                    "gap": "ja" if cell["gap"] else "",
                    "entities": " ".join(e["iri"] for e in cell["stated"][kind]),
                    "derived_entities": " ".join(e["iri"] for e in cell["derived"][kind]),
                }
            )
    return rows


# -- metrics ------------------------------------------------------------------------------------

def metrics(data: NetworkData, *, lang: str, url_of: UrlOf, sort: str = "degree", kind: str | None = None) -> dict[str, Any]:
    """The ranked metrics table: degree, betweenness and community of every entity (of `kind`)."""
    if sort not in SORTS:
        raise BadRequest(N_("sort by: %(choices)s"), choices=", ".join(SORTS))
    if kind and kind not in KINDS_BY_SEGMENT:
        raise BadRequest(N_("unknown kind: %(kind)s"), kind=kind)
    nodes = [n for n in all_nodes(data) if not kind or data.graph.nodes[n].get("kind") == kind]
    rows = analytics.metrics_table(
        data.graph,
        degrees=degrees(data),
        betweenness_values=betweenness(data),
        community_of=communities(data),
        lang=lang,
        sort=sort,
        nodes=nodes,
    )
    for row in rows:
        row["url"] = url_of(row["iri"])
    n = data.graph.number_of_nodes()
    return {
        "view": {"type": "metrics", "sort": sort, "kind": kind},
        "network": {
            "nodes": n,
            "edges": data.simple().number_of_edges(),
            "communities": len(set(communities(data).values())),
            "betweenness": "exact" if analytics.betweenness_sample(n) is None else f"estimated from {analytics.betweenness_sample(n)} pivots",
        },
        "rows": rows,
    }


def kind_options(data: NetworkData, lang: str) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for _, kind in data.graph.nodes(data="kind"):
        counts[kind] = counts.get(kind, 0) + 1
    return [{"kind": k, "label": kind_label(k, lang), "count": counts[k]} for k in KINDS_BY_SEGMENT if k in counts]


# -- a node's card ------------------------------------------------------------------------------

def card(store: GraphStore, data: NetworkData, iri: str, *, lang: str, url_of: UrlOf) -> dict[str, Any]:
    """What the side panel shows for a clicked node: label, kind, description, link, a few figures."""
    require_node(data, iri)
    attrs = data.graph.nodes[iri]
    kind = KINDS_BY_SEGMENT.get(attrs.get("kind", ""))
    return {
        **entity_ref(data, iri, lang, url_of),
        "kindLabel": (kind.label_en if lang == "en" else kind.label_nl) if kind else "",
        "altLabels": data.alt_labels.get(iri, []),
        "description": description(store, URIRef(iri), lang) or "",
        "degree": degrees(data).get(iri, 0),
        "types": attrs.get("types", []),
        "sources": [source_ref(data, s, lang, url_of) for s in data.node_sources.get(iri, [])],
    }
