"""Sign-in protection and the audit log: a per-account backoff after failed sign-ins (on top of the
per-address rate limit), and one log of sign-ins and moderation actions, kept in the submissions
database so that every web process sees the same counts.

The backoff doubles the wait after each failure beyond the first few, up to `MAX_WAIT`: guessing
from many addresses gets a handful of tries per minute, while the editor is never locked out for
longer than the wait after a success ends it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from graph.submissions.store import SubmissionStore, now

FREE_FAILURES = 3
MAX_WAIT = 900.0
FORGET_AFTER = 24 * 3600.0

log = logging.getLogger("sociale_basis.audit")


@dataclass(frozen=True)
class AuditEntry:
    at: str
    actor: str
    action: str
    detail: str
    client: str


def login_wait(store: SubmissionStore, name: str, *, at: float | None = None) -> float:
    """Seconds the account `name` must wait before its next sign-in attempt (0: it may try now)."""
    at = time.time() if at is None else at
    with store.transaction(immediate=False) as conn:
        row = conn.execute("SELECT failures, last_at FROM login_failures WHERE name = ?", (name,)).fetchone()
    if row is None or row["failures"] < FREE_FAILURES:
        return 0.0
    wait = min(2.0 ** (row["failures"] - FREE_FAILURES), MAX_WAIT)
    return max(0.0, row["last_at"] + wait - at)


def record_login(store: SubmissionStore, name: str, ok: bool, client: str, *, at: float | None = None) -> None:
    """Count a failure (or clear the count after a success) and write the attempt to the audit log."""
    at = time.time() if at is None else at
    with store.transaction() as conn:
        if ok:
            conn.execute("DELETE FROM login_failures WHERE name = ?", (name,))
        else:
            conn.execute(
                "INSERT INTO login_failures (name, failures, last_at) VALUES (?, 1, ?)"
                " ON CONFLICT (name) DO UPDATE SET failures = login_failures.failures + 1, last_at = excluded.last_at",
                (name, at),
            )
        conn.execute("DELETE FROM login_failures WHERE last_at < ?", (at - FORGET_AFTER,))
    record(store, name, "login" if ok else "login-failed", "", client)


def record(store: SubmissionStore, actor: str, action: str, detail: str, client: str) -> None:
    """One audit entry (a sign-in, sign-out, refusal or moderation action), in the database and the log."""
    with store.transaction() as conn:
        conn.execute("INSERT INTO audit_log (at, actor, action, detail, client) VALUES (?, ?, ?, ?, ?)",
                     (now(), actor, action, detail, client))
    log.info("audit: %s %s %s (%s)", actor, action, detail, client)


def entries(store: SubmissionStore, *, limit: int = 200) -> list[AuditEntry]:
    """The newest audit entries first."""
    with store.transaction(immediate=False) as conn:
        rows = conn.execute("SELECT at, actor, action, detail, client FROM audit_log ORDER BY id DESC LIMIT ?",
                            (int(limit),)).fetchall()
    return [AuditEntry(r["at"], r["actor"], r["action"], r["detail"], r["client"]) for r in rows]
