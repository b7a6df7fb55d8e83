"""`/metrics` (Prometheus text format): scraped before and after real requests, the numbers move;
only allowed addresses may read it; the slow-query log names the query and a hash of the client."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import quote

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import ROOT
from tests.submissions.test_submit_support import close_app, decide, login, make_app, receipt_id, submit

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o }"
SMALL = "SELECT ?s WHERE { ?s a ?c } LIMIT 3"
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def mapp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """An app of its own (it changes): a short query timeout, a tight criteria-check rate."""
    from webapp.sparql.service import shutdown

    application = make_app(tmp_path_factory.mktemp("metrics") / "data", QUERY_TIMEOUT=1.0, CHECK_RATE="1/60")
    client = application.test_client()
    deadline = time.monotonic() + 120
    # Until the query workers have started, a 1 s timeout can run out while waiting for one.
    while client.get("/sparql?query=" + quote(SMALL), headers=JSON).status_code != 200:
        assert time.monotonic() < deadline, "the query workers did not start"
        time.sleep(0.5)
    yield application
    shutdown(application)
    close_app(application)


def scrape(client: Any) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """{(sample name, sorted labels): value} of one scrape."""
    response = client.get("/metrics")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type.startswith("text/plain")
    assert response.headers["Cache-Control"] == "no-store"
    found = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


def value(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_numbers_move_with_requests(mapp: Any) -> None:
    client = mapp.test_client()
    before = scrape(client)
    assert value(before, "sociale_basis_store_triples") > 0
    assert value(before, "sociale_basis_store_graphs") > 0
    assert client.get("/").status_code == 200
    assert client.get("/bestaat-niet").status_code == 404
    assert client.get("/sparql?query=" + quote(SMALL), headers=JSON).status_code == 200
    # the criteria check is limited to 1 a minute here: the second is refused (rate counted before CSRF)
    assert client.post("/bijdragen", data={"action": "check"}).status_code == 400
    assert client.post("/bijdragen", data={"action": "check"}).status_code == 429
    after = scrape(client)

    def moved(name: str, by: float = 1, **labels: str) -> None:
        assert value(after, name, **labels) - value(before, name, **labels) == by, (name, labels)

    moved("sociale_basis_http_requests_total", group="core", method="GET", status="200")
    moved("sociale_basis_http_requests_total", group="unmatched", method="GET", status="404")
    moved("sociale_basis_http_requests_total", group="sparql", method="GET", status="200")
    moved("sociale_basis_http_requests_total", group="submit", method="POST", status="429")
    moved("sociale_basis_http_requests_total", group="metrics", method="GET", status="200")
    moved("sociale_basis_http_too_many_requests_total", group="submit")
    moved("sociale_basis_http_request_duration_seconds_count", group="core")
    moved("sociale_basis_sparql_queries_total", outcome="ok")
    moved("sociale_basis_sparql_query_duration_seconds_count")
    # the pool started with the first query; nothing is in flight or waiting between requests
    assert value(after, "sociale_basis_sparql_workers") == mapp.config["QUERY_WORKERS"]
    assert value(after, "sociale_basis_sparql_queries_in_flight") == 0
    assert value(after, "sociale_basis_sparql_queue_depth") == 0
    # no raw paths as labels
    assert not any("bestaat-niet" in str(key) for key in after)


def test_query_timeout_is_counted(mapp: Any) -> None:
    client = mapp.test_client()
    before = scrape(client)
    response = client.get("/sparql?query=" + quote(CARTESIAN), headers=JSON)
    assert response.status_code == 503
    after = scrape(client)
    assert value(after, "sociale_basis_sparql_queries_total", outcome="timeout") - value(
        before, "sociale_basis_sparql_queries_total", outcome="timeout") == 1
    assert value(after, "sociale_basis_http_requests_total", group="sparql", method="GET", status="503") - value(
        before, "sociale_basis_http_requests_total", group="sparql", method="GET", status="503") == 1


def test_memory_kill_and_busy_are_told_apart(mapp: Any) -> None:
    """The outcome label follows the pool's error (a memory kill is hard to cause on purpose here)."""
    from graph.sparql.workers import QueryTooBig, WorkersBusy
    from webapp.sparql.querylog import observe_query

    client = mapp.test_client()
    before = scrape(client)
    with mapp.test_request_context("/sparql"):
        for error in (QueryTooBig("too big", retry_after=5), WorkersBusy("busy", retry_after=1)):
            with pytest.raises(type(error)), observe_query("ASK {}", "127.0.0.1"):
                raise error
    after = scrape(client)
    for outcome in ("memory", "busy"):
        assert value(after, "sociale_basis_sparql_queries_total", outcome=outcome) - value(
            before, "sociale_basis_sparql_queries_total", outcome=outcome) == 1


def test_approvals_and_store_size_are_counted(mapp: Any) -> None:
    visitor, editor = mapp.test_client(), mapp.test_client()
    assert login(editor).status_code == 303
    before = scrape(visitor)
    sid = receipt_id(visitor, submit(visitor, title="Buurtkamers in de metriek"))
    assert decide(editor, sid, "approve").status_code == 303
    after = scrape(visitor)
    assert value(after, "sociale_basis_submission_events_total", action="approved") - value(
        before, "sociale_basis_submission_events_total", action="approved") == 1
    assert value(after, "sociale_basis_submission_events_total", action="submitted") - value(
        before, "sociale_basis_submission_events_total", action="submitted") == 1
    approved = value(before, "sociale_basis_submissions", status="approved")
    assert value(after, "sociale_basis_submissions", status="approved") == approved + 1
    assert value(after, "sociale_basis_store_graphs") == value(before, "sociale_basis_store_graphs") + 1
    assert value(after, "sociale_basis_store_triples") > value(before, "sociale_basis_store_triples")


