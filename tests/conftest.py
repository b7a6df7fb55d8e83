"""Shared fixtures: apps built with create_app({...}) on the small test dataset, a real WSGI server
(waitress on 127.0.0.1) and a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
EDITORIAL_DATA = ROOT / "tests" / "fixtures" / "editorial"  # only for `editorial_app`: an editorial graph and others
ONTOLOGY = ROOT / "ontology"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def make_settings(data_dir: Path, **extra: Any) -> dict[str, Any]:
    """Settings for an app on the fixture data in its own data directory."""
    settings: dict[str, Any] = {
        "DATA_DIR": str(data_dir),
        "ONTOLOGY_PATH": str(ONTOLOGY),
        "SOURCE_DATA_PATH": str(FIXTURE_DATA),
        "SECRET_KEY": "test-secret",
    }
    settings.update(extra)
    return settings


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory):
    """One read-mostly app on the fixture data for the whole session (tests must not change it)."""
    from webapp import create_app

    application = create_app(make_settings(tmp_path_factory.mktemp("app-data")))
    application.testing = True
    yield application
    from webapp.state import get_store

    with application.app_context():
        get_store().close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def store(app):
    from webapp.state import get_store

    with app.app_context():
        return get_store()


@pytest.fixture(scope="session")
def editorial_app(tmp_path_factory: pytest.TempPathFactory):
    """A read-mostly app on the fixture data plus tests/fixtures/editorial (an editorial graph, a moderation
    record, a graph named elsewhere), for the tests of graph pages and downloads of every kind of graph."""
    import shutil

    from webapp import create_app
    from webapp.sparql.service import shutdown
    from webapp.state import get_store

    data = tmp_path_factory.mktemp("editorial-data")
    for path in [*FIXTURE_DATA.glob("*.trig"), *EDITORIAL_DATA.glob("*.trig")]:
        shutil.copy(path, data / path.name)
    application = create_app(make_settings(tmp_path_factory.mktemp("editorial-app"), SOURCE_DATA_PATH=str(data)))
    application.testing = True
    yield application
    shutdown(application)
    with application.app_context():
        get_store().close()


@pytest.fixture
def fresh_app(tmp_path: Path):
    """An app of its own, for tests that change the graph."""
    from webapp import create_app

    application = create_app(make_settings(tmp_path / "data"))
    application.testing = True
    yield application
    from webapp.state import get_store

    with application.app_context():
        get_store().close()


@pytest.fixture
def sapp(tmp_path: Path) -> Iterator[Any]:
    """A submissions app of its own (it changes), with editor 'anna' (see tests/test_submit_support.py)."""
    from tests.submissions.test_submit_support import close_app, make_app

    application = make_app(tmp_path / "data")
    yield application
    close_app(application)


@pytest.fixture
def visitor(sapp: Any) -> Any:
    """A client of `sapp` that is not signed in."""
    return sapp.test_client()


@pytest.fixture
def editor(sapp: Any) -> Any:
    """A client of `sapp` signed in as editor 'anna'."""
    from tests.submissions.test_submit_support import login

    client = sapp.test_client()
    response = login(client)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


class LiveServer:
    """A real waitress server in a thread on 127.0.0.1 (random port).

    waitress has no public way to stop `server.run()`, and closing its sockets while that loop polls
    them makes the loop fail in its thread (EBADF). So the thread runs the same loop one poll at a
    time until asked to stop; only then are the sockets closed and the worker threads ended."""

    def __init__(self, wsgi_app: Any) -> None:
        import waitress

        self.server = waitress.create_server(wsgi_app, host="127.0.0.1", port=0, threads=8, ident="test")
        self.port = self.server.effective_port
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        from waitress import wasyncore

        while not self._stop.is_set():
            wasyncore.loop(timeout=0.05, map=self.server._map, count=1)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        from waitress import wasyncore

        self._stop.set()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "the test server did not stop"
        wasyncore.close_all(self.server._map)  # the listening socket, the trigger and open connections
        self.server.task_dispatcher.shutdown()


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[LiveServer]:
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no browser download needed)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package (see .ci/run)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def axe_page(browser):
    """A page for the accessibility checks (tests/browse/test_a11y_browse.serious_violations)."""
    # axe is injected through the DevTools protocol, so the site's strict CSP stays as it is
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a screenshot under test-artifacts/ (kept by CI as a test artifact)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def kill_build_when(settings: dict[str, Any], seen: Any, *, poll: float = 0.005, timeout: float = 120) -> None:
    """Run `sociale-basis build --force` in a process of its own on `settings` and SIGKILL it as
    soon as `seen()` is true (or when it ends by itself): for tests of what a killed build leaves."""
    import signal
    import subprocess
    import sys
    import time

    env = {**os.environ, **{f"SOCIALE_BASIS_{k}": str(v) for k, v in settings.items()}}
    proc = subprocess.Popen([sys.executable, "-m", "webapp.cli", "build", "--force"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if seen():
            break
        time.sleep(poll)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
