"""Groups of a concept map's nodes, for colouring (and clustering) them in the browser.

- **theme**: the top theme (a theme without a broader one in the thesaurus) of the themes a node
  is about: stated (`sb:theme`) first, editorial (`sb:editorialTheme`) only where no source
  states one (and not at all when the map shows stated assignments only); a theme itself belongs
  to its own top theme. A node with several top themes goes with the one most of its themes fall
  under, then with the one most nodes of the network fall under.
- **community**: Louvain communities (seeded, graph/network/analytics.py) of the nodes drawn, on the
  relations among them; each is named after its most connected member.

The largest groups get a colour of their own (`PALETTE`); the smaller ones share the grey group
"other", and nodes without a theme (or alone) the light grey group "none".
Theme assignments are read from the network once per version; community partitions of the views
asked for are kept in a bounded cache on the network (graph/caching.py), so they go stale with it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable

from rdflib.namespace import SKOS

from graph.caching import SharedLRU
from graph.network import analytics
from graph.network.cache import NetworkData
from graph.network.vocab import EDITORIAL_THEME, STATED_THEME, slug_of

GROUPINGS = ("kind", "theme", "community")
# Qualitative colours that stay apart from each other and from the kinds' grey (with white borders).
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
           "#a3a31a", "#393b79", "#637939", "#ad494a", "#6b6ecf")
NONE, NONE_COLOR = "none", "#d5d9e0"  # no theme; in no community of two or more
OTHER, OTHER_COLOR = "other", "#8a93a3"  # the groups beyond the palette
BROADER = str(SKOS.broader)
PARTITIONS_KEPT = 32


@dataclass(frozen=True)
class NodeTheme:
    """A node's theme group: its top theme and whether a source states it (else the editors judge it)."""

    top: str
    stated: bool


def top_themes(data: NetworkData) -> dict[str, str]:
    """{theme: its top theme}: the themes nodes are about and the broader themes above them, each
    followed up `skos:broader` (the first broader by IRI where there are more) to one without."""
    def compute() -> dict[str, str]:
        g = data.graph
        themes = {v for _, v, key in g.edges(keys=True) if key in (STATED_THEME, EDITORIAL_THEME)}
        broader: dict[str, str] = {}
        for u, v, key in g.edges(keys=True):
            if key == BROADER and (u not in broader or v < broader[u]):
                broader[u] = v
        tops: dict[str, str] = {}
        for theme in sorted(themes):
            chain, here = [theme], theme
            while here in broader and broader[here] not in chain:
                here = broader[here]
                chain.append(here)
            for member in chain:
                tops.setdefault(member, here)
        return tops
    return data.memo("top-themes", compute)


def node_themes(data: NetworkData, *, stated_only: bool = False) -> dict[str, NodeTheme]:
    """{node: NodeTheme} for every node that is about a theme (or is one)."""
    def compute() -> dict[str, NodeTheme]:
        g, tops = data.graph, top_themes(data)
        chosen: dict[str, tuple[Counter[str], bool]] = {}
        for u, v, key in g.edges(keys=True):
            if key not in (STATED_THEME, EDITORIAL_THEME) or v not in tops:
                continue
            stated = key == STATED_THEME
            if stated_only and not stated:
                continue
            counts, was_stated = chosen.get(u, (Counter(), stated))
            if stated and not was_stated:  # a stated theme replaces editorial ones
                counts, was_stated = Counter(), True
            if stated == was_stated:
                counts[tops[v]] += 1
            chosen[u] = (counts, was_stated)
        popularity = Counter(top for counts, _ in chosen.values() for top in counts)
        out = {theme: NodeTheme(top, True) for theme, top in tops.items()}
        for node, (counts, stated) in chosen.items():
            if node in tops:
                continue
            top = min(counts, key=lambda t: (-counts[t], -popularity[t], t))
            out[node] = NodeTheme(top, stated)
        return out
    return data.memo(("node-themes", stated_only), compute)


