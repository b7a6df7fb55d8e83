"""Prometheus metrics at `/metrics` (prometheus_client).

What is measured:
- every request, per route group (the area the blueprint belongs to: core, sparql, browse,
  network, submit; or the app-level endpoint such as `static`; `unmatched` when no route matched), never per raw path, so the label set stays small;
- SPARQL queries as they pass `SparqlService.run` (`webapp.sparql.querylog.observe_query`): in
  flight, duration, outcome, and the slow ones (also logged there);
- on scrape (computed, not counted): the worker pool (size, idle, queue depth), the store's size,
  submissions per status and submission events such as approvals (from the submissions database's
  event log, so approvals count across processes and restarts).

`/metrics` answers only clients in METRICS_ALLOW (default: loopback) and never requests that came
through a proxy the app does not trust. With several web processes, set PROMETHEUS_MULTIPROC_DIR
(prometheus_client's multiprocess mode) to sum counters and histograms over them; see docs/operations.md.
"""

from __future__ import annotations

import atexit
import ipaddress
import logging
import os
import threading
import time
from typing import Any, Iterable, Iterator

from flask import Flask, Response, current_app, g, request
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector

from graph.errors import N_, ConfigError, Forbidden
from webapp.sparql.querylog import EXTENSION as QUERY_EXTENSION
from webapp.sparql.querylog import QueryMetrics
from webapp.submit.submissions import EXTENSION as SUBMISSIONS

EXTENSION = "sociale_basis_metrics"
PREFIX = "sociale_basis"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
METHODS = frozenset({"GET", "HEAD", "POST", "OPTIONS"})
STORE_SIZE_TTL = 60.0  # seconds a computed store size is reused (also bounded by the store's version)
FORWARD_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")

log = logging.getLogger(__name__)


