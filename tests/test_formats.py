"""The one format registry (graph.formats): every entry's names agree with each other and with
pyoxigraph and rdflib, and every RDF format the store writes parses back to the same data."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef, plugin
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS
from rdflib.query import ResultSerializer
from rdflib.serializer import Serializer

from graph import formats
from graph.formats import REGISTRY
from graph.store.graphstore import OxigraphStore

G1 = URIRef("https://w3id.org/sociale-basis/id/bron/een")
G2 = URIRef("https://w3id.org/sociale-basis/id/bron/twee")
S = URIRef("https://w3id.org/sociale-basis/id/publicatie/x")
T = URIRef("https://w3id.org/sociale-basis/id/organisatie/y")
SB = "https://w3id.org/sociale-basis/def/"
RDF_NAMES = [f.name for f in REGISTRY if isinstance(f.oxigraph, ox.RdfFormat)]


@pytest.mark.parametrize("fmt", REGISTRY, ids=lambda f: f.name)
def test_every_entry_round_trips_suffix_media_type_and_name(fmt):
    assert formats.get(fmt.name) is fmt
    assert formats.by_suffix(fmt.suffix) is fmt
    assert formats.by_media_type(fmt.media_type) is fmt
    assert formats.by_media_type(fmt.media_type.upper() + "; charset=utf-8") is fmt
    for alias in fmt.aliases:
        # an alias names one format per kind of result: application/xml is SPARQL XML or RDF/XML
        assert alias in formats.by_media_type(alias).aliases
        assert [f for f in REGISTRY if alias in f.aliases and f.kinds & fmt.kinds] == [fmt]
    assert fmt.kinds and fmt.label


@pytest.mark.parametrize("fmt", [f for f in REGISTRY if f.oxigraph is not None], ids=lambda f: f.name)
def test_pyoxigraph_agrees_on_media_type_and_suffix(fmt):
    assert fmt.oxigraph is not None
    assert fmt.oxigraph.media_type.split(";")[0] == fmt.media_type
    assert fmt.oxigraph.file_extension == fmt.suffix
    assert fmt.iri and fmt.iri.startswith(("http://www.w3.org/ns/formats/", "https://www.w3.org/ns/formats/"))
    if isinstance(fmt.oxigraph, ox.RdfFormat):
        assert fmt.kinds & {"graph", "dataset"}
        assert ("dataset" in fmt.kinds) == fmt.oxigraph.supports_datasets
        assert fmt.rdf_format is fmt.oxigraph
        with pytest.raises(ValueError):
            fmt.results_format  # noqa: B018 - the property is what is tested
    else:
        assert fmt.kinds & {"solutions", "boolean"}
        assert fmt.results_format is fmt.oxigraph
        with pytest.raises(ValueError):
            fmt.rdf_format  # noqa: B018


@pytest.mark.parametrize("fmt", [f for f in REGISTRY if f.rdflib], ids=lambda f: f.name)
def test_rdflib_knows_every_rdflib_name(fmt):
    kind = Serializer if isinstance(fmt.oxigraph, ox.RdfFormat) else ResultSerializer
    assert fmt.rdflib_name == fmt.rdflib
    assert plugin.get(fmt.rdflib_name, kind) is not None


def test_a_format_without_an_rdflib_name_says_so():
    with pytest.raises(ValueError):
        formats.get("html").rdflib_name  # noqa: B018 - the property is what is tested


def test_names_suffixes_and_media_types_are_unique():
    for attribute in ("name", "suffix", "media_type"):
        values = [getattr(f, attribute) for f in REGISTRY]
        assert len(values) == len(set(values)), attribute
    aliases = [a for f in REGISTRY for a in f.aliases]
    assert not set(aliases) & {f.media_type for f in REGISTRY}  # an alias never shadows a canonical type
    for alias in set(aliases):  # shared aliases only between kinds that are never offered together
        sharing = [f for f in REGISTRY if alias in f.aliases]
        assert len(sharing) == 1 or not any(a.kinds & b.kinds for a in sharing for b in sharing if a is not b), alias


def test_surfaces_offer_registered_formats_of_the_right_kind():
    def kinds(names):
        return [formats.get(n).kinds for n in names]

    assert all(k & {"graph", "dataset"} for k in kinds(formats.DUMP_FORMATS + formats.STORE_FORMATS))
    assert all(k & {"graph", "dataset"} for k in kinds(formats.RESOURCE_FORMATS))
    assert all("graph" in k for k in kinds(formats.DESCRIPTION_FORMATS + formats.GRAPH_RESULT_FORMATS))
    assert all("solutions" in k for k in kinds(formats.SOLUTION_FORMATS))
    assert all("boolean" in k for k in kinds(formats.BOOLEAN_FORMATS))
    assert set(formats.STORE_FORMATS) == set(RDF_NAMES)
    assert {f.name for f in formats.by_kind("dataset")} == {"trig", "nquads", "jsonld"}
    assert [f.name for f in formats.by_kind("boolean")] == ["sparql-json", "sparql-xml"]
    assert list(formats.suffixes(formats.DUMP_FORMATS)) == ["trig", "nq", "ttl", "jsonld"]
    assert formats.media_types(["turtle", "csv"]) == ["text/turtle", "text/csv"]


def test_content_type_names_utf8_for_text_only():
    assert formats.get("turtle").content_type == "text/turtle; charset=utf-8"
    assert formats.get("csv").content_type == "text/csv; charset=utf-8"
    assert formats.get("jsonld").content_type == "application/ld+json"
    assert formats.get("sparql-json").content_type == "application/sparql-results+json"


def test_unknown_names_suffixes_and_media_types():
    assert formats.by_suffix("exe") is None
    assert formats.by_media_type("application/x-unknown") is None
    with pytest.raises(KeyError):
        formats.get("n3")


@pytest.fixture(scope="module")
def small_store():
    store = OxigraphStore()
    one = [(S, RDF.type, URIRef(SB + "Publication")), (S, RDFS.label, Literal("Rapport", lang="nl")),
           (S, URIRef(SB + "pages"), Literal(12)), (S, URIRef(SB + "publisher"), T)]
    two = [(T, RDFS.label, Literal('Gemeente "Zeist"\nnoord')), (S, RDFS.label, Literal("Rapport", lang="nl"))]
    store.replace_graph(G1, one)
    store.replace_graph(G2, two)
    yield store, one, two
    store.close()


@pytest.mark.parametrize("name", RDF_NAMES)
def test_the_store_writes_every_rdf_format_so_that_it_parses_back(small_store, name):
    store, one, two = small_store
    fmt = formats.get(name)
    body = store.serialize(name)
    if formats.keeps_graphs(name):
        parsed = Dataset()
        parsed.parse(data=body, format=fmt.rdflib)
        assert isomorphic(parsed.graph(G1), Graph().__iadd__(one))
        assert isomorphic(parsed.graph(G2), Graph().__iadd__(two))
        assert len(list(ox.parse(body, format=fmt.rdf_format))) == len(one) + len(two)
    else:
        parsed_graph = Graph().parse(data=body, format=fmt.rdflib)
        union = Graph()
        for triple in one + two:
            union.add(triple)
        assert isomorphic(parsed_graph, union)  # the union, each triple once
        assert len(list(ox.parse(body, format=fmt.rdf_format))) == len(union)
        one_graph = Graph().parse(data=store.serialize(name, G1), format=fmt.rdflib)
        assert isomorphic(one_graph, Graph().__iadd__(one))


def test_quads_only_and_keeps_graphs():
    assert [n for n in RDF_NAMES if formats.quads_only(n)] == ["trig", "nquads"]
    assert [n for n in RDF_NAMES if formats.keeps_graphs(n)] == ["jsonld", "trig", "nquads"]
