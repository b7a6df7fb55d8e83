"""The endpoint's guardrails against a real server on 127.0.0.1: no outbound requests, a hard time
limit that leaves the rest of the site answering, read-only, bounded nesting, per-client limits,
recovery from a dead worker, and workers that follow changes of the store."""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Iterator

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from tests.conftest import LiveServer
from tests.sparql.test_sparql_guard import service_tricks
from tests.sparql.test_sparql_support import Listener, own_app

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o }"
pytestmark = pytest.mark.slow


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def http(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None,
         timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def query_url(base: str, query: str, **params: str) -> str:
    return base + "/sparql?" + urllib.parse.urlencode({"query": query, **params})


def form(query: str, **params: Any) -> bytes:
    return urllib.parse.urlencode({"query": query, **params}, doseq=True).encode()


FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}


def test_listener_counts_requests(listener: Listener) -> None:
    """The control: a request that does happen is seen."""
    assert http(listener.url + "probe")[0] == 200
    assert listener.hits == ["GET /probe"]


def test_service_and_from_make_no_requests(live_server: LiveServer, listener: Listener) -> None:
    queries = service_tricks(listener.url) + [
        f"SELECT * FROM <{listener.url}data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{listener.url}data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} FROM <{listener.url}> WHERE {{ ?s ?p ?o }}",
        f"ASK FROM <{listener.url}> {{ ?s ?p ?o }}",
        f"DESCRIBE <{listener.url}x> FROM <{listener.url}>",
    ]
    for query in queries:
        status, _headers, body = http(query_url(live_server.url, query), headers={"Accept": "application/json"})
        assert status == 400, (query, body)
        status, _headers, body = http(live_server.url + "/sparql", data=form(query), headers=FORM)
        assert status == 400, (query, body)
        status, _headers, body = http(
            live_server.url + "/sparql", data=query.encode(), headers={"Content-Type": "application/sparql-query"}
        )
        assert status == 400, (query, body)
    for parameter in ("default-graph-uri", "named-graph-uri"):
        status, _h, _b = http(query_url(live_server.url, "ASK { ?s ?p ?o }", **{parameter: listener.url}))
        assert status == 400
    time.sleep(0.5)
    assert listener.hits == []


def test_updates_leave_the_store_unchanged(live_server: LiveServer, listener: Listener, store) -> None:
    before = hashlib.sha256(store.serialize("nquads")).hexdigest(), store.triple_count(), store.version
    update = "INSERT DATA { GRAPH <https://w3id.org/sociale-basis/id/bron/toets-a> { <urn:x> <urn:y> <urn:z> } }"
    attempts = [
        (query_url(live_server.url, "ASK {}", update=update), None, {}),
        (live_server.url + "/sparql?" + urllib.parse.urlencode({"update": update}), None, {}),
        (live_server.url + "/sparql", urllib.parse.urlencode({"update": update}).encode(), FORM),
        (live_server.url + "/sparql", update.encode(), {"Content-Type": "application/sparql-update"}),
    ]
    for text in (
        update,
        "DELETE WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        f"LOAD <{listener.url}data.ttl>",
        f"LOAD <{listener.url}data.ttl> INTO GRAPH <https://w3id.org/sociale-basis/id/bron/toets-a>",
        "CLEAR ALL",
        "DROP ALL",
        "DROP GRAPH <https://w3id.org/sociale-basis/id/bron/toets-a>",
        "CREATE GRAPH <urn:new>",
        "ADD <https://w3id.org/sociale-basis/id/bron/toets-a> TO <urn:new>",
        "MOVE <https://w3id.org/sociale-basis/id/bron/toets-a> TO <urn:new>",
        "COPY <https://w3id.org/sociale-basis/id/bron/toets-a> TO <urn:new>",
        "SELECT * WHERE { ?s ?p ?o } ; CLEAR ALL",
    ):
        attempts.append((query_url(live_server.url, text), None, {}))
        attempts.append((live_server.url + "/sparql", form(text), FORM))
        attempts.append((live_server.url + "/sparql", text.encode(), {"Content-Type": "application/sparql-query"}))
    for url, data, headers in attempts:
        status, _h, body = http(url, data=data, headers=headers)
        assert 400 <= status < 500, (url, data, body)
    after = hashlib.sha256(store.serialize("nquads")).hexdigest(), store.triple_count(), store.version
    assert after == before
    assert listener.hits == []


