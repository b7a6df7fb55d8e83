"""The dataset described for machines: VoID + DCAT, the SPARQL Service Description, the downloads.

Downloads are the whole dataset and each named graph of the store, exactly once (the sources
`src:<slug>`, the editorial graphs `graph/redactie/<name>`, the ontology, the source list, …) in TriG,
N-Quads, Turtle and JSON-LD at stable paths under `/data/<section>/<name>`. The
descriptions are built from the store's own counts; `site` is the public base URL of the web app
(no trailing slash), so the documents name absolute URLs.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

from graph import formats
from graph.caching import SharedLRU
from graph.formats import Format, suffixes
from graph.namespaces import BASE, EDITORIAL_GRAPHS, ID, PREFIXES, SB, SCHEMA, local_name
from graph.store.graphstore import GraphStore
from graph.store.namedgraphs import named_graphs

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace(formats.FORMATS_NS)
DATASET = URIRef(BASE + "dataset")
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
TITLE = {"nl": "Sociale Basis Kennisgraaf", "en": "Social Base Knowledge Graph"}
DESCRIPTION = {
    "nl": "Open kennisgraaf van de sociale basis in Nederland: programma's, akkoorden, initiatieven, "
    "publicaties, organisaties en begrippen, opgebouwd uit openbare bronnen. Elke bewering staat in de "
    "benoemde graaf van de bron die haar doet.",
    "en": "Open knowledge graph of the Dutch social base: programmes, agreements, initiatives, "
    "publications, organisations and concepts, built from public sources. Every statement sits in the "
    "named graph of the source that makes it.",
}
LANGUAGES = (
    URIRef("http://publications.europa.eu/resource/authority/language/NLD"),
    URIRef("http://publications.europa.eu/resource/authority/language/ENG"),
)
# The downloads: URL suffix -> format (GraphStore.serialize name, media type, W3C format IRI).
DUMP_FORMATS: dict[str, Format] = suffixes(formats.DUMP_FORMATS)
DUMP_NAME = "sociale-basis"
DUMP_CACHE_BUDGET = 256 * 1024 * 1024
SOURCE_PREFIX = ID + "bron/"
GRAPH_PREFIX = BASE + "graph/"
# Download sections: /data/<section>/<name>.<suffix>; 'overig' holds graphs named outside these patterns.
SECTIONS = ("bron", "redactie", "graaf", "overig")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# Metadata of a graph given beside its counts: its publisher and web address (sources).
META_QUERY = (
    "SELECT ?g ?p ?o WHERE { VALUES ?t { sb:Source sb:EditorialGraph } VALUES ?p { dcterms:publisher schema:url } "
    "?g a ?t ; ?p ?o }"
)
RESULT_FORMATS = tuple(
    URIRef(str(formats.get(name).iri)) for name in (*formats.SOLUTION_FORMATS, *formats.GRAPH_RESULT_FORMATS)
)


@dataclass
class GraphInfo:
    """One named graph: its IRI, kind, where its downloads live, its size and (for sources) its metadata."""

    iri: str
    section: str  # one of SECTIONS
    slug: str
    triples: int
    labels: dict[str, str] = field(default_factory=dict)  # lang -> label
    publisher: str | None = None
    url: str | None = None
    kind: str = "graaf"  # graph.store.namedgraphs.KINDS: bron, redactie, ontologie, bronnenlijst, moderatie, graaf

    @property
    def path(self) -> str:
        """'/data/bron/<slug>' (add '.trig' etc.)."""
        return f"/data/{self.section}/{self.slug}"

    def label(self, lang: str = "nl") -> str:
        return self.labels.get(lang) or self.labels.get("nl") or self.labels.get("en") or local_name(self.iri)


def graph_location(iri: str) -> tuple[str, str]:
    """Where a graph's downloads live: ('bron', slug) for a source graph, ('redactie', name) for an
    editorial graph, ('graaf', name) for the project's other graphs, and ('overig', a digest of the IRI)
    for any other name, so that every graph of the store has exactly one place."""
    for section, prefix in (("bron", SOURCE_PREFIX), ("redactie", EDITORIAL_GRAPHS), ("graaf", GRAPH_PREFIX)):
        rest = iri[len(prefix) :] if iri.startswith(prefix) else ""
        if NAME_RE.match(rest):
            return section, rest
    return "overig", hashlib.sha256(iri.encode("utf-8")).hexdigest()[:16]


def graph_iri(section: str, slug: str) -> str | None:
    """The IRI a download place stands for ('overig' places are digests: no IRI can be read from them)."""
    prefix = {"bron": SOURCE_PREFIX, "redactie": EDITORIAL_GRAPHS, "graaf": GRAPH_PREFIX}.get(section)
    return prefix + slug if prefix else None


def find_graph(graph_list: Iterable[GraphInfo], section: str, slug: str) -> GraphInfo | None:
    """The graph whose downloads live at /data/<section>/<slug>, if the list has one."""
    return next((g for g in graph_list if g.section == section and g.slug == slug), None)


def graphs(store: GraphStore) -> list[GraphInfo]:
    """Every named graph of the store with its triple count, kind, labels and source metadata, the
    project's own graphs first, then the editorial graphs, then the sources (graph.store.namedgraphs)."""
    meta: dict[str, dict[str, list]] = {}
    for r in store.select(META_QUERY):
        meta.setdefault(str(r["g"]), {}).setdefault(str(r["p"]), []).append(r["o"])
    out: list[GraphInfo] = []
    for named, n in named_graphs(store):
        section, slug = graph_location(named.iri)
        m = meta.get(named.iri, {})
        publisher = m.get(str(DCTERMS.publisher), [None])[0]
        url = m.get(str(SCHEMA.url), [None])[0]
        out.append(GraphInfo(named.iri, section, slug, n, dict(named.labels),
                             str(publisher) if publisher else None, str(url) if url else None, named.kind))
    return out


