"""Helpers shared by the submission, moderation, CSRF and durability tests (no tests here; their
fixtures `sapp`, `visitor` and `editor` are in conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from graph.submissions.store import SubmissionStore
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


class Backend:
    """Where a test's submissions live: SQLite in each data directory (the default), or, with a
    PostgreSQL server, a schema of its own per data directory (so two data directories are two
    databases, as with SQLite). tests/submissions/conftest.py runs every test there on both."""

    def __init__(self, postgres: Any = None) -> None:
        self.postgres = postgres
        self._urls: dict[str, str] = {}

    @property
    def name(self) -> str:
        return "sqlite" if self.postgres is None else "postgresql"

    def settings(self, data_dir: Path) -> dict[str, Any]:
        """The SUBMISSIONS_DB setting for an app (or command) on `data_dir`."""
        if self.postgres is None:
            return {}
        key = str(Path(data_dir).resolve())
        if key not in self._urls:
            self._urls[key] = self.postgres.new_schema()
        return {"SUBMISSIONS_DB": self._urls[key]}

    def env(self, data_dir: Path) -> dict[str, str]:
        """The same as environment variables, for a command in a process of its own."""
        return {f"SOCIALE_BASIS_{k}": str(v) for k, v in self.settings(data_dir).items()}

    def store(self, data_dir: Path) -> SubmissionStore:
        """The submissions database of `data_dir`."""
        return SubmissionStore.from_settings({"DATA_DIR": str(data_dir), **self.settings(data_dir)})


BACKEND = Backend()  # replaced per test by tests/submissions/conftest.py


def subs_at(data_dir: Path | str) -> SubmissionStore:
    """The submissions database of an app's data directory, on the test's backend."""
    return BACKEND.store(Path(data_dir))


def make_app(data_dir: Path, **settings: Any) -> Any:
    from webapp import create_app

    application = create_app(make_settings(data_dir, **{**BACKEND.settings(data_dir), **settings}))
    application.testing = True
    SubmissionStore.from_settings(application.config).add_editor(EDITOR, PASSWORD, replace=True)
    return application


def close_app(application: Any) -> None:
    from webapp.state import get_store

    with application.app_context():
        get_store().close()


def store_of(application: Any) -> Any:
    from webapp.state import get_store

    with application.app_context():
        return get_store()
