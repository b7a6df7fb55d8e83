"""Real database servers for the tests, each started in a temporary folder on a free loopback port and
stopped afterwards: Oxigraph server (`oxigraph serve`, from the PyPI package `oxigraph`), Virtuoso
(Debian's virtuoso-opensource), PostgreSQL and Redis (Debian's packages). A missing server binary
fails the test with what to install: it is never skipped (.ci/run installs them all)."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Callable

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def binary(name: str, *, hint: str, extra: tuple[str, ...] = ()) -> str:
    """The path of a server program: next to this Python (venv), on PATH, or in `extra` globs."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found:
        return found
    for pattern in extra:
        matches = sorted(glob.glob(pattern))
        if matches:
            return matches[-1]
    pytest.fail(f"{name} not found: {hint}")


def wait_until(ready: Callable[[], bool], what: str, process: subprocess.Popen, log: Path, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} exited ({process.returncode}): {log.read_text(errors='replace')[-2000:]}")
        try:
            if ready():
                return
        except OSError:
            pass
        time.sleep(0.1)
    process.kill()
    pytest.fail(f"{what} did not start in {seconds:.0f} s: {log.read_text(errors='replace')[-2000:]}")


class Server:
    """A started server process; `stop()` ends it (SIGTERM, then SIGKILL)."""

    def __init__(self, process: subprocess.Popen, folder: Path, port: int, log: Any = None) -> None:
        self.process = process
        self.folder = folder
        self.port = port
        self.log = log

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.log is not None:
            self.log.close()
            self.log = None


def _start(command: list[str], folder: Path, port: int, what: str, ready: Callable[[], bool],
           env: dict[str, str] | None = None, cwd: Path | None = None) -> Server:
    log = folder / "server.log"
    handle = log.open("wb")
    process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, cwd=cwd or folder,
                               env={**os.environ, **(env or {})}, start_new_session=True)
    try:
        wait_until(ready, what, process, log)
    except BaseException:
        handle.close()
        raise
    return Server(process, folder, port, handle)


def _http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own loopback server
        return 200 <= response.status < 500


# -- Oxigraph server ---------------------------------------------------------------------------
class OxigraphServer(Server):
    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def settings(self) -> dict[str, str]:
        """The app settings that put the store on this server."""
        return {"STORE": "sparql", "SPARQL_QUERY_URL": f"{self.base}/query", "SPARQL_UPDATE_URL": f"{self.base}/update",
                "SPARQL_STORE_URL": f"{self.base}/store"}


def start_oxigraph(folder: Path, *, read_only: bool = False, location: Path | None = None) -> OxigraphServer:
    exe = binary("oxigraph", hint="pip install oxigraph (the test extras install it)")
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    location = location or folder / "db"
    command = [exe, "serve-read-only" if read_only else "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    server = _start(command, folder, port, "oxigraph", lambda: _http_ok(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D"))
    return OxigraphServer(server.process, folder, port, server.log)
