"""`sociale-basis submissions export|import` and `editor add`: moderated data as TriG, round trip,
idempotent, without private data."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import URIRef

from graph.submissions.export import GRAPH_MODERATION, export_trig, import_trig, read_export
from graph.submissions.store import SubmissionStore
from tests.conftest import FIXTURE_DATA, ONTOLOGY, ROOT
from tests.submissions import test_submit_support as support
from tests.submissions.test_submit_support import (
    PRIVATE_VALUES,
    close_app,
    decide,
    login,
    make_app,
    receipt_id,
    store_of,
    submit,
    subs_at,
)

PUB = URIRef("https://w3id.org/sociale-basis/id/publicatie/buurthuizen-als-hart-van-de-wijk")


def moderated_app(data_dir: Path):  # type: ignore[no-untyped-def]
    """An app with one approved, one rejected and one pending submission."""
    application = make_app(data_dir)
    client = application.test_client()
    approved = receipt_id(client, submit(client))
    rejected = receipt_id(client, submit(client, title="Een reclamefolder", summary="Koop nu onze producten met korting, alleen deze week."))
    pending = receipt_id(client, submit(client, title="Dorpshuizen in Drenthe", url="https://example.org/dorpshuizen"))
    login(client)
    assert decide(client, approved, "approve", note="Goed.").status_code == 303
    assert decide(client, rejected, "reject", note="Reclame, geen kennis.", title="Een reclamefolder",
                  summary="Koop nu onze producten met korting, alleen deze week.").status_code == 303
    return application, (approved, rejected, pending)


def snapshot(subs: SubmissionStore) -> list[tuple]:
    return [(s.id, s.status, s.submitted_at, s.updated_at, s.data, s.assessment, s.note, s.decided_by, s.decided_at,
             s.publication_iri, s.graph_trig, [tuple(e.values()) for e in s.events]) for s in subs.all()]


def test_export_import_round_trip(tmp_path: Path) -> None:
    source_dir = tmp_path / "source"
    application, (approved, rejected, pending) = moderated_app(source_dir)
    source_subs = subs_at(source_dir)
    exported = export_trig(source_subs)
    close_app(application)

    text = exported.decode("utf-8")
    assert text.startswith("# Sociale Basis Kennisgraaf: moderated submissions")
    for private in PRIVATE_VALUES:
        assert private not in text
    for sub in source_subs.all():
        assert sub.receipt not in text  # the private receipt link is not exported either
    assert "Reclame, geen kennis." in text and str(GRAPH_MODERATION) in text
    records = read_export(exported)
    assert [(r["id"], r["status"]) for r in records] == [(approved, "approved"), (rejected, "rejected"), (pending, "pending")]

    # restore into an empty data directory
    target_dir = tmp_path / "target"
    restored = make_app(target_dir)
    try:
        target_subs = subs_at(target_dir)
        store = store_of(restored)
        result = import_trig(exported, target_subs, target_dir, store)
        assert result["records"] == 3 and result["changed"] == 3 and result["graphs_loaded"] == 1
        strip = lambda rows: [r[:11] + (r[11],) for r in rows]  # noqa: E731
        assert strip(snapshot(target_subs)) == strip(snapshot(source_subs))
        assert all(s.name == "" and s.email == "" for s in target_subs.all())
        graph = source_subs.get(approved).graph_iri
        assert store.ask("ASK { GRAPH ?g { ?pub a sb:ResearchReport } }", {"g": graph, "pub": PUB})
        assert (target_dir / "graphs" / f"inzending-{approved}.trig").read_text(encoding="utf-8") == target_subs.get(approved).graph_trig
        assert not any("inzending-2" in str(g) or "inzending-3" in str(g) for g in store.graph_names())
        # the restored data export the same way, and importing again changes nothing
        assert export_trig(target_subs) == exported
        again = import_trig(exported, target_subs, target_dir, store)
        assert again == {"records": 3, "changed": 0, "files_written": 0, "files_removed": 0, "graphs_loaded": 0, "graphs_dropped": 0}
        # the restored pages work
        client = restored.test_client()
        login(client)
        page = client.get(f"/redactie/inzending/{rejected}")
        assert page.status_code == 200 and "Reclame, geen kennis." in page.get_data(as_text=True)
        # new submissions continue after the restored numbers
        assert receipt_id(client, submit(client, title="Nog een voorstel over wijken")) == pending + 1
    finally:
        close_app(restored)


def test_import_refuses_a_different_submission_with_the_same_number(tmp_path: Path) -> None:
    application, _ids = moderated_app(tmp_path / "a")
    exported = export_trig(subs_at(tmp_path / "a"))
    close_app(application)
    other = make_app(tmp_path / "b")
    try:
        client = other.test_client()
        # Submission times have second resolution and tell submissions apart: let the second pass.
        started = int(time.time())
        while int(time.time()) == started:
            time.sleep(0.05)
        receipt_id(client, submit(client, title="Een heel ander voorstel over buurten"))
        from graph.submissions.store import Conflict

        with pytest.raises(Conflict):
            import_trig(exported, subs_at(tmp_path / "b"), tmp_path / "b", store_of(other))
    finally:
        close_app(other)


def test_import_rejects_bad_files(tmp_path: Path) -> None:
    from graph.errors import ParseError

    subs = subs_at(tmp_path)
    with pytest.raises(ParseError):
        import_trig(b"this is { not trig", subs, tmp_path, None)
    with pytest.raises(ParseError):
        import_trig(b"<http://a> <http://b> <http://c> .", subs, tmp_path, None)
    assert subs.counts() == {"pending": 0, "approved": 0, "rejected": 0}


# -- the command line ----------------------------------------------------------------------------

def run_cli(args: list[str], data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = dict(os.environ, SOCIALE_BASIS_DATA_DIR=str(data_dir), SOCIALE_BASIS_SOURCE_DATA_PATH=str(FIXTURE_DATA),
               SOCIALE_BASIS_ONTOLOGY_PATH=str(ONTOLOGY), SOCIALE_BASIS_SECRET_KEY="test-secret", **support.BACKEND.env(data_dir))
    return subprocess.run([sys.executable, "-m", "webapp.cli", *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)


def test_cli_editor_add_reads_password_from_stdin(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    done = run_cli(["editor", "add", "bert"], data_dir, stdin="een-geheim-wachtwoord\n")
    assert done.returncode == 0, done.stderr
    subs = subs_at(data_dir)
    assert subs.verify_editor("bert", "een-geheim-wachtwoord") is not None
    assert subs.verify_editor("bert", "een-geheim-wachtwoord\n") is None
    if support.BACKEND.name == "sqlite":
        raw = (data_dir / "submissions.sqlite").read_bytes()
        assert b"een-geheim-wachtwoord" not in raw  # hashed, never stored as typed
    again = run_cli(["editor", "add", "bert"], data_dir, stdin="nog-een-wachtwoord\n")
    assert again.returncode == 1 and "already exists" in again.stderr
    short = run_cli(["editor", "add", "cor"], data_dir, stdin="kort\n")
    assert short.returncode == 1 and "at least" in short.stderr
    bad_name = run_cli(["editor", "add", "Bad Name!"], data_dir, stdin="een-geheim-wachtwoord\n")
    assert bad_name.returncode == 1
    replaced = run_cli(["editor", "add", "bert", "--replace"], data_dir, stdin="nog-een-wachtwoord\n")
    assert replaced.returncode == 0
    assert subs.verify_editor("bert", "nog-een-wachtwoord") is not None
    listed = run_cli(["editor", "list"], data_dir)
    assert listed.stdout.startswith("bert\t")


def test_cli_export_and_import(tmp_path: Path) -> None:
    application, (approved, _rejected, _pending) = moderated_app(tmp_path / "source")
    close_app(application)
    out = tmp_path / "moderatie.trig"
    done = run_cli(["submissions", "export", "-o", str(out)], tmp_path / "source")
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == export_trig(subs_at(tmp_path / "source"))
    stdout = run_cli(["submissions", "export"], tmp_path / "source")
    assert stdout.stdout.encode("utf-8") == out.read_bytes()

    target = tmp_path / "target"
    first = run_cli(["submissions", "import", str(out)], target)
    assert first.returncode == 0, first.stderr
    assert "3 submission(s)" in first.stderr and "3 changed" in first.stderr and "1 graph(s) loaded" in first.stderr
    second = run_cli(["submissions", "import", str(out)], target)
    assert "0 changed" in second.stderr and "0 graph(s) loaded" in second.stderr
    assert (target / "graphs" / f"inzending-{approved}.trig").is_file()
    query = run_cli(["query", f"ASK {{ GRAPH <https://w3id.org/sociale-basis/id/bron/inzending-{approved}> {{ <{PUB}> ?p ?o }} }}"], target)
    assert query.stdout.strip() == "true", query.stderr
    missing = run_cli(["submissions", "import", str(tmp_path / "nope.trig")], target)
    assert missing.returncode == 1 and "cannot read" in missing.stderr


def test_read_password_from_a_pipe() -> None:
    from webapp.submit.cli import read_password

    assert read_password(io.StringIO("geheim-geheim\nrest\n")) == "geheim-geheim"
    from graph.errors import BadRequest

    with pytest.raises(BadRequest):
        read_password(io.StringIO(""))
