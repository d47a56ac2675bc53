"""Evidence: what the event log says about each role, read in one pass.

Scoring never looks at engine state, only at the log, so that a score can be recomputed for any
recorded session and every number can name the events behind it. This module turns the log into
three kinds of evidence, each carrying the sequence number of its event:

- ``Item``: points for one criterion of one role, from an option chosen, an evaluator's rating,
  or a decision never taken;
- ``Answer``: one response a role was asked for, and whether it came on time;
- ``Link``: an exchange between two roles, placed on the integration spectrum;
- ``Checkpoint``: the situation variables at the end of a play phase and at ENDEX, which the
  rubric's outcomes are read against.

Evidence objects are slotted dataclasses, not frozen ones (frozen ``__init__`` costs ~0.2 µs a
field, and a long log yields tens of thousands of items); nothing changes them once gathered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from exercise_engine.engine import events as ev
from exercise_engine.engine.events import Recorded
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.expressions import ANY_ROLE, ExpressionError, compile_expression
from exercise_engine.model.scenario import PLAY_PHASES
from exercise_engine.scoring import spectrum
from exercise_engine.scoring.index import Index
from exercise_engine.scoring.scale import Scale

OPTION, EVALUATOR, MISSED, BREACH = "option", "evaluator", "missed", "breach"
ON_TIME, LATE, OVERDUE, PENDING = "on_time", "late", "missed", "pending"


@dataclass(slots=True)
class Item:
    """Points for one criterion of one role; ``points`` None is an evaluator's N/O."""

    source: str  # option | evaluator | missed | breach
    role: str
    criterion: str
    points: float | None
    seq: int
    t: int
    phase: str
    inject: str | None = None
    option: str | None = None
    evaluator: str | None = None
    rating: str | None = None
    note: str = ""
    to: tuple[str, ...] = ()
    """A breach's recipients that may not receive the inject (role ids)."""


@dataclass(slots=True)
class Answer:
    """One response a role was asked for (an ``InjectDelivered.answer`` entry)."""

    inject: str
    role: str
    phase: str
    delivered_seq: int
    delivered_t: int
    due_at: int | None
    response_seq: int | None = None
    responded_t: int | None = None
    late: bool = False
    overdue_seq: int | None = None

    @property
    def status(self) -> str:
        if self.response_seq is not None:
            return LATE if self.late else ON_TIME
        return OVERDUE if self.overdue_seq is not None else PENDING

    @property
    def seqs(self) -> tuple[int, ...]:
        """Delivery, then overdue, then response: the order they are logged in."""
        found = (self.delivered_seq, self.overdue_seq, self.response_seq)
        return tuple(s for s in found if s is not None)


@dataclass(slots=True)
class Link:
    """An exchange that put two roles at ``level`` of the integration spectrum."""

    pair: tuple[str, str]
    level: int
    seq: int
    t: int
    phase: str
    kind: str  # message | share | rule
    inject: str | None = None


@dataclass(slots=True)
class Checkpoint:
    """The situation when a play phase ended (``endex``: when play ended)."""

    phase: str
    endex: bool
    seq: int
    t: int
    values: dict[str, float]
    changed: dict[str, int]
    """Variable -> seq of the change that set its value (absent: still its initial value)."""


@dataclass(slots=True)
class Breach:
    """A sensitive inject shared with roles that may not receive it (``Inject.sensitive``)."""

    seq: int
    t: int
    phase: str
    role: str
    inject: str
    to: tuple[str, ...]
    reason: str
    criteria: tuple[str, ...]
    """The criteria it was scored against for the role (at the bottom of the scale)."""


@dataclass(slots=True)
class Ignored:
    """Evidence the rubric cannot use (another rubric's criterion, a role it does not apply to)."""

    seq: int
    reason: str


@dataclass
class Evidence:
    roles: list[str]
    index: Index
    items: list[Item] = field(default_factory=list)
    answers: dict[tuple[str, str], Answer] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)
    phases: list[tuple[str, int, int]] = field(default_factory=list)
    """Play phases entered: (phase, scenario time, seq)."""
    checkpoints: list[Checkpoint] = field(default_factory=list)
    breaches: list[Breach] = field(default_factory=list)
    last_seq: int = 0
    ended: bool = False


def scored_roles(bundle: Bundle) -> list[str]:
    """The scenario's roles that trainees play (control cells are not scored)."""
    roles = bundle.roles
    return [r for r in bundle.scenario.roles if r not in roles or roles[r].kind != "control"]


