"""The controller's outlook: where every inject of the MSEL stands, and what ends the phase.

A controller running a session live needs to see, at a glance, which injects are out, which are
due or coming and when, which cannot come yet and why, and which answers are overdue; and what
will end the current phase. Both are read from the folded state and the scenario, the same
facts the engine decides with, so the console never guesses: an inject shown "pending at 06:30"
is the one the agenda will deliver then, if nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from exercise_engine.engine.conditions import StateContext
from exercise_engine.engine.engine import Engine
from exercise_engine.engine.state import ExerciseState
from exercise_engine.model.durations import format_duration
from exercise_engine.model.expressions import Expression, compile_expression
from exercise_engine.model.scenario import PLAY_PHASES, Inject

DELIVERED, LATE, DUE, PENDING, UNREACHABLE = "delivered", "late", "due", "pending", "unreachable"
STATUSES = (LATE, DUE, PENDING, DELIVERED, UNREACHABLE)
"""Statuses, in the order a controller reads them: what needs attention first."""


@dataclass(frozen=True)
class AnswerStatus:
    """What became of one role's answer to an inject."""

    role: str
    due_at: int | None
    answered_at: int | None = None
    option: str | None = None
    overdue: bool = False
    late: bool = False


@dataclass(frozen=True)
class InjectOutlook:
    """One MSEL line: an inject, its status, the scenario time it refers to, and why."""

    inject: str
    title: str
    channel: str
    phase: str | None
    status: str
    at: int | None
    """Delivered at (delivered, late), or scheduled for (due, pending); None when unknown."""
    why: str
    to: tuple[str, ...]
    answers: tuple[AnswerStatus, ...] = ()
    adhoc: bool = False

    @property
    def overdue(self) -> tuple[str, ...]:
        return tuple(a.role for a in self.answers if a.overdue and a.answered_at is None)


@dataclass(frozen=True)
class PhaseExit:
    """One way out of the current phase."""

    to: str
    condition: str | None
    """None: only the controller takes this transition."""
    holds: bool
    by_time: int | None
    """The earliest scenario time the condition holds if nothing but the clock changes."""
    readings: tuple[tuple[str, float], ...]
    """The situation variables the condition reads, with their current values."""


@dataclass(frozen=True)
class PhaseOutlook:
    phase: str
    entered_at: int
    held: bool
    exits: tuple[PhaseExit, ...]
    endex: int | None
    """Scenario time at which play ends (the scenario's duration), if it has one."""


def msel(engine: Engine, state: ExerciseState, now: int | None = None) -> list[InjectOutlook]:
    """Every scenario inject and every ad-hoc one, in MSEL order, with its status at ``now``."""
    now = state.t if now is None else max(now, state.t)
    reasons = _Reasons(engine, state, now)
    lines = [reasons.line(inject) for inject in engine.scenario.injects]
    for inject_id, adhoc in state.adhoc.items():
        roles = tuple(r for (i, r) in state.deliveries if i == inject_id)
        lines.append(
            InjectOutlook(
                inject=inject_id,
                title=adhoc.title,
                channel=adhoc.channel,
                phase=None,
                status=DELIVERED,
                at=state.first_delivery.get(inject_id),
                why="written by the controller",
                to=roles,
                answers=reasons.answers(inject_id, roles),
                adhoc=True,
            )
        )
    return [_late(line, now) for line in lines]


def _late(line: InjectOutlook, now: int) -> InjectOutlook:
    """A delivered inject with an answer overdue is shown late, with who owes it."""
    if line.status != DELIVERED or not line.overdue:
        return line
    owed = ", ".join(line.overdue)
    return InjectOutlook(
        line.inject,
        line.title,
        line.channel,
        line.phase,
        LATE,
        line.at,
        f"answer overdue from {owed}",
        line.to,
        line.answers,
        line.adhoc,
    )


