"""Editors' sessions: signing in and out, and `editor_required` for the /redactie pages.

The session (Flask's signed cookie: HttpOnly, SameSite=Lax, Secure behind HTTPS) holds the editor's
name, the account's session version and the sign-in time. Signing out (or a new password) raises the
version, which ends every session of that editor; sessions also end after EDITOR_SESSION_HOURS.
"""

from __future__ import annotations

import posixpath
import time
from functools import wraps
from typing import Any, Callable
from urllib.parse import quote, unquote, urlsplit

from flask import current_app, g, redirect, request, session, url_for

from graph.errors import N_, BadRequest, Unauthorized
from graph.submissions.store import Editor
from webapp import csrf
from webapp.errors import wants_json
from webapp.submit.submissions import get_submissions

KEYS = ("editor", "editor_v", "editor_at")


def current_editor() -> Editor | None:
    """The signed-in editor of this request, or None."""
    if "editor_checked" in g:
        return g.editor
    g.editor_checked = True
    g.editor = None
    name = session.get("editor")
    if not isinstance(name, str):
        return None
    editor = get_submissions().editor(name)
    max_age = float(current_app.config["EDITOR_SESSION_HOURS"]) * 3600
    signed_in_at = session.get("editor_at")
    if (editor is None or session.get("editor_v") != editor.session_version
            or not isinstance(signed_in_at, (int, float)) or time.time() - signed_in_at > max_age):
        for key in KEYS:
            session.pop(key, None)
        return None
    g.editor = editor
    return editor


def log_in(editor: Editor) -> None:
    """A new session for the editor (nothing of the old one carries over, the CSRF token is new)."""
    session.clear()
    session["editor"] = editor.name
    session["editor_v"] = editor.session_version
    session["editor_at"] = round(time.time(), 3)
    csrf.rotate()
    g.pop("editor_checked", None)


def log_out() -> None:
    editor = current_editor()
    if editor is not None:
        get_submissions().end_sessions(editor.name)
    session.clear()


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only a path on this site under /redactie (no open redirect).

    The path is judged as a browser would resolve it (percent-decoded, dot segments removed), and
    control characters are refused outright, since they could split the Location header."""
    if not target:
        return url_for("redactie.queue")
    if any(ord(c) < 32 or ord(c) == 127 for c in unquote(target)):
        raise BadRequest(N_("next= contains control characters"))
    parts = urlsplit(target)
    path = unquote(parts.path)
    resolved = posixpath.normpath(path) if path else ""
    if (
        not parts.scheme and not parts.netloc and "\\" not in target and not path.startswith("//")
        and (resolved == "/redactie" or resolved.startswith("/redactie/"))
    ):
        return quote(resolved) + (f"?{parts.query}" if parts.query else "")
    return url_for("redactie.queue")


def editor_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Pages for editors only: others are sent to the sign-in page (HTML) or get 401 (JSON)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_editor() is None:
            if wants_json() or request.method != "GET":
                raise Unauthorized(N_("Sign in as an editor."))
            return redirect(url_for("redactie.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper
