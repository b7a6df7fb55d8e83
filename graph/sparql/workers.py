"""A small pool of query worker processes, each stoppable at its deadline, and a per-client limit.

The web process hands a `Job` to an idle worker over a pipe and waits (without holding the GIL)
for the answer. At the deadline the worker is killed and replaced in the background, and the caller
gets `QueryTimeout` (503 with Retry-After); the same happens when the worker's resident memory
outgrows the limit (`QueryTooBig`). Other requests are served meanwhile by the web server's other
threads. Workers are started with the 'spawn' method: forking a process that has RocksDB open
is unsafe. A worker that dies while running a query (the engine's stack on a pathological query)
is replaced too, and the caller gets a 400 that says the query could not be run.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

from graph.errors import N_, BadRequest, ServiceUnavailable, TooManyRequests
from graph.sparql.execute import Job, Outcome, number, worker_main

log = logging.getLogger(__name__)

START_TIMEOUT = 60.0
RESTART_DELAY = 2.0
WATCH_INTERVAL = 0.05  # seconds between memory checks of a running query
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class QueryTimeout(ServiceUnavailable):
    """The query ran into the time limit and was stopped (503 + Retry-After)."""


class WorkersBusy(ServiceUnavailable):
    """No worker became free in time (503 + Retry-After)."""


class QueryTooBig(ServiceUnavailable):
    """The query outgrew the memory limit and was stopped (503 + Retry-After)."""


class QueryCrashed(BadRequest):
    """The engine could not run the query (the worker process died running it)."""


def resident_bytes(pid: int) -> int:
    """Resident memory of a process (Linux /proc; 0 where that is not available)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


@dataclass
class _Worker:
    process: Any
    conn: Any
    isolated: bool


