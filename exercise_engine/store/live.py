"""The live layer's SQL: what seats read and write, the controller's lease, presence, join codes.

Plain functions over a ``sqlite3.Connection``, importing nothing of the engine, so a seat process
stays small. Seats read through ``role_lines`` only: their role's rows of the log (the audience is
in the query), each cut as ``engine/visibility.py`` decided when it was appended. Writes are one
short transaction each (``BEGIN IMMEDIATE``), retried while another writer holds the lock.

Wall-clock columns that processes compare (heartbeats, join tries) hold unix seconds (REAL):
every process of a session runs on one host, or hosts whose clocks agree.
"""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from exercise_engine.store.connection import retry_busy

T = TypeVar("T")
PATIENCE_S = 120.0
"""How long a seat keeps retrying a write while other writers hold the lock: a busy file
slows a seat down, it never loses a command or prints 'database is locked'."""
HOST = socket.gethostname()
SQL_NOW = "((julianday('now') - 2440587.5) * 86400.0)"
"""Unix seconds (to the millisecond) as SQLite reads the clock, inside a statement."""


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, its lock taken first; ROLLBACK only if one is still open."""
    retry_busy(lambda: conn.execute("BEGIN IMMEDIATE"), PATIENCE_S)
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def read(conn: sqlite3.Connection, action: Callable[[], T]) -> T:
    return retry_busy(action, PATIENCE_S)


# -- the log as a reader receives it ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """One event as a seat or an evaluator reads it; ``payload``/``extra`` are JSON text."""

    seq: int
    type: str
    t: int
    role: str | None
    payload: str
    extra: str | None = None


def role_lines(
    conn: sqlite3.Connection, session_id: str, role: str, after_seq: int, limit: int = 500
) -> list[Line]:
    """What ``role`` may read of the log after ``after_seq``: the audience is checked in the
    query, and each row comes as the audience reads it (``public``, ``shown``) or as this role
    does where it reads more (``views``)."""
    rows = read(
        conn,
        lambda: conn.execute(
            "SELECT e.seq, e.type, e.t, e.role, coalesce(v.payload, e.public, e.payload), "
            "coalesce(v.extra, e.shown) "
            "FROM events e LEFT JOIN views v "
            "ON v.session_id = e.session_id AND v.seq = e.seq AND v.role = ? "
            "WHERE e.session_id = ? AND e.seq > ? AND EXISTS (SELECT 1 FROM "
            "json_each(e.audience) WHERE json_each.value IN (?, '*')) ORDER BY e.seq LIMIT ?",
            (role, session_id, after_seq, role, limit),
        ).fetchall(),
    )
    return [Line(*row) for row in rows]


def all_lines(
    conn: sqlite3.Connection, session_id: str, after_seq: int, limit: int = 500
) -> list[Line]:
    """The whole log as stored: control staff (the controller, evaluators) only."""
    rows = read(
        conn,
        lambda: conn.execute(
            "SELECT seq, type, t, role, payload FROM events WHERE session_id = ? AND seq > ? "
            "ORDER BY seq LIMIT ?",
            (session_id, after_seq, limit),
        ).fetchall(),
    )
    return [Line(*row) for row in rows]


def brief(conn: sqlite3.Connection, session_id: str, role: str) -> str | None:
    row = read(
        conn,
        lambda: conn.execute(
            "SELECT brief FROM briefs WHERE session_id = ? AND role = ?", (session_id, role)
        ).fetchone(),
    )
    return None if row is None else str(row[0])


def write_briefs(conn: sqlite3.Connection, session_id: str, briefs: dict[str, str]) -> None:
    """Each role's brief (JSON text), written once per session by the controller."""
    with immediate(conn):
        conn.executemany(
            "INSERT OR IGNORE INTO briefs (session_id, role, brief) VALUES (?, ?, ?)",
            [(session_id, role, text) for role, text in briefs.items()],
        )


# -- sessions -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LiveSession:
    id: str
    scenario_id: str
    title: str
    status: str


def live_session(conn: sqlite3.Connection, session_id: str | None = None) -> LiveSession | None:
    """The session a seat joins: ``session_id``, or the latest one run live (not a simulation)."""
    sql = "SELECT id, scenario_id, scenario_title, status FROM sessions WHERE policy IS NULL"
    params: tuple[str, ...] = ()
    if session_id is not None:
        sql, params = sql + " AND id = ?", (session_id,)
    row = read(conn, lambda: conn.execute(sql + " ORDER BY rowid DESC", params).fetchone())
    return None if row is None else LiveSession(*row)


