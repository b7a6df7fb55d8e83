"""The network of the store, loaded once per store version and shared by all network views.

`network_data(store)` returns a `NetworkData`: the networkx projection (graph/network.py) plus what
the views need beside it (relation labels with their inverse, source labels, the sources that
name each entity, alternative labels). It is rebuilt as soon as `store.version` changes (an
approved submission replaces a graph and bumps the version). Costly derived values (metrics,
layout, the concept map's data) are memoised on it with `memo`, so they go stale together.
"""

from __future__ import annotations

import threading
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

import networkx as nx

from graph.caching import PerStore
from graph.namespaces import ID, PREFIXES, local_name, split_entity_iri
from graph.network.projection import project
from graph.network.visdata import paused_gc
from graph.network.vocab import RelationPhrases, relation_phrases
from graph.store.graphstore import GraphStore
from graph.store.namedgraphs import described_graphs

T = TypeVar("T")

NODE_SOURCES_QUERY = f"""
SELECT DISTINCT ?s ?g WHERE {{
  GRAPH ?g {{ ?s a ?t }}
  FILTER(STRSTARTS(STR(?s), "{ID}"))
}}
"""
ALT_LABELS_QUERY = f'SELECT ?s ?a WHERE {{ ?s skos:altLabel ?a FILTER(STRSTARTS(STR(?s), "{ID}")) }}'


@dataclass(frozen=True)
class RelationLabel:
    """How a relation reads from its subject (`nl`, `en`) and from its object (`inverse_nl`, `inverse_en`)."""

    nl: str
    en: str
    inverse_nl: str | None
    inverse_en: str | None

    def forward(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl

    def inverse(self, lang: str) -> str | None:
        return self.inverse_en if lang == "en" else self.inverse_nl


@dataclass(eq=False)
class NetworkData:
    version: int
    graph: nx.MultiDiGraph
    relations: dict[str, RelationPhrases]
    sources: dict[str, dict[str, str]]
    node_sources: dict[str, list[str]]
    alt_labels: dict[str, list[str]]
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def memo(self, key: Any, compute: Callable[[], T]) -> T:
        """`compute()` once per key for this version of the network."""
        with self._lock:
            if key not in self._memo:
                self._memo[key] = compute()
            return self._memo[key]

    def simple(self) -> nx.Graph:
        """The undirected simple view (one edge per pair of related nodes, direction ignored)."""
        return self.memo("simple", lambda: undirected(self.graph))

    def label(self, iri: str, lang: str = "nl") -> str:
        node = self.graph.nodes.get(iri)
        if node is None:
            return self.source_label(iri, lang) if iri in self.sources else local_name(iri)
        return node["label_en"] if lang == "en" else node["label_nl"]

    def source_label(self, iri: str, lang: str = "nl") -> str:
        labels = self.sources.get(iri, {})
        return labels.get(lang) or labels.get("nl") or labels.get("en") or local_name(iri)

    def relation(self, predicate: str) -> RelationPhrases | RelationLabel:
        found = self.relations.get(predicate)
        if found is None:
            name = local_name(predicate)
            return RelationLabel(name, name, None, None)
        return found


def undirected(g: nx.MultiDiGraph) -> nx.Graph:
    """One undirected edge per related pair, without self-loops; node attributes kept."""
    simple = nx.Graph()
    simple.add_nodes_from(g.nodes(data=True))
    simple.add_edges_from((u, v) for u, v in g.edges() if u != v)
    return simple


def network_data(store: GraphStore) -> NetworkData:
    """The network of `store` at its current version (built on first use and after every change)."""
    return _NETWORKS.get(store)


def load(store: GraphStore) -> NetworkData:
    version = store.version
    with paused_gc():
        g = project(store)
        return NetworkData(
            version=version,
            graph=g,
            relations=relation_phrases(store, {k for _, _, k in g.edges(keys=True)}),
            sources=source_labels(store),
            node_sources=node_sources(store, g),
            alt_labels=alt_labels(store),
        )


_NETWORKS: PerStore[GraphStore, NetworkData] = PerStore(load)


def source_labels(store: GraphStore) -> dict[str, dict[str, str]]:
    """{graph: {nl, en}} for every graph that can state a relation: the sources, the editorial graphs
    (graph/redactie/…) and the project's own graphs, named as the downloads and graph pages name them."""
    return {iri: {"nl": g.label("nl"), "en": g.label("en")} for iri, g in described_graphs(store).items()}


def node_sources(store: GraphStore, g: nx.MultiDiGraph) -> dict[str, list[str]]:
    """The sources that name each entity (its type statement), plus those stating its relations."""
    found: dict[str, set[str]] = defaultdict(set)
    for row in store.select(NODE_SOURCES_QUERY):
        s = str(row["s"])
        if s in g:
            found[s].add(str(row["g"]))
    for u, v, srcs in g.edges(data="sources"):
        found[u].update(srcs)
        found[v].update(srcs)
    return {iri: sorted(srcs) for iri, srcs in found.items()}


def alt_labels(store: GraphStore) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for row in store.select(ALT_LABELS_QUERY):
        text = str(row["a"])
        if text not in out[str(row["s"])]:
            out[str(row["s"])].append(text)
    return dict(out)


def resolve(data: NetworkData, text: str) -> str | None:
    """An entity of the network named by IRI, 'kind/slug', a prefixed name ('prog:gala'), or its exact
    label or alternative label (case-insensitive, unique); None when nothing (or more than one) fits."""
    text = (text or "").strip()
    if not text:
        return None
    g = data.graph
    if text in g:
        return text
    candidates = [ID + text.strip("/")]
    if ":" in text and not text.startswith("http"):
        prefix, _, rest = text.partition(":")
        if prefix in PREFIXES:
            candidates.append(PREFIXES[prefix] + rest)
    if text.startswith("/id/"):
        candidates.append(ID + text[len("/id/") :])
    for candidate in candidates:
        if candidate in g and split_entity_iri(candidate):
            return candidate
    wanted = fold(text)
    hits = {
        iri
        for iri, attrs in g.nodes(data=True)
        if wanted in (fold(attrs["label_nl"]), fold(attrs["label_en"]))
        or any(wanted == fold(alt) for alt in data.alt_labels.get(iri, []))
    }
    return hits.pop() if len(hits) == 1 else None


def resolve_source(data: NetworkData, text: str) -> str | None:
    """A graph that states relations (a source, an editorial graph) named by its IRI or by the last
    segment of it ('toets-a', 'toekenningen', as the map's source filter names them); a source first."""
    text = (text or "").strip()
    if text in data.sources:
        return text
    if not text or "/" in text:
        return None
    if ID + "bron/" + text in data.sources:
        return ID + "bron/" + text
    found = [iri for iri in data.sources if local_name(iri) == text]
    return found[0] if len(found) == 1 else None


def fold(text: str) -> str:
    """Text for matching: case and accents folded ('Eén' -> 'een')."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search(data: NetworkData, query: str, *, lang: str = "nl", kind: str | None = None, limit: int = 10) -> list[dict[str, Any]]:
    """Entities whose label or alternative label contains `query`, best first (prefix matches, then
    shorter labels): [{iri, label, kind}] for autocomplete."""
    wanted = fold((query or "").strip())
    if not wanted:
        return []
    scored = []
    for iri, attrs in data.graph.nodes(data=True):
        if kind and attrs["kind"] != kind:
            continue
        label = attrs["label_en"] if lang == "en" else attrs["label_nl"]
        names = [label, attrs["label_nl"], attrs["label_en"], *data.alt_labels.get(iri, [])]
        best = None
        for name in names:
            folded = fold(name)
            if folded.startswith(wanted):
                score = (0, len(name))
            elif wanted in folded:
                score = (1, len(name))
            else:
                continue
            best = score if best is None or score < best else best
        if best is not None:
            scored.append((best, label.casefold(), iri, label, attrs["kind"]))
    scored.sort()
    return [{"iri": iri, "label": label, "kind": k} for _, _, iri, label, k in scored[:limit]]


__all__ = ["NetworkData", "RelationLabel", "network_data", "resolve", "resolve_source", "search", "undirected"]
