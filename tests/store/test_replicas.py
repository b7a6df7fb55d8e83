"""Read scaling: one Oxigraph server takes the writes, read-only servers serve snapshots of it. An
approval on the writer reaches every reader once a new snapshot is taken and the readers restart on
it; until then they answer from the old one, and they refuse writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from graph.errors import StoreError
from graph.store.remote import RemoteSparqlStore
from graph.store.replicas import current, take_snapshot
from tests.conftest import make_settings
from tests.servers import OxigraphServer, start_oxigraph
from tests.submissions.test_submit_support import EDITOR, PASSWORD, decide, login, receipt_id, submit

pytestmark = pytest.mark.slow

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def reader_store(server: OxigraphServer) -> RemoteSparqlStore:
    return RemoteSparqlStore(f"{server.base}/query", poll_seconds=-1)


def test_snapshots_serve_readers_and_follow_approvals(tmp_path: Path) -> None:
    from graph.submissions.store import SubmissionStore, graph_iri
    from webapp import create_app
    from webapp.state import get_store

    writer = start_oxigraph(tmp_path / "writer")
    readers: list[OxigraphServer] = []
    try:
        application = create_app(make_settings(tmp_path / "data", **writer.settings(), STORE_POLL_SECONDS=0.0))
        application.testing = True
        SubmissionStore.in_data_dir(tmp_path / "data").add_editor(EDITOR, PASSWORD, replace=True)
        with application.app_context():
            store = get_store()
        snapshots = tmp_path / "snapshots"
        first = take_snapshot(f"{writer.base}/store", snapshots)
        assert current(snapshots) == first.path and first.quads > 0
        readers = [start_oxigraph(tmp_path / f"reader{i}", read_only=True, location=current(snapshots)) for i in range(2)]
        for reader in readers:
            assert reader_store(reader).triple_count() == store.triple_count()
            assert sorted(reader_store(reader).graph_names()) == sorted(store.graph_names())

        # an approval goes to the writer only
        visitor = application.test_client()
        sid = receipt_id(visitor, submit(visitor))
        editor = application.test_client()
        login(editor)
        assert decide(editor, sid, "approve").status_code == 303
        assert graph_iri(sid) in store.graph_names()
        assert all(graph_iri(sid) not in reader_store(r).graph_names() for r in readers)

        # a new snapshot, and the readers restarted on it, one after the other
        second = take_snapshot(f"{writer.base}/store", snapshots)
        assert second.path != first.path and current(snapshots) == second.path and second.quads > first.quads
        for i, reader in enumerate(readers):
            reader.stop()
            readers[i] = start_oxigraph(tmp_path / f"reader{i}-b", read_only=True, location=current(snapshots))
        for reader in readers:
            assert graph_iri(sid) in reader_store(reader).graph_names()
            assert reader_store(reader).triple_count() == store.triple_count()

        # readers take no writes
        with pytest.raises(StoreError, match="refused"):
            RemoteSparqlStore(f"{readers[0].base}/query", f"{readers[0].base}/update").replace_graph(
                URIRef("urn:g:x"), [(URIRef("urn:s"), URIRef("urn:p"), Literal("x"))])
        with application.app_context():
            get_store().close()
    finally:
        for reader in readers:
            reader.stop()
        writer.stop()


def test_a_snapshot_of_an_unreachable_writer_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot read the dataset"):
        take_snapshot("http://127.0.0.1:9/store", tmp_path / "snapshots")
    assert not list((tmp_path / "snapshots").glob("snapshot-*"))