def session_status(conn: sqlite3.Connection, session_id: str) -> str:
    row = read(
        conn,
        lambda: conn.execute("SELECT status FROM sessions WHERE id = ?", (session_id,)).fetchone(),
    )
    return str(row[0]) if row else "missing"


# -- the command inbox, from a seat's side ------------------------------------------------------


def insert_command(
    conn: sqlite3.Connection,
    session_id: str,
    *,
    seat: str,
    principal: str,
    actor: str,
    type_name: str,
    payload: str,
    client_id: str,
    submitted_at: str,
) -> int:
    """Queue a command for the controller; a retry (same principal and ``client_id``) finds the
    first row and returns its id: the controller decides a command once.

    ``sent`` is stamped by SQLite as the row is inserted, under the write lock (no parameter
    carries it: the time is the file's, not one the caller computed before waiting for the
    lock). The controller still trusts it only between its own looks at the inbox."""
    with immediate(conn):
        conn.execute(
            "INSERT INTO commands (session_id, seat, actor, type, payload, status, submitted_at, "
            f"client_id, principal, sent) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, {SQL_NOW}) "
            "ON CONFLICT (session_id, principal, client_id) WHERE client_id IS NOT NULL "
            "DO NOTHING",
            (session_id, seat, actor, type_name, payload, submitted_at, client_id, principal),
        )
        row = conn.execute(
            "SELECT id FROM commands WHERE session_id = ? AND principal = ? AND client_id = ?",
            (session_id, principal, client_id),
        ).fetchone()
    return int(row[0])


@dataclass(frozen=True, slots=True)
class Decision:
    id: int
    status: str
    reason: str | None
    first_seq: int | None
    last_seq: int | None


def decisions(conn: sqlite3.Connection, ids: Sequence[int]) -> list[Decision]:
    """The commands among ``ids`` the controller has decided."""
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    rows = read(
        conn,
        lambda: conn.execute(
            f"SELECT id, status, reason, first_seq, last_seq FROM commands WHERE id IN ({marks}) "
            "AND status != 'pending'",
            tuple(ids),
        ).fetchall(),
    )
    return [Decision(*row) for row in rows]


# -- presence -----------------------------------------------------------------------------------


def join_seat(
    conn: sqlite3.Connection,
    session_id: str,
    seat: str,
    *,
    role: str | None,
    name: str,
    kind: str,
    now: float,
    stamp: str,
    pid: int,
) -> None:
    with immediate(conn):
        conn.execute(
            "INSERT INTO seats (session_id, id, role, name, kind, joined_at, last_seen_at, seen, "
            "pid, host) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (session_id, seat, role, name, kind, stamp, stamp, now, pid, HOST),
        )


def seat_heartbeat(
    conn: sqlite3.Connection, session_id: str, seat: str, now: float, stamp: str
) -> None:
    with immediate(conn):
        conn.execute(
            "UPDATE seats SET seen = ?, last_seen_at = ? WHERE session_id = ? AND id = ?",
            (now, stamp, session_id, seat),
        )


def leave_seat(conn: sqlite3.Connection, session_id: str, seat: str, stamp: str) -> None:
    with immediate(conn):
        conn.execute(
            "UPDATE seats SET left_at = ?, last_seen_at = ? WHERE session_id = ? AND id = ?",
            (stamp, stamp, session_id, seat),
        )


@dataclass(frozen=True, slots=True)
class SeatRow:
    seat: str
    role: str | None
    name: str
    kind: str
    joined_at: str
    seen: float | None
    left_at: str | None


def seat_rows(conn: sqlite3.Connection, session_id: str) -> list[SeatRow]:
    rows = read(
        conn,
        lambda: conn.execute(
            "SELECT id, role, name, kind, joined_at, seen, left_at FROM seats "
            "WHERE session_id = ? ORDER BY joined_at, id",
            (session_id,),
        ).fetchall(),
    )
    return [SeatRow(*row) for row in rows]


# -- the controller's lease ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Lease:
    holder: str | None
    pid: int | None
    host: str | None
    acquired: float | None
    heartbeat: float | None
    clock_t: int | None
    running: bool
    speed: float | None


def lease(conn: sqlite3.Connection, session_id: str) -> Lease | None:
    row = read(
        conn,
        lambda: conn.execute(
            "SELECT holder, pid, host, acquired, heartbeat, clock_t, running, speed "
            "FROM leases WHERE session_id = ?",
            (session_id,),
        ).fetchone(),
    )
    if row is None:
        return None
    holder, pid, host, acquired, heartbeat, clock_t, running, speed = row
    return Lease(holder, pid, host, acquired, heartbeat, clock_t, bool(running), speed)


