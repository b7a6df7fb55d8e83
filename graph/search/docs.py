"""Entities as search documents: what the index keeps of each entity, read from its quads.

`gather` turns quads into one `Doc` per entity (an IRI under id/ with statements of its own):
labels, alternative labels and descriptions per language, types, links to other entities, dates
and the named graphs that state something about it. `facet_values` and `doc_date` derive the
facets (kind, type, theme, pillar, sphere, organisation, publisher, programme, place, year) and the date.
Reading quads: `all_quads` (a full build), `subject_quads` and `graph_subjects` (changes).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Iterator

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from graph.namespaces import ID, SB, SCHEMA, iri_values, local_name, split_entity_iri
from graph.store.graphstore import GraphStore, OxigraphStore

LABELS = {str(RDFS.label), str(SKOS.prefLabel)}
ALT_LABELS = {str(SKOS.altLabel), str(DCTERMS.title)}
DESCRIPTIONS = {str(DCTERMS.description), str(SKOS.definition)}
DATES = (str(DCTERMS.issued), str(SCHEMA.startDate), str(SB.signedOn), str(DCTERMS.date))
TYPE = str(RDF.type)
SUBCLASS = str(RDFS.subClassOf)
# Concept facets by predicate: stated and editorial (derived) values are separate facets, never mixed.
PILLAR_PREDICATES = {
    str(SB.addressesPillar): "pillar", str(SB.editorialPillar): "editorial_pillar",
    str(SB.sphere): "sphere", str(SB.editorialSphere): "editorial_sphere",
    str(SB.theme): "theme", str(SB.editorialTheme): "editorial_theme",
}
PUBLISHER = str(DCTERMS.publisher)
# Entity facets by the kind of the related entity.
KIND_FACETS = {"organisatie": "organisation", "programma": "programme", "plaats": "place"}
# The kind (IRI segment) of the values of each entity facet, to turn a slug back into an IRI.
FACET_VALUE_KINDS = {
    "pillar": "begrip",
    "editorial_pillar": "begrip",
    "sphere": "begrip",
    "editorial_sphere": "begrip",
    "theme": "begrip",
    "editorial_theme": "begrip",
    "organisation": "organisatie",
    "publisher": "organisatie",
    "programme": "programma",
    "place": "plaats",
}

Quad = tuple[str, str, str, str, str | None, str | None]  # s, p, object value, object type ('iri'|'lit'|'bnode'), lang, graph


@dataclass
class Doc:
    """What the index keeps of one entity, gathered from its quads."""

    iri: str
    kind: str
    types: set[str] = field(default_factory=set)
    labels: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    alts: list[str] = field(default_factory=list)
    descs: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    links: set[tuple[str, str]] = field(default_factory=set)
    dates: dict[str, str] = field(default_factory=dict)
    graphs: set[str] = field(default_factory=set)

    @property
    def indexable(self) -> bool:
        return bool(self.labels or self.types)


def _ox_quads(pattern: Iterable[ox.Quad]) -> Iterator[Quad]:
    for q in pattern:
        s = q.subject
        if not isinstance(s, ox.NamedNode):
            continue
        o = q.object
        g = q.graph_name
        if not isinstance(g, ox.NamedNode):
            continue  # the default graph only repeats the named graphs (their union)
        graph = g.value
        if isinstance(o, ox.NamedNode):
            yield s.value, q.predicate.value, o.value, "iri", None, graph
        elif isinstance(o, ox.Literal):
            yield s.value, q.predicate.value, o.value, "lit", o.language, graph
        else:
            yield s.value, q.predicate.value, str(o), "bnode", None, graph


def _term_quad(s: object, p: object, o: object, g: object) -> Quad | None:
    from rdflib import Literal

    if not isinstance(s, URIRef):
        return None
    graph = str(g) if g is not None else None
    if isinstance(o, URIRef):
        return str(s), str(p), str(o), "iri", None, graph
    if isinstance(o, Literal):
        return str(s), str(p), str(o), "lit", o.language, graph
    return str(s), str(p), str(o), "bnode", None, graph


def all_quads(store: GraphStore) -> Iterator[Quad]:
    if isinstance(store, OxigraphStore):
        yield from _ox_quads(store.ox.quads_for_pattern(None, None, None, None))
        return
    for s, p, o, g in store.quads():
        if g is None:
            continue
        quad = _term_quad(s, p, o, g)
        if quad:
            yield quad


def subject_quads(store: GraphStore, subjects: Iterable[str]) -> Iterator[Quad]:
    subjects = list(subjects)
    if isinstance(store, OxigraphStore):
        for s in subjects:
            yield from _ox_quads(store.ox.quads_for_pattern(ox.NamedNode(s), None, None, None))
        return
    for start in range(0, len(subjects), 200):
        values = iri_values(subjects[start : start + 200])
        if not values:
            continue
        for row in store.select(f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"):
            quad = _term_quad(row["s"], row["p"], row["o"], row.get("g"))
            if quad:
                yield quad


def graph_subjects(store: GraphStore, graph: str) -> set[str]:
    if isinstance(store, OxigraphStore):
        return {q[0] for q in _ox_quads(store.ox.quads_for_pattern(None, None, None, ox.NamedNode(graph)))}
    return {str(s) for s, _p, _o, _g in store.quads(URIRef(graph)) if isinstance(s, URIRef)}


def class_parents(store: GraphStore) -> dict[str, set[str]]:
    """rdfs:subClassOf as {class: parents}, for picking the most specific type."""
    parents: dict[str, set[str]] = defaultdict(set)
    for row in store.select("SELECT ?c ?p WHERE { ?c rdfs:subClassOf ?p FILTER(isIRI(?c) && isIRI(?p)) }"):
        parents[str(row["c"])].add(str(row["p"]))
    return parents


def most_specific(types: Iterable[str], parents: dict[str, set[str]]) -> list[str]:
    """The types that are no ancestor of another of the types, sb: classes first."""
    types = set(types)
    ancestors: set[str] = set()
    for t in types:
        stack = list(parents.get(t, ()))
        while stack:
            c = stack.pop()
            if c not in ancestors:
                ancestors.add(c)
                stack.extend(parents.get(c, ()))
    best = [t for t in types if t not in ancestors]
    return sorted(best, key=lambda t: (not t.startswith(str(SB)), t))


def gather(quads: Iterable[Quad]) -> dict[str, Doc]:
    """Docs for the entity subjects among the quads."""
    docs: dict[str, Doc] = {}
    for s, p, o, otype, lang, graph in quads:
        if not s.startswith(ID):
            continue
        doc = docs.get(s)
        if doc is None:
            parts = split_entity_iri(s)
            if parts is None:
                continue
            doc = docs[s] = Doc(s, parts[0])
        if graph:
            doc.graphs.add(graph)
        if otype == "lit":
            if p in LABELS:
                doc.labels[lang or ""].append(o)
            elif p in ALT_LABELS:
                doc.alts.append(o)
            elif p in DESCRIPTIONS:
                doc.descs[lang or ""].append(o)
            elif p in DATES and p not in doc.dates:
                doc.dates[p] = o
        elif otype == "iri":
            if p == TYPE:
                doc.types.add(o)
            elif o.startswith(ID):
                doc.links.add((p, o))
    return docs


def first_text(values: dict[str, list[str]], lang: str) -> str:
    found = sorted(set(values.get(lang, [])))
    return found[0] if found else ""


def facet_values(doc: Doc, type_iri: str, year: int | None) -> set[tuple[str, str]]:
    values: set[tuple[str, str]] = {("kind", doc.kind)}
    if type_iri:
        values.add(("type", local_name(type_iri)))
    if year is not None:
        values.add(("year", str(year)))
    for p, o in doc.links:
        parts = split_entity_iri(o)
        if parts is None or o == doc.iri:
            continue
        kind, slug = parts
        if p in PILLAR_PREDICATES and kind == "begrip":
            values.add((PILLAR_PREDICATES[p], slug))
        elif kind in KIND_FACETS:
            values.add((KIND_FACETS[kind], slug))
            if p == PUBLISHER and kind == "organisatie":
                values.add(("publisher", slug))
    return values


def doc_date(doc: Doc) -> tuple[str, int | None]:
    for p in DATES:
        if p in doc.dates:
            value = doc.dates[p].strip()
            year = int(value[:4]) if value[:4].isdigit() else None
            return value, year
    return "", None
