"""The vocabulary (ontology graph) as plain data: labels, inverse labels and definitions of every
class and property, the class hierarchy, and the documentation served at /def/.

Loaded once per store version (the ontology graph is small) and shared by all pages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from graph.caching import PerStore
from graph.errors import N_
from graph.namespaces import GRAPH_ONTOLOGY, PREFIXES, SB, local_name
from graph.store.graphstore import GraphStore
from graph.store.present import Text, pick_text

CLASS_TYPES = {OWL.Class, RDFS.Class}
# The kind of a term, as message ids (webapp translates them).
PROPERTY_TYPES = {
    OWL.ObjectProperty: N_("Object property"),
    OWL.DatatypeProperty: N_("Datatype property"),
    OWL.AnnotationProperty: N_("Annotation property"),
    RDF.Property: N_("Property"),
}


@dataclass
class Term:
    iri: URIRef
    labels: list[Literal] = field(default_factory=list)
    inverse: list[Literal] = field(default_factory=list)
    definitions: list[Literal] = field(default_factory=list)
    types: set[URIRef] = field(default_factory=set)
    parents: list[URIRef] = field(default_factory=list)
    domains: list[URIRef] = field(default_factory=list)
    ranges: list[URIRef] = field(default_factory=list)
    other: list[tuple[URIRef, Any]] = field(default_factory=list)

    @property
    def is_class(self) -> bool:
        return bool(self.types & CLASS_TYPES)

    @property
    def is_property(self) -> bool:
        return bool(self.types & set(PROPERTY_TYPES))

    @property
    def local(self) -> bool:
        return str(self.iri).startswith(str(SB))


# Inverse pairs of the standard vocabularies (SKOS declares them; the ontology graph may not hold SKOS).
STANDARD_INVERSES: dict[URIRef, URIRef] = {
    SKOS.broader: SKOS.narrower, SKOS.narrower: SKOS.broader, SKOS.related: SKOS.related,
    SKOS.hasTopConcept: SKOS.topConceptOf, SKOS.topConceptOf: SKOS.hasTopConcept,
    SKOS.broadMatch: SKOS.narrowMatch, SKOS.narrowMatch: SKOS.broadMatch, SKOS.relatedMatch: SKOS.relatedMatch,
    SKOS.exactMatch: SKOS.exactMatch, SKOS.closeMatch: SKOS.closeMatch,
}


class Vocabulary:
    """All terms described in the ontology graph."""

    def __init__(self, terms: dict[URIRef, Term], ontology: Term | None) -> None:
        self.terms = terms
        self.ontology = ontology
        self.children: dict[URIRef, list[URIRef]] = defaultdict(list)
        for term in terms.values():
            if term.is_class:
                for parent in term.parents:
                    self.children[parent].append(term.iri)

    def label(self, iri: URIRef | str, lang: str = "nl") -> Text:
        term = self.terms.get(URIRef(iri))
        found = pick_text(term.labels, lang) if term else None
        return found or Text(prefixed(iri))

    def inverse_label(self, iri: URIRef | str, lang: str = "nl") -> Text | None:
        """How to read the relation from the object's side (sb:inverseLabel), or None when the vocabulary
        gives none: webapp then words the backward reading of the label in the page's language."""
        term = self.terms.get(URIRef(iri))
        return pick_text(term.inverse, lang) if term else None

    def inverses(self, iri: URIRef | str) -> set[URIRef]:
        """The properties that state the same link read from the other side: owl:inverseOf (either
        way), the property itself when symmetric, and the SKOS pairs."""
        p = URIRef(iri)
        found = {STANDARD_INVERSES[p]} if p in STANDARD_INVERSES else set()
        term = self.terms.get(p)
        if term is not None:
            if OWL.SymmetricProperty in term.types:
                found.add(p)
            found.update(o for q, o in term.other if q == OWL.inverseOf and isinstance(o, URIRef))
        found.update(t.iri for t in self.terms.values() if any(q == OWL.inverseOf and o == p for q, o in t.other))
        return found

    def definition(self, iri: URIRef | str, lang: str = "nl") -> Text | None:
        term = self.terms.get(URIRef(iri))
        return pick_text(term.definitions, lang) if term else None

    def ancestors(self, iri: URIRef) -> list[URIRef]:
        out: list[URIRef] = []
        stack = list(self.terms[iri].parents) if iri in self.terms else []
        while stack:
            c = stack.pop(0)
            if c not in out:
                out.append(c)
                if c in self.terms:
                    stack.extend(self.terms[c].parents)
        return out

    def most_specific(self, types: list[URIRef]) -> list[URIRef]:
        """The types that are no superclass of another, our own (sb:) classes first."""
        ancestors = {a for t in types for a in self.ancestors(t)}
        best = [t for t in dict.fromkeys(types) if t not in ancestors]
        return sorted(best, key=lambda t: (not str(t).startswith(str(SB)), str(t)))


def prefixed(iri: URIRef | str) -> str:
    """'sb:Programme' style name for an IRI (the IRI itself when no prefix fits)."""
    text = str(iri)
    best = ""
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns) and len(ns) > len(best):
            best, name = ns, prefix
    return f"{name}:{text[len(best):]}" if best else local_name(text) or text


def vocabulary(store: GraphStore) -> Vocabulary:
    """The vocabulary of the store, cached until the store changes."""
    return _vocabularies.get(store)


