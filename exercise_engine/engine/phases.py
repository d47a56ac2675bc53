"""The phase machine: setup -> briefing -> prevent -> react -> rebuild -> debrief -> ended.

Built with ``transitions`` from the scenario's data: each phase's ``next`` list becomes guarded
``advance`` transitions (checked in order, the first whose condition holds fires), plus the
controller's ``force_<phase>``, ``end`` and ``close``. The machine decides; the engine records
its decision as a ``PhaseEntered`` event, and the fold, not the machine, holds the current phase.
"""

from __future__ import annotations

from dataclasses import dataclass

from transitions import Machine, MachineError

from exercise_engine.engine.conditions import ConditionIndex, StateContext
from exercise_engine.engine.state import ALL_PHASES, BRIEFING, DEBRIEF, ENDED, SETUP
from exercise_engine.model.scenario import PLAY_PHASES, Scenario


class _PhaseModel:
    """The object ``transitions`` moves between states; it holds nothing else."""

    state: str


@dataclass(frozen=True)
class Move:
    phase: str
    transition: int | None = None
    condition: str | None = None


class PhaseMachine:
    def __init__(self, scenario: Scenario, conditions: ConditionIndex):
        self.model = _PhaseModel()
        self._fired: Move | None = None
        self.machine = Machine(
            model=self.model,
            states=list(ALL_PHASES),
            initial=SETUP,
            auto_transitions=False,
            send_event=True,
        )
        add = self.machine.add_transition
        add("brief", SETUP, BRIEFING)
        add("play", [SETUP, BRIEFING], PLAY_PHASES[0])
        guarded = {(c.phase, c.key): c for c in conditions.conditions if c.kind == "transition"}
        for phase in PLAY_PHASES:
            for index, transition in enumerate(scenario.phases[phase].next):
                condition = guarded.get((phase, index))
                if condition is None:
                    continue  # no `when`: only the controller takes this transition
                add("advance", phase, transition.to, conditions=[self._guard(condition)])
            others = [p for p in PLAY_PHASES if p != phase]
            add(f"force_{phase}", others, phase)
        add("end", list(PLAY_PHASES), DEBRIEF)
        add("close", [SETUP, BRIEFING, DEBRIEF], ENDED)

    def _guard(self, condition):
        def holds(event_data) -> bool:
            context: StateContext = event_data.kwargs["context"]
            if condition.expression.evaluate(context):
                self._fired = Move(
                    condition.target or "", condition.key, condition.expression.source
                )
                return True
            return False

        return holds

    def _at(self, phase: str) -> None:
        self.machine.set_state(phase, self.model)

    def advance(self, phase: str, context: StateContext) -> Move | None:
        """The automatic transition out of ``phase`` that holds now, if any."""
        self._at(phase)
        self._fired = None
        try:
            moved = self.model.trigger("advance", context=context)  # type: ignore[attr-defined]
        except MachineError:
            return None
        return self._fired if moved else None

    def fire(self, phase: str, trigger: str) -> str | None:
        """Where ``trigger`` takes play from ``phase``, or None if it is not allowed there."""
        self._at(phase)
        try:
            moved = self.model.trigger(trigger)  # type: ignore[attr-defined]
        except (MachineError, AttributeError):
            return None
        return self.model.state if moved else None
