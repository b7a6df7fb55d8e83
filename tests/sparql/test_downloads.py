"""Downloads under /data/: the whole dataset and every graph in TriG, N-Quads, Turtle and JSON-LD
(parsed and compared with the store), the VoID/DCAT description, the overview page with sizes."""

from __future__ import annotations

import html

import pytest
import rdflib.namespace as ns
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, VOID

from graph.namespaces import GRAPH_ONTOLOGY, GRAPH_SOURCES

SRC = "https://w3id.org/sociale-basis/id/bron/"
DATASET = URIRef("https://w3id.org/sociale-basis/dataset")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
QUAD_FORMATS = {
    "trig": ("trig", "application/trig"), "nq": ("nquads", "application/n-quads"), "jsonld": ("json-ld", "application/ld+json"),
}


def store_quads(store, graph: URIRef | None = None) -> set[tuple[str, str, str, str]]:
    return {(s.n3(), p.n3(), o.n3(), str(g)) for s, p, o, g in store.quads(graph) if not _blank(s, o)}


def _blank(*terms) -> bool:
    return any(t.n3().startswith("_:") for t in terms)


def dataset_quads(ds: Dataset) -> set[tuple[str, str, str, str]]:
    return {(s.n3(), p.n3(), o.n3(), str(g)) for s, p, o, g in ds.quads((None, None, None, None)) if not _blank(s, o)}


@pytest.mark.parametrize("suffix", ["trig", "nq", "jsonld"])
def test_whole_dataset_with_its_graphs(client, store, suffix: str) -> None:
    fmt, media = QUAD_FORMATS[suffix]
    response = client.get(f"/data/sociale-basis.{suffix}")
    assert response.status_code == 200
    assert response.mimetype == media
    ds = Dataset()
    ds.parse(data=response.data, format=fmt)
    assert dataset_quads(ds) == store_quads(store)
    assert len(list(ds.quads((None, None, None, None)))) == sum(1 for _ in store.quads())
    assert {str(g.identifier) for g in ds.graphs() if len(g)} == {str(g) for g in store.graph_names()}


def test_whole_dataset_as_turtle_is_the_union(client, store) -> None:
    response = client.get("/data/sociale-basis.ttl")
    assert response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.data, format="turtle")
    assert len(graph) == store.triple_count()
    union = {(s.n3(), p.n3(), o.n3()) for s, p, o, _g in store.quads() if not _blank(s, o)}
    assert {(s.n3(), p.n3(), o.n3()) for s, p, o in graph if not _blank(s, o)} == union


@pytest.mark.parametrize("slug", ["toets-a", "toets-b"])
@pytest.mark.parametrize("suffix", ["trig", "nq", "ttl", "jsonld"])
def test_each_source_graph(client, store, slug: str, suffix: str) -> None:
    graph = URIRef(SRC + slug)
    response = client.get(f"/data/bron/{slug}.{suffix}")
    assert response.status_code == 200
    expected = {(s, p, o) for s, p, o, _g in store_quads(store, graph)}
    if suffix == "ttl":
        parsed = Graph().parse(data=response.data, format="turtle")
        assert {(s.n3(), p.n3(), o.n3()) for s, p, o in parsed if not _blank(s, o)} == expected
        assert len(parsed) == store.triple_count(graph)
    else:
        ds = Dataset()
        ds.parse(data=response.data, format=QUAD_FORMATS[suffix][0])
        assert {(s, p, o) for s, p, o, g in dataset_quads(ds)} == expected
        assert {g for *_t, g in dataset_quads(ds)} == {str(graph)}


def test_ontology_and_source_list(client, store) -> None:
    for section, iri in (("ontologie", GRAPH_ONTOLOGY), ("bronnen", GRAPH_SOURCES)):
        response = client.get(f"/data/graaf/{section}.ttl")
        assert response.status_code == 200
        assert len(Graph().parse(data=response.data, format="turtle")) == store.triple_count(iri)


def test_unknown_downloads_are_404(client) -> None:
    for path in ("/data/bron/bestaat-niet.ttl", "/data/bron/toets-a.pdf", "/data/bron/toets-a",
                 "/data/sociale-basis.zip", "/data/void.csv"):
        assert client.get(path).status_code == 404, path


