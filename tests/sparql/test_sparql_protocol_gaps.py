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


def test_put_and_delete_answer_405_with_allow(client):
    for method in (client.put, client.delete, client.patch):
        response = method("/sparql", headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 405
        allowed = {m.strip() for m in response.headers["Allow"].split(",")}
        assert {"GET", "POST"} <= allowed and "PUT" not in allowed
        assert response.get_json()["status"] == 405


def test_errors_come_in_the_format_the_client_asked_for(client):
    json_client = client.get("/sparql", query_string={"query": "SELECT * WHERE {"}, headers={"Accept": "application/sparql-results+json"})
    assert json_client.status_code == 400 and json_client.mimetype == "application/json"
    assert json_client.get_json()["status"] == 400
    xml_client = client.get("/sparql", query_string={"query": "SELECT * WHERE {"}, headers={"Accept": "application/sparql-results+xml"})
    assert xml_client.status_code == 400 and xml_client.mimetype == "text/plain"
    assert "<html" not in xml_client.get_data(as_text=True) and xml_client.get_data(as_text=True).startswith("400 ")
    unacceptable = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert unacceptable.status_code == 406 and unacceptable.mimetype == "text/plain"
    assert "image/png" in unacceptable.get_data(as_text=True)
    json_406 = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "application/json;q=0.1, image/png"})
    assert json_406.status_code == 200  # application/json is SPARQL JSON for an ASK
    browser = client.get("/sparql.nope", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 404 and browser.mimetype == "text/html"


def test_error_text_is_in_the_clients_language(client):
    dutch = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "image/png", "Accept-Language": "nl"})
    english = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "image/png", "Accept-Language": "en"})
    assert dutch.get_data(as_text=True) != english.get_data(as_text=True)
    assert "Format not available" in english.get_data(as_text=True)
