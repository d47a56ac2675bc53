"""Settling: what happens by itself as scenario time passes and after every command.

Timed injects fall due, armed injects go out once their phase is current, answers go overdue,
conditions that became true deliver their injects, fire their rules and move play to the next
phase, and the scenario's duration ends play. ``Settling`` also holds what both kinds of command
build on: deliveries, the effects of options and rules, phase entries, and the agenda.
"""

from __future__ import annotations

import math
import weakref

from exercise_engine.engine import events as ev
from exercise_engine.engine.agenda import Agenda, Timing
from exercise_engine.engine.conditions import INJECT, RULE, TRANSITION, ConditionIndex, StateContext
from exercise_engine.engine.draft import Draft
from exercise_engine.engine.option_order import orders
from exercise_engine.engine.phases import PhaseMachine
from exercise_engine.engine.state import DEBRIEF, ExerciseState
from exercise_engine.model.expressions import Expression, compile_expression
from exercise_engine.model.scenario import Inject, Scenario

MAX_ROUNDS = 500
"""Rounds of settling at one instant before the engine stops looking (conditions that keep
each other changing would otherwise never settle)."""


class Settling:
    def __init__(self, scenario: Scenario, control: frozenset[str] = frozenset()):
        self.scenario = scenario
        self.conditions = ConditionIndex(scenario)
        self.phases = PhaseMachine(self.conditions)
        self.timing = Timing.of(scenario)
        self.receivers = {i.id: scenario.receivers(i, control) for i in scenario.injects}
        self.responders = {i.id: scenario.responders(i, control) for i in scenario.injects}
        self.turns = scenario.clock.mode == "turns"
        self.paragraphs: dict[str, list[Expression]] = {
            i.id: [compile_expression(p.when) for p in i.paragraphs]
            for i in scenario.injects
            if i.paragraphs
        }
        self._agenda: tuple[weakref.ref[ExerciseState], int, Agenda] | None = None

    # -- the agenda, kept between commands --------------------------------------------------

    def draft(self, state: ExerciseState) -> Draft:
        """A draft of the events of one command on ``state``."""
        return Draft(state, self.agenda(state), self.conditions)

    def agenda(self, state: ExerciseState) -> Agenda:
        """The agenda of ``state``: the one kept from the last command when ``state`` is the
        state it was kept for and nothing was folded into it since, else built afresh."""
        if self._agenda is not None:
            kept_for, seq, agenda = self._agenda
            if kept_for() is state and seq == state.seq:
                return agenda
        agenda = Agenda.build(self.timing, state, self.complete)
        self.keep(state, agenda)
        return agenda

    def keep(self, state: ExerciseState, agenda: Agenda) -> None:
        """Remember ``agenda`` as current for ``state`` as it is now (after a command)."""
        self._agenda = (weakref.ref(state), state.seq, agenda)

    # -- time ----------------------------------------------------------------------------------

    def next_wakeup(self, state: ExerciseState, after: int | None = None) -> int | None:
        """The next scenario instant after ``after`` at which something is scheduled to happen."""
        return self._next_wakeup(state, self.agenda(state), state.t if after is None else after)

    def _next_wakeup(self, state: ExerciseState, agenda: Agenda, after: int) -> int | None:
        if not state.in_play or state.paused:
            return None
        candidates = []
        agenda_time = agenda.next_time()
        if agenda_time is not None:
            candidates.append(max(agenda_time, after + 1))
        if state.open_dues:
            due = min(state.open_dues.values())
            candidates.append(max(due, after + 1))
        threshold = self.conditions.next_threshold(state, after)
        if threshold is not None:
            candidates.append(threshold)
        duration = self.scenario.clock.duration
        if duration is not None and duration > after:
            candidates.append(duration)
        return min(candidates) if candidates else None

    def run_clock(self, draft: Draft, now: int) -> None:
        """Let everything happen that falls due from the state's time up to ``now``."""
        state = draft.state
        if state.paused:
            return
        cursor = state.t
        self.settle(draft, cursor, timed=False)
        while state.in_play:
            wakeup = self._next_wakeup(state, draft.agenda, cursor)
            if wakeup is None or wakeup > now:
                break
            cursor = wakeup
            self.settle(draft, cursor, timed=True)

    def settle(self, draft: Draft, now: int, timed: bool) -> None:
        """Let everything that is due or true at ``now`` happen, until nothing more does."""
        state = draft.state
        if timed:
            draft.dirty |= self.conditions.timed
        for _ in range(MAX_ROUNDS):
            if not state.in_play:
                return
            count = len(draft.events)
            duration = self.scenario.clock.duration
            if duration is not None and now >= duration:
                self.finish(draft, now, "endex")
                return
            for inject in draft.agenda.due(self._horizon(now), state.phase):
                self.deliver(draft, inject, now, self._scheduled(state, inject))
            if state.triggered:
                self._deliver_triggered(draft, now)
            self._overdue(draft, now)
            self._evaluate(draft, now)
            if len(draft.events) == count and not draft.dirty:
                return

    def _horizon(self, now: int) -> int:
        """How far ahead timed injects go out: in turn mode a move's injects all arrive at its
        start (matrix-game practice); on a realtime clock each arrives at its own time."""
        if not self.turns:
            return now
        return now + (self.scenario.clock.turn or 1) - 1

    def _scheduled(
        self, state: ExerciseState, inject: str
    ) -> ev.Scheduled | ev.FollowedUp | ev.Rescheduled:
        """Why an inject of the agenda (an ``at`` or ``after`` inject, or one the controller
        rescheduled) falls due."""
        if inject in state.rescheduled:
            return ev.Rescheduled()
        return ev.Scheduled() if inject in self.timing.at_injects else ev.FollowedUp()

    def _deliver_triggered(self, draft: Draft, now: int) -> None:
        """Armed injects whose phase is current go out now, in the order they were armed."""
        state = draft.state
        order = self.timing.order
        armed_injects = sorted(state.triggered.items(), key=lambda kv: (kv[1], order.get(kv[0], 0)))
        for inject, armed in armed_injects:
            home = self.timing.phase_of.get(inject)
            if (home is None or home == state.phase) and not self.complete(state, inject):
                self.deliver(draft, inject, now, ev.Armed(armed))

    def _overdue(self, draft: Draft, now: int) -> None:
        open_dues = draft.state.open_dues
        if not open_dues or min(open_dues.values()) > now:
            return
        for (inject, role), due_at in sorted(open_dues.items(), key=lambda kv: (kv[1], kv[0])):
            if due_at <= now:
                draft.emit(ev.ResponseOverdue(t=now, role=role, inject=inject, due_at=due_at))

    # -- conditions ----------------------------------------------------------------------------

    def _evaluate(self, draft: Draft, now: int) -> None:
        """Conditions that may have changed: deliver, fire, or (at most once) move phase."""
        state = draft.state
        dirty, draft.dirty = draft.dirty, set()
        if not dirty:
            return
        context = StateContext(state, self.receivers, now)
        transition_due = False
        for index in sorted(dirty):
            condition = self.conditions.conditions[index]
            if condition.phase is not None and condition.phase != state.phase:
                continue
            if condition.kind == TRANSITION:
                transition_due = True
            elif condition.kind == INJECT:
                inject = str(condition.key)
                if not self.complete(state, inject) and condition.expression.evaluate(context):
                    self.deliver(draft, inject, now, ev.ConditionHeld(condition.expression.source))
            elif condition.kind == RULE:
                rule = int(condition.key)
                if rule not in state.fired_rules and condition.expression.evaluate(context):
                    self._fire_rule(draft, rule, now)
        if transition_due:
            self._transition(draft, now)

    def _transition(self, draft: Draft, now: int) -> None:
        state = draft.state
        if state.held or not state.in_play:
            return
        if draft.entered.get((state.phase, now), 0) >= 2:
            return  # a phase entered twice in one instant: stop conditions ping-ponging
        move = self.phases.advance(state.phase, StateContext(state, self.receivers, now))
        if move is not None:
            self.enter(draft, move.phase, now, "transition", move.transition, move.condition)

    # -- phases --------------------------------------------------------------------------------

    def enter(
        self,
        draft: Draft,
        phase: ev.Phase,
        now: int,
        cause: ev.PhaseCause,
        transition: int | None = None,
        condition: str | None = None,
    ) -> None:
        previous = draft.state.phase
        draft.entered[(phase, now)] = draft.entered.get((phase, now), 0) + 1
        draft.emit(
            ev.PhaseEntered(
                t=now,
                phase=phase,
                previous=previous,
                cause=cause,
                transition=transition,
                condition=condition,
            )
        )

    def read_ahead(self, draft: Draft) -> None:
        """The read-aheads (``before_startex``) go out as the briefing starts, earliest dated
        first; answers to them are taken once play has started."""
        for inject in self.scenario.read_aheads:
            self.deliver(draft, inject.id, draft.state.t, ev.Scheduled())

    def finish(self, draft: Draft, now: int, reason: ev.EndReason) -> None:
        draft.emit(ev.ExerciseEnded(t=now, reason=reason))
        self.enter(draft, DEBRIEF, now, reason)

    # -- deliveries, effects, triggers ---------------------------------------------------------

    def complete(self, state: ExerciseState, inject: str) -> bool:
        """Whether ``inject`` has reached every role it is for."""
        return all((inject, r) in state.deliveries for r in self.receivers.get(inject, ()))

    def due_at(self, due: int | None, now: int) -> int | None:
        """When an answer asked at ``now`` with ``due`` seconds falls due: in turn mode never
        before the end of the move in which the roles see it."""
        if due is None:
            return None
        if not self.turns:
            return now + due
        turn = self.scenario.clock.turn or 1
        seen = math.ceil(now / turn) * turn
        return max(now + due, seen + turn - 1)

    def deliver(
        self,
        draft: Draft,
        inject_id: str,
        now: int,
        cause: ev.DeliveryCause,
        roles: list[str] | None = None,
    ) -> None:
        """A scenario inject to ``roles`` (default: its receivers) that do not have it yet."""
        state = draft.state
        inject = self.scenario.inject(inject_id)
        assert inject is not None
        wanted = roles or self.receivers[inject_id]
        remaining = [r for r in wanted if (inject_id, r) not in state.deliveries]
        if not remaining:
            return
        answer = [r for r in remaining if r in self.responders[inject_id]]
        due = inject.respond.due if inject.respond else None
        draft.emit(
            ev.InjectDelivered(
                t=now,
                inject=inject_id,
                to=remaining,
                answer=answer,
                due_at=self.due_at(due, now) if answer else None,
                cause=cause,
                paragraphs=self.held_paragraphs(state, inject_id, now),
                order=self.option_orders(state, inject, answer),
            )
        )

    def held_paragraphs(self, state: ExerciseState, inject_id: str, now: int) -> list[int] | None:
        """The inject's conditional paragraphs whose condition holds now (None: it has none)."""
        conditions = self.paragraphs.get(inject_id)
        if conditions is None:
            return None
        context = StateContext(state, self.receivers, now)
        return [k for k, condition in enumerate(conditions) if condition.evaluate(context)]

    def option_orders(
        self, state: ExerciseState, inject: Inject, answer: list[str]
    ) -> dict[str, list[str]] | None:
        """The order each answering role's seats see its options in (None: no options)."""
        if not answer or inject.respond is None or not inject.respond.options:
            return None
        shown = orders(state.seed, inject.id, inject.respond, answer, shared=inject.one_answer)
        return {r: o for r, o in shown.items() if o}

    def apply_effects(
        self, draft: Draft, effects: dict[str, float], now: int, cause: ev.EffectCause
    ) -> None:
        state = draft.state
        for name, delta in effects.items():
            variable = self.scenario.variables[name]
            old = state.variables[name]
            new = round(variable.clamp(old + delta), 6)
            if new != old:
                draft.emit(ev.VariableChanged(t=now, variable=name, old=old, new=new, cause=cause))

    def trigger(self, draft: Draft, targets: list[str], now: int, cause: ev.EffectCause) -> None:
        for target in targets:
            if target not in draft.state.triggered and not self.complete(draft.state, target):
                draft.emit(ev.InjectTriggered(t=now, inject=target, cause=cause))

    def _fire_rule(self, draft: Draft, index: int, now: int) -> None:
        rule = self.scenario.rules[index]
        draft.emit(ev.RuleFired(t=now, rule=index, id=rule.id, condition=rule.when))
        cause = ev.RuleHeld(index, rule.id)
        self.apply_effects(draft, rule.effects, now, cause)
        self.trigger(draft, rule.triggers, now, cause)
