"""The one registry of formats: media type, URL suffix, rdflib and pyoxigraph names, kind of result.

Every place that writes or negotiates a format (the store's dumps, the SPARQL endpoint, resource
pages, downloads, VoID, the CLI) reads the facts here, as datasette's renderer registry does; each
surface only says which formats it offers, and in which order. Kinds:

- ``graph``: triples (Turtle, N-Triples, JSON-LD, RDF/XML);
- ``dataset``: quads that keep the named graphs (TriG, N-Quads, JSON-LD);
- ``solutions`` / ``boolean``: SPARQL SELECT / ASK results;
- ``page``, ``table``, ``feed``, ``network``: the web app's own answers (HTML, JSON, CSV, Atom, GraphML).

`aliases` are other media types clients use for the same format (`text/xml` for SPARQL XML results,
`text/plain` for N-Triples, `text/n3` for Turtle, which N3 contains); negotiation accepts them and
answers with the canonical `media_type`. Only the formats a surface offers are matched, so
`application/xml` is SPARQL XML for a SELECT and RDF/XML for a CONSTRUCT.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Union

import pyoxigraph as ox

FORMATS_NS = "http://www.w3.org/ns/formats/"

OxFormat = Union[ox.RdfFormat, ox.QueryResultsFormat]


@dataclass(frozen=True)
class Format:
    """One format: how it is named in URLs, in HTTP, in rdflib and in pyoxigraph."""

    name: str  # our key, also the `format=` word of the CLI and the store
    media_type: str
    suffix: str  # URL suffix, without the dot
    label: str
    kinds: frozenset[str]
    rdflib: str | None = None  # rdflib's serializer/parser name
    oxigraph: OxFormat | None = None
    iri: str | None = None  # the W3C format IRI (http://www.w3.org/ns/formats/), for VoID and SD
    prefixes: bool = False  # the syntax can abbreviate IRIs with the project's prefixes
    aliases: tuple[str, ...] = field(default=())

    @property
    def content_type(self) -> str:
        """The media type for a Content-Type header: text types say they are UTF-8 (HTTP's default
        for text is not)."""
        return self.media_type + ("; charset=utf-8" if self.media_type.startswith("text/") else "")

    @property
    def rdflib_name(self) -> str:
        """rdflib's plugin name for this format; ValueError for a format rdflib is not asked to write."""
        if self.rdflib is None:
            raise ValueError(f"{self.name} has no rdflib name")
        return self.rdflib

    @property
    def rdf_format(self) -> ox.RdfFormat:
        """The pyoxigraph RDF format; ValueError for a format that is not RDF."""
        if not isinstance(self.oxigraph, ox.RdfFormat):
            raise ValueError(f"{self.name} is not an RDF format")
        return self.oxigraph

    @property
    def results_format(self) -> ox.QueryResultsFormat:
        """The pyoxigraph query results format; ValueError for a format that is not one."""
        if not isinstance(self.oxigraph, ox.QueryResultsFormat):
            raise ValueError(f"{self.name} is not a SPARQL results format")
        return self.oxigraph


def _kinds(*names: str) -> frozenset[str]:
    return frozenset(names)