def test_pathological_query_stops_at_the_timeout_while_the_site_answers(tmp_path) -> None:
    with own_app(tmp_path, QUERY_TIMEOUT=2) as app, LiveServer(app) as server:
        assert http(query_url(server.url, "ASK { ?s ?p ?o }"))[0] == 200  # workers are up
        outcome: dict[str, Any] = {}

        def slow() -> None:
            started = time.monotonic()
            outcome["response"] = http(server.url + "/sparql", data=form(CARTESIAN), headers=FORM)
            outcome["seconds"] = time.monotonic() - started

        thread = threading.Thread(target=slow)
        thread.start()
        time.sleep(0.3)
        health_times = []
        while thread.is_alive() and len(health_times) < 20:
            started = time.monotonic()
            status, _h, _b = http(server.url + "/health", timeout=5)
            health_times.append(time.monotonic() - started)
            assert status == 200
            time.sleep(0.1)
        thread.join(30)
        assert health_times and max(health_times) < 1.0, health_times
        status, headers, body = outcome["response"]
        assert status == 503, body
        assert int(headers["Retry-After"]) >= 1
        assert b"longer than 2 s" in body
        assert 1.9 <= outcome["seconds"] < 10, outcome["seconds"]
        # the killed worker is replaced: the endpoint answers again
        assert http(query_url(server.url, "ASK { ?s ?p ?o }"))[0] == 200


def test_per_client_limit(tmp_path) -> None:
    with own_app(tmp_path, QUERY_TIMEOUT=3, MAX_QUERIES_PER_CLIENT=1, QUERY_WORKERS=2) as app, LiveServer(app) as server:
        assert http(query_url(server.url, "ASK { ?s ?p ?o }"))[0] == 200
        thread = threading.Thread(target=http, args=(server.url + "/sparql",), kwargs={"data": form(CARTESIAN), "headers": FORM})
        thread.start()
        time.sleep(0.5)
        status, headers, body = http(query_url(server.url, "ASK { ?s ?p ?o }"), headers={"Accept": "application/json"})
        assert status == 429, body
        assert headers["Retry-After"] == "1"
        thread.join(30)
        assert http(query_url(server.url, "ASK { ?s ?p ?o }"))[0] == 200


def test_nested_queries_answer_400_never_500(live_server: LiveServer) -> None:
    deep = "SELECT * WHERE " + "{" * 4000 + "}" * 4000
    not_chain = "SELECT * WHERE { FILTER(" + "!" * 19000 + "true) }"
    plus_chain = "SELECT * WHERE { FILTER(1" + "+1" * 9000 + ") }"
    calls = "SELECT * WHERE { BIND(" + "CONCAT(" * 900 + '"x"' + ")" * 900 + " AS ?x) }"
    for query in (deep, not_chain, plus_chain, calls):
        status, _h, body = http(live_server.url + "/sparql", data=form(query), headers=FORM)
        assert status == 400, body[:200]
    fine = "SELECT * WHERE { BIND(" + "CONCAT(" * 20 + '"x"' + ")" * 20 + " AS ?x) }"
    assert http(live_server.url + "/sparql", data=form(fine), headers=FORM)[0] == 200


def test_a_dead_worker_answers_400_and_is_replaced(tmp_path) -> None:
    from webapp.sparql.service import get_service

    with own_app(tmp_path, QUERY_TIMEOUT=20) as app, LiveServer(app) as server:
        assert http(query_url(server.url, "ASK { ?s ?p ?o }"))[0] == 200
        with app.app_context():
            pool = get_service().pool()
        outcome: dict[str, Any] = {}
        thread = threading.Thread(target=lambda: outcome.update(r=http(server.url + "/sparql", data=form(CARTESIAN), headers=FORM)))
        thread.start()
        time.sleep(0.5)
        for pid in list(pool._workers):  # noqa: SLF001 - the test plays the crash
            os.kill(pid, signal.SIGSEGV)
        thread.join(30)
        status, _h, body = outcome["r"]
        assert status == 400, body
        assert b"could not run this query" in body
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            status, _h, _b = http(query_url(server.url, "ASK { ?s ?p ?o }"))
            if status == 200:
                break
            time.sleep(0.2)
        assert status == 200


