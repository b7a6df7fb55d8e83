"""Network metrics as pure functions over a networkx graph, each returning {iri: value}.

All metrics look at the undirected simple view: two entities are neighbours when any relation
joins them, in either direction, however many relations that are.

- degree: the number of neighbours;
- betweenness: the share of shortest paths between other pairs of entities that pass through an
  entity (networkx, normalised to 0..1); exact up to `EXACT_BETWEENNESS_LIMIT` nodes, above that
  estimated from a seeded sample of pivot nodes (`betweenness_sample`), so the cost stays near
  that of the exact computation at the limit;
- communities: Louvain modularity communities (seeded, so stable for the same graph), numbered
  0, 1, 2, ... from the largest.

What they do not mean: a high score says an entity is often *mentioned in relation to* others in
the sources we processed; not that it matters more, works better or gets more money.
"""

from __future__ import annotations

from typing import Any, Iterable

import networkx as nx

EXACT_BETWEENNESS_LIMIT = 1000
SEED = 42


def betweenness_sample(n: int) -> int | None:
    """Pivots used to estimate betweenness on `n` nodes (None: exact)."""
    if n <= EXACT_BETWEENNESS_LIMIT:
        return None
    return max(64, min(300, 300_000 // n))


def as_simple(g: nx.Graph) -> nx.Graph:
    """The undirected simple view of any networkx graph (a copy only when needed)."""
    if not g.is_directed() and not g.is_multigraph() and nx.number_of_selfloops(g) == 0:
        return g
    simple = nx.Graph()
    simple.add_nodes_from(g.nodes(data=True))
    simple.add_edges_from((u, v) for u, v in g.edges() if u != v)
    return simple


def degree(g: nx.Graph) -> dict[str, int]:
    """{node: number of distinct neighbours}."""
    if g.is_directed():
        succ, pred = g.succ, g.pred
        return {n: len((succ[n].keys() | pred[n].keys()) - {n}) for n in g}
    adj = g.adj
    return {n: len(adj[n].keys() - {n}) for n in g}


def betweenness(g: nx.Graph, *, sample: int | None = None, seed: int = SEED) -> dict[str, float]:
    """{node: normalised betweenness centrality}; estimated from `sample` pivots on big graphs."""
    simple = as_simple(g)
    n = simple.number_of_nodes()
    if sample is None:
        sample = betweenness_sample(n)
    k = sample if sample is not None and sample < n else None
    return nx.betweenness_centrality(simple, k=k, normalized=True, seed=seed if k else None)


def communities(g: nx.Graph, *, seed: int = SEED) -> dict[str, int]:
    """{node: community number}; Louvain, numbered from the largest community (ties: first member)."""
    simple = as_simple(g)
    if simple.number_of_nodes() == 0:
        return {}
    parts = [sorted(map(str, part)) for part in nx.community.louvain_communities(simple, seed=seed)]
    parts.sort(key=lambda members: (-len(members), members[0]))
    return {node: number for number, members in enumerate(parts) for node in members}


def metrics_table(
    g: nx.Graph,
    *,
    degrees: dict[str, int],
    betweenness_values: dict[str, float],
    community_of: dict[str, int],
    lang: str = "nl",
    sort: str = "degree",
    nodes: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """One row per entity, ranked by `sort` ('degree', 'betweenness' or 'label'), with both ranks.

    Rows: iri, label, kind, degree, betweenness, community, community_size, degree_rank,
    betweenness_rank (rank 1 = highest; equal values share a rank)."""
    sizes: dict[int, int] = {}
    for number in community_of.values():
        sizes[number] = sizes.get(number, 0) + 1
    degree_rank = ranks(degrees)
    betweenness_rank = ranks(betweenness_values)
    rows = []
    for iri in nodes if nodes is not None else g.nodes():
        attrs = g.nodes[iri]
        rows.append(
            {
                "iri": iri,
                "label": attrs.get("label_en" if lang == "en" else "label_nl", iri),
                "kind": attrs.get("kind", ""),
                "degree": degrees.get(iri, 0),
                "betweenness": round(betweenness_values.get(iri, 0.0), 6),
                "community": community_of.get(iri),
                "community_size": sizes.get(community_of.get(iri, -1), 0),
                "degree_rank": degree_rank.get(iri),
                "betweenness_rank": betweenness_rank.get(iri),
            }
        )
    if sort == "betweenness":
        rows.sort(key=lambda r: (-r["betweenness"], -r["degree"], r["label"].casefold(), r["iri"]))
    elif sort == "label":
        rows.sort(key=lambda r: (r["label"].casefold(), r["iri"]))
    else:
        rows.sort(key=lambda r: (-r["degree"], -r["betweenness"], r["label"].casefold(), r["iri"]))
    return rows


def ranks(values: dict[str, float] | dict[str, int]) -> dict[str, int]:
    """Competition ranking (1, 2, 2, 4): equal values share the better rank."""
    ordered = sorted(values.items(), key=lambda kv: -kv[1])
    ranks: dict[str, int] = {}
    previous = None
    rank = 0
    for position, (node, value) in enumerate(ordered, start=1):
        if value != previous:
            rank = position
            previous = value
        ranks[node] = rank
    return ranks
