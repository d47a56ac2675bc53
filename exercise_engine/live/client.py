"""Seat and evaluator clients: join with a code, follow the log, submit commands, get acks.

One thread per client owns its two connections (a ``mode=ro`` reader that follows the log and a
writer for its own rows: commands, heartbeats); it polls ``PRAGMA data_version`` every
``POLL_S`` (a few microseconds when nothing changed: an idle seat costs well under 1% of a core)
and hands what is new to the asyncio loop. The loop side is the API consoles use:

    seat = await SeatClient.join("exercise.db", role="police", code="K7QM-2XPD-9HTR", name="Ode")
    seat.brief                                  # the role's brief (mandate, setting, roles...)
    async for item in seat:                     # Line (an event as the role reads it) or Status
        ...
    ack = await seat.submit("Respond", {"inject": "INJ-004", "option": "B"})
    await seat.close()

Nothing here imports the engine or the content models, except the evaluator's bundle read.
"""

from __future__ import annotations

import abc
import asyncio
import concurrent.futures
import json
import os
import queue
import secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, TypeVar

from exercise_engine.live import codes as join_codes
from exercise_engine.live.presence import HEARTBEAT_S
from exercise_engine.store import live as db
from exercise_engine.store.connection import StoreError, connect
from exercise_engine.store.live import Line

if TYPE_CHECKING:
    from exercise_engine.model.bundle import Bundle

POLL_S = 0.05
GONE_AFTER_S = 3.0
"""A controller whose heartbeat (every second) is this old is reported gone."""
T = TypeVar("T")
Report = Callable[[str], None]


class JoinError(Exception):
    """Joining was refused (no database, no live session, unknown role, wrong code): the
    message says why, for the person at the seat."""


@dataclass(frozen=True, slots=True)
class Ack:
    """The controller's decision on one command."""

    id: str
    status: str
    """``accepted`` or ``rejected``."""
    reason: str | None
    seqs: tuple[int, int] | None = None
    """The first and last seq of the events it caused."""


@dataclass(frozen=True, slots=True)
class Status:
    """Not an event: what a client knows about the session's controller."""

    status: str
    """``controller-gone``, ``controller-back`` or ``ended``."""


@dataclass(frozen=True, slots=True)
class Identity:
    session: str
    seat: str
    role: str | None
    name: str
    kind: str

    @property
    def principal(self) -> str:
        return f"role:{self.role}" if self.kind == "player" else f"{self.kind}:{self.name}"

    @property
    def actor(self) -> str:
        return json.dumps(
            {"kind": self.kind, "role": self.role, "seat": self.seat, "name": self.name},
            sort_keys=True,
        )


@dataclass
class _Polled:
    lines: list[Line]
    decisions: list[db.Decision]
    status: str | None
    ended: bool


class _Connections:
    """What the client thread owns: the reader, the writer, and where reading has got to."""

    def __init__(self, path: str):
        self.path = path
        self.reader = connect(path, "read")
        self.writer = connect(path, "client", "NORMAL")
        self.writer.execute("PRAGMA wal_autocheckpoint=0")  # checkpoints are the controller's
        self.version: int | None = None

    def changed(self) -> bool:
        version = int(self.reader.execute("PRAGMA data_version").fetchone()[0])
        changed, self.version = version != self.version, version
        return changed

    def close(self) -> None:
        self.reader.close()
        self.writer.close()


class _Worker(threading.Thread):
    """The client's thread: runs jobs (submit, heartbeat) and polls between them."""

    def __init__(self, open_: Callable[[], _Connections], poll: Callable[[_Connections], None]):
        super().__init__(daemon=True, name="seat")
        self._open = open_
        self._poll = poll
        self._jobs: queue.SimpleQueue[
            tuple[Callable[[_Connections], Any], concurrent.futures.Future[Any]] | None
        ] = queue.SimpleQueue()
        self.opened: concurrent.futures.Future[_Connections] = concurrent.futures.Future()
        self.polling = False

    def call(self, job: Callable[[_Connections], T]) -> concurrent.futures.Future[T]:
        future: concurrent.futures.Future[T] = concurrent.futures.Future()
        self._jobs.put((job, future))
        return future

    def stop(self) -> None:
        self._jobs.put(None)

    def run(self) -> None:
        try:
            conns = self._open()
        except BaseException as exc:
            self.opened.set_exception(exc)
            return
        self.opened.set_result(conns)
        next_poll = time.monotonic()
        try:
            while True:
                try:
                    item = self._jobs.get(timeout=max(0.0, next_poll - time.monotonic()))
                except queue.Empty:
                    item = ()  # type: ignore[assignment]
                if item is None:
                    return
                if item:
                    job, future = item
                    try:
                        future.set_result(job(conns))
                    except BaseException as exc:
                        future.set_exception(exc)
                    continue
                if self.polling:
                    self._poll(conns)
                next_poll = time.monotonic() + POLL_S
        finally:
            conns.close()


class Client(abc.ABC):
    """What seats and evaluators share: following, submitting, heartbeats, controller status.

    A subclass says what its audience reads (``_read``)."""

    def __init__(self, path: str, identity: Identity, *, from_seq: int = 0):
        self.path = path
        self.identity = identity
        self.last_seq = from_seq
        self._loop = asyncio.get_running_loop()
        self._items: asyncio.Queue[Line | Status | None] = asyncio.Queue()
        self._pending: dict[int, list[tuple[str, asyncio.Future[Ack]]]] = {}  # loop side
        self._decided: dict[int, db.Decision] = {}  # loop side: decisions seen before their wait
        self._waiting: set[int] = set()  # thread side: rows whose decision is awaited
        self._controller: str | None = None  # last status told: "gone" / "back"
        self._ended = False
        self._closed = False
        self._next_heartbeat = 0.0
        self._next_lease_look = 0.0
        self._worker: _Worker | None = None
        self._lease: db.Lease | None = None  # thread side writes, loop side reads (one object)

    # -- the loop side --------------------------------------------------------------------------

    def __aiter__(self) -> AsyncIterator[Line | Status]:
        return self._stream()

    async def _stream(self) -> AsyncIterator[Line | Status]:
        while (item := await self._items.get()) is not None:
            yield item

    async def submit(
        self, type_name: str, fields: dict[str, Any], client_id: str | None = None
    ) -> Ack:
        """Queue a command and wait for the controller's decision (as long as it takes: a
        controller that died is taken over and decides it then). A retry with the same
        ``client_id`` gets the first one's answer."""
        key = client_id or uuid.uuid4().hex
        payload = json.dumps(fields, ensure_ascii=False)
        identity = self.identity
        stamp = _now_iso()

        def insert(conns: _Connections) -> int:
            row = db.insert_command(
                conns.writer,
                identity.session,
                seat=identity.seat,
                principal=identity.principal,
                actor=identity.actor,
                type_name=type_name,
                payload=payload,
                client_id=key,
                submitted_at=stamp,
            )
            self._waiting.add(row)
            return row

        row = await self._call(insert)
        decided = self._decided.get(row)
        if decided is not None:
            return _ack(key, decided)
        if self._ended:
            return Ack(key, "rejected", "the exercise has ended before this was decided")
        future: asyncio.Future[Ack] = self._loop.create_future()
        self._pending.setdefault(row, []).append((key, future))
        return await future

    def scenario_time(self) -> int | None:
        """The scenario clock now, read from the controller's last heartbeat (its reading,
        running on at its speed while it runs); None before the first heartbeat is seen. A gone
        controller's clock stands still: the next one resumes it from that reading."""
        lease = self._lease
        if lease is None or lease.clock_t is None:
            return None
        if not lease.running or lease.heartbeat is None:
            return lease.clock_t
        elapsed = max(0.0, time.time() - lease.heartbeat)
        if elapsed > GONE_AFTER_S:
            return lease.clock_t
        return int(lease.clock_t + elapsed * (lease.speed or 1.0))

    @property
    def waiting(self) -> int:
        """Commands submitted and not decided yet."""
        return sum(len(v) for v in self._pending.values())

    async def close(self) -> None:
        """Leave the session (presence shows it at once) and stop the thread."""
        if self._closed or self._worker is None:
            return
        self._closed = True
        identity = self.identity
        try:
            await self._call(
                lambda c: db.leave_seat(c.writer, identity.session, identity.seat, _now_iso())
            )
        finally:
            self._worker.stop()
            self._items.put_nowait(None)

    @classmethod
    async def _joined(
        cls,
        path: str | Path,
        from_seq: int,
        admit: Callable[[_Connections], tuple[Identity, Any]],
    ) -> tuple[Self, Any]:
        """Open the client's connections on its own thread and ``admit`` it there (the code
        check, the seat's registration); returns the client and what ``admit`` found."""
        found: list[tuple[Identity, Any]] = []

        def open_() -> _Connections:
            conns = _open(str(path))
            try:
                found.append(admit(conns))
            except BaseException:
                conns.close()
                raise
            return conns

        worker = _Worker(open_, lambda conns: client._poll(conns))
        worker.start()
        await asyncio.wrap_future(worker.opened, loop=asyncio.get_running_loop())
        identity, extra = found[0]
        client = cls(str(path), identity, from_seq=from_seq)
        client._start(worker)
        return client, extra

    # -- the thread side ------------------------------------------------------------------------

    def _start(self, worker: _Worker) -> None:
        self._worker = worker
        worker.polling = True

    async def _call(self, job: Callable[[_Connections], T]) -> T:
        assert self._worker is not None
        return await asyncio.wrap_future(self._worker.call(job), loop=self._loop)

    @abc.abstractmethod
    def _read(self, conns: _Connections) -> list[Line]:
        """The next lines this client's audience may read, after ``last_seq``."""

    def _poll(self, conns: _Connections) -> None:
        now = time.time()
        identity = self.identity
        if now >= self._next_heartbeat:
            self._next_heartbeat = now + HEARTBEAT_S
            db.seat_heartbeat(conns.writer, identity.session, identity.seat, now, _now_iso())
        changed = conns.changed()
        lines: list[Line] = []
        decisions: list[db.Decision] = []
        ended = False
        if changed:
            while batch := self._read(conns):
                lines += batch
                self.last_seq = batch[-1].seq
            ended = db.session_status(conns.reader, identity.session) == "ended"
        if self._waiting:
            decisions = db.decisions(conns.reader, sorted(self._waiting))
            self._waiting.difference_update(d.id for d in decisions)
        status = self._controller
        if changed or now >= self._next_lease_look:  # the controller's heartbeat: twice a second
            self._next_lease_look = now + 0.5
            lease = db.lease(conns.reader, identity.session)
            self._lease = lease
            alive = (
                lease is not None
                and lease.holder is not None
                and lease.heartbeat is not None
                and now - lease.heartbeat < GONE_AFTER_S
            )
            status = "back" if alive else "gone"
        if lines or decisions or ended or status != self._controller:
            self._loop.call_soon_threadsafe(self._deliver, _Polled(lines, decisions, status, ended))

    def _deliver(self, polled: _Polled) -> None:
        """On the loop: hand out the lines, resolve acks, say what became of the controller."""
        for line in polled.lines:
            self._items.put_nowait(line)
        for decision in polled.decisions:
            self._decided[decision.id] = decision
            for key, future in self._pending.pop(decision.id, []):
                if not future.done():
                    future.set_result(_ack(key, decision))
        if polled.status is not None and polled.status != self._controller:
            if self._controller is not None or polled.status == "gone":
                self._items.put_nowait(Status(f"controller-{polled.status}"))
            self._controller = polled.status
        if (polled.ended and not self._ended) or (self._ended and polled.status == "gone"):
            self._ended = True
            if polled.status == "gone" or not self._pending:
                self._finish()

    def _finish(self) -> None:
        """The exercise is over and its controller gone: nothing pending will be decided."""
        for key_futures in self._pending.values():
            for key, future in key_futures:
                if not future.done():
                    future.set_result(
                        Ack(key, "rejected", "the exercise has ended before this was decided")
                    )
        self._pending.clear()
        self._items.put_nowait(Status("ended"))
        self._items.put_nowait(None)


