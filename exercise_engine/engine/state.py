"""Exercise state: a fold of the event log, and nothing else.

``apply`` has one handler per event type (``functools.singledispatch``). The engine advances a
state only by applying the events it returns, so replaying a stored log from the beginning
rebuilds exactly the state the live controller had: crash recovery and replay come for free.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import singledispatch
from typing import Final

from exercise_engine.engine import events as ev
from exercise_engine.model.scenario import PLAY_PHASES, Scenario

SETUP: Final = "setup"
BRIEFING: Final = "briefing"
DEBRIEF: Final = "debrief"
ENDED: Final = "ended"
ALL_PHASES = ev.PHASES


@dataclass
class Delivery:
    """One inject as one role received it, and what became of the response it asked for."""

    inject: str
    role: str
    t: int
    due_at: int | None
    responded_at: int | None = None
    option: str | None = None
    late: bool = False
    overdue: bool = False
    seat: str | None = None
    paragraphs: tuple[int, ...] = ()
    """The inject's conditional paragraphs this role read (``InjectDelivered.paragraphs``)."""
    by: str = ""


@dataclass
class ExerciseState:
    seq: int = 0
    """The stored seq of the last event folded in: ``fold`` takes it from the log, and each
    event the engine applies takes the next one, as the session's one writer stores them."""
    t: int = 0
    phase: ev.Phase = SETUP
    phase_entered_at: int = 0
    phase_entries: list[tuple[str, int]] = field(default_factory=list)
    paused: bool = False
    held: bool = False
    speed: float = 1.0
    move: int = 0
    seed: int = 0
    variables: dict[str, float] = field(default_factory=dict)
    deliveries: dict[tuple[str, str], Delivery] = field(default_factory=dict)
    first_delivery: dict[str, int] = field(default_factory=dict)
    triggered: dict[str, int] = field(default_factory=dict)
    rescheduled: dict[str, int] = field(default_factory=dict)
    """Injects the controller moved, and the scenario time each now goes out at."""
    open_dues: dict[tuple[str, str], int] = field(default_factory=dict)
    awaiting: set[tuple[str, str]] = field(default_factory=set)
    """(inject, role) pairs asked to answer and not answered yet: each role's to-do list."""
    discussed: set[tuple[str, str]] = field(default_factory=set)
    shared: set[tuple[str, str]] = field(default_factory=set)
    fired_rules: set[int] = field(default_factory=set)
    adhoc: dict[str, ev.AdhocInject] = field(default_factory=dict)
    messages: int = 0
    shares: int = 0
    observations: int = 0
    ended_reason: str | None = None

    @property
    def in_play(self) -> bool:
        return self.phase in PLAY_PHASES

    @property
    def elapsed_in_phase(self) -> int:
        return self.t - self.phase_entered_at

    def delivered_to(self, inject: str, role: str) -> bool:
        return (inject, role) in self.deliveries


def initial_state(scenario: Scenario) -> ExerciseState:
    return ExerciseState(
        speed=scenario.clock.speed,
        variables={name: v.initial for name, v in scenario.variables.items()},
    )


def fold(
    scenario: Scenario, log: Iterable[ev.Recorded], state: ExerciseState | None = None
) -> ExerciseState:
    """The state after the recorded events ``log`` (from the initial state unless one is
    given), its ``seq`` the last one's."""
    state = state or initial_state(scenario)
    for record in log:
        apply(record.event, state)
        state.seq = record.seq
    return state


@singledispatch
def apply(event: ev.Event, state: ExerciseState) -> None:
    _advance(event, state)


def _advance(event: ev.Event, state: ExerciseState) -> None:
    state.seq += 1
    if event.t > state.t:
        state.t = event.t


@apply.register
def _(event: ev.ExerciseCreated, state: ExerciseState) -> None:
    _advance(event, state)
    state.seed = event.seed
    state.speed = event.speed


@apply.register
def _(event: ev.PhaseEntered, state: ExerciseState) -> None:
    _advance(event, state)
    state.phase = event.phase
    state.phase_entered_at = event.t
    state.phase_entries.append((event.phase, event.t))
    if event.phase in PLAY_PHASES and state.move == 0:
        state.move = 1


@apply.register
def _(event: ev.PhaseHoldChanged, state: ExerciseState) -> None:
    _advance(event, state)
    state.held = event.held


@apply.register
def _(event: ev.ClockPaused, state: ExerciseState) -> None:
    _advance(event, state)
    state.paused = True


@apply.register
def _(event: ev.ClockResumed, state: ExerciseState) -> None:
    _advance(event, state)
    state.paused = False


@apply.register
def _(event: ev.SpeedChanged, state: ExerciseState) -> None:
    _advance(event, state)
    state.speed = event.speed


@apply.register
def _(event: ev.MoveStarted, state: ExerciseState) -> None:
    _advance(event, state)
    state.move = event.move


@apply.register
def _(event: ev.InjectTriggered, state: ExerciseState) -> None:
    _advance(event, state)
    state.triggered.setdefault(event.inject, event.t)


@apply.register
def _(event: ev.InjectRescheduled, state: ExerciseState) -> None:
    _advance(event, state)
    state.rescheduled[event.inject] = event.at


@apply.register
def _(event: ev.InjectDelivered, state: ExerciseState) -> None:
    _advance(event, state)
    state.first_delivery.setdefault(event.inject, event.t)
    if isinstance(event.cause, ev.Armed):
        state.triggered.pop(event.inject, None)
    if event.adhoc is not None:
        state.adhoc[event.inject] = event.adhoc
    paragraphs = tuple(event.paragraphs or ())
    for role in event.to:
        state.deliveries[(event.inject, role)] = Delivery(
            event.inject, role, event.t, event.due_at, paragraphs=paragraphs
        )
    for role in event.answer:
        state.awaiting.add((event.inject, role))
        if event.due_at is not None:
            state.open_dues[(event.inject, role)] = event.due_at


@apply.register
def _(event: ev.ResponseOverdue, state: ExerciseState) -> None:
    _advance(event, state)
    key = (event.inject, event.role or "")
    state.deliveries[key].overdue = True
    state.open_dues.pop(key, None)


@apply.register
def _(event: ev.ResponseRecorded, state: ExerciseState) -> None:
    _advance(event, state)
    key = (event.inject, event.role or "")
    delivery = state.deliveries[key]
    delivery.responded_at = event.t
    delivery.option = event.option
    delivery.late = event.late
    delivery.seat = event.seat
    delivery.by = event.by
    state.open_dues.pop(key, None)
    state.awaiting.discard(key)


@apply.register
def _(event: ev.VariableChanged, state: ExerciseState) -> None:
    _advance(event, state)
    state.variables[event.variable] = event.new


@apply.register
def _(event: ev.RuleFired, state: ExerciseState) -> None:
    _advance(event, state)
    state.fired_rules.add(event.rule)


@apply.register
def _(event: ev.MessageSent, state: ExerciseState) -> None:
    _advance(event, state)
    state.messages += 1
    if event.inject is not None and event.role is not None:
        state.discussed.add((event.inject, event.role))


@apply.register
def _(event: ev.InformationShared, state: ExerciseState) -> None:
    _advance(event, state)
    state.shares += 1
    if event.role is not None:
        state.shared.add((event.inject, event.role))


@apply.register
def _(event: ev.ObservationRecorded, state: ExerciseState) -> None:
    _advance(event, state)
    state.observations += 1


@apply.register
def _(event: ev.ExerciseEnded, state: ExerciseState) -> None:
    _advance(event, state)
    state.ended_reason = event.reason
