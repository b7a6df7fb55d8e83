"""Provenance of the shipped data: every statement sits in the graph of a described source."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from graph.namespaces import GRAPH_SOURCES, ID, SB, split_entity_iri
from tests import shipped
from tests.conftest import ROOT

SHARED_SOURCES = ROOT.parent / "shared" / "sources"


def source_graphs():
    ds = shipped.data()
    meta = ds.graph(GRAPH_SOURCES)
    return ds, meta


def test_every_statement_about_an_entity_is_in_a_described_source_graph():
    """A source's graph, or an editorial graph (the editors' own words and judgements) attributed to
    the editors: both described in graph/bronnen."""
    ds, meta = source_graphs()
    editorial = {g for g in meta.subjects(RDF.type, SB.EditorialGraph) if meta.value(g, PROV.wasAttributedTo) is not None}
    assert len(editorial) == 3  # themes, assignments, own-words definitions
    described = set(meta.subjects(RDF.type, SB.Source)) | editorial
    offenders = set()
    for s, _p, _o, g in ds.quads((None, None, None, None)):
        gid = g.identifier if hasattr(g, "identifier") else g
        if gid == GRAPH_SOURCES:
            continue
        if str(s).startswith(ID) and URIRef(gid) not in described:
            offenders.add(str(gid))
    assert offenders == set()


def test_no_triple_outside_a_named_graph():
    ds = shipped.data()
    assert not any(True for _ in ds.quads((None, None, None, ds.default_graph.identifier)))


def test_every_source_has_title_label_and_file():
    _ds, meta = source_graphs()
    sources = list(meta.subjects(RDF.type, SB.Source))
    assert len(sources) >= 50
    for src in sources:
        assert meta.value(src, DCTERMS.title) is not None, src
        assert {o.language for o in meta.objects(src, RDFS.label) if isinstance(o, Literal)} >= {"nl", "en"}, src
        assert meta.value(src, SB.sourceFile) is not None, src


def test_source_files_named_exist_beside_the_project():
    _ds, meta = source_graphs()
    files = {str(o) for o in meta.objects(None, SB.sourceFile)}
    assert "programmafeiten.md" in files
    if SHARED_SOURCES.is_dir():
        assert {f for f in files if not (SHARED_SOURCES / f).is_file()} == set()


def test_every_entity_has_dutch_and_english_label_and_an_iri_in_the_pattern():
    ds = shipped.data()
    subjects = {s for s, _p, _o, _g in ds.quads((None, None, None, None)) if str(s).startswith(ID)}
    bad_iris = sorted(str(s) for s in subjects if split_entity_iri(str(s)) is None)
    assert bad_iris == []
    missing = []
    for s in subjects:
        labels = {o.language for o in ds.objects(s, RDFS.label) if isinstance(o, Literal)}
        if not {"nl", "en"} <= labels:
            missing.append(str(s))
    assert missing == []


def test_scale_of_the_curated_data():
    ds = shipped.data()
    entities = {s for s in ds.subjects(RDFS.label, None) if str(s).startswith(ID) and "/bron/" not in str(s)}
    assert len(entities) >= 150


def test_editorial_pillars_are_kept_apart_from_stated_ones():
    """Pillars marked (afgeleid) in the facts file are editorial (sb:editorialPillar, in the editorial
    graph); stated ones (sb:addressesPillar) stand in a source's graph."""
    ds = shipped.data()
    programmes_with_stated = {s for s in ds.subjects(SB.addressesPillar, None) if "/programma/" in str(s)}
    # the facts file states no pillar for any national programme: all programme pillars are editorial
    assert programmes_with_stated == set()
    editorial = {g for _s, _p, _o, g in ds.quads((None, SB.editorialPillar, None, None))}
    assert {str(getattr(g, "identifier", g)) for g in editorial} == {"https://w3id.org/sociale-basis/graph/redactie/toekenningen"}


def test_l_flat_figures_are_data():
    ds = shipped.data()
    values = {(p.split("/")[-1], int(o)) for s, p, o, _g in ds.quads((None, None, None, None))
              if "l-flat" in str(s) and isinstance(o, Literal) and o.datatype and o.datatype.endswith("integer")}
    for expected in [("floors", 13), ("dwellings", 728), ("residents", 2000), ("allocations", 35), ("responses", 125)]:
        assert expected in values, expected
