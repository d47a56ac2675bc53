"""Scenario conditions, compiled once and indexed by what they read.

A condition (an inject's ``when``, a rule, a phase transition) only needs re-checking when
something it reads has changed: a variable it names, an inject it asks about, the phase, or the
clock passing one of its time thresholds. Indexing by dependency keeps a 1,000-inject scenario
from re-evaluating everything after every event.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias

from exercise_engine.engine import events as ev
from exercise_engine.engine.state import Delivery, ExerciseState
from exercise_engine.model.expressions import ANY_ROLE, Expression, compile_expression
from exercise_engine.model.scenario import PLAY_PHASES, PhaseName, Scenario

ConditionKind: TypeAlias = Literal["inject", "rule", "transition"]
INJECT: Final = "inject"
RULE: Final = "rule"
TRANSITION: Final = "transition"


@dataclass(frozen=True)
class Condition:
    index: int
    kind: ConditionKind
    key: str | int  # inject id, rule index, or transition index within its phase
    phase: PhaseName | None  # evaluated only in this phase (None: in any play phase)
    expression: Expression
    target: PhaseName | None = None  # the destination phase of a transition


class StateContext:
    """The exercise state as the expression language sees it, at scenario time ``now``."""

    __slots__ = ("now", "receivers", "state")

    def __init__(self, state: ExerciseState, receivers: dict[str, list[str]], now: int):
        self.state = state
        self.receivers = receivers
        self.now = now

    @property
    def phase(self) -> str:
        return self.state.phase

    @property
    def elapsed(self) -> int:
        return self.now

    @property
    def elapsed_in_phase(self) -> int:
        return self.now - self.state.phase_entered_at

    @property
    def move(self) -> int:
        return self.state.move

    def variable(self, name: str) -> float:
        return self.state.variables[name]

    def _deliveries(self, inject: str, role: str | None) -> Iterable[Delivery]:
        deliveries = self.state.deliveries
        roles = self.receivers.get(inject, ()) if role in (None, ANY_ROLE) else (role,)
        for r in roles:
            delivery = deliveries.get((inject, r))
            if delivery is not None:
                yield delivery

    def delivered(self, inject: str, role: str | None = None) -> bool:
        if role in (None, ANY_ROLE):
            return inject in self.state.first_delivery
        return (inject, role) in self.state.deliveries

    def responded(self, inject: str, role: str | None = None) -> bool:
        return any(d.responded_at is not None for d in self._deliveries(inject, role))

    def chose(self, inject: str, role: str, option: str) -> bool:
        return any(d.option == option for d in self._deliveries(inject, role))

    def overdue(self, inject: str, role: str | None = None) -> bool:
        return any(d.overdue and d.responded_at is None for d in self._deliveries(inject, role))


class ConditionIndex:
    def __init__(self, scenario: Scenario):
        self.conditions: list[Condition] = []
        for inject in scenario.injects:
            if inject.when:
                self._add(INJECT, inject.id, inject.phase, inject.when)
        for r, rule in enumerate(scenario.rules):
            self._add(RULE, r, None, rule.when)
        for phase in PLAY_PHASES:
            for t, transition in enumerate(scenario.phases[phase].next):
                if transition.when:
                    self._add(TRANSITION, t, phase, transition.when, transition.to)
        self.by_variable: dict[str, set[int]] = {}
        self.by_inject: dict[str, set[int]] = {}
        self.timed: set[int] = set()
        self.uses_move: set[int] = set()
        for c in self.conditions:
            for name in c.expression.variables:
                self.by_variable.setdefault(name, set()).add(c.index)
            for ref in c.expression.references:
                self.by_inject.setdefault(ref.inject, set()).add(c.index)
            if c.expression.uses_time:
                self.timed.add(c.index)
            if "move" in c.expression.state_names:
                self.uses_move.add(c.index)
        self.all = frozenset(c.index for c in self.conditions)
        # Time thresholds per phase, as sorted offsets: from STARTEX and from phase entry.
        self._absolute: dict[str | None, list[int]] = {}
        self._relative: dict[str | None, list[int]] = {}
        for c in self.conditions:
            for anchor, seconds in c.expression.time_thresholds:
                table = self._absolute if anchor == "elapsed" else self._relative
                table.setdefault(c.phase, []).extend((seconds, seconds + 1))
        for table in (self._absolute, self._relative):
            for key in table:
                table[key] = sorted(set(table[key]))

    def _add(
        self,
        kind: ConditionKind,
        key: str | int,
        phase: PhaseName | None,
        source: str,
        target: PhaseName | None = None,
    ) -> None:
        expression = compile_expression(source)
        self.conditions.append(
            Condition(len(self.conditions), kind, key, phase, expression, target)
        )

    def affected_by(self, event: ev.Event) -> frozenset[int] | set[int]:
        """Conditions whose truth may have changed because of ``event``."""
        if isinstance(event, ev.VariableChanged):
            return self.by_variable.get(event.variable, set())
        if isinstance(event, ev.InjectDelivered | ev.ResponseRecorded | ev.ResponseOverdue):
            return self.by_inject.get(event.inject, set())
        if isinstance(event, ev.PhaseEntered | ev.PhaseHoldChanged):
            return self.all
        if isinstance(event, ev.MoveStarted):
            return self.uses_move | self.timed
        return set()

    def next_threshold(self, state: ExerciseState, after: int) -> int | None:
        """The first instant after ``after`` at which a time condition can change."""
        best: int | None = None
        for phase in (state.phase, None):
            for table, anchor in ((self._absolute, 0), (self._relative, state.phase_entered_at)):
                offsets = table.get(phase)
                if not offsets:
                    continue
                i = bisect_right(offsets, after - anchor)
                if i < len(offsets):
                    candidate = anchor + offsets[i]
                    best = candidate if best is None else min(best, candidate)
        return best