class _Reasons:
    """Works out each inject's status from the state, the agenda's rules and the scenario."""

    def __init__(self, engine: Engine, state: ExerciseState, now: int):
        self.engine = engine
        self.state = state
        self.now = now
        self.label = engine.clock_label
        self.context = StateContext(state, engine.receivers, now)
        self.triggers = _triggers(engine)

    def answers(self, inject_id: str, roles: tuple[str, ...]) -> tuple[AnswerStatus, ...]:
        out = []
        for role in roles:
            delivery = self.state.deliveries.get((inject_id, role))
            if delivery is None:
                continue
            asked = (inject_id, role) in self.state.awaiting
            if not asked and delivery.responded_at is None:
                continue  # delivered for information only
            out.append(
                AnswerStatus(
                    role=role,
                    due_at=delivery.due_at,
                    answered_at=delivery.responded_at,
                    option=delivery.option,
                    overdue=delivery.overdue,
                    late=delivery.late,
                )
            )
        return tuple(out)

    def line(self, inject: Inject) -> InjectOutlook:
        engine, state = self.engine, self.state
        receivers = tuple(engine.receivers[inject.id])
        delivered = tuple(r for r in receivers if (inject.id, r) in state.deliveries)

        def make(status: str, at: int | None, why: str) -> InjectOutlook:
            return InjectOutlook(
                inject=inject.id,
                title=inject.title,
                channel=inject.channel,
                phase=inject.phase,
                status=status,
                at=at,
                why=why,
                to=receivers,
                answers=self.answers(inject.id, delivered),
            )

        if delivered:
            first = state.first_delivery.get(inject.id)
            missing = [r for r in receivers if r not in delivered]
            why = "to " + ", ".join(delivered)
            if missing:
                why += "; not yet to " + ", ".join(missing)
            return make(DELIVERED, first, why)
        if state.phase in PLAY_PHASES:
            return make(*self._in_play(inject))
        if PLAY_PHASES[0] not in {p for p, _ in state.phase_entries}:
            return make(*self._before_play(inject))
        return make(UNREACHABLE, None, f"not delivered; play is over ({state.phase})")

    # -- undelivered injects, while play runs --------------------------------------------------

    def _in_play(self, inject: Inject) -> tuple[str, int | None, str]:
        state = self.state
        home = inject.phase
        elsewhere = home is not None and home != state.phase
        if inject.id in state.triggered:
            armed = state.triggered[inject.id]
            if elsewhere:
                return UNREACHABLE, None, f"armed at {self.label(armed)}; waits for phase {home}"
            return self._due(armed, f"armed at {self.label(armed)}")
        if inject.id in state.rescheduled:
            at = state.rescheduled[inject.id]
            return self._due(at, f"rescheduled to {self.label(at)}")
        if inject.at is not None:
            return self._at(inject)
        if inject.after is not None:
            return self._after(inject, elsewhere)
        if inject.when is not None:
            return self._when(inject, elsewhere)
        return UNREACHABLE, None, self._trigger_reason(inject)

    def _due(self, at: int, why: str) -> tuple[str, int | None, str]:
        if at > self.now:
            return PENDING, at, why
        if self.state.paused:
            return DUE, at, f"{why}; goes out when the clock resumes"
        return DUE, at, why

    def _at(self, inject: Inject) -> tuple[str, int | None, str]:
        state = self.state
        offset = f"+{_short(inject.at or 0)} into {inject.phase}"
        if inject.phase != state.phase:
            entered = {p for p, _ in state.phase_entries}
            if inject.phase in entered:
                return UNREACHABLE, None, f"{offset}; that phase is over (play is in {state.phase})"
            return UNREACHABLE, None, f"{offset}; play is in {state.phase}"
        at = state.phase_entered_at + (inject.at or 0)
        return self._due(at, f"{offset} ({self.label(at)})")

    def _after(self, inject: Inject, elsewhere: bool) -> tuple[str, int | None, str]:
        state = self.state
        after = inject.after
        assert after is not None
        delay = _short(after.delay)
        ref = state.first_delivery.get(after.inject)
        if ref is None:
            return UNREACHABLE, None, f"{delay} after {after.inject}, which is not out yet"
        at = ref + after.delay
        why = f"{delay} after {after.inject} ({self.label(at)})"
        if elsewhere:
            if at <= self.now:
                return UNREACHABLE, at, f"{why}; waits for phase {inject.phase}"
            return PENDING, at, f"{why}, if play is in {inject.phase} by then"
        return self._due(at, why)

    def _when(self, inject: Inject, elsewhere: bool) -> tuple[str, int | None, str]:
        condition = compile_expression(inject.when or "")
        readings = _readings(condition.variables, self.state)
        shown = f"when {inject.when}" + (f" ({readings})" if readings else "")
        if elsewhere:
            return UNREACHABLE, None, f"{shown}; only in phase {inject.phase}"
        if condition.evaluate(self.context):
            return self._due(self.now, f"{shown}: holds now")
        return UNREACHABLE, None, shown

    def _trigger_reason(self, inject: Inject) -> str:
        sources = self.triggers.get(inject.id, [])
        if not sources:
            return "only the controller can send it"
        shown = ", ".join(sources[:3]) + (", ..." if len(sources) > 3 else "")
        return f"triggered by {shown}; not triggered yet"

    # -- before play ------------------------------------------------------------------------

    def _before_play(self, inject: Inject) -> tuple[str, int | None, str]:
        first = PLAY_PHASES[0]
        if inject.at is not None and inject.phase == first:
            return PENDING, inject.at, f"+{_short(inject.at)} into {first}, once play starts"
        if inject.at is not None:
            return UNREACHABLE, None, f"+{_short(inject.at)} into {inject.phase}"
        if inject.after is not None:
            return (
                UNREACHABLE,
                None,
                f"{_short(inject.after.delay)} after {inject.after.inject}",
            )
        if inject.when is not None:
            return UNREACHABLE, None, f"when {inject.when}"
        return UNREACHABLE, None, self._trigger_reason(inject)


