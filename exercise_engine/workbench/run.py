"""A dry run told as a timeline: what fired when, by what (time, condition, rule, option).

``preview`` and ``simulate --verbose`` play the scenario with bots exactly as ``simulate`` does
(session/simulate.py) and read the log back here, so the timeline a designer previews is the one
the engine plays. Each delivery says what caused it, down to the option and role behind an
armed inject.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from exercise_engine.engine import events as ev
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.calendar import Calendar
from exercise_engine.model.durations import format_duration
from exercise_engine.model.scenario import PLAY_PHASES, Module
from exercise_engine.session import simulate as sim
from exercise_engine.workbench.wording import one_line


@dataclass(frozen=True)
class Happening:
    """One line of the timeline."""

    t: int
    clock: str
    phase: str
    kind: str
    """phase, module, inject, decision, rule or end."""
    title: str
    why: str = ""
    inject: str | None = None
    roles: tuple[str, ...] = ()


@dataclass
class DryRun:
    """A bot run of a scenario and its timeline."""

    policy: str
    seed: int
    happenings: list[Happening] = field(default_factory=list)
    delivered: dict[str, Happening] = field(default_factory=dict)
    """Inject id -> its first delivery."""
    final: dict[str, float] = field(default_factory=dict)
    ended: str = ""

    def phase(self, name: str) -> list[Happening]:
        return [h for h in self.happenings if h.phase == name]


def dry_run(bundle: Bundle, policy: str = "best", seed: int = 1) -> DryRun:
    """Play ``bundle`` with ``policy`` bots and tell the run as a timeline."""
    return timeline(bundle, sim.play_in_memory(bundle, policy, seed), policy, seed)


def timeline(bundle: Bundle, log: Sequence[ev.Recorded], policy: str, seed: int) -> DryRun:
    """The happenings of a recorded run, each with what caused it."""
    teller = _Teller(bundle)
    run = DryRun(policy, seed)
    for record in log:
        for happening in teller.tell(record.event):
            run.happenings.append(happening)
            if happening.kind == "inject" and happening.inject not in run.delivered:
                run.delivered[str(happening.inject)] = happening
    run.final = dict(teller.variables)
    run.ended = teller.ended
    return run


class _Teller:
    def __init__(self, bundle: Bundle):
        self.bundle = bundle
        self.scenario = bundle.scenario
        self.phase = "setup"
        self.entries: list[tuple[str, int]] = []
        self.calendar = Calendar.of(self.scenario.clock)
        self.modules: list[tuple[int, Module]] = []
        """The current phase's modules still to start: (play time, module)."""
        self.armed: dict[str, ev.EffectCause] = {}
        self.variables = {k: v.initial for k, v in self.scenario.variables.items()}
        self.ended = ""

    def clock(self, t: int) -> str:
        return self.calendar.label(t)

    def tell(self, event: ev.Event) -> list[Happening]:
        """The happenings up to ``event``: the modules that started before it, then it."""
        told = self._modules_until(event.t)
        found = self._tell(event)
        return [*told, found] if found is not None else told

    def _modules_until(self, t: int) -> list[Happening]:
        out = []
        while self.modules and self.modules[0][0] <= t:
            start, module = self.modules.pop(0)
            self.calendar = self.calendar.jump(start, module)
            jump = f"clock to {module.clock}" if module.clock else "clock runs on"
            out.append(
                Happening(
                    start,
                    self.clock(start),
                    self.phase,
                    "module",
                    f"module {module.id} begins: {module.title}",
                    jump,
                )
            )
        return out

    def _tell(self, event: ev.Event) -> Happening | None:
        if isinstance(event, ev.PhaseEntered):
            self.phase = event.phase
            self.entries.append((event.phase, event.t))
            found = self.scenario.phases.get(event.phase)
            self.modules = [(event.t + m.at, m) for m in (found.modules if found else [])]
            if event.phase not in PLAY_PHASES:
                return None
            return Happening(
                event.t,
                self.clock(event.t),
                event.phase,
                "phase",
                f"{event.phase} begins",
                self._entry(event),
            )
        if isinstance(event, ev.InjectTriggered):
            self.armed.setdefault(event.inject, event.cause)
            return None
        if isinstance(event, ev.InjectDelivered):
            inject = self.scenario.inject(event.inject)
            title = inject.title if inject else (event.adhoc.title if event.adhoc else "")
            early = inject.before_startex if inject is not None else None
            return Happening(
                event.t,
                self.clock(-early if early and self.phase not in PLAY_PHASES else event.t),
                self.phase,
                "inject",
                title,
                self._delivery(event),
                event.inject,
                tuple(event.to),
            )
        if isinstance(event, ev.ResponseRecorded):
            return Happening(
                event.t,
                self.clock(event.t),
                self.phase,
                "decision",
                self._answer(event),
                ("late" if event.late else "on time")
                + (f", team answer of {event.team_answer}" if event.team_answer else ""),
                event.inject,
                (event.role or "",),
            )
        if isinstance(event, ev.RuleFired):
            name = f"rule {event.id}" if event.id else f"rule {event.rule + 1}"
            return Happening(
                event.t, self.clock(event.t), self.phase, "rule", f"{name} fires", event.condition
            )
        if isinstance(event, ev.VariableChanged):
            self.variables[event.variable] = event.new
            return None
        if isinstance(event, ev.ExerciseEnded):
            self.ended = event.reason
            return Happening(
                event.t, self.clock(event.t), self.phase, "end", "play ends", event.reason
            )
        return None

    def _entry(self, event: ev.PhaseEntered) -> str:
        if event.cause == "start":
            return "STARTEX"
        if event.cause == "transition":
            return f"when {event.condition}" if event.condition else "transition"
        return {"forced": "forced by the controller"}.get(event.cause, event.cause)

    def _delivery(self, event: ev.InjectDelivered) -> str:
        cause = delivery_cause(self.bundle, event, self.armed.get(event.inject))
        inject = self.scenario.inject(event.inject)
        if inject is None or not inject.plenary:
            return cause
        rated = f"evaluators rate {', '.join(inject.expect)}" if inject.expect else "nobody rates"
        return f"{cause}; plenary, {rated}"

    def _answer(self, event: ev.ResponseRecorded) -> str:
        inject = self.scenario.inject(event.inject)
        chosen = event.option
        option = inject.respond.option(chosen) if inject and inject.respond and chosen else None
        if option is not None:
            text = " ".join(option.text.split())
            return f"{event.role} chose {option.id} on {event.inject}: {text}"
        return f"{event.role} answered {event.inject} in its own words"


