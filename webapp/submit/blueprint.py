"""The 'submit' blueprint: the public form (/bijdragen) and moderation (/redactie).

When registered it opens the submissions database (DATA_DIR/submissions.sqlite), repairs store and
files after an interrupted approval (`graph.submissions.moderation.reconcile`), and guards every state-changing
request: first the rate limit is counted (so failures count too), then the CSRF token is checked.
"""

from __future__ import annotations

from flask import Blueprint, current_app, request
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext

from graph.errors import Message
from graph.store.labels import kind_label
from graph.submissions.moderation import reconcile
from graph.submissions.store import SubmissionStore
from webapp import csrf
from webapp.i18n import get_lang
from webapp.ratelimit import limit
from webapp.state import EXTENSION as STORE_EXTENSION
from webapp.urls import resource_path

bp = Blueprint("submit", __name__)
EXTENSION = "sociale_basis_submissions"
# Endpoints whose POSTs are rate limited: endpoint -> (bucket, setting), chosen per request.
LOGIN_ENDPOINT = "submit.login"
FORM_ENDPOINT = "submit.form"
PRIVATE_PREFIXES = ("/redactie", "/bijdragen/ontvangen")


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    app = state.app
    subs = SubmissionStore.in_data_dir(app.config["DATA_DIR"])
    app.extensions[EXTENSION] = subs
    csrf.init_app(app)
    reconcile(app.extensions.get(STORE_EXTENSION), subs, app.config["DATA_DIR"])


def get_submissions() -> SubmissionStore:
    """The app's submissions database (the one accessor views use)."""
    return current_app.extensions[EXTENSION]


@bp.before_request
def _guard() -> None:
    if request.method not in csrf.UNSAFE_METHODS:
        return
    if request.endpoint == LOGIN_ENDPOINT:
        limit("login", current_app.config["LOGIN_RATE"])
    elif request.endpoint == FORM_ENDPOINT:
        if request.form.get("action") == "check":
            limit("check", current_app.config["CHECK_RATE"])
        else:
            limit("submit", current_app.config["SUBMIT_RATE"])
    csrf.validate()


@bp.after_request
def _no_store(response):  # type: ignore[no-untyped-def]
    """Forms, receipts and editor pages are personal: never cached, never indexed."""
    if request.endpoint != "submit.entities":
        response.headers["Cache-Control"] = "no-store"
    if request.path.startswith(PRIVATE_PREFIXES):
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.context_processor
def _helpers() -> dict:
    def t(message: object) -> str:
        """A message in the page's language: a Message id from graph/ through the catalogs, or
        stored data in both languages ({"nl": …, "en": …}, as assessments keep them)."""
        if isinstance(message, Message):
            return message.render(gettext)
        if isinstance(message, dict):
            return str(message.get(get_lang()) or message.get("nl") or "")
        return str(message or "")

    def editor_name() -> str:
        from webapp.submit.auth import current_editor

        editor = current_editor()
        return editor.name if editor else ""

    def kind_name(segment: str | None) -> str:
        return kind_label(segment, get_lang()) if segment else ""

    return {"t": t, "resource_path": resource_path, "editor_name": editor_name(), "kind_name": kind_name}
