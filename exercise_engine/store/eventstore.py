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
import functools
import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

import orjson

from exercise_engine.engine.events import (
    EVENT_TYPES,
    Event,
    EventFormatError,
    InjectDelivered,
    Recorded,
    decode_event,
)
from exercise_engine.engine.visibility import EVERYONE, audience, reading, role_brief
from exercise_engine.model.bundle import Bundle
from exercise_engine.store import connection, schema
from exercise_engine.store.connection import (
    Access,
    ConcurrentWriterError,
    DamagedSessionError,
    StoreError,
    connect,
    explain,
    retry_busy,
)

if TYPE_CHECKING:  # annotations only: the inbox's types, and sqlite-utils (see Store.db)
    from sqlite_utils import Database

    from exercise_engine.engine.commands import Actor, Command

P = ParamSpec("P")
R = TypeVar("R")
MAX_UNDATED_T = 2**53
"""The latest scenario second a log may hold when the scenario has no calendar start."""


class LeaseLostError(StoreError):
    """A live controller whose lease another controller has taken: it must stop writing."""


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def dumps(data: Any) -> str:
    """Canonical JSON: the same data always gives the same text (reproducible logs)."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()


def guarded(method: Callable[Concatenate[Store, P], R]) -> Callable[Concatenate[Store, P], R]:
    """Every ``sqlite3.Error`` and ``OSError`` of a store method becomes a ``StoreError`` that
    says what happened; a misuse of the API (``ProgrammingError``) stays the bug it is."""

    @functools.wraps(method)
    def wrapper(self: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except (StoreError, sqlite3.ProgrammingError):
            raise
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(explain(exc, self.path, self.busy_timeout)) from None

    return wrapper


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
    """A row of the inbox as the seat wrote it: untrusted until the controller has decoded it
    (``payload`` is the JSON text, ``seat`` the id of the seat that wrote it)."""

    id: int
    session_id: str
    seat: str | None
    type: str
    payload: str
    status: str
    reason: str | None
    submitted_at: str
    sent: object = None
    """When the row reached the file (unix seconds, stamped by SQLite in the INSERT): read by
    the controller only, and only as a claim (any process with the file could write any value,
    of any type, here); None in rows written before it existed."""


class Store:
    """One process's (and one thread's) view of an exercise database.

    ``access`` says what the process is: ``write`` (the controller or a simulation: creates the
    file, migrates), ``client`` (a seat: writes its own rows, never migrates) or ``read``
    (``mode=ro``: reports and followers). A Store belongs to the thread that opened it; a thread
    that needs the database opens its own.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        synchronous: str = "FULL",
        create: bool = True,
        access: Access = "write",
        busy_timeout: float | None = None,
    ):
        self.path = str(path)
        self.access = access
        self.busy_timeout = connection.BUSY_TIMEOUT_S if busy_timeout is None else busy_timeout
        self.lease: tuple[str, str] | None = None
        """(session, holder): a live controller's fence; ``append`` refuses once the lease has
        gone to another controller."""
        self.readonly = access == "read"
        memory = self.path == ":memory:"
        if not memory and not (create and access == "write") and not Path(self.path).exists():
            raise StoreError(f"no exercise database at {self.path}")
        self._owner = threading.get_ident()
        self._depth = 0
        try:
            self.conn = connect(self.path, access, synchronous, self.busy_timeout)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(explain(exc, self.path, self.busy_timeout)) from None
        try:
            if access == "write":
                schema.migrate(self.conn, self.path)
            else:
                self.pending = schema.check_version(self.conn, self.path)
                if self.pending and self.pending[0] == schema.KNOWN[0]:
                    raise StoreError(f"{self.path} holds no exercise session yet")
                if access == "client" and self.pending:
                    raise StoreError(
                        f"{self.path} has not been opened by this version's controller yet; "
                        "start it first (exercise run)"
                    )
        except BaseException as exc:
            self.conn.close()
            if isinstance(exc, sqlite3.Error | OSError):
                raise StoreError(explain(exc, self.path, self.busy_timeout)) from None
            raise

    @functools.cached_property
    def db(self) -> Database:
        """The sqlite-utils view of the connection, made when first asked: the migrations
        make their own, and a reader, a seat or a report never needs one (nor the import)."""
        from sqlite_utils import Database

        return Database(self.conn)

    @classmethod
    def reader(cls, path: str | Path) -> Store:
        """A read-only view (``mode=ro``) that never migrates and never writes."""
        return cls(path, create=False, access="read")

    @classmethod
    def client(cls, path: str | Path) -> Store:
        """A seat's or an evaluator's way in: its own rows only, no schema changes."""
        return cls(path, create=False, access="client", synchronous="NORMAL")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------------------

    def _retry(self, action: Callable[[], R]) -> R:
        """A read, tried again while SQLite says busy, for as long as this store waits."""
        return retry_busy(action, self.busy_timeout)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write; nested uses join the outer transaction.

        ``BEGIN IMMEDIATE`` takes the write lock first (waiting for it up to the busy timeout),
        so a transaction never fails half-way for a lock. ROLLBACK only when a transaction is
        still open: SQLite rolls back by itself on some errors (a full disk).
        """
        if threading.get_ident() != self._owner:
            raise RuntimeError("a Store belongs to the thread that opened it; open one per thread")
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            retry_busy(lambda: self.conn.execute("BEGIN IMMEDIATE"), self.busy_timeout)
        except sqlite3.Error as exc:
            raise StoreError(explain(exc, self.path, self.busy_timeout)) from None
        self._depth = 1
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error | OSError) and not isinstance(
                exc, sqlite3.IntegrityError | sqlite3.ProgrammingError
            ):
                raise StoreError(explain(exc, self.path, self.busy_timeout)) from None
            raise
        finally:
            self._depth = 0

    # -- sessions -------------------------------------------------------------------------------

    @guarded
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
            self.conn.executemany(
                "INSERT INTO briefs (session_id, role, brief) VALUES (?, ?, ?)",
                [(session_id, r, dumps(role_brief(bundle, r))) for r in bundle.scenario.roles],
            )
        return session_id

    @guarded
    def sessions(self) -> list[SessionRecord]:
        rows = self._retry(
            lambda: self.conn.execute(
                "SELECT id, scenario_id, scenario_title, scenario_hash, seed, policy, status, "
                "label, created_at, updated_at, clock_t FROM sessions ORDER BY created_at, rowid"
            ).fetchall()
        )
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

    @guarded
    def bundle(self, session_id: str) -> Bundle:
        """The scenario, roles and rubric the session recorded (control staff only: seats read
        their role's brief instead)."""
        row = self._retry(
            lambda: self.conn.execute(
                "SELECT bundle FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
        )
        if row is None:
            raise StoreError(f"no session '{session_id}' in {self.path}")
        try:
            return Bundle.from_json(row[0])
        except (ValueError, TypeError, KeyError, AttributeError) as exc:  # pydantic's too
            raise DamagedSessionError(
                f"session {session_id} is damaged: its stored scenario bundle cannot be read "
                f"({_first_line(exc)})"
            ) from None

    def read_session(self, session_id: str) -> tuple[Bundle, list[Recorded]]:
        """The bundle and the whole checked log: what a report or a resumed controller needs."""
        bundle = self.bundle(session_id)
        return bundle, self.events(session_id, latest_t=latest_t(bundle))

    @guarded
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

    @guarded
    def last_seq(self, session_id: str) -> int:
        row = self._retry(
            lambda: self.conn.execute(
                "SELECT MAX(seq) FROM events WHERE session_id = ?", (session_id,)
            ).fetchone()
        )
        return row[0] or 0

    @guarded
    def append(
        self, session_id: str, events: Sequence[Event], first_seq: int, bundle: Bundle
    ) -> None:
        """Append events numbered from ``first_seq``; fails if another writer got there first."""
        if not events:
            return
        stamp = now_iso()
        who_sees = {cls: audience.dispatch(cls) for cls in {type(e) for e in events}}
        seeing = [who_sees[type(e)](e, bundle) for e in events]
        public, views = self._readings(session_id, events, seeing, first_seq, bundle)
        rows = [
            (
                session_id,
                first_seq + i,
                type(e).__name__,
                e.t,
                e.role,
                e.seat,
                dumps(seeing[i]),
                dumps(e.payload()),
                stamp,
                *public[i],
            )
            for i, e in enumerate(events)
        ]
        try:
            with self.transaction():
                self._check_lease(session_id)
                self.conn.executemany(
                    "INSERT INTO events (session_id, seq, type, t, role, seat, audience, "
                    "payload, wall_time, public, shown) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
                if views:
                    self.conn.executemany(
                        "INSERT INTO views (session_id, seq, role, payload, extra) "
                        "VALUES (?, ?, ?, ?, ?)",
                        views,
                    )
        except sqlite3.IntegrityError as exc:
            if "UNIQUE" not in str(exc):
                raise StoreError(f"{self.path}: {exc}") from None
            raise ConcurrentWriterError(
                f"session {session_id} was written by another process (seq {first_seq} "
                "already exists); only one controller may run a session"
            ) from None

    def _check_lease(self, session_id: str) -> None:
        if self.lease is None or self.lease[0] != session_id:
            return
        from exercise_engine.store import live

        if not live.holds_lease(self.conn, session_id, self.lease[1]):
            raise LeaseLostError(
                f"another controller has taken over session {session_id} (this one stopped "
                "answering for too long); this one stops without writing"
            )

    def _readings(
        self,
        session_id: str,
        events: Sequence[Event],
        seeing: list[list[str]],
        first_seq: int,
        bundle: Bundle,
    ) -> tuple[
        list[tuple[str | None, str | None]], list[tuple[str, int, str, str | None, str | None]]
    ]:
        """How the audience reads each event where it differs from the stored one (the
        ``public``/``shown`` columns of the event), and the few roles that read more (``views``
        rows): engine/visibility.py decides, the seat's query reads only these and the log."""
        public: list[tuple[str | None, str | None]] = []
        views = []
        texts: dict[int, tuple[dict[str, Any], str]] = {}  # a shared value written once (kept
        # with its text: an id is unique only while its object lives)

        def text(value: dict[str, Any] | None) -> str | None:
            if value is None:
                return None
            found = texts.get(id(value))
            if found is None:
                found = texts[id(value)] = (value, dumps(value))
            return found[1]

        plain = reading.registry[object]
        adhoc = functools.partial(self._adhoc, session_id, events)
        roles = bundle.scenario.roles
        for i, event in enumerate(events):
            how = reading.dispatch(type(event))
            if how is plain or not seeing[i]:
                public.append((None, None))
                continue
            who = roles if EVERYONE in seeing[i] else [r for r in seeing[i] if r in roles]
            cut = how(event, who, bundle, adhoc)
            if cut is None:
                public.append((None, None))
                continue
            public.append((text(cut.public), text(cut.shown)))
            for role, payload, shown in cut.own:
                views.append((session_id, first_seq + i, role, text(payload), text(shown)))
        return public, views

    def _adhoc(
        self, session_id: str, pending: Sequence[Event], inject: str
    ) -> dict[str, Any] | None:
        """The text of ad-hoc inject ``inject``: from the events being appended, or the log."""
        for event in pending:
            if isinstance(event, InjectDelivered) and event.inject == inject and event.adhoc:
                return dict(event.payload()["adhoc"])
        row = self.conn.execute(
            "SELECT json_extract(payload, '$.adhoc') FROM events WHERE session_id = ? AND "
            "type = 'InjectDelivered' AND json_extract(payload, '$.inject') = ? "
            "AND json_extract(payload, '$.adhoc') IS NOT NULL LIMIT 1",
            (session_id, inject),
        ).fetchone()
        return None if row is None else dict(orjson.loads(row[0]))

    @guarded
    def events(
        self,
        session_id: str,
        after_seq: int = 0,
        *,
        role: str | None = None,
        types: Iterable[str] | None = None,
        limit: int | None = None,
        latest_t: int = MAX_UNDATED_T,
    ) -> list[Recorded]:
        """The log from ``after_seq`` on; with ``role``, only what that role may see.

        A row the engine cannot read (not JSON, an unknown type, missing fields, a scenario time
        out of range) or a gap in the numbering raises ``DamagedSessionError`` naming its seq.
        """
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
        whole = role is None and types is None and limit is None
        if types is not None:
            wanted = list(types)
            sql += f" AND type IN ({', '.join('?' * len(wanted))})"
            params += wanted
        sql += " ORDER BY seq"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        # A report reads every event of a 100,000-event log, so: rows taken from the cursor one
        # at a time (never all held at once), the named tuple made as its own __new__ makes it.
        # The checks of t ride along in the same comprehension (a chained comparison per row).
        loads, decode, new = orjson.loads, decode_event, tuple.__new__
        try:
            log = self._retry(
                lambda: [
                    new(Recorded, (seq, decode(kind, t, r, seat, loads(payload)), wall))
                    for seq, kind, t, r, seat, payload, wall in self.conn.execute(sql, params)
                    if 0 <= t <= latest_t or _bad_t(seq, t, latest_t)
                ]
            )
        except (ValueError, KeyError, TypeError, AttributeError):  # a row, not the query
            raise self._damage(session_id, sql, params, latest_t) from None
        except _BadRow as bad:
            raise DamagedSessionError(f"session {session_id} damaged at seq {bad}") from None
        if whole and log and (log[0].seq != after_seq + 1 or log[-1].seq != after_seq + len(log)):
            raise DamagedSessionError(_gap(session_id, after_seq, log))
        return log

    def _damage(
        self, session_id: str, sql: str, params: list[Any], latest_t: int
    ) -> DamagedSessionError:
        """Find the first unreadable row (the fast read only knows that one failed)."""
        for seq, kind, t, role, seat, payload, _ in self.conn.execute(sql, params):
            try:
                data = json.loads(payload)
            except (ValueError, TypeError):
                problem = "its payload is not JSON"
            else:
                if kind not in EVENT_TYPES:
                    problem = f"unknown event type '{_short(kind)}'"
                elif not isinstance(data, dict):
                    problem = f"its {kind} payload is not a JSON object"
                elif not (type(t) is int and 0 <= t <= latest_t):
                    problem = f"its scenario time {_short(t)} is out of range"
                else:
                    try:
                        decode_event(kind, t, role, seat, data)
                    except EventFormatError as exc:
                        problem = f"a malformed {kind} ({_first_line(exc)})"
                    else:
                        continue
            return DamagedSessionError(f"session {session_id} damaged at seq {seq}: {problem}")
        return DamagedSessionError(f"session {session_id} is damaged: its log cannot be read")

    # -- command inbox ----------------------------------------------------------------------

    @guarded
    def submit(self, session_id: str, command: Command, *, client_id: str | None = None) -> int:
        """A command queued for the controller, from the seat ``command.actor.seat`` names
        (which must have joined: the controller acts on the seat's registered identity, never
        on the actor a row claims). Returns the command's id; a retry with the same
        ``client_id`` returns the first one's."""
        from exercise_engine.store import live

        actor = command.actor
        seat = actor.seat or ""
        return live.insert_command(
            self.conn,
            session_id,
            seat=seat,
            principal=principal(actor.kind, actor.role, actor.name),
            actor=dumps(_actor_data(actor)),
            type_name=command.type,
            payload=dumps(command.payload()),
            client_id=client_id or uuid.uuid4().hex,
            submitted_at=now_iso(),
        )

    _COMMAND_COLUMNS = "id, session_id, seat, type, payload, status, reason, submitted_at"

    @guarded
    def pending_commands(self, session_id: str, limit: int = 1000) -> list[CommandRecord]:
        """The inbox: commands seats submitted that the controller has not decided yet."""
        rows = self._retry(
            lambda: self.conn.execute(
                f"SELECT {self._COMMAND_COLUMNS}, sent FROM commands "
                "WHERE session_id = ? AND status = 'pending' ORDER BY id LIMIT ?",
                (session_id, limit),
            ).fetchall()
        )
        return [CommandRecord(*row) for row in rows]

    @guarded
    def command(self, command_id: int) -> CommandRecord:
        """One command and what became of it (a seat polls this to show the outcome)."""
        row = self.conn.execute(
            f"SELECT {self._COMMAND_COLUMNS} FROM commands WHERE id = ?", (command_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"no command {command_id}")
        return CommandRecord(*row)

    @guarded
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

    @guarded
    def join(self, session_id: str, seat: str, *, role: str | None, name: str, kind: str) -> None:
        if kind not in ("player", "evaluator"):
            raise ValueError(f"a seat is a player's or an evaluator's, not a {kind}'s")
        stamp = now_iso()
        with self.transaction():
            self.conn.execute(
                "INSERT INTO seats (session_id, id, role, name, kind, joined_at, last_seen_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, id) DO UPDATE SET "
                "last_seen_at = excluded.last_seen_at, name = excluded.name",
                (session_id, seat, role, name, kind, stamp, stamp),
            )

    @guarded
    def seat_identity(
        self, session_id: str, seat: str | None
    ) -> tuple[str, str | None, str] | None:
        """(kind, role, name) a seat registered with when it joined, or None."""
        if seat is None:
            return None
        row = self._retry(
            lambda: self.conn.execute(
                "SELECT kind, role, name FROM seats WHERE session_id = ? AND id = ?",
                (session_id, seat),
            ).fetchone()
        )
        return None if row is None else (row[0], row[1], row[2] or "")

    @guarded
    def seats(self, session_id: str) -> list[dict[str, Any]]:
        cursor = self.conn.execute(
            "SELECT id, role, name, kind, joined_at, last_seen_at FROM seats "
            "WHERE session_id = ? ORDER BY joined_at, id",
            (session_id,),
        )
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def principal(kind: str, role: str | None, name: str) -> str:
    """Whose idempotency keys a command's ``client_id`` is among: a role's (a team shares
    them), or one evaluator's."""
    return f"role:{role}" if kind == "player" else f"{kind}:{name}"


def _actor_data(actor: Actor) -> dict[str, Any]:
    """The actor a command was built with, kept for people reading the table: the controller
    never acts on it (it looks the seat up)."""
    return {"kind": actor.kind, "role": actor.role, "seat": actor.seat, "name": actor.name}


class _BadRow(Exception):
    """Raised from inside the fast read's comprehension: ``seq: what is wrong``."""


def _bad_t(seq: int, t: object, latest: int) -> bool:
    if type(t) is not int:
        raise _BadRow(f"{seq}: its scenario time {_short(t)} is not a whole number of seconds")
    if t < 0:
        raise _BadRow(f"{seq}: its scenario time {t} s is before the start of the exercise")
    raise _BadRow(
        f"{seq}: its scenario time {t} s is beyond the scenario's calendar (past the year 9999)"
    )


def _gap(session_id: str, after_seq: int, log: list[Recorded]) -> str:
    expected = after_seq + 1
    for record in log:
        if record.seq != expected:
            missing = (
                f"seq {expected}"
                if record.seq == expected + 1
                else (f"seqs {expected}-{record.seq - 1}")
            )
            return f"session {session_id} damaged at seq {expected}: {missing} missing from the log"
        expected += 1
    return f"session {session_id} is damaged: its log is not numbered contiguously"


def latest_t(bundle: Bundle) -> int:
    """The latest scenario second a session of ``bundle`` can hold: its calendar ends at
    9999-12-31 23:59."""
    start = bundle.scenario.clock.start
    if not start:
        return MAX_UNDATED_T
    from exercise_engine.model.durations import parse_clock

    return int((dt.datetime(9999, 12, 31, 23, 59) - parse_clock(start)).total_seconds())


def _short(value: object, limit: int = 40) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return _short(text[0], 120) if text else type(exc).__name__
