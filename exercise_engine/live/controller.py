"""The live controller's core: one session, one writer, driven by the wall clock.

Synchronous and single-threaded on purpose: the service (service.py) calls it from one worker
thread, which owns its Store. Each ``tick`` renews the lease (the controller's heartbeat, with
the clock's reading), lets scenario time happen (due injects, overdue answers, the scenario's
end) and decides the inbox at the scenario time it was read; ``decide`` handles the controller's
own commands. Every event committed is handed back for the service to publish.

Exactly one live controller per session: the ``leases`` row names it. A second one refuses while
the first keeps its heartbeat; once a controller has died (no heartbeat for ``LEASE_TTL_S``) the
next one takes over, records how long the session had no controller (``ControllerTookOver``) and
resumes the scenario clock where the last heartbeat left it.
"""

from __future__ import annotations

import logging
import math
import os
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.engine.engine import Outcome
from exercise_engine.engine.state import BRIEFING, DEBRIEF, ENDED, SETUP
from exercise_engine.errors import UserError
from exercise_engine.live import codes as join_codes
from exercise_engine.live.clock import LiveClock
from exercise_engine.live.options import RunOptions as RunOptions  # re-exported
from exercise_engine.live.presence import Presence, presence
from exercise_engine.model.bundle import Bundle
from exercise_engine.session.controller import ExerciseController
from exercise_engine.store import CommandRecord, Store, StoreError
from exercise_engine.store import live as db
from exercise_engine.store.eventstore import now_iso

log = logging.getLogger(__name__)

HEARTBEAT_S = 1.0
LEASE_TTL_S = 5.0
"""A controller silent this long is taken for dead: a new one may take over (seconds, so a
crashed exercise resumes within moments)."""
PATIENCE_S = 120.0
"""How long the controller waits for the write lock while seats write (it never gives up in the
middle of an exercise because fifty seats submitted at once)."""
INBOX_BATCH = 1000
"""Commands decided in one transaction at most (the rest at the next tick)."""
CODES_AHEAD = 6
"""Join codes a new session hashes while its scenario loads: five roles and the evaluators,
the usual cast (more are hashed when needed, the unneeded are dropped)."""
STATUS = {SETUP: "created", BRIEFING: "briefing", DEBRIEF: "debrief", ENDED: "ended"}


class SessionBusy(StoreError):
    """Another controller is alive on this session."""


@dataclass(frozen=True)
class TakeOver:
    """A session this controller took over: how long it had no controller."""

    previous_pid: int | None
    outage: float


