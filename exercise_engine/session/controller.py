"""The exercise controller: the one writer of a session's event log.

It owns the engine and the folded state of one session. Commands come from the controller's own
console or from seats through the store's inbox; each is decided by the engine and its events
are appended in the same transaction that marks the command accepted or rejected, so an
acknowledged decision is never lost and a crash never leaves a half-recorded command.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.engine.engine import Engine, Outcome
from exercise_engine.engine.state import ExerciseState, fold
from exercise_engine.model.bundle import Bundle
from exercise_engine.store import CommandRecord, Store
from exercise_engine.store.eventstore import latest_t


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

    def process_inbox(self, now: int | None = None) -> list[InboxResult]:
        """Decide every pending command from the seats, oldest first."""
        self.flush()
        results = []
        for record in self.store.pending_commands(self.session_id):
            try:
                command = cmd.decode_command(record.type, record.payload, record.actor)
            except cmd.CommandFormatError as exc:
                self.store.mark_command(record.id, "rejected", str(exc), None, None)
                results.append(InboxResult(record, Outcome((), str(exc))))
                continue
            outcome = self.engine.handle(self.state, command, now)
            first = self._persisted + 1
            last = first + len(outcome.events) - 1 if outcome.events else None
            try:
                with self.store.transaction():
                    self.store.append(self.session_id, outcome.events, first, self.bundle)
                    self.store.mark_command(
                        record.id,
                        "accepted" if outcome.accepted else "rejected",
                        outcome.rejection,
                        first if last else None,
                        last,
                    )
            except Exception:
                self._reload()
                raise
            self._persisted += len(outcome.events)
            results.append(InboxResult(record, outcome))
        return results
