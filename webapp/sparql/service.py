"""The app's SPARQL service: the worker pool, the per-client limit and per-version caches.

One `SparqlService` per app, created on first use (apps that never answer a query start no worker
processes). Views call `get_service()`; `shutdown(app)` stops the workers (tests; atexit otherwise).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any, Callable, TypeVar, cast

from flask import Flask, current_app, request

from graph import errors as domain
from graph.caching import SharedLRU
from graph.errors import N_, BadRequest, ServiceUnavailable, SocialeBasisError
from graph.namespaces import PREFIXES
from graph.sparql.admission import QueryBudget
from graph.sparql.execute import Job, Outcome
from graph.sparql.guard import CheckedQuery, check_query
from graph.sparql.remote import run_remote
from graph.sparql.void import DumpCache
from graph.sparql.workers import ClientLimiter, QueryPool
from graph.store.build import read_build_info
from graph.store.graphstore import GraphStore, OxigraphStore
from graph.store.remote import RemoteSparqlStore, uses_graph
from webapp.sparql.querylog import observe_query

EXTENSION = "sociale_basis_sparql"
T = TypeVar("T")


CACHE_ENTRIES = 64  # keys can carry the request's host: keep the cache bounded


class SparqlService:
    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.timeout = float(config["QUERY_TIMEOUT"])
        self.max_rows = int(config["MAX_RESULT_ROWS"])
        self.limiter = ClientLimiter(int(config["MAX_QUERIES_PER_CLIENT"]))
        self.budget = QueryBudget(float(config["QUERY_SECONDS_PER_MINUTE"]))
        self.queue_wait = float(config["QUERY_QUEUE_WAIT"])
        self.max_bytes = int(config["MAX_RESULT_BYTES"])
        self._pool: QueryPool | None = None
        self._lock = threading.Lock()
        self._cache: SharedLRU[str, tuple[int, Any]] = SharedLRU(CACHE_ENTRIES)
        self.dumps = DumpCache()

    # -- the pool -----------------------------------------------------------------------------
    def pool(self) -> QueryPool:
        with self._lock:
            if self._pool is None:
                self._pool = QueryPool(
                    int(self.config["QUERY_WORKERS"]),
                    isolate_network=bool(self.config.get("QUERY_WORKER_NO_NETWORK", True)),
                    memory_mb=int(self.config.get("QUERY_MEMORY_MB", 0)),
                    max_waiting=int(self.config["QUERY_QUEUE"]),
                )
            return self._pool

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    # -- caches per store version -----------------------------------------------------------------
    def cached(self, key: str, store: GraphStore, make: Callable[[], T]) -> T:
        """`make()` once per store version (the store's version grows with every change)."""
        version = store.version
        hit = self._cache.get(key)
        if hit is not None and hit[0] == version:
            return cast(T, hit[1])
        value = make()
        self._cache.put(key, (version, value))
        return value

    def graph_names(self, store: GraphStore) -> frozenset[str]:
        return self.cached("graph-names", store, lambda: frozenset(str(g) for g in store.graph_names()))

    # -- checking and running -------------------------------------------------------------------
    def check(self, text: str, store: GraphStore) -> CheckedQuery:
        return check_query(
            text,
            allowed_graphs=lambda: self.graph_names(store),
            max_length=int(self.config["MAX_QUERY_LENGTH"]),
            max_nesting=int(self.config["MAX_QUERY_NESTING"]),
        )

    def check_graphs(self, iris: list[str], store: GraphStore, parameter: str) -> None:
        allowed = self.graph_names(store)
        for iri in iris:
            if iri not in allowed:
                raise BadRequest(
                    N_("%(clause)s <%(iri)s>: only this dataset's own graphs can be used (their names are listed at "
                       "/data/); the endpoint does not fetch data from elsewhere"),
                    clause=parameter, iri=iri,
                )

    def run(
        self,
        store: GraphStore,
        query: str,
        fmt: str,
        *,
        default_graphs: tuple[str, ...] | None = None,
        named_graphs: tuple[str, ...] | None = None,
        substitutions: tuple[tuple[str, str], ...] = (),
        client: str | None = None,
    ) -> Outcome:
        """Run a checked query within the limits; errors raise SocialeBasisError subclasses."""
        client = client or _client()
        self.budget.check(client)
        started = time.monotonic()
        try:
            return self._run(store, query, fmt, default_graphs=default_graphs, named_graphs=named_graphs,
                             substitutions=substitutions, client=client)
        finally:
            self.budget.spend(client, time.monotonic() - started)

    def _run(
        self,
        store: GraphStore,
        query: str,
        fmt: str,
        *,
        default_graphs: tuple[str, ...] | None,
        named_graphs: tuple[str, ...] | None,
        substitutions: tuple[tuple[str, str], ...],
        client: str,
    ) -> Outcome:
        with self.limiter.slot(client), observe_query(query, client):
            if isinstance(store, RemoteSparqlStore):
                if default_graphs and not named_graphs and frozenset(default_graphs) >= self.graph_names(store):
                    # FROM every graph is the union: the server's default graph holds it as a set,
                    # where servers match several FROM graphs as a bag (oxigraph#1919).
                    query, default_graphs, named_graphs = self.check(query, store).without_dataset(), None, None
                if default_graphs is None and named_graphs is None and store.union_graph is not None:
                    names = sorted(self.graph_names(store)) if uses_graph(query) else []
                    default_graphs, named_graphs = (str(store.union_graph),), tuple(names)
                outcome = run_remote(
                    self.config["SPARQL_QUERY_URL"], query, fmt, default_graphs=default_graphs, named_graphs=named_graphs,
                    timeout=self.timeout, max_rows=self.max_rows, max_bytes=self.max_bytes,
                )
                if not outcome.ok:
                    raise _error(outcome)
                return outcome
            job = Job(
                query=query,
                fmt=fmt,
                store_dir=str(_store_dir(store)),
                version=store.version,
                max_rows=self.max_rows,
                max_bytes=self.max_bytes,
                default_graphs=default_graphs,
                named_graphs=named_graphs,
                substitutions=substitutions,
                prefixes=dict(PREFIXES),
            )
            outcome = self.pool().run(job, timeout=self.timeout, wait=self.queue_wait)
        if not outcome.ok:
            raise _error(outcome)
        return outcome


def _store_dir(store: GraphStore) -> Path:
    if isinstance(store, OxigraphStore) and store.path is not None:
        return store.path
    info = read_build_info(Path(current_app.config["DATA_DIR"]))
    if info is None:
        raise ServiceUnavailable(N_("the store is not built yet; try again shortly"), retry_after=10)
    return Path(current_app.config["DATA_DIR"]) / info.store_dir


def _error(outcome: Outcome) -> SocialeBasisError:
    """The domain error a worker named, with its message id and parameters."""
    kind = getattr(domain, outcome.error, SocialeBasisError)
    if not (isinstance(kind, type) and issubclass(kind, SocialeBasisError)):
        kind = SocialeBasisError
    retry = 5 if issubclass(kind, ServiceUnavailable) else None
    return kind(outcome.message, retry_after=retry, **outcome.params)


def _client() -> str:
    return request.remote_addr or "unknown"


def get_service() -> SparqlService:
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # werkzeug's LocalProxy is typed as the app
    service = app.extensions.get(EXTENSION)
    if service is None:
        with _CREATE_LOCK:
            service = app.extensions.get(EXTENSION)
            if service is None:
                service = SparqlService(dict(app.config))
                app.extensions[EXTENSION] = service
    return service


def shutdown(app: Flask) -> None:
    """Stop the app's query workers (if any were started)."""
    service = app.extensions.pop(EXTENSION, None)
    if service is not None:
        service.close()


_CREATE_LOCK = threading.Lock()
