"""Building the on-disk store from `ontology/` and `data/`, rebuilt when the shipped files change.

The data directory holds `build.json` (which store folder is current and the content hash it was
built from), the store folders, and `graphs/` with graphs added at run time (approved submissions),
which every rebuild loads again so nothing added through the app is lost.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import pyoxigraph as ox
from rdflib import URIRef

from graph.errors import ParseError, StoreError
from graph.namespaces import GRAPH_ONTOLOGY
from graph.store.files import content_hash, rdf_files, rdf_format, syntax_error
from graph.store.graphstore import GraphStore, OxigraphStore
from graph.store.remote import RemoteSparqlStore

BUILD_FORMAT = "1"
BUILD_FILE = "build.json"
RUNTIME_GRAPHS_DIR = "graphs"


@dataclass
class BuildInfo:
    """What `build.json` records about the current store."""

    hash: str
    store_dir: str
    built_at: float
    seconds: float
    triples: int
    files: int

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def shipped_files(settings: Mapping[str, Any]) -> tuple[list[Path], list[Path]]:
    """(ontology files, data files) named by the settings."""
    ontology = rdf_files([settings["ONTOLOGY_PATH"]], skip_shapes=True)
    data = rdf_files([settings["SOURCE_DATA_PATH"]])
    return ontology, data


def current_hash(settings: Mapping[str, Any]) -> str:
    ontology, data = shipped_files(settings)
    roots = [Path(settings["ONTOLOGY_PATH"]), Path(settings["SOURCE_DATA_PATH"])]
    return content_hash(ontology + data, roots, salt=BUILD_FORMAT)


def read_build_info(data_dir: Path) -> BuildInfo | None:
    path = data_dir / BUILD_FILE
    if not path.is_file():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return BuildInfo(**raw)
    except (ValueError, TypeError) as exc:
        raise StoreError(f"{path} is damaged ({exc}); remove it and run 'sociale-basis build'") from exc


def is_current(settings: Mapping[str, Any]) -> bool:
    """True when the store on disk was built from exactly the shipped files."""
    data_dir = Path(settings["DATA_DIR"])
    info = read_build_info(data_dir)
    return bool(info and info.hash == current_hash(settings) and (data_dir / info.store_dir).is_dir())


Derived = Callable[[GraphStore, Path], None]
"""A builder of an index derived from the store (the search index), run after each build."""


def build(settings: Mapping[str, Any], *, force: bool = False, derived: Sequence[Derived] = ()) -> BuildInfo:
    """Build the store if the shipped files changed (or `force`); return what is current.

    `derived` builders run on the new store before it becomes current; passing them in keeps the
    store package below the packages that index it.
    """
    data_dir = Path(settings["DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)
    digest = current_hash(settings)
    info = read_build_info(data_dir)
    if not force and info and info.hash == digest and (data_dir / info.store_dir).is_dir():
        return info

    started = time.perf_counter()
    store_dir = f"store-{digest[:12]}-{int(time.time() * 1000)}"
    target = data_dir / store_dir
    store = OxigraphStore(target)
    try:
        ontology, data = shipped_files(settings)
        runtime = runtime_graph_files(data_dir)
        files: list[tuple[Path, URIRef | None]] = [(p, GRAPH_ONTOLOGY) for p in ontology]
        files += [(p, None) for p in data + runtime]
        union = _UnionWriter(files)
        union.start()  # parses and serialises the union on the other core while named graphs load
        for path, graph in files:
            if not may_have_blank_nodes(path):
                _load(store, path, graph)
        # Files with blank nodes are loaded from the same parse as their union copy, so a blank
        # node is the same node in its source graph and in the default graph.
        # (The bulk loader renames blank nodes, so those files go in quad by quad.)
        union_triples, same_parse = union.result()
        store.ox.extend(same_parse)
        _check_no_default_graph(store, data)
        store.ox.bulk_load(union_triples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        store.ox.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in same_parse)
        triples = store.triple_count()
        for builder in derived:
            builder(store, data_dir)
    except BaseException:
        store.close()
        shutil.rmtree(target, ignore_errors=True)
        raise
    store.close()
    info = BuildInfo(digest, store_dir, time.time(), time.perf_counter() - started, triples, len(ontology) + len(data))
    tmp = data_dir / (BUILD_FILE + ".tmp")
    tmp.write_text(json.dumps(info.as_dict(), indent=2), encoding="utf-8")
    os.replace(tmp, data_dir / BUILD_FILE)
    _remove_old_stores(data_dir, keep=store_dir)
    return info


def may_have_blank_nodes(path: Path) -> bool:
    """Cheap test: blank nodes in Turtle/TriG need '_:', '[' or a '(' collection; false positives
    (brackets in literals) only send the file down the slower consistent path."""
    if path.suffix not in {".ttl", ".trig"}:
        return True
    data = path.read_bytes()
    return b"_:" in data or b"[" in data or b"(" in data


class _UnionWriter(threading.Thread):
    """The default graph is the union of all graphs as a set (an RDF merge, no duplicate triples):
    serialise the triples of files without blank nodes as N-Triples for the default graph; keep
    the parsed quads of files with blank nodes, to be added to both (one parse, the same nodes)."""

    def __init__(self, files: list[tuple[Path, URIRef | None]]) -> None:
        super().__init__(daemon=True)
        self.files = files
        self.parts: list[bytes] = []
        self.quads: list[ox.Quad] = []
        self.error: SyntaxError | None = None
        self.failed_path: Path | None = None

    def run(self) -> None:
        for path, graph in self.files:
            try:
                parsed = ox.parse(path=str(path), format=rdf_format(path))
                if not may_have_blank_nodes(path):
                    self.parts.append(ox.serialize((q.triple for q in parsed), format=ox.RdfFormat.N_TRIPLES) or b"")
                    continue
                quads = list(parsed)
                if graph is not None:
                    target = ox.NamedNode(str(graph))
                    quads = [ox.Quad(q.subject, q.predicate, q.object, target) for q in quads]
                self.quads.extend(quads)
            except SyntaxError as exc:
                self.error, self.failed_path = exc, path
                return

    def result(self) -> tuple[bytes, list[ox.Quad]]:
        """(the union of the files without blank nodes as N-Triples, the quads of the others)."""
        self.join()
        if self.error is not None and self.failed_path is not None:
            raise syntax_error(self.error, self.failed_path)
        return b"".join(self.parts), self.quads


def _load(store: OxigraphStore, path: Path, graph: URIRef | None) -> None:
    try:
        store.bulk_load(path, rdf_format(path), graph)
    except SyntaxError as exc:
        raise syntax_error(exc, path) from exc


def _check_no_default_graph(store: OxigraphStore, data: list[Path]) -> None:
    """Provenance rule: every data triple sits in a named graph (its source); the default graph
    is filled only with the union, afterwards."""
    for quad in store.ox.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        raise ParseError(
            f"triple outside a named graph ({quad.subject} {quad.predicate} …): every statement must be in its source's graph",
            source=", ".join(p.name for p in data[:3]) + ("…" if len(data) > 3 else ""),
        )


def _remove_old_stores(data_dir: Path, keep: str) -> None:
    """Remove superseded store folders, except one a running process still has open."""
    for old in data_dir.glob("store-*"):
        if old.name != keep and old.is_dir() and not store_in_use(old):
            shutil.rmtree(old, ignore_errors=True)


def store_in_use(path: Path) -> bool:
    """True when another process holds the store's RocksDB lock (a server writing to it)."""
    lock = path / "LOCK"
    if not lock.is_file():
        return False
    with lock.open("a") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.lockf(handle, fcntl.LOCK_UN)
    return False


