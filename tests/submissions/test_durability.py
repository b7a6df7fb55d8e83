"""Nothing lost: the real server (a subprocess) takes a burst of submissions, is killed with SIGKILL
in the middle of it (gunicorn's master and its worker at once, as a power cut would), and after a
restart every submission it acknowledged is in the editors' queue; with the submissions in SQLite
and in PostgreSQL (tests/submissions/conftest.py)."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURE_DATA, ONTOLOGY, ROOT
from tests.servers import end, http_ok, wait_until
from tests.submissions import test_submit_support as support

pytestmark = pytest.mark.slow

EDITOR, PASSWORD = "redacteur", "een-sterk-wachtwoord-7"
THREADS = 4
PER_THREAD = 60  # upper bound of each thread's burst
KILL_AFTER = 25  # acknowledged submissions before the kill
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(data_dir: Path) -> dict[str, str]:
    return dict(
        os.environ,
        SOCIALE_BASIS_DATA_DIR=str(data_dir),
        SOCIALE_BASIS_SOURCE_DATA_PATH=str(FIXTURE_DATA),
        SOCIALE_BASIS_ONTOLOGY_PATH=str(ONTOLOGY),
        SOCIALE_BASIS_SECRET_KEY="durability-secret",
        SOCIALE_BASIS_SUBMIT_RATE="100000/60",
        SOCIALE_BASIS_LOGIN_RATE="100/60",
        SOCIALE_BASIS_THREADS="8",
        PYTHONUNBUFFERED="1",
        **support.BACKEND.env(data_dir),  # SQLite in data_dir, or PostgreSQL (tests/submissions/conftest.py)
    )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 303 then surfaces as HTTPError, which is the acknowledgement we look for


def client() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())


def start(data_dir: Path, port: int, log: Path) -> subprocess.Popen:
    handle = open(log, "ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "webapp.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=environment(data_dir), stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
    )
    handle.close()
    wait_until(lambda: http_ok(f"http://127.0.0.1:{port}/health"), "sociale-basis serve", process, log, 90)
    return process


def csrf(opener: urllib.request.OpenerDirector, url: str) -> str:
    with opener.open(url, timeout=10) as response:
        match = CSRF_RE.search(response.read().decode("utf-8"))
    assert match
    return match.group(1)


def post(opener: urllib.request.OpenerDirector, url: str, fields: dict[str, Any]) -> tuple[int, str]:
    body = urllib.parse.urlencode(fields, doseq=True).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST")
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location", "")


def burst(base: str, worker: int, acknowledged: list[str], lock: threading.Lock, stop: threading.Event) -> None:
    opener = client()
    try:
        token = csrf(opener, base + "/bijdragen")
    except OSError:
        return
    for n in range(PER_THREAD):
        if stop.is_set():
            return
        title = f"Duurzaamheidstoets {worker}-{n}: buurthuizen in de wijk"
        fields = {
            "csrf_token": token, "action": "submit", "title": title, "kind": "artikel", "pillars": ["sociale-cohesie"],
            "summary": "Een bijdrage over ontmoeting in buurthuizen en wijkcentra, voor de toets op duurzaamheid.",
            "name": f"Inzender {worker}", "email": f"inzender{worker}@example.org", "consent": "ja",
        }
        try:
            status, location = post(opener, base + "/bijdragen", fields)
        except OSError:
            return  # the server is gone: this one was never acknowledged
        if status == 303 and "/bijdragen/ontvangen/" in location:
            with lock:
                acknowledged.append(title)
        else:
            return


def test_acknowledged_submissions_survive_sigkill(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    log = tmp_path / "server.log"
    added = subprocess.run([sys.executable, "-m", "webapp.cli", "editor", "add", EDITOR], input=PASSWORD + "\n", text=True,
                           capture_output=True, cwd=ROOT, env=environment(data_dir), timeout=120)
    assert added.returncode == 0, added.stderr

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start(data_dir, port, log)
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()
    workers = [threading.Thread(target=burst, args=(base, w, acknowledged, lock, stop), daemon=True) for w in range(THREADS)]
    try:
        for worker in workers:
            worker.start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with lock:
                if len(acknowledged) >= KILL_AFTER:
                    break
            if not any(w.is_alive() for w in workers):
                break
            time.sleep(0.005)
        os.killpg(server.pid, signal.SIGKILL)  # mid-burst, every process of the server: requests are in flight
        server.wait(timeout=30)
        stop.set()
        for worker in workers:
            worker.join(timeout=30)
        assert not any(w.is_alive() for w in workers)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
    with lock:
        acked = list(acknowledged)
    assert len(acked) >= KILL_AFTER, f"only {len(acked)} acknowledged before the kill"
    assert len(acked) < THREADS * PER_THREAD, "the kill came after the burst ended"

    # the database is sound after the kill
    if support.BACKEND.name == "sqlite":
        with sqlite3.connect(data_dir / "submissions.sqlite") as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    restarted = start(data_dir, port, log)
    try:
        opener = client()
        token = csrf(opener, base + "/redactie/inloggen")
        status, _location = post(opener, base + "/redactie/inloggen", {"csrf_token": token, "name": EDITOR, "password": PASSWORD})
        assert status == 303
        request = urllib.request.Request(base + "/redactie.json?status=pending", headers={"Accept": "application/json"})
        with opener.open(request, timeout=10) as response:
            queue = json.loads(response.read().decode("utf-8"))
        titles = {item["title"] for item in queue["submissions"]}
        missing = [t for t in acked if t not in titles]
        assert missing == [], f"{len(missing)} acknowledged submission(s) lost: {missing[:5]}"
        assert queue["counts"]["pending"] >= len(acked)
        # and the server still takes new ones
        fresh = client()
        token = csrf(fresh, base + "/bijdragen")
        status, _ = post(fresh, base + "/bijdragen", {
            "csrf_token": token, "action": "submit", "title": "Na de herstart", "kind": "artikel", "pillars": ["sociale-cohesie"],
            "summary": "Een bijdrage over ontmoeting in buurthuizen, ingestuurd na de herstart.", "name": "N", "email": "n@example.org",
            "consent": "ja",
        })
        assert status == 303
    finally:
        end(restarted)
