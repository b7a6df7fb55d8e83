"""One named graph described, for its page (/graph/<name>) and that page's RDF and JSON twins.

What the graph is (kind, label, its metadata and PROV from graph/bronnen or from the graph itself), what it
holds (triples, subjects, properties), and a query on it for the editor. Built on void.py's list of graphs,
so a page, the download index and VoID name the same graphs with the same counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, VOID

from graph.errors import N_, NotFound
from graph.namespaces import SCHEMA, iri_ref, iri_values
from graph.sparql.void import GRAPH_PREFIX, GraphInfo, bind_prefixes, subset_description
from graph.store.graphstore import GraphStore
from graph.store.present import Text, Value, format_value, texts

PROPERTY_LIMIT = 30
# Metadata properties in the order a reader wants them; the others follow by label.
ORDER = [str(p) for p in (
    DCTERMS.title, DCTERMS.description, PROV.wasAttributedTo, DCTERMS.publisher, DCTERMS.creator,
    PROV.wasDerivedFrom, DCTERMS.issued, DCTERMS.created, PROV.generatedAtTime, SCHEMA.url, DCTERMS.license,
)]
HIDDEN = {str(RDF.type), str(RDFS.label), str(SKOS.prefLabel)}  # said by the page's kind and heading


@dataclass(frozen=True)
class Item:
    """One value of a metadata property: a linked resource (`iri`, labelled) or a literal (`value`)."""

    text: Text
    iri: str | None = None
    value: Value | None = None

    def as_dict(self, show: Callable[[Value], str] | None = None) -> dict[str, Any]:
        if self.value is not None:
            return self.value.as_dict(show)
        return {"iri": self.iri, "text": self.text.value, "lang": self.text.lang}


@dataclass(frozen=True)
class Fact:
    """A metadata property of the graph with its values."""

    predicate: str
    label: Text
    items: list[Item]


@dataclass(frozen=True)
class Holding:
    """A property used inside the graph and how many of its triples use it."""

    predicate: str
    label: Text
    triples: int


@dataclass
class GraphDescription:
    """Plain data for a graph's page: the graph (void.GraphInfo), its metadata and what it holds."""

    info: GraphInfo
    label: Text
    types: list[tuple[str, Text]]
    facts: list[Fact]
    subjects: int
    properties: list[Holding] = field(default_factory=list)
    more_properties: int = 0  # properties used but not listed (beyond PROPERTY_LIMIT)
    query: str = ""

    def as_dict(self, show: Callable[[Value], str] | None = None) -> dict[str, Any]:
        info = self.info
        return {
            "iri": info.iri, "kind": info.kind, "label": self.label.value, "labels": dict(info.labels),
            "types": [{"iri": iri, "label": t.value} for iri, t in self.types],
            "triples": info.triples, "subjects": self.subjects,
            "metadata": [{"property": f.predicate, "label": f.label.value, "values": [i.as_dict(show) for i in f.items]}
                         for f in self.facts],
            "properties": [{"iri": h.predicate, "label": h.label.value, "triples": h.triples} for h in self.properties],
            "query": self.query,
        }


def graph_for_page(graph_list: Iterable[GraphInfo], name: str) -> GraphInfo:
    """The graph `graph/<name>` of the store; NotFound when the store has no such graph."""
    iri = GRAPH_PREFIX + name  # graphs under graph/ have a page; sources have theirs under id/bron/
    for info in graph_list:
        if info.iri == iri:
            return info
    raise NotFound(N_("there is no graph %(iri)s in this dataset; see /data/ for the list"), iri=iri)


def graph_query(info: GraphInfo, lang: str = "nl") -> str:
    """A first query on the graph, for the editor: its statements, under its name in `lang`."""
    name = " ".join(info.label(lang).split())  # one comment line, whatever the label holds
    return (f"# {name}\nSELECT ?s ?p ?o WHERE {{\n  GRAPH {iri_ref(info.iri)} {{ ?s ?p ?o }}\n}}\n"
            "LIMIT 100\n")


def label_text(info: GraphInfo, lang: str) -> Text:
    """The graph's label in `lang`, else Dutch, else English, with the language it is in."""
    for code in (lang, "nl", "en"):
        if info.labels.get(code):
            return Text(info.labels[code], code)
    return Text(info.label(lang))