def what(h: Happening) -> str:
    """What happened, on one line: an inject with its receivers, or the title."""
    if h.kind == "inject":
        return f"{h.inject} to {', '.join(h.roles)}: {h.title}"
    return h.title


def lines(run: DryRun, width: int = 80) -> list[str]:
    """The timeline for a terminal: a heading per phase entered, one line per happening with
    what caused it (``simulate --verbose`` and the text preview)."""
    out: list[str] = []
    phase = ""
    for h in run.happenings:
        if h.phase != phase:
            phase = h.phase
            out.append(f"[{phase if phase in PLAY_PHASES else 'before STARTEX'}]")
        why = one_line(h.why, 60)
        text = one_line(what(h), width)
        why = f"  ({why})" if why else ""
        out.append(f"  {h.clock:16}  {h.kind:8}  {text}{why}")
    return out


def delivery_cause(
    bundle: Bundle, event: ev.InjectDelivered, armed_by: ev.EffectCause | None = None
) -> str:
    """What made an inject go out, in a designer's words: its timing, or the option (and role)
    or rule that armed it."""
    cause = event.cause
    inject = bundle.scenario.inject(event.inject)
    if isinstance(cause, ev.Scheduled) and inject is not None and inject.before_startex:
        return f"read-ahead at the briefing, dated {format_duration(inject.before_startex)} early"
    if isinstance(cause, ev.Scheduled) and inject is not None and inject.at is not None:
        where = f"module {inject.module}" if inject.module else inject.phase
        return f"at +{format_duration(inject.at)} into {where}"
    if isinstance(cause, ev.FollowedUp) and inject is not None and inject.after is not None:
        return f"{format_duration(inject.after.delay)} after {inject.after.inject}"
    if isinstance(cause, ev.ConditionHeld):
        return f"when {cause.condition}"
    if isinstance(cause, ev.Armed):
        if isinstance(armed_by, ev.OptionChosen):
            return f"option {armed_by.option} of {armed_by.inject} ({armed_by.role})"
        if isinstance(armed_by, ev.RuleHeld):
            return f"rule {armed_by.id}" if armed_by.id else f"rule {armed_by.rule + 1}"
        return "armed by a decision or rule"
    if isinstance(cause, ev.SentByController):
        return "sent by the controller"
    return "scheduled"
