"""'How are X and Y connected?': the k shortest paths between two entities, told as sentences.

Paths are simple paths on the undirected simple view of the network (a relation counts whichever
way it points); each step is then told as a verb phrase in the direction it is read: `sb:phrase`
of the relation when the path goes from subject to object ("wordt ondertekend door"; the
`rdfs:label` when there is none), `sb:inverseLabel` when it goes from object to subject
("ondertekent"). graph/ builds no sentences of its own: each reading is a `Reading` (the phrase,
or None where the vocabulary has no backward reading; the relation's name; whether it is read
backward right after the same relation forward), and the caller's `Wording` turns it into text in
the page's language (webapp/network/wording.py: "(omgekeerde van) naam", "ondertekent ook").

Generic hubs (see `generic_hubs`) can be avoided: they link almost everything to everything, so
a path through "Ministerie van VWS" or the pillar "Sociale cohesie" says little.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice, pairwise
from typing import Any, Callable, Iterable, Mapping, Protocol, Sequence

import networkx as nx

from graph.network.vocab import MINISTRY, PILLARS, SPHERES

DEFAULT_K = 3
MAX_K = 10
HUB_DEGREE = 40
MAX_CANDIDATES = 60


class Phrases(Protocol):
    """How a relation reads. `forward` is its name (rdfs:label); objects that also have
    `phrase(lang)` (sb:phrase, e.g. `graph.network.vocab.RelationPhrases`) are read with that forward."""

    def forward(self, lang: str) -> str: ...

    def inverse(self, lang: str) -> str | None: ...


@dataclass(frozen=True)
class Reading:
    """How one relation of a step reads, as data. `phrase`: sb:phrase (else the label) forward,
    sb:inverseLabel backward, None where the vocabulary has no backward reading; `name`: the
    relation's label; `again`: read backward right after a step that read it forward."""

    phrase: str | None
    name: str
    again: bool = False


# Turns a reading into text in a language: (reading, lang) -> phrase. webapp passes its own.
Wording = Callable[[Reading, str], str]


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
    lang: str,
    wording: Wording,
) -> list[dict[str, Any]]:
    """Each step of `path` with every relation that joins its two nodes, read from the step's first
    node and worded by `wording`: [{from, to, relations: [{subject, predicate, object, direction,
    phrase, sources}]}]; direction is 'forward' (from -> to) or 'inverse'. A relation read inversely
    right after a step that read the same relation forward is marked `again` for the wording."""
    steps: list[dict[str, Any]] = []
    previous_forward: set[str] = set()
    for a, b in pairwise(path):
        joined = []
        for subject, obj, direction in ((a, b, "forward"), (b, a, "inverse")):
            for predicate, attrs in sorted((g.get_edge_data(subject, obj) or {}).items()):
                reading = read(predicate, relations.get(predicate), lang, forward=direction == "forward",
                               again=direction == "inverse" and predicate in previous_forward)
                joined.append(
                    {
                        "subject": subject,
                        "predicate": predicate,
                        "object": obj,
                        "direction": direction,
                        "phrase": wording(reading, lang),
                        "sources": list(attrs.get("sources", [])),
                    }
                )
        previous_forward = {r["predicate"] for r in joined if r["direction"] == "forward"}
        steps.append({"from": a, "to": b, "relations": joined})
    return steps


def _local(predicate: str) -> str:
    return predicate.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def read(predicate: str, phrases: Phrases | None, lang: str, *, forward: bool, again: bool = False) -> Reading:
    """The relation read from subject to object (sb:phrase, else its label, else its local name) or
    from object to subject (sb:inverseLabel, else None: the wording names the relation instead)."""
    if phrases is None:
        name = _local(predicate)
        return Reading(name if forward else None, name, again)
    name = phrases.forward(lang)
    if forward:
        reading = getattr(phrases, "phrase", None)
        return Reading(reading(lang) if callable(reading) else name, name, again)
    return Reading(phrases.inverse(lang), name, again)


def step_phrase(step: Mapping[str, Any]) -> str:
    """The relations of one step in one phrase: 'wordt ondertekend door / is de verantwoordelijkheid van'."""
    return " / ".join(dict.fromkeys(r["phrase"] for r in step["relations"]))


def narrate(path: Sequence[str], steps: Sequence[Mapping[str, Any]], label: Callable[[str], str]) -> str:
    """The path as one line: 'GALA — wordt ondertekend door — VNG — ondertekent ook — IZA'."""
    if not path:
        return ""
    parts = [label(path[0])]
    for step in steps:
        parts.append(step_phrase(step))
        parts.append(label(step["to"]))
    return " — ".join(parts)
