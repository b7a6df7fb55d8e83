"""Labels and lookups: Dutch first, then English, then the IRI's local name."""

from __future__ import annotations

from typing import Iterable

from rdflib import Literal, URIRef
from rdflib.term import Node

from graph.errors import N_, NotFound
from graph.namespaces import ID, KINDS, SB, split_entity_iri
from graph.store.graphstore import GraphStore

LANGS = ("nl", "en")


def pick(values: Iterable[Literal], lang: str = "nl") -> str | None:
    """Best literal for `lang`: that language, then nl, then en, then one without a language tag."""
    by_lang: dict[str, str] = {}
    for value in values:
        by_lang.setdefault(value.language or "", str(value))
    for candidate in (lang, "nl", "en", ""):
        if candidate in by_lang:
            return by_lang[candidate]
    return next(iter(by_lang.values()), None)


def labels(store: GraphStore, iris: Iterable[URIRef], lang: str = "nl") -> dict[URIRef, str]:
    """{iri: label} for many IRIs in one query (rdfs:label, then skos:prefLabel), with fallbacks."""
    from graph.store.present import texts

    return {iri: text.value for iri, text in texts(store, iris, lang).items()}


def concept_labels(store: GraphStore) -> dict[str, list[Literal]]:
    """{concept slug: its rdfs:labels} for every concept, in one query."""
    found: dict[str, list[Literal]] = {}
    for row in store.select(f'SELECT ?s ?l WHERE {{ ?s rdfs:label ?l FILTER(STRSTARTS(STR(?s), "{ID}begrip/")) }}'):
        if isinstance(label := row["l"], Literal):
            found.setdefault(str(row["s"]).rsplit("/", 1)[1], []).append(label)
    return found


def label(store: GraphStore, iri: URIRef, lang: str = "nl") -> str:
    return labels(store, [iri], lang)[URIRef(iri)]


def entity_types(store: GraphStore, iri: URIRef) -> list[URIRef]:
    return [t for r in store.select("SELECT DISTINCT ?s ?t WHERE { ?s a ?t }", {"s": iri}) if isinstance(t := r["t"], URIRef)]


def exists(store: GraphStore, iri: URIRef) -> bool:
    """True when the store says anything about `iri`."""
    return store.ask("ASK { { ?s ?p ?o } UNION { ?o ?p ?s } }", {"s": URIRef(iri)})


def require(store: GraphStore, iri: URIRef) -> URIRef:
    if not exists(store, iri):
        raise NotFound(N_("unknown resource: %(iri)s"), iri=str(iri))
    return URIRef(iri)


def kind_of(iri: str) -> str | None:
    """The kind segment ('programma', 'publicatie', …) of an instance IRI."""
    parts = split_entity_iri(iri)
    return parts[0] if parts else None


def description(store: GraphStore, iri: URIRef, lang: str = "nl") -> str | None:
    rows = store.select("SELECT ?s ?d WHERE { ?s dcterms:description ?d }", {"s": URIRef(iri)})
    return pick([d for r in rows if isinstance(d := r["d"], Literal)], lang)


def entities(store: GraphStore, kind: str | None = None) -> list[URIRef]:
    """All instance IRIs (of one kind), found by their rdfs:label."""
    rows = store.select("SELECT DISTINCT ?s WHERE { ?s rdfs:label ?l FILTER(STRSTARTS(STR(?s), 'https://w3id.org/sociale-basis/id/')) }")
    out = [r["s"] for r in rows if isinstance(r["s"], URIRef)]
    if kind is not None:
        out = [s for s in out if kind_of(str(s)) == kind]
    return sorted(out)


def kind_label(segment: str, lang: str = "nl") -> str:
    for kind in KINDS:
        if kind.segment == segment:
            return kind.label_nl if lang == "nl" else kind.label_en
    return segment


def is_node(term: Node) -> bool:
    return isinstance(term, URIRef) and split_entity_iri(str(term)) is not None


__all__ = ["SB", "description", "entities", "entity_types", "exists", "kind_label", "kind_of", "label", "labels", "pick", "require", "is_node"]
