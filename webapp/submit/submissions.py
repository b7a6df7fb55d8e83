"""The app's submissions database (SQLite in DATA_DIR, or PostgreSQL: SUBMISSIONS_DB) and its one accessor.

`init_app(app)` opens it and repairs store and files after an interrupted approval
(`graph.submissions.moderation.reconcile`); views reach it through `get_submissions()`.
"""

from __future__ import annotations

from flask import Flask, current_app

from graph.submissions.moderation import reconcile
from graph.submissions.store import SubmissionStore
from webapp.state import EXTENSION as STORE_EXTENSION

EXTENSION = "sociale_basis_submissions"


def init_app(app: Flask) -> None:
    """Open the submissions database; call after `webapp.state.init_app` (reconcile needs the store)."""
    subs = SubmissionStore.from_settings(app.config)
    app.extensions[EXTENSION] = subs
    reconcile(app.extensions.get(STORE_EXTENSION), subs, app.config["DATA_DIR"])


def get_submissions() -> SubmissionStore:
    """The app's submissions database (the one accessor views use)."""
    return current_app.extensions[EXTENSION]
