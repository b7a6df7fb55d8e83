"""The public form /bijdragen: validation with a message per field, typed values kept, URLs limited
to http(s), escaping, the honeypot, the receipt, autocomplete and the request-size limit."""

from __future__ import annotations

import html

import pytest
from babel.support import Translations

from graph.errors import Message
from graph.submissions.fields import check_url, parse_date, parse_form
from tests.conftest import ROOT
from tests.submissions.test_submit_support import PRIVATE_VALUES, VALID, form_token, receipt_id, store_of, submit, subs_at

XSS = "<img src=x onerror=alert(1)>"

CATALOGS = ROOT / "webapp" / "translations"


def in_lang(message: Message, lang: str) -> str:
    """A message from graph/ as the site shows it in `lang` (through the gettext catalogs)."""
    return message.render(Translations.load(str(CATALOGS), [lang]).gettext)


# -- validation as data -------------------------------------------------------------------------

def _form(**changes: object) -> dict[str, list[str]]:
    data = dict(VALID, **changes)
    return {k: (v if isinstance(v, list) else [str(v)]) for k, v in data.items() if v is not None}


def test_valid_form_has_no_errors() -> None:
    data, errors = parse_form(_form())
    assert errors == {}
    assert data["title"] == VALID["title"]
    assert data["date"] == "2024-03"
    assert data["pillars"] == ["sociale-cohesie"]
    assert data["authors"] == ["An Onderzoeker", "Stichting Buurtkracht"]


def test_empty_form_names_every_required_field() -> None:
    _data, errors = parse_form({})
    assert set(errors) == {"title", "summary", "kind", "pillars", "name", "email", "consent"}
    assert in_lang(errors["title"], "nl") == "Vul de titel in."
    assert in_lang(errors["title"], "en") == "Enter the title."
    assert "pijler" in in_lang(errors["pillars"], "nl")
    assert "e-mailadres" in in_lang(errors["email"], "nl")


@pytest.mark.parametrize("field, value, fragment", [
    ("summary", "Te kort.", "te kort"),
    ("summary", "x" * 5001, "te lang"),
    ("title", "t" * 301, "te lang"),
    ("kind", "roman", "uit de lijst"),
    ("pillars", ["sociale-cohesie", "geluk"], "uit de lijst"),
    ("spheres", ["virtuele-sfeer"], "uit de lijst"),
    ("email", "geen-adres", "geldig e-mailadres"),
    ("email", "a@b", "geldig e-mailadres"),
    ("date", "volgend jaar", "Vul een jaar"),
    ("date", "31-02-2023", "bestaat niet"),
    ("date", "1850", "tussen 1900"),
    ("url", "javascript:alert(1)", "http:// of https://"),
    ("url", "JaVaScRiPt:alert(document.cookie)", "http:// of https://"),
    ("url", "data:text/html;base64,PHNjcmlwdD4=", "http:// of https://"),
    ("url", "ftp://example.org/x.pdf", "http:// of https://"),
    ("url", "https://user:pw@example.org/", "gebruikersnaam"),
    ("url", "https:///pad", "domeinnaam"),
    ("url", "https://example.org/a b", "spaties"),
    ("authors", [f"Auteur {i}" for i in range(21)], "Hoogstens 20"),
    ("consent", None, "toestemming"),
])
def test_field_messages(field: str, value: object, fragment: str) -> None:
    changes = {field: value}
    _data, errors = parse_form(_form(**changes))
    assert field in errors, errors
    assert fragment.lower() in in_lang(errors[field], "nl").lower()
    assert in_lang(errors[field], "en")


@pytest.mark.parametrize("raw, expected", [
    ("2023", "2023"), ("2023-6", "2023-06"), ("2023-06-26", "2023-06-26"), ("26-06-2023", "2023-06-26"),
    ("1/2/2021", "2021-02-01"), ("", None),
])
def test_dates(raw: str, expected: str | None) -> None:
    assert parse_date(raw)[0] == expected


