"""The phase machine: setup -> briefing -> prevent -> react -> rebuild -> debrief -> ended.

Built with ``transitions`` from the scenario's data: each guarded entry of a phase's ``next``
list becomes a transition ``next_<index>`` whose condition is the entry's ``when``, plus the
controller's ``force_<phase>``, ``end`` and ``close``. The machine is only asked questions
(``may_<trigger>``): one model object stands in each phase and never moves, because the fold,
not the machine, holds the current phase, and the engine records the machine's answer as a
``PhaseEntered`` event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from transitions import EventData, Machine

from exercise_engine.engine.conditions import TRANSITION, Condition, ConditionIndex, StateContext
from exercise_engine.engine.events import PHASES
from exercise_engine.engine.state import BRIEFING, DEBRIEF, ENDED, SETUP
from exercise_engine.model.scenario import PLAY_PHASES, PhaseName


class _InPhase:
    """The object ``transitions`` asks about: it stands in one phase (its ``state``)."""

    state: str

    def may(self, trigger: str, **kwargs: Any) -> bool:
        ask = getattr(self, f"may_{trigger}", None)  # a trigger unknown here is never allowed
        return bool(ask(**kwargs)) if ask is not None else False


@dataclass(frozen=True)
class Move:
    """An automatic transition that holds: its destination, index in ``next`` and condition."""

    phase: PhaseName
    transition: int
    condition: str


class PhaseMachine:
    def __init__(self, conditions: ConditionIndex):
        self.machine = Machine(
            model=None, states=list(PHASES), auto_transitions=False, send_event=True
        )
        self.in_phase: dict[str, _InPhase] = {}
        for phase in PHASES:
            model = self.in_phase[phase] = _InPhase()
            self.machine.add_model(model, initial=phase)
        add = self.machine.add_transition
        add("brief", SETUP, BRIEFING)
        add("play", [SETUP, BRIEFING], PLAY_PHASES[0])
        self.guarded: dict[str, list[Condition]] = {p: [] for p in PLAY_PHASES}
        for condition in conditions.conditions:
            if condition.kind == TRANSITION and condition.phase is not None:
                self.guarded[condition.phase].append(condition)
                add(
                    f"next_{condition.key}",
                    condition.phase,
                    condition.target,
                    conditions=[_holds(condition)],
                )
        for phase in PLAY_PHASES:
            add(f"force_{phase}", [p for p in PLAY_PHASES if p != phase], phase)
        add("end", list(PLAY_PHASES), DEBRIEF)
        add("close", [SETUP, BRIEFING, DEBRIEF], ENDED)

    def advance(self, phase: str, context: StateContext) -> Move | None:
        """The first automatic transition out of ``phase`` (in ``next`` order) that holds now.

        A transition with no ``when`` is never automatic: only the controller takes it."""
        model = self.in_phase[phase]
        for condition in self.guarded.get(phase, ()):
            if model.may(f"next_{condition.key}", context=context):
                assert condition.target is not None and isinstance(condition.key, int)
                return Move(condition.target, condition.key, condition.expression.source)
        return None

    def allows(self, phase: str, trigger: str) -> bool:
        """Whether ``trigger`` (``force_react``, ``end``...) may be taken from ``phase``."""
        return self.in_phase[phase].may(trigger)


def _holds(condition: Condition) -> Any:
    def holds(event: EventData) -> bool:
        context: StateContext = event.kwargs["context"]
        return condition.expression.evaluate(context)

    return holds
