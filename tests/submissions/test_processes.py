"""Several web processes share one state: the store on Oxigraph server, the submissions and editor
accounts in PostgreSQL, the rate-limit counters in Redis (each a real server, tests/servers.py and
tests/sharedstate.py).

- Two processes on two ports (as on two machines behind a load balancer, each with its own data
  directory): which process answers is then chosen by the test, so each claim is checked exactly:
  a submission accepted by one is in the queue of an editor signed in on the other, a session
  works on both and signing out on one ends it on the other, and the rate limits count across both.
- `sociale-basis serve --workers 2` on one port (gunicorn): both worker processes answer (seen in
  /health's "process"), the submission limit holds for the port as a whole, and every answer of the
  signed-in editor's queue, from whichever worker, holds every submission.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.conftest import FIXTURE_DATA, ONTOLOGY, ROOT
from tests.servers import OxigraphServer, end, free_port, http_ok, start_oxigraph, wait_until
from tests.sharedstate import PostgresServer, RedisServer
from tests.submissions.test_durability import client, csrf

pytestmark = pytest.mark.slow

EDITOR, PASSWORD = "redacteur", "een-sterk-wachtwoord-7"
SUBMIT_LIMIT = 3


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    try:
        yield server
    finally:
        server.stop()


def environment(data_dir: Path, oxigraph: OxigraphServer, postgres: PostgresServer, redis: RedisServer,
                database: str) -> dict[str, str]:
    settings = {
        "DATA_DIR": str(data_dir), "SOURCE_DATA_PATH": str(FIXTURE_DATA), "ONTOLOGY_PATH": str(ONTOLOGY),
        "SECRET_KEY": "two-processes-secret", "SUBMISSIONS_DB": database, "RATELIMIT_STORAGE": redis.url(),
        "SUBMIT_RATE": f"{SUBMIT_LIMIT}/300", "LOGIN_RATE": "100/60", "STORE_POLL_SECONDS": "0.2", "THREADS": "4",
        **oxigraph.settings(),
    }
    return dict(os.environ, PYTHONUNBUFFERED="1", **{f"SOCIALE_BASIS_{k}": v for k, v in settings.items()})


def start(args: list[str], env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    """`sociale-basis serve …` in a process of its own, once /health answers."""
    with open(log, "ab") as handle:
        process = subprocess.Popen([sys.executable, "-m", "webapp.cli", "serve", "--host", "127.0.0.1", "--port", str(port), *args],
                                   cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    wait_until(lambda: http_ok(f"http://127.0.0.1:{port}/health"), "sociale-basis serve", process, log, 120)
    return process


def stop(process: subprocess.Popen) -> None:
    end(process)  # gunicorn's master stops its workers on SIGTERM


def add_editor(env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "-m", "webapp.cli", "editor", "add", EDITOR], input=PASSWORD + "\n", text=True,
                          capture_output=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr


def post(opener: Any, url: str, fields: dict[str, Any]) -> tuple[int, str, int | None]:
    """POST a form: the status, the Location and the Retry-After (redirects are not followed)."""
    body = urllib.parse.urlencode(fields, doseq=True).encode("utf-8")
    try:
        with opener.open(urllib.request.Request(url, data=body, method="POST"), timeout=10) as response:
            return response.status, "", None
    except urllib.error.HTTPError as exc:
        with exc:  # a 303 or an error status; closed, so no socket is left for the garbage collector
            retry = exc.headers.get("Retry-After")
            return exc.code, exc.headers.get("Location", ""), int(retry) if retry else None


def submission(token: str, title: str) -> dict[str, Any]:
    return {"csrf_token": token, "action": "submit", "title": title, "kind": "artikel", "pillars": ["sociale-cohesie"],
            "summary": "Een bijdrage over ontmoeting in buurthuizen en wijkcentra, voor de toets met twee processen.",
            "name": "Inzender", "email": "inzender@example.org", "consent": "ja"}


def submit(base: str, title: str) -> tuple[int, str, int | None]:
    """A visitor (new session) submits on `base`: status, Location (the receipt when accepted), Retry-After."""
    visitor = client()
    return post(visitor, base + "/bijdragen", submission(csrf(visitor, base + "/bijdragen"), title))


def sign_in(base: str) -> Any:
    editor = client()
    status, _, _ = post(editor, base + "/redactie/inloggen", {"csrf_token": csrf(editor, base + "/redactie/inloggen"),
                                                           "name": EDITOR, "password": PASSWORD})
    assert status == 303
    return editor


def queue(editor: Any, base: str) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(base + "/redactie.json?status=pending", headers={"Accept": "application/json"})
    try:
        with editor.open(request, timeout=10) as response:
            return response.status, json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, {}


def retry_after(base: str, title: str) -> int:
    """Submit once more, expecting 429: its Retry-After."""
    status, _, retry = submit(base, title)
    assert status == 429 and retry is not None
    return retry


def test_two_processes_on_two_ports_share_submissions_sessions_and_limits(
    tmp_path: Path, oxigraph: OxigraphServer, postgres_server: PostgresServer, redis_server: RedisServer,
) -> None:
    redis_server.flush()
    database = postgres_server.new_schema()
    env_a = environment(tmp_path / "a", oxigraph, postgres_server, redis_server, database)
    env_b = environment(tmp_path / "b", oxigraph, postgres_server, redis_server, database)
    add_editor(env_a)
    port_a, port_b = free_port(), free_port()
    a = start([], env_a, port_a, tmp_path / "a.log")  # the first start loads the empty Oxigraph server
    try:
        b = start([], env_b, port_b, tmp_path / "b.log")
        try:
            base_a, base_b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
            # the submission limit counts across both: 2 on A and 1 on B use it up for this address
            accepted = [submit(base_a, "Twee processen: eerste"), submit(base_a, "Twee processen: tweede"),
                        submit(base_b, "Twee processen: derde")]
            assert [status for status, _, _ in accepted] == [303] * SUBMIT_LIMIT
            assert 1 <= retry_after(base_b, "Twee processen: te veel op B") <= 300
            assert 1 <= retry_after(base_a, "Twee processen: te veel op A") <= 300

            # submissions accepted on A are in the queue of an editor signed in on B
            editor = sign_in(base_b)
            status, pending = queue(editor, base_b)
            assert status == 200
            assert {item["title"] for item in pending["submissions"]} == {
                "Twee processen: eerste", "Twee processen: tweede", "Twee processen: derde"}

            # the session signed in on B works on A; signing out on A ends it on B too
            assert queue(editor, base_a)[0] == 200
            logout_token = csrf(editor, base_a + "/redactie")
            assert post(editor, base_a + "/redactie/uitloggen", {"csrf_token": logout_token})[0] == 303
            assert queue(editor, base_b)[0] == 401
        finally:
            stop(b)
    finally:
        stop(a)


def test_workers_on_one_port_share_submissions_sessions_and_limits(
    tmp_path: Path, oxigraph: OxigraphServer, postgres_server: PostgresServer, redis_server: RedisServer,
) -> None:
    redis_server.flush()
    env = environment(tmp_path / "data", oxigraph, postgres_server, redis_server, postgres_server.new_schema())
    add_editor(env)
    port = free_port()
    server = start(["--workers", "2"], env, port, tmp_path / "server.log")
    try:
        base = f"http://127.0.0.1:{port}"
        answered = set()
        deadline = time.monotonic() + 60  # the second worker may still be building its caches
        while len(answered) < 2 and time.monotonic() < deadline:
            # a new connection each time: the kernel hands them to whichever worker accepts first
            with urllib.request.urlopen(base + "/health", timeout=10) as response:
                answered.add(json.loads(response.read())["process"])
            time.sleep(0.02)
        assert len(answered) == 2, f"only process(es) {answered} answered"
        assert server.pid not in answered  # the workers answer, not gunicorn's master

        statuses = [submit(base, f"Eén poort: voorstel {n}")[0] for n in range(SUBMIT_LIMIT + 3)]
        assert statuses == [303] * SUBMIT_LIMIT + [429] * 3  # one limit for the port, whichever worker counts

        editor = sign_in(base)
        for _ in range(12):
            status, pending = queue(editor, base)
            assert status == 200
            assert pending["counts"]["pending"] == SUBMIT_LIMIT
    finally:
        stop(server)
    assert "with 2 worker processes" in (tmp_path / "server.log").read_text(errors="replace")