@pytest.mark.parametrize("url", ["https://example.org/rapport.pdf", "http://example.org", "HTTPS://Example.org/x?y=1#z"])
def test_http_urls_accepted(url: str) -> None:
    clean, error = check_url(url)
    assert error is None and clean is not None and clean.startswith(("http://", "https://"))


def test_control_characters_and_duplicates_are_cleaned() -> None:
    data, errors = parse_form(_form(title="Titel\u202e met\x00 rommel", authors=["An", "an", " ", "Bo\nCee"]))
    assert data["title"] == "Titel met rommel"
    assert data["authors"] == ["An", "Bo", "Cee"]
    assert "title" not in errors


# -- the form over HTTP -------------------------------------------------------------------------

def test_form_page_and_twin(visitor) -> None:
    page = visitor.get("/bijdragen")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'name="csrf_token"' in text and 'name="website"' in text
    assert "Is het formulier volledig ingevuld?" in text
    assert page.headers["Cache-Control"] == "no-store"
    twin = visitor.get("/bijdragen.json").get_json()
    assert twin["fields"]["url"]["schemes"] == ["http", "https"]
    assert len(twin["pillars"]) == 4
    assert visitor.get("/bijdragen", headers={"Accept": "application/json"}).get_json()["fields"]["name"]["private"] is True
    english = visitor.get("/bijdragen?lang=en").get_data(as_text=True)
    assert "Contribute knowledge" in english


