"""Loading ontology and data into the on-disk store, and rebuilding when the shipped files change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import URIRef

from graph.errors import ParseError
from graph.namespaces import GRAPH_ONTOLOGY
from graph.store.build import build, is_current, open_store, read_build_info
from tests.conftest import FIXTURE_DATA, ONTOLOGY


def settings_for(tmp_path: Path, data: Path) -> dict:
    return {"DATA_DIR": str(tmp_path / "var"), "ONTOLOGY_PATH": str(ONTOLOGY), "SOURCE_DATA_PATH": str(data), "STORE": "oxigraph"}


def copy_fixture(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    return data


def test_build_loads_ontology_and_every_source_graph(tmp_path):
    settings = settings_for(tmp_path, copy_fixture(tmp_path))
    info = build(settings)
    store = open_store(settings)
    graphs = set(store.graph_names())
    assert GRAPH_ONTOLOGY in graphs
    assert URIRef("https://w3id.org/sociale-basis/id/bron/toets-a") in graphs
    assert store.triple_count() == info.triples > 100
    store.close()


def test_unchanged_files_reuse_the_store_and_a_change_rebuilds(tmp_path):
    data = copy_fixture(tmp_path)
    settings = settings_for(tmp_path, data)
    first = build(settings)
    assert build(settings).store_dir == first.store_dir
    assert is_current(settings)
    with (data / "fixture.trig").open("a", encoding="utf-8") as f:
        f.write('\n<https://w3id.org/sociale-basis/id/bron/toets-b> { '
                '<https://w3id.org/sociale-basis/id/plaats/zeist> <http://www.w3.org/2004/02/skos/core#altLabel> "Zeist-Centrum"@nl . }\n')
    assert not is_current(settings)
    store = open_store(settings)  # rebuilt automatically on open
    assert read_build_info(Path(settings["DATA_DIR"])).hash != first.hash
    assert store.ask('ASK { ?s skos:altLabel "Zeist-Centrum"@nl }')
    store.close()


def test_runtime_graphs_survive_a_rebuild(tmp_path):
    settings = settings_for(tmp_path, copy_fixture(tmp_path))
    build(settings)
    graphs = Path(settings["DATA_DIR"]) / "graphs"
    graphs.mkdir()
    (graphs / "extra.trig").write_text(
        '<https://w3id.org/sociale-basis/id/bron/extra> { <https://w3id.org/sociale-basis/id/plaats/x> '
        '<http://www.w3.org/2000/01/rdf-schema#label> "X"@nl . }', encoding="utf-8")
    build(settings, force=True)
    store = open_store(settings)
    assert store.ask('ASK { GRAPH <https://w3id.org/sociale-basis/id/bron/extra> { ?s ?p "X"@nl } }')
    store.close()


def test_broken_data_names_file_and_line_and_keeps_the_old_store(tmp_path):
    data = copy_fixture(tmp_path)
    settings = settings_for(tmp_path, data)
    good = build(settings)
    (data / "broken.trig").write_text('<https://w3id.org/sociale-basis/id/bron/b> {\n  <a:b> <c:d> "open .\n}\n', encoding="utf-8")
    with pytest.raises(ParseError) as err:
        build(settings)
    assert "broken.trig:2" in err.value.message
    assert read_build_info(Path(settings["DATA_DIR"])).store_dir == good.store_dir
    assert (Path(settings["DATA_DIR"]) / good.store_dir).is_dir()


def test_triples_outside_a_named_graph_are_refused(tmp_path):
    data = copy_fixture(tmp_path)
    (data / "loose.ttl").write_text(
        '<https://w3id.org/sociale-basis/id/plaats/y> <http://www.w3.org/2000/01/rdf-schema#label> "Y"@nl .\n', encoding="utf-8")
    with pytest.raises(ParseError) as err:
        build(settings_for(tmp_path, data))
    assert "named graph" in err.value.message


def test_blank_nodes_are_the_same_in_source_graph_and_union(tmp_path):
    data = copy_fixture(tmp_path)
    (data / "figuur.trig").write_text(
        "<https://w3id.org/sociale-basis/id/bron/toets-a> {\n"
        "  <https://w3id.org/sociale-basis/id/programma/alfa> <https://w3id.org/sociale-basis/def/figure>\n"
        "    [ <https://schema.org/value> 37 ] .\n}\n", encoding="utf-8")
    settings = settings_for(tmp_path, data)
    store = open_store(settings)
    rows = store.select("SELECT ?v WHERE { GRAPH ?g { ?p sb:figure ?f } ?f schema:value ?v }")
    assert [int(r["v"]) for r in rows] == [37]
    store.close()


def test_the_default_graph_is_the_union_without_duplicates(tmp_path):
    settings = settings_for(tmp_path, copy_fixture(tmp_path))
    store = open_store(settings)
    # prog:alfa sb:signatory orgn:vng is stated by two sources: one triple in the union, two quads
    rows = store.select("SELECT ?o WHERE { prog:alfa sb:signatory ?o }")
    assert sorted(str(r["o"]).rsplit("/", 1)[1] for r in rows) == ["ministerie-vws", "vng"]
    assert len(store.select("SELECT ?g WHERE { GRAPH ?g { prog:alfa sb:signatory orgn:vng } }")) == 2
    store.close()


def test_a_rebuild_keeps_the_store_a_running_process_has_open(tmp_path):
    import subprocess
    import sys

    settings = settings_for(tmp_path, copy_fixture(tmp_path))
    first = build(settings)
    held = Path(settings["DATA_DIR"]) / first.store_dir
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, pyoxigraph as ox; s = ox.Store(sys.argv[1]); print('open', flush=True); sys.stdin.read()", str(held)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        second = build(settings, force=True)
        assert second.store_dir != first.store_dir
        assert held.is_dir(), "the store a server has open was removed"
    finally:
        holder.communicate("", timeout=30)
    build(settings, force=True)
    assert not held.exists()


def test_reading_commands_do_not_swap_a_stale_store(tmp_path, capsys):
    from webapp.cli import main

    data = copy_fixture(tmp_path)
    settings = settings_for(tmp_path, data)
    first = build(settings)
    (data / "extra.trig").write_text(
        '<https://w3id.org/sociale-basis/id/bron/toets-b> { <https://w3id.org/sociale-basis/id/plaats/q> '
        '<http://www.w3.org/2000/01/rdf-schema#label> "Q"@nl . }\n', encoding="utf-8")
    import os

    env = {"SOCIALE_BASIS_ONTOLOGY_PATH": settings["ONTOLOGY_PATH"], "SOCIALE_BASIS_SOURCE_DATA_PATH": str(data)}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        assert main(["--data-dir", settings["DATA_DIR"], "stats"]) == 0
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert "older than the shipped files" in capsys.readouterr().err
    assert read_build_info(Path(settings["DATA_DIR"])).store_dir == first.store_dir


def test_a_build_killed_midway_leaves_nothing_after_the_next_start(tmp_path):
    """SIGKILL during a forced rebuild; the next start removes the half-built store folder and
    the temporary files, and opens the last complete store (issue 14, build leftovers)."""
    from tests.conftest import kill_build_when

    settings = settings_for(tmp_path, copy_fixture(tmp_path))
    info = build(settings)
    var = Path(settings["DATA_DIR"])
    killed_midway = False
    for _ in range(5):
        current = info.store_dir
        kill_build_when(settings, lambda current=current: any(p.name != current for p in var.glob("store-*")))
        if read_build_info(var).store_dir == info.store_dir and len(list(var.glob("store-*"))) > 1:
            killed_midway = True
            break
        info = read_build_info(var)
    assert killed_midway, "the build always finished before the kill"
    store = open_store(settings, rebuild_stale=False)
    try:
        assert store.triple_count() == info.triples
    finally:
        store.close()
    leftovers = sorted(p.name for p in var.iterdir() if p.name.startswith("store-") and p.name != info.store_dir)
    leftovers += sorted(p.name for p in var.iterdir() if ".tmp" in p.name or p.name.endswith("-journal"))
    assert leftovers == []


def test_a_plain_install_carries_every_data_folder():
    """pyproject's data-files list each folder of data/ (a folder left out is missing after `pip install .`)."""
    import tomllib

    from tests.conftest import ROOT

    listed = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["data-files"]
    patterns = {pattern for values in listed.values() for pattern in values}
    folders = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*.trig")}
    assert {f for f in folders if f"{f}/*.trig" not in patterns} == set()
