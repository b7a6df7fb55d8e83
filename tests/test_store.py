"""The store interface on a real on-disk Oxigraph store."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from graph.errors import BadRequest
from graph.store.graphstore import OxigraphStore
from webapp.errors import status_of

G = URIRef("https://w3id.org/sociale-basis/id/bron/test")
S = URIRef("https://w3id.org/sociale-basis/id/publicatie/x")


def test_replace_graph_is_visible_bumps_version_and_notifies(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    seen = []
    store.add_listener(lambda st, graphs: seen.append(graphs))
    before = store.version
    store.replace_graph(G, [(S, RDFS.label, Literal("Eerste", lang="nl"))])
    store.replace_graph(G, [(S, RDFS.label, Literal("Tweede", lang="nl"))])
    rows = store.select("SELECT ?g ?s ?l WHERE { GRAPH ?g { ?s rdfs:label ?l } }", {"g": G, "s": S})
    assert [str(r["l"]) for r in rows] == ["Tweede"]
    assert store.version == before + 2
    assert seen == [{G}, {G}]
    store.drop_graph(G)
    assert store.triple_count() == 0
    store.close()


def test_bindings_are_values_not_query_text(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    store.replace_graph(G, [(S, RDFS.label, Literal("a"))])
    hostile = Literal('a" } ; DROP ALL ; #')
    rows = store.select("SELECT ?s ?l WHERE { ?s rdfs:label ?l }", {"l": hostile})
    assert rows == []
    assert store.triple_count() == 1
    store.close()


def test_syntax_error_is_a_bad_request(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    try:
        store.select("SELEC * WHERE { ?s ?p ?o }")
    except BadRequest as exc:
        assert "syntax" in exc.message.lower()
        assert status_of(exc) == 400
    else:
        raise AssertionError("no error for a broken query")
    store.close()


def test_store_persists_on_disk_and_reopens(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    store.replace_graph(G, [(S, RDFS.label, Literal("blijft"))])
    store.close()
    again = OxigraphStore(tmp_path / "s", read_only=True)
    assert again.triple_count() == 1
    again.close()


def test_serialize_keeps_named_graphs_in_trig(tmp_path):
    from rdflib import Dataset

    store = OxigraphStore(tmp_path / "s")
    store.replace_graph(G, [(S, RDFS.label, Literal("x", lang="nl"))])
    ds = Dataset()
    ds.parse(data=store.serialize("trig"), format="trig")
    assert (S, RDFS.label, Literal("x", lang="nl"), G) in ds
    store.close()