def _metadata(store: GraphStore, iri: str) -> list[tuple[str, Any]]:
    """(property, value) of every statement about the graph, in any graph (graph/bronnen, or its own)."""
    rows = store.select("SELECT ?g ?p ?o WHERE { ?g ?p ?o }", {"g": URIRef(iri)})
    return [(str(r["p"]), r["o"]) for r in rows]


def _holdings(store: GraphStore, iri: str) -> tuple[int, list[tuple[str, int]]]:
    """(distinct subjects, [(property, triples)] most used first) of the graph."""
    g = URIRef(iri)
    subjects = store.select("SELECT ?g (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", {"g": g})
    rows = store.select("SELECT ?g ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ?p", {"g": g})
    used = sorted(((str(r["p"]), int(r["n"])) for r in rows), key=lambda item: (-item[1], item[0]))
    return (int(subjects[0]["n"]) if subjects else 0), used


def describe_graph(store: GraphStore, info: GraphInfo, lang: str = "nl") -> GraphDescription:
    """The graph's page as plain data: metadata with labelled values, and the properties it uses."""
    statements = _metadata(store, info.iri)
    subjects, used = _holdings(store, info.iri)
    shown = used[:PROPERTY_LIMIT]
    iris = {URIRef(p) for p, _ in statements} | {o for _, o in statements if isinstance(o, URIRef)}
    iris |= {URIRef(p) for p, _ in shown}
    names = texts(store, iris, lang)
    grouped: dict[str, list[Item]] = {}
    types: list[tuple[str, Text]] = []
    for predicate, value in statements:
        if predicate == str(RDF.type) and isinstance(value, URIRef):
            types.append((str(value), names[value]))
        if predicate in HIDDEN:
            continue
        if isinstance(value, URIRef):
            item = Item(names[value], iri=str(value))
        elif isinstance(value, Literal):
            item = Item(Text(str(value), value.language or ""), value=format_value(value, predicate))
        else:
            continue  # a blank node says nothing a reader can follow
        grouped.setdefault(predicate, []).append(item)
    facts = [Fact(p, names[URIRef(p)], sorted(items, key=lambda i: i.text.value.lower())) for p, items in grouped.items()]
    facts.sort(key=lambda f: (ORDER.index(f.predicate) if f.predicate in ORDER else len(ORDER), f.label.value.lower()))
    return GraphDescription(
        info=info,
        label=label_text(info, lang),
        types=sorted(types, key=lambda t: t[1].value.lower()),
        facts=facts,
        subjects=subjects,
        properties=[Holding(p, names[URIRef(p)], n) for p, n in shown],
        more_properties=max(0, len(used) - len(shown)),
        query=graph_query(info, lang),
    )


def description_graph(store: GraphStore, info: GraphInfo, site: str, sizes: Mapping[str, int],
                      page: str | None = None) -> Graph:
    """The graph described in RDF: its own metadata (with the labels of what it links to), and the VoID/DCAT
    subset of the dataset it is, with its size, properties and dumps; `page` is its HTML page's URL."""
    g = bind_prefixes(Graph())
    me = URIRef(info.iri)
    statements = _metadata(store, info.iri)
    for predicate, value in statements:
        g.add((me, URIRef(predicate), value))
    if not any(p == str(RDFS.label) for p, _ in statements):  # the project's own graphs: named in code
        for lang, text in info.labels.items():
            g.add((me, RDFS.label, Literal(text, lang=lang)))
    linked = iri_values(dict.fromkeys(o for p, o in statements if isinstance(o, URIRef) and p != str(RDF.type)))
    if linked:  # what the metadata links to, with its labels, so a reader needs no second request
        for row in store.select("SELECT ?s ?l WHERE { VALUES ?s { " + linked + " } ?s rdfs:label ?l }"):
            g.add((row["s"], RDFS.label, row["l"]))
    subset = subset_description(g, info, site, sizes)
    subjects, used = _holdings(store, info.iri)
    g.add((subset, VOID.distinctSubjects, Literal(subjects)))
    g.add((subset, VOID.properties, Literal(len(used))))
    for predicate, n in used:
        part = BNode()
        g.add((subset, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(predicate)))
        g.add((part, VOID.triples, Literal(n)))
    g.add((subset, VOID.sparqlEndpoint, URIRef(site + "/sparql")))
    if page:
        g.add((me, FOAF.page, URIRef(page)))
        g.add((subset, DCAT.landingPage, URIRef(page)))
    return g
