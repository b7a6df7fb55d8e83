"""App factory, health, home counts, errors and settings."""

from __future__ import annotations

import dataclasses

import pytest

from graph.settings import ENV_PREFIX, SETTINGS, Settings, StartupError, load_settings, settings_markdown


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


def test_settings_are_typed_and_read_only():
    s = load_settings({"QUERY_TIMEOUT": 2, "SECURE_COOKIES": "true"}, environ={})
    assert isinstance(s, Settings)
    assert s.QUERY_TIMEOUT == 2.0 and isinstance(s.QUERY_TIMEOUT, float) and s["QUERY_TIMEOUT"] == 2.0
    assert s.SECURE_COOKIES is True and s.PORT == 8080
    assert set(s) == {setting.name for setting in SETTINGS} and len(s) == len(SETTINGS)
    with pytest.raises(KeyError):
        s["TESTING"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.PORT = 1


def test_bad_setting_is_a_clear_error():
    with pytest.raises(StartupError) as err:
        load_settings(environ={ENV_PREFIX + "PORT": "negen"})
    assert err.value.message == "setting PORT (from SOCIALE_BASIS_PORT): expected an integer, got 'negen'"
    with pytest.raises(StartupError) as err:
        load_settings({"PORT": "abc"}, environ={})
    assert err.value.message == "setting PORT: expected an integer, got 'abc'"
    with pytest.raises(StartupError) as err:
        load_settings({"TRUST_PROXY": "misschien", "STORE": "postgres", "MAX_PENDING": 2.5}, environ={})
    assert err.value.message == (
        "setting TRUST_PROXY: expected true or false, got 'misschien'; "
        "setting STORE: expected one of 'oxigraph', 'sparql', got 'postgres'; "
        "setting MAX_PENDING: expected an integer, got 2.5"
    )


def test_unknown_setting_stops_the_start():
    with pytest.raises(StartupError) as err:
        load_settings({"QUERY_TIMOUT": 3}, environ={})
    assert err.value.message == "unknown setting 'QUERY_TIMOUT' (did you mean QUERY_TIMEOUT?)"
    with pytest.raises(StartupError) as err:
        load_settings(environ={ENV_PREFIX + "DATADIR": "/x", "OTHER_DATADIR": "ignored"})
    assert err.value.message == "unknown environment variable SOCIALE_BASIS_DATADIR (did you mean SOCIALE_BASIS_DATA_DIR?)"
    with pytest.raises(StartupError) as err:
        load_settings({"TESTING": True}, environ={})
    assert err.value.message == "unknown setting 'TESTING'"


def test_create_app_refuses_an_unknown_setting(tmp_path):
    from tests.conftest import make_settings
    from webapp import create_app

    with pytest.raises(StartupError, match=r"^unknown setting 'MAX_ROWS' \(did you mean MAX_RESULT_ROWS\?\)$"):
        create_app(make_settings(tmp_path, MAX_ROWS=5))


def test_settings_are_documented():
    from tests.conftest import ROOT

    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert settings_markdown() in doc, "docs/settings.md is out of date: run python -m graph.settings > docs/settings.md"
    assert all(ENV_PREFIX + s.name in doc for s in SETTINGS)
