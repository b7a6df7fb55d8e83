"""Submissions and editor accounts, kept in SQLite beside the store (DATA_DIR/submissions.sqlite) or
in PostgreSQL (SUBMISSIONS_DB), through graph.submissions.db.

Pending and rejected submissions never enter the RDF store, so no SPARQL query (not `GRAPH ?g`,
not `FROM NAMED`) can reach them; the submitter's name and e-mail live only here. Every write is
committed (and so on disk) before it returns: a submission acknowledged to its submitter survives
the server being killed at any moment.
"""

from __future__ import annotations

import builtins
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

from rdflib import URIRef

from graph.errors import N_, BadRequest, Conflict, NotFound, StoreError
from graph.namespaces import entity_iri
from graph.submissions.db import Database, open_database

DB_FILE = "submissions.sqlite"
PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
STATUSES = (PENDING, APPROVED, REJECTED)
EDITOR_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
# A hash to check against when the editor does not exist, so both cases take the same time.
_DUMMY_HASH: str | None = None

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  receipt TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  submitted_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  data TEXT NOT NULL,
  assessment TEXT NOT NULL DEFAULT '{}',
  submitter_name TEXT NOT NULL DEFAULT '',
  submitter_email TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  decided_by TEXT,
  decided_at TEXT,
  publication_iri TEXT,
  graph_trig TEXT
);
CREATE INDEX IF NOT EXISTS submissions_status ON submissions (status, id);
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  submission_id INTEGER NOT NULL REFERENCES submissions (id),
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS events_submission ON events (submission_id, id);
CREATE TABLE IF NOT EXISTS editors (
  name TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  agent_id TEXT NOT NULL UNIQUE,
  session_version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS login_failures (
  name TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT '',
  client TEXT NOT NULL DEFAULT ''
);
"""


def now() -> str:
    """The current time as ISO 8601 UTC with seconds ('2024-05-01T12:00:00+00:00', rdflib's canonical form)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def graph_iri(submission_id: int) -> URIRef:
    """The named graph (and sb:Source) of an approved submission."""
    return entity_iri("bron", f"inzending-{int(submission_id)}")


@dataclass
class Submission:
    id: int
    receipt: str
    status: str
    submitted_at: str
    updated_at: str
    data: dict[str, Any]
    assessment: dict[str, Any]
    name: str = ""
    email: str = ""
    note: str = ""
    decided_by: str | None = None
    decided_at: str | None = None
    publication_iri: str | None = None
    graph_trig: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def graph_iri(self) -> URIRef:
        return graph_iri(self.id)

    @property
    def title(self) -> str:
        return str(self.data.get("title", ""))

    def moderation_record(self) -> dict[str, Any]:
        """Everything except the submitter's name and e-mail (for exports and JSON views)."""
        return {
            "id": self.id, "receipt": self.receipt, "status": self.status, "submitted_at": self.submitted_at,
            "updated_at": self.updated_at, "data": self.data, "assessment": self.assessment, "note": self.note,
            "decided_by": self.decided_by, "decided_at": self.decided_at, "publication_iri": self.publication_iri,
            "graph": str(self.graph_iri) if self.status == APPROVED else None, "events": self.events,
        }


@dataclass(frozen=True)
class Editor:
    name: str
    agent_id: str
    session_version: int
    created_at: str


class SubmissionStore:
    """The submissions database (SQLite or PostgreSQL, graph.submissions.db); a short-lived
    connection per operation, so one instance serves every thread."""

    def __init__(self, path: str | Path) -> None:
        self.db: Database = open_database(path, SCHEMA)

    @classmethod
    def in_data_dir(cls, data_dir: str | Path) -> "SubmissionStore":
        return cls(Path(data_dir) / DB_FILE)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> "SubmissionStore":
        """SUBMISSIONS_DB (a postgresql:// URL) when set, else SQLite in DATA_DIR."""
        return cls(settings["SUBMISSIONS_DB"]) if settings.get("SUBMISSIONS_DB") else cls.in_data_dir(settings["DATA_DIR"])

    def transaction(self, immediate: bool = True) -> Any:
        """One transaction, committed (durably) when the block ends; `immediate`: writers take turns."""
        return self.db.transaction(immediate)

    # -- submissions ------------------------------------------------------------------------
    def add(self, data: dict[str, Any], assessment: dict[str, Any], name: str, email: str) -> Submission:
        """Store a new pending submission; it is on disk when this returns."""
        stamp = now()
        receipt = secrets.token_urlsafe(18)
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO submissions (receipt, status, submitted_at, updated_at, data, assessment, submitter_name, submitter_email)"
                " VALUES (?, 'pending', ?, ?, ?, ?, ?, ?) RETURNING id",
                (receipt, stamp, stamp, _dump(data), _dump(assessment), name, email),
            )
            new_id = int(cur.fetchone()[0])
            conn.execute("INSERT INTO events (submission_id, at, actor, action) VALUES (?, ?, 'inzender', 'submitted')", (new_id, stamp))
        return self.require(new_id)

    def get(self, submission_id: int, *, with_events: bool = False) -> Submission | None:
        with self.db.connection() as conn:
            row = conn.execute("SELECT * FROM submissions WHERE id = ?", (int(submission_id),)).fetchone()
            if row is None:
                return None
            sub = _submission(row)
            if with_events:
                sub.events = self._events(conn, sub.id)
            return sub

    def require(self, submission_id: int, *, with_events: bool = False) -> Submission:
        sub = self.get(submission_id, with_events=with_events)
        if sub is None:
            raise NotFound(N_("submission %(id)s does not exist"), id=submission_id)
        return sub

    def by_receipt(self, receipt: str) -> Submission | None:
        with self.db.connection() as conn:
            row = conn.execute("SELECT * FROM submissions WHERE receipt = ?", (receipt,)).fetchone()
            return _submission(row) if row else None

    def list(self, status: str | None = None, *, limit: int = 500, offset: int = 0, newest_first: bool = False) -> list[Submission]:
        if status is not None and status not in STATUSES:
            raise BadRequest(N_("unknown status '%(status)s'"), status=status)
        order = "DESC" if newest_first else "ASC"
        with self.db.connection() as conn:
            if status is None:
                rows = conn.execute(f"SELECT * FROM submissions ORDER BY id {order} LIMIT ? OFFSET ?", (limit, offset)).fetchall()
            else:
                rows = conn.execute(f"SELECT * FROM submissions WHERE status = ? ORDER BY id {order} LIMIT ? OFFSET ?",
                                    (status, limit, offset)).fetchall()
            return [_submission(r) for r in rows]

    def all(self) -> builtins.list[Submission]:
        """Every submission with its events (for export)."""
        with self.db.connection() as conn:
            subs = [_submission(r) for r in conn.execute("SELECT * FROM submissions ORDER BY id").fetchall()]
            for sub in subs:
                sub.events = self._events(conn, sub.id)
            return subs

    def counts(self) -> dict[str, int]:
        with self.db.connection() as conn:
            found = dict(conn.execute("SELECT status, COUNT(*) FROM submissions GROUP BY status").fetchall())
        return {s: int(found.get(s, 0)) for s in STATUSES}

    def action_counts(self) -> dict[str, int]:
        """How often each event (submitted, edited, approved, updated, rejected, withdrawn, reopened) was recorded."""
        with self.db.connection() as conn:
            return {str(a): int(n) for a, n in conn.execute("SELECT action, COUNT(*) FROM events GROUP BY action").fetchall()}

    def update_data(self, submission_id: int, data: dict[str, Any], assessment: dict[str, Any], actor: str) -> Submission:
        """An editor's changes to the public fields (the status stays)."""
        stamp = now()
        with self.transaction() as conn:
            cur = conn.execute("UPDATE submissions SET data = ?, assessment = ?, updated_at = ? WHERE id = ?",
                               (_dump(data), _dump(assessment), stamp, int(submission_id)))
            if cur.rowcount != 1:
                raise NotFound(N_("submission %(id)s does not exist"), id=submission_id)
            conn.execute("INSERT INTO events (submission_id, at, actor, action) VALUES (?, ?, ?, 'edited')", (int(submission_id), stamp, actor))
        return self.require(submission_id)

    def decide(self, submission_id: int, status: str, actor: str, note: str, *, action: str,
               publication_iri: str | None = None, graph_trig: str | None = None, expect: tuple[str, ...] = STATUSES) -> Submission:
        """Set the moderation outcome (one transaction; `expect` guards against two editors at once)."""
        if status not in STATUSES:
            raise BadRequest(N_("unknown status '%(status)s'"), status=status)
        stamp = now()
        with self.transaction() as conn:
            row = conn.execute("SELECT status FROM submissions WHERE id = ?", (int(submission_id),)).fetchone()
            if row is None:
                raise NotFound(N_("submission %(id)s does not exist"), id=submission_id)
            if row["status"] not in expect:
                raise Conflict(N_("submission %(id)s is now %(status)s"), id=submission_id, status=row["status"])
            conn.execute(
                "UPDATE submissions SET status = ?, note = ?, decided_by = ?, decided_at = ?, updated_at = ?,"
                " publication_iri = COALESCE(?, publication_iri), graph_trig = ? WHERE id = ?",
                (status, note, actor, stamp, stamp, publication_iri, graph_trig, int(submission_id)),
            )
            conn.execute("INSERT INTO events (submission_id, at, actor, action, note) VALUES (?, ?, ?, ?, ?)",
                         (int(submission_id), stamp, actor, action, note))
        return self.require(submission_id)

    def restore(self, record: dict[str, Any]) -> bool:
        """Put back one exported moderation record (import). Keeps local private fields; True if changed."""
        sid = int(record["id"])
        fields = (
            record["receipt"], record["status"], record["submitted_at"], record["updated_at"], _dump(record["data"]),
            _dump(record.get("assessment") or {}), record.get("note") or "", record.get("decided_by"),
            record.get("decided_at"), record.get("publication_iri"), record.get("graph_trig"),
        )
        with self.transaction() as conn:
            row = conn.execute("SELECT * FROM submissions WHERE id = ?", (sid,)).fetchone()
            if row is not None and row["receipt"] != record["receipt"]:
                raise Conflict(N_("submission %(id)s in the database is a different submission than %(id)s in the import"), id=sid)
            clash = conn.execute("SELECT id FROM submissions WHERE receipt = ? AND id != ?", (record["receipt"], sid)).fetchone()
            if clash is not None:
                raise Conflict(N_("submission %(id)s of the import is stored here as %(here)s"), id=sid, here=clash["id"])
            current = None if row is None else (
                row["receipt"], row["status"], row["submitted_at"], row["updated_at"], row["data"], row["assessment"], row["note"],
                row["decided_by"], row["decided_at"], row["publication_iri"], row["graph_trig"],
            )
            changed = current != fields
            if row is None:
                conn.execute(
                    "INSERT INTO submissions (id, receipt, status, submitted_at, updated_at, data, assessment, note, decided_by,"
                    " decided_at, publication_iri, graph_trig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (sid,) + fields)
                self.db.ids_set_explicitly(conn, "submissions")
            elif changed:
                conn.execute(
                    "UPDATE submissions SET receipt = ?, status = ?, submitted_at = ?, updated_at = ?, data = ?, assessment = ?,"
                    " note = ?, decided_by = ?, decided_at = ?, publication_iri = ?, graph_trig = ? WHERE id = ?", fields + (sid,))
            known = {(e["at"], e["actor"], e["action"], e["note"]) for e in self._events(conn, sid)}
            for event in record.get("events") or []:
                key = (event["at"], event["actor"], event["action"], event.get("note") or "")
                if key not in known:
                    conn.execute("INSERT INTO events (submission_id, at, actor, action, note) VALUES (?, ?, ?, ?, ?)", (sid,) + key)
                    known.add(key)
                    changed = True
        return changed

    @staticmethod
    def _events(conn: Any, submission_id: int) -> builtins.list[dict[str, Any]]:
        rows = conn.execute("SELECT at, actor, action, note FROM events WHERE submission_id = ? ORDER BY id", (submission_id,)).fetchall()
        return [dict(r) for r in rows]

    # -- editors ----------------------------------------------------------------------------
    def add_editor(self, name: str, password: str, *, replace: bool = False) -> Editor:
        """Create an editor account (or set a new password with `replace`); the password is hashed (scrypt)."""
        from werkzeug.security import generate_password_hash

        check_editor_name(name)
        check_password(password)
        hashed = generate_password_hash(password, method="scrypt")
        with self.transaction() as conn:
            row = conn.execute("SELECT name FROM editors WHERE name = ?", (name,)).fetchone()
            if row is not None and not replace:
                raise Conflict(N_("editor '%(name)s' already exists (use --replace to set a new password)"), name=name)
            if row is None:
                conn.execute("INSERT INTO editors (name, password_hash, agent_id, created_at) VALUES (?, ?, ?, ?)",
                             (name, hashed, secrets.token_hex(6), now()))
            else:
                conn.execute("UPDATE editors SET password_hash = ?, session_version = session_version + 1 WHERE name = ?", (hashed, name))
        editor = self.editor(name)
        if editor is None:  # written in the transaction above
            raise StoreError(N_("editor %(name)s was not saved"), name=name)
        return editor

    def editor(self, name: str) -> Editor | None:
        with self.db.connection() as conn:
            row = conn.execute("SELECT name, agent_id, session_version, created_at FROM editors WHERE name = ?", (name,)).fetchone()
        return Editor(**dict(row)) if row else None

    def editors(self) -> builtins.list[Editor]:
        with self.db.connection() as conn:
            rows = conn.execute("SELECT name, agent_id, session_version, created_at FROM editors ORDER BY name").fetchall()
        return [Editor(**dict(r)) for r in rows]

    def remove_editor(self, name: str) -> None:
        with self.transaction() as conn:
            if conn.execute("DELETE FROM editors WHERE name = ?", (name,)).rowcount != 1:
                raise NotFound(N_("no editor '%(name)s'"), name=name)

    def verify_editor(self, name: str, password: str) -> Editor | None:
        """The editor if the password is right; None otherwise (in about the same time either way)."""
        from werkzeug.security import check_password_hash, generate_password_hash

        global _DUMMY_HASH
        with self.db.connection() as conn:
            row = conn.execute("SELECT password_hash FROM editors WHERE name = ?", (name,)).fetchone()
        if row is None or len(password) > MAX_PASSWORD:
            if _DUMMY_HASH is None:
                _DUMMY_HASH = generate_password_hash(secrets.token_hex(16), method="scrypt")
            check_password_hash(_DUMMY_HASH, password[:MAX_PASSWORD])
            return None
        return self.editor(name) if check_password_hash(row["password_hash"], password) else None

    def end_sessions(self, name: str) -> None:
        """Invalidate every signed-in session of the editor (logout, password change)."""
        with self.transaction() as conn:
            conn.execute("UPDATE editors SET session_version = session_version + 1 WHERE name = ?", (name,))


def check_editor_name(name: str) -> None:
    if not EDITOR_NAME_RE.match(name):
        raise BadRequest(N_("editor names are 2-40 characters: lowercase letters, digits, '.', '_' or '-', starting with a letter or digit"))


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise BadRequest(N_("the password must have at least %(n)s characters"), n=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise BadRequest(N_("the password must have at most %(n)s characters"), n=MAX_PASSWORD)


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _submission(row: Any) -> Submission:
    return Submission(
        id=int(row["id"]), receipt=row["receipt"], status=row["status"], submitted_at=row["submitted_at"],
        updated_at=row["updated_at"], data=json.loads(row["data"]), assessment=json.loads(row["assessment"] or "{}"),
        name=row["submitter_name"], email=row["submitter_email"], note=row["note"], decided_by=row["decided_by"],
        decided_at=row["decided_at"], publication_iri=row["publication_iri"], graph_trig=row["graph_trig"],
    )