def test_errors_shown_per_field_and_input_kept(visitor) -> None:
    response = submit(
        visitor, title="", url="javascript:alert(1)", email="nee", summary="Wijken en buurten in Zeist, kort maar krachtig."
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert 'id="error-summary"' in text
    assert "Vul de titel in." in text
    assert "Alleen webadressen die beginnen met http:// of https:// zijn toegestaan." in text
    assert "Vul een geldig e-mailadres in" in text
    # what was typed is still there (escaped), including the refused URL, for correcting
    assert 'value="javascript:alert(1)"' in text
    assert "Wijken en buurten in Zeist, kort maar krachtig." in text
    assert 'value="An Onderzoeker"' in text and 'value="Stichting Buurtkracht"' in text
    assert 'value="sociale-cohesie" checked' in text
    assert 'aria-invalid="true"' in text


def test_english_messages(visitor) -> None:
    visitor.get("/bijdragen?lang=en")
    response = submit(visitor, title="")
    assert "Enter the title." in response.get_data(as_text=True)


def test_javascript_url_never_stored(sapp, visitor) -> None:
    response = submit(visitor, url="javascript:alert(1)")
    assert response.status_code == 422
    assert subs_at(sapp.config["DATA_DIR"]).counts()["pending"] == 0


def test_title_is_escaped_everywhere(sapp, visitor) -> None:
    # re-rendered form
    response = submit(visitor, title=XSS, summary=XSS + " " + VALID["summary"], authors=[XSS], email="x")
    text = response.get_data(as_text=True)
    assert XSS not in text
    assert html.escape(XSS) in text
    # criteria check page
    text = submit(visitor, action="check", title=XSS).get_data(as_text=True)
    assert XSS not in text and "&lt;img" in text
    # receipt page
    response = submit(visitor, title=XSS)
    receipt = visitor.get(response.headers["Location"])
    assert receipt.status_code == 200
    text = receipt.get_data(as_text=True)
    assert XSS not in text and "&lt;img src=x onerror=alert(1)&gt;" in text


def test_successful_submission_redirects_to_receipt(sapp, visitor) -> None:
    response = submit(visitor)
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/bijdragen/ontvangen/")
    receipt = visitor.get(location)
    text = receipt.get_data(as_text=True)
    assert receipt.status_code == 200
    assert VALID["title"] in text
    assert 'data-criterion="neighbourhoods"' in text
    assert receipt.headers["X-Robots-Tag"].startswith("noindex")
    for private in PRIVATE_VALUES:
        assert private not in text
    twin = visitor.get(location + ".json").get_json()
    assert twin["status"] == "pending" and twin["title"] == VALID["title"]
    assert not any(private in str(twin) for private in PRIVATE_VALUES)
    assert visitor.get("/bijdragen/ontvangen/niet-bestaand-bewijs").status_code == 404


def test_submission_stored_with_private_fields_apart(sapp, visitor) -> None:
    sid = receipt_id(visitor, submit(visitor))
    sub = subs_at(sapp.config["DATA_DIR"]).get(sid)
    assert sub is not None and sub.status == "pending"
    assert sub.name == VALID["name"] and sub.email == VALID["email"]
    assert "name" not in sub.data and "email" not in sub.data and "consent" not in sub.data
    assert sub.assessment["total"] == 4


def test_honeypot_pretends_success_and_keeps_nothing(sapp, visitor) -> None:
    response = submit(visitor, website="http://spam.example/")
    assert response.status_code == 303
    assert response.headers["Location"] == "/bijdragen/bedankt"
    assert visitor.get("/bijdragen/bedankt").status_code == 200
    assert subs_at(sapp.config["DATA_DIR"]).counts()["pending"] == 0


def test_check_action_shows_criteria_without_storing(sapp, visitor) -> None:
    response = submit(visitor, action="check", programmes=[], organisations=[])
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert 'data-criterion="collective" data-outcome="yes"' in text
    assert 'data-pillar="sociale-cohesie"' in text
    # suggestions name the words that triggered them, and existing entities found in the text
    assert "ontmoeten" in text
    assert 'data-entity="https://w3id.org/sociale-basis/id/programma/alfa"' in text
    assert subs_at(sapp.config["DATA_DIR"]).counts()["pending"] == 0


def test_request_size_limit(tmp_path) -> None:
    from tests.submissions.test_submit_support import close_app, make_app

    application = make_app(tmp_path / "data", MAX_REQUEST_BYTES=20_000)
    try:
        client = application.test_client()
        csrf = form_token(client)
        response = client.post("/bijdragen", data={"csrf_token": csrf, "title": "x", "summary": "y" * 50_000})
        assert response.status_code == 413
    finally:
        close_app(application)


def test_autocomplete(visitor) -> None:
    found = visitor.get("/bijdragen/entiteiten.json?soort=organisatie&q=welz").get_json()
    assert [r["iri"] for r in found["results"]] == ["https://w3id.org/sociale-basis/id/organisatie/welzijn-west"]
    by_word = visitor.get("/bijdragen/entiteiten.json?soort=organisatie&q=nederlandse").get_json()
    assert by_word["results"][0]["label"] == "Vereniging van Nederlandse Gemeenten"
    by_alt = visitor.get("/bijdragen/entiteiten.json?soort=organisatie&q=vng").get_json()
    assert by_alt["results"][0]["iri"].endswith("/vng")
    wrong_kind = visitor.get("/bijdragen/entiteiten.json?soort=plaats&q=welz").get_json()
    assert wrong_kind["results"] == []
    assert visitor.get("/bijdragen/entiteiten.json?q=z").get_json()["results"] == []


def test_form_full_queue_answers_503(tmp_path) -> None:
    from tests.submissions.test_submit_support import close_app, make_app

    application = make_app(tmp_path / "data", MAX_PENDING=1)
    try:
        client = application.test_client()
        assert submit(client).status_code == 303
        full = submit(client, title="Een tweede voorstel over buurten")
        assert full.status_code == 503
        assert full.headers["Retry-After"] == "3600"
    finally:
        close_app(application)


def test_nothing_pending_in_the_store(sapp, visitor) -> None:
    submit(visitor)
    store = store_of(sapp)
    assert not store.ask("ASK { GRAPH ?g { ?s ?p ?o FILTER(CONTAINS(STR(?o), 'Buurthuizen als hart')) } }")
