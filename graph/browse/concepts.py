"""Concept schemes as trees (top concepts, narrower concepts), as Skosmos shows them.

skos:broader and skos:narrower are read in both directions, so a hierarchy stated only one way
still shows. Concepts in a scheme without a broader concept and not marked top are shown at the
top level too, so nothing is hidden.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef

from graph.namespaces import ID, iri_values
from graph.store.graphstore import GraphStore
from graph.store.present import Text, pick_text, texts

# The schemes a visitor meets first; the others follow by label.
FIRST_SCHEMES = ("pijlers-sociale-kwaliteit", "sferen-sociale-basis", "kernbegrippen")


@dataclass
class Node:
    iri: str
    label: Text
    definition: Text | None = None
    children: list["Node"] = field(default_factory=list)

    @property
    def depth(self) -> int:
        """Levels from this concept down (1: no narrower concepts)."""
        return 1 + max((c.depth for c in self.children), default=0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "label": self.label.value,
            "definition": self.definition.value if self.definition else None,
            "narrower": [c.as_dict() for c in self.children],
        }


@dataclass
class Scheme:
    iri: str
    label: Text
    definition: Text | None
    tops: list[Node]
    size: int

    @property
    def depth(self) -> int:
        """Levels of the tree (1: a flat list of concepts)."""
        return max((t.depth for t in self.tops), default=0)

    def as_dict(self) -> dict[str, Any]:
        return {"iri": self.iri, "label": self.label.value, "definition": self.definition.value if self.definition else None,
                "concepts": self.size, "levels": self.depth, "top_concepts": [t.as_dict() for t in self.tops]}


def _hierarchy(store: GraphStore) -> tuple[dict[URIRef, set[URIRef]], dict[URIRef, set[URIRef]], dict[URIRef, set[URIRef]]]:
    """(members per scheme, tops per scheme, narrower per concept)."""
    members: dict[URIRef, set[URIRef]] = defaultdict(set)
    tops: dict[URIRef, set[URIRef]] = defaultdict(set)
    narrower: dict[URIRef, set[URIRef]] = defaultdict(set)
    rows = store.select(
        f"""SELECT ?p ?a ?b WHERE {{
          VALUES ?p {{ skos:inScheme skos:topConceptOf skos:hasTopConcept skos:broader skos:narrower }}
          ?a ?p ?b FILTER(STRSTARTS(STR(?a), "{ID}begrip/") && STRSTARTS(STR(?b), "{ID}begrip/")) }}"""
    )
    for row in rows:
        p, a, b = str(row["p"]).rsplit("#", 1)[-1], row["a"], row["b"]
        if not (isinstance(a, URIRef) and isinstance(b, URIRef)):  # the filter keeps IRIs only
            continue
        if p == "inScheme":
            members[b].add(a)
        elif p == "topConceptOf":
            tops[b].add(a)
            members[b].add(a)
        elif p == "hasTopConcept":
            tops[a].add(b)
            members[a].add(b)
        elif p == "broader":
            narrower[b].add(a)
        elif p == "narrower":
            narrower[a].add(b)
    return members, tops, narrower


def _definitions(store: GraphStore, iris: list[URIRef], lang: str) -> dict[URIRef, Text]:
    found: dict[URIRef, list] = defaultdict(list)
    for start in range(0, len(iris), 400):
        values = iri_values(iris[start : start + 400])
        if not values:
            continue
        for row in store.select("SELECT ?s ?d WHERE { VALUES ?s { " + values + " } { ?s skos:definition ?d } UNION { ?s dcterms:description ?d } }"):
            if isinstance(s := row["s"], URIRef) and isinstance(d := row["d"], Literal):
                found[s].append(d)
    return {i: t for i in iris if (t := pick_text(found.get(i, []), lang))}


def schemes(store: GraphStore, lang: str = "nl", only: URIRef | None = None) -> list[Scheme]:
    """Every concept scheme (or one) with its tree of concepts."""
    members, tops, narrower = _hierarchy(store)
    scheme_rows = store.select("SELECT DISTINCT ?s WHERE { ?s a skos:ConceptScheme }")
    scheme_iris = [r["s"] for r in scheme_rows if isinstance(r["s"], URIRef)]
    if only is not None:
        scheme_iris = [s for s in scheme_iris if s == only]
    everything = set(scheme_iris) | {m for s in scheme_iris for m in members.get(s, set())}
    everything |= {n for c in list(everything) for n in narrower.get(c, set())}
    labels = texts(store, sorted(everything), lang)
    definitions = _definitions(store, sorted(everything), lang)
    out: list[Scheme] = []
    for scheme in scheme_iris:
        in_scheme = members.get(scheme, set())
        has_broader = {n for c in in_scheme for n in narrower.get(c, set()) if n in in_scheme}
        roots = set(tops.get(scheme, set())) | {c for c in in_scheme if c not in has_broader}

        def build(iri: URIRef, path: frozenset[URIRef]) -> Node:
            kids = sorted((k for k in narrower.get(iri, set()) if k not in path), key=lambda k: labels.get(k, Text(str(k))).value.lower())
            return Node(str(iri), labels.get(iri, Text(str(iri))), definitions.get(iri), [build(k, path | {k}) for k in kids])

        nodes = [build(r, frozenset({r})) for r in sorted(roots, key=lambda r: labels.get(r, Text(str(r))).value.lower())]
        out.append(Scheme(str(scheme), labels[scheme], definitions.get(scheme), nodes, len(in_scheme)))
    slug = lambda s: s.iri.rsplit("/", 1)[-1]  # noqa: E731
    out.sort(key=lambda s: (FIRST_SCHEMES.index(slug(s)) if slug(s) in FIRST_SCHEMES else len(FIRST_SCHEMES), s.label.value.lower()))
    return out


def broader_chain(store: GraphStore, concept: URIRef, lang: str = "nl") -> list[tuple[str, Text]]:
    """From the top of the hierarchy down to (not including) `concept`: the breadcrumb of a concept page."""
    _members, _tops, narrower = _hierarchy(store)
    parent_of: dict[URIRef, URIRef] = {}
    for parent, kids in sorted(narrower.items()):
        for kid in kids:
            parent_of.setdefault(kid, parent)
    chain: list[URIRef] = []
    current = concept
    while current in parent_of and parent_of[current] not in chain and parent_of[current] != concept:
        current = parent_of[current]
        chain.append(current)
    chain.reverse()
    labels = texts(store, chain, lang)
    return [(str(c), labels[c]) for c in chain]
