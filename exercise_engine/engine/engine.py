"""The engine: given the state, a command and the scenario time, decide the events.

``Engine.handle`` never raises for a bad command: it returns an ``Outcome`` whose ``rejection``
says why, in words a seat can show. The state passed in is advanced only through the fold, by
exactly the events returned, so ``fold(log) == state`` always holds. Time moves only through the
``now`` the caller supplies (a realtime clock, a move counter, or a test's fake clock).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.engine.agenda import Agenda, Timing
from exercise_engine.engine.conditions import INJECT, RULE, TRANSITION, ConditionIndex, StateContext
from exercise_engine.engine.phases import PhaseMachine
from exercise_engine.engine.state import (
    BRIEFING,
    DEBRIEF,
    ENDED,
    SETUP,
    ExerciseState,
    apply,
    initial_state,
)
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.durations import format_duration, scenario_datetime
from exercise_engine.model.durations import parse_clock as _parse_clock
from exercise_engine.model.scenario import ALL_ROLES, PLAY_PHASES, Inject

MAX_ROUNDS = 500


class Rejected(Exception):
    """A command the engine refuses; the message is for the person who sent it."""


@dataclass(frozen=True)
class Outcome:
    events: tuple[ev.Event, ...]
    rejection: str | None = None

    @property
    def accepted(self) -> bool:
        return self.rejection is None


class _Transaction:
    """The events of one command, applied to the state as they are decided."""

    def __init__(self, engine: Engine, state: ExerciseState):
        self.engine = engine
        self.state = state
        self.events: list[ev.Event] = []
        self.dirty: set[int] = set()
        self.entered: dict[tuple[str, int], int] = {}

    def emit(self, event: ev.Event) -> None:
        state = self.state
        agenda = self.engine.agenda(state)
        first = isinstance(event, ev.InjectDelivered) and event.inject not in state.first_delivery
        apply(event, state)
        agenda.observe(event, first)
        state.cache["agenda_seq"] = state.seq
        self.events.append(event)
        self.dirty |= self.engine.conditions.affected_by(event)


class Engine:
    def __init__(self, bundle: Bundle):
        self.bundle = bundle
        self.scenario = bundle.scenario
        self.rubric = bundle.rubric
        self.conditions = ConditionIndex(self.scenario)
        self.phases = PhaseMachine(self.scenario, self.conditions)
        self.timing = Timing.of(self.scenario)
        self.receivers = {i.id: self.scenario.receivers(i) for i in self.scenario.injects}
        self.responders = {i.id: self.scenario.responders(i) for i in self.scenario.injects}
        self.start = _parse_clock(self.scenario.clock.start) if self.scenario.clock.start else None
        self.turns = self.scenario.clock.mode == "turns"
        self._handlers: dict[type, Callable[[_Transaction, Any, int], None]] = {
            cmd.StartBriefing: self._start_briefing,
            cmd.StartPlay: self._start_play,
            cmd.AdvanceClock: self._advance_clock,
            cmd.Pause: self._pause,
            cmd.Resume: self._resume,
            cmd.SetSpeed: self._set_speed,
            cmd.NextMove: self._next_move,
            cmd.ForcePhase: self._force_phase,
            cmd.HoldPhase: self._hold_phase,
            cmd.SendInject: self._send_inject,
            cmd.Respond: self._respond,
            cmd.SendMessage: self._send_message,
            cmd.ShareInformation: self._share,
            cmd.RecordObservation: self._observe,
            cmd.EndExercise: self._end,
        }

    # -- public -------------------------------------------------------------------------------

    def initial_state(self) -> ExerciseState:
        return initial_state(self.scenario)

    def create(self, state: ExerciseState, seed: int) -> list[ev.Event]:
        """The first event of a session."""
        tx = _Transaction(self, state)
        tx.emit(
            ev.ExerciseCreated(
                t=0,
                scenario=self.scenario.id,
                scenario_hash=self.bundle.hash,
                seed=seed,
                mode=self.scenario.clock.mode,
                speed=self.scenario.clock.speed,
            )
        )
        return tx.events

    def handle(self, state: ExerciseState, command: cmd.Command, now: int | None = None) -> Outcome:
        """Decide ``command`` at scenario time ``now``; never raises for a bad command."""
        if self.turns and not isinstance(command, cmd.NextMove):
            now = state.t
        now = state.t if now is None else max(int(now), state.t)
        tx = _Transaction(self, state)
        try:
            try:
                command = cmd.validated(command)
            except cmd.CommandFormatError as exc:
                raise Rejected(str(exc)) from None
            self._authorize(command, state)
            handler = self._handlers.get(type(command))
            if handler is None:
                raise Rejected(f"unknown command {type(command).__name__}")
            if (
                state.in_play
                and not self.turns
                and not isinstance(command, cmd.StartPlay | cmd.AdvanceClock)
            ):
                self._run_clock(tx, now)
            clock_events = len(tx.events)
            try:
                handler(tx, command, now)
            except Rejected:
                if len(tx.events) != clock_events:
                    raise RuntimeError("engine rejected a command after deciding events") from None
                raise
        except Rejected as rejection:
            return Outcome(tuple(tx.events), str(rejection))
        return Outcome(tuple(tx.events))

    def next_wakeup(self, state: ExerciseState, after: int | None = None) -> int | None:
        """The next scenario instant after ``after`` at which something is scheduled to happen."""
        if not state.in_play or state.paused:
            return None
        after = state.t if after is None else after
        candidates = []
        agenda_time = self.agenda(state).next_time()
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

    def agenda(self, state: ExerciseState) -> Agenda:
        agenda = state.cache.get("agenda")
        if (
            agenda is None
            or agenda.timing is not self.timing
            or state.cache.get("agenda_seq") != state.seq
        ):
            agenda = Agenda.build(self.timing, state, self._complete)
            state.cache["agenda"] = agenda
            state.cache["agenda_seq"] = state.seq
        return agenda

    def clock_label(self, t: int) -> str:
        """Scenario time as players read it: the scenario date, or T+ when none is set."""
        if self.start is not None:
            return scenario_datetime(self.start, t)
        return f"T+{format_duration(t)}"

    # -- authorization ------------------------------------------------------------------------

    def _authorize(self, command: cmd.Command, state: ExerciseState) -> None:
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

    # -- clock and settling -------------------------------------------------------------------

    def _run_clock(self, tx: _Transaction, now: int) -> None:
        state = tx.state
        if state.paused:
            return
        cursor = state.t
        self._settle(tx, cursor, timed=False)
        while state.in_play:
            wakeup = self.next_wakeup(state, after=cursor)
            if wakeup is None or wakeup > now:
                break
            cursor = wakeup
            self._settle(tx, cursor, timed=True)

    def _settle(self, tx: _Transaction, now: int, timed: bool) -> None:
        """Let everything that is due or true at ``now`` happen, until nothing more does."""
        state = tx.state
        if timed:
            tx.dirty |= self.conditions.timed
        for _ in range(MAX_ROUNDS):
            if not state.in_play:
                return
            count = len(tx.events)
            duration = self.scenario.clock.duration
            if duration is not None and now >= duration:
                self._finish(tx, now, "endex")
                return
            for inject in self.agenda(state).due(self._horizon(now), state.phase):
                self._deliver(tx, inject, now, self._scheduled(inject))
            if state.triggered:
                self._deliver_triggered(tx, now)
            if state.open_dues and min(state.open_dues.values()) <= now:
                for (inject, role), due_at in sorted(
                    state.open_dues.items(), key=lambda kv: (kv[1], kv[0])
                ):
                    if due_at <= now:
                        tx.emit(ev.ResponseOverdue(t=now, role=role, inject=inject, due_at=due_at))
            self._evaluate(tx, now)
            if len(tx.events) == count and not tx.dirty:
                return

    def _horizon(self, now: int) -> int:
        """How far ahead timed injects go out: in turn mode a move's injects all arrive at its
        start (matrix-game practice); on a realtime clock each arrives at its own time."""
        if not self.turns:
            return now
        return now + (self.scenario.clock.turn or 1) - 1

    def _deliver_triggered(self, tx: _Transaction, now: int) -> None:
        """Armed injects whose phase is current go out now, in the order they were armed."""
        state = tx.state
        order = self.timing.order
        armed_injects = sorted(state.triggered.items(), key=lambda kv: (kv[1], order.get(kv[0], 0)))
        for inject, armed in armed_injects:
            home = self.timing.phase_of.get(inject)
            if (home is None or home == state.phase) and not self._complete(state, inject):
                self._deliver(tx, inject, now, ev.Armed(armed))

    def _evaluate(self, tx: _Transaction, now: int) -> None:
        state = tx.state
        dirty, tx.dirty = tx.dirty, set()
        if not dirty:
            return
        context = StateContext(state, self.receivers, now)
        transition_due = False
        for index in sorted(dirty):
            condition = self.conditions.conditions[index]
            if condition.phase is not None and condition.phase != state.phase:
                continue
            if condition.kind == INJECT:
                inject = str(condition.key)
                if not self._complete(state, inject) and condition.expression.evaluate(context):
                    cause = ev.ConditionHeld(condition.expression.source)
                    self._deliver(tx, inject, now, cause)
            elif condition.kind == RULE:
                rule = int(condition.key)
                if rule not in state.fired_rules and condition.expression.evaluate(context):
                    self._fire_rule(tx, rule, now)
            elif condition.kind == TRANSITION:
                transition_due = True
        if transition_due and not state.held and state.in_play:
            key = (state.phase, now)
            if tx.entered.get(key, 0) >= 2:
                return  # a phase entered twice in one instant: stop conditions ping-ponging
            move = self.phases.advance(state.phase, StateContext(state, self.receivers, now))
            if move is not None:
                self._enter(tx, move.phase, now, "transition", move.transition, move.condition)

    def _enter(
        self,
        tx: _Transaction,
        phase: str,
        now: int,
        cause: str,
        transition: int | None = None,
        condition: str | None = None,
    ) -> None:
        previous = tx.state.phase
        tx.entered[(phase, now)] = tx.entered.get((phase, now), 0) + 1
        tx.emit(
            ev.PhaseEntered(
                t=now,
                phase=phase,
                previous=previous,
                cause=cause,
                transition=transition,
                condition=condition,
            )
        )

    def _finish(self, tx: _Transaction, now: int, reason: str) -> None:
        tx.emit(ev.ExerciseEnded(t=now, reason=reason))
        self._enter(tx, DEBRIEF, now, reason)

    # -- deliveries, effects, triggers ----------------------------------------------------------

    def _scheduled(self, inject: str) -> ev.Scheduled | ev.FollowedUp:
        """Why an inject of the agenda (an ``at`` or ``after`` inject) falls due."""
        return ev.Scheduled() if inject in self.timing.at_injects else ev.FollowedUp()

    def _complete(self, state: ExerciseState, inject: str) -> bool:
        return all((inject, r) in state.deliveries for r in self.receivers.get(inject, ()))

    def _due_at(self, due: int | None, now: int) -> int | None:
        if due is None:
            return None
        if not self.turns:
            return now + due
        turn = self.scenario.clock.turn or 1
        seen = math.ceil(now / turn) * turn
        return max(now + due, seen + turn - 1)

    def _deliver(
        self,
        tx: _Transaction,
        inject_id: str,
        now: int,
        cause: ev.DeliveryCause,
        roles: list[str] | None = None,
    ) -> None:
        state = tx.state
        inject = self.scenario.inject(inject_id)
        assert inject is not None
        wanted = roles or self.receivers[inject_id]
        remaining = [r for r in wanted if (inject_id, r) not in state.deliveries]
        if not remaining:
            return
        answer = [r for r in remaining if r in self.responders[inject_id]]
        due = inject.respond.due if inject.respond else None
        tx.emit(
            ev.InjectDelivered(
                t=now,
                inject=inject_id,
                to=remaining,
                answer=answer,
                due_at=self._due_at(due, now) if answer else None,
                cause=cause,
            )
        )

    def _apply_effects(
        self, tx: _Transaction, effects: dict[str, float], now: int, cause: ev.EffectCause
    ) -> None:
        state = tx.state
        for name, delta in effects.items():
            variable = self.scenario.variables[name]
            old = state.variables[name]
            new = round(variable.clamp(old + delta), 6)
            if new != old:
                tx.emit(ev.VariableChanged(t=now, variable=name, old=old, new=new, cause=cause))

    def _trigger(
        self, tx: _Transaction, targets: list[str], now: int, cause: ev.EffectCause
    ) -> None:
        for target in targets:
            if target not in tx.state.triggered and not self._complete(tx.state, target):
                tx.emit(ev.InjectTriggered(t=now, inject=target, cause=cause))

    def _fire_rule(self, tx: _Transaction, index: int, now: int) -> None:
        rule = self.scenario.rules[index]
        tx.emit(ev.RuleFired(t=now, rule=index, id=rule.id, condition=rule.when))
        cause = ev.RuleHeld(index, rule.id)
        self._apply_effects(tx, rule.effects, now, cause)
        self._trigger(tx, rule.triggers, now, cause)

    # -- controller commands ------------------------------------------------------------------

    def _require_play(self, state: ExerciseState) -> None:
        if state.phase in (SETUP, BRIEFING):
            raise Rejected("the exercise has not started yet")
        if not state.in_play:
            raise Rejected(f"play is over (the exercise is in {state.phase})")

    def _start_briefing(self, tx: _Transaction, command: cmd.StartBriefing, now: int) -> None:
        if tx.state.phase != SETUP:
            raise Rejected(f"the briefing can only start from setup (now: {tx.state.phase})")
        self._enter(tx, BRIEFING, tx.state.t, "start")

    def _start_play(self, tx: _Transaction, command: cmd.StartPlay, now: int) -> None:
        state = tx.state
        if state.phase not in (SETUP, BRIEFING):
            raise Rejected(f"play has already started (now: {state.phase})")
        if state.phase == SETUP:
            self._enter(tx, BRIEFING, state.t, "start")
        self._enter(tx, PLAY_PHASES[0], state.t, "start")
        self._settle(tx, state.t, timed=True)

    def _advance_clock(self, tx: _Transaction, command: cmd.AdvanceClock, now: int) -> None:
        if self.turns:
            raise Rejected("in turn mode the clock moves by moves: use next move")
        self._require_play(tx.state)
        if tx.state.paused:
            raise Rejected("the exercise is paused")
        self._run_clock(tx, max(now, command.to or 0))

    def _pause(self, tx: _Transaction, command: cmd.Pause, now: int) -> None:
        self._require_play(tx.state)
        if tx.state.paused:
            raise Rejected("the exercise is already paused")
        tx.emit(ev.ClockPaused(t=now))

    def _resume(self, tx: _Transaction, command: cmd.Resume, now: int) -> None:
        if not tx.state.paused:
            raise Rejected("the exercise is not paused")
        tx.emit(ev.ClockResumed(t=now))

    def _set_speed(self, tx: _Transaction, command: cmd.SetSpeed, now: int) -> None:
        if self.turns:
            raise Rejected("speed applies to a realtime clock; this scenario plays in moves")
        if not 0 < command.speed <= 100_000:
            raise Rejected(
                "speed must be above 0 and at most 100000 scenario minutes per wall minute"
            )
        if command.speed == tx.state.speed:
            raise Rejected(f"the speed is already {command.speed:g}")
        tx.emit(ev.SpeedChanged(t=now, speed=command.speed))

    def _next_move(self, tx: _Transaction, command: cmd.NextMove, now: int) -> None:
        state = tx.state
        if not self.turns:
            raise Rejected("this scenario runs on a realtime clock, not in moves")
        self._require_play(state)
        if state.paused:
            raise Rejected("the exercise is paused")
        turn = self.scenario.clock.turn or 1
        target = state.move * turn
        self._run_clock(tx, target)
        if state.in_play:
            tx.emit(ev.MoveStarted(t=target, move=state.move + 1))
            self._settle(tx, target, timed=True)

    def _force_phase(self, tx: _Transaction, command: cmd.ForcePhase, now: int) -> None:
        state = tx.state
        self._require_play(state)
        if command.phase == state.phase:
            raise Rejected(f"play is already in {state.phase}")
        if self.phases.fire(state.phase, f"force_{command.phase}") is None:
            raise Rejected(f"cannot move from {state.phase} to {command.phase}")
        self._enter(tx, command.phase, now, "forced")
        self._settle(tx, now, timed=True)

    def _hold_phase(self, tx: _Transaction, command: cmd.HoldPhase, now: int) -> None:
        self._require_play(tx.state)
        if tx.state.held == command.hold:
            raise Rejected("the phase is already held" if command.hold else "the phase is not held")
        tx.emit(ev.PhaseHoldChanged(t=now, held=command.hold))
        self._settle(tx, now, timed=False)

    def _roles(self, requested: list[str] | None, default: list[str]) -> list[str]:
        if not requested:
            return list(default)
        if ALL_ROLES in requested:
            return list(self.scenario.roles)
        unknown = [r for r in requested if r not in self.scenario.roles]
        if unknown:
            raise Rejected(
                f"unknown role {', '.join(unknown)}; the roles are "
                + ", ".join(self.scenario.roles)
            )
        return [r for r in self.scenario.roles if r in requested]

    def _send_inject(self, tx: _Transaction, command: cmd.SendInject, now: int) -> None:
        state = tx.state
        self._require_play(state)
        if command.inject is not None:
            inject = self.scenario.inject(command.inject)
            if inject is None:
                raise Rejected(f"unknown inject '{command.inject}'")
            roles = self._roles(command.to, self.receivers[inject.id])
            if all((inject.id, r) in state.deliveries for r in roles):
                raise Rejected(f"{inject.id} has already been delivered to " + ", ".join(roles))
            self._deliver(tx, inject.id, now, ev.SentByController(), roles)
        else:
            self._send_adhoc(tx, command, now)
        self._settle(tx, now, timed=False)

    def _send_adhoc(self, tx: _Transaction, command: cmd.SendInject, now: int) -> None:
        title = command.title.strip()
        if not title:
            raise Rejected("an ad-hoc inject needs a title")
        if not command.to:
            raise Rejected("say which roles receive the inject")
        roles = self._roles(command.to, [])
        inject_id = f"ADHOC-{len(tx.state.adhoc) + 1}"
        asks = command.due is not None or bool(command.prompt)
        adhoc = ev.AdhocInject(
            title, command.body, command.channel, command.sender, command.prompt if asks else None
        )
        tx.emit(
            ev.InjectDelivered(
                t=now,
                inject=inject_id,
                to=roles,
                answer=roles if asks else [],
                due_at=self._due_at(command.due, now) if asks else None,
                cause=ev.SentByController(),
                adhoc=adhoc,
            )
        )

    def _end(self, tx: _Transaction, command: cmd.EndExercise, now: int) -> None:
        state = tx.state
        if state.phase == ENDED:
            raise Rejected("the exercise has already ended")
        if state.in_play:
            self._finish(tx, now, command.reason or "controller")
        else:
            self._enter(tx, ENDED, now, "controller")

    # -- seat commands --------------------------------------------------------------------------

    def _inject_or_adhoc(
        self, state: ExerciseState, inject_id: str
    ) -> Inject | ev.AdhocInject | None:
        return self.scenario.inject(inject_id) or state.adhoc.get(inject_id)

    def _respond(self, tx: _Transaction, command: cmd.Respond, now: int) -> None:
        state = tx.state
        role = command.actor.role or ""
        self._require_play(state)
        if state.paused:
            raise Rejected("the exercise is paused; answers are taken again when it resumes")
        found = self._inject_or_adhoc(state, command.inject)
        if found is None:
            raise Rejected(f"unknown inject '{command.inject}'")
        delivery = state.deliveries.get((command.inject, role))
        if delivery is None:
            raise Rejected(f"{command.inject} was not sent to your role")
        if isinstance(found, ev.AdhocInject):
            if found.prompt is None:
                raise Rejected(f"{command.inject} is for information; it asks no response")
            self._check_text(command.text, command.rationale, required_text=True)
            option = None
        else:
            option = self._check_answer(found, role, command)
        if delivery.responded_at is not None:
            chosen = f" (option {delivery.option})" if delivery.option else ""
            raise Rejected(
                f"your role already answered {command.inject} at "
                f"{self.clock_label(delivery.responded_at)}{chosen}"
            )
        late = delivery.due_at is not None and now > delivery.due_at
        tx.emit(
            ev.ResponseRecorded(
                t=now,
                role=role,
                seat=command.actor.seat,
                inject=command.inject,
                option=command.option,
                text=command.text.strip(),
                rationale=command.rationale.strip(),
                late=late,
                delay=now - delivery.t,
            )
        )
        if option is not None:
            cause = ev.OptionChosen(command.inject, role, option.id)
            self._apply_effects(tx, option.effects, now, cause)
            self._trigger(tx, option.triggers, now, cause)
        self._settle(tx, now, timed=False)

    def _check_answer(self, inject: Inject, role: str, command: cmd.Respond):
        respond = inject.respond
        if respond is None:
            raise Rejected(f"{inject.id} is for information; it asks no response")
        if role not in self.responders[inject.id]:
            raise Rejected(f"{inject.id} asks no response of your role")
        option = None
        if command.option is not None:
            option = respond.option(command.option)
            if option is None:
                ids = ", ".join(o.id for o in respond.options) or "none"
                raise Rejected(
                    f"unknown option '{command.option}' for {inject.id}; the options are {ids}"
                )
        elif respond.options and not respond.free_text:
            raise Rejected(
                f"choose one of the options of {inject.id}: "
                + ", ".join(o.id for o in respond.options)
            )
        if command.text.strip() and not respond.free_text:
            raise Rejected(
                f"{inject.id} takes one of its options, not your own course of "
                "action; put your reasoning in the rationale"
            )
        self._check_text(
            command.text,
            command.rationale,
            required_text=option is None,
            rationale_required=respond.rationale == "required",
        )
        return option

    def _check_text(
        self, text: str, rationale: str, required_text: bool, rationale_required: bool = False
    ) -> None:
        if required_text and not text.strip():
            raise Rejected("write your course of action")
        if rationale_required and not rationale.strip():
            raise Rejected("a rationale is required: say why you chose this course of action")

    def _addressees(
        self, state: ExerciseState, sender: str | None, to: list[str], missing: str
    ) -> list[str]:
        """The other roles a seat writes to, while play runs (a message or a share)."""
        self._require_play(state)
        if state.paused:
            raise Rejected("the exercise is paused")
        others = [r for r in self._roles(to, []) if r != sender]
        if not others:
            raise Rejected(missing)
        return others

    def _send_message(self, tx: _Transaction, command: cmd.SendMessage, now: int) -> None:
        state = tx.state
        sender = command.actor.role
        to = self._addressees(state, sender, command.to, "say which other roles the message is for")
        if not command.body.strip():
            raise Rejected("the message is empty")
        if (
            command.inject is not None
            and sender is not None
            and (command.inject, sender) not in state.deliveries
        ):
            raise Rejected(f"your role has not received {command.inject}")
        tx.emit(
            ev.MessageSent(
                t=now,
                role=sender,
                seat=command.actor.seat,
                to=to,
                subject=command.subject.strip(),
                body=command.body.strip(),
                inject=command.inject,
            )
        )

    def _share(self, tx: _Transaction, command: cmd.ShareInformation, now: int) -> None:
        state = tx.state
        sender = command.actor.role or ""
        to = self._addressees(state, sender, command.to, "say which other roles to share it with")
        if (command.inject, sender) not in state.deliveries:
            raise Rejected(f"your role has not received {command.inject}, so it cannot share it")
        tx.emit(
            ev.InformationShared(
                t=now,
                role=sender,
                seat=command.actor.seat,
                to=to,
                inject=command.inject,
                note=command.note.strip(),
            )
        )

    def _observe(self, tx: _Transaction, command: cmd.RecordObservation, now: int) -> None:
        state = tx.state
        if state.phase in (SETUP, ENDED):
            raise Rejected("observations are recorded during play and the debrief")
        criteria = self.rubric.criteria
        if command.criterion not in criteria:
            raise Rejected(f"unknown criterion '{command.criterion}'")
        codes = [lv.code for lv in self.rubric.scale] + [self.rubric.not_observed.code]
        if command.rating not in codes:
            raise Rejected(f"unknown rating '{command.rating}'; ratings: " + ", ".join(codes))
        if command.role not in self.scenario.roles:
            raise Rejected(f"unknown role '{command.role}'")
        if command.inject is not None and self._inject_or_adhoc(state, command.inject) is None:
            raise Rejected(f"unknown inject '{command.inject}'")
        tx.emit(
            ev.ObservationRecorded(
                t=now,
                role=command.role,
                seat=command.actor.seat,
                evaluator=command.actor.name or "evaluator",
                criterion=command.criterion,
                rating=command.rating,
                note=command.note.strip(),
                inject=command.inject,
            )
        )