class SeatClient(Client):
    """A trainee's seat: one role's view of the log, and the role's brief."""

    brief: dict[str, Any]

    @classmethod
    async def join(
        cls,
        path: str | Path,
        *,
        role: str,
        code: str,
        name: str = "",
        session: str | None = None,
        from_seq: int = 0,
        report: Report | None = None,
    ) -> SeatClient:
        """Join ``role`` with its code; raises ``JoinError`` saying why not. ``report`` hears
        of a wait (repeated wrong codes are slowed down)."""
        if role == join_codes.EVALUATOR:
            raise JoinError("evaluators join with: exercise evaluate --db PATH --code CODE")
        client, brief = await cls._joined(
            path, from_seq, lambda conns: _admit(conns, role, code, name, session, report)
        )
        client.brief = brief
        return client

    def _read(self, conns: _Connections) -> list[Line]:
        return db.role_lines(
            conns.reader, self.identity.session, self.identity.role or "", self.last_seq
        )


class EvaluatorClient(Client):
    """An evaluator: the whole feed (every role, observations), the bundle (look-fors, notes),
    and ``RecordObservation``."""

    bundle: Bundle

    @classmethod
    async def join(
        cls,
        path: str | Path,
        *,
        code: str,
        name: str = "evaluator",
        session: str | None = None,
        from_seq: int = 0,
        report: Report | None = None,
    ) -> EvaluatorClient:
        from exercise_engine.store import Store

        def admit(conns: _Connections) -> tuple[Identity, Any]:
            identity, _ = _admit(conns, join_codes.EVALUATOR, code, name, session, report)
            with Store.reader(path) as store:
                return identity, store.bundle(identity.session)

        client, bundle = await cls._joined(path, from_seq, admit)
        client.bundle = bundle
        return client

    def _read(self, conns: _Connections) -> list[Line]:
        from exercise_engine.live.feed import staff_lines

        return staff_lines(
            db.all_lines(conns.reader, self.identity.session, self.last_seq), self.bundle
        )


