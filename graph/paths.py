"""'How are X and Y connected?': the k shortest paths between two entities, told as sentences.

Paths are simple paths on the undirected simple view of the network (a relation counts whichever
way it points); each step is then told in the direction it is read: `rdfs:label` of the relation
when the path goes from subject to object, `sb:inverseLabel` when it goes from object to subject.

Generic hubs (see `generic_hubs`) can be avoided: they link almost everything to everything, so
a path through "Ministerie van VWS" or the pillar "Sociale cohesie" says little.
"""

from __future__ import annotations

from itertools import islice
from typing import Any, Callable, Iterable, Mapping, Protocol

import networkx as nx

from graph.netvocab import MINISTRY, PILLARS, SPHERES

DEFAULT_K = 3
MAX_K = 10
HUB_DEGREE = 40
MAX_CANDIDATES = 60


class Phrases(Protocol):
    def forward(self, lang: str) -> str: ...

    def inverse(self, lang: str) -> str: ...


def generic_hubs(g: nx.Graph, *, degree_threshold: int | None = HUB_DEGREE) -> set[str]:
    """The generic hubs of a network. A node is a generic hub when it is

    1. one of the four pillars or three spheres (concepts that classify rather than relate),
    2. a ministry (an entity typed `sb:Ministry`: ministries are responsible for, sign and fund
       so much that a link through one rarely explains anything), or
    3. joined to more than `degree_threshold` distinct other entities (None: no degree rule).
    """
    hubs: set[str] = set()
    fixed = set(PILLARS) | set(SPHERES)
    for node, attrs in g.nodes(data=True):
        if node in fixed or MINISTRY in (attrs.get("types") or ()):
            hubs.add(node)
    if degree_threshold is not None:
        hubs.update(n for n in g.nodes() if _neighbour_count(g, n) > degree_threshold)
    return hubs


def _neighbour_count(g: nx.Graph, node: str) -> int:
    if g.is_directed():
        return len((set(g.successors(node)) | set(g.predecessors(node))) - {node})
    return len(set(g.neighbors(node)) - {node})


def k_shortest_paths(
    simple: nx.Graph,
    source: str,
    target: str,
    *,
    k: int = DEFAULT_K,
    avoid: Iterable[str] = (),
) -> list[list[str]]:
    """Up to `k` shortest simple paths from `source` to `target` in an undirected simple graph,
    never passing through a node in `avoid` (the two ends themselves are always allowed).

    Among paths of equal length the more specific ones come first: those whose intermediate
    nodes have the fewest neighbours in total (then by the nodes' IRIs, so the order is stable)."""
    if source not in simple or target not in simple:
        raise nx.NodeNotFound(f"{source if source not in simple else target} is not in the network")
    if source == target:
        return [[source]]
    k = max(1, min(int(k), MAX_K))
    blocked = set(avoid) - {source, target}
    view = nx.restricted_view(simple, blocked, []) if blocked else simple
    found: list[list[str]] = []
    try:
        for path in islice(nx.shortest_simple_paths(view, source, target), MAX_CANDIDATES):
            # Keep collecting while the paths are as short as the k-th, so ties are ranked fairly.
            if len(found) >= k and len(path) > len(found[k - 1]):
                break
            found.append(path)
    except nx.NetworkXNoPath:
        return []
    degree = simple.degree
    found.sort(key=lambda p: (len(p), sum(degree(n) for n in p[1:-1]), p))
    return found[:k]


def path_steps(
    g: nx.MultiDiGraph,
    path: list[str],
    relations: Mapping[str, Phrases],
    lang: str = "nl",
) -> list[dict[str, Any]]:
    """Each step of `path` with every relation that joins its two nodes, phrased as read from the
    step's first node: [{from, to, relations: [{subject, predicate, object, direction, phrase,
    sources}]}]; direction is 'forward' (from -> to) or 'inverse'."""
    steps = []
    for a, b in zip(path, path[1:]):
        joined = []
        for subject, obj, direction in ((a, b, "forward"), (b, a, "inverse")):
            for predicate, attrs in sorted((g.get_edge_data(subject, obj) or {}).items()):
                phrases = relations.get(predicate)
                if phrases is None:
                    phrase = predicate.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
                else:
                    phrase = phrases.forward(lang) if direction == "forward" else phrases.inverse(lang)
                joined.append(
                    {
                        "subject": subject,
                        "predicate": predicate,
                        "object": obj,
                        "direction": direction,
                        "phrase": phrase,
                        "sources": list(attrs.get("sources", [])),
                    }
                )
        steps.append({"from": a, "to": b, "relations": joined})
    return steps


def step_phrase(step: Mapping[str, Any]) -> str:
    """The relations of one step in one phrase: 'ondertekenaar / verantwoordelijk ministerie'."""
    return " / ".join(dict.fromkeys(r["phrase"] for r in step["relations"]))


def narrate(path: list[str], steps: list[Mapping[str, Any]], label: Callable[[str], str]) -> str:
    """The path as one line: 'GALA — ondertekenaar — VNG — is partner in — IZA'."""
    if not path:
        return ""
    parts = [label(path[0])]
    for step in steps:
        parts.append(step_phrase(step))
        parts.append(label(step["to"]))
    return " — ".join(parts)