def partition(data: NetworkData, nodes: list[str]) -> dict[str, int]:
    """{node: community number} of the drawn `nodes`, on the relations among them."""
    if len(nodes) == data.graph.number_of_nodes():
        return data.memo("communities", lambda: analytics.communities(data.simple()))
    kept: SharedLRU[tuple[str, ...], dict[str, int]] = data.memo("view-communities", lambda: SharedLRU(PARTITIONS_KEPT))
    key = tuple(sorted(nodes))
    found = kept.get(key)
    if found is None:
        found = analytics.communities(data.simple().subgraph(key))
        kept.put(key, found)
    return found


def group_nodes(
    data: NetworkData,
    payload: dict[str, Any],
    *,
    by: str,
    lang: str,
    url_of: Callable[[str], str],
    stated_only: bool = False,
) -> dict[str, Any]:
    """Put each drawn node of `payload` (visdata.build's result) in a group: node["group"] (and for
    themes node["themeAssignment"]: stated or editorial); payload["grouping"] = {by, groups:
    [{id, label, iri, url, color, count}]} largest first ("other" and "none", without a label, last); one vis-network group per
    colour in payload["options"]["groups"]. `by` is one of GROUPINGS; "kind" leaves the payload as it is."""
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping: {by}")
    if by == "kind":
        return payload
    nodes = [n["id"] for n in payload["nodes"]]
    stated: dict[str, bool] = {}
    keys: dict[str, str] = {}  # node: the IRI its group is named after (a top theme, a community's hub)
    if by == "theme":
        themes = node_themes(data, stated_only=stated_only)
        for n in nodes:
            if n in themes:
                keys[n] = themes[n].top
                stated[n] = themes[n].stated
    else:
        numbers = partition(data, nodes)
        members: dict[int, list[str]] = {}
        for n in nodes:
            members.setdefault(numbers[n], []).append(n)
        view = data.simple().subgraph(nodes)
        degree = dict(view.degree())
        overall = data.memo("degree", lambda: analytics.degree(data.graph))
        for group in members.values():
            if len(group) < 2:
                continue  # a node on its own is no community: "none"
            hub = min(group, key=lambda n: (-degree.get(n, 0), -overall.get(n, 0), data.label(n, lang).casefold(), n))
            for n in group:
                keys[n] = hub
    sizes = Counter(keys.values())
    ranked = sorted(sizes, key=lambda k: (-sizes[k], data.label(k, lang).casefold(), k))
    coloured = ranked[: len(PALETTE)]
    ids = {key: f"{by}-{slug_of(key) if by == 'theme' else i}" for i, key in enumerate(coloured)}
    groups: list[dict[str, Any]] = [
        {"id": ids[key], "label": data.label(key, lang), "iri": key, "url": url_of(key), "color": PALETTE[i], "count": sizes[key]}
        for i, key in enumerate(coloured)
    ]
    rest: Counter[str] = Counter()
    for node in payload["nodes"]:
        named = keys.get(node["id"])
        group_id = NONE if named is None else ids.get(named, OTHER)
        if group_id in (NONE, OTHER):
            rest[group_id] += 1
        node["group"] = group_id
        if by == "theme" and node["id"] in stated:
            node["themeAssignment"] = "stated" if stated[node["id"]] else "editorial"
    for group_id, color in ((OTHER, OTHER_COLOR), (NONE, NONE_COLOR)):
        if rest[group_id]:
            groups.append({"id": group_id, "label": None, "iri": None, "url": None, "color": color, "count": rest[group_id]})
    payload["grouping"] = {"by": by, "groups": groups}
    vis_groups = payload["options"].setdefault("groups", {})
    for g in groups:
        vis_groups[g["id"]] = {"color": {"background": g["color"], "border": "#ffffff",
                                         "highlight": {"background": g["color"], "border": "#1d2330"},
                                         "hover": {"background": g["color"], "border": "#1d2330"}}}
    return payload


def group_of(payload: dict[str, Any]) -> dict[str, str]:
    """{node: group id} of a grouped payload (for tests and exports)."""
    return {n["id"]: n["group"] for n in payload["nodes"] if "group" in n}


__all__ = ["GROUPINGS", "PALETTE", "NodeTheme", "group_nodes", "group_of", "node_themes", "partition", "top_themes"]