REGISTRY: tuple[Format, ...] = (
    Format("html", "text/html", "html", "HTML", _kinds("page"), aliases=("application/xhtml+xml",)),
    Format("json", "application/json", "json", "JSON", _kinds("page")),
    Format("turtle", "text/turtle", "ttl", "Turtle", _kinds("graph"), "turtle", ox.RdfFormat.TURTLE,
           FORMATS_NS + "Turtle", prefixes=True, aliases=("application/x-turtle", "text/n3", "text/rdf+n3")),
    Format("jsonld", "application/ld+json", "jsonld", "JSON-LD", _kinds("graph", "dataset"), "json-ld",
           ox.RdfFormat.JSON_LD, FORMATS_NS + "JSON-LD"),
    Format("ntriples", "application/n-triples", "nt", "N-Triples", _kinds("graph"), "nt", ox.RdfFormat.N_TRIPLES,
           FORMATS_NS + "N-Triples", aliases=("text/plain",)),
    Format("rdfxml", "application/rdf+xml", "rdf", "RDF/XML", _kinds("graph"), "xml", ox.RdfFormat.RDF_XML,
           FORMATS_NS + "RDF_XML", prefixes=True, aliases=("application/xml", "text/xml")),
    Format("trig", "application/trig", "trig", "TriG", _kinds("dataset"), "trig", ox.RdfFormat.TRIG,
           FORMATS_NS + "TriG", prefixes=True, aliases=("application/x-trig",)),
    Format("nquads", "application/n-quads", "nq", "N-Quads", _kinds("dataset"), "nquads", ox.RdfFormat.N_QUADS,
           FORMATS_NS + "N-Quads", aliases=("text/x-nquads",)),
    Format("csv", "text/csv", "csv", "CSV", _kinds("solutions", "table"), None, ox.QueryResultsFormat.CSV,
           FORMATS_NS + "SPARQL_Results_CSV"),
    Format("tsv", "text/tab-separated-values", "tsv", "TSV", _kinds("solutions"), None, ox.QueryResultsFormat.TSV,
           FORMATS_NS + "SPARQL_Results_TSV"),
    Format("atom", "application/atom+xml", "atom", "Atom", _kinds("feed")),
    Format("graphml", "application/graphml+xml", "graphml", "GraphML", _kinds("network")),
    Format("sparql-json", "application/sparql-results+json", "srj", "SPARQL Results JSON",
           _kinds("solutions", "boolean"), "json", ox.QueryResultsFormat.JSON, FORMATS_NS + "SPARQL_Results_JSON"),
    Format("sparql-xml", "application/sparql-results+xml", "srx", "SPARQL Results XML",
           _kinds("solutions", "boolean"), "xml", ox.QueryResultsFormat.XML, FORMATS_NS + "SPARQL_Results_XML",
           aliases=("application/xml", "text/xml")),
)

FORMATS: dict[str, Format] = {f.name: f for f in REGISTRY}
_BY_SUFFIX: dict[str, Format] = {f.suffix: f for f in REGISTRY}
_BY_MEDIA_TYPE: dict[str, Format] = {
    **{alias: f for f in REGISTRY for alias in f.aliases},
    **{f.media_type: f for f in REGISTRY},
}

# What each surface offers, in its order (the first is the default where one is needed).
DUMP_FORMATS = ("trig", "nquads", "turtle", "jsonld")  # downloads under /data/, VoID, `sociale-basis export`
STORE_FORMATS = ("trig", "nquads", "turtle", "ntriples", "jsonld", "rdfxml")  # GraphStore.serialize
RESOURCE_FORMATS = ("turtle", "jsonld", "ntriples", "trig", "nquads", "rdfxml")  # a resource page's RDF twins
DESCRIPTION_FORMATS = ("turtle", "jsonld", "ntriples", "rdfxml")  # VoID and the service description
SOLUTION_FORMATS = ("sparql-json", "sparql-xml", "csv", "tsv")  # SELECT results
BOOLEAN_FORMATS = ("sparql-json", "sparql-xml")  # ASK results
GRAPH_RESULT_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")  # CONSTRUCT and DESCRIBE results


def get(name: str) -> Format:
    """The format called `name`; KeyError for an unknown name."""
    return FORMATS[name]


def by_suffix(suffix: str) -> Format | None:
    """The format of a URL suffix ('ttl', without the dot), or None."""
    return _BY_SUFFIX.get(suffix)


def by_media_type(media_type: str) -> Format | None:
    """The format of a media type (its canonical type or an alias; parameters ignored), or None."""
    return _BY_MEDIA_TYPE.get(media_type.split(";", 1)[0].strip().lower())


def by_kind(kind: str) -> tuple[Format, ...]:
    """Every format of `kind` ('graph', 'dataset', 'solutions', ...), in registry order."""
    return tuple(f for f in REGISTRY if kind in f.kinds)


def keeps_graphs(name: str) -> bool:
    """True when the store writes `name` as quads, keeping the named graphs (TriG, N-Quads, JSON-LD)."""
    return "dataset" in FORMATS[name].kinds


def quads_only(name: str) -> bool:
    """True for a format that cannot write plain triples (TriG, N-Quads): a resource's twin in it keeps
    the source graphs; in the other RDF formats each triple is written once."""
    kinds = FORMATS[name].kinds
    return "dataset" in kinds and "graph" not in kinds


def suffixes(names: Iterable[str]) -> dict[str, Format]:
    """URL suffix -> format for the formats a surface offers, in its order."""
    return {FORMATS[n].suffix: FORMATS[n] for n in names}


def media_types(names: Iterable[str]) -> list[str]:
    """The canonical media types of `names`, in order."""
    return [FORMATS[n].media_type for n in names]
