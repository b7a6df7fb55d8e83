"""Smaller protocol gaps (issue 12, item 4): the CORS preflight allows what browser clients send,
`/sparql/` is the endpoint too, and PUT/DELETE say which methods are allowed."""

from __future__ import annotations

import pytest

ASK = "ASK { ?s ?p ?o }"
CLIENT_HEADERS = ("accept", "content-type", "authorization", "x-requested-with", "cache-control", "user-agent")


@pytest.mark.parametrize("header", CLIENT_HEADERS)
def test_preflight_allows_what_clients_send(client, header):
    preflight = client.options("/sparql", headers={
        "Origin": "https://elders.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": header,
    })
    allowed = [h.strip().lower() for h in preflight.headers["Access-Control-Allow-Headers"].split(",")]
    assert header in allowed


@pytest.mark.parametrize("path", ["/sparql", "/sparql/"])
def test_the_endpoint_answers_with_and_without_a_trailing_slash(client, path):
    response = client.get(path, query_string={"query": ASK}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert response.get_json() == {"head": {}, "boolean": True}