# -- joining ------------------------------------------------------------------------------------


def _open(path: str) -> _Connections:
    if not Path(path).is_file():
        raise JoinError(f"no exercise database at {path}")
    try:
        conns = _Connections(path)
    except (sqlite3.Error, OSError, StoreError) as exc:
        raise JoinError(f"cannot open {path}: {exc}") from None
    return conns


def _admit(
    conns: _Connections,
    audience: str,
    code: str,
    name: str,
    session: str | None,
    report: Report | None,
) -> tuple[Identity, dict[str, Any]]:
    """Check the code (slowed down after repeated wrong ones, every try logged) and register
    the seat."""
    try:
        from exercise_engine.store import schema

        schema.check_version(conns.reader, conns.path)
        found = db.live_session(conns.reader, session)
    except (sqlite3.Error, StoreError) as exc:
        raise JoinError(str(exc)) from None
    if found is None:
        raise JoinError("no live exercise session in this database (start one with exercise run)")
    if found.status == "ended":
        raise JoinError(f"the exercise {found.title!r} ({found.id}) has ended")
    known = join_codes.audiences(conns.reader, found.id)
    roles = [a for a in known if a != join_codes.EVALUATOR]
    if audience not in known:
        raise JoinError(f"unknown role '{audience}'; the roles are " + ", ".join(roles))
    now = time.time()
    wrong = db.wrong_tries_since(conns.reader, found.id, now - join_codes.WINDOW_S)
    wait = join_codes.wait_before(wrong)
    if wait and report is not None:
        report(f"{wrong} wrong join codes for this exercise in the last minute: waiting {wait:g} s")
    time.sleep(wait)
    ok = join_codes.matches(conns.reader, found.id, audience, code)
    kind = "evaluator" if audience == join_codes.EVALUATOR else "player"
    seat = f"{audience}-{secrets.token_hex(3)}"
    name = " ".join((name or seat).split())[:80]
    db.log_join_try(
        conns.writer,
        found.id,
        audience=audience,
        name=name,
        ok=ok,
        now=time.time(),
        pid=os.getpid(),
    )
    if not ok:
        whose = "the evaluators" if kind == "evaluator" else f"role '{audience}'"
        raise JoinError(f"wrong join code for {whose}")
    role = None if kind == "evaluator" else audience
    db.join_seat(
        conns.writer,
        found.id,
        seat,
        role=role,
        name=name,
        kind=kind,
        now=time.time(),
        stamp=_now_iso(),
        pid=os.getpid(),
    )
    brief = db.brief(conns.reader, found.id, audience) if role else None
    return Identity(found.id, seat, role, name, kind), json.loads(brief) if brief else {}


def _ack(key: str, decision: db.Decision) -> Ack:
    seqs = None
    if decision.first_seq is not None and decision.last_seq is not None:
        seqs = (decision.first_seq, decision.last_seq)
    return Ack(key, decision.status, decision.reason, seqs)


def _now_iso() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
