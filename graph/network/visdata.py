"""vis-network data for a set of nodes: plain dicts, fast (no pyvis `add_node`/`from_nx`).

The browser script (webapp/static/network/common.js) draws exactly what `build` returns; the same
dict is the view's JSON twin. Labels are plain text (vis-network draws them on a canvas; no HTML
tooltips: node `title` is never set). Above `LAYOUT_THRESHOLD` nodes the positions are computed
here (graph/layout.py) and physics is switched off, so big pictures appear at once.

pyvis is used for what it is good at: the physics, layout and interaction options
(`pyvis.options.Options`); not for its HTML template (CDN assets, HTML tooltips) or its
quadratic node/edge bookkeeping.
"""

from __future__ import annotations

import gc
import json
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, Mapping

import networkx as nx

from graph.namespaces import KINDS_BY_SEGMENT
from graph.network.layout import fast_layout
from graph.network.vocab import EDITORIAL_PILLAR, EDITORIAL_SPHERE, PILLARS, SPHERE, SPHERES, STATED_PILLAR, slug_of

LAYOUT_THRESHOLD = 1000
EDGE_LABEL_LIMIT = 150  # draw relation names on edges only in views up to this many edges

# Colour and shape per kind: shapes differ too, so the legend does not rely on colour alone.
KIND_STYLE: dict[str, dict[str, str]] = {
    "programma": {"color": "#b3261e", "shape": "diamond"},
    "onderdeel": {"color": "#d9822b", "shape": "triangle"},
    "initiatief": {"color": "#1d7a3a", "shape": "dot"},
    "publicatie": {"color": "#0b5f86", "shape": "square"},
    "organisatie": {"color": "#6a1b9a", "shape": "hexagon"},
    "plaats": {"color": "#7a5a00", "shape": "triangleDown"},
    "persoon": {"color": "#c2185b", "shape": "star"},
    "begrip": {"color": "#5f6b7a", "shape": "dot"},
    "bron": {"color": "#333333", "shape": "square"},
}
KIND_ORDER = tuple(KIND_STYLE)


def vis_options(*, precomputed: bool, edge_labels: bool, big: bool | None = None) -> dict[str, Any]:
    """vis-network options: physics for small views, a fixed precomputed layout for big ones (and
    for views that bring their own positions, such as paths); `big` (default: `precomputed`) thins
    edges and borders for thousands of nodes."""
    big = precomputed if big is None else big
    from pyvis.options import Options

    options = Options()
    if precomputed:
        options.physics.enabled = False
        options.physics.toggle_stabilization(False)
        options.edges.smooth.enabled = False
        options.interaction.hideEdgesOnDrag = True
    else:
        options.physics.use_force_atlas_2based(
            {"gravity": -60, "central_gravity": 0.01, "spring_length": 110, "spring_strength": 0.08, "damping": 0.6, "overlap": 0.2}
        )
        options.physics.stabilization.iterations = 300
        options.physics.stabilization.updateInterval = 25
        options.edges.toggle_smoothness("continuous")
    options.edges.inherit_colors(False)
    out = json.loads(options.to_json())
    out.pop("configure", None)  # the configurator needs inline styles and is not for visitors
    out["layout"] = {"improvedLayout": False, "randomSeed": 7}
    out["interaction"].update(
        {"hover": True, "hideEdgesOnZoom": big, "navigationButtons": False, "multiselect": False,
         "keyboard": {"enabled": True, "bindToWindow": False, "autoFocus": False}}
    )
    out["nodes"] = {
        "borderWidth": 1,
        "font": {"size": 14, "face": "system-ui, sans-serif", "color": "#1d2330", "strokeWidth": 3, "strokeColor": "#ffffff"},
        "scaling": {"min": 8, "max": 36, "label": {"enabled": True, "min": 12, "max": 22, "drawThreshold": 7}},
    }
    out["edges"].update(
        {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#9aa3b2", "highlight": "#1d2330", "hover": "#1d2330", "inherit": False},
            "width": 1,
            "font": {"size": 11, "align": "middle", "color": "#4f5868", "strokeWidth": 3, "strokeColor": "#ffffff"},
        }
    )
    if not edge_labels:
        out["edges"]["font"]["size"] = 0
    if big:
        # Thousands of nodes: faint thin edges and borderless nodes, so the nodes stay visible.
        out["edges"]["color"]["color"] = "rgba(120, 130, 150, 0.22)"
        out["edges"]["width"] = 0.5
        out["edges"]["arrows"]["to"]["enabled"] = False
        out["nodes"]["borderWidth"] = 0
        out["nodes"]["scaling"].update({"min": 10, "max": 80})
    out["groups"] = {
        kind: {"shape": style["shape"], "color": {"background": style["color"], "border": "#ffffff",
                                                 "highlight": {"background": style["color"], "border": "#1d2330"},
                                                 "hover": {"background": style["color"], "border": "#1d2330"}}}
        for kind, style in KIND_STYLE.items()
    }
    out["groups"]["begrip"]["shapeProperties"] = {"borderDashes": [4, 3]}
    return out