class Metrics:
    """The app's metric objects, in a registry of its own (several apps can live in one process)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            f"{PREFIX}_http_requests", "HTTP requests answered, per route group, method and status.",
            ["group", "method", "status"], registry=r)
        self.latency = Histogram(
            f"{PREFIX}_http_request_duration_seconds", "Time to answer a request (until the response is ready), per route group.",
            ["group"], registry=r)
        self.in_progress = Gauge(
            f"{PREFIX}_http_requests_in_progress", "Requests being answered, per route group.",
            ["group"], registry=r, multiprocess_mode="livesum")
        self.too_many = Counter(
            f"{PREFIX}_http_too_many_requests", "Requests refused with 429 (rate or concurrency limits), per route group.",
            ["group"], registry=r)
        self.query = QueryMetrics(r, PREFIX)
        self.live = LiveCollector(app, self)
        r.register(self.live)

    def exposition_registry(self) -> CollectorRegistry:
        """What `/metrics` shows: this app's registry, or in multiprocess mode the sum over all
        processes' files plus this process's live figures."""
        if not os.environ.get(MULTIPROC_ENV):
            return self.registry
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(self.live)
        return registry


class LiveCollector(Collector):
    """Figures computed when scraped: the query pool, the store's size, submissions and approvals."""

    def __init__(self, app: Flask, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics
        self._size: tuple[int, float, int, int] | None = None  # (store version, when, triples, graphs)
        self._lock = threading.Lock()

    def collect(self) -> Iterable[Any]:
        yield from self._pool()
        yield from self._store()
        yield from self._submissions()

    def _pool(self) -> Iterator[Any]:
        from webapp.sparql.service import EXTENSION as SPARQL

        service = self.app.extensions.get(SPARQL)
        # Read only: the pool is started on the first query, and a scrape must not start it.
        pool = getattr(service, "_pool", None) if service is not None else None
        size = pool.size if pool is not None else 0
        idle = pool.ready_workers() if pool is not None else 0
        waiting = pool.waiting() if pool is not None else 0
        yield GaugeMetricFamily(f"{PREFIX}_sparql_workers", "Query worker processes configured (0 until the first query).", size)
        yield GaugeMetricFamily(f"{PREFIX}_sparql_workers_idle", "Query workers idle and ready.", idle)
        yield GaugeMetricFamily(f"{PREFIX}_sparql_queue_depth",
                                "Queries waiting for a free worker in this process (bounded by QUERY_QUEUE).", waiting)

    def _store(self) -> Iterator[Any]:
        from webapp.state import EXTENSION as STORE

        store = self.app.extensions.get(STORE)
        if store is None:
            return
        with self._lock:
            cached = self._size
            if cached is None or cached[0] != store.version or time.monotonic() - cached[1] > STORE_SIZE_TTL:
                try:
                    cached = (store.version, time.monotonic(), store.triple_count(), len(store.graph_names()))
                except Exception as exc:  # a remote store may be away: leave the figure out of this scrape
                    log.warning("store size not available for /metrics: %s", exc)
                    return
                self._size = cached
        yield GaugeMetricFamily(f"{PREFIX}_store_triples", "Distinct triples in the store (the union of its graphs).", cached[2])
        yield GaugeMetricFamily(f"{PREFIX}_store_graphs", "Named graphs in the store.", cached[3])

    def _submissions(self) -> Iterator[Any]:
        subs = self.app.extensions.get(SUBMISSIONS)
        if subs is None:
            return
        statuses = GaugeMetricFamily(f"{PREFIX}_submissions", "Submissions per status.", labels=["status"])
        for status, n in sorted(subs.counts().items()):
            statuses.add_metric([status], n)
        yield statuses
        actions = CounterMetricFamily(f"{PREFIX}_submission_events", "Submission events ever recorded, per action (submitted, "
                                      "edited, approved, updated, rejected, withdrawn, reopened): approvals are action=approved.",
                                      labels=["action"])
        for action, n in sorted(subs.action_counts().items()):
            actions.add_metric([action], n)
        yield actions


# -- requests -----------------------------------------------------------------------------------------
def route_group() -> str:
    """The area of the blueprint (webapp.<area>.<module>), the app-level endpoint (static,
    metrics), or 'unmatched'."""
    if request.url_rule is None or request.endpoint is None:
        return "unmatched"
    blueprint = current_app.blueprints.get(request.blueprint or "")
    if blueprint is None:
        return request.endpoint
    parts = blueprint.import_name.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "webapp" else blueprint.name


def _started() -> None:
    metrics = _metrics()
    if metrics is None:
        return
    g.metrics_started = time.perf_counter()
    g.metrics_group = route_group()
    metrics.in_progress.labels(g.metrics_group).inc()


def _answered(response: Response) -> Response:
    metrics = _metrics()
    if metrics is None:
        return response
    group = g.get("metrics_group") or route_group()
    method = request.method if request.method in METHODS else "other"
    metrics.requests.labels(group, method, str(response.status_code)).inc()
    if response.status_code == 429:
        metrics.too_many.labels(group).inc()
    started = g.get("metrics_started")
    if started is not None:
        metrics.latency.labels(group).observe(time.perf_counter() - started)
    return response


def _finished(_exc: BaseException | None) -> None:
    metrics = _metrics()
    group = g.pop("metrics_group", None)
    if metrics is not None and group is not None:
        metrics.in_progress.labels(group).dec()


def _metrics() -> Metrics | None:
    metrics: Metrics | None = current_app.extensions.get(EXTENSION)
    return metrics


# -- the endpoint ---------------------------------------------------------------------------------------
def allowed_networks(value: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """METRICS_ALLOW: comma-separated addresses or networks ('127.0.0.1, ::1, 10.0.0.0/8'); empty = nobody."""
    networks = []
    for part in value.replace(";", ",").split(","):
        part = part.strip()
        if part:
            networks.append(ipaddress.ip_network(part, strict=False))
    return networks


def may_scrape(app: Flask) -> bool:
    """The client is in METRICS_ALLOW, and the request did not come through an untrusted proxy
    (a proxy on the same host would otherwise make every visitor look like loopback)."""
    if not app.config.get("TRUST_PROXY") and any(h in request.headers for h in FORWARD_HEADERS):
        return False
    try:
        address = ipaddress.ip_address((request.remote_addr or "").split("%")[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in app.extensions[EXTENSION + ":allow"])


def metrics_view() -> Response:
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # werkzeug's LocalProxy is typed as the app
    if not may_scrape(app):
        raise Forbidden(N_("metrics are served only to the addresses in the METRICS_ALLOW setting"))
    metrics: Metrics = app.extensions[EXTENSION]
    encoder, content_type = choose_encoder(request.headers.get("Accept", ""))
    response = Response(encoder(metrics.exposition_registry()), content_type=content_type)
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Register the request hooks and `/metrics` (call before the blueprints are registered)."""
    try:
        app.extensions[EXTENSION + ":allow"] = allowed_networks(str(app.config.get("METRICS_ALLOW", "")))
    except ValueError as exc:

        raise ConfigError(N_("setting METRICS_ALLOW: %(problem)s"), problem=str(exc)) from exc
    metrics = Metrics(app)
    app.extensions[EXTENSION] = metrics
    app.extensions[QUERY_EXTENSION] = metrics.query
    # First of the before-request hooks, so a request refused by a later hook (rate limit, CSRF) is timed too.
    app.before_request_funcs.setdefault(None, []).insert(0, _started)
    app.after_request(_answered)
    app.teardown_request(_finished)
    app.add_url_rule("/metrics", "metrics", metrics_view, methods=["GET"])
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        atexit.register(multiprocess.mark_process_dead, os.getpid())
