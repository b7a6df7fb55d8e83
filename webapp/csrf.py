"""CSRF protection: a random token kept in the (signed) session, sent back with every form.

`token()` gives the session's token (templates: `{{ csrf_field() }}` or `{{ csrf_token() }}`);
`validate()` refuses a state-changing request whose form field `csrf_token` (or header
`X-CSRF-Token`) does not match. `protect(blueprint)` checks every POST/PUT/PATCH/DELETE of a
blueprint; `init_app(app)` makes the template helpers available.
"""

from __future__ import annotations

import hmac
import secrets

from flask import Blueprint, Flask, request, session
from markupsafe import Markup, escape

from graph.errors import N_, BadRequest

SESSION_KEY = "_csrf"
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class CsrfError(BadRequest):
    """The form's token is missing or does not match the session (expired session, forged request)."""

    def __init__(self) -> None:
        super().__init__(N_("The form has expired or is not valid. Reload the page and try again."))


def token() -> str:
    """The session's CSRF token, created on first use."""
    value = session.get(SESSION_KEY)
    if not isinstance(value, str) or len(value) < 32:
        value = secrets.token_urlsafe(32)
        session[SESSION_KEY] = value
    return value


def rotate() -> str:
    """A fresh token (after login, so a token seen before login is useless afterwards)."""
    session.pop(SESSION_KEY, None)
    return token()


def field() -> Markup:
    """The hidden form field carrying the token."""
    return Markup('<input type="hidden" name="%s" value="%s">') % (FIELD, escape(token()))


def is_valid() -> bool:
    expected = session.get(SESSION_KEY)
    sent = request.headers.get(HEADER) or request.form.get(FIELD, "")
    return isinstance(expected, str) and bool(sent) and hmac.compare_digest(expected.encode(), str(sent).encode())


def validate() -> None:
    """Raise CsrfError (400) for a state-changing request without the right token."""
    if request.method in UNSAFE_METHODS and not is_valid():
        raise CsrfError()


def protect(blueprint: Blueprint) -> None:
    """Check the token on every state-changing request to the blueprint."""
    blueprint.before_request(validate)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.setdefault("csrf_token", token)
    app.jinja_env.globals.setdefault("csrf_field", field)