def _triggers(engine: Engine) -> dict[str, list[str]]:
    """inject -> the options and rules that arm it, as a controller names them."""
    out: dict[str, list[str]] = {}
    for source in engine.scenario.injects:
        if source.respond is None:
            continue
        for option in source.respond.options:
            for target in option.triggers:
                out.setdefault(target, []).append(f"{source.id} option {option.id}")
    for index, rule in enumerate(engine.scenario.rules):
        for target in rule.triggers:
            out.setdefault(target, []).append(f"rule {rule.id or index + 1}")
    return out


def _short(seconds: int) -> str:
    return format_duration(seconds)


def _readings(names: frozenset[str], state: ExerciseState) -> str:
    return ", ".join(f"{n} {state.variables[n]:g}" for n in sorted(names) if n in state.variables)


def phase_outlook(engine: Engine, state: ExerciseState, now: int | None = None) -> PhaseOutlook:
    """What ends the current phase: each transition, whether it holds, and when it would by
    the clock alone (None when the clock alone never makes it hold)."""
    now = state.t if now is None else max(now, state.t)
    duration = engine.scenario.clock.duration
    if state.phase not in PLAY_PHASES:
        return PhaseOutlook(state.phase, state.phase_entered_at, state.held, (), duration)
    exits = []
    for transition in engine.scenario.phases[state.phase].next:
        if transition.when is None:
            exits.append(PhaseExit(transition.to, None, False, None, ()))
            continue
        condition = compile_expression(transition.when)
        context = StateContext(state, engine.receivers, now)
        holds = condition.evaluate(context)
        by_time = None if holds else _by_time(engine, state, condition, now)
        readings = tuple(
            (n, state.variables[n]) for n in sorted(condition.variables) if n in state.variables
        )
        exits.append(PhaseExit(transition.to, transition.when, holds, by_time, readings))
    return PhaseOutlook(state.phase, state.phase_entered_at, state.held, tuple(exits), duration)


def _by_time(engine: Engine, state: ExerciseState, condition: Expression, now: int) -> int | None:
    """The first of the condition's time thresholds after ``now`` at which it holds."""
    candidates = set()
    for anchor, seconds in condition.time_thresholds:
        base = 0 if anchor == "elapsed" else state.phase_entered_at
        for instant in (base + seconds, base + seconds + 1):
            if instant > now:
                candidates.add(instant)
    for instant in sorted(candidates):
        if condition.evaluate(StateContext(state, engine.receivers, instant)):
            return instant
    return None


@dataclass(frozen=True)
class RoleAnswers:
    """Where one role stands with the answers asked of it."""

    role: str
    answered: int
    late: int
    awaiting: int
    overdue: int


def role_answers(engine: Engine, state: ExerciseState) -> list[RoleAnswers]:
    """Each role's answers: given (of which late), still awaited (of which overdue)."""
    counts = {role: [0, 0, 0, 0] for role in engine.scenario.roles}
    for (_, role), delivery in state.deliveries.items():
        if role not in counts:
            continue
        if delivery.responded_at is not None:
            counts[role][0] += 1
            counts[role][1] += delivery.late
    for inject, role in state.awaiting:
        if role in counts:
            counts[role][2] += 1
            counts[role][3] += state.deliveries[(inject, role)].overdue
    return [RoleAnswers(role, *c) for role, c in counts.items()]
