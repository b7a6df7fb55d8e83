"""CSRF protection on every form of /bijdragen and /redactie, and the session cookie's flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.submissions.store import SubmissionStore
from tests.submissions.test_submit_support import (
    EDITOR,
    PASSWORD,
    VALID,
    close_app,
    form_token,
    login,
    make_app,
    receipt_id,
    submit,
    token,
)


def post_without(client, path: str, data: dict, csrf: str | None):  # type: ignore[no-untyped-def]
    body = dict(data)
    if csrf is not None:
        body["csrf_token"] = csrf
    return client.post(path, data=body)


@pytest.mark.parametrize("csrf", [None, "", "vervalst-token-dat-niet-klopt-0123456789abcdef"])
def test_submission_needs_the_token(sapp, visitor, csrf) -> None:
    form_token(visitor)  # the visitor has a session, with its own token
    response = post_without(visitor, "/bijdragen", dict(VALID, action="submit"), csrf)
    assert response.status_code == 400
    assert "Het formulier is verlopen of niet geldig" in response.get_data(as_text=True)
    assert SubmissionStore.in_data_dir(sapp.config["DATA_DIR"]).counts()["pending"] == 0


def test_token_of_another_session_is_refused(sapp) -> None:
    attacker, victim = sapp.test_client(), sapp.test_client()
    stolen = form_token(attacker)
    form_token(victim)
    response = post_without(victim, "/bijdragen", dict(VALID, action="submit"), stolen)
    assert response.status_code == 400


def test_no_session_no_submission(sapp) -> None:
    fresh = sapp.test_client()
    response = post_without(fresh, "/bijdragen", dict(VALID, action="submit"), "iets")
    assert response.status_code == 400


def test_token_in_header_for_scripts(sapp, visitor) -> None:
    csrf = form_token(visitor)
    response = visitor.post("/bijdragen", data=dict(VALID, action="check"), headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200


def test_login_needs_the_token(sapp, visitor) -> None:
    form_token(visitor, "/redactie/inloggen")
    response = visitor.post("/redactie/inloggen", data={"name": EDITOR, "password": PASSWORD})
    assert response.status_code == 400
    assert visitor.get("/redactie").status_code == 302


def test_editor_forms_need_the_token(sapp, visitor, editor) -> None:
    sid = receipt_id(visitor, submit(visitor))
    for action in ("approve", "reject", "save"):
        response = editor.post(f"/redactie/inzending/{sid}", data=dict(VALID, action=action, note="n"))
        assert response.status_code == 400, action
    assert SubmissionStore.in_data_dir(sapp.config["DATA_DIR"]).get(sid).status == "pending"
    # a token from another (signed-in) session does not work either
    other = sapp.test_client()
    login(other)
    foreign = token(other.get(f"/redactie/inzending/{sid}").get_data(as_text=True))
    response = editor.post(f"/redactie/inzending/{sid}", data=dict(VALID, action="approve", csrf_token=foreign))
    assert response.status_code == 400
    assert SubmissionStore.in_data_dir(sapp.config["DATA_DIR"]).get(sid).status == "pending"
    # signing out needs it too (no forced logout from elsewhere)
    assert editor.post("/redactie/uitloggen").status_code == 400
    assert editor.get("/redactie").status_code == 200


def test_every_form_carries_a_token(sapp, visitor, editor) -> None:
    sid = receipt_id(visitor, submit(visitor))
    pages = [
        (visitor, "/bijdragen"), (visitor, "/redactie/inloggen"), (editor, "/redactie"), (editor, f"/redactie/inzending/{sid}"),
    ]
    for client, path in pages:
        html = client.get(path).get_data(as_text=True)
        forms = html.count('method="post"')
        assert forms >= 1, path
        assert html.count('name="csrf_token"') == forms, path


def test_session_cookie_flags(sapp, visitor) -> None:
    response = visitor.get("/bijdragen")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_secure_cookie_behind_https(tmp_path: Path) -> None:
    application = make_app(tmp_path / "data", SECURE_COOKIES=True)
    try:
        client = application.test_client()
        cookie = client.get("/bijdragen", base_url="https://kennisgraaf.example").headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    finally:
        close_app(application)
