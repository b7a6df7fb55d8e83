"""The store's named graphs with their kind and labels, read one way for every area that names a graph.

Kinds (words of URLs and JSON): 'bron' (a source `id/bron/<slug>`: a document, a web page or an approved
submission), 'redactie' (the editors' graphs `graph/redactie/<name>`), 'ontologie', 'bronnenlijst'
(`graph/bronnen`, the metadata of the other graphs), 'moderatie' (`graph/moderatie`), else 'graaf'.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from rdflib import Literal

from graph.namespaces import EDITORIAL_GRAPHS, GRAPH_MODERATION, GRAPH_ONTOLOGY, GRAPH_SOURCES, ID, SB, local_name
from graph.store.graphstore import GraphStore
from graph.store.labels import LANGS, pick

KINDS = ("ontologie", "bronnenlijst", "redactie", "moderatie", "graaf", "bron")  # also the order of lists
SOURCE_GRAPHS = ID + "bron/"
# The project's own graphs are not described in the data, so their kind and names are given here.
FIXED: dict[str, tuple[str, dict[str, str]]] = {
    str(GRAPH_ONTOLOGY): ("ontologie", {"nl": "Ontologie (vocabulaire)", "en": "Ontology (vocabulary)"}),
    str(GRAPH_SOURCES): ("bronnenlijst", {"nl": "Bronnenlijst", "en": "List of sources"}),
    str(GRAPH_MODERATION): ("moderatie", {"nl": "Moderatie van inzendingen", "en": "Moderation of submissions"}),
}
# Sources and editorial graphs are described in graph/bronnen, an approved submission in its own graph.
DESCRIBED_QUERY = "SELECT ?g ?t ?l WHERE { VALUES ?t { sb:Source sb:EditorialGraph } ?g a ?t OPTIONAL { ?g rdfs:label ?l } }"
SIZES_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@dataclass(frozen=True)
class NamedGraph:
    """A graph's IRI, its kind ('bron', 'redactie', ...) and its labels by language."""

    iri: str
    kind: str
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, lang: str = "nl") -> str:
        return self.labels.get(lang) or self.labels.get("nl") or self.labels.get("en") or local_name(self.iri)


def graph_kind(iri: str, types: Iterable[str] = ()) -> str:
    """The kind of a graph by its IRI, else by its type in the data (sb:Source, sb:EditorialGraph)."""
    typed = set(types)
    if iri in FIXED:
        return FIXED[iri][0]
    if iri.startswith(SOURCE_GRAPHS) or str(SB.Source) in typed:
        return "bron"
    if iri.startswith(EDITORIAL_GRAPHS) or str(SB.EditorialGraph) in typed:
        return "redactie"
    return "graaf"


def described_graphs(store: GraphStore) -> dict[str, NamedGraph]:
    """Every graph the data describes (sources, editorial graphs) and the project's own graphs, by IRI;
    a graph may be described before it holds statements."""
    types: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, list[Literal]] = defaultdict(list)
    for row in store.select(DESCRIBED_QUERY):
        iri = str(row["g"])
        types[iri].add(str(row["t"]))
        if isinstance(found := row.get("l"), Literal):
            labels[iri].append(found)
    graphs = {iri: NamedGraph(iri, kind, dict(names)) for iri, (kind, names) in FIXED.items()}
    for iri, typed in types.items():
        named = {lang: text for lang in LANGS if (text := pick(labels[iri], lang))}
        graphs[iri] = NamedGraph(iri, graph_kind(iri, typed), named)
    return graphs


def graph_sizes(store: GraphStore) -> dict[str, int]:
    """Triples per named graph of the store (an empty one, if a store keeps such, counts 0)."""
    sizes = {str(r["g"]): int(r["n"]) for r in store.select(SIZES_QUERY)}
    for name in store.graph_names():
        sizes.setdefault(str(name), 0)
    return sizes


def named_graphs(store: GraphStore) -> list[tuple[NamedGraph, int]]:
    """Every named graph in the store with its triple count, in KINDS order, then by Dutch label."""
    described = described_graphs(store)
    out = [(described.get(iri) or NamedGraph(iri, graph_kind(iri)), n) for iri, n in graph_sizes(store).items()]
    out.sort(key=lambda item: (KINDS.index(item[0].kind), item[0].label("nl").lower(), item[0].iri))
    return out
