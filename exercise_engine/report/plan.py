"""Hot-wash prompts and the improvement plan, derived from the findings and the log.

The hot wash walks each exercise objective through the US Army's four AAR questions (what was
supposed to happen, what happened, why the difference, what to sustain or improve); the prompts
are questions for the facilitator, built from the decisions that departed from the rubric's
preference. The improvement plan turns each area for improvement into an HSEEP IP row with a
POETE element chosen by the kind of gap the log shows:

- a decision never taken: Planning (procedures, delegations);
- an evaluator's note about kit: Equipment;
- a poor choice or rating otherwise: Training;
- answers given late: Organization (who decides, with what rhythm);
- two roles with common injects that never went past communication: Organization;
- a criterion expected on an inject but never rated: Exercise (design and evaluation).
The after-action meeting approves, edits or drops these rows; they are proposals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from exercise_engine.model.bundle import Bundle
from exercise_engine.model.doctrine import vocabulary
from exercise_engine.model.scenario import Inject
from exercise_engine.report import lookfor, outcomes
from exercise_engine.report.findings import evaluator_letters, pts, timing
from exercise_engine.report.model import (
    CoordinationPair,
    Decision,
    Finding,
    HotWashItem,
    Improvement,
    MissedDecision,
)
from exercise_engine.report.reader import LogFacts
from exercise_engine.report.text import (
    Labels,
    listing,
    lower_first,
    pct,
    plural,
    points,
    quote,
    short_date,
    short_name,
    upper_first,
)
from exercise_engine.scoring import OutcomeCheck, spectrum
from exercise_engine.scoring.evidence import EVALUATOR, MISSED, Link
from exercise_engine.scoring.scale import Scale
from exercise_engine.scoring.scorecard import CriterionScore, Scorecard

MAX_LINES = 8
SUPPOSED_INJECTS = 4
GROUP_ABOVE = 2
"""More items than this for one role are asked about as a pattern, in one line."""
T = TypeVar("T")
ELEMENTS = ("Planning", "Organization", "Equipment", "Training", "Exercise")
PRIORITIES = ("High", "Medium", "Low")
TIMELY = 75.0
"""Below this share of on-time answers, a role's timeliness becomes an improvement item."""
EXERCISE_STAFF = "Exercise staff (white cell and evaluators)"
_EQUIPMENT = lookfor.stems(
    "radio radios equipment vehicle vehicles satellite network generator software database "
    "laptop comms kit phones telephone"
)


def _ref(tag: str) -> str:
    """A doctrine tag's title and source, as an improvement item's reference."""
    found = vocabulary().resolve(tag)
    return f"{found.title} ({found.ref})" if found is not None else tag


def _capped(lines: list[str], limit: int = MAX_LINES) -> list[str]:
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], f"… and {len(lines) - limit} more (see the decision log)"]


def _grouped(
    items: Sequence[T],
    role: Callable[[T], str],
    one: Callable[[T], str],
    many: Callable[[str, list[T]], str],
) -> list[str]:
    """One line per item for a role with few of them, one summary line for a role with many:
    a hot wash asks about patterns, and a 100,000-event session has thousands of items."""
    by_role: dict[str, list[T]] = defaultdict(list)
    for item in items:
        by_role[role(item)].append(item)
    lines = []
    for name, mine in by_role.items():
        lines += [one(i) for i in mine] if len(mine) <= GROUP_ABOVE else [many(name, mine)]
    return lines


def _cites(seqs: Iterable[int], limit: int = 4) -> str:
    """``#12, #15, #20`` and ``…`` past ``limit``: the events a statement rests on."""
    found = list(dict.fromkeys(seqs))
    shown = ", ".join(f"#{q}" for q in found[:limit])
    return shown + (", …" if len(found) > limit else "")


def _distinct(checks: Iterable[OutcomeCheck]) -> list[OutcomeCheck]:
    """Each outcome check once (criteria are held for several roles by the same check)."""
    return list({(c.criterion, c.variable, c.seq): c for c in checks}.values())