@dataclass
class DatasetCounts:
    triples: int  # distinct triples in the union of all graphs (the default graph)
    quads: int  # triples counted per named graph (a triple stated by two sources counts twice)
    entities: int  # distinct subjects under id/
    subjects: int
    objects: int
    classes: dict[str, int]  # class -> distinct instances
    properties: dict[str, int]  # property -> triples


def counts(store: GraphStore) -> DatasetCounts:
    def one(query: str) -> int:
        rows = store.select(query)
        return int(rows[0]["n"]) if rows and "n" in rows[0] else 0

    # The default graph is the union of the named graphs as a set: counts there are distinct triples.
    return DatasetCounts(
        triples=one("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        quads=one("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
        entities=one(f'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{ID}")) }}'),
        subjects=one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        objects=one("SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"),
        classes={
            str(r["c"]): int(r["n"])
            for r in store.select("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n)")
        },
        properties={
            str(r["p"]): int(r["n"])
            for r in store.select("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n)")
        },
    )


def bind_prefixes(g: Graph) -> Graph:
    for prefix, iri in PREFIXES.items():
        g.bind(prefix, iri)
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("sd", SD), ("formats", FORMATS_NS)):
        g.bind(prefix, ns)
    return g


def void_description(
    store: GraphStore,
    site: str,
    *,
    sizes: Mapping[str, int] | None = None,
    modified: str | None = None,
    graph_list: Iterable[GraphInfo] | None = None,
    dataset_counts: DatasetCounts | None = None,
) -> Graph:
    """VoID + DCAT for the dataset, its dumps, its SPARQL endpoint and one subset per graph.

    `sizes`: byte sizes of dumps already made, by URL path (e.g. '/data/sociale-basis.trig').
    """
    sizes = sizes or {}
    c = dataset_counts or counts(store)
    g = bind_prefixes(Graph())
    ds = DATASET
    endpoint = URIRef(site + "/sparql")
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    for lang in ("nl", "en"):
        g.add((ds, DCTERMS.title, Literal(TITLE[lang], lang=lang)))
        g.add((ds, DCTERMS.description, Literal(DESCRIPTION[lang], lang=lang)))
    g.add((ds, DCTERMS.license, LICENCE))
    for language in LANGUAGES:
        g.add((ds, DCTERMS.language, language))
    for keyword in ("sociale basis", "sociaal domein", "welzijn", "beleid", "social base", "welfare", "policy"):
        g.add((ds, DCAT.keyword, Literal(keyword, lang="en" if keyword in ("social base", "welfare", "policy") else "nl")))
    if modified:
        g.add((ds, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    g.add((ds, FOAF.homepage, URIRef(site + "/")))
    g.add((ds, DCAT.landingPage, URIRef(site + "/data/")))
    g.add((ds, VOID.sparqlEndpoint, endpoint))
    g.add((ds, VOID.uriSpace, Literal(ID)))
    g.add((ds, VOID.uriRegexPattern, Literal("^" + ID.replace(".", r"\.") + "[a-z]+/[a-z0-9-]+$")))
    for vocabulary in (SB, SKOS, DCTERMS, SCHEMA, "http://www.w3.org/ns/org#", PROV, FOAF, RDFS, OWL):
        g.add((ds, VOID.vocabulary, URIRef(str(vocabulary))))
    g.add((ds, VOID.rootResource, URIRef(ID + "begrip/sociale-basis")))
    g.add((ds, VOID.exampleResource, URIRef(ID + "begrip/sociale-basis")))
    g.add((ds, VOID.triples, Literal(c.triples)))
    g.add((ds, VOID.entities, Literal(c.entities)))
    g.add((ds, VOID.distinctSubjects, Literal(c.subjects)))
    g.add((ds, VOID.distinctObjects, Literal(c.objects)))
    g.add((ds, VOID.classes, Literal(len(c.classes))))
    g.add((ds, VOID.properties, Literal(len(c.properties))))
    for cls, n in c.classes.items():
        part = BNode()
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(n)))
    for prop, n in c.properties.items():
        part = BNode()
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop)))
        g.add((part, VOID.triples, Literal(n)))
    # the SPARQL endpoint as a DCAT data service
    g.add((endpoint, RDF.type, DCAT.DataService))
    g.add((endpoint, DCAT.endpointURL, endpoint))
    g.add((endpoint, DCAT.servesDataset, ds))
    g.add((endpoint, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((endpoint, DCAT.endpointDescription, endpoint))
    g.add((endpoint, DCTERMS.title, Literal("SPARQL-endpoint", lang="nl")))
    g.add((endpoint, DCTERMS.title, Literal("SPARQL endpoint", lang="en")))
    _distributions(g, ds, site, f"/data/{DUMP_NAME}", sizes, "", endpoint)
    for info in graph_list if graph_list is not None else graphs(store):
        g.add((ds, VOID.subset, subset_description(g, info, site, sizes)))
        if info.kind == "bron":
            g.add((ds, DCTERMS.source, URIRef(info.iri)))
    return g


def subset_iri(info: GraphInfo) -> URIRef:
    """The VoID subset of the dataset that one graph is ('…/dataset/redactie/toekenningen')."""
    return URIRef(f"{BASE}dataset/{info.section}/{info.slug}")


def subset_description(g: Graph, info: GraphInfo, site: str, sizes: Mapping[str, int]) -> URIRef:
    """Add one graph as a VoID/DCAT subset of the dataset, with its dumps, to `g`; return the subset."""
    subset = subset_iri(info)
    g.add((subset, RDF.type, VOID.Dataset))
    g.add((subset, RDF.type, DCAT.Dataset))
    g.add((subset, DCTERMS.isPartOf, DATASET))
    g.add((subset, DCTERMS.license, LICENCE))
    for lang, text in info.labels.items():
        g.add((subset, DCTERMS.title, Literal(text, lang=lang)))
    g.add((subset, SD.name, URIRef(info.iri)))
    g.add((subset, VOID.triples, Literal(info.triples)))
    if info.kind == "bron":
        g.add((subset, DCTERMS.source, URIRef(info.iri)))
        if info.publisher:
            g.add((subset, DCTERMS.publisher, URIRef(info.publisher)))
        if info.url:
            g.add((URIRef(info.iri), FOAF.page, URIRef(info.url)))
    _distributions(g, subset, site, info.path, sizes, info.label("en"), None)
    return subset


def _distributions(
    g: Graph, ds: URIRef, site: str, path: str, sizes: Mapping[str, int], name: str, endpoint: URIRef | None
) -> None:
    for suffix, fmt in DUMP_FORMATS.items():
        media, format_iri = fmt.media_type, URIRef(str(fmt.iri))
        url = f"{path}.{suffix}"
        dist = URIRef(site + url)
        g.add((ds, VOID.dataDump, dist))
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, dist))
        g.add((dist, DCAT.accessURL, URIRef(site + "/data/")))
        g.add((dist, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/" + media)))
        g.add((dist, DCTERMS["format"], format_iri))
        g.add((dist, DCTERMS.license, LICENCE))
        g.add((dist, DCTERMS.title, Literal(f"{name or TITLE['en']} ({suffix})", lang="en")))
        if url in sizes:
            g.add((dist, DCAT.byteSize, Literal(sizes[url], datatype=XSD.nonNegativeInteger)))
    if endpoint is not None:
        access = URIRef(site + "/sparql#distribution")
        g.add((ds, DCAT.distribution, access))
        g.add((access, RDF.type, DCAT.Distribution))
        g.add((access, DCAT.accessURL, endpoint))
        g.add((access, DCAT.accessService, endpoint))
        g.add((access, DCTERMS.license, LICENCE))
        g.add((access, DCTERMS.title, Literal("SPARQL endpoint", lang="en")))


def service_description(site: str, graph_list: Iterable[GraphInfo], dataset_counts: DatasetCounts) -> Graph:
    """The SPARQL 1.1 Service Description of the endpoint (`GET /sparql` without a query)."""
    g = bind_prefixes(Graph())
    endpoint = URIRef(site + "/sparql")
    g.add((endpoint, RDF.type, SD.Service))
    g.add((endpoint, SD.endpoint, endpoint))
    g.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((endpoint, SD.feature, SD.UnionDefaultGraph))
    g.add((endpoint, SD.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
    for fmt in RESULT_FORMATS:
        g.add((endpoint, SD.resultFormat, fmt))
    g.add((endpoint, DCTERMS.title, Literal("SPARQL-endpoint van de " + TITLE["nl"], lang="nl")))
    g.add((endpoint, DCTERMS.title, Literal("SPARQL endpoint of the " + TITLE["en"], lang="en")))
    g.add((endpoint, RDFS.seeAlso, URIRef(site + "/data/void.ttl")))
    g.add((endpoint, RDFS.comment, Literal(
        "Read-only. Updates, SERVICE and FROM with other than this dataset's graphs are refused. "
        "The default graph is the union of all named graphs.", lang="en")))
    dataset = BNode()
    g.add((endpoint, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, DCTERMS.source, DATASET))
    default = BNode()
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.triples, Literal(dataset_counts.triples)))
    for info in graph_list:
        named, graph = BNode(), BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(info.iri)))
        g.add((named, SD.graph, graph))
        g.add((graph, RDF.type, SD.Graph))
        g.add((graph, VOID.triples, Literal(info.triples)))
    return g