class LiveController:
    def __init__(
        self,
        store: Store,
        controller: ExerciseController,
        token: str,
        clock: LiveClock,
        *,
        codes: dict[str, str] | None,
        codes_file: Path | None,
        took_over: TakeOver | None,
        wall: float,
    ):
        self.store = store
        self.controller = controller
        self.token = token
        self.clock = clock
        self.codes = codes
        """The join codes in clear while they are the session's; None when this controller
        cannot know them (a take-over without its codes file, a rotation it did not make)."""
        self.codes_file = codes_file
        """Where this run's codes are written (``--codes``), and read back after a rotation."""
        self._codes_generation = join_codes.generation(store.conn, controller.session_id)
        self.took_over = took_over
        self.published = 0
        self._next_heartbeat = wall
        self._data_version: int | None = None
        self._looked_t = self.now(wall)
        """Scenario time of the last look at the inbox (rows found later were sent after it)."""
        self._status = ""
        store.lease = (controller.session_id, token)

    # -- opening ------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        options: RunOptions,
        wall: Callable[[], float] = time.time,
        load: Callable[[str | None, list[str]], Bundle] | None = None,
    ) -> LiveController:
        """Create the session, or take over the unfinished live session the file holds."""
        store = Store(options.db, busy_timeout=PATIENCE_S)
        try:
            found = _unfinished(store, options.session)
            if found is None:
                return cls._create(store, options, wall, load)
            return cls._take_over(store, options, found, wall)
        except BaseException:
            store.close()
            raise

    @classmethod
    def _create(
        cls,
        store: Store,
        options: RunOptions,
        wall: Callable[[], float],
        load: Callable[[str | None, list[str]], Bundle] | None,
    ) -> LiveController:
        with join_codes.Minter(CODES_AHEAD) as minter:  # hashed while the scenario loads
            bundle = (load or _load_bundle)(options.scenario, options.content)
            if options.speed is not None and bundle.scenario.clock.mode == "turns":
                raise UserError(
                    f"--speed applies to a realtime clock; {bundle.scenario.id} plays in moves "
                    "(the controller starts each move)"
                )
            controller = ExerciseController.create(store, bundle, options.seed)
            session = controller.session_id
            token = secrets.token_hex(8)
            now = wall()
            taken, _ = db.take_lease(
                store.conn, session, token, now=now, ttl=LEASE_TTL_S, pid=_pid()
            )
            if not taken:  # a brand-new session: nobody else can hold it
                raise SessionBusy(f"session {session} was taken by another controller at once")
            roles = list(bundle.scenario.roles)
            codes = join_codes.issue(store.conn, session, roles, now_iso(), minter)
        if options.codes_file is not None:
            join_codes.write_file(options.codes_file, codes)
        clock = LiveClock(
            controller.state, realtime=not controller.engine.turns, saved_t=0, wall=now
        )
        live = cls(
            store, controller, token, clock, codes=codes, codes_file=options.codes_file,
            took_over=None, wall=now,
        )  # fmt: skip
        if options.speed is not None and options.speed != controller.state.speed:
            live.decide(cmd.SetSpeed(speed=options.speed), now)
        if options.start:
            live.decide(cmd.StartPlay(), now)
        return live

    @classmethod
    def _take_over(
        cls, store: Store, options: RunOptions, session: str, wall: Callable[[], float]
    ) -> LiveController:
        record = store.session(session)
        if options.scenario is not None and options.scenario not in (
            record.scenario_id,
            Path(options.scenario).stem,
        ):
            raise StoreError(
                f"{options.db} holds an unfinished session of '{record.scenario_id}' "
                f"({session}); end it, or run '{options.scenario}' with another --db"
            )
        token = secrets.token_hex(8)
        before = _wait_for_lease(store.conn, session, token, wall)
        controller = ExerciseController.resume(store, session)
        now = wall()
        saved = max(record.clock_t or 0, before.clock_t or 0) if before else record.clock_t or 0
        clock = LiveClock(
            controller.state, realtime=not controller.engine.turns, saved_t=saved, wall=now
        )
        codes = join_codes.kept_in(options.codes_file, store.conn, session)
        took_over = None
        if before is not None and before.heartbeat is not None:
            took_over = TakeOver(before.pid, max(0.0, now - before.heartbeat))
        live = cls(
            store, controller, token, clock, codes=codes, codes_file=options.codes_file,
            took_over=took_over, wall=now,
        )  # fmt: skip
        state = controller.state
        if took_over is not None and state.phase != ENDED:
            live._record_own(
                ev.ControllerTookOver(t=clock.now(now), outage=round(took_over.outage))
            )
        if options.speed is not None and options.speed != state.speed and state.phase != ENDED:
            live.decide(cmd.SetSpeed(speed=options.speed), now)
        if options.start and state.phase in (SETUP, BRIEFING):
            live.decide(cmd.StartPlay(), now)
        return live

    # -- the service's calls ------------------------------------------------------------------

    @property
    def session_id(self) -> str:
        return self.controller.session_id

    @property
    def ended(self) -> bool:
        return self.controller.state.phase == ENDED

    def now(self, wall: float) -> int | None:
        """The scenario time to decide at (None in turn mode: the engine keeps it)."""
        return self.clock.now(wall) if self.clock.realtime else None

    def tick(self, wall: float) -> list[ev.Recorded]:
        """Heartbeat, inbox, scenario time; returns the events committed since the last call.

        The inbox comes first, each command at the time it was sent: a controller that was slow
        to read (busy, descheduled, stopped) must not let an answer's due time pass, and mark it
        overdue, before deciding an answer sent in time."""
        if wall >= self._next_heartbeat:
            self._heartbeat(wall)
        self._decide_inbox(wall)
        controller = self.controller
        state = controller.state
        if self.clock.running and state.in_play and not state.paused:
            now = self.clock.now(wall)
            wakeup = controller.engine.next_wakeup(state)
            if wakeup is not None and wakeup <= now:
                self._guarded(cmd.AdvanceClock(), wall)
        return self._published(wall)

    def decide(self, command: cmd.Command, wall: float) -> Outcome:
        """One of the controller's own commands (its console, its stdin), decided now: after
        what seats sent before it (an answer sent just before a Pause is taken, not refused
        as paused)."""
        self._decide_inbox(wall)
        return self._guarded(command, wall)

    def drain(self, wall: float) -> list[ev.Recorded]:
        """Events committed by ``decide`` not yet handed out."""
        return self._published(wall)

    def presence(self, wall: float) -> list[Presence]:
        return presence(self.store.conn, self.session_id, wall)

    def rotate_codes(self) -> dict[str, str]:
        """New join codes (the old ones stop working; seats already in stay), written to the
        codes file when there is one."""
        roles = list(self.controller.bundle.scenario.roles)
        codes = join_codes.issue(self.store.conn, self.session_id, roles, now_iso())
        self.codes = codes
        self._codes_generation = join_codes.generation(self.store.conn, self.session_id)
        if self.codes_file is not None:
            join_codes.write_file(self.codes_file, codes)
        return codes

    def release(self, wall: float) -> None:
        """Stop cleanly: save the clock, free the lease (the next controller may start at once;
        the time until it does is still recorded as an outage)."""
        try:
            self._heartbeat(wall)
            db.release_lease(self.store.conn, self.session_id, self.token, wall)
        except StoreError:
            log.warning("session %s: the lease could not be released", self.session_id)
        finally:
            self.store.close()

    # -- inside -------------------------------------------------------------------------------

    def _guarded(self, command: cmd.Command, wall: float) -> Outcome:
        controller = self.controller
        try:
            outcome = controller.submit(command, self.now(wall))
        except StoreError:
            raise
        except Exception as exc:  # a bug in the engine: say so, keep the session
            log.exception("the engine failed on the controller's %s", command.type)
            controller.reload()
            return Outcome((), f"the engine could not decide this {command.type} ({exc})")
        self.clock.follow(outcome.events, wall)
        return outcome

    def _record_own(self, event: ev.Event) -> None:
        """An event the controller itself witnessed (a take-over), not decided by the engine."""
        self.controller.record([event])

    def _heartbeat(self, wall: float) -> None:
        self._next_heartbeat = wall + HEARTBEAT_S
        now = self.clock.now(wall)
        kept = db.renew_lease(
            self.store.conn,
            self.session_id,
            self.token,
            now=wall,
            clock_t=now,
            running=self.clock.running,
            speed=self.clock.speed,
        )
        if not kept:
            raise StoreError(
                f"another controller has taken over session {self.session_id} (this one stopped "
                "answering for too long); this one stops"
            )
        self._follow_codes()

    def _follow_codes(self) -> None:
        """Codes rotated by another process (``exercise codes --rotate``): the ones this
        controller shows no longer work. Show the new ones if they were written to its codes
        file, none otherwise."""
        current = join_codes.generation(self.store.conn, self.session_id)
        if current == self._codes_generation:
            return
        self._codes_generation = current
        self.codes = join_codes.kept_in(self.codes_file, self.store.conn, self.session_id)
        log.info("session %s: join codes rotated elsewhere", self.session_id)

    def _decide_inbox(self, wall: float) -> None:
        """Decide what seats wrote since the last look. A row the last look did not find was
        committed after it: its scenario time is the one SQLite stamped on it, through the
        clock, but never before that look (no seat can backdate an answer) nor after now."""
        now = self.now(wall)
        floor = self._looked_t
        if not self._inbox_changed():
            self._looked_t = now
            return
        results = self.controller.process_inbox(
            now,
            limit=INBOX_BATCH,
            sent_at=None if now is None else lambda row: self._sent_t(row, floor, now),
        )
        if len(results) < INBOX_BATCH:
            self._looked_t = now
        else:  # rows were left for the next look: they stay bounded by this one's floor
            self._data_version = None
        self.clock.follow((e for r in results for e in r.outcome.events), wall)

    def _sent_t(self, row: CommandRecord, floor: int | None, now: int) -> int:
        """The scenario time a row was sent, as far as the controller can vouch for it."""
        sent = row.sent
        if not isinstance(sent, int | float) or not math.isfinite(sent):
            return now  # a row from an older seat, or a stamp that is no number: read now
        t = self.clock.now(float(sent))
        return min(max(t, floor if floor is not None else t), now)

    def _inbox_changed(self) -> bool:
        """Whether another process has committed since the last look (a seat's command)."""
        version = int(self.store.conn.execute("PRAGMA data_version").fetchone()[0])
        changed = version != self._data_version
        self._data_version = version
        return changed

    def _published(self, wall: float) -> list[ev.Recorded]:
        controller = self.controller
        controller.flush()
        status = STATUS.get(controller.state.phase, "running")
        if status != self._status:
            self._status = status
            controller.store.set_status(self.session_id, status, self.clock.now(wall))
        if controller.state.seq <= self.published:
            return []
        fresh = controller.store.events(self.session_id, after_seq=self.published)
        if fresh:
            self.published = fresh[-1].seq
        return fresh