def runtime_graph_files(data_dir: Path) -> list[Path]:
    """Graphs added while running (approved submissions), kept as TriG files beside the store."""
    folder = data_dir / RUNTIME_GRAPHS_DIR
    return sorted(folder.glob("*.trig")) if folder.is_dir() else []


def open_store(
    settings: Mapping[str, Any], *, read_only: bool = False, auto_build: bool = True, rebuild_stale: bool = True
) -> GraphStore:
    """The configured store: the embedded Oxigraph (built or rebuilt first when needed) or a remote server.

    With `rebuild_stale=False` an existing store is opened even when the shipped files changed (the
    CLI's read commands must not swap the store under a running server); one is built only if none exists.
    """
    if settings["STORE"] == "sparql":
        remote = remote_store(settings)
        if auto_build and not read_only and not remote.graph_names():
            load_remote(settings, remote)  # an empty server gets the data, as an absent embedded store is built
        return remote
    if settings["STORE"] != "oxigraph":
        raise StoreError(f"unknown STORE '{settings['STORE']}': use 'oxigraph' or 'sparql'")
    data_dir = Path(settings["DATA_DIR"])
    info = read_build_info(data_dir)
    present = info is not None and (data_dir / info.store_dir).is_dir()
    if auto_build and (rebuild_stale or not present):
        info = build(settings)
    if info is None or not (data_dir / info.store_dir).is_dir():
        raise StoreError(f"no store in {data_dir}: run 'sociale-basis build'")
    remove_leftovers(data_dir, keep=info.store_dir)
    return OxigraphStore(data_dir / info.store_dir, read_only=read_only)


def remote_store(settings: Mapping[str, Any]) -> RemoteSparqlStore:
    """The remote store the settings name (STORE=sparql)."""
    return RemoteSparqlStore(settings["SPARQL_QUERY_URL"], settings["SPARQL_UPDATE_URL"], settings["SPARQL_STORE_URL"],
                             poll_seconds=float(settings["STORE_POLL_SECONDS"]), union_graph=settings["SPARQL_UNION_GRAPH"])


def load_remote(settings: Mapping[str, Any], remote: RemoteSparqlStore, *, force: bool = False) -> BuildInfo:
    """Build the dataset here (as for the embedded store, in DATA_DIR) and load it into the remote
    server whole: the named graphs and their union in the default graph, as N-Quads."""
    info = build(settings, force=force)
    local = OxigraphStore(Path(settings["DATA_DIR"]) / info.store_dir, read_only=True)
    try:
        nquads = local.ox.dump(format=ox.RdfFormat.N_QUADS) or b""
    finally:
        local.close()
    remote.load_dataset(nquads)
    return info


def remove_leftovers(data_dir: Path, *, keep: str) -> None:
    """What a killed build left behind: half-built store folders no process has open, and the
    temporary build-info file. Run at every start, so leftovers never pile up."""
    _remove_old_stores(data_dir, keep=keep)
    (data_dir / (BUILD_FILE + ".tmp")).unlink(missing_ok=True)