def test_workers_have_no_network_even_past_the_checks(tmp_path, listener: Listener) -> None:
    """Defence in depth: a SERVICE that got past the checks still reaches nothing (where permitted)."""
    from graph.sparql.execute import Job
    from webapp.sparql.service import _store_dir, get_service
    from webapp.state import get_store

    with own_app(tmp_path) as app, app.test_request_context():
        service = get_service()
        store = get_store()
        job = Job(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}", "sparql-json",
                  str(_store_dir(store)), store.version, 100)
        outcome = service.pool().run(job, timeout=10)
        if not service.pool().network_isolated:
            pytest.skip("this system does not permit network namespaces for the workers")
        assert not outcome.ok and outcome.error
        assert listener.hits == []


def test_workers_follow_changes_of_the_store(fresh_app) -> None:
    from webapp.sparql.service import shutdown
    from webapp.state import get_store

    client = fresh_app.test_client()
    thing = URIRef("https://w3id.org/sociale-basis/id/initiatief/nieuw-initiatief")
    graph = URIRef("https://w3id.org/sociale-basis/id/bron/nieuwe-bron")
    query = f"SELECT ?l WHERE {{ <{thing}> rdfs:label ?l }}"
    try:
        assert client.get("/sparql", query_string={"query": query}).get_json()["results"]["bindings"] == []
        with fresh_app.app_context():
            store = get_store()
            for n in range(12):
                store.replace_graph(graph, [(thing, RDFS.label, Literal(f"Nieuw {n}", lang="nl"))])
                response = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/json"})
                assert response.status_code == 200, response.data
                rows = response.get_json()["results"]["bindings"]
                assert [r["l"]["value"] for r in rows] == [f"Nieuw {n}"]
            # the new graph is one of ours now: FROM may name it
            from_query = f"SELECT ?l FROM <{graph}> WHERE {{ ?s rdfs:label ?l }}"
            assert client.get("/sparql", query_string={"query": from_query}).status_code == 200
            store.drop_graph(graph)
            assert client.get("/sparql", query_string={"query": query}).get_json()["results"]["bindings"] == []
    finally:
        shutdown(fresh_app)


def test_remote_store_is_a_checked_pass_through(tmp_path, live_server: LiveServer, listener: Listener, store) -> None:
    """STORE=sparql: queries go to the configured server, after the same checks."""
    with own_app(tmp_path, STORE="sparql", SPARQL_QUERY_URL=live_server.url + "/sparql") as app:
        client = app.test_client()
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        response = client.get("/sparql", query_string={"query": query})
        assert response.status_code == 200
        assert int(response.get_json()["results"]["bindings"][0]["n"]["value"]) == store.triple_count()
        graph = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s a sb:Agreement }"}, headers={"Accept": "text/turtle"})
        assert graph.status_code == 200 and b"prog:alfa" in graph.data
        refused = client.get("/sparql", query_string={"query": f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ }} }}"})
        assert refused.status_code == 400
        broken = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"}, headers={"Accept": "application/json"})
        assert broken.status_code == 400 and "syntax" in broken.get_json()["error"]
        assert client.get("/queries/programmas-per-pijler.json").status_code == 200
    assert listener.hits == []


def test_a_query_that_outgrows_the_memory_limit_is_stopped(tmp_path) -> None:
    hog = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?a ?b ?c ?d ?e ?f ?g WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } }"
    with own_app(tmp_path, QUERY_MEMORY_MB=300, QUERY_TIMEOUT=60) as app:
        client = app.test_client()
        response = client.get("/sparql", query_string={"query": hog}, headers={"Accept": "application/json"})
        assert response.status_code == 503
        assert "300 MB" in response.get_json()["error"]
        assert response.headers["Retry-After"]
        assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 200