def legend(kinds_present: Mapping[str, int], lang: str) -> list[dict[str, Any]]:
    """[{kind, label, color, shape, count}] in a fixed order, for the kinds in the view."""
    out = []
    for kind in KIND_ORDER:
        if kind in kinds_present:
            info = KINDS_BY_SEGMENT[kind]
            out.append(
                {
                    "kind": kind,
                    "label": info.plural_en if lang == "en" else info.plural_nl,
                    "color": KIND_STYLE[kind]["color"],
                    "shape": KIND_STYLE[kind]["shape"],
                    "count": kinds_present[kind],
                }
            )
    return out


_FACET_TARGETS = {STATED_PILLAR: frozenset(PILLARS), EDITORIAL_PILLAR: frozenset(PILLARS), SPHERE: frozenset(SPHERES),
                  EDITORIAL_SPHERE: frozenset(SPHERES)}
_FACET_KEYS = {STATED_PILLAR: "pillars", EDITORIAL_PILLAR: "editorialPillars", SPHERE: "spheres",
               EDITORIAL_SPHERE: "editorialSpheres"}


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while building many small dicts and lists (none of them form
    cycles): with a big network in memory, each full collection walks all of it, which made
    building a 20,000-node view several times slower."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build(
    g: nx.MultiDiGraph,
    nodes: Iterable[str] | None = None,
    *,
    lang: str = "nl",
    relations: Mapping[str, Any] | None = None,
    sources: Mapping[str, Mapping[str, str]] | None = None,
    node_sources: Mapping[str, list[str]] | None = None,
    url_of: Callable[[str], str] = str,
    values: Mapping[str, float] | None = None,
    positions: Mapping[str, tuple[float, float]] | None = None,
    roles: Mapping[str, str] | None = None,
    edge_filter: Callable[[str, str, str, dict], bool] | None = None,
    edge_labels: bool | None = None,
    view: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The drawing of `nodes` (all of `g` when None) and the relations among them.

    relations: {predicate: RelationLabel} for relation names; sources: {source iri: {nl, en}};
    node_sources: {node: [source iris]} (for the source filter); values: node size (e.g. degree;
    None: all equal); positions: precomputed (x, y) (else computed here above LAYOUT_THRESHOLD
    nodes); roles: {node: 'focus' | 'endpoint'} for emphasis; edge_filter(u, v, predicate, attrs):
    keep a relation or not.

    The result (also the view's JSON twin):
      nodes: [{id, label, kind, url, value, x?, y?, pillars?, editorialPillars?, spheres?, sources?, role?}]
             (pillars etc. are slugs, left out when empty; sources are indexes into `sources`)
      edges: [{from, to, relations: [{predicate, sources}], label?}]: one per related ordered
             pair; `predicate` and `sources` are indexes into `predicates` and `sources`
      predicates: [{iri, label}] (label read from the edge's `from` to its `to`)
      sources: [{iri, label, url}]; legend; options (vis-network); layout; counts; view"""
    with paused_gc():
        return _build(g, nodes, lang=lang, relations=relations, sources=sources, node_sources=node_sources, url_of=url_of,
                      values=values, positions=positions, roles=roles, edge_filter=edge_filter, edge_labels=edge_labels, view=view)


def _build(
    g: nx.MultiDiGraph,
    nodes: Iterable[str] | None,
    *,
    lang: str,
    relations: Mapping[str, Any] | None,
    sources: Mapping[str, Mapping[str, str]] | None,
    node_sources: Mapping[str, list[str]] | None,
    url_of: Callable[[str], str],
    values: Mapping[str, float] | None,
    positions: Mapping[str, tuple[float, float]] | None,
    roles: Mapping[str, str] | None,
    edge_filter: Callable[[str, str, str, dict], bool] | None,
    edge_labels: bool | None,
    view: Mapping[str, Any] | None,
) -> dict[str, Any]:
    relations = relations or {}
    sources = sources or {}
    node_sources = node_sources or {}
    roles = roles or {}
    order = list(dict.fromkeys(nodes if nodes is not None else g.nodes()))
    present = set(order)
    source_index: dict[str, int] = {}
    predicate_index: dict[str, int] = {}

    def src(iri: str) -> int:
        found = source_index.get(iri)
        if found is None:
            found = source_index[iri] = len(source_index)
        return found

    # One pass over the relations: the drawn edges and every node's pillars and spheres.
    grouped: dict[tuple[str, str], list[tuple[str, dict]]] = {}
    facet: dict[str, dict[str, list[str]]] = {}
    for u, v, predicate, attrs in g.out_edges(order, keys=True, data=True):
        targets = _FACET_TARGETS.get(predicate)
        if targets is not None and v in targets:
            facet.setdefault(u, {}).setdefault(_FACET_KEYS[predicate], []).append(slug_of(v))
        if v in present and u != v and (edge_filter is None or edge_filter(u, v, predicate, attrs)):
            grouped.setdefault((u, v), []).append((predicate, attrs))

    label_key = "label_en" if lang == "en" else "label_nl"
    kinds: dict[str, int] = {}
    out_nodes: list[dict[str, Any]] = []
    g_nodes = g.nodes
    for iri in order:
        attrs = g_nodes[iri]
        kind = attrs.get("kind", "")
        kinds[kind] = kinds.get(kind, 0) + 1
        node: dict[str, Any] = {
            "id": iri,
            "label": attrs.get(label_key) or iri,
            "kind": kind,
            "url": url_of(iri),
            "value": values.get(iri, 0) if values is not None else 1,
        }
        for key, slugs in facet.get(iri, {}).items():
            node[key] = sorted(slugs)
        named_by = node_sources.get(iri)
        if named_by:
            node["sources"] = [src(s) for s in named_by]
        if iri in roles:
            node["role"] = roles[iri]
        out_nodes.append(node)

    out_edges: list[dict[str, Any]] = []
    for (u, v), rels in grouped.items():
        items = []
        if len(rels) > 1:
            rels.sort(key=lambda r: r[0])
        for predicate, attrs in rels:
            p = predicate_index.get(predicate)
            if p is None:
                p = predicate_index[predicate] = len(predicate_index)
            items.append({"predicate": p, "sources": [src(s) for s in attrs.get("sources", ())]})
        out_edges.append({"from": u, "to": v, "relations": items})

    predicate_list = []
    for predicate in predicate_index:
        phrases = relations.get(predicate)
        text = phrases.forward(lang) if phrases is not None else predicate.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        predicate_list.append({"iri": predicate, "label": text})
    draw_labels = len(out_edges) <= EDGE_LABEL_LIMIT if edge_labels is None else edge_labels
    if draw_labels:
        for edge in out_edges:
            edge["label"] = " / ".join(dict.fromkeys(predicate_list[r["predicate"]]["label"] for r in edge["relations"]))

    precomputed = len(order) > LAYOUT_THRESHOLD or positions is not None
    if precomputed:
        if positions is None or any(iri not in positions for iri in order):
            index = {iri: i for i, iri in enumerate(order)}
            xy = fast_layout(len(order), [(index[u], index[v]) for u, v in grouped])
            positions = {iri: xy[i] for i, iri in enumerate(order)}
        for node in out_nodes:
            x, y = positions[node["id"]]
            node["x"], node["y"] = round(x, 1), round(y, 1)

    source_list: list[dict[str, str]] = []
    for iri in source_index:
        labels = sources.get(iri, {})
        source_list.append({"iri": iri, "label": labels.get(lang) or labels.get("nl") or iri.rsplit("/", 1)[-1], "url": url_of(iri)})
    return {
        "view": dict(view or {}),
        "lang": lang,
        "layout": "precomputed" if precomputed else "physics",
        "counts": {"nodes": len(out_nodes), "edges": len(out_edges)},
        "nodes": out_nodes,
        "edges": out_edges,
        "predicates": predicate_list,
        "sources": source_list,
        "legend": legend(kinds, lang),
        "options": vis_options(precomputed=precomputed, edge_labels=draw_labels, big=len(order) > LAYOUT_THRESHOLD),
    }


def layout_positions(g: nx.Graph, nodes: list[str] | None = None) -> dict[str, tuple[float, float]]:
    """Precomputed positions for `nodes` of `g` (all when None), for reuse across requests."""
    with paused_gc():
        order = list(nodes if nodes is not None else g.nodes())
        index = {iri: i for i, iri in enumerate(order)}
        pairs = [(index[u], index[v]) for u, v in g.edges() if u in index and v in index]
        xy = fast_layout(len(order), pairs)
        return {iri: xy[i] for i, iri in enumerate(order)}