def test_only_allowed_addresses_may_scrape(mapp: Any) -> None:
    client = mapp.test_client()
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    outside = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert outside.status_code == 403
    assert "sociale_basis" not in outside.get_data(as_text=True)
    # through a proxy on the same host that the app does not trust: every visitor would look local
    proxied = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert proxied.status_code == 403


def test_allow_setting(tmp_path: Path) -> None:
    from graph.errors import SocialeBasisError

    application = make_app(tmp_path / "data", METRICS_ALLOW="10.0.0.0/8, 192.0.2.7")
    try:
        client = application.test_client()
        assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
        assert client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 200
        assert client.get("/metrics").status_code == 403  # loopback is no longer in the list
        application.config["TRUST_PROXY"] = True  # a trusted proxy has already put the client in remote_addr
        assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"},
                          headers={"X-Forwarded-For": "10.1.2.3"}).status_code == 200
    finally:
        close_app(application)
    with pytest.raises(SocialeBasisError, match="METRICS_ALLOW"):
        make_app(tmp_path / "other", METRICS_ALLOW="not-an-address")


# -- the slow-query log ---------------------------------------------------------------------------
def test_slow_queries_are_logged(mapp: Any, caplog: pytest.LogCaptureFixture) -> None:
    from webapp.sparql.querylog import SLOW_LOG_CHARS, client_hash

    client = mapp.test_client()
    long_query = 'SELECT ?s WHERE { ?s ?p ?o FILTER(STR(?o) = "' + "x" * 2000 + '") } LIMIT 1'
    caplog.set_level(logging.INFO, logger="sociale_basis.slow_queries")
    mapp.config["SLOW_QUERY_SECONDS"] = 60.0
    try:
        assert client.get("/sparql?query=" + quote(SMALL), headers=JSON).status_code == 200  # faster than the threshold
    finally:
        mapp.config["SLOW_QUERY_SECONDS"] = 2.0
    assert [r for r in caplog.records if r.name == "sociale_basis.slow_queries"] == []

    before = value(scrape(client), "sociale_basis_sparql_slow_queries_total")
    mapp.config["SLOW_QUERY_SECONDS"] = 1e-6
    try:
        response = client.get("/sparql?query=" + quote(long_query), headers=JSON, environ_base={"REMOTE_ADDR": "198.51.100.23"})
        assert response.status_code == 200
    finally:
        mapp.config["SLOW_QUERY_SECONDS"] = 2.0
    records = [r for r in caplog.records if r.name == "sociale_basis.slow_queries"]
    assert len(records) == 1
    message = records[0].getMessage()
    record = vars(records[0])  # the extra fields: duration, outcome, client_hash, query
    assert "198.51.100.23" not in message
    with mapp.app_context():
        assert record["client_hash"] == client_hash("198.51.100.23") != client_hash("198.51.100.24")
    assert record["client_hash"] in message
    assert record["duration"] > 0 and f"{record['duration']:.3f} s" in message
    assert record["outcome"] == "ok"
    assert record["query"].startswith('SELECT ?s WHERE { ?s ?p ?o FILTER(STR(?o) = "xxx')
    assert len(record["query"]) == SLOW_LOG_CHARS + 1 and record["query"].endswith("…")
    assert "\n" not in message
    assert value(scrape(client), "sociale_basis_sparql_slow_queries_total") == before + 1


def test_a_timed_out_query_is_logged_as_slow(mapp: Any, caplog: pytest.LogCaptureFixture) -> None:
    client = mapp.test_client()
    caplog.set_level(logging.INFO, logger="sociale_basis.slow_queries")
    mapp.config["SLOW_QUERY_SECONDS"] = 0.5
    try:
        assert client.get("/sparql?query=" + quote(CARTESIAN), headers=JSON).status_code == 503
    finally:
        mapp.config["SLOW_QUERY_SECONDS"] = 2.0
    records = [r for r in caplog.records if r.name == "sociale_basis.slow_queries"]
    assert [vars(r)["outcome"] for r in records] == ["timeout"]
    assert vars(records[0])["duration"] >= 0.5


# -- several web processes --------------------------------------------------------------------------
PROCESS = r"""
import json, sys
from tests.conftest import ROOT, make_settings
from webapp import create_app
app = create_app(make_settings(sys.argv[1]))
client = app.test_client()
for _ in range(int(sys.argv[2])):
    assert client.get("/").status_code == 200
print(client.get("/metrics").get_data(as_text=True))
"""


def test_multiprocess_mode_sums_over_processes(tmp_path: Path) -> None:
    """With PROMETHEUS_MULTIPROC_DIR set, each web process's /metrics gives the sum over all of them."""
    root = ROOT
    shared = tmp_path / "prometheus"
    shared.mkdir()
    env = dict(os.environ, PROMETHEUS_MULTIPROC_DIR=str(shared), PYTHONPATH=str(root))

    def run(data: str, pages: int) -> float:
        done = subprocess.run([sys.executable, "-c", PROCESS, str(tmp_path / data), str(pages)], cwd=root, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        samples = {}
        for family in text_string_to_metric_families(done.stdout):
            for s in family.samples:
                samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
        assert value(samples, "sociale_basis_store_triples") > 0  # the live figures come along
        return value(samples, "sociale_basis_http_requests_total", group="core", method="GET", status="200")

    assert run("one", 2) == 2
    assert run("two", 3) == 5  # the first process's counts are still in the shared folder
    assert list(shared.glob("counter_*.db"))