def take_lease(
    conn: sqlite3.Connection,
    session_id: str,
    holder: str,
    *,
    now: float,
    ttl: float,
    pid: int,
) -> tuple[bool, Lease | None]:
    """Take the session's lease unless a live controller holds it (a heartbeat within ``ttl``).
    Returns (taken, the lease as it was)."""
    with immediate(conn):
        before = lease(conn, session_id)
        if (
            before is not None
            and before.holder is not None
            and before.heartbeat is not None
            and now - before.heartbeat < ttl
        ):
            return False, before
        conn.execute(
            "INSERT INTO leases (session_id, holder, pid, host, acquired, heartbeat, clock_t, "
            "running, speed) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT (session_id) DO "
            "UPDATE SET holder = excluded.holder, pid = excluded.pid, host = excluded.host, "
            "acquired = excluded.acquired, heartbeat = excluded.heartbeat",
            (
                session_id,
                holder,
                pid,
                HOST,
                now,
                now,
                before.clock_t if before else 0,
                before.speed if before else 1.0,
            ),
        )
    return True, before


def renew_lease(
    conn: sqlite3.Connection,
    session_id: str,
    holder: str,
    *,
    now: float,
    clock_t: int,
    running: bool,
    speed: float,
) -> bool:
    """The controller's heartbeat, with the scenario clock's reading; False if another
    controller has taken the lease meanwhile (this one must stop writing)."""
    with immediate(conn):
        cursor = conn.execute(
            "UPDATE leases SET heartbeat = ?, clock_t = ?, running = ?, speed = ? "
            "WHERE session_id = ? AND holder = ?",
            (now, clock_t, int(running), speed, session_id, holder),
        )
        if cursor.rowcount:
            conn.execute(
                "UPDATE sessions SET clock_t = ?, clock_wall = datetime(?, 'unixepoch') "
                "WHERE id = ?",
                (clock_t, now, session_id),
            )
    return cursor.rowcount == 1


def release_lease(conn: sqlite3.Connection, session_id: str, holder: str, now: float) -> None:
    """A controller stopping cleanly: the next one may take over at once (the time between is
    still an outage)."""
    with immediate(conn):
        conn.execute(
            "UPDATE leases SET holder = NULL, heartbeat = ?, running = 0 "
            "WHERE session_id = ? AND holder = ?",
            (now, session_id, holder),
        )


def holds_lease(conn: sqlite3.Connection, session_id: str, holder: str) -> bool:
    """Inside the writer's transaction: whether ``holder`` still holds the lease (a fence)."""
    row = conn.execute("SELECT holder FROM leases WHERE session_id = ?", (session_id,)).fetchone()
    return row is not None and row[0] == holder


# -- join codes ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CodeRow:
    audience: str
    salt: str
    hash: str
    generation: int


def code_rows(conn: sqlite3.Connection, session_id: str) -> list[CodeRow]:
    rows = read(
        conn,
        lambda: conn.execute(
            "SELECT audience, salt, hash, generation FROM codes WHERE session_id = ? "
            "ORDER BY rowid",
            (session_id,),
        ).fetchall(),
    )
    return [CodeRow(*row) for row in rows]


def replace_codes(
    conn: sqlite3.Connection, session_id: str, rows: Sequence[CodeRow], stamp: str
) -> None:
    with immediate(conn):
        conn.execute("DELETE FROM codes WHERE session_id = ?", (session_id,))
        conn.executemany(
            "INSERT INTO codes (session_id, audience, salt, hash, generation, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(session_id, r.audience, r.salt, r.hash, r.generation, stamp) for r in rows],
        )


def wrong_tries_since(conn: sqlite3.Connection, session_id: str, since: float) -> int:
    row = read(
        conn,
        lambda: conn.execute(
            "SELECT COUNT(*) FROM join_attempts WHERE session_id = ? AND ok = 0 AND at >= ?",
            (session_id, since),
        ).fetchone(),
    )
    return int(row[0])


def log_join_try(
    conn: sqlite3.Connection,
    session_id: str,
    *,
    audience: str,
    name: str,
    ok: bool,
    now: float,
    pid: int,
) -> None:
    with immediate(conn):
        conn.execute(
            "INSERT INTO join_attempts (session_id, audience, name, ok, at, pid, host) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (session_id, audience, name, int(ok), now, pid, HOST),
        )