def _read_vocabulary(store: GraphStore) -> Vocabulary:
    terms: dict[URIRef, Term] = {}
    rows = store.select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s)) }", {"g": GRAPH_ONTOLOGY})
    for row in rows:
        s, p, o = row["s"], row["p"], row["o"]
        if not isinstance(s, URIRef):  # the query keeps IRIs only
            continue
        term = terms.get(s)
        if term is None:
            term = terms[s] = Term(s)
        if p in (RDFS.label, SKOS.prefLabel, DCTERMS.title) and isinstance(o, Literal):
            if p == RDFS.label or not term.labels:
                term.labels.append(o)
        elif p == SB.inverseLabel and isinstance(o, Literal):
            term.inverse.append(o)
        elif p in (SKOS.definition, RDFS.comment, DCTERMS.description) and isinstance(o, Literal):
            term.definitions.append(o)
        elif p == RDF.type and isinstance(o, URIRef):
            term.types.add(o)
        elif p in (RDFS.subClassOf, RDFS.subPropertyOf) and isinstance(o, URIRef):
            term.parents.append(o)
        elif p == RDFS.domain and isinstance(o, URIRef):
            term.domains.append(o)
        elif p == RDFS.range and isinstance(o, URIRef):
            term.ranges.append(o)
        elif isinstance(p, URIRef):
            term.other.append((p, o))
    ontology = next((t for t in terms.values() if OWL.Ontology in t.types), None)
    return Vocabulary(terms, ontology)


_vocabularies: PerStore[GraphStore, Vocabulary] = PerStore(_read_vocabulary)


def term_summary(vocab: Vocabulary, term: Term, lang: str) -> dict[str, Any]:
    """One class or property as plain data for the documentation page."""
    kind = next((PROPERTY_TYPES[t] for t in PROPERTY_TYPES if t in term.types), None)
    return {
        "iri": str(term.iri),
        "name": local_name(term.iri),
        "curie": prefixed(term.iri),
        "label": vocab.label(term.iri, lang),
        "definition": vocab.definition(term.iri, lang),
        "inverse": pick_text(term.inverse, lang),
        "kind": kind or N_("Class"),  # a message id
        "parents": [(str(p), prefixed(p), vocab.label(p, lang)) for p in term.parents],
        "children": [(str(c), prefixed(c), vocab.label(c, lang)) for c in sorted(vocab.children.get(term.iri, []))],
        "domains": [(str(d), prefixed(d), vocab.label(d, lang)) for d in term.domains],
        "ranges": [(str(r), prefixed(r), vocab.label(r, lang)) for r in term.ranges],
        "is_class": term.is_class,
        "local": term.local,
    }


def documentation(store: GraphStore, lang: str = "nl") -> dict[str, Any]:
    """Everything the /def/ page shows: the ontology, its classes (as a tree), properties, and the
    external terms the data uses with the labels we give them."""
    vocab = vocabulary(store)
    classes = [t for t in vocab.terms.values() if t.local and t.is_class]
    properties = [t for t in vocab.terms.values() if t.local and t.is_property]
    external = [t for t in vocab.terms.values() if not t.local and t.labels and OWL.Ontology not in t.types]
    local_classes = {t.iri for t in classes}

    def tree(iri: URIRef, depth: int) -> list[dict[str, Any]]:
        children = sorted((c for c in vocab.children.get(iri, []) if c in local_classes), key=lambda c: vocab.label(c, lang).value.lower())
        return [{"summary": term_summary(vocab, vocab.terms[c], lang), "depth": depth, "children": tree(c, depth + 1)} for c in children]

    roots = sorted(
        (t for t in classes if not any(p in local_classes for p in t.parents)),
        key=lambda t: vocab.label(t.iri, lang).value.lower(),
    )
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for prop in sorted(properties, key=lambda t: vocab.label(t.iri, lang).value.lower()):
        summary = term_summary(vocab, prop, lang)
        groups[summary["kind"]].append(summary)
    ontology = vocab.ontology
    return {
        "iri": str(SB),
        "title": vocab.label(ontology.iri, lang) if ontology else Text("sb:"),
        "description": vocab.definition(ontology.iri, lang) if ontology else None,
        "version": next((str(o) for p, o in ontology.other if p == OWL.versionInfo), "") if ontology else "",
        "license": next((str(o) for p, o in ontology.other if p == DCTERMS.license), "") if ontology else "",
        "class_tree": [{"summary": term_summary(vocab, r, lang), "depth": 0, "children": tree(r.iri, 1)} for r in roots],
        "classes": sorted((term_summary(vocab, t, lang) for t in classes), key=lambda s: s["label"].value.lower()),
        "property_groups": sorted(groups.items()),
        "external": sorted((term_summary(vocab, t, lang) for t in external), key=lambda s: s["curie"]),
    }


def term(store: GraphStore, name: str, lang: str = "nl") -> dict[str, Any] | None:
    """One sb: term by local name, or None."""
    vocab = vocabulary(store)
    found = vocab.terms.get(SB[name])
    return term_summary(vocab, found, lang) if found else None


def term_triples(store: GraphStore, iri: URIRef | None = None) -> list[tuple[Any, Any, Any]]:
    """The ontology's statements (about one term, or all) for the Turtle twin of /def/."""
    if iri is None:
        rows = store.select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": GRAPH_ONTOLOGY})
    else:
        rows = store.select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": GRAPH_ONTOLOGY, "s": iri})
    return [(r["s"], r["p"], r["o"]) for r in rows]
