"""The `sociale-basis` command: every sub-command and its errors (one line, non-zero exit, no traceback)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef

from tests.conftest import FIXTURE_DATA, ONTOLOGY, ROOT
from webapp.cli import main


@pytest.fixture
def env(tmp_path, monkeypatch):
    """Point the CLI at the fixture data and a fresh data directory."""
    monkeypatch.setenv("SOCIALE_BASIS_ONTOLOGY_PATH", str(ONTOLOGY))
    monkeypatch.setenv("SOCIALE_BASIS_SOURCE_DATA_PATH", str(FIXTURE_DATA))
    monkeypatch.setenv("SOCIALE_BASIS_DATA_DIR", str(tmp_path / "var"))
    return tmp_path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_build_then_stats_prints_counts(env, capsys):
    code, out, _ = run(capsys, "build")
    assert code == 0 and "triples" in out
    code, out, _ = run(capsys, "stats")
    assert code == 0
    assert "triples:" in out and "programma" in out and "Toetsbron A" in out
    code, out, _ = run(capsys, "stats", "--json")
    stats = json.loads(out)
    assert stats["kinds"]["programma"] == 3
    assert {"Toetsbron A", "Toetsbron B"} <= {s["label"] for s in stats["sources"]}
    # the project's own graphs are listed apart, by kind and name, never as sources
    others = {o["kind"]: o["label"] for o in stats["other_graphs"]}
    assert others["ontologie"] == "Ontologie (vocabulaire)" and others["bronnenlijst"] == "Bronnenlijst"
    assert not {o["iri"] for o in stats["other_graphs"]} & {s["iri"] for s in stats["sources"]}
    assert stats["graphs"] == len(stats["sources"]) + len(stats["other_graphs"])


def test_data_dir_option_wins(env, capsys, tmp_path):
    other = tmp_path / "elders"
    code, out, _ = run(capsys, "--data-dir", str(other), "build")
    assert code == 0 and str(other) in out
    assert (other / "build.json").is_file()


QUERY = "SELECT ?p ?label WHERE { ?p a sb:Agreement ; rdfs:label ?label FILTER(LANG(?label) = 'nl') }"


def test_query_formats(env, capsys):
    code, out, _ = run(capsys, "query", QUERY)
    assert code == 0 and "Alfa-akkoord" in out and "(1 row)" in out
    code, out, _ = run(capsys, "query", QUERY, "--format", "json")
    data = json.loads(out)
    assert data["results"]["bindings"][0]["label"]["value"] == "Alfa-akkoord"
    code, out, _ = run(capsys, "query", QUERY, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["p", "label"] and rows[1][1] == "Alfa-akkoord"


def test_query_from_file_and_ask(env, capsys, tmp_path):
    f = tmp_path / "q.rq"
    f.write_text("ASK { ?s a sb:Initiative }", encoding="utf-8")
    code, out, _ = run(capsys, "query", "--file", str(f))
    assert code == 0 and out.strip() == "true"


@pytest.mark.parametrize(
    "args, message",
    [
        (["query", "SELEC ?x WHERE { ?x ?y ?z }"], "syntax error"),
        (["query", "--file", "/nonexistent/q.rq"], "cannot read query file /nonexistent/q.rq"),
        (["query"], "give a query"),
        (["validate", "/nonexistent/data"], "no such file or folder: /nonexistent/data"),
    ],
)
def test_bad_input_gets_one_line_and_nonzero_exit(env, capsys, args, message):
    code, _out, err = run(capsys, *args)
    assert code != 0
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "variable, value, message",
    [
        ("SOCIALE_BASIS_QUERY_TIMOUT", "5", "sociale-basis: error: unknown environment variable SOCIALE_BASIS_QUERY_TIMOUT"
                                            " (did you mean SOCIALE_BASIS_QUERY_TIMEOUT?)"),
        ("SOCIALE_BASIS_PORT", "abc", "sociale-basis: error: setting PORT (from SOCIALE_BASIS_PORT): expected an integer,"
                                      " got 'abc'"),
    ],
)
def test_bad_setting_stops_every_command(env, capsys, monkeypatch, variable, value, message):
    monkeypatch.setenv(variable, value)
    for command in (["stats"], ["serve"]):
        code, out, err = run(capsys, *command)
        assert code == 1 and out == ""
        assert err == message + "\n"


def test_export_unknown_format(env, capsys):
    code, _out, err = run(capsys, "export", "--format", "docx")
    assert code == 2 and "unknown export format 'docx'" in err


@pytest.mark.parametrize(
    "fmt, parse_as, quads",
    [("trig", "trig", True), ("nquads", "nquads", True), ("turtle", "turtle", False), ("jsonld", "json-ld", True)],
)
def test_export_formats_parse_back(env, capsys, tmp_path, fmt, parse_as, quads):
    target = tmp_path / f"out.{fmt}"
    code, _out, _err = run(capsys, "export", "--format", fmt, "-o", str(target))
    assert code == 0 and target.stat().st_size > 0
    alfa = URIRef("https://w3id.org/sociale-basis/id/programma/alfa")
    if quads:
        ds = Dataset()
        ds.parse(target, format=parse_as)
        graphs = {str(g.identifier) for g in ds.graphs()}
        assert "https://w3id.org/sociale-basis/id/bron/toets-a" in graphs
        assert any(True for _ in ds.quads((alfa, None, None, None)))
    else:
        g = Graph()
        g.parse(target, format=parse_as)
        assert (alfa, None, None) in g


def test_validate_passes_on_fixture(env, capsys):
    code, out, _ = run(capsys, "validate", str(FIXTURE_DATA))
    assert code == 0, out
    assert "conforms" in out


def test_validate_reports_turtle_syntax_error_with_line(env, capsys, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(FIXTURE_DATA, broken)
    text = (broken / "fixture.trig").read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(text) if "Toetsbron B" in t)
    text[line] = text[line].replace('"Toetsbron B"@nl', '"Toetsbron B@nl')
    (broken / "fixture.trig").write_text("\n".join(text) + "\n", encoding="utf-8")
    code, _out, err = run(capsys, "validate", str(broken))
    assert code == 1
    assert f"fixture.trig:{line + 1}" in err


def test_validate_reports_shacl_violation_with_focus_node(env, capsys, tmp_path):
    bad = tmp_path / "bad.trig"
    bad.write_text(
        "<https://w3id.org/sociale-basis/id/bron/toets-a> {\n"
        "  <https://w3id.org/sociale-basis/id/programma/zonder-naam> a <https://w3id.org/sociale-basis/def/Programme> ;\n"
        "    <https://w3id.org/sociale-basis/def/responsibleMinistry>"
        " <https://w3id.org/sociale-basis/id/organisatie/ministerie-vws> .\n"
        "}\n",
        encoding="utf-8",
    )
    code, out, _err = run(capsys, "validate", str(bad))
    assert code == 1
    assert "https://w3id.org/sociale-basis/id/programma/zonder-naam" in out
    assert "Violation" in out and "violation(s)" in out


def test_console_script_runs_without_traceback(env):
    """The installed entry point, as a user runs it."""
    exe = shutil.which("sociale-basis", path=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    assert exe, "the sociale-basis console script is not installed"
    done = subprocess.run([exe, "query", "SELECT ?x WHERE {"], capture_output=True, text=True, cwd=ROOT, env=os.environ.copy())
    assert done.returncode == 1
    assert done.stderr.startswith("sociale-basis: error:") and "Traceback" not in done.stderr


def test_serve_runs_a_real_wsgi_server_with_health_and_home(env):
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "webapp.cli", "serve", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy())
    try:
        deadline = time.monotonic() + 60
        body = None
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    body = json.loads(r.read())
                    server = r.headers.get("Server", "")
            except OSError:
                time.sleep(0.2)
        assert body is not None and body["status"] == "ok"
        assert server == "sociale-basis"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            assert r.status == 200
    finally:
        proc.terminate()
        proc.communicate(timeout=10)  # waits, and closes the pipes


def test_serve_workers_need_shared_state(env, capsys):
    """Several web processes cannot share the embedded store or memory counters: `serve --workers 2`
    on the defaults refuses to start with one line naming both settings (docs/deploy.md)."""
    code, _out, err = run(capsys, "serve", "--workers", "2", "--port", "1")
    assert code == 1
    assert err.startswith("sociale-basis: error: --workers 2:") and err.count("\n") == 1
    assert "STORE=sparql" in err and "RATELIMIT_STORAGE=memory://" in err
    assert run(capsys, "serve", "--workers", "0")[0] == 1
