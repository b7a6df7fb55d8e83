"""Public SPARQL queries as they run: in flight, duration and outcome (Prometheus metrics), and
the slow-query log (logger `sociale_basis.slow_queries`).

`SparqlService.run` wraps every query in `observe_query`; the metric objects are made by
`webapp.metrics` (which also shows them) and found in the app's extensions, so this module needs
nothing else of the web app.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from flask import current_app
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from graph.errors import ServiceUnavailable
from graph.sparql.workers import QueryCrashed, QueryTimeout, QueryTooBig, WorkersBusy

EXTENSION = "sociale_basis_query_metrics"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
SLOW_LOG_CHARS = 500

slow_log = logging.getLogger("sociale_basis.slow_queries")


class QueryMetrics:
    """The query metrics of one app (in its registry) and this process's count of queries in flight."""

    def __init__(self, registry: CollectorRegistry, prefix: str) -> None:
        self.queries = Counter(
            f"{prefix}_sparql_queries", "Public SPARQL queries, per outcome (ok, timeout, memory, busy, crashed, failed).",
            ["outcome"], registry=registry)
        self.seconds = Histogram(
            f"{prefix}_sparql_query_duration_seconds", "Time of a public SPARQL query, waiting for a worker included.",
            buckets=BUCKETS, registry=registry)
        self.in_flight_gauge = Gauge(
            f"{prefix}_sparql_queries_in_flight", "Public SPARQL queries waiting for a worker or running.",
            registry=registry, multiprocess_mode="livesum")
        self.slow = Counter(f"{prefix}_sparql_slow_queries", "SPARQL queries slower than SLOW_QUERY_SECONDS.", registry=registry)
        self._in_flight = 0  # kept here too: a multiprocess gauge cannot be read back
        self._lock = threading.Lock()

    def add_in_flight(self, delta: int) -> None:
        with self._lock:
            self._in_flight += delta
        self.in_flight_gauge.inc(delta)

    def in_flight(self) -> int:
        return self._in_flight


def outcome_of(exc: BaseException) -> str:
    """The outcome label for a query that raised `exc`."""
    if isinstance(exc, QueryTimeout):
        return "timeout"
    if isinstance(exc, QueryTooBig):
        return "memory"
    if isinstance(exc, WorkersBusy):
        return "busy"
    if isinstance(exc, (QueryCrashed, ServiceUnavailable)):
        return "crashed"
    return "failed"


@contextmanager
def observe_query(query: str, client: str) -> Iterator[None]:
    """Around one public SPARQL query: in flight, duration, outcome, and the slow-query log."""
    metrics: QueryMetrics | None = current_app.extensions.get(EXTENSION)
    if metrics is not None:
        metrics.add_in_flight(1)
    outcome = "ok"
    started = time.perf_counter()
    try:
        yield
    except BaseException as exc:
        outcome = outcome_of(exc)
        raise
    finally:
        seconds = time.perf_counter() - started
        if metrics is not None:
            metrics.add_in_flight(-1)
            metrics.queries.labels(outcome).inc()
            metrics.seconds.observe(seconds)
        threshold = float(current_app.config.get("SLOW_QUERY_SECONDS") or 0)
        if threshold > 0 and seconds >= threshold:
            if metrics is not None:
                metrics.slow.inc()
            log_slow_query(query, seconds, client, outcome)


def log_slow_query(query: str, seconds: float, client: str, outcome: str) -> None:
    """One line per slow query: duration, outcome, client hash and the query (whitespace folded, cut short)."""
    text = re.sub(r"\s+", " ", query).strip()
    if len(text) > SLOW_LOG_CHARS:
        text = text[:SLOW_LOG_CHARS] + "…"
    who = client_hash(client)
    slow_log.warning(
        "slow SPARQL query: %.3f s, outcome %s, client %s: %s", seconds, outcome, who, text,
        extra={"duration": seconds, "outcome": outcome, "client_hash": who, "query": text},
    )


def client_hash(client: str) -> str:
    """A keyed hash of the client address: the same client gives the same hash, but the address
    cannot be recovered by hashing all IPv4 addresses (the key is the app's SECRET_KEY)."""
    key = str(current_app.config.get("SECRET_KEY") or "").encode("utf-8")
    return hmac.new(key, client.encode("utf-8"), hashlib.sha256).hexdigest()[:16]
