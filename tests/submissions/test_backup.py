"""`sociale-basis backup DIR` / `restore DIR`: a backup taken after an approval, restored over a
changed or destroyed data directory, gives the next start the same triples, graphs and submissions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from graph.settings import load_settings
from graph.store.build import BUILD_FILE, RUNTIME_GRAPHS_DIR, read_build_info
from graph.submissions.store import SubmissionStore
from tests.conftest import FIXTURE_DATA, ONTOLOGY
from tests.submissions.test_submit_support import close_app, decide, login, make_app, receipt_id, submit, subs_at
from webapp.cli import main

# The backup saves and restores the SQLite submissions file; a PostgreSQL database is saved with
# pg_dump (docs/deploy.md), and test_backup_leaves_postgresql_alone checks that backup keeps out of it.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI's settings point at the fixture data and a data directory of the test's own."""
    monkeypatch.setenv("SOCIALE_BASIS_ONTOLOGY_PATH", str(ONTOLOGY))
    monkeypatch.setenv("SOCIALE_BASIS_SOURCE_DATA_PATH", str(FIXTURE_DATA))
    monkeypatch.setenv("SOCIALE_BASIS_SECRET_KEY", "test-secret")
    data = tmp_path / "data"
    monkeypatch.setenv("SOCIALE_BASIS_DATA_DIR", str(data))
    return data


def snapshot(data_dir: Path) -> dict[str, Any]:
    """What a start on `data_dir` serves: triples, graph names, submissions, run-time graph files, a page."""
    from webapp.state import get_store

    application = make_app(data_dir)
    try:
        with application.app_context():
            store = get_store()
            triples = store.triple_count()
            graphs = sorted(str(g) for g in store.graph_names())
        subs = [(s.id, s.receipt, s.status, s.publication_iri, s.graph_trig) for s in subs_at(data_dir).all()]
        pages = {}
        for _id, _receipt, status, iri, _trig in subs:
            if status == "approved" and iri:
                path = iri.replace("https://w3id.org/sociale-basis", "")
                pages[path] = application.test_client().get(path).status_code
    finally:
        close_app(application)
    files = sorted(p.name for p in (data_dir / RUNTIME_GRAPHS_DIR).glob("*.trig"))
    return {"triples": triples, "graphs": graphs, "submissions": subs, "files": files, "pages": pages}


def approve_one(application: Any, title: str) -> int:
    visitor, editor = application.test_client(), application.test_client()
    assert login(editor).status_code == 303
    sid = receipt_id(visitor, submit(visitor, title=title))
    assert decide(editor, sid, "approve").status_code == 303
    return sid


def test_backup_then_restore_over_changes_and_over_nothing(env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    application = make_app(env)
    try:
        first = approve_one(application, "Buurthuizen bewaard in een backup")
        visitor = application.test_client()
        pending = receipt_id(visitor, submit(visitor, title="Nog niet beoordeeld"))
    finally:
        close_app(application)
    saved = snapshot(env)
    assert saved["submissions"][0][2] == "approved" and saved["submissions"][1][2] == "pending"
    assert any(g.endswith(f"inzending-{first}") for g in saved["graphs"])
    assert saved["files"] and list(saved["pages"].values()) == [200]

    target = tmp_path / "backups" / "b1"
    assert main(["backup", str(target)]) == 0
    assert "backup in" in capsys.readouterr().out
    manifest = json.loads((target / "backup.json").read_text(encoding="utf-8"))
    assert manifest["triples"] == saved["triples"] and manifest["graphs"] == saved["graphs"]
    assert manifest["submissions"] == {"pending": 1, "approved": 1, "rejected": 0}
    assert not list(target.glob("*-wal")), "the saved database is one file"
    assert not list(target.parent.glob(".b1.partial-*"))

    # change everything: the approved one withdrawn, the pending one approved, a third one submitted
    application = make_app(env)
    try:
        editor = application.test_client()
        assert login(editor).status_code == 303
        assert decide(editor, first, "reject", note="Toch niet.").status_code == 303
        assert decide(editor, pending, "approve").status_code == 303
        approve_one(application, "Een derde, na de backup")
    finally:
        close_app(application)
    changed = snapshot(env)
    assert changed["graphs"] != saved["graphs"] and changed["submissions"] != saved["submissions"]
    old_store = read_build_info(env).store_dir  # type: ignore[union-attr]

    assert main(["restore", str(target)]) == 0
    info = read_build_info(env)
    assert info is not None and info.store_dir != old_store and not (env / old_store).exists()
    assert snapshot(env) == saved

    # over nothing: the data directory is gone altogether
    shutil.rmtree(env)
    assert main(["restore", str(target)]) == 0
    assert snapshot(env) == saved
    # the backup is untouched by restoring from it, and can be restored again
    assert json.loads((target / "backup.json").read_text(encoding="utf-8")) == manifest


def test_backup_while_serving_and_restore_refused_while_serving(env: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    application = make_app(env)  # holds the store open, as a running server does
    try:
        approve_one(application, "Terwijl de site draait")
        assert main(["backup", str(tmp_path / "live")]) == 0
        manifest = json.loads((tmp_path / "live" / "backup.json").read_text(encoding="utf-8"))
        assert manifest["submissions"]["approved"] == 1
        assert main(["restore", str(tmp_path / "live")]) == 1
        assert "stop it before restoring" in capsys.readouterr().err
    finally:
        close_app(application)
    assert main(["restore", str(tmp_path / "live")]) == 0


def test_bad_targets_and_sources(env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backup", str(tmp_path / "b")]) == 1  # nothing built yet
    assert "no store" in capsys.readouterr().err
    close_app(make_app(env))
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "something").write_text("x", encoding="utf-8")
    assert main(["backup", str(taken)]) == 1
    assert "not an empty folder" in capsys.readouterr().err
    assert main(["restore", str(taken)]) == 1
    assert "not a backup" in capsys.readouterr().err
    # a backup whose store does not match its manifest is refused, and the data directory is left alone
    assert main(["backup", str(tmp_path / "ok")]) == 0
    manifest = tmp_path / "ok" / "backup.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"triples": ', '"triples": 1'), encoding="utf-8")
    before = (env / BUILD_FILE).read_text(encoding="utf-8")
    assert main(["restore", str(tmp_path / "ok")]) == 1
    assert "does not match" in capsys.readouterr().err
    assert (env / BUILD_FILE).read_text(encoding="utf-8") == before


def test_backup_leaves_postgresql_alone(env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, postgres_server: Any) -> None:
    """With SUBMISSIONS_DB on PostgreSQL, backup counts the submissions but copies no database (pg_dump
    does), and restore does not touch it: a submission made after the backup is still there."""
    monkeypatch.setenv("SOCIALE_BASIS_SUBMISSIONS_DB", postgres_server.new_schema())
    application = make_app(env)
    try:
        approve_one(application, "Buurthuizen in PostgreSQL")
    finally:
        close_app(application)
    target = tmp_path / "backups" / "pg"
    assert main(["backup", str(target)]) == 0
    manifest = json.loads((target / "backup.json").read_text(encoding="utf-8"))
    assert manifest["submissions"] == {"pending": 0, "approved": 1, "rejected": 0}
    assert not (target / "submissions.sqlite").exists()
    subs = SubmissionStore.from_settings(load_settings())  # the environment's settings, as the CLI reads them
    later = subs.add({"title": "Na de backup"}, {}, "", "")
    assert main(["restore", str(target)]) == 0
    assert subs.require(later.id).title == "Na de backup"
