"""Rate limits on submitting and signing in (429 with Retry-After, failed requests counted too),
the sliding window and an unreachable counter storage, password storage and headers of the private pages."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from graph.errors import SocialeBasisError
from tests.submissions.test_submit_support import EDITOR, PASSWORD, VALID, close_app, form_token, login, make_app, submit, subs_at
from webapp.ratelimit import parse_rate


@pytest.fixture
def limited(tmp_path: Path):  # type: ignore[no-untyped-def]
    application = make_app(tmp_path / "data", SUBMIT_RATE="3/60", LOGIN_RATE="3/300", CHECK_RATE="4/60")
    yield application
    close_app(application)


def test_submit_rate_limit(limited) -> None:
    client = limited.test_client()
    for n in range(3):
        assert submit(client, title=f"Voorstel {n} over buurten").status_code == 303
    blocked = submit(client, title="Nog een voorstel")
    assert blocked.status_code == 429
    retry = int(blocked.headers["Retry-After"])
    assert 1 <= retry <= 60
    assert "Te veel verzoeken" in blocked.get_data(as_text=True)
    assert subs_at(limited.config["DATA_DIR"]).counts()["pending"] == 3
    # JSON clients get JSON
    csrf = form_token(client)
    as_json = client.post("/bijdragen", data=dict(VALID, csrf_token=csrf), headers={"Accept": "application/json"})
    assert as_json.status_code == 429 and as_json.get_json()["status"] == 429


def test_csrf_failures_count_against_the_limit(limited) -> None:
    client = limited.test_client()
    form_token(client)
    for _ in range(3):
        assert client.post("/bijdragen", data=dict(VALID, action="submit", csrf_token="fout")).status_code == 400
    # now even a correct submission is over the limit
    assert submit(client).status_code == 429
    assert subs_at(limited.config["DATA_DIR"]).counts()["pending"] == 0


def test_limits_are_per_client(limited) -> None:
    a = limited.test_client()
    for n in range(3):
        assert submit(a, title=f"Voorstel {n}").status_code == 303
    assert submit(a).status_code == 429
    b = limited.test_client()
    csrf = form_token(b)
    other = b.post("/bijdragen", data=dict(VALID, csrf_token=csrf, action="submit"), environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert other.status_code == 303


def test_checking_has_its_own_limit(limited) -> None:
    client = limited.test_client()
    for _ in range(4):
        assert submit(client, action="check").status_code == 200
    assert submit(client, action="check").status_code == 429
    assert submit(client).status_code == 303  # sending is counted apart


def test_login_rate_limit(limited) -> None:
    client = limited.test_client()
    assert login(client, EDITOR, "fout-wachtwoord-1").status_code == 401
    csrf = form_token(client, "/redactie/inloggen")
    assert client.post("/redactie/inloggen", data={"name": EDITOR, "password": PASSWORD}).status_code == 400  # no CSRF: counted
    assert login(client, EDITOR, "fout-wachtwoord-2").status_code == 401
    blocked = login(client, EDITOR, PASSWORD)  # even the right password, once over the limit
    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["Retry-After"]) <= 300
    assert client.get("/redactie").status_code == 302
    assert csrf


def test_the_window_slides(tmp_path: Path) -> None:
    """At most COUNT requests in any SECONDS: a refused request is not counted, and the client may
    try again once its oldest counted request has left the window (Retry-After says when)."""
    application = make_app(tmp_path / "data", CHECK_RATE="2/2")
    try:
        client = application.test_client()
        assert submit(client, action="check").status_code == 200
        time.sleep(1.0)
        assert submit(client, action="check").status_code == 200
        blocked = submit(client, action="check")
        assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) == 1  # the first leaves ~1 s from now
        time.sleep(1.1)
        assert submit(client, action="check").status_code == 200  # the first left; the second still counts
        assert submit(client, action="check").status_code == 429
    finally:
        close_app(application)


def test_an_unreachable_storage_lets_requests_through(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A Redis that is down must not take the site with it: the request passes and the log says so."""
    from tests.servers import free_port

    application = make_app(tmp_path / "data", RATELIMIT_STORAGE=f"redis://127.0.0.1:{free_port()}/0", CHECK_RATE="1/60")
    try:
        client = application.test_client()
        for _ in range(3):
            assert submit(client, action="check").status_code == 200
        assert "rate limit storage unavailable" in caplog.text
    finally:
        close_app(application)


def test_rates_are_checked_at_start(tmp_path: Path) -> None:
    with pytest.raises(SocialeBasisError, match="COUNT/SECONDS"):
        make_app(tmp_path / "data", SUBMIT_RATE="5 per minute")


@pytest.mark.parametrize("rate, expected", [("5/60", (5, 60)), ("1/1", (1, 1))])
def test_parse_rate(rate: str, expected: tuple) -> None:
    assert parse_rate(rate) == expected


@pytest.mark.parametrize("rate", ["5", "x/60", "0/60", "5/0", "1/0.5"])
def test_parse_rate_refuses(rate: str) -> None:
    with pytest.raises(SocialeBasisError):
        parse_rate(rate)


@pytest.mark.sqlite_only
def test_passwords_are_hashed(tmp_path: Path) -> None:
    subs = subs_at(tmp_path)
    subs.add_editor("bert", "een-geheim-wachtwoord")
    raw = (tmp_path / "submissions.sqlite").read_bytes()
    assert b"een-geheim-wachtwoord" not in raw and b"scrypt:" in raw
    assert subs.verify_editor("bert", "een-geheim-wachtwoord").name == "bert"
    assert subs.verify_editor("bert", "Een-geheim-wachtwoord") is None
    assert subs.verify_editor("bert", "x" * 5000) is None


def test_private_pages_are_not_cached_or_indexed(tmp_path: Path) -> None:
    application = make_app(tmp_path / "data")
    try:
        client = application.test_client()
        receipt = submit(client).headers["Location"]
        for path in (receipt, "/redactie/inloggen"):
            response = client.get(path)
            assert response.headers["Cache-Control"] == "no-store"
            assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
            assert "script-src 'self'" in response.headers["Content-Security-Policy"]
            assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    finally:
        close_app(application)
