"""A rebuild of the search index killed midway leaves `search.sqlite.tmp-<pid>` (and its journal);
the next start removes them, and keeps the file of a rebuild that is still running (issue 14, item 6)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from graph.search.index import INDEX_FILE, remove_leftovers
from tests.conftest import kill_build_when, make_settings


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid  # ended and reaped: no process has this pid now (pids are not reused this fast)


def test_files_of_a_dead_rebuild_go_and_those_of_a_live_one_stay(tmp_path: Path):
    dead = _dead_pid()
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        stale = [tmp_path / f"{INDEX_FILE}.tmp-{dead}", tmp_path / f"{INDEX_FILE}.tmp-{dead}-journal"]
        running = tmp_path / f"{INDEX_FILE}.tmp-{sleeper.pid}"
        for path in [*stale, running]:
            path.write_bytes(b"half an index")
        assert sorted(remove_leftovers(tmp_path)) == sorted(stale)
        assert running.exists() and not any(p.exists() for p in stale)
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_build_killed_while_writing_the_index_leaves_no_temporary_file_after_the_next_start(tmp_path: Path):
    from webapp import create_app
    from webapp.state import get_searcher, get_store

    settings = make_settings(tmp_path / "var")
    var = Path(settings["DATA_DIR"])
    caught = False
    for _ in range(8):
        kill_build_when(settings, lambda: bool(list(var.glob(INDEX_FILE + ".tmp-*"))), poll=0.002)
        if list(var.glob(INDEX_FILE + ".tmp-*")):
            caught = True
            break
    assert caught, "the index was always written before the kill"
    app = create_app(make_settings(var))
    try:
        with app.app_context():
            assert get_searcher() is not None
        assert list(var.glob(INDEX_FILE + ".tmp-*")) == []
    finally:
        with app.app_context():
            get_store().close()
