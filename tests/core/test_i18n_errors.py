"""Every error answer exists in Dutch and English, as an HTML page or as JSON, werkzeug's and the 500 included."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from graph.errors import N_, BadRequest, NotFound, ParseError, ServiceUnavailable, SocialeBasisError
from webapp.errors import STATUS, status_of

HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/json"}


def _page(response: TestResponse) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "title", "message"),
    [
        ("nl", "Pagina niet gevonden", "De pagina die u zocht bestaat niet (meer)."),
        ("en", "Page not found", "The page you were looking for does not exist (any more)."),
    ],
)
def test_404_page_in_both_languages(client, lang: str, title: str, message: str) -> None:
    response = client.get(f"/bestaat-niet?lang={lang}", headers=HTML)
    assert response.status_code == 404
    assert f'<html lang="{lang}">' in _page(response)
    assert f"<h1>{title}</h1>" in _page(response) and message in _page(response)


@pytest.mark.parametrize(
    ("lang", "message"),
    [("nl", "De pagina die u zocht bestaat niet (meer)."), ("en", "The page you were looking for does not exist (any more).")],
)
def test_404_json_in_both_languages(client, lang: str, message: str) -> None:
    response = client.get(f"/bestaat-niet?lang={lang}", headers=JSON)
    assert response.status_code == 404
    assert response.get_json() == {"error": message, "status": 404}


def test_405_replaces_werkzeugs_english_text(client) -> None:
    dutch = client.post("/", headers=HTML)
    assert dutch.status_code == 405
    assert "Methode niet toegestaan" in _page(dutch) and "Dit adres accepteert de methode POST niet." in _page(dutch)
    assert "The method is not allowed" not in _page(dutch)
    english = client.post("/?lang=en", headers=JSON)
    assert english.status_code == 405
    assert english.get_json()["error"] == "This address does not accept the POST method."


def test_json_errors_follow_the_clients_language(client) -> None:
    # no language asked: the message ids' English; asked by parameter or Accept-Language: that language
    assert client.post("/", headers=JSON).get_json()["error"] == "This address does not accept the POST method."
    asked = client.post("/", headers={**JSON, "Accept-Language": "nl-NL,nl;q=0.9"})
    assert asked.get_json()["error"] == "Dit adres accepteert de methode POST niet."
    assert "Accept-Language" in asked.headers.get_all("Vary")
    assert client.post("/?lang=nl", headers=JSON).get_json()["error"] == "Dit adres accepteert de methode POST niet."


@pytest.fixture
def failing_app(fresh_app: Flask) -> Flask:
    @fresh_app.route("/test-boom")
    def boom() -> str:
        raise RuntimeError("secret internal detail")

    @fresh_app.route("/test-busy")
    def busy() -> str:
        raise ServiceUnavailable(N_("the query service is shutting down"), retry_after=5)

    return fresh_app


@pytest.mark.parametrize(
    ("lang", "title", "message"),
    [
        ("nl", "Er ging iets mis", "Er ging iets mis aan onze kant. Probeer het later opnieuw."),
        ("en", "Something went wrong", "Something went wrong on our side. Please try again later."),
    ],
)
def test_500_in_both_languages_without_the_trace(failing_app, lang: str, title: str, message: str) -> None:
    client = failing_app.test_client()
    page = client.get(f"/test-boom?lang={lang}", headers=HTML)
    assert page.status_code == 500
    assert f"<h1>{title}</h1>" in _page(page) and message in _page(page)
    assert "secret internal detail" not in _page(page)
    data = client.get(f"/test-boom?lang={lang}", headers=JSON)
    assert data.status_code == 500 and data.get_json() == {"error": message, "status": 500}


def test_domain_error_is_translated_with_its_status_and_retry_after(failing_app) -> None:
    client = failing_app.test_client()
    dutch = client.get("/test-busy", headers=HTML)
    assert dutch.status_code == 503 and dutch.headers["Retry-After"] == "5"
    assert "Tijdelijk niet beschikbaar" in _page(dutch) and "de querydienst stopt" in _page(dutch)
    english = client.get("/test-busy?lang=en", headers=JSON)
    assert english.status_code == 503 and english.headers["Retry-After"] == "5"
    assert english.get_json()["error"] == "the query service is shutting down"


def test_domain_errors_carry_no_status() -> None:
    error = NotFound(N_("unknown resource: %(iri)s"), iri="https://example.org/x")
    assert not hasattr(error, "status")
    assert error.message == "unknown resource: https://example.org/x"  # the CLI's English text
    assert status_of(error) == 404 and status_of(SocialeBasisError("x")) == 500
    assert status_of(ParseError(N_("bad"), source="f.ttl", line=3)) == 400  # a subclass of BadRequest
    assert ParseError("bad", source="f.ttl", line=3).message == "f.ttl:3: bad"
    assert all(issubclass(cls, SocialeBasisError) for cls in STATUS) and BadRequest in STATUS


def test_network_errors_are_in_the_page_language(client) -> None:
    dutch = client.get("/metrieken.json?sorteer=geld&lang=nl")
    assert dutch.status_code == 400 and dutch.get_json()["error"].startswith("sorteer op: ")
    english = client.get("/metrieken.json?sorteer=geld&lang=en")
    assert english.status_code == 400 and english.get_json()["error"].startswith("sort by: ")