def _examples(ids: Iterable[str], limit: int = 3) -> str:
    """The first ``limit`` distinct ids, and "…" if there are more (read no further)."""
    unique: dict[str, None] = {}
    for i in ids:
        if i not in unique:
            if len(unique) == limit:
                return ", ".join(unique) + ", …"
            unique[i] = None
    return ", ".join(unique)


class Planner:
    def __init__(
        self,
        bundle: Bundle,
        card: Scorecard,
        findings: list[Finding],
        decisions: list[Decision],
        missed: list[MissedDecision],
        labels: Labels,
        notes: bool = True,
        links: Sequence[Link] = (),
    ):
        self.notes = notes
        """Whether the controller notes and the MSEL may be quoted (the staff version only)."""
        self.exchanges: dict[tuple[str, str], list[int]] = defaultdict(list)
        """(inject, role) -> seqs of the messages and shares about the inject the role sent or
        received: what a "why" can cite about how a decision was prepared."""
        for link in links:
            if link.inject is not None and link.kind != "rule":
                for role in link.pair:
                    self.exchanges[(link.inject, role)].append(link.seq)
        self.bundle = bundle
        self.card = card
        self.findings = findings
        self.decisions = decisions
        self.missed = missed
        self.labels = labels
        self.scale = Scale(bundle.rubric)
        self.index = labels.index
        self.delivered: set[str] = set()
        self._silent: dict[tuple[str, str], bool] = {}
        self._about: dict[str, set[str]] | None = None

    # -- hot wash -----------------------------------------------------------------------------

    def hot_wash(self, delivered: set[str]) -> list[HotWashItem]:
        self.delivered = delivered
        scenario = self.bundle.scenario
        if scenario.objectives:
            topics = [(o.id, o.text, o.criteria) for o in scenario.objectives]
        else:
            topics = [
                (d.id, d.title, [c.id for c in d.criteria]) for d in self.bundle.rubric.dimensions
            ]
        return [self.topic(*topic) for topic in topics]

    def topic(self, topic: str, title: str, criteria: list[str]) -> HotWashItem:
        wanted = set(criteria)
        about = self.about()
        ids = set().union(*(about.get(c, ()) for c in wanted))
        injects = [i for i in self.bundle.scenario.injects if i.id in ids]
        decisions = [d for d in self.decisions if d.inject in ids]
        missed = [m for m in self.missed if m.inject in ids]
        findings = [f for f in self.findings if f.criterion in wanted]
        return HotWashItem(
            topic=topic,
            title=title,
            supposed=_capped(self.supposed(injects, criteria)),
            happened=_capped(self.happened(criteria, injects, decisions, missed)),
            why=_capped(self.why(criteria, decisions, missed, findings)),
            sustain=_capped([f.statement for f in findings if f.kind == "strength"]),
            improve=_capped([f.statement for f in findings if f.kind == "improvement"]),
        )

    def about(self) -> dict[str, set[str]]:
        """criterion -> ids of the injects that concern it (those that expect it and those whose
        options score it), indexed once for every topic."""
        if self._about is None:
            about: dict[str, set[str]] = defaultdict(set)
            seen: set[str] = set()
            for inject in self.bundle.scenario.injects:
                if inject.id in seen:
                    continue
                seen.add(inject.id)
                for criterion in inject.expect:
                    about[criterion].add(inject.id)
                for option in inject.respond.options if inject.respond else []:
                    for criterion in option.scores:
                        about[criterion].add(inject.id)
            self._about = about
        return self._about

    def supposed(self, injects: list[Inject], criteria: list[str]) -> list[str]:
        lines = []
        for inject in injects[:SUPPOSED_INJECTS]:
            answering = self.bundle.scenario.responders(inject, self.bundle.control)
            names = [short_name(self.labels.role(r)) for r in answering]
            expected = (inject.notes.strip() if self.notes else "") or (
                f"{listing(names) or 'the receivers'} "
                f"{'decides' if len(names) == 1 else 'decide'}; "
                f"evaluators watch {listing(inject.expect) or 'the options scored'}"
            )
            lines.append(f"{inject.id} {quote(inject.title, 70)}: {' '.join(expected.split())}")
        if len(injects) > SUPPOSED_INJECTS:
            rest = injects[SUPPOSED_INJECTS:]
            lines.append(
                f"… and {len(rest)} more injects on these criteria "
                f"({_examples(i.id for i in rest)})"
            )
        rubric = self.index.criteria
        for criterion_id in criteria:
            criterion = rubric.get(criterion_id)
            if criterion is not None and criterion.look_for:
                lines.append(f"{criterion_id}: look for {quote(criterion.look_for[0], 120)}")
        return lines

    def happened(
        self,
        criteria: list[str],
        injects: list[Inject],
        decisions: list[Decision],
        missed: list[MissedDecision],
    ) -> list[str]:
        lines = []
        for criterion_id in criteria:
            rated = [
                s
                for r in self.card.roles.values()
                if (s := r.criterion(criterion_id)) and s.observed
            ]
            if rated:
                lines.append(
                    f"{criterion_id}: "
                    + ", ".join(f"{self.labels.role(s.role)} {self.mark(s)}" for s in rated)
                )
            else:
                lines.append(f"{criterion_id}: not observed for any role")
        lines += _grouped(decisions, lambda d: d.role_name, self.decided, self.decided_many)
        lines += _grouped(
            missed,
            lambda m: m.role_name,
            lambda m: f"{m.role_name} never answered {m.inject} {quote(m.inject_title, 60)}",
            lambda name, ms: (
                f"{name} never answered {len(ms)} injects ({_examples(m.inject for m in ms)})"
            ),
        )
        lines += _grouped(
            # the staff version only: asked first, the trainee one looks at no inject here
            [i for i in injects if self.notes and i.id not in self.delivered],
            lambda i: "contingency" if i.contingency else "inject",
            lambda i: (
                f"{i.id} {quote(i.title, 60)} "
                + ("contingency was not needed" if i.contingency else "was never delivered")
            ),
            lambda kind, found: (
                f"{len(found)} {kind} injects were never delivered "
                f"({_examples(i.id for i in found)})"
            ),
        )
        return lines

    def why(
        self,
        criteria: list[str],
        decisions: list[Decision],
        missed: list[MissedDecision],
        findings: list[Finding],
    ) -> list[str]:
        """Why play differed from what was supposed to happen, as facts with their events: the
        answers never given and given late, the choices the rubric ranks below another (what
        they changed, and what was exchanged before them), critical criteria at the bottom,
        outcomes that held criteria down, and criteria the log does not show."""
        lines = _grouped(
            missed,
            lambda m: m.role_name,
            lambda m: (
                f"{m.role_name} left {m.inject} {quote(m.inject_title, 60)}, delivered at "
                f"{short_date(m.clock)}, unanswered past its due time ({_cites(m.seqs)})"
            ),
            lambda name, ms: (
                f"{name} left {len(ms)} injects unanswered past their due time "
                f"({_examples(m.inject for m in ms)}; {_cites([q for m in ms for q in m.seqs])})"
            ),
        )
        lines += _grouped(
            [d for d in decisions if d.late],
            lambda d: d.role_name,
            lambda d: f"{d.role_name} answered {d.inject} {timing(d)}{self.prepared(d)}",
            lambda name, ds: (
                f"{name} answered {len(ds)} injects late "
                f"({_examples(d.inject for d in ds)}; {_cites([d.seq for d in ds])})"
            ),
        )
        lines += _grouped(
            [d for d in decisions if d.preferred],
            lambda d: d.role_name,
            self.departed,
            lambda name, ds: (
                f"{name} chose below the option the rubric prefers on {len(ds)} decisions "
                f"({_examples(d.inject for d in ds)}; {_cites([d.seq for d in ds])})"
            ),
        )
        lines += [
            f"{f.role_name} reached the bottom of the scale on critical criterion "
            f"{f.criterion}, which caps its dimension ({_cites(f.seqs)})"
            for f in findings
            if f.caps
        ]
        held = [
            c
            for r in self.card.roles.values()
            for criterion_id in criteria
            if (s := r.criterion(criterion_id)) is not None and s.ceiling is not None
            for c in s.ceiling.checks
        ]
        lines += [upper_first(text) for text in outcomes.sentences(_distinct(held), self.labels)]
        asked = {d.role for d in decisions} | {m.role for m in missed}
        for criterion_id in criteria:
            silent = sorted(r for r in asked if self.silent([criterion_id], r))
            if silent:
                names = listing([self.labels.role(r) for r in silent])
                lines.append(
                    f"No option chosen and no evaluator observation shows {names} on {criterion_id}"
                )
        if not lines:
            lines.append(
                "No difference: every answer here was given on time and chose the option the "
                "rubric prefers"
            )
        return lines

    def prepared(self, d: Decision) -> str:
        """What the log shows of how the role prepared a decision with others."""
        before = [q for q in self.exchanges.get((d.inject, d.role), ()) if q < d.seq]
        if not before:
            return f" ({_cites([d.seq])}), with no message or share on it with another role"
        exchanged = plural(len(before), "message or share", "messages or shares")
        return f" ({_cites([d.seq])}), after {exchanged} on it ({_cites(before)})"

    def mark(self, s: CriterionScore) -> str:
        """A criterion score as HSEEP reads it: a letter only where an evaluator rated."""
        letters = evaluator_letters(s)
        if letters:
            return f"{letters} ({pct(s.score)})"
        return f"{pts(s.points)} ({pct(s.score)})"

    @staticmethod
    def decided(d: Decision) -> str:
        choice = (
            f"chose {d.option} {quote(d.option_text, 60)}"
            if d.option
            else f"answered in own words {quote(d.text, 60)}"
        )
        return f"{short_date(d.clock)} {d.role_name} {choice} on {d.inject} ({timing(d)})"

    def decided_many(self, name: str, ds: list[Decision]) -> str:
        late = sum(d.late for d in ds)
        preferred = sum(d.preferred is None for d in ds if d.option)
        return (
            f"{name} took {len(ds)} decisions on these injects: {len(ds) - late} on time, "
            f"{late} late; {preferred} chose the option the rubric prefers"
        )

    def departed(self, d: Decision) -> str:
        # The preferred option is one of the inject's (decisions.py found it there): looked up
        # only for the lines written one decision at a time.
        best, text = self.preferred(d) or (d.preferred, "")
        moved = ", ".join(
            f"{c.variable} {c.old:g}→{c.new:g} (#{c.seq})" for c in d.consequences[:3]
        )
        return (
            f"{d.role_name} chose {d.option} {quote(d.option_text, 60)} on {d.inject}, where "
            f"the rubric prefers {best} {quote(text, 60)}{self.prepared(d)}"
            + (f"; it moved {moved}" if moved else "")
        )

    def preferred(self, decision: Decision) -> tuple[str, str] | None:
        """The option the rubric valued most, when the decision chose a lower-valued one."""
        if decision.preferred is None:
            return None
        best = self.index.option(decision.inject, decision.preferred)
        return (best.id, best.text) if best is not None else None

    def silent(self, criteria: list[str], role: str) -> list[str]:
        """Of ``criteria``, those that apply to ``role`` and were never observed for it."""
        return [c for c in criteria if self._is_silent(c, role)]

    def _is_silent(self, criterion: str, role: str) -> bool:
        key = (criterion, role)
        if key not in self._silent:
            score = self.card.roles.get(role)
            found = score.criterion(criterion) if score is not None else None
            self._silent[key] = (
                self.index.applies(criterion, role) and found is not None and not found.observed
            )
        return self._silent[key]

    # -- improvement plan ---------------------------------------------------------------------

    def improvement_plan(self, facts: LogFacts, pairs: list[CoordinationPair]) -> list[Improvement]:
        items = [self.from_finding(f) for f in self.findings if f.kind == "improvement"]
        items += self.timeliness()
        items += self.coordination(facts, pairs)
        items += self.exercise(facts)
        return sorted(
            items,
            key=lambda i: (
                PRIORITIES.index(i.priority),
                ELEMENTS.index(i.element),
                i.criterion or "",
                i.role,
            ),
        )

    def from_finding(self, f: Finding) -> Improvement:
        role = self.card.roles[f.role]
        score = role.criterion(f.criterion)
        items = score.items if score is not None else ()
        missed = sorted({i.inject or "" for i in items if i.source == MISSED})
        notes = [i.note for i in items if i.source == EVALUATOR and i.note]
        kit = [n for n in notes if lookfor.stems(n) & _EQUIPMENT]
        criterion = self.index.criteria[f.criterion]
        if missed:
            element = "Planning"
            action = (
                f"Set the decision procedure and delegation so that {f.role_name} "
                f"answers injects like {listing(missed)} before they are due; rehearse it."
            )
        elif kit:
            element = "Equipment"
            action = f"Resolve the equipment problem the evaluators noted: {quote(kit[0], 120)}."
        else:
            element = "Training"
            focus = f.missed_look_fors[:2]
            action = (
                f"Train the trainees at the {short_name(f.role_name)} seat on {f.criterion}, "
                f"“{criterion.title}”"
                + (": " + "; ".join(quote(m, 100) for m in focus) if focus else "")
                + (f" ({f.reference})" if f.reference else "")
                + "."
            )
        at_bottom = (
            score is not None and score.points is not None and self.scale.at_bottom(score.points)
        )
        priority = "High" if f.caps or at_bottom or criterion.critical else "Medium"
        return Improvement(
            issue=f"{f.criterion} {criterion.title}: {self.standing(f, score)}",
            corrective_action=action,
            element=element,
            role=f.role,
            role_name=f.role_name,
            priority=priority,
            criterion=f.criterion,
            reference=f.reference,
            seqs=f.seqs,
            responsible=self.responsible(f.role),
        )

    def standing(self, f: Finding, score: CriterionScore | None) -> str:
        """How a finding stands, in HSEEP's letters only where an evaluator rated it."""
        letters = evaluator_letters(score) if score is not None else ""
        if letters:
            said = f"rated {letters} by the evaluators ({pct(f.score)}/100)"
        else:
            before = score.before_ceiling if score is not None else None
            worth = before if before is not None else (score.points if score else None)
            said = f"its decisions scored {pts(worth)} of {points(self.scale.high)}"
        if score is not None and score.ceiling is not None:
            said += f", held at {score.ceiling.rating} by the outcome"
        return said

    def timeliness(self) -> list[Improvement]:
        out = []
        for role in self.card.roles.values():
            t = role.timeliness
            if t.score is None or t.score >= TIMELY:
                continue
            counted = t.on_time + t.late + t.missed
            out.append(
                Improvement(
                    issue=f"{role.name} answered {t.on_time} of "
                    f"{plural(counted, 'required decision')} on time ({t.late} late, "
                    f"{t.missed} never answered)",
                    corrective_action=f"Name who decides and who drafts for {role.name}, with a "
                    "decision rhythm that meets inject due times; practise with "
                    "timed snap situations.",
                    element="Organization",
                    role=role.role,
                    role_name=role.name,
                    priority="High" if t.score < 50 else "Medium",
                    criterion=None,
                    reference=self._reference("problem.mobilize", "timeliness"),
                    seqs=list(t.seqs),
                    responsible=self.responsible(role.role),
                )
            )
        return out

    def coordination(self, facts: LogFacts, pairs: list[CoordinationPair]) -> list[Improvement]:
        """Pairs that had to decide on the same injects but never went past communication."""
        asked: dict[str, set[str]] = defaultdict(set)  # role -> the injects it had to answer
        for _, event, _ in facts.deliveries:
            for role in event.answer:
                asked[role].add(event.inject)
        out = []
        mandates = self.bundle.rubric.coordination
        for pair in pairs:
            a, b = pair.roles
            named = mandates.expectation(a, b)
            expected = spectrum.RANK[named.expected if named else mandates.expected]
            if pair.level > spectrum.COMMUNICATION or pair.level >= expected:
                continue
            common = sorted(asked[a] & asked[b])
            if not common:
                continue
            names = f"{self.labels.role(a)} with {self.labels.role(b)}"
            called = lower_first(spectrum.level(expected).title)
            out.append(
                Improvement(
                    issue=f"{self.labels.role(a)} and {self.labels.role(b)} received "
                    f"{plural(len(common), 'decision inject')} to answer together "
                    f"({listing(common[:4])}"
                    f"{', …' if len(common) > 4 else ''}) but stayed at "
                    f"{lower_first(pair.level_title)} where their mandates call for "
                    f"{called}",
                    corrective_action=f"Agree a coordination mechanism for {names} (liaison, "
                    f"shared situation picture, regular meeting) up to {called}, as "
                    f"{self._limits(a, b)} allow.",
                    element="Organization",
                    role=a,
                    role_name=names,
                    priority="Medium" if pair.level == spectrum.COEXISTENCE else "Low",
                    criterion=None,
                    reference=self._reference("engagement.comprehensive", "coordination"),
                    seqs=pair.seqs,
                    responsible=f"{self.responsible(a)}; {self.responsible(b)}",
                )
            )
        return out

    def responsible(self, role: str) -> str:
        """The party responsible for a seat's corrective actions: the training audience the
        role file says plays the seat (its ``audience``), with the seat; a role that names none
        gives the seat's trainees. The after-action meeting names the point of contact."""
        seat = short_name(self.labels.role(role))
        found = self.bundle.roles.get(role)
        if found is not None and found.audience:
            return f"{found.audience} ({seat} seat)"
        return f"Trainees at the {seat} seat"

    def _reference(self, tag: str, share: str) -> str:
        """The reference of a timeliness or coordination item: the doctrine tag when the rubric
        speaks the doctrine vocabulary (its criteria carry tags), else the rubric's own part."""
        rubric = self.bundle.rubric
        if any(c.tags for c in rubric.criteria.values()):
            return _ref(tag)
        return f"Rubric '{rubric.id}', {share}"

    def _limits(self, *roles: str) -> str:
        """What bounds how far roles integrate, in the scenario's own terms: their mandates,
        and the principles the roles that declare some hold to (a humanitarian team's
        neutrality), never a principle no role of this scenario names."""
        bound = [
            f"{self.labels.role(r)}'s {listing(list(found.principles[:3]))}"
            for r in roles
            if (found := self.bundle.roles.get(r)) is not None and found.principles
        ]
        return "their mandates" + (f" and {listing(bound)}" if bound else "")

    def exercise(self, facts: LogFacts) -> list[Improvement]:
        """Criteria an inject asked evaluators to watch that were never rated for a role that
        had to answer it."""
        # criterion -> role -> inject ids (dicts as ordered sets: a long log delivers thousands)
        gaps: dict[str, dict[str, dict[str, None]]] = defaultdict(lambda: defaultdict(dict))
        silent: dict[str, set[str]] = {}  # role -> the rubric criteria silent for it
        for _, event, _ in facts.deliveries:
            inject = self.index.injects.get(event.inject)
            if inject is None or not inject.expect:
                continue
            for role in event.answer:
                if role not in silent:
                    silent[role] = set(self.silent(list(self.index.criteria), role))
                for criterion_id in inject.expect:
                    if criterion_id in silent[role]:
                        gaps[criterion_id][role][inject.id] = None
        out = []
        for criterion_id, roles in sorted(gaps.items()):
            injects = sorted({i for ids in roles.values() for i in ids})
            names = listing([self.labels.role(r) for r in roles])
            out.append(
                Improvement(
                    issue=f"{criterion_id} was expected on {listing(injects[:4])} but {names} "
                    f"{'was' if len(roles) == 1 else 'were'} never rated on it",
                    corrective_action=f"Brief evaluators to rate {criterion_id} when "
                    f"{injects[0]} is played, or give it options that score "
                    f"{criterion_id}.",
                    element="Exercise",
                    role="",
                    role_name=EXERCISE_STAFF,
                    priority="Low",
                    criterion=criterion_id,
                    reference="HSEEP: exercise evaluation guides",
                    seqs=[],
                    responsible=EXERCISE_STAFF,
                )
            )
        return out
