"""Real servers for the tests, each started in a temporary folder on a free loopback port and stopped
afterwards: here the generic helpers, Oxigraph server (`oxigraph serve`, from the PyPI package
`oxigraph`) and Virtuoso (Debian's virtuoso-opensource); PostgreSQL and Redis are in
tests/sharedstate.py. A missing server binary fails the
test with what to install: it is never skipped (.ci/run installs them all)."""

from __future__ import annotations

import glob
import os
import shutil
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
    end(process)
    pytest.fail(f"{what} did not start in {seconds:.0f} s: {log.read_text(errors='replace')[-2000:]}")


def end(process: subprocess.Popen) -> None:
    """Stop a server process: SIGTERM (a gunicorn master stops its workers), then SIGKILL."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class Server:
    """A started server process; `stop()` ends it (SIGTERM, then SIGKILL)."""

    def __init__(self, process: subprocess.Popen, folder: Path, port: int, log: Any = None) -> None:
        self.process = process
        self.folder = folder
        self.port = port
        self.log = log

    def stop(self) -> None:
        end(self.process)
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


def http_ok(url: str) -> bool:
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
    server = _start(command, folder, port, "oxigraph", lambda: http_ok(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D"))
    return OxigraphServer(server.process, folder, port, server.log)



# -- Virtuoso ------------------------------------------------------------------------------------
VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = {sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., {d}
[HTTPServer]
ServerPort = {http_port}
ServerRoot = {d}
ServerThreads = 10
MaxClientConnections = 20
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 400
"""
UNION_GRAPH = "https://w3id.org/sociale-basis/graph/unie"


class VirtuosoServer(Server):
    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def settings(self) -> dict[str, str]:
        """The app settings that put the store on this server: updates at its SPARQL endpoint, the
        union in a named graph of its own (a query without FROM reads every graph on Virtuoso)."""
        return {"STORE": "sparql", "SPARQL_QUERY_URL": f"{self.base}/sparql", "SPARQL_UPDATE_URL": f"{self.base}/sparql",
                "SPARQL_STORE_URL": "", "SPARQL_UNION_GRAPH": UNION_GRAPH}


def start_virtuoso(folder: Path) -> VirtuosoServer:
    """Virtuoso Open Source 7 with a database of its own, SPARQL Update granted to its SPARQL user."""
    exe = binary("virtuoso-t", hint="install Debian's virtuoso-opensource package (.ci/run does)")
    isql = binary("isql-vt", hint="install Debian's virtuoso-opensource package (.ci/run does)")
    folder.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=folder, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    command = [exe, "+foreground", "+configfile", str(ini)]
    server = _start(command, folder, http_port, "virtuoso", lambda: http_ok(f"http://127.0.0.1:{http_port}/sparql?query=ASK%7B%7D"))
    granted = subprocess.run([isql, str(sql_port), "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
                             capture_output=True, text=True, timeout=60)
    if granted.returncode != 0:
        server.stop()
        pytest.fail(f"virtuoso: GRANT SPARQL_UPDATE failed: {granted.stdout[-500:]} {granted.stderr[-500:]}")
    return VirtuosoServer(server.process, folder, http_port, server.log)


# -- nginx (the reverse proxy with the shared SPARQL cache) ----------------------------------------
def start_nginx(folder: Path, upstreams: list[str]) -> Server:
    """nginx with the configuration `sociale-basis proxy-config` writes, in front of `upstreams`."""
    from webapp.proxyconf import write

    exe = binary("nginx", hint="install Debian's nginx-light package (.ci/run does)", extra=("/usr/sbin/nginx",))
    port = free_port()
    conf = write(f"127.0.0.1:{port}", upstreams, folder, workers=1)
    # started as root, nginx would run its workers as nobody, who cannot write this private folder
    directives = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
    command = [exe, "-p", str(folder.resolve()), "-e", str(folder.resolve() / "error.log"), "-c", str(conf),
               "-g", directives]
    return _start(command, folder, port, "nginx", lambda: http_ok(f"http://127.0.0.1:{port}/health"))
