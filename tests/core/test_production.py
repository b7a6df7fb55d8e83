"""Production mode (issue 14, item 7): it requires an https PUBLIC_URL, so no link follows the Host
header; session cookies are Secure behind https (also through a trusted proxy); HSTS is sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.settings import StartupError, load_settings
from tests.conftest import make_settings
from tests.submissions.test_submit_support import close_app
from webapp import create_app


@pytest.mark.parametrize("public", ["", "http://kennisgraaf.example"])
def test_production_needs_an_https_public_url(public):
    with pytest.raises(StartupError, match="PRODUCTION needs PUBLIC_URL"):
        load_settings({"PRODUCTION": True, "PUBLIC_URL": public}, environ={})


def session_cookie(client, **headers) -> str:
    response = client.get("/bijdragen", headers=headers)
    assert response.status_code == 200
    cookies = [v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("session=")]
    assert cookies, "the form starts a session (its CSRF token)"
    return cookies[0]


def test_production_sends_hsts_secure_cookies_and_ignores_the_host_header(tmp_path: Path):
    app = create_app(make_settings(tmp_path / "data", PRODUCTION=True, PUBLIC_URL="https://kennisgraaf.example"))
    try:
        client = app.test_client()
        home = client.get("/")
        assert home.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert "; Secure" in session_cookie(client)
        feed = client.get("/bibliotheek/feed.atom", headers={"Host": "evil.example"}).get_data(as_text=True)
        assert "evil.example" not in feed and "https://kennisgraaf.example" in feed
        void = client.get("/data/void.ttl", headers={"Host": "evil.example"}).get_data(as_text=True)
        assert "evil.example" not in void
    finally:
        close_app(app)


def test_secure_cookies_follow_a_trusted_proxys_https(tmp_path: Path):
    app = create_app(make_settings(tmp_path / "data", TRUST_PROXY=True))
    try:
        assert "Strict-Transport-Security" not in app.test_client().get("/").headers
        assert "; Secure" in session_cookie(app.test_client(), **{"X-Forwarded-Proto": "https"})
        assert "; Secure" not in session_cookie(app.test_client())
    finally:
        close_app(app)


def test_without_a_trusted_proxy_its_header_does_not_count(tmp_path: Path):
    app = create_app(make_settings(tmp_path / "data"))
    try:
        assert "; Secure" not in session_cookie(app.test_client(), **{"X-Forwarded-Proto": "https"})
    finally:
        close_app(app)
