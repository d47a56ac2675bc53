"""The event store: sessions, the append-only event log, the command inbox and seats.

SQLite in WAL mode is the hub: one writer (the controller that owns a session's engine), many
readers (seats following the log). The per-session ``seq`` is the primary key and must be
contiguous, so a second writer appending to the same session fails loudly instead of forking
the log. Writes happen in explicit ``BEGIN IMMEDIATE`` transactions; the default
``synchronous=FULL`` makes an acknowledged decision survive power loss, ``NORMAL`` (used for
headless simulation) survives a killed process.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from sqlite_utils import Database

from exercise_engine.engine.events import BUILDERS, Event, Recorded
from exercise_engine.engine.visibility import EVERYONE, audience
from exercise_engine.errors import UserError
from exercise_engine.model.bundle import Bundle
from exercise_engine.store.schema import migrations

if TYPE_CHECKING:  # the inbox's types: imported on use, so reading a log does not load them
    from exercise_engine.engine.commands import Actor, Command

BUSY_TIMEOUT_S = 5.0
SYNCHRONOUS = ("OFF", "NORMAL", "FULL", "EXTRA")


class StoreError(UserError):
    """A problem with the exercise database, said for the person running the command."""


class ConcurrentWriterError(StoreError):
    """Another process appended to the same session: there must be one writer per session."""


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def dumps(data: Any) -> str:
    """Canonical JSON: the same data always gives the same text (reproducible logs)."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()


def _id_list(ids: list[str]) -> str:
    """JSON of a list of role ids; ids are validated slugs, so no escaping is ever needed."""
    return "[" + ",".join(f'"{i}"' for i in ids) + "]"


@dataclass(frozen=True)
class SessionRecord:
    id: str
    scenario_id: str
    scenario_title: str
    scenario_hash: str
    seed: int
    policy: str | None
    status: str
    label: str
    created_at: str
    updated_at: str
    clock_t: int


@dataclass(frozen=True)
class CommandRecord:
    id: int
    session_id: str
    actor: Actor
    type: str
    payload: dict[str, Any]
    status: str
    reason: str | None
    submitted_at: str


