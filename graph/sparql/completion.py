"""Suggestions for the query editor: the classes, properties and entities of this dataset, found by the
start of their IRI (as typed with a prefix: `sb:Pro`) or by a word of their label (`prog:eenzaam`
finds "Eén tegen eenzaamheid"), the way the QLever UI completes. Read from the store itself, so
the editor never asks an outside service (YASGUI's defaults ask LOV), and cached until it changes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from rdflib import Literal as RDFLiteral
from rdflib import URIRef

from graph.caching import PerStore
from graph.store.graphstore import GraphStore

Position = Literal["class", "property", "entity"]
POSITIONS: tuple[Position, ...] = ("class", "property", "entity")
MAX_SUGGESTIONS = 50

_CLASSES = """
SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c
"""
_DECLARED = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?t ?kind WHERE {
  VALUES (?type ?kind) { (owl:Class "class") (rdfs:Class "class") (owl:ObjectProperty "property")
                         (owl:DatatypeProperty "property") (owl:AnnotationProperty "property") (rdf:Property "property") }
  ?t a ?type FILTER(isIRI(?t))
}
"""
_PROPERTIES = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
_LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?s ?l WHERE {
  { ?s rdfs:label ?l } UNION { ?s skos:prefLabel ?l }
  FILTER(isIRI(?s) && isLiteral(?l))
}
"""


@dataclass(frozen=True)
class Suggestion:
    """One candidate: its IRI, label in the asked language ('' when it has none), kind and use count."""

    iri: str
    label: str
    kind: Position
    count: int

    def as_dict(self) -> dict[str, str | int]:
        return {"iri": self.iri, "label": self.label, "kind": self.kind, "count": self.count}


@dataclass(frozen=True)
class _Candidate:
    iri: str
    kind: Position
    count: int
    labels: dict[str, str]  # language ('' for none) -> label
    words: str  # folded labels and local name, for matching by word

    def suggestion(self, lang: str) -> Suggestion:
        label = self.labels.get(lang) or self.labels.get("nl") or self.labels.get("") or next(iter(self.labels.values()), "")
        return Suggestion(self.iri, label, self.kind, self.count)


def fold(text: str) -> str:
    """Lower case without accents, words separated by single spaces ('Eén-tegen' -> 'een tegen')."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()
    return " ".join(re.split(r"[^a-z0-9]+", plain)).strip()


def split_iri(iri: str) -> tuple[str, str]:
    """(namespace, local name): the IRI cut after its last '/' or '#'."""
    cut = max(iri.rfind("/"), iri.rfind("#")) + 1
    return iri[:cut], iri[cut:]


class Completions:
    """Every class, property and labelled entity of one store version, for `suggest`."""

    def __init__(self, candidates: list[_Candidate]) -> None:
        self.by_kind: dict[Position, list[_Candidate]] = {kind: [] for kind in POSITIONS}
        for candidate in candidates:
            self.by_kind[candidate.kind].append(candidate)
        for items in self.by_kind.values():
            items.sort(key=lambda c: (-c.count, c.iri))

    def suggest(self, typed: str, position: Position, lang: str = "nl", limit: int = 20) -> list[Suggestion]:
        """Candidates for `typed` (the start of a full IRI, prefix already expanded) at `position`.

        First those whose IRI starts with `typed`, then those in the same namespace whose label or
        local name contains the typed local part as the start of a word; most used first.
        """
        limit = max(1, min(limit, MAX_SUGGESTIONS))
        namespace, local = split_iri(typed)
        words = fold(local)
        starts: list[_Candidate] = []
        by_word: list[_Candidate] = []
        for candidate in self.by_kind[position]:
            if candidate.iri.startswith(typed):
                starts.append(candidate)
            elif words and candidate.iri.startswith(namespace) and f" {words}" in f" {candidate.words}":
                by_word.append(candidate)
            if len(starts) >= limit:
                break
        return [c.suggestion(lang) for c in (starts + by_word)[:limit]]


def completions(store: GraphStore) -> Completions:
    """The completions of the store's current version (rebuilt after every change)."""
    return _completions.get(store)


def _build(store: GraphStore) -> Completions:
    counts: dict[tuple[str, Position], int] = {}
    for row in store.select(_CLASSES):
        counts[(str(row["c"]), "class")] = int(row["n"])
    for row in store.select(_PROPERTIES):
        counts[(str(row["p"]), "property")] = int(row["n"])
    for row in store.select(_DECLARED):
        kind: Position = "class" if str(row["kind"]) == "class" else "property"
        counts.setdefault((str(row["t"]), kind), 0)
    labels: dict[str, dict[str, str]] = {}
    for row in store.select(_LABELS):
        label = row["l"]
        if isinstance(row["s"], URIRef) and isinstance(label, RDFLiteral):
            labels.setdefault(str(row["s"]), {}).setdefault(label.language or "", str(label))
    typed = {iri for iri, _kind in counts}
    for iri in labels:
        if iri not in typed:
            counts[(iri, "entity")] = 0
    candidates = []
    for (iri, kind), count in counts.items():
        names = labels.get(iri, {})
        words = " ".join([fold(split_iri(iri)[1]), *(fold(n) for n in names.values())])
        candidates.append(_Candidate(iri, kind, count, names, words))
    return Completions(candidates)


_completions: PerStore[GraphStore, Completions] = PerStore(_build)
