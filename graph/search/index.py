"""The full-text search index: SQLite (FTS5 and term tables) in DATA_DIR/search.sqlite, kept in
step with the store.

One document per entity (see `graph.search.docs`), written by `graph.search.write`. `rebuild`
writes a fresh index (after every `build`); `SearchIndex.on_change` is a store listener that
re-indexes the entities of changed graphs at once. `open_index` checks at start-up that the index
belongs to the store (its folder and triple count) and rebuilds it when not.
Querying lives in `graph.search.searcher`.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from pathlib import Path

from rdflib import URIRef

from graph.errors import N_, StoreError
from graph.namespaces import ID
from graph.search.docs import FACET_VALUE_KINDS, all_quads, class_parents, gather, graph_subjects, subject_quads
from graph.search.write import FORMAT, SCHEMA_SQL, delete_docs, store_identity, write_docs, write_meta
from graph.store.graphstore import GraphStore

log = logging.getLogger(__name__)

INDEX_FILE = "search.sqlite"
__all__ = ["FACET_VALUE_KINDS", "FORMAT", "INDEX_FILE", "SearchIndex", "build_search_index", "open_index", "store_identity"]


class SearchIndex:
    """The SQLite index file: one connection per thread for reading, one lock for writing."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self.generation = 0  # increases after every committed change, so caches can tell
        self._parents: dict[str, set[str]] | None = None

    # -- connections -------------------------------------------------------------------------
    def connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "generation_file", None) != self._file_id():
            if conn is not None:
                conn.close()
            if not self.path.is_file():
                raise StoreError(N_("search index %(path)s is missing: run 'sociale-basis build'"), path=str(self.path))
            conn = sqlite3.connect(str(self.path), check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("PRAGMA cache_size = -32000")
            self._local.conn = conn
            self._local.generation_file = self._file_id()
        return conn

    def _file_id(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_dev)

    def meta(self) -> dict[str, str]:
        try:
            return dict(self.connection().execute("SELECT key, value FROM meta").fetchall())
        except (sqlite3.DatabaseError, StoreError):
            return {}

    # -- building ----------------------------------------------------------------------------
    def rebuild(self, store: GraphStore) -> int:
        """Write a complete new index from the store (atomically replacing the file); returns docs."""
        with self._write_lock:
            tmp = self.path.with_name(self.path.name + f".tmp-{os.getpid()}")
            for leftover in (tmp, Path(str(tmp) + "-journal")):
                leftover.unlink(missing_ok=True)
            conn = sqlite3.connect(str(tmp))
            try:
                conn.executescript(SCHEMA_SQL)
                parents = class_parents(store)
                docs = gather(all_quads(store))
                with conn:
                    count = write_docs(conn, docs.values(), parents, fresh=True)
                    write_meta(conn, store)
                conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")
                conn.execute("INSERT INTO suggest(suggest) VALUES ('optimize')")
                conn.commit()
            finally:
                conn.close()
            # Readers keep the old file open until they next ask for a connection (see `connection`).
            os.replace(tmp, self.path)
            self._changed()
            return count

    def on_change(self, store: GraphStore, graphs: set[URIRef]) -> None:
        """Store listener: re-index the entities stated in the changed graphs (before and after)."""
        with self._write_lock:
            conn = self.connection()
            names = [str(g) for g in graphs]
            affected: set[str] = set()
            for name in names:
                affected.update(
                    iri for (iri,) in conn.execute(
                        "SELECT d.iri FROM doc_graphs g JOIN docs d ON d.id = g.doc WHERE g.graph = ?", (name,)
                    )
                )
                affected.update(s for s in graph_subjects(store, name) if s.startswith(ID))
            if any(name.endswith("/graph/ontologie") for name in names):
                self._parents = None
            parents = self._class_parents(store)
            docs = gather(subject_quads(store, sorted(affected)))
            with conn:
                delete_docs(conn, affected)
                write_docs(conn, [d for d in docs.values()], parents, fresh=False)
                write_meta(conn, store)
            self._changed()
            log.info("search index: %d entities re-indexed for %d changed graph(s)", len(affected), len(names))

    def _class_parents(self, store: GraphStore) -> dict[str, set[str]]:
        if self._parents is None:
            self._parents = class_parents(store)
        return self._parents

    def _changed(self) -> None:
        self.generation += 1


def remove_leftovers(data_dir: Path) -> list[Path]:
    """Remove the temporary index files (`search.sqlite.tmp-<pid>` and its `-journal`) of rebuilds
    whose process is gone (killed midway); a rebuild still running elsewhere keeps its file."""
    removed: list[Path] = []
    for path in Path(data_dir).glob(INDEX_FILE + ".tmp-*"):
        pid_text = path.name[len(INDEX_FILE + ".tmp-"):].removesuffix("-journal")
        if pid_text.isdigit() and int(pid_text) != os.getpid() and _alive(int(pid_text)):
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    if removed:
        log.info("removed %s temporary search index file(s) of an unfinished rebuild", len(removed))
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def open_index(store: GraphStore, data_dir: Path) -> SearchIndex:
    """The index of `store`, rebuilt first when it is missing, of another format or another store;
    what a killed rebuild left behind goes first. The folder is made if needed (with STORE=sparql
    nothing else may have made it, e.g. a second web machine starting on a loaded server)."""
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    remove_leftovers(Path(data_dir))
    index = SearchIndex(Path(data_dir) / INDEX_FILE)
    meta = index.meta()
    current = (
        meta.get("format") == FORMAT
        and meta.get("store") == store_identity(store)
        and meta.get("triples") == str(store.triple_count())
    )
    if not current:
        log.info("search index missing or stale (%s): rebuilding", meta or "no index")
        index.rebuild(store)
    return index


def build_search_index(store: GraphStore, data_dir: Path) -> None:
    """Derived builder for `graph.store.build.build`: rebuild the index on a new store."""
    SearchIndex(Path(data_dir) / INDEX_FILE).rebuild(store)
