"""Where an editor goes after signing in: only under /redactie as a browser resolves the path, and
control characters in next= are a 400, never a 500 (issue 14, item 5)."""

from __future__ import annotations

import pytest

from graph.errors import BadRequest
from webapp.submit.auth import safe_next


@pytest.mark.parametrize("target, expected", [
    ("/redactie", "/redactie"),
    ("/redactie/12?tab=a", "/redactie/12?tab=a"),
    ("/redactie/../..//x", "/redactie"),
    ("/redactie/%2e%2e/%2e%2e/x", "/redactie"),
    ("//evil.example/redactie", "/redactie"),
    ("https://evil.example/redactie", "/redactie"),
    ("/redactiex", "/redactie"),
    ("/redactie\\..\\x", "/redactie"),
    ("", "/redactie"),
])
def test_next_stays_under_redactie(app, target, expected):
    with app.test_request_context():
        assert safe_next(target) == expected


@pytest.mark.parametrize("target", ["/redactie\r\nX:1", "/redactie%0d%0aX:1", "/redactie%00"])
def test_control_characters_are_refused(app, target):
    with app.test_request_context(), pytest.raises(BadRequest):
        safe_next(target)


def test_crlf_in_next_is_a_400_over_http(tmp_path):
    from tests.submissions.test_submit_support import close_app, login, make_app

    application = make_app(tmp_path / "data")
    try:
        client = application.test_client()
        assert login(client).status_code == 303
        response = client.get("/redactie/inloggen?next=/redactie%0d%0aX:1")
        assert response.status_code == 400
        assert "next= bevat stuurtekens" in response.get_data(as_text=True)  # the page is Dutch by default
        assert response.headers.get("X") is None
    finally:
        close_app(application)
