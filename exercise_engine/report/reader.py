"""The facts the AAR narrates, read from the event log in one pass.

Scoring reads the log for evidence; the report reads it for the story: when phases began, which
injects arrived and why, what each decision changed, how the variables moved, who took part.
The AAR does both in one pass (``read`` with scoring's reader), so a 100,000-event log is
walked once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from exercise_engine.engine import events as ev
from exercise_engine.engine.events import Recorded
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.scenario import PLAY_PHASES
from exercise_engine.scoring.evidence import EvidenceReader, FirstDelivery, chose_references


@dataclass
class DecisionFacts:
    """A response and everything recorded as its consequence."""

    seq: int
    event: ev.ResponseRecorded
    phase: str
    delivered_t: int | None
    due_at: int | None
    changes: list[tuple[ev.VariableChanged, int, str]] = field(default_factory=list)
    triggered: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


@dataclass
class LogFacts:
    phase_entries: list[tuple[int, ev.PhaseEntered]] = field(default_factory=list)
    deliveries: list[tuple[int, ev.InjectDelivered, str]] = field(default_factory=list)
    """(seq, event, phase it arrived in)."""
    delivered_to: dict[tuple[str, str], FirstDelivery] = field(default_factory=dict)
    """(inject, role) -> its first delivery (scoring's map, read in the same pass)."""
    triggered: dict[str, tuple[int, int]] = field(default_factory=dict)
    decisions: list[DecisionFacts] = field(default_factory=list)
    rules: list[tuple[int, ev.RuleFired]] = field(default_factory=list)
    changes: dict[str, list[tuple[int, ev.VariableChanged]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    observations: list[tuple[int, ev.ObservationRecorded, str]] = field(default_factory=list)
    clock: list[tuple[int, ev.Event]] = field(default_factory=list)
    """Pauses, resumptions, moves and controller outages."""
    adhoc: dict[str, ev.AdhocInject] = field(default_factory=dict)
    seats: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    """seat -> (role, kind) as seen in the log."""
    ended: tuple[int, ev.ExerciseEnded] | None = None
    first_wall: str = ""
    last_wall: str = ""
    last_t: int = 0
    count: int = 0
    last_seq: int = 0

    @cached_property
    def delivered(self) -> set[str]:
        """The ids of the injects delivered at least once (several sections ask)."""
        return {e.inject for _, e, _ in self.deliveries}


def read(bundle: Bundle, log: Sequence[Recorded], scoring: EvidenceReader) -> LogFacts:
    """The facts of the log, in the same pass that feeds scoring's evidence reader
    (``scoring.finish(facts.last_seq)`` then gives the evidence ``gather`` would)."""
    reader = _Reader(bundle, scoring.delivered)
    handlers = _merged(scoring.handlers(), reader.handlers())
    get = handlers.get
    first_wall = last_wall = ""
    last_t = last_seq = 0
    for seq, event, wall in log:
        handler = get(type(event))
        if handler is not None:
            handler(seq, event)
        if wall:
            first_wall = first_wall or wall
            last_wall = wall
        if event.t > last_t:
            last_t = event.t
        if seq > last_seq:
            last_seq = seq
    facts = reader.facts
    facts.first_wall, facts.last_wall = first_wall, last_wall
    facts.last_t, facts.last_seq, facts.count = last_t, last_seq, len(log)
    return facts


Handler = Callable[[int, Any], None]


def _merged(first: dict[type, Handler], second: dict[type, Handler]) -> dict[type, Handler]:
    """One handler per event type that calls both readers' handlers, ``first``'s first."""
    merged = dict(first)
    for kind, handler in second.items():
        merged[kind] = _both(first[kind], handler) if kind in first else handler
    return merged


def _both(first: Handler, second: Handler) -> Handler:
    def both(seq: int, event: Any) -> None:
        first(seq, event)
        second(seq, event)

    return both


class _Reader:
    def __init__(self, bundle: Bundle, delivered: dict[tuple[str, str], FirstDelivery]):
        """``delivered``: scoring's map of first deliveries, filled by scoring's handler in the
        same pass, before this reader's (one map, not two of 60,000 entries for a long log)."""
        self.bundle = bundle
        self.facts = LogFacts(delivered_to=delivered)
        self.phase = PLAY_PHASES[0]
        self.open: dict[tuple[str, str], DecisionFacts] = {}

    def handlers(self) -> dict[type, Handler]:
        """A new dict on each call, not kept: see ``EvidenceReader.handlers``."""
        return {
            ev.PhaseEntered: self.phase_entered,
            ev.InjectDelivered: self.delivered,
            ev.InjectTriggered: self.triggered,
            ev.ResponseRecorded: self.responded,
            ev.VariableChanged: self.changed,
            ev.RuleFired: self.rule,
            ev.ObservationRecorded: self.observed,
            ev.MessageSent: self.seat,
            ev.InformationShared: self.seat,
            ev.ClockPaused: self.clock,
            ev.ClockResumed: self.clock,
            ev.MoveStarted: self.clock,
            ev.ControllerTookOver: self.clock,
            ev.ExerciseEnded: self.ended,
        }

    def phase_entered(self, seq: int, event: ev.PhaseEntered) -> None:
        self.facts.phase_entries.append((seq, event))
        if event.phase in PLAY_PHASES:
            self.phase = event.phase

    def delivered(self, seq: int, event: ev.InjectDelivered) -> None:
        self.facts.deliveries.append((seq, event, self.phase))
        if event.adhoc is not None:
            self.facts.adhoc[event.inject] = event.adhoc

    def triggered(self, seq: int, event: ev.InjectTriggered) -> None:
        self.facts.triggered.setdefault(event.inject, (seq, event.t))
        decision = self.cause(event.cause)
        if decision is not None:
            decision.triggered.append(event.inject)
        elif isinstance(event.cause, ev.RuleHeld):
            for decision in self.rule_decisions(event.cause):
                decision.triggered.append(event.inject)

    def responded(self, seq: int, event: ev.ResponseRecorded) -> None:
        key = (event.inject, event.role or "")
        delivered = self.facts.delivered_to.get(key)
        if delivered is None:
            decision = DecisionFacts(seq, event, self.phase, None, None)
        else:
            decision = DecisionFacts(seq, event, delivered.phase, delivered.t, delivered.due_at)
        self.facts.decisions.append(decision)
        self.open[key] = decision
        self.seat(seq, event)

    def cause(self, cause: ev.EffectCause) -> DecisionFacts | None:
        if not isinstance(cause, ev.OptionChosen):
            return None
        return self.open.get((cause.inject, cause.role))

    def rule_decisions(self, cause: ev.RuleHeld) -> list[DecisionFacts]:
        for _, fired in reversed(self.facts.rules):
            if fired.rule == cause.rule:
                return [d for key in chose_references(fired.condition) if (d := self.open.get(key))]
        return []

    def changed(self, seq: int, event: ev.VariableChanged) -> None:
        self.facts.changes[event.variable].append((seq, event))
        decision = self.cause(event.cause)
        if decision is not None:
            decision.changes.append((event, seq, "option"))
        elif isinstance(event.cause, ev.RuleHeld):
            via = event.cause.id or f"rule {event.cause.rule}"
            for decision in self.rule_decisions(event.cause):
                decision.changes.append((event, seq, via))

    def rule(self, seq: int, event: ev.RuleFired) -> None:
        self.facts.rules.append((seq, event))
        name = event.id or f"rule {event.rule}"
        for key in chose_references(event.condition):
            decision = self.open.get(key)
            if decision is not None:
                decision.rules.append(name)

    def observed(self, seq: int, event: ev.ObservationRecorded) -> None:
        self.facts.observations.append((seq, event, self.phase))
        if event.seat:
            self.facts.seats.setdefault(event.seat, (None, "evaluator:" + event.evaluator))

    def seat(self, seq: int, event: ev.Event) -> None:
        if event.seat and event.seat not in self.facts.seats:
            self.facts.seats[event.seat] = (event.role, "player")

    def clock(self, seq: int, event: ev.Event) -> None:
        self.facts.clock.append((seq, event))

    def ended(self, seq: int, event: ev.ExerciseEnded) -> None:
        self.facts.ended = (seq, event)