def _unfinished(store: Store, session: str | None) -> str | None:
    """The live session to take over: ``session``, or the latest one not ended."""
    if session is not None:
        record = store.session(session)
        if record.policy is not None:
            raise StoreError(f"session {session} is a simulation; it cannot be run live")
        return None if record.status == "ended" else session
    for record in reversed(store.sessions()):
        if record.policy is None and record.status != "ended":
            return record.id
    return None


def _wait_for_lease(
    conn: sqlite3.Connection, session: str, token: str, wall: Callable[[], float]
) -> db.Lease | None:
    """Take the lease; if a controller holds it, wait to see whether it is alive (its
    heartbeat moves: refuse) or dead (it expires: take over)."""
    first: db.Lease | None = None
    while True:
        taken, before = db.take_lease(conn, session, token, now=wall(), ttl=LEASE_TTL_S, pid=_pid())
        if taken:
            return before
        assert before is not None
        if first is None:
            first = before
        elif before.heartbeat != first.heartbeat:
            raise SessionBusy(
                f"session {session} is being run by another controller (pid {before.pid} on "
                f"{before.host}); only one controller may run a session. Join it as a seat, or "
                "stop that controller first"
            )
        time.sleep(0.2)


def _load_bundle(ref: str | None, content: list[str]) -> Bundle:
    from exercise_engine.model.loader import load_bundle

    return load_bundle(ref, content)


def _pid() -> int:
    return os.getpid()