class Store:
    def __init__(self, path: str | Path, *, synchronous: str = "FULL", create: bool = True):
        self.path = str(path)
        if self.path != ":memory:" and not create and not Path(self.path).exists():
            raise StoreError(f"no exercise database at {self.path}")
        if synchronous not in SYNCHRONOUS:
            raise ValueError(f"synchronous must be one of {SYNCHRONOUS}")
        try:
            self.conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute(f"PRAGMA synchronous={synchronous}")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
            self.db = Database(self.conn)
            migrations.apply(self.db)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: {_explain(exc)}") from None
        self._depth = 0

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write; nested uses join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: {_explain(exc)}") from None
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self.conn.execute("ROLLBACK")
            raise
        self._depth = 0
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self.conn.execute("ROLLBACK")
            raise StoreError(f"{self.path}: {_explain(exc)}") from None

    # -- sessions -------------------------------------------------------------------------------

    def create_session(
        self, bundle: Bundle, seed: int, *, policy: str | None = None, label: str = ""
    ) -> str:
        session_id = "s-" + uuid.uuid4().hex[:10]
        stamp = now_iso()
        with self.transaction():
            self.conn.execute(
                "INSERT INTO sessions (id, scenario_id, scenario_title, scenario_hash, bundle,"
                " seed, policy, status, label, created_at, updated_at, clock_t)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 'created', ?, ?, ?, 0)",
                (
                    session_id,
                    bundle.scenario.id,
                    bundle.scenario.title,
                    bundle.hash,
                    bundle.to_json(),
                    seed,
                    policy,
                    label,
                    stamp,
                    stamp,
                ),
            )
        return session_id

    def sessions(self) -> list[SessionRecord]:
        rows = self.conn.execute(
            "SELECT id, scenario_id, scenario_title, scenario_hash, seed, policy, status, "
            "label, created_at, updated_at, clock_t FROM sessions ORDER BY created_at, rowid"
        ).fetchall()
        return [SessionRecord(*row) for row in rows]

    def session(self, session_id: str | None = None) -> SessionRecord:
        """A session by id, or the most recent one when ``session_id`` is None."""
        sessions = self.sessions()
        if not sessions:
            raise StoreError(f"{self.path} holds no exercise session yet")
        if session_id is None:
            return sessions[-1]
        for record in sessions:
            if record.id == session_id:
                return record
        known = ", ".join(s.id for s in sessions[-5:])
        raise StoreError(f"no session '{session_id}' in {self.path} (recent: {known})")

    def bundle(self, session_id: str) -> Bundle:
        row = self.conn.execute(
            "SELECT bundle FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"no session '{session_id}' in {self.path}")
        return Bundle.from_json(row[0])

    def set_status(self, session_id: str, status: str, clock_t: int | None = None) -> None:
        with self.transaction():
            if clock_t is None:
                self.conn.execute(
                    "UPDATE sessions SET status = ?, updated_at = ? WHERE id = ?",
                    (status, now_iso(), session_id),
                )
            else:
                self.conn.execute(
                    "UPDATE sessions SET status = ?, updated_at = ?, clock_t = ?, "
                    "clock_wall = ? WHERE id = ?",
                    (status, now_iso(), clock_t, now_iso(), session_id),
                )

    # -- events -----------------------------------------------------------------------------

    def last_seq(self, session_id: str) -> int:
        row = self.conn.execute(
            "SELECT MAX(seq) FROM events WHERE session_id = ?", (session_id,)
        ).fetchone()
        return row[0] or 0

    def append(
        self, session_id: str, events: Sequence[Event], first_seq: int, bundle: Bundle
    ) -> None:
        """Append events numbered from ``first_seq``; fails if another writer got there first."""
        if not events:
            return
        stamp = now_iso()
        who_sees = {cls: audience.dispatch(cls) for cls in {type(e) for e in events}}
        rows = [
            (
                session_id,
                first_seq + i,
                type(e).__name__,
                e.t,
                e.role,
                e.seat,
                _id_list(who_sees[type(e)](e, bundle)),
                dumps(e.payload()),
                stamp,
            )
            for i, e in enumerate(events)
        ]
        try:
            with self.transaction():
                self.conn.executemany(
                    "INSERT INTO events (session_id, seq, type, t, role, seat, audience, "
                    "payload, wall_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
        except sqlite3.IntegrityError:
            raise ConcurrentWriterError(
                f"session {session_id} was written by another process (seq {first_seq} "
                "already exists); only one controller may run a session"
            ) from None
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: {_explain(exc)}") from None

    def events(
        self,
        session_id: str,
        after_seq: int = 0,
        *,
        role: str | None = None,
        types: Iterable[str] | None = None,
        limit: int | None = None,
    ) -> list[Recorded]:
        """The log from ``after_seq`` on; with ``role``, only what that role may see."""
        sql = (
            "SELECT seq, type, t, role, seat, payload, wall_time FROM events "
            "WHERE session_id = ? AND seq > ?"
        )
        params: list[Any] = [session_id, after_seq]
        if role is not None:
            sql += (
                " AND EXISTS (SELECT 1 FROM json_each(events.audience) "
                "WHERE json_each.value IN (?, ?))"
            )
            params += [role, EVERYONE]
        if types is not None:
            wanted = list(types)
            sql += f" AND type IN ({', '.join('?' * len(wanted))})"
            params += wanted
        sql += " ORDER BY seq"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        # A report reads every event of a 100,000-event log, so: rows taken from the cursor one
        # at a time (never all held at once), the per-class constructors called directly (no
        # event_from call per row), the named tuple made as its own __new__ makes it, and the
        # cyclic collector held meanwhile: the objects made hold no cycles, and its passes over
        # a growing heap would double the time (as in report/command.py).
        loads, build, new = orjson.loads, BUILDERS, tuple.__new__
        collecting = gc.isenabled()
        gc.disable()
        try:
            return [
                new(Recorded, (seq, build[kind](t, r, seat, loads(payload)), wall))
                for seq, kind, t, r, seat, payload, wall in self.conn.execute(sql, params)
            ]
        finally:
            if collecting:
                gc.enable()

    # -- command inbox ----------------------------------------------------------------------

    def submit(self, session_id: str, command: Command) -> int:
        """A seat's request, queued for the controller; returns the command's id."""
        actor = command.actor
        with self.transaction():
            cursor = self.conn.execute(
                "INSERT INTO commands (session_id, seat, actor, type, payload, status, "
                "submitted_at) VALUES (?, ?, ?, ?, ?, 'pending', ?)",
                (
                    session_id,
                    actor.seat,
                    dumps(_actor_data(actor)),
                    command.type,
                    dumps(command.payload()),
                    now_iso(),
                ),
            )
        return int(cursor.lastrowid or 0)

    _COMMAND_COLUMNS = "id, session_id, actor, type, payload, status, reason, submitted_at"

    def pending_commands(self, session_id: str) -> list[CommandRecord]:
        """The inbox: commands seats submitted that the controller has not decided yet."""
        rows = self.conn.execute(
            f"SELECT {self._COMMAND_COLUMNS} FROM commands "
            "WHERE session_id = ? AND status = 'pending' ORDER BY id",
            (session_id,),
        ).fetchall()
        return [_command_record(row) for row in rows]

    def command(self, command_id: int) -> CommandRecord:
        """One command and what became of it (a seat polls this to show the outcome)."""
        row = self.conn.execute(
            f"SELECT {self._COMMAND_COLUMNS} FROM commands WHERE id = ?", (command_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"no command {command_id}")
        return _command_record(row)

    def mark_command(
        self,
        command_id: int,
        status: str,
        reason: str | None,
        first_seq: int | None,
        last_seq: int | None,
    ) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE commands SET status = ?, reason = ?, processed_at = ?, first_seq = ?, "
                "last_seq = ? WHERE id = ?",
                (status, reason, now_iso(), first_seq, last_seq, command_id),
            )

    # -- seats ------------------------------------------------------------------------------

    def join(self, session_id: str, seat: str, *, role: str | None, name: str, kind: str) -> None:
        stamp = now_iso()
        with self.transaction():
            self.conn.execute(
                "INSERT INTO seats (session_id, id, role, name, kind, joined_at, last_seen_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, id) DO UPDATE SET "
                "last_seen_at = excluded.last_seen_at, name = excluded.name",
                (session_id, seat, role, name, kind, stamp, stamp),
            )

    def seats(self, session_id: str) -> list[dict[str, Any]]:
        cursor = self.conn.execute(
            "SELECT id, role, name, kind, joined_at, last_seen_at FROM seats "
            "WHERE session_id = ? ORDER BY joined_at, id",
            (session_id,),
        )
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _command_record(row: tuple[Any, ...]) -> CommandRecord:
    from exercise_engine.engine.commands import Actor

    cid, sid, actor, kind, payload, status, reason, submitted = row
    return CommandRecord(
        cid, sid, Actor(**json.loads(actor)), kind, json.loads(payload), status, reason, submitted
    )


def _actor_data(actor: Actor) -> dict[str, Any]:
    return {"kind": actor.kind, "role": actor.role, "seat": actor.seat, "name": actor.name}


def _explain(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return "the database is read-only; nothing was written (check the file's permissions)"
    if "disk is full" in text or "database or disk is full" in text:
        return "the disk is full; nothing was written (free space and try again)"
    if "file is not a database" in text or "malformed" in text:
        return "this file is not an exercise database (or it is damaged)"
    if "locked" in text:
        return "the database stayed locked by another process for over 5 s"
    if "unable to open" in text:
        return "cannot open the database file (does its folder exist?)"
    return text