class DumpCache:
    """Serialized dumps of one store by (version, path); least recently used out beyond the byte budget.

    A dump larger than a quarter of the budget is made but not kept."""

    def __init__(self, budget: int = DUMP_CACHE_BUDGET) -> None:
        self.budget = budget
        self._items: SharedLRU[tuple[int, str], bytes] = SharedLRU(budget, getsizeof=len)
        self._making = threading.Lock()
        self._background: int | None = None

    def get(self, store: GraphStore, path: str, fmt: str, graph: Any) -> bytes:
        version = store.version
        key = (version, path)
        self._items.discard(lambda k: k[0] == version)  # dumps of an older version are never asked again
        body = self._items.get(key)
        if body is not None:
            return body
        with self._making:  # one dump at a time: they are memory-hungry
            body = self._items.get(key)
            if body is not None:
                return body
            body = store.serialize(fmt, graph)
        if len(body) <= self.budget // 4:
            self._items.put(key, body)
        return body

    def make_in_background(self, store: GraphStore, jobs: list[tuple[str, str, Any]]) -> None:
        """Make the dumps `jobs` ((path, format, graph) each) on a thread, once per store version."""
        with self._items.lock:
            if self._background == store.version:
                return
            self._background = store.version

        def run() -> None:
            for path, fmt, graph in jobs:
                if store.version != self._background:
                    return
                self.get(store, path, fmt, graph)

        threading.Thread(target=run, name="dumps", daemon=True).start()

    def size(self, store: GraphStore, path: str) -> int | None:
        body = self._items.get((store.version, path))
        return len(body) if body is not None else None