class QueryPool:
    """`size` worker processes; `run(job, timeout)` runs one job on one of them."""

    def __init__(self, size: int, *, isolate_network: bool = True, memory_mb: int = 0, max_waiting: int = 8) -> None:
        self.size = max(1, size)
        self.max_waiting = max(0, max_waiting)
        self._waiting = 0  # callers waiting for a worker
        self._busy = 0  # workers running a query
        self.isolate_network = isolate_network
        self.memory_bytes = max(0, memory_mb) * 1024 * 1024
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[int] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.network_isolated: bool | None = None  # known once a worker has started
        for _ in range(self.size):
            self._start_later()
        atexit.register(self.close)

    # -- running ------------------------------------------------------------------------------
    def run(self, job: Job, *, timeout: float, wait: float | None = None) -> Outcome:
        """Run `job`; QueryTimeout `timeout` s after the call (waiting for a free worker included),
        WorkersBusy if no worker is free within `wait` s, or at once when `max_waiting` queries
        already wait: a full queue answers fast instead of holding another web thread."""
        deadline = time.monotonic() + timeout
        with self._lock:
            # Only while every worker is running a query is the wait short; a worker that is still
            # starting (or being replaced) is worth waiting for.
            all_busy = self._busy >= self.size
            if self._idle.empty() and all_busy and self._waiting >= self.max_waiting:
                raise WorkersBusy(
                    N_("the query queue is full (%(n)s queries are waiting for a worker); try again in a moment"),
                    n=self._waiting, retry_after=2,
                )
            self._waiting += 1
        try:
            worker = self._acquire(min(wait, timeout) if wait is not None and all_busy else timeout)
        finally:
            with self._lock:
                self._waiting -= 1
        with self._lock:
            self._busy += 1
        try:
            try:
                worker.conn.send(job)
                self._wait(worker, max(0.0, deadline - time.monotonic()), limit=timeout)
                outcome: Outcome = worker.conn.recv()
            except (EOFError, OSError) as exc:
                self._discard(worker, kill=True)
                raise self._crashed(worker) from exc
            if self._closed:
                self._stop(worker)
            else:
                self._idle.put(worker)
            return outcome
        finally:
            with self._lock:
                self._busy -= 1

    def _wait(self, worker: _Worker, timeout: float, limit: float | None = None) -> None:
        """Until the worker answers; kill it at the deadline or when it outgrows the memory limit."""
        deadline = time.monotonic() + timeout
        timeout = timeout if limit is None else limit
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._discard(worker, kill=True)
                raise QueryTimeout(
                    N_("the query took longer than %(seconds)s s and was stopped; make it more specific "
                       "(fewer unbound patterns, a LIMIT) or try again later"),
                    seconds=f"{timeout:g}",
                    retry_after=max(1, int(timeout)),
                )
            if worker.conn.poll(min(remaining, WATCH_INTERVAL) if self.memory_bytes else remaining):
                return
            if self.memory_bytes and resident_bytes(worker.process.pid) > self.memory_bytes:
                self._discard(worker, kill=True)
                raise QueryTooBig(
                    N_("the query needed more than %(mb)s MB of memory and was stopped; make it more specific "
                       "(fewer unbound patterns, less sorting or grouping)"),
                    mb=self.memory_bytes // (1024 * 1024),
                    retry_after=5,
                )

    def _acquire(self, wait: float) -> _Worker:
        deadline = time.monotonic() + wait
        while True:
            if self._closed:
                raise ServiceUnavailable(N_("the query service is shutting down"), retry_after=5)
            remaining = deadline - time.monotonic()
            try:
                worker = self._idle.get(timeout=max(0.0, remaining))
            except queue.Empty:
                raise WorkersBusy(
                    N_("all query workers are busy; try again in a moment"), retry_after=max(1, int(wait))
                ) from None
            if worker.process.is_alive():
                return worker
            self._discard(worker, kill=False)

    def _crashed(self, worker: _Worker) -> Exception:
        worker.process.join(1.0)
        code = worker.process.exitcode
        log.warning("query worker %s ended with exit code %s while running a query", worker.process.pid, code)
        if code is not None and code < 0 and -code in (signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS, signal.SIGILL):
            return QueryCrashed(
                "the query engine could not run this query (it is probably nested too deeply or too "
                "complex); simplify it"
            )
        return ServiceUnavailable(
            "the query engine stopped while running this query (it may have needed too much memory); "
            "simplify it or try again later",
            retry_after=5,
        )

    # -- workers ------------------------------------------------------------------------------
    def _start_later(self, delay: float = 0.0) -> None:
        threading.Thread(target=self._start_one, args=(delay,), name="sparql-worker-start", daemon=True).start()

    def _start_one(self, delay: float) -> None:
        if delay:
            time.sleep(delay)
        if self._closed:
            return
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=worker_main, args=(child, self.isolate_network), name="sparql-worker", daemon=True
        )
        try:
            process.start()
        except OSError as exc:
            log.error("cannot start a query worker: %s", exc)
            self._start_later(RESTART_DELAY)
            return
        child.close()
        try:
            ready = parent.recv() if parent.poll(START_TIMEOUT) else None
        except (EOFError, OSError):
            ready = None
        if not ready or ready[0] != "ready":
            if self._closed:
                return
            log.error("a query worker did not start (exit code %s); retrying", process.exitcode)
            process.kill()
            process.join(1.0)
            self._start_later(RESTART_DELAY)
            return
        isolated = bool(ready[2])
        if self.isolate_network and not isolated and self.network_isolated is None:
            log.info("query workers run without a network namespace of their own (not permitted here)")
        self.network_isolated = isolated
        worker = _Worker(process, parent, isolated)
        with self._lock:
            if self._closed:
                self._stop(worker)
                return
            if process.pid is not None:  # always set once started
                self._workers.add(process.pid)
        self._idle.put(worker)

    def _discard(self, worker: _Worker, *, kill: bool) -> None:
        if kill and worker.process.is_alive():
            worker.process.kill()
        worker.process.join(2.0)
        worker.conn.close()
        with self._lock:
            self._workers.discard(worker.process.pid)
            closed = self._closed
        if not closed:
            self._start_later()

    @staticmethod
    def _stop(worker: _Worker) -> None:
        try:
            worker.conn.send(None)
        except (OSError, ValueError):
            pass
        worker.process.join(0.5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(1.0)
        worker.conn.close()

    def ready_workers(self) -> int:
        return self._idle.qsize()

    def waiting(self) -> int:
        """Queries waiting for a free worker now (the queue depth)."""
        return self._waiting

    def close(self) -> None:
        """Stop all workers (idle ones politely; busy ones are killed when their run ends)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            self._stop(worker)


class ClientLimiter:
    """At most `limit` concurrent queries per client address (429 beyond, with Retry-After)."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self._running: dict[str, int] = {}
        self._lock = threading.Lock()

    @contextmanager
    def slot(self, client: str) -> Iterator[None]:
        with self._lock:
            if self._running.get(client, 0) >= self.limit:
                raise TooManyRequests(
                    N_("you already have the most queries running that one client may run at once (%(n)s); wait for them to finish"),
                    n=number(self.limit),
                    retry_after=1,
                )
            self._running[client] = self._running.get(client, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                left = self._running[client] - 1
                if left:
                    self._running[client] = left
                else:
                    del self._running[client]
