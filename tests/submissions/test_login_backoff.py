"""Sign-in: a per-account backoff on top of the per-address limit, and an audit log of sign-ins and
moderation actions (issue 14, item 4)."""

from __future__ import annotations

from pathlib import Path

from graph.submissions import audit
from graph.submissions.store import SubmissionStore
from tests.submissions.test_submit_support import EDITOR, PASSWORD, close_app, make_app


def test_the_wait_doubles_after_the_free_failures_and_a_success_clears_it(tmp_path: Path):
    store = SubmissionStore(tmp_path / "s.sqlite")
    t = 1000.0
    for _ in range(audit.FREE_FAILURES):
        assert audit.login_wait(store, "anna", at=t) == 0
        audit.record_login(store, "anna", False, "10.0.0.1", at=t)
    assert audit.login_wait(store, "anna", at=t) == 1.0
    audit.record_login(store, "anna", False, "10.0.0.2", at=t)
    assert audit.login_wait(store, "anna", at=t) == 2.0
    assert audit.login_wait(store, "anna", at=t + 2.5) == 0
    assert audit.login_wait(store, "bert", at=t) == 0  # per account
    for _ in range(30):
        audit.record_login(store, "anna", False, "10.0.0.3", at=t)
    assert audit.login_wait(store, "anna", at=t) == audit.MAX_WAIT
    audit.record_login(store, "anna", True, "10.0.0.3", at=t)
    assert audit.login_wait(store, "anna", at=t) == 0
    actions = [e.action for e in audit.entries(store)]
    assert actions[0] == "login" and actions.count("login-failed") == 34


def test_guesses_from_many_addresses_meet_the_account_backoff(tmp_path: Path):
    application = make_app(tmp_path / "data")
    try:
        def attempt(password: str, address: str):
            client = application.test_client()
            client.environ_base["REMOTE_ADDR"] = address
            page = client.get("/redactie/inloggen")
            token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
            return client.post("/redactie/inloggen?lang=en", data={"name": EDITOR, "password": password, "csrf_token": token})

        statuses = [attempt("wrong-password", f"10.1.0.{i}").status_code for i in range(audit.FREE_FAILURES)]
        assert statuses == [401] * audit.FREE_FAILURES
        refused = attempt(PASSWORD, "10.1.0.99")  # even the right password waits: no guessing during the backoff
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "1"
        assert "too many failed sign-ins for this account" in refused.get_data(as_text=True)
        with application.app_context():
            from webapp.submit.submissions import get_submissions

            log = audit.entries(get_submissions())
        assert [e.action for e in log[:2]] == ["login-refused", "login-failed"]
        assert log[0].client == "10.1.0.99" and log[0].actor == EDITOR
    finally:
        close_app(application)