def test_dumps_revalidate_with_an_etag(client) -> None:
    first = client.get("/data/sociale-basis.trig")
    etag = first.headers["ETag"]
    again = client.get("/data/sociale-basis.trig", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert first.headers["Access-Control-Allow-Origin"] == "*"


def test_void_and_dcat_description(client, store) -> None:
    client.get("/data/")  # makes every dump, so the description can give byte sizes
    response = client.get("/data/void.ttl")
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    g = Graph().parse(data=response.data, format="turtle")
    assert (DATASET, RDF.type, VOID.Dataset) in g and (DATASET, RDF.type, ns.DCAT.Dataset) in g
    titles = {(str(t), t.language) for t in g.objects(DATASET, DCTERMS.title)}
    assert ("Sociale Basis Kennisgraaf", "nl") in titles and ("Social Base Knowledge Graph", "en") in titles
    assert (DATASET, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in g
    endpoint = g.value(DATASET, VOID.sparqlEndpoint)
    assert str(endpoint).endswith("/sparql")
    assert (endpoint, RDF.type, ns.DCAT.DataService) in g
    assert int(g.value(DATASET, VOID.triples)) == store.triple_count()
    sources = {str(s) for s in g.objects(DATASET, DCTERMS.source)}
    assert {SRC + "toets-a", SRC + "toets-b"} <= sources
    dumps = {str(d) for d in g.objects(DATASET, VOID.dataDump)}
    names = {d.rsplit("/", 1)[1] for d in dumps}
    assert names == {"sociale-basis.trig", "sociale-basis.nq", "sociale-basis.ttl", "sociale-basis.jsonld"}
    trig = next(URIRef(d) for d in dumps if d.endswith(".trig"))
    size = g.value(trig, ns.DCAT.byteSize)
    assert isinstance(size, Literal) and size.datatype == ns.XSD.nonNegativeInteger
    assert int(size) == len(client.get("/data/sociale-basis.trig").data)
    # one subset per graph, with its triple count and its own dumps
    subsets = list(g.objects(DATASET, VOID.subset))
    assert len(subsets) == len(store.graph_names())
    toets_a = next(s for s in subsets if g.value(s, SD.name) == URIRef(SRC + "toets-a"))
    assert int(g.value(toets_a, VOID.triples)) == store.triple_count(URIRef(SRC + "toets-a"))
    assert any(str(d).endswith("/data/bron/toets-a.trig") for d in g.objects(toets_a, VOID.dataDump))
    # class and property partitions add up
    for part in g.objects(DATASET, VOID.classPartition):
        assert int(g.value(part, VOID.entities)) > 0
    assert sum(int(g.value(p, VOID.triples)) for p in g.objects(DATASET, VOID.propertyPartition)) == store.triple_count()


def test_void_in_other_formats_and_well_known(client) -> None:
    turtle = Graph().parse(data=client.get("/data/void.ttl").data, format="turtle")
    for suffix, fmt in (("jsonld", "json-ld"), ("nt", "nt"), ("rdf", "xml")):
        response = client.get(f"/data/void.{suffix}")
        assert response.status_code == 200
        other = Graph().parse(data=response.data, format=fmt)
        assert (DATASET, RDF.type, VOID.Dataset) in other
        assert len(other) == len(turtle)
    redirect = client.get("/.well-known/void")
    assert redirect.status_code == 303 and redirect.headers["Location"].endswith("/data/void.ttl")
    assert client.get("/dataset", headers={"Accept": "text/turtle"}).headers["Location"].endswith("/data/void.ttl")
    assert client.get("/dataset", headers={"Accept": "text/html"}).headers["Location"].endswith("/data/")


def test_every_page_links_the_description(client) -> None:
    for path in ("/", "/query", "/queries/", "/queries/tijdlijn", "/data/"):
        text = client.get(path).get_data(as_text=True)
        assert 'href="/data/void.ttl"' in text and 'href="/data/"' in text


def test_overview_page_lists_every_file_with_its_size(client, store) -> None:
    page = client.get("/data/")
    assert page.status_code == 200
    text = html.unescape(page.get_data(as_text=True))
    for suffix in ("trig", "nq", "ttl", "jsonld"):
        assert f'href="/data/sociale-basis.{suffix}"' in text
    for graph in store.graph_names():
        slug = str(graph).rsplit("/", 1)[1]
        assert f"/{slug}.trig" in text
    size = len(client.get("/data/bron/toets-a.ttl").data)
    assert 1000 <= size < 1_000_000  # shown in kB, with a decimal comma on the Dutch page
    assert f"{size / 1000:.1f}\u00a0kB".replace(".", ",") in text  # one unit with its number: no break between
    listing = client.get("/data/index.json").get_json()
    everything = listing["downloads"][0]
    assert everything["files"]["trig"]["bytes"] == len(client.get("/data/sociale-basis.trig").data)
    assert {d["graph"] for d in listing["downloads"][1:]} == {str(g) for g in store.graph_names()}
    assert client.get("/data").status_code == 308


def test_downloads_follow_changes_of_the_store(fresh_app) -> None:
    from rdflib.namespace import RDFS

    from webapp.state import get_store

    client = fresh_app.test_client()
    before = client.get("/data/sociale-basis.nq").data
    graph = URIRef(SRC + "nieuw")
    with fresh_app.app_context():
        new = URIRef("https://w3id.org/sociale-basis/id/initiatief/nieuw")
        get_store().replace_graph(graph, [(new, RDFS.label, Literal("Nieuw", lang="nl"))])
    after = client.get("/data/sociale-basis.nq").data
    assert after != before and b"initiatief/nieuw" in after
    assert client.get("/data/bron/nieuw.ttl").status_code == 200
    assert b"bron/nieuw" in client.get("/data/void.ttl").data


def test_a_very_large_dataset_gets_its_sizes_in_the_background(tmp_path, monkeypatch) -> None:
    import time

    from tests.sparql.test_sparql_support import own_app
    from webapp.sparql import common

    monkeypatch.setattr(common, "EAGER_DUMP_QUADS", 0)
    with own_app(tmp_path) as app:
        client = app.test_client()
        assert client.get("/data/").status_code == 200
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            files = client.get("/data/index.json").get_json()["downloads"][-1]["files"]
            if all(f["bytes"] for f in files.values()):
                break
            time.sleep(0.1)
        assert all(f["bytes"] for f in files.values())
