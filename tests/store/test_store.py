"""The store interface on a real on-disk Oxigraph store."""

from __future__ import annotations

import pytest
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


def test_one_engine_answers_every_query_form_as_rdflib(tmp_path):
    from rdflib import Graph
    from rdflib.query import Result

    store = OxigraphStore(tmp_path / "s")
    store.replace_graph(G, [(S, RDFS.label, Literal("x", lang="nl"))])
    select = store.query("SELECT ?s ?l ?none WHERE { ?s rdfs:label ?l OPTIONAL { ?s rdfs:comment ?none } }")
    assert isinstance(select, Result) and select.type == "SELECT"
    assert [str(v) for v in select.vars or []] == ["s", "l", "none"]
    assert [(row.s, row.l, row.none) for row in select] == [(S, Literal("x", lang="nl"), None)]
    assert store.query("ASK { ?s rdfs:label ?l }", {"s": S}).askAnswer is True
    assert store.ask("ASK { ?s rdfs:label ?l }", {"s": G}) is False
    constructed = store.construct("CONSTRUCT { ?s rdfs:comment ?l } WHERE { ?s rdfs:label ?l }")
    assert isinstance(constructed, Graph) and set(constructed) == {(S, RDFS.comment, Literal("x", lang="nl"))}
    assert store.select("SELECT ?s WHERE { ?s void:inDataset ?d }") == []  # rdflib's usual prefixes still known
    store.close()


def test_errors_of_every_query_form_are_domain_errors(tmp_path):
    from graph.errors import ParseError, StoreError

    store = OxigraphStore(tmp_path / "s")
    for run in (store.query, store.select, store.ask, store.construct):
        try:
            run("ASK {")
        except ParseError as exc:
            assert status_of(exc) == 400
            assert "syntax" in exc.message.lower()
        else:
            raise AssertionError(f"no error from {run.__name__}")
    store.close()
    try:
        store.select("SELECT * WHERE { ?s ?p ?o }")
    except StoreError as exc:
        assert "closed" in exc.message
    else:
        raise AssertionError("a closed store answered")


def test_close_releases_the_store_for_the_next_writer(tmp_path):
    store = OxigraphStore(tmp_path / "s")
    store.replace_graph(G, [(S, RDFS.label, Literal("x"))])
    store.close()
    store.close()  # closing twice is harmless
    again = OxigraphStore(tmp_path / "s")
    assert again.triple_count(G) == 1
    again.close()


BAD_GRAPH_IRIS = [
    "https://w3id.org/sociale-basis/id/bron/x> } ; DROP ALL ; INSERT DATA { GRAPH <urn:y",
    "https://w3id.org/sociale-basis/id/bron/met spatie",
    "https://w3id.org/sociale-basis/id/bron/x}",
    "geen-iri",
]


@pytest.mark.parametrize("bad", BAD_GRAPH_IRIS)
def test_a_graph_iri_that_is_not_plain_never_reaches_the_store(tmp_path, bad):
    store = OxigraphStore(tmp_path / "s")
    store.replace_graph(G, [(S, RDFS.label, Literal("x"))])
    seen = []
    store.add_listener(lambda st, graphs: seen.append(graphs))
    version = store.version
    with pytest.raises(ValueError):
        store.replace_graph(URIRef(bad), [(S, RDFS.label, Literal("y"))])
    with pytest.raises(ValueError):
        store.drop_graph(URIRef(bad))
    with pytest.raises(ValueError):
        store.triple_count(URIRef(bad))
    assert store.version == version and seen == []
    assert store.graph_names() == [G] and store.triple_count() == 1
    store.close()


@pytest.mark.parametrize("bad", BAD_GRAPH_IRIS)
def test_the_remote_store_refuses_the_same_graph_iris(bad, monkeypatch):
    import graph.store.remote as remote_module
    from graph.store.graphstore import replace_update
    from graph.store.remote import RemoteSparqlStore

    remote = RemoteSparqlStore("http://127.0.0.1:9/sparql", "http://127.0.0.1:9/update", poll_seconds=-1)
    sent: list[str] = []
    monkeypatch.setattr(remote_module, "http_post", lambda url, body, *a, **k: sent.append(body.decode()) or b"")
    with pytest.raises(ValueError):
        remote.replace_graph(URIRef(bad), [(S, RDFS.label, Literal("y"))])
    with pytest.raises(ValueError):
        remote.drop_graph(URIRef(bad))
    assert sent == []
    remote.drop_graph(G)
    assert sent == [replace_update(G, "")]
    remote.replace_graph(G, [(S, RDFS.label, Literal('y" } ; DROP ALL ; #'))])
    assert sent[1] == replace_update(G, f'<{S}> <{RDFS.label}> "y\\" }} ; DROP ALL ; #" .\n')
    assert 'INSERT DATA { GRAPH <' in sent[1] and '"y\\" } ; DROP ALL ; #"' in sent[1]
