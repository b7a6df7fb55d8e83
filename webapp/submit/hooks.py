"""What both submit blueprints (contribute, redactie) install on themselves: the guard of every
state-changing request (first the rate limit is counted, so failures count too, then the CSRF token
is checked), no caching of personal pages, and the template helpers.

Each of them does `bp.before_request(guard)`, `bp.after_request(no_store)` and
`bp.context_processor(template_helpers)`.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request
from flask_babel import gettext

from graph.errors import Message
from graph.store.labels import kind_label
from webapp import csrf
from webapp.i18n import get_lang
from webapp.ratelimit import limit
from webapp.submit.auth import current_editor
from webapp.urls import resource_path

# Endpoints whose POSTs are rate limited: endpoint -> (bucket, setting), chosen per request.
LOGIN_ENDPOINT = "redactie.login"
FORM_ENDPOINT = "contribute.form"
# The autocomplete is public and the same for everyone: it may be cached.
AUTOCOMPLETE_ENDPOINT = "contribute.entities"
PRIVATE_PREFIXES = ("/redactie", "/bijdragen/ontvangen")


def guard() -> None:
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


def no_store(response: Response) -> Response:
    """Forms, receipts and editor pages are personal: never cached, never indexed."""
    if request.endpoint != AUTOCOMPLETE_ENDPOINT:
        response.headers["Cache-Control"] = "no-store"
    if request.path.startswith(PRIVATE_PREFIXES):
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def template_helpers() -> dict[str, Any]:
    def t(message: object) -> str:
        """A message in the page's language: a Message id from graph/ through the catalogs, or
        stored data in both languages ({"nl": …, "en": …}, as assessments keep them)."""
        if isinstance(message, Message):
            return message.render(gettext)
        if isinstance(message, dict):
            return str(message.get(get_lang()) or message.get("nl") or "")
        return str(message or "")

    def editor_name() -> str:
        editor = current_editor()
        return editor.name if editor else ""

    def kind_name(segment: str | None) -> str:
        return kind_label(segment, get_lang()) if segment else ""

    return {"t": t, "resource_path": resource_path, "editor_name": editor_name(), "kind_name": kind_name}
