"""PostgreSQL and Redis for the tests of state shared by several web processes (submissions and
editor accounts, rate-limit counters), each started in a temporary folder on a free loopback port
and stopped afterwards, with the helpers of tests/servers.py. A missing server binary fails the test
with what to install (.ci/run installs Debian's postgresql and redis-server); it is never skipped.

PostgreSQL refuses to run as root: as root (CI, this machine) the server runs as the `postgres`
user the Debian package creates (or `nobody`), in a folder handed to that user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any

from tests.servers import Server, _start, binary, free_port, wait_until

PG_DIRS = ("/usr/lib/postgresql/*/bin/{}",)
PG_HINT = "install PostgreSQL (Debian: apt-get install postgresql; its programs are in /usr/lib/postgresql/<version>/bin)"


def _pg_binary(name: str) -> str:
    return binary(name, hint=PG_HINT, extra=tuple(pattern.format(name) for pattern in PG_DIRS))


def _unprivileged_user() -> str | None:
    """The user to run PostgreSQL as when we are root (None: we are not root, run as ourselves)."""
    if os.getuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    return "nobody"


class PostgresServer(Server):
    """A PostgreSQL cluster of its own; `url(schema)` connects to a schema of its one database."""

    def url(self, schema: str | None = None) -> str:
        base = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        return base + (f"?options=-csearch_path%3D{schema}" if schema else "")

    def new_schema(self) -> str:
        """A fresh, empty schema (one per test: its tables start empty); the URL that uses it."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return self.url(name)

    def stop(self) -> None:
        super().stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def start_postgres() -> PostgresServer:
    """initdb in a new temporary folder, then `postgres` on a free port of 127.0.0.1 (trust for local
    connections, no other listener; fsync stays on: acknowledged must mean on disk here too)."""
    initdb, postgres = _pg_binary("initdb"), _pg_binary("postgres")
    user = _unprivileged_user()
    folder = Path(tempfile.mkdtemp(prefix="sb-postgres-"))
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    data = folder / "data"
    made = subprocess.run([initdb, "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-instructions"],
                          capture_output=True, text=True, user=user, cwd=folder, timeout=120)
    if made.returncode != 0:
        raise AssertionError(f"initdb failed: {made.stderr[-2000:]}")
    port = free_port()
    command = [postgres, "-D", str(data), "-p", str(port), "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={folder}"]
    log = folder / "server.log"
    handle = log.open("wb")
    process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, cwd=folder, user=user,
                               env={**os.environ, "LC_ALL": "C"}, start_new_session=True)
    try:
        wait_until(lambda: _accepts(port), "postgres", process, log)
    except BaseException:
        handle.close()
        raise
    return PostgresServer(process, folder, port, handle)


def _accepts(port: int) -> bool:
    import psycopg

    try:
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres", connect_timeout=2) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.OperationalError:
        return False


class RedisServer(Server):
    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def flush(self) -> None:
        """Forget every counter (between tests)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            sock.sendall(b"FLUSHALL\r\n")
            assert sock.recv(64).startswith(b"+OK")

    def stop(self) -> None:
        super().stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def start_redis() -> RedisServer:
    """redis-server on a free port of 127.0.0.1, nothing saved to disk."""
    exe = binary("redis-server", hint="install Redis (Debian: apt-get install redis-server)")
    folder = Path(tempfile.mkdtemp(prefix="sb-redis-"))
    port = free_port()
    command = [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)]
    server = _start(command, folder, port, "redis-server", lambda: _pong(port))
    return RedisServer(server.process, folder, port, server.log)


def _pong(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        sock.sendall(b"PING\r\n")
        return sock.recv(64).startswith(b"+PONG")


def settings_for(postgres: PostgresServer | None, redis: RedisServer | None) -> dict[str, Any]:
    """App settings that put the shared state on these servers."""
    found: dict[str, Any] = {}
    if postgres is not None:
        found["SUBMISSIONS_DB"] = postgres.new_schema()
    if redis is not None:
        found["RATELIMIT_STORAGE"] = redis.url()
    return found
