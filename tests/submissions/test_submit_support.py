"""Helpers shared by the submission, moderation, CSRF and durability tests (no tests here; their
fixtures `sapp`, `visitor` and `editor` are in conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.conftest import make_settings

EDITOR = "anna"
PASSWORD = "een-lang-wachtwoord-42"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')

# A realistic submission (after the Platform31 publication in shared/sources).
VALID: dict[str, Any] = {
    "title": "Buurthuizen als hart van de wijk",
    "summary": (
        "Onderzoek naar buurthuizen en ontmoetingsplekken in wijken van Zeist. Bewoners ontmoeten elkaar, "
        "zetten zich in voor de buurt en kunnen meedoen; het welzijnswerk van Welzijn West ondersteunt "
        "bewonersinitiatieven. Het rapport sluit aan bij het Alfa-akkoord."
    ),
    "kind": "onderzoeksrapport",
    "date": "2024-03",
    "url": "https://example.org/buurthuizen-als-hart",
    "pillars": ["sociale-cohesie"],
    "spheres": ["gemeenschappelijke-sfeer"],
    "authors": ["An Onderzoeker", "Stichting Buurtkracht"],
    "publishers": ["Toetsinstituut"],
    "programmes": ["Alfa-akkoord"],
    "initiatives": ["Buurtkamer West"],
    "organisations": ["Welzijn West"],
    "places": ["Zeist"],
    "name": "Piet Inzender",
    "email": "piet.inzender@example.org",
    "consent": "ja",
}
PRIVATE_VALUES = (VALID["name"], VALID["email"])


def token(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def form_token(client: Any, path: str = "/bijdragen") -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return token(response.get_data(as_text=True))


def submit(client: Any, action: str = "submit", **changes: Any) -> Any:
    """POST the submission form (fetching it first for the CSRF token)."""
    data = dict(VALID, **changes)
    data = {k: v for k, v in data.items() if v is not None}
    data["csrf_token"] = form_token(client)
    data["action"] = action
    return client.post("/bijdragen", data=data)


def editor_fields(**changes: Any) -> dict[str, Any]:
    data = {k: v for k, v in dict(VALID, **changes).items() if k not in ("name", "email", "consent") and v is not None}
    return data


def login(client: Any, name: str = EDITOR, password: str = PASSWORD) -> Any:
    csrf = form_token(client, "/redactie/inloggen")
    return client.post("/redactie/inloggen", data={"csrf_token": csrf, "name": name, "password": password})


def decide(client: Any, submission_id: int, action: str, note: str = "", **changes: Any) -> Any:
    """POST an editor's decision on the review page (with the page's CSRF token)."""
    page = client.get(f"/redactie/inzending/{submission_id}")
    assert page.status_code == 200, page.status_code
    data = editor_fields(**changes)
    data.update(csrf_token=token(page.get_data(as_text=True)), action=action, note=note)
    return client.post(f"/redactie/inzending/{submission_id}", data=data)


def receipt_id(client: Any, response: Any) -> int:
    """The submission id behind a 303 to the receipt page."""
    assert response.status_code == 303, response.status_code
    data = client.get(response.headers["Location"] + ".json").get_json()
    return int(data["id"])


def make_app(data_dir: Path, **settings: Any) -> Any:
    from graph.submissions.store import SubmissionStore
    from webapp import create_app

    application = create_app(make_settings(data_dir, **settings))
    application.testing = True
    SubmissionStore.in_data_dir(data_dir).add_editor(EDITOR, PASSWORD, replace=True)
    return application


def close_app(application: Any) -> None:
    from webapp.state import get_store

    with application.app_context():
        get_store().close()


def store_of(application: Any) -> Any:
    from webapp.state import get_store

    with application.app_context():
        return get_store()
