"""Every test here runs twice: with the submissions in SQLite (the default) and in PostgreSQL
(SUBMISSIONS_DB), each data directory getting a database of its own (`test_submit_support.Backend`).
Tests marked `sqlite_only` check SQLite's own file and run once. The PostgreSQL server is started
once for the session (tests/sharedstate.py) and stopped at the end."""

from __future__ import annotations

from typing import Any, Iterator

import pytest

from tests.sharedstate import PostgresServer, RedisServer, start_postgres, start_redis
from tests.submissions import test_submit_support as support

BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Both backends, except for tests marked sqlite_only and tests that ask for `postgres_server`
    themselves (they choose their databases themselves): those run once."""
    if "submissions_db" not in metafunc.fixturenames or "postgres_server" in metafunc.fixturenames:
        return
    sqlite_only = metafunc.definition.get_closest_marker("sqlite_only") is not None
    metafunc.parametrize("submissions_db", BACKENDS[:1] if sqlite_only else BACKENDS, indirect=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = start_postgres()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    server = start_redis()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def submissions_db(request: pytest.FixtureRequest) -> Iterator[support.Backend]:
    """The test's submissions backend (parametrised: 'sqlite' or 'postgresql')."""
    name = getattr(request, "param", "sqlite")
    postgres: Any = request.getfixturevalue("postgres_server") if name == "postgresql" else None
    backend = support.Backend(postgres)
    support.BACKEND = backend
    try:
        yield backend
    finally:
        support.BACKEND = support.Backend()