def gather(bundle: Bundle, log: Sequence[Recorded]) -> Evidence:
    """Read the log once and return the evidence scoring works from."""
    reader = EvidenceReader(bundle)
    handlers = reader.handlers()
    last_seq = 0
    for seq, event, _ in log:
        handler = handlers.get(type(event))
        if handler is not None:
            handler(seq, event)
        if seq > last_seq:
            last_seq = seq
    return reader.finish(last_seq)


class FirstDelivery(NamedTuple):
    """The first delivery of an inject to a role: its seq, time, due time and phase."""

    seq: int
    t: int
    due_at: int | None
    phase: str


class EvidenceReader:
    """Turns events into evidence, one ``handlers()[type(event)](seq, event)`` call at a time.

    ``gather`` drives it; the AAR drives it from its own pass over the log (report/reader.py),
    so that a long log is walked once for scoring and story alike.
    """

    def __init__(self, bundle: Bundle):
        self.bundle = bundle
        self.scale = Scale(bundle.rubric)
        self.index = Index(bundle)
        self.criteria = self.index.criteria
        self.evidence = Evidence(scored_roles(bundle), self.index)
        self.roles = set(self.evidence.roles)
        self.phase = PLAY_PHASES[0]
        self.values = {name: v.initial for name, v in bundle.scenario.variables.items()}
        self.changed: dict[str, int] = {}
        self.exchanged: dict[tuple[str, str], list[tuple[int, str | None]]] = {}
        """Pair of roles -> (seq, inject) of each message or share between them, for rules."""
        self.delivered: dict[tuple[str, str], FirstDelivery] = {}
        """(inject, role) -> its first delivery (the AAR's reader reads it in the same pass)."""

    def handlers(self) -> dict[type, Callable[[int, Any], None]]:
        """The handler of each event type that is evidence.

        A new dict on each call, never kept on the reader: bound methods kept there would make
        a reference cycle, and everything the reader holds (the evidence, the bundle) would wait
        for the cyclic collector, which the report command holds (report/command.py), instead
        of being freed as soon as it is no longer used.
        """
        return {
            ev.PhaseEntered: self.phase_entered,
            ev.InjectDelivered: self.delivered_,
            ev.ResponseRecorded: self.responded,
            ev.ResponseOverdue: self.overdue,
            ev.ObservationRecorded: self.observed,
            ev.MessageSent: self.message,
            ev.InformationShared: self.share,
            ev.RuleFired: self.rule,
            ev.VariableChanged: self.variable,
            ev.ExerciseEnded: self.ended,
        }

    # -- phases and deliveries ----------------------------------------------------------------

    def phase_entered(self, seq: int, event: ev.PhaseEntered) -> None:
        if event.previous in PLAY_PHASES and not self.evidence.ended:
            self.checkpoint(event.previous, False, seq, event.t)
        if event.phase in PLAY_PHASES:
            self.phase = event.phase
            self.evidence.phases.append((event.phase, event.t, seq))

    def delivered_(self, seq: int, event: ev.InjectDelivered) -> None:
        inject, delivered = event.inject, self.delivered
        first = FirstDelivery(seq, event.t, event.due_at, self.phase)
        for role in event.to:
            if (inject, role) not in delivered:
                delivered[(inject, role)] = first
        answers = self.evidence.answers
        for role in event.answer:
            if role in self.roles and (inject, role) not in answers:
                answers[(inject, role)] = Answer(
                    inject, role, self.phase, seq, event.t, event.due_at
                )

    def phase_of(self, inject: str | None, role: str | None) -> str:
        """The phase evidence belongs to: that of the inject's delivery to the role, if any."""
        found = self.delivered.get((inject or "", role or ""))
        return found.phase if found else self.phase

    # -- responses ----------------------------------------------------------------------------

    def responded(self, seq: int, event: ev.ResponseRecorded) -> None:
        role = event.role or ""
        answer = self.evidence.answers.get((event.inject, role))
        if answer is not None and answer.response_seq is None:
            answer.response_seq, answer.responded_t, answer.late = seq, event.t, event.late
        if role not in self.roles or event.option is None:
            return
        option = self.index.option(event.inject, event.option)
        if option is None:
            return
        delivered = self.delivered.get((event.inject, role))  # phase_of, inlined
        phase = delivered.phase if delivered else self.phase
        items, usable, scale = self.evidence.items, self.index.applies, self.scale
        for criterion, points in option.scores.items():
            reason = None if usable(criterion, role) else self.unusable(criterion, role)
            if reason is not None:
                self.ignore(seq, f"option {event.inject}/{option.id} {reason}")
                continue
            if not scale.low < points < scale.high:  # inside the scale, clamp keeps it as is
                points = scale.clamp(points)
            items.append(
                Item(OPTION, role, criterion, points, seq, event.t, phase, event.inject, option.id)
            )

    def overdue(self, seq: int, event: ev.ResponseOverdue) -> None:
        answer = self.evidence.answers.get((event.inject, event.role or ""))
        if answer is not None and answer.overdue_seq is None:
            answer.overdue_seq = seq

    def ended(self, seq: int, event: ev.ExerciseEnded) -> None:
        if self.evidence.phases and not self.evidence.ended:
            self.checkpoint(self.phase, True, seq, event.t)
        self.evidence.ended = True

    # -- the situation ------------------------------------------------------------------------

    def variable(self, seq: int, event: ev.VariableChanged) -> None:
        self.values[event.variable] = event.new
        self.changed[event.variable] = seq

    def checkpoint(self, phase: str, endex: bool, seq: int, t: int) -> None:
        self.evidence.checkpoints.append(
            Checkpoint(phase, endex, seq, t, dict(self.values), dict(self.changed))
        )

    def finish(self, last_seq: int) -> Evidence:
        """The evidence, once every event is read; ``last_seq`` is the log's highest seq.

        Decisions never taken count at the bottom of the scale for the criteria at stake."""
        self.evidence.last_seq = last_seq
        for answer in self.evidence.answers.values():
            if answer.response_seq is not None or answer.overdue_seq is None:
                continue
            inject = self.index.injects.get(answer.inject)
            if inject is None or inject.respond is None:
                continue
            offered = inject.respond.offered(answer.role)
            at_stake = dict.fromkeys(c for o in offered for c in o.scores)
            for criterion in at_stake:
                if self.usable(
                    answer.overdue_seq, criterion, answer.role, f"unanswered {answer.inject}"
                ):
                    self.evidence.items.append(
                        Item(
                            MISSED,
                            answer.role,
                            criterion,
                            self.scale.low,
                            answer.overdue_seq,
                            answer.delivered_t,
                            answer.phase,
                            answer.inject,
                        )
                    )
        return self.evidence

    def usable(self, seq: int, criterion: str, role: str, what: str) -> bool:
        reason = self.unusable(criterion, role)
        if reason is not None:
            self.ignore(seq, f"{what} {reason}")
        return reason is None

    def unusable(self, criterion: str, role: str) -> str | None:
        """Why the rubric cannot use points for ``criterion`` to ``role`` (None: it can), said
        after what gave them (the message is only written for evidence that is ignored)."""
        if criterion not in self.criteria:
            return f"scores criterion {criterion}, which is not in rubric '{self.bundle.rubric.id}'"
        if not self.index.applies(criterion, role):
            return f"scores {criterion}, which does not apply to {self.bundle.role_name(role)}"
        return None

    def ignore(self, seq: int, reason: str) -> None:
        self.evidence.ignored.append(Ignored(seq, reason))

    # -- evaluators ---------------------------------------------------------------------------

    def observed(self, seq: int, event: ev.ObservationRecorded) -> None:
        role = event.role or ""
        if role not in self.roles:
            self.evidence.ignored.append(Ignored(seq, f"observation of unscored role {role}"))
            return
        if event.criterion not in self.criteria:
            self.evidence.ignored.append(
                Ignored(
                    seq,
                    f"observation of criterion {event.criterion}, which is not in "
                    f"rubric '{self.bundle.rubric.id}'",
                )
            )
            return
        points = self.scale.points(event.rating)
        if points is None and event.rating != self.scale.not_observed:
            self.evidence.ignored.append(
                Ignored(
                    seq,
                    f"rating '{event.rating}' is not on the scale of rubric "
                    f"'{self.bundle.rubric.id}'",
                )
            )
            return
        self.evidence.items.append(
            Item(
                EVALUATOR,
                role,
                event.criterion,
                points,
                seq,
                event.t,
                self.phase_of(event.inject, role),
                event.inject,
                None,
                event.evaluator,
                event.rating,
                event.note,
            )
        )

    # -- coordination -------------------------------------------------------------------------

    def message(self, seq: int, event: ev.MessageSent) -> None:
        self.exchange(seq, event, "message", spectrum.COMMUNICATION)

    def share(self, seq: int, event: ev.InformationShared) -> None:
        barred = self.barred(seq, event)
        self.exchange(seq, event, "share", spectrum.INFORMATION_SHARING, barred)

    def barred(self, seq: int, event: ev.InformationShared) -> set[str]:
        """The recipients a sensitive inject may not go to; sharing with them is a breach,
        scored at the bottom of the scale on the rubric's breach criteria (and the inject's)
        for the role that shared it, and never credited as information sharing."""
        inject = self.index.injects.get(event.inject)
        sender = event.role or ""
        if inject is None or inject.sensitive is None or sender not in self.roles:
            return set()
        allowed = {*self.index.receivers(inject), *inject.sensitive.share_with}
        barred = [r for r in dict.fromkeys(event.to) if r not in allowed and r != sender]
        if not barred:
            return set()
        wanted = [*self.bundle.rubric.coordination.breach, *inject.sensitive.criteria]
        what = f"shared sensitive {inject.id} with {', '.join(barred)}"
        criteria = tuple(c for c in dict.fromkeys(wanted) if self.usable(seq, c, sender, what))
        phase = self.phase_of(inject.id, sender)
        to = tuple(barred)
        for criterion in criteria:
            self.evidence.items.append(
                Item(
                    BREACH,
                    sender,
                    criterion,
                    self.scale.low,
                    seq,
                    event.t,
                    phase,
                    inject.id,
                    to=to,
                )
            )
        self.evidence.breaches.append(
            Breach(
                seq,
                event.t,
                phase,
                sender,
                inject.id,
                to,
                inject.sensitive.reason.strip(),
                criteria,
            )
        )
        return set(barred)

    def exchange(
        self,
        seq: int,
        event: ev.MessageSent | ev.InformationShared,
        kind: str,
        base: int,
        barred: set[str] | frozenset[str] = frozenset(),
    ) -> None:
        sender, roles, inject = event.role, self.roles, event.inject
        if sender is None or sender not in roles:
            return
        # Formal coordination: both roles received the inject and one of them still has to
        # answer it (the sender's half worked out once for all recipients).
        sender_received = inject is not None and (inject, sender) in self.delivered
        sender_owes = inject is not None and sender_received and self.owes(inject, sender)
        for other in event.to:
            if other == sender or other not in roles or other in barred:
                continue
            level = base
            if (
                inject is not None
                and sender_received
                and (inject, other) in self.delivered
                and (sender_owes or self.owes(inject, other))
            ):
                level = spectrum.FORMAL_COORDINATION
            pair = (sender, other) if sender <= other else (other, sender)  # spectrum.pair
            self.evidence.links.append(Link(pair, level, seq, event.t, self.phase, kind, inject))
            self.exchanged.setdefault(pair, []).append((seq, inject))

    def owes(self, inject: str, role: str) -> bool:
        """The role was asked to answer the inject and has not yet."""
        answer = self.evidence.answers.get((inject, role))
        return answer is not None and answer.response_seq is None

    def rule(self, seq: int, event: ev.RuleFired) -> None:
        """A rule rewarding joint choices is cooperation between two of its roles only if they
        exchanged on the matter first: choices that merely match are not collaboration."""
        if not self.rewarding(event.rule):
            return
        decisions = chose_references(event.condition)
        roles = sorted({r for _, r in decisions if r in self.roles})
        injects = {i for i, _ in decisions}
        for i, a in enumerate(roles):
            for b in roles[i + 1 :]:
                since = min(
                    (
                        self.delivered[(inject, role)].seq
                        for inject in injects
                        for role in (a, b)
                        if (inject, role) in self.delivered
                    ),
                    default=0,
                )
                talked = any(
                    since < when < seq and (about is None or about in injects)
                    for when, about in self.exchanged.get((a, b), ())
                )
                if talked:
                    self.evidence.links.append(
                        Link(
                            (a, b), spectrum.COOPERATION, seq, event.t, self.phase, "rule", event.id
                        )
                    )

    def rewarding(self, index: int) -> bool:
        """A rule rewards unless its effects, by each variable's ``better``, do net harm."""
        rules = self.bundle.scenario.rules
        if not 0 <= index < len(rules):
            return True
        balance = 0
        variables = self.bundle.scenario.variables
        for name, delta in rules[index].effects.items():
            better = variables[name].better if name in variables else None
            if better is not None and delta:
                balance += 1 if (delta > 0) == (better == "higher") else -1
        return balance >= 0


@cache
def chose_references(condition: str) -> tuple[tuple[str, str], ...]:
    """The (inject, role) decisions a rule's condition names through ``chose()``."""
    try:
        expression = compile_expression(condition)
    except ExpressionError:
        return ()
    return tuple(
        (r.inject, r.role)
        for r in expression.references
        if r.function == "chose" and r.role and r.role != ANY_ROLE
    )
