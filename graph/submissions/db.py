"""The database behind the submissions and editor accounts: SQLite in DATA_DIR (the default), or
PostgreSQL (SUBMISSIONS_DB=postgresql://…) when several web processes or machines share them.

One small adapter per engine, so that SubmissionStore's SQL is written once: statements use `?`
placeholders (rewritten to `%s` for psycopg), rows are read by column name or position, and
`transaction(immediate=True)` lets one writer in at a time (SQLite's BEGIN IMMEDIATE, PostgreSQL's
transaction-scoped advisory lock). Both commit durably before a write returns: SQLite in WAL mode
with synchronous=FULL, PostgreSQL with its default synchronous_commit=on. Acknowledged means committed.

Both open a connection per operation, so one instance serves every thread and nothing is shared
across a fork; with many web processes, a pooler such as PgBouncer in front of PostgreSQL keeps the
number of server connections down. The shared SQL must not contain a literal `%` or `?` other than
the placeholders.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, Iterator, Protocol, Sequence

from graph.errors import StoreError

WRITER_LOCK = 72_201  # the advisory lock PostgreSQL writers take (any constant the app owns)


class Database(Protocol):
    """What SubmissionStore needs of a database."""

    def connection(self) -> Any: ...

    def transaction(self, immediate: bool = True) -> Any: ...

    def ids_set_explicitly(self, conn: Any, table: str) -> None: ...


class SqliteDatabase:
    """SQLite in one file: a short-lived connection per operation (thread-safe), WAL, synchronous=FULL."""

    def __init__(self, path: str | Path, schema: str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(schema)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        with closing(self._connect()) as conn:
            yield conn

    @contextmanager
    def transaction(self, immediate: bool = True) -> Iterator[sqlite3.Connection]:
        """One transaction, committed (durably) when the block ends, rolled back on an error."""
        with closing(self._connect()) as conn:
            conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def ids_set_explicitly(self, conn: Any, table: str) -> None:
        """Nothing to do: SQLite's AUTOINCREMENT follows the largest id."""


class PgRow(tuple[Any, ...]):
    """A row read by position or by column name, as sqlite3.Row is."""

    names: Sequence[str] = ()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names.index(key))
        return tuple.__getitem__(self, key)

    def keys(self) -> Sequence[str]:
        return self.names


def _pg_rows(cursor: Any) -> Any:
    """psycopg row factory: rows of a PgRow class that knows this statement's column names."""
    names = [c.name for c in cursor.description or ()]
    row_type = type("Row", (PgRow,), {"names": names})
    return lambda values: row_type(values)


class _PgConnection:
    """A psycopg connection that takes the `?` placeholders of the shared SQL."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(sql.replace("?", "%s"), tuple(params))


class PostgresDatabase:
    """PostgreSQL through psycopg 3: a connection per operation, the schema translated once."""

    def __init__(self, url: str, schema: str) -> None:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - the [scale] extra installs it
            raise StoreError("SUBMISSIONS_DB=postgresql://… needs psycopg: pip install 'sociale-basis[scale]'") from exc
        self.psycopg = psycopg
        self.url = url
        with self.transaction() as conn:
            for statement in pg_schema(schema):
                conn.execute(statement)

    def _connect(self) -> Any:
        try:
            return self.psycopg.connect(self.url, row_factory=_pg_rows, connect_timeout=10)
        except self.psycopg.OperationalError as exc:
            raise StoreError(f"the submissions database cannot be reached: {exc}") from exc

    @contextmanager
    def connection(self) -> Iterator[_PgConnection]:
        conn = self._connect()
        try:
            conn.autocommit = True
            yield _PgConnection(conn)
        finally:
            conn.close()

    @contextmanager
    def transaction(self, immediate: bool = True) -> Iterator[_PgConnection]:
        """One transaction, committed when the block ends (rolled back on an error); with
        `immediate`, writers take turns, as SQLite's BEGIN IMMEDIATE makes them."""
        conn = self._connect()
        try:
            with conn.transaction():
                if immediate:
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK,))
                yield _PgConnection(conn)
        finally:
            conn.close()

    def ids_set_explicitly(self, conn: Any, table: str) -> None:
        """After rows were inserted with their own ids (an import), the next new id follows them."""
        conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))")


def pg_schema(schema: str) -> list[str]:
    """The SQLite schema as PostgreSQL statements (identity keys, double-precision reals)."""
    text = schema.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY")
    text = re.sub(r"\bREAL\b", "DOUBLE PRECISION", text)
    return [s.strip() for s in text.split(";") if s.strip()]


def open_database(url_or_path: str | Path, schema: str) -> Database:
    """PostgreSQL for a postgresql:// URL, SQLite for a file path."""
    text = str(url_or_path)
    if text.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(text, schema)
    return SqliteDatabase(text, schema)
