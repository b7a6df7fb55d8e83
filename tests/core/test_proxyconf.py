"""The reverse proxy `sociale-basis proxy-config` writes, run as a real nginx in front of a real
waitress server on the fixture data: it serves a successful GET SPARQL answer again (same bytes,
per Accept), refetches it once SPARQL_CACHE_SECONDS have passed, and never keeps errors, POSTed
queries, or anything when the app marks nothing cacheable."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.conftest import ROOT, LiveServer, make_settings
from tests.servers import Server, start_nginx

SELECT = "SELECT ?s WHERE { ?s a ?type } ORDER BY ?s LIMIT 3"
JSON = "application/sparql-results+json"
MAX_AGE = 2


def _app(data_dir: Path, **extra: Any) -> Any:
    from webapp import create_app

    app = create_app(make_settings(data_dir, **extra))
    app.testing = True
    return app


@pytest.fixture(scope="module")
def proxied(tmp_path_factory) -> Iterator[tuple[Server, Any]]:
    app = _app(tmp_path_factory.mktemp("proxied-data"), SPARQL_CACHE_SECONDS=MAX_AGE)
    with LiveServer(app) as live:
        nginx = start_nginx(tmp_path_factory.mktemp("nginx"), [f"127.0.0.1:{live.port}"])
        try:
            yield nginx, app
        finally:
            nginx.stop()
    from webapp.state import get_store

    with app.app_context():
        get_store().close()


def fetch(port: int, query: str, accept: str = JSON, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    url = f"http://127.0.0.1:{port}/sparql"
    data = None
    if method == "GET":
        url += "?" + urllib.parse.urlencode({"query": query})
    else:
        data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_a_repeated_get_query_is_served_from_the_cache_with_the_same_bytes(proxied):
    nginx, _app = proxied
    query = SELECT + " # repeated"
    status, headers, first = fetch(nginx.port, query)
    assert status == 200 and headers["X-Cache-Status"] == "MISS"
    assert headers["Cache-Control"] == f"public, max-age={MAX_AGE}" and "Accept" in headers["Vary"]
    status, headers, again = fetch(nginx.port, query)
    assert status == 200 and headers["X-Cache-Status"] == "HIT" and again == first
    csv_status, csv_headers, csv = fetch(nginx.port, query, accept="text/csv")
    assert csv_status == 200 and csv_headers["Content-Type"].startswith("text/csv") and csv.startswith(b"s\r\n")
    time.sleep(MAX_AGE + 1.5)  # nginx counts in whole seconds: an entry stays valid through second T + max-age
    status, headers, later = fetch(nginx.port, query)
    assert status == 200 and headers["X-Cache-Status"] == "EXPIRED" and later == first


def test_errors_and_posted_queries_always_reach_the_app(proxied):
    nginx, _app = proxied
    for _ in range(2):
        status, headers, body = fetch(nginx.port, "SELECT ?s WHERE { ?s ?p }")
        assert status == 400 and headers.get("X-Cache-Status") != "HIT"
        assert b"syntax" in body.lower() and b"1:26" in body
    for _ in range(2):
        status, headers, body = fetch(nginx.port, SELECT + " # posted", method="POST")
        assert status == 200 and headers.get("X-Cache-Status") != "HIT" and "max-age" not in headers.get("Cache-Control", "")


def test_nothing_is_kept_when_the_app_marks_nothing_cacheable(tmp_path):
    app = _app(tmp_path / "data")  # SPARQL_CACHE_SECONDS defaults to 0
    try:
        with LiveServer(app) as live:
            nginx = start_nginx(tmp_path / "nginx", [f"127.0.0.1:{live.port}"])
            try:
                statuses = [fetch(nginx.port, SELECT)[1].get("X-Cache-Status") for _ in range(3)]
                assert statuses == ["MISS", "MISS", "MISS"]
                assert "Cache-Control" not in fetch(live.port, SELECT)[1]
            finally:
                nginx.stop()
    finally:
        from webapp.state import get_store

        with app.app_context():
            get_store().close()


def test_the_command_writes_the_configuration_and_refuses_a_bad_call(tmp_path):
    folder = tmp_path / "proxy"
    done = subprocess.run([sys.executable, "-m", "webapp.cli", "proxy-config", str(folder), "--listen", "127.0.0.1:9999",
                           "--upstream", "127.0.0.1:8001", "--upstream", "127.0.0.1:8002"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    text = (folder / "nginx.conf").read_text(encoding="utf-8")
    assert "listen 127.0.0.1:9999;" in text and "server 127.0.0.1:8001;" in text and "server 127.0.0.1:8002;" in text
    assert f"proxy_cache_path {folder.resolve()}/cache" in text and "SPARQL_CACHE_SECONDS is 0" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "webapp.cli", "proxy-config"], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert bad.returncode == 2 and "FOLDER" in bad.stderr and "Traceback" not in bad.stderr
