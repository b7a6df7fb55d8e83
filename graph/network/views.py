"""The network views as plain data: concept map, ego network, paths, comparison, matrix, metrics.

Each function takes the cached `NetworkData` (graph/netcache.py) and returns a dict that the page
draws and that is, as it stands, the page's JSON twin. `url_of(iri)` is given by the web layer
(graph/ does not know about Flask).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import networkx as nx

from graph.errors import N_, BadRequest, NotFound
from graph.network import analytics, grouping, visdata
from graph.network import compare as compare_mod
from graph.network import paths as paths_mod
from graph.network.cache import NetworkData
from graph.network.vocab import (
    EDITORIAL_PILLAR,
    EDITORIAL_SPHERE,
    PILLARS,
    SPHERE,
    SPHERES,
    STATED_PILLAR,
    concept_iri,
    slug_of,
)

UrlOf = Callable[[str], str]
MAX_DEPTH = 4
DEFAULT_DEPTH = 1  # one step: a readable view first; the page offers to expand it
MAX_EGO_NODES = 2000


# -- shared values, memoised per network version -----------------------------------------------

def degrees(data: NetworkData) -> dict[str, int]:
    return data.memo("degree", lambda: analytics.degree(data.graph))


def betweenness(data: NetworkData) -> dict[str, float]:
    return data.memo("betweenness", lambda: analytics.betweenness(data.simple()))


def communities(data: NetworkData) -> dict[str, int]:
    return data.memo("communities", lambda: analytics.communities(data.simple()))


def all_nodes(data: NetworkData) -> list[str]:
    """Every node, in a stable order (by IRI)."""
    return data.memo("nodes", lambda: sorted(data.graph.nodes()))


OVERVIEW_KINDS = ("programma", "initiatief")
MAP_LABEL_WIDTH = 360  # a label longer than this (in canvas pixels) wraps
OVERVIEW_NEIGHBOURS = ("programma", "onderdeel", "initiatief")


def overview_nodes(data: NetworkData) -> list[str]:
    """What the concept map opens on: programmes, initiatives, and the organisations linked to a
    programme, a programme component or an initiative (not every municipality's government body)."""
    def compute() -> list[str]:
        g, simple = data.graph, data.simple()
        kind = nx.get_node_attributes(g, "kind")
        core = {n for n, k in kind.items() if k in OVERVIEW_KINDS}
        anchors = {n for n, k in kind.items() if k in OVERVIEW_NEIGHBOURS}
        organisations = {w for a in anchors if a in simple for w in simple.neighbors(a) if kind.get(w) == "organisatie"}
        return sorted(core | organisations)
    return data.memo("overview", compute)


def positions(data: NetworkData) -> dict[str, tuple[float, float]] | None:
    """The precomputed layout of the whole network (None when small enough for physics)."""
    if data.graph.number_of_nodes() <= visdata.LAYOUT_THRESHOLD:
        return None
    return data.memo("layout", lambda: visdata.layout_positions(data.graph, all_nodes(data)))


def warm(data: NetworkData) -> None:
    """Compute what the views share (degree, layout, betweenness, communities) ahead of the
    first visitor; the web layer runs this in the background whenever the network is rebuilt."""
    degrees(data)
    positions(data)
    data.simple()
    communities(data)
    betweenness(data)


def require_node(data: NetworkData, iri: str) -> str:
    if iri not in data.graph:
        raise NotFound(N_("unknown entity: %(entity)s"), entity=str(iri))
    return iri


def draw(data: NetworkData, nodes: Iterable[str], *, lang: str, url_of: UrlOf, **kwargs: Any) -> dict[str, Any]:
    """visdata.build with the network's labels and sources; nodes sized by degree unless `values` is given."""
    kwargs.setdefault("values", degrees(data))
    return visdata.build(
        data.graph,
        nodes,
        lang=lang,
        relations=data.relations,
        sources=data.sources,
        node_sources=data.node_sources,
        url_of=url_of,
        **kwargs,
    )


def entity_ref(data: NetworkData, iri: str, lang: str, url_of: UrlOf) -> dict[str, str]:
    kind = data.graph.nodes[iri].get("kind", "") if iri in data.graph else ""
    return {"iri": iri, "label": data.label(iri, lang), "kind": kind, "url": url_of(iri)}


def source_ref(data: NetworkData, iri: str, lang: str, url_of: UrlOf) -> dict[str, str]:
    return {"iri": iri, "label": data.source_label(iri, lang), "url": url_of(iri)}


# -- the concept map ----------------------------------------------------------------------------

@dataclass
class MapFilter:
    """The concept map's filters (all optional). A node is shown when it passes every filter:

    kinds: its kind is one of these; pillar: it addresses the pillar (stated; derived too when
    `derived`, which is editorial) or is that pillar; sphere: likewise; source: the source
    names it or states one of its relations (relations are then limited to those the source
    states). `expanded` nodes and their neighbours are shown whatever the filters say."""

    kinds: set[str] = field(default_factory=set)
    pillar: str | None = None
    sphere: str | None = None
    source: str | None = None
    derived: bool = False
    expanded: list[str] = field(default_factory=list)
    everything: bool = False  # without filters: every node instead of the overview
    group: str = "kind"  # colour the nodes by kind, theme or community (grouping.GROUPINGS); not a filter

    @property
    def active(self) -> bool:
        return bool(self.kinds or self.pillar or self.sphere or self.source or self.expanded)


def check_filter(flt: MapFilter) -> tuple[str | None, str | None]:
    """(pillar IRI, sphere IRI) of a filter; 400 for an unknown pillar or sphere."""
    pillar = concept_iri(flt.pillar) if flt.pillar else None
    sphere = concept_iri(flt.sphere) if flt.sphere else None
    if pillar and pillar not in PILLARS:
        raise BadRequest(N_("unknown pillar: %(pillar)s"), pillar=flt.pillar)
    if sphere and sphere not in SPHERES:
        raise BadRequest(N_("unknown sphere: %(sphere)s"), sphere=flt.sphere)
    if flt.group not in grouping.GROUPINGS:
        raise BadRequest(N_("unknown grouping: %(group)s"), group=flt.group)
    return pillar, sphere


def filter_nodes(data: NetworkData, flt: MapFilter) -> list[str]:
    g = data.graph
    pillar, sphere = check_filter(flt)
    pillar_predicates = {STATED_PILLAR, EDITORIAL_PILLAR} if flt.derived else {STATED_PILLAR}
    sphere_predicates = {SPHERE, EDITORIAL_SPHERE} if flt.derived else {SPHERE}

    def passes(iri: str) -> bool:
        attrs = g.nodes[iri]
        if flt.kinds and attrs.get("kind") not in flt.kinds:
            return False
        if pillar and iri != pillar and not any(p in pillar_predicates for p in (g.get_edge_data(iri, pillar) or {})):
            return False
        if sphere and iri != sphere and not any(p in sphere_predicates for p in (g.get_edge_data(iri, sphere) or {})):
            return False
        if flt.source and flt.source not in data.node_sources.get(iri, ()):
            return False
        return True

    shown = [iri for iri in all_nodes(data) if passes(iri)]
    return with_opened(data, shown, flt.expanded)


def with_opened(data: NetworkData, nodes: list[str], opened: list[str]) -> list[str]:
    """`nodes`, then the `opened` nodes and their neighbours that are not among them yet."""
    simple = data.simple()
    extra = {w for iri in opened if iri in simple for w in (iri, *simple.neighbors(iri))}
    return nodes + sorted(extra - set(nodes))


def filter_options(data: NetworkData, lang: str) -> dict[str, Any]:
    kinds: dict[str, int] = {}
    for _, kind in data.graph.nodes(data="kind"):
        kinds[kind] = kinds.get(kind, 0) + 1
    return {
        "kinds": visdata.legend(kinds, lang),
        "pillars": [{"slug": slug_of(p), "iri": p, "label": data.label(p, lang)} for p in PILLARS],
        "spheres": [{"slug": slug_of(s), "iri": s, "label": data.label(s, lang)} for s in SPHERES],
    }


def concept_map(data: NetworkData, *, lang: str, url_of: UrlOf, flt: MapFilter | None = None) -> dict[str, Any]:
    """The whole network (or the part that passes `flt`), nodes sized by degree."""
    flt = flt or MapFilter()
    only_opened = bool(flt.expanded) and not (flt.kinds or flt.pillar or flt.sphere or flt.source)
    if only_opened and not flt.everything:
        # the overview grown by the nodes a visitor opened, with their neighbours
        nodes, shown = with_opened(data, overview_nodes(data), flt.expanded), "overview"
    elif flt.active:
        nodes, shown = filter_nodes(data, flt), "filtered"
    elif flt.everything:
        nodes, shown = all_nodes(data), "everything"
    else:
        nodes, shown = overview_nodes(data), "overview"
    source = flt.source
    edge_filter = (lambda u, v, p, attrs: source in attrs.get("sources", ())) if source and not flt.expanded else None
    payload = draw(
        data,
        nodes,
        lang=lang,
        url_of=url_of,
        # the whole network's precomputed layout for big views; physics lays out a smaller one afresh
        positions=positions(data) if len(nodes) > visdata.LAYOUT_THRESHOLD else None,
        edge_filter=edge_filter,
        edge_labels=False,
        view={"type": "map", "size": "degree", "total": data.graph.number_of_nodes(), "shown": shown},
    )
    # Kumu-like reading: labels grow with a node's links, so the best connected stay readable zoomed
    # out; long names wrap; the rest appear as one zooms in (below 8 px a label is not drawn).
    node_options = payload["options"].setdefault("nodes", {})
    node_options["scaling"] = {
        "min": 6, "max": 36, "label": {"enabled": True, "min": 14, "max": 44, "maxVisible": 28, "drawThreshold": 8}}
    node_options["widthConstraint"] = {"maximum": MAP_LABEL_WIDTH}
    if payload["layout"] == "physics":
        # hubs and their labels apart: stronger repulsion and no overlap of nodes
        payload["options"]["physics"]["forceAtlas2Based"].update(
            {"gravitationalConstant": -900, "centralGravity": 0.08, "springLength": 260, "avoidOverlap": 1})
        payload["options"]["physics"]["stabilization"]["iterations"] = 1000
    payload["filters"] = filter_options(data, lang)
    payload["view"]["group"] = flt.group
    return grouping.group_nodes(data, payload, by=flt.group, lang=lang, url_of=url_of, stated_only=not flt.derived)


# -- ego network --------------------------------------------------------------------------------

def ego_nodes(data: NetworkData, iri: str, depth: int, limit: int | None = None) -> tuple[list[str], int, bool]:
    """Nodes within `depth` steps of `iri`, nearest first (then best connected); (nodes, distance
    reached, truncated). At most `limit` (default MAX_EGO_NODES) nodes: a level that does not fit is cut."""
    limit = MAX_EGO_NODES if limit is None else limit
    simple = data.simple()
    deg = degrees(data)
    order, seen, frontier = [iri], {iri}, [iri]
    reached = 0
    for level in range(1, depth + 1):
        nxt = sorted({w for v in frontier for w in simple.neighbors(v)} - seen, key=lambda w: (-deg.get(w, 0), w))
        if not nxt:
            break
        reached = level
        room = limit - len(order)
        if len(nxt) > room:
            order.extend(nxt[:room])
            return order, reached, True
        order.extend(nxt)
        seen.update(nxt)
        frontier = nxt
    return order, reached, False


def ego(data: NetworkData, iri: str, *, depth: int = DEFAULT_DEPTH, lang: str, url_of: UrlOf,
        wording: paths_mod.Wording) -> dict[str, Any]:
    require_node(data, iri)
    if not 1 <= depth <= MAX_DEPTH:
        raise BadRequest(N_("depth must be between 1 and %(max)s"), max=MAX_DEPTH)
    nodes, reached, truncated = ego_nodes(data, iri, depth)
    payload = draw(
        data,
        nodes,
        lang=lang,
        url_of=url_of,
        roles={iri: "focus"},
        view={"type": "ego", "focus": entity_ref(data, iri, lang, url_of), "depth": depth, "reached": reached,
              "truncated": truncated, "limit": MAX_EGO_NODES, "total": data.graph.number_of_nodes()},
    )
    payload["neighbours"] = neighbours(data, iri, lang=lang, url_of=url_of, wording=wording)
    payload["metrics"] = entity_metrics(data, iri)
    return payload


def neighbours(data: NetworkData, iri: str, *, lang: str, url_of: UrlOf, wording: paths_mod.Wording) -> list[dict[str, Any]]:
    """The direct relations of `iri` as text (worded by `wording`): [{phrase, other: {iri, label, kind, url}, sources}]."""
    out = []
    for other in sorted(data.simple().neighbors(iri), key=lambda n: (data.label(n, lang).casefold(), n)):
        for step in paths_mod.path_steps(data.graph, [iri, other], data.relations, lang, wording):
            for rel in step["relations"]:
                out.append(
                    {
                        "phrase": rel["phrase"],
                        "predicate": rel["predicate"],
                        "direction": rel["direction"],
                        "other": entity_ref(data, other, lang, url_of),
                        "sources": [source_ref(data, s, lang, url_of) for s in rel["sources"]],
                    }
                )
    out.sort(key=lambda r: (r["phrase"].casefold(), r["other"]["label"].casefold()))
    return out


def entity_metrics(data: NetworkData, iri: str) -> dict[str, Any]:
    deg = degrees(data)
    btw = betweenness(data)
    comm = communities(data)
    ranks = data.memo("ranks", lambda: (analytics.ranks(deg), analytics.ranks(btw)))
    size = sum(1 for c in comm.values() if c == comm.get(iri))
    return {
        "degree": deg.get(iri, 0),
        "degree_rank": ranks[0].get(iri),
        "betweenness": round(btw.get(iri, 0.0), 6),
        "betweenness_rank": ranks[1].get(iri),
        "community": comm.get(iri),
        "community_size": size,
        "nodes": data.graph.number_of_nodes(),
    }


# -- paths --------------------------------------------------------------------------------------

PATH_STEP_X = 480.0  # horizontal room per step: long labels stay apart
PATH_ROW_Y = 130.0


def left_to_right(paths: list[list[str]], source: str, target: str) -> dict[str, tuple[float, float]]:
    """Positions that read from left (`source`) to right (`target`): a node's column is its step on
    the first path through it, its row that path's number; shared nodes keep their first place."""
    longest = max((len(p) for p in paths), default=2) - 1 or 1
    placed: dict[str, tuple[float, float]] = {source: (0.0, 0.0), target: (longest * PATH_STEP_X, 0.0)}
    for row, path in enumerate(paths):
        steps = len(path) - 1 or 1
        offset = (row + 1) // 2 * PATH_ROW_Y * (1 if row % 2 else -1)  # rows alternate above and below
        for i, node in enumerate(path[1:-1], start=1):
            placed.setdefault(node, (i * longest * PATH_STEP_X / steps, offset))
    return placed


def connection(
    data: NetworkData,
    source: str,
    target: str,
    *,
    k: int = paths_mod.DEFAULT_K,
    avoid_hubs: bool = False,
    hub_degree: int | None = paths_mod.HUB_DEGREE,
    lang: str,
    url_of: UrlOf,
    wording: paths_mod.Wording,
) -> dict[str, Any]:
    """Up to k shortest paths between two entities, each step told (worded by `wording`) with its sources."""
    require_node(data, source)
    require_node(data, target)
    if source == target:
        raise BadRequest(N_("choose two different entities"))
    if not 1 <= k <= paths_mod.MAX_K:
        raise BadRequest(N_("k must be between 1 and %(max)s"), max=paths_mod.MAX_K)
    simple = data.simple()
    hubs = paths_mod.generic_hubs(data.graph, degree_threshold=hub_degree) if avoid_hubs else set()
    found = paths_mod.k_shortest_paths(simple, source, target, k=k, avoid=hubs)
    bypassed: list[str] = []
    if avoid_hubs:
        plain = paths_mod.k_shortest_paths(simple, source, target, k=k)
        bypassed = sorted({n for p in plain for n in p[1:-1] if n in hubs}, key=lambda n: data.label(n, lang).casefold())
    label = lambda n: data.label(n, lang)  # noqa: E731
    out_paths = []
    pairs: set[frozenset[str]] = set()
    for path in found:
        steps = paths_mod.path_steps(data.graph, path, data.relations, lang, wording)
        for step in steps:
            pairs.add(frozenset((step["from"], step["to"])))
            step["phrase"] = paths_mod.step_phrase(step)
            step["from_entity"] = entity_ref(data, step["from"], lang, url_of)
            step["to_entity"] = entity_ref(data, step["to"], lang, url_of)
            for rel in step["relations"]:
                rel["sources"] = [source_ref(data, s, lang, url_of) for s in rel["sources"]]
            step["sources"] = list({s["iri"]: s for r in step["relations"] for s in r["sources"]}.values())
        out_paths.append(
            {
                "nodes": [entity_ref(data, n, lang, url_of) for n in path],
                "length": len(path) - 1,
                "steps": steps,
                "sentence": paths_mod.narrate(path, steps, label),
            }
        )
    nodes = list(dict.fromkeys(n for p in found for n in p)) or [source, target]
    payload = draw(
        data,
        nodes,
        lang=lang,
        url_of=url_of,
        positions=left_to_right(found, source, target),
        roles={source: "endpoint", target: "endpoint"},
        values=None,  # equal sizes: every node on a path matters as much
        edge_filter=lambda u, v, p, attrs: frozenset((u, v)) in pairs,
        edge_labels=True,
        view={
            "type": "path",
            "from": entity_ref(data, source, lang, url_of),
            "to": entity_ref(data, target, lang, url_of),
            "k": k,
            "avoidHubs": avoid_hubs,
            "hubDegree": hub_degree,
            "bypassedHubs": [entity_ref(data, n, lang, url_of) for n in bypassed],
            # the grid of the left-to-right layout, so a narrow screen can close it up
            "grid": {"stepX": PATH_STEP_X, "rowY": PATH_ROW_Y, "columns": max((len(p) for p in found), default=2),
                     "rows": len(found)},
        },
    )
    payload["paths"] = out_paths
    return payload


# -- programme comparison -----------------------------------------------------------------------

def comparison(data: NetworkData, programmes: list[str], *, lang: str, url_of: UrlOf) -> dict[str, Any]:
    chosen = list(dict.fromkeys(programmes))
    if len(chosen) < 2:
        raise BadRequest(N_("Choose at least two programmes."))
    for iri in chosen:
        require_node(data, iri)
        if data.graph.nodes[iri].get("kind") != "programma":
            raise BadRequest(N_("not a programme: %(entity)s"), entity=str(iri))
    result = compare_mod.compare(data.graph, chosen)
    categories = {}
    for name, cat in result["categories"].items():
        categories[name] = {
            "rows": [{**entity_ref(data, r["iri"], lang, url_of), "in": r["in"], "shared": r["shared"]} for r in cat["rows"]],
            "shared": cat["shared"],
            "some": cat["some"],
            "only": cat["only"],
        }
    scope = {n for p in chosen for n in compare_mod.programme_scope(data.graph, p)}
    nodes = [*chosen, *sorted(compare_mod.comparison_nodes(result) - set(chosen))]
    payload = draw(
        data,
        nodes,
        lang=lang,
        url_of=url_of,
        roles={p: "focus" for p in chosen},
        edge_filter=lambda u, v, p, attrs: u in scope or v in scope,
        view={"type": "compare", "programmes": [entity_ref(data, p, lang, url_of) for p in chosen]},
    )
    payload["programmes"] = [
        {**entity_ref(data, p, lang, url_of), "components": [entity_ref(data, c, lang, url_of) for c in result["scopes"][p]]}
        for p in chosen
    ]
    payload["categories"] = categories
    return payload


def programmes(data: NetworkData, *, lang: str) -> list[dict[str, str]]:
    """All programmes (for the comparison form), by label."""
    found = [iri for iri, kind in data.graph.nodes(data="kind") if kind == "programma"]
    return sorted(({"iri": i, "label": data.label(i, lang)} for i in found), key=lambda p: (p["label"].casefold(), p["iri"]))
