"""The engine: given the state, a command and the scenario time, decide the events.

``Engine.handle`` never raises for a bad command: it returns an ``Outcome`` whose ``rejection``
says why, in words a seat can show. The state passed in is advanced only through the fold, by
exactly the events returned, so ``fold(log) == state`` always holds; what the engine keeps
between commands (the agenda) lives in the engine, never in the state. Time moves only through
the ``now`` the caller supplies (a realtime clock, a move counter, or a test's fake clock).

The work is split by responsibility: ``control.py`` decides the controller's commands,
``seats.py`` the seats' and evaluators', ``settling.py`` what happens by itself as time passes;
this module checks who may do what and runs the clock before each command.
"""

from __future__ import annotations

from dataclasses import dataclass

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.engine.control import ControllerCommands
from exercise_engine.engine.draft import Draft, Handler, Rejected
from exercise_engine.engine.seats import SeatCommands
from exercise_engine.engine.settling import Settling
from exercise_engine.engine.state import ExerciseState, initial_state
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.calendar import Calendar


@dataclass(frozen=True)
class Outcome:
    events: tuple[ev.Event, ...]
    rejection: str | None = None

    @property
    def accepted(self) -> bool:
        return self.rejection is None


class Engine:
    def __init__(self, bundle: Bundle):
        self.bundle = bundle
        self.scenario = bundle.scenario
        self.rubric = bundle.rubric
        self.settling = Settling(self.scenario, bundle.control)
        self.receivers = self.settling.receivers
        self.turns = self.settling.turns
        self.calendar = Calendar.of(self.scenario.clock)
        self.start = self.calendar.start
        self._handlers: dict[type[cmd.Command], Handler] = {
            **ControllerCommands(self.settling, self.clock_label).handlers(),
            **SeatCommands(self.settling, self.rubric, self.clock_label).handlers(),
        }

    def initial_state(self) -> ExerciseState:
        return initial_state(self.scenario)

    def create(self, state: ExerciseState, seed: int) -> list[ev.Event]:
        """The first event of a session."""
        draft = self.settling.draft(state)
        draft.emit(
            ev.ExerciseCreated(
                t=0,
                scenario=self.scenario.id,
                scenario_hash=self.bundle.hash,
                seed=seed,
                mode=self.scenario.clock.mode,
                speed=self.scenario.clock.speed,
            )
        )
        self.settling.keep(state, draft.agenda)
        return draft.events

    def handle(self, state: ExerciseState, command: cmd.Command, now: int | None = None) -> Outcome:
        """Decide ``command`` at scenario time ``now``; never raises for a bad command.

        ``state`` is advanced by exactly the returned events (a rejected command may still
        return the events of the clock run up to ``now``)."""
        if self.turns and not isinstance(command, cmd.NextMove):
            now = state.t
        now = state.t if now is None else max(int(now), state.t)
        draft = self.settling.draft(state)
        try:
            self._decide(draft, command, now)
        except Rejected as rejection:
            return Outcome(tuple(draft.events), str(rejection))
        finally:
            self.settling.keep(state, draft.agenda)
        return Outcome(tuple(draft.events))

    def _decide(self, draft: Draft, command: cmd.Command, now: int) -> None:
        state = draft.state
        try:
            command = cmd.validated(command)
        except cmd.CommandFormatError as exc:
            raise Rejected(str(exc)) from None
        self._authorize(command)
        handler = self._handlers.get(type(command))
        if handler is None:
            raise Rejected(f"unknown command {type(command).__name__}")
        if (
            state.in_play
            and not self.turns
            and not isinstance(command, cmd.StartPlay | cmd.AdvanceClock)
        ):
            self.settling.run_clock(draft, now)
        clock_events = len(draft.events)
        try:
            handler(draft, command, now)
        except Rejected:
            if len(draft.events) != clock_events:
                raise RuntimeError("engine rejected a command after deciding events") from None
            raise

    def next_wakeup(self, state: ExerciseState, after: int | None = None) -> int | None:
        """The next scenario instant after ``after`` at which something is scheduled to happen."""
        return self.settling.next_wakeup(state, after)

    def clock_label(self, t: int, state: ExerciseState | None = None) -> str:
        """Scenario time as players read it: the scenario date and time (a time of day for a
        scenario with no date), or T+ when none is set. With ``state``, the time jumps of the
        modules its play has started count (model/calendar.py)."""
        if state is None or not state.phase_entries:
            return self.calendar.label(t)
        return self.calendar.following(self.scenario, state.phase_entries).label(t)

    def _authorize(self, command: cmd.Command) -> None:
        actor = command.actor
        if command.controller_only:
            if actor.kind != cmd.CONTROLLER:
                raise Rejected("only the exercise controller can do that")
            return
        if isinstance(command, cmd.RecordObservation):
            if actor.kind not in (cmd.EVALUATOR, cmd.CONTROLLER):
                raise Rejected("only evaluators record observations")
            return
        if actor.kind == cmd.PLAYER:
            if actor.role not in self.scenario.roles:
                raise Rejected(f"role '{actor.role}' has no seat in this scenario")
            return
        if actor.kind == cmd.CONTROLLER and isinstance(command, cmd.SendMessage):
            return  # the controller speaks for the control cells
        raise Rejected("only a role's seat can do that")
