"""What runs inside a query worker process: open the store read-only, run jobs, answer bytes.

A worker is a separate process (started with 'spawn', never forked from a process that has RocksDB
open) so that a query can be stopped by killing it: Oxigraph cannot cancel a running query. It opens
`pyoxigraph.Store.read_only(store_dir)` beside the web process's writer, and opens it again when a
job names another store folder or a newer store version (the web process changes the store when a
moderator approves a submission). Queries run on a thread with a large stack, so that deeply nested
(but accepted) queries cannot overflow it. Where the system allows it, the worker also leaves the
network (a Linux network namespace of its own): a second line of defence behind the query checks,
so that even a `SERVICE` that slipped through could not reach another server.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from graph.errors import N_
from graph.formats import BOOLEAN_FORMATS, GRAPH_RESULT_FORMATS, SOLUTION_FORMATS
from graph.sparql import QUERY_BASE
from graph.sparql.dataset import Datasets
from graph.sparql.results import (
    ResultTooLarge,
    ResultTooManyBytes,
    serialize_boolean,
    serialize_solutions,
    serialize_triples,
)

QUERY_THREAD_STACK = 256 * 1024 * 1024
OPEN_ATTEMPTS = 12
CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


@dataclass(frozen=True)
class Job:
    """One query for a worker (plain data, so it pickles)."""

    query: str
    fmt: str  # sparql-json, sparql-xml, csv, tsv, turtle, ntriples, jsonld, rdfxml
    store_dir: str
    version: int
    max_rows: int
    max_bytes: int = 32 * 1024 * 1024  # the serialized answer's cap (MAX_RESULT_BYTES)
    default_graphs: tuple[str, ...] | None = None  # None: the store's default graph (the union)
    named_graphs: tuple[str, ...] | None = None  # None: all named graphs
    substitutions: tuple[tuple[str, str], ...] = ()  # (variable, N-Triples term)
    prefixes: dict[str, str] = field(default_factory=dict)
    base_iri: str = QUERY_BASE  # relative IRIs resolve against this (the checks resolve them alike)


@dataclass(frozen=True)
class Outcome:
    """A worker's answer: the serialized result, or the name of a graph.errors class (`error`) with a
    message id and its parameters, which the web app raises as that error."""

    body: bytes = b""
    rows: int = 0
    form: str = ""
    error: str = ""
    message: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.error


def worker_main(conn: Any, isolate_network: bool) -> None:
    """Entry point of a worker process: leave the network, then serve jobs on a big-stack thread."""
    isolated = _leave_network() if isolate_network else False
    threading.stack_size(QUERY_THREAD_STACK)
    thread = threading.Thread(target=_serve, args=(conn, isolated), name="sparql-worker", daemon=True)
    thread.start()
    thread.join()


def _serve(conn: Any, isolated: bool) -> None:
    conn.send(("ready", os.getpid(), isolated))
    runner = _Runner()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(runner.run(job))


class _Runner:
    def __init__(self) -> None:
        self.store: ox.Store | None = None
        self.key: tuple[str, int] | None = None
        self.datasets = Datasets()

    def open(self, job: Job, *, again: bool = False) -> ox.Store:
        """The store of `job`, opened read-only (again when the job names a newer version).

        The web process writes to the same store now and then; while it does, RocksDB may be
        switching its manifest, and opening fails for a moment: try again a few times.
        """
        key = (job.store_dir, job.version)
        if self.store is None or self.key != key or again:
            self.store = None
            for attempt in range(OPEN_ATTEMPTS):
                try:
                    self.store = ox.Store.read_only(job.store_dir)
                    break
                except (OSError, RuntimeError) as exc:
                    if attempt == OPEN_ATTEMPTS - 1:
                        raise OSError(f"cannot open the store: {exc}") from exc
                    time.sleep(0.02 * (attempt + 1))
            self.key = key
        assert self.store is not None
        return self.store

    def run(self, job: Job) -> Outcome:
        try:
            try:
                return self._run(job, self.open(job))
            except (OSError, RuntimeError) as exc:
                if not _storage_trouble(exc):
                    raise
                # The writer may have compacted files this read-only view still named: reopen once.
                return self._run(job, self.open(job, again=True))
        except SyntaxError as exc:
            return Outcome(error="BadRequest", message=N_("SPARQL syntax error: %(detail)s"), params={"detail": str(exc)})
        except OSError as exc:
            return Outcome(error="ServiceUnavailable", message=N_("the query could not be run (%(detail)s); try again shortly"),
                           params={"detail": str(exc)})
        except (RuntimeError, ValueError, TypeError) as exc:
            return Outcome(error="BadRequest", message=N_("the query could not be evaluated: %(detail)s"),
                           params={"detail": str(exc)})

    def _run(self, job: Job, store: ox.Store) -> Outcome:
        # Without a dataset the query runs on the store's default graph: the build keeps it as the
        # union of all named graphs as a set (every triple once, however many sources state it).
        # With one, every triple of the FROM graphs counts once too (graph.sparql.dataset).
        store, kwargs = self.datasets.target(store, job.default_graphs, job.named_graphs)
        if job.substitutions:
            kwargs["substitutions"] = {ox.Variable(name): parse_term(term) for name, term in job.substitutions}
        result = store.query(job.query, prefixes=job.prefixes or None, base_iri=job.base_iri, **kwargs)
        return write_answer(result, job.fmt, job.max_rows, job.max_bytes, job.prefixes)


def write_answer(result: Any, fmt: str, max_rows: int, max_bytes: int | None, prefixes: dict[str, str] | None) -> Outcome:
    """A pyoxigraph answer (solutions, boolean or triples, from this store or parsed from a remote
    server's) written in `fmt` within the caps; the caps and a format that does not fit are errors."""
    try:
        if isinstance(result, ox.QuerySolutions):
            if fmt not in SOLUTION_FORMATS:
                return _wrong_format("SELECT", fmt, SOLUTION_FORMATS)
            variables = [v.value for v in result.variables]
            body, rows = serialize_solutions(variables, result, fmt, max_rows, max_bytes)
            return Outcome(body, rows, "SELECT")
        if isinstance(result, ox.QueryBoolean):
            if fmt not in BOOLEAN_FORMATS:
                return _wrong_format("ASK", fmt, BOOLEAN_FORMATS)
            return Outcome(serialize_boolean(bool(result), fmt), 1, "ASK")
        if fmt not in GRAPH_RESULT_FORMATS:
            return _wrong_format("CONSTRUCT/DESCRIBE", fmt, GRAPH_RESULT_FORMATS)
        body, rows = serialize_triples(result, fmt, max_rows, prefixes, max_bytes)
        return Outcome(body, rows, "CONSTRUCT")
    except ResultTooManyBytes as exc:
        return too_many_bytes(exc.max_bytes)
    except ResultTooLarge as exc:
        return Outcome(
            error="Unprocessable",
            message=N_(
                "the result has more than %(max)s %(what)s, the most this endpoint returns in one answer; "
                "add LIMIT (with OFFSET to page through it), or download the whole dataset from /data/"
            ),
            params={"max": number(exc.max_rows), "what": exc.what},
        )


def too_many_bytes(max_bytes: int) -> Outcome:
    """The answer over the byte cap, as the error the endpoint gives (422)."""
    return Outcome(
        error="Unprocessable",
        message=N_(
            "the answer is larger than %(bytes)s bytes, the most this endpoint sends for one query; ask for "
            "fewer or shorter values (LIMIT, SUBSTR), or download the whole dataset from /data/"
        ),
        params={"bytes": number(max_bytes)},
    )


def _storage_trouble(exc: Exception) -> bool:
    """An error of the store's files (not of the query): worth reopening the store for."""
    text = str(exc)
    return isinstance(exc, OSError) or "Corruption" in text or "IO error" in text


def _wrong_format(form: str, fmt: str, offers: tuple[str, ...]) -> Outcome:
    return Outcome(error="NotAcceptable", message=N_("a %(form)s result cannot be given as %(format)s; available: %(available)s"),
                   params={"form": form, "format": fmt, "available": ", ".join(offers)})


def number(value: int) -> str:
    """10000 -> '10 000' (Dutch and English readers both read a space as a thousands separator)."""
    return f"{value:,}".replace(",", " ")


def parse_term(text: str) -> Any:
    """An N-Triples term (as made by `str()` of a pyoxigraph term) back into a term."""
    quad = next(iter(ox.parse(f"<urn:s> <urn:p> {text} .".encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)))
    return quad.object


def _leave_network() -> bool:
    """Give this process a network namespace of its own (no interfaces up): best effort, Linux only."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        unshare = libc.unshare
    except (OSError, AttributeError):
        return False
    if unshare(CLONE_NEWNET) == 0:
        return True
    uid, gid = os.getuid(), os.getgid()
    if unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        return False
    # Map our own ids into the new user namespace so files keep their owner.
    try:
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"{uid} {uid} 1")
        _write("/proc/self/gid_map", f"{gid} {gid} 1")
    except OSError:
        pass
    return True


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as handle:
        handle.write(text)
