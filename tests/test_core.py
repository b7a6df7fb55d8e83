"""App factory, health, home counts, errors and settings."""

from __future__ import annotations

import pytest

from graph.errors import SocialeBasisError
from graph.settings import ENV_PREFIX, SETTINGS, load_settings, settings_markdown


def test_health_is_json_200(client):
    r = client.get("/health")
    assert r.status_code == 200 and r.is_json
    assert r.json["status"] == "ok" and r.json["triples"] > 100


def test_home_shows_counts(client, store):
    r = client.get("/?lang=nl")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'lang="nl"' in html
    assert str(store.triple_count()) in html.replace(".", "").replace(",", "")


def test_unknown_page_is_a_dutch_404_with_search_box(client):
    r = client.get("/bestaat-niet?lang=nl")
    assert r.status_code == 404
    html = r.get_data(as_text=True)
    assert "niet gevonden" in html.lower() and 'name="q"' in html and "Traceback" not in html


def test_json_errors_for_json_clients(client):
    r = client.get("/bestaat-niet.json")
    assert r.status_code == 404 and r.json["status"] == 404


def test_security_headers(client):
    r = client.get("/health")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_settings_defaults_env_and_overrides():
    env = {ENV_PREFIX + "QUERY_TIMEOUT": "3.5", ENV_PREFIX + "DATA_DIR": "/x"}
    s = load_settings({"PORT": "9000"}, environ=env)
    assert s["QUERY_TIMEOUT"] == 3.5 and s["DATA_DIR"] == "/x" and s["PORT"] == 9000
    assert load_settings(environ={})["DATA_DIR"] == "var"


def test_bad_setting_is_a_clear_error():
    with pytest.raises(SocialeBasisError) as err:
        load_settings(environ={ENV_PREFIX + "PORT": "negen"})
    assert "PORT" in err.value.message


def test_settings_are_documented():
    from tests.conftest import ROOT

    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert settings_markdown() in doc, "docs/settings.md is out of date: run python -m graph.settings > docs/settings.md"
    assert all(ENV_PREFIX + s.name in doc for s in SETTINGS)
