"""Backup and restore of what a data directory holds that cannot be rebuilt from the shipped files.

A backup folder holds:
- `store/`: the Oxigraph store, taken with Oxigraph's own `Store.backup` (a consistent snapshot;
  hard links where the backup is on the same file system, so it is cheap);
- `submissions.sqlite`: the submissions database, copied with SQLite's online backup API (a
  consistent copy even while the server writes), as one file without a WAL. Submissions in
  PostgreSQL (SUBMISSIONS_DB) are not copied: that database is saved with `pg_dump` and put back
  with `pg_restore` (docs/deploy.md); the backup still records their counts, and restore leaves it alone;
- `graphs/`: the approved submissions' graphs as TriG (what every rebuild loads again);
- `build.json` (which shipped files the store was built from) and `backup.json` (what was saved:
  triples, graph names, submissions per status), to check a restore against.

The submissions database is the source of truth for approvals: it is copied last, and at the next
start `moderation.reconcile` makes the store and `graphs/` follow it, so an approval made while the
backup ran is never half in it. The search index is not saved: it is rebuilt at the next start.
Secrets (`secret_key`) are not saved either; a restored site without it generates a new one (editors
sign in again).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from contextlib import closing
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pyoxigraph as ox

from graph.errors import N_, BadRequest, Conflict, StoreError
from graph.store.build import BUILD_FILE, RUNTIME_GRAPHS_DIR, BuildInfo, read_build_info, remove_leftovers, store_in_use
from graph.submissions.store import DB_FILE, STATUSES, SubmissionStore

MANIFEST = "backup.json"
STORE_DIR = "store"
BACKUP_FORMAT = 1
LIVE_ATTEMPTS = 5  # tries at a read-only backup of a store a server is writing to


@dataclass
class BackupInfo:
    """What a backup holds (written to backup.json, and checked again by restore)."""

    created_at: float
    store_dir: str
    triples: int
    graphs: list[str]
    submissions: dict[str, int]
    graph_files: list[str] = field(default_factory=list)
    format: int = BACKUP_FORMAT


def backup(settings: Mapping[str, Any], target: str | Path) -> BackupInfo:
    """Save the data directory's store, submissions and run-time graphs into `target` (a new folder).

    Written beside `target` under a temporary name and renamed at the end, so `target` either
    holds a whole backup or does not exist.
    """
    if settings["STORE"] != "oxigraph":
        raise BadRequest("backup saves the embedded Oxigraph store; back up a remote store with its own tools")
    data_dir = Path(settings["DATA_DIR"])
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BadRequest(f"{target} already exists and is not an empty folder; choose a new one")
    info = read_build_info(data_dir)
    if info is None or not (data_dir / info.store_dir).is_dir():
        raise StoreError(f"no store in {data_dir} to back up: run 'sociale-basis build' first")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.parent / f".{target.name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        _backup_store(data_dir / info.store_dir, partial / STORE_DIR)
        graph_files = _copy_graphs(data_dir / RUNTIME_GRAPHS_DIR, partial / RUNTIME_GRAPHS_DIR)
        shutil.copy2(data_dir / BUILD_FILE, partial / BUILD_FILE)
        if settings.get("SUBMISSIONS_DB"):  # PostgreSQL: saved with pg_dump, only counted here
            counts = SubmissionStore.from_settings(settings).counts()
        else:
            counts = _backup_database(data_dir / DB_FILE, partial / DB_FILE)
        triples, graphs = _describe_store(partial / STORE_DIR)
        saved = BackupInfo(time.time(), info.store_dir, triples, graphs, counts, graph_files)
        (partial / MANIFEST).write_text(json.dumps(asdict(saved), indent=2), encoding="utf-8")
        if target.exists():
            target.rmdir()  # empty, checked above
        os.replace(partial, target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return saved


def restore(settings: Mapping[str, Any], source: str | Path) -> BackupInfo:
    """Put a backup back into the data directory; the next start serves it.

    Refused while a server has the current store open. The restored store gets a new folder and
    becomes current when build.json is replaced (the commit point); the old store folders are then
    removed. Running it again after an interruption finishes the job.
    """
    if settings["STORE"] != "oxigraph":
        raise BadRequest("restore puts back the embedded Oxigraph store (STORE=oxigraph)")
    source = Path(source)
    saved = read_manifest(source)
    data_dir = Path(settings["DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)
    current = read_build_info(data_dir)
    if current is not None and (data_dir / current.store_dir).is_dir():
        if _open_exclusive(data_dir / current.store_dir) is None:
            raise Conflict(N_("a running server has the store in %(path)s open: stop it before restoring"), path=str(data_dir))
    triples, graphs = _describe_store(source / STORE_DIR)
    if (triples, graphs) != (saved.triples, saved.graphs):
        raise StoreError(f"the store in {source} does not match its {MANIFEST} ({triples} triples, {len(graphs)} graphs)")
    built = read_build_info(source)
    if built is None:
        raise StoreError(f"{source} has no {BUILD_FILE}")

    store_dir = f"store-{built.hash[:12]}-{int(time.time() * 1000)}"
    staging = data_dir / f"{store_dir}.restoring"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source / STORE_DIR, staging)
    os.replace(staging, data_dir / store_dir)
    restored = BuildInfo(**dict(built.as_dict(), store_dir=store_dir))
    tmp = data_dir / (BUILD_FILE + ".tmp")
    tmp.write_text(json.dumps(restored.as_dict(), indent=2), encoding="utf-8")
    os.replace(tmp, data_dir / BUILD_FILE)

    _replace_folder(source / RUNTIME_GRAPHS_DIR, data_dir / RUNTIME_GRAPHS_DIR)
    if not settings.get("SUBMISSIONS_DB"):  # PostgreSQL is put back with pg_restore, not here
        _restore_database(source / DB_FILE, data_dir / DB_FILE)
    remove_leftovers(data_dir, keep=store_dir)
    return saved


def read_manifest(source: Path) -> BackupInfo:
    path = source / MANIFEST
    if not path.is_file() or not (source / STORE_DIR).is_dir():
        raise BadRequest(f"{source} is not a backup (no {MANIFEST} and {STORE_DIR}/)")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        info = BackupInfo(**raw)
    except (ValueError, TypeError) as exc:
        raise StoreError(f"{path} is damaged ({exc})") from exc
    if info.format != BACKUP_FORMAT:
        raise StoreError(f"{path}: backup format {info.format} is not known to this version (expected {BACKUP_FORMAT})")
    return info


# -- the parts ------------------------------------------------------------------------------------
def _backup_store(store_path: Path, target: Path) -> None:
    """Oxigraph's own backup. With no server running the store is opened for writing, which also
    keeps a server from starting meanwhile. With one running, a read-only view is saved; the server
    may compact files away under it (RocksDB's read-only mode does not follow a writer), so that is
    tried again a few times, and the result is checked by opening it afterwards."""
    exclusive = _open_exclusive(store_path)
    if exclusive is not None:
        try:
            exclusive.backup(str(target))
        except OSError as exc:
            raise StoreError(f"cannot back up the store in {store_path}: {exc}") from exc
        return  # the store closes (and releases its lock) with its last reference
    for attempt in range(1, LIVE_ATTEMPTS + 1):
        try:
            ox.Store.read_only(str(store_path)).backup(str(target))
            _describe_store(target)
            return
        except (OSError, RuntimeError, StoreError) as exc:
            shutil.rmtree(target, ignore_errors=True)
            if attempt == LIVE_ATTEMPTS:
                raise StoreError(f"cannot back up the store in {store_path} while the server writes to it "
                                 f"({exc}); try again, or stop the server first") from exc
            time.sleep(0.2 * attempt)


def _open_exclusive(path: Path) -> ox.Store | None:
    """The store opened for writing, or None when a server (in this process or another) has it."""
    if store_in_use(path):
        return None
    try:
        return ox.Store(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            return None
        raise


def _describe_store(path: Path) -> tuple[int, list[str]]:
    """(distinct triples of the union, sorted graph names) of a saved store, opened read-only."""
    try:
        store = ox.Store.read_only(str(path))
        row = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))  # type: ignore[arg-type]  # pyoxigraph's stub types query() as a union of result kinds
        triples = int(row[0].value)
        graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    except (OSError, RuntimeError) as exc:
        raise StoreError(f"the store in {path} cannot be read: {exc}") from exc
    return triples, graphs


def _copy_graphs(folder: Path, target: Path) -> list[str]:
    target.mkdir()
    names = []
    if folder.is_dir():
        for path in sorted(folder.glob("*.trig")):
            shutil.copy2(path, target / path.name)
            names.append(path.name)
    return names


def _backup_database(path: Path, target: Path) -> dict[str, int]:
    """SQLite's online backup into one self-contained file; the submissions per status."""
    if not path.is_file():
        return {}
    with closing(sqlite3.connect(path, timeout=30)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
        found = dict(dst.execute("SELECT status, COUNT(*) FROM submissions GROUP BY status").fetchall())
    return {status: int(found.get(status, 0)) for status in STATUSES}


def _restore_database(backup_file: Path, path: Path) -> None:
    """Copy the saved database into place through SQLite (the live file's WAL is handled by SQLite)."""
    if not backup_file.is_file():  # the site had no submissions database when it was saved
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    with closing(sqlite3.connect(backup_file)) as src, closing(sqlite3.connect(path, timeout=30)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")


def _replace_folder(source: Path, target: Path) -> None:
    """`target` becomes a copy of `source` (empty if there is none), swapped in by renames."""
    staging = target.with_name(target.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    if source.is_dir():
        shutil.copytree(source, staging)
    else:
        staging.mkdir()
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)
