"""The exercise controller: the one writer of a session's event log.

It owns the engine and the folded state of one session. Commands come from the controller's own
console or from seats through the store's inbox; each is decided by the engine and its events
are appended in the same transaction that marks the command accepted or rejected, so an
acknowledged decision is never lost and a crash never leaves a half-recorded command.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.engine.engine import Engine, Outcome
from exercise_engine.engine.state import ExerciseState, apply, fold
from exercise_engine.model.bundle import Bundle
from exercise_engine.store import CommandRecord, Store
from exercise_engine.store.eventstore import latest_t

log = logging.getLogger(__name__)


@dataclass
class InboxResult:
    record: CommandRecord
    outcome: Outcome


class ExerciseController:
    def __init__(
        self,
        store: Store,
        session_id: str,
        engine: Engine,
        state: ExerciseState,
        *,
        commit_every: int = 1,
    ):
        self.store = store
        self.session_id = session_id
        self.engine = engine
        self.state = state
        self.commit_every = max(1, commit_every)
        self._buffer: list[ev.Event] = []
        self._persisted = state.seq
        self._seats: dict[str, cmd.Actor] = {}

    @property
    def bundle(self) -> Bundle:
        return self.engine.bundle

    @classmethod
    def create(
        cls,
        store: Store,
        bundle: Bundle,
        seed: int,
        *,
        policy: str | None = None,
        label: str = "",
        commit_every: int = 1,
    ) -> ExerciseController:
        # The session row and its first event (which holds the seed) commit together: a
        # session without ExerciseCreated would resume with another seed.
        with store.transaction():
            session_id = store.create_session(bundle, seed, policy=policy, label=label)
            engine = Engine(bundle)
            state = engine.initial_state()
            controller = cls(store, session_id, engine, state, commit_every=commit_every)
            controller._record(engine.create(state, seed))
            controller.flush()
        return controller

    @classmethod
    def resume(
        cls, store: Store, session_id: str, *, commit_every: int = 1, bundle: Bundle | None = None
    ) -> ExerciseController:
        """Reopen a session from its log: the state is the fold of every recorded event."""
        if bundle is None:
            bundle, log = store.read_session(session_id)
        else:
            log = store.events(session_id, latest_t=latest_t(bundle))
        engine = Engine(bundle)
        state = fold(bundle.scenario, log)
        return cls(store, session_id, engine, state, commit_every=commit_every)

    def submit(self, command: cmd.Command, now: int | None = None) -> Outcome:
        """Decide a command and record its events (committed per ``commit_every``)."""
        outcome = self.engine.handle(self.state, command, now)
        self._record(outcome.events)
        return outcome

    def record(self, events: Sequence[ev.Event]) -> None:
        """Events the controller witnessed itself (not decided by the engine: a take-over after
        a crash), folded into the state and written at once."""
        for event in events:
            apply(event, self.state)
        self._record(events)
        self.flush()

    def reload(self) -> None:
        """The log is the truth again: refold the state from it (after a failure mid-way)."""
        self._reload()

    def _record(self, events: Sequence[ev.Event]) -> None:
        self._buffer.extend(events)
        if len(self._buffer) >= self.commit_every:
            self.flush()

    def flush(self) -> None:
        """Write buffered events in one transaction."""
        if not self._buffer:
            return
        try:
            self.store.append(self.session_id, self._buffer, self._persisted + 1, self.bundle)
        except Exception:
            self._reload()
            raise
        self._persisted += len(self._buffer)
        self._buffer = []

    def _reload(self) -> None:
        """After a failed write, the log is the truth again: refold the state from it."""
        self._buffer = []
        log = self.store.events(self.session_id)
        self.state = fold(self.bundle.scenario, log)
        self._persisted = self.state.seq

    def process_inbox(
        self,
        now: int | None = None,
        *,
        limit: int = 1000,
        sent_at: Callable[[CommandRecord], int | None] | None = None,
    ) -> list[InboxResult]:
        """Decide the pending commands from the seats, oldest first, each at the scenario time
        ``sent_at(row)`` says it was sent (lateness is judged at submission; the live controller
        bounds that time by its own looks at the inbox), or at ``now`` when no ``sent_at`` is
        given. Their events and acknowledgements are committed together.

        Every row is untrusted: the actor is the seat's registered identity (so no row can issue
        a controller command), the payload goes through the one decoder of commands, and
        whatever the engine raises on becomes a rejection; the controller never dies on a row.
        """
        self.flush()
        records = self.store.pending_commands(self.session_id, limit)
        if not records:
            return []
        results = []
        try:
            with self.store.transaction():
                for record in records:
                    outcome = self._decide(record, now if sent_at is None else sent_at(record))
                    first = self._persisted + 1
                    last = first + len(outcome.events) - 1 if outcome.events else None
                    self.store.append(self.session_id, outcome.events, first, self.bundle)
                    self.store.mark_command(
                        record.id,
                        "accepted" if outcome.accepted else "rejected",
                        outcome.rejection,
                        first if last else None,
                        last,
                    )
                    self._persisted += len(outcome.events)
                    results.append(InboxResult(record, outcome))
        except Exception:
            self._reload()
            raise
        return results

    def _decide(self, record: CommandRecord, now: int | None) -> Outcome:
        actor = self._actor(record.seat)
        if actor is None:
            return Outcome((), f"unknown seat '{record.seat}': join the session first")
        try:
            command = cmd.decode_command(record.type, record.payload, actor)
        except cmd.CommandFormatError as exc:
            return Outcome((), str(exc))
        try:
            return self.engine.handle(self.state, command, now)
        except Exception as exc:  # a bug: the seat gets a reason, the controller goes on
            log.exception("the engine failed on command %s (%s)", record.id, record.type)
            self._reload()
            return Outcome(
                (),
                f"the engine could not decide this {record.type} ({type(exc).__name__}); "
                "the controller has logged it for the developers",
            )

    def _actor(self, seat: str | None) -> cmd.Actor | None:
        """Who a seat is, as it registered when it joined (cached: a seat never changes)."""
        if seat is None:
            return None
        actor = self._seats.get(seat)
        if actor is None:
            found = self.store.seat_identity(self.session_id, seat)
            if found is None:
                return None
            kind, role, name = found
            if kind == cmd.PLAYER and role is not None:
                actor = cmd.Actor.player(role, seat=seat, name=name or role)
            elif kind == cmd.EVALUATOR:
                actor = cmd.Actor.evaluator(name or "evaluator", seat=seat)
            else:
                return None
            self._seats[seat] = actor
        return actor
