"""From evidence to scores: criteria, dimensions with critical caps, roles, phases, overall.

The rules are documented for evaluators in docs/scoring.md; the constants below are the ones it
names. The same functions score the whole exercise and each phase (on the evidence of that
phase only), so a phase score is never computed by a different rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from statistics import fmean

from exercise_engine.model.bundle import Bundle
from exercise_engine.model.rubric import Criterion, Dimension
from exercise_engine.model.scenario import PLAY_PHASES
from exercise_engine.scoring import spectrum
from exercise_engine.scoring.evidence import (
    EVALUATOR,
    LATE,
    ON_TIME,
    OVERDUE,
    PENDING,
    Answer,
    Evidence,
    Item,
    Link,
)
from exercise_engine.scoring.outcomes import OutcomeCap, OutcomeCheck, ceiling, read_outcomes
from exercise_engine.scoring.scale import Scale
from exercise_engine.scoring.scorecard import (
    Cap,
    Coordination,
    CriterionScore,
    DimensionScore,
    EvaluatorRating,
    PairLevel,
    PhaseScore,
    RoleScore,
    Scorecard,
    Timeliness,
)

EVALUATOR_WEIGHT = 2.0
"""An evaluator's combined rating weighs twice the automatic option points of a criterion."""
OPTION_WEIGHT = 1.0


def seqs_of(*groups: Iterable[int]) -> tuple[int, ...]:
    """The distinct seqs of ``groups``, in log order."""
    return tuple(sorted(set().union(*groups)))


class Aggregator:
    """Scores one bundle's evidence; ``scorecard()`` is the whole result."""

    def __init__(self, bundle: Bundle, evidence: Evidence):
        self.bundle = bundle
        self.rubric = bundle.rubric
        self.scale = Scale(bundle.rubric)
        self.evidence = evidence
        cap = self.rubric.critical_cap
        self.cap_points = self.scale.points(cap) if cap else None
        self.checks, self.unmeasured = read_outcomes(bundle, self.scale, evidence.checkpoints)
        self.rated_last: dict[tuple[str, str], int] = {}
        """(role, criterion) -> seq of the last evaluator rating (N/O excluded): a rating given
        after an outcome was read is a judgement made knowing it."""
        for item in evidence.items:
            if item.source == EVALUATOR and item.points is not None:
                key = (item.role, item.criterion)
                self.rated_last[key] = max(item.seq, self.rated_last.get(key, 0))

    def scorecard(self) -> Scorecard:
        ev = self.evidence
        roles = self.roles(ev.items, list(ev.answers.values()), ev.links, self.checks)
        items: dict[str, list[Item]] = defaultdict(list)
        for item in ev.items:
            items[item.phase].append(item)
        answers: dict[str, list[Answer]] = defaultdict(list)
        for answer in ev.answers.values():
            answers[answer.phase].append(answer)
        links: dict[str, list[Link]] = defaultdict(list)
        for link in ev.links:
            links[link.phase].append(link)
        checks: dict[str, list[OutcomeCheck]] = defaultdict(list)
        for check in self.checks:
            checks[check.phase].append(check)
        phases = {}
        for phase in self.phases():
            subset = self.roles(items[phase], answers[phase], links[phase], checks[phase])
            overall, cap = self.capped(self.overall(subset), checks[phase])
            phases[phase] = PhaseScore(
                phase,
                overall,
                subset,
                seqs_of(*(r.seqs for r in subset.values()), cap.seqs if cap else ()),
                cap,
            )
        overall, cap = self.capped(self.overall(roles), self.checks)
        evaluators = sorted({i.evaluator for i in ev.items if i.evaluator})
        return Scorecard(
            rubric=self.rubric.id,
            overall=overall if overall is not None else 0.0,
            rating=self.scale.code_of(self.scale.points_of(overall))
            if overall is not None
            else self.scale.not_observed,
            observed=overall is not None,
            roles=roles,
            phases=phases,
            evaluators=tuple(evaluators),
            ignored=(*ev.ignored, *self.unmeasured),
            seqs=seqs_of(*(r.seqs for r in roles.values()), cap.seqs if cap else ()),
            last_seq=ev.last_seq,
            outcomes=tuple(self.checks),
            cap=cap,
            breaches=tuple(ev.breaches),
        )

    def capped(
        self, overall: float | None, checks: Sequence[OutcomeCheck]
    ) -> tuple[float | None, OutcomeCap | None]:
        """The overall score under the rubric's ``outcome_cap``, held there by every outcome at
        the bottom of the scale that some answerable role's evaluators have not rated since."""
        level = self.rubric.outcome_cap
        points = self.scale.points(level) if level else None
        if overall is None or points is None:
            return overall, None
        failed = tuple(
            c
            for c in checks
            if c.points is not None and self.scale.at_bottom(c.points) and self.stands(c)
        )
        if not failed:
            return overall, None
        score = self.scale.normalise(points)
        seqs = seqs_of(*(c.seqs for c in failed))
        return min(overall, score), OutcomeCap(level or "", score, overall, failed, seqs)

    def stands(self, check: OutcomeCheck) -> bool:
        """A failed outcome holds unless every role answerable for its criterion was rated on
        it by an evaluator after it was read."""
        applies, criterion = self.evidence.index.applies, check.criterion
        answerable = [r for r in self.evidence.roles if applies(criterion, r)]
        return any(self.rated_last.get((r, criterion), 0) < check.seq for r in answerable)

    def phases(self) -> list[str]:
        entered = {p for p, _, _ in self.evidence.phases}
        entered |= {i.phase for i in self.evidence.items}
        return [p for p in PLAY_PHASES if p in entered]

    @staticmethod
    def overall(roles: dict[str, RoleScore]) -> float | None:
        totals = [r.total for r in roles.values() if r.total is not None]
        return fmean(totals) if totals else None

    # -- roles --------------------------------------------------------------------------------

    def roles(
        self,
        items: Sequence[Item],
        answers: Sequence[Answer],
        links: Sequence[Link],
        checks: Sequence[OutcomeCheck],
    ) -> dict[str, RoleScore]:
        by_role: dict[str, list[Item]] = defaultdict(list)
        for item in items:
            by_role[item.role].append(item)
        answers_by_role: dict[str, list[Answer]] = defaultdict(list)
        for answer in answers:
            answers_by_role[answer.role].append(answer)
        pairs = pair_levels(links)
        outcomes: dict[str, list[OutcomeCheck]] = defaultdict(list)
        for check in checks:
            outcomes[check.criterion].append(check)
        return {
            role: self.role(role, by_role[role], answers_by_role[role], pairs, outcomes)
            for role in self.evidence.roles
        }

    def role(
        self,
        role: str,
        items: list[Item],
        answers: list[Answer],
        pairs: Pairs,
        outcomes: dict[str, list[OutcomeCheck]],
    ) -> RoleScore:
        by_criterion: dict[str, list[Item]] = defaultdict(list)
        for item in items:
            by_criterion[item.criterion].append(item)
        dimensions = tuple(
            self.dimension(d, role, by_criterion, outcomes) for d in self.rubric.dimensions
        )
        observed = [d for d in dimensions if d.score is not None]
        decisions = _weighted([(d.score, d.weight) for d in observed])
        timeliness = self.timeliness(answers)
        coordination = self.coordination(role, pairs)
        parts = {
            "decisions": (
                decisions,
                1 - self.rubric.timeliness.weight - self.rubric.coordination.weight,
            ),
            "timeliness": (timeliness.score, self.rubric.timeliness.weight),
            "coordination": (coordination.score, self.rubric.coordination.weight),
        }
        active = decisions is not None or timeliness.score is not None or bool(coordination.seqs)
        used = {k: (s, w) for k, (s, w) in parts.items() if s is not None and w > 0}
        if not active:
            used = {}
        total_weight = sum(w for _, w in used.values())
        total = sum(s * w for s, w in used.values()) / total_weight if total_weight else None
        shares = {k: w / total_weight for k, (_, w) in used.items()} if total_weight else {}
        name = self.bundle.role_name(role)
        return RoleScore(
            role,
            name,
            total,
            decisions,
            timeliness,
            coordination,
            dimensions,
            shares,
            seqs_of(*(d.seqs for d in dimensions), timeliness.seqs, coordination.seqs),
        )

    # -- dimensions and criteria --------------------------------------------------------------

    def dimension(
        self,
        dimension: Dimension,
        role: str,
        by_criterion: dict[str, list[Item]],
        outcomes: dict[str, list[OutcomeCheck]],
    ) -> DimensionScore:
        applies = self.evidence.index.applies
        criteria = tuple(
            self.criterion(
                c,
                dimension.id,
                role,
                by_criterion.get(c.id, []),
                outcomes.get(c.id, []) if applies(c.id, role) else [],
            )
            for c in dimension.criteria
            if by_criterion.get(c.id) or applies(c.id, role)
        )
        observed = [c for c in criteria if c.score is not None]
        uncapped = _weighted([(c.score, c.weight) for c in observed])
        cap = None
        capping = [c for c in observed if c.caps]
        if capping and self.cap_points is not None and uncapped is not None:
            cap = Cap(
                tuple(c.id for c in capping),
                self.rubric.critical_cap or "",
                self.scale.normalise(self.cap_points),
                seqs_of(*(c.cap_seqs for c in capping)),
            )
        score = min(uncapped, cap.score) if cap is not None and uncapped is not None else uncapped
        return DimensionScore(
            dimension.id,
            dimension.title,
            dimension.weight,
            score,
            uncapped,
            cap,
            criteria,
            seqs_of(*(c.seqs for c in criteria)),
        )

    def criterion(
        self,
        criterion: Criterion,
        dimension: str,
        role: str,
        items: list[Item],
        outcomes: Sequence[OutcomeCheck] = (),
    ) -> CriterionScore:
        rated = [i for i in items if i.source == EVALUATOR and i.points is not None]
        automatic = [i for i in items if i.source != EVALUATOR]
        evaluators = self.evaluator_ratings(rated)
        # fmean of lists, not generators: the same sum, without counting through a generator
        rated_points = [e.points for e in evaluators if e.points is not None]
        option_points_of = [i.points for i in automatic if i.points is not None]
        evaluator_points = fmean(rated_points) if rated_points else None
        option_points = fmean(option_points_of) if option_points_of else None
        points = _weighted([(evaluator_points, EVALUATOR_WEIGHT), (option_points, OPTION_WEIGHT)])
        deciding = rated or automatic
        bottom = [
            i.seq for i in deciding if i.points is not None and self.scale.at_bottom(i.points)
        ]
        # Outcomes hold an observed criterion down; never raise it, never observe it alone.
        last = self.rated_last.get((role, criterion.id), 0)
        failed = [c for c in outcomes if c.failed]
        lifted = tuple(sorted({i.seq for i in rated for c in failed if i.seq > c.seq}))
        limit = None if points is None else ceiling(self.scale, [c for c in failed if c.seq > last])
        before = None
        if limit is not None and points is not None:
            if points > limit.points:
                before, points = points, limit.points
            if self.scale.at_bottom(limit.points):
                bottom += [c.seq for c in limit.checks]
        caps = criterion.critical and bool(bottom) and self.cap_points is not None
        return CriterionScore(
            id=criterion.id,
            title=criterion.title,
            dimension=dimension,
            role=role,
            weight=criterion.weight,
            critical=criterion.critical,
            points=points,
            score=self.scale.normalise(points) if points is not None else None,
            rating=self.scale.code_of(points) if points is not None else self.scale.not_observed,
            option_points=option_points,
            evaluator_points=evaluator_points,
            evaluators=evaluators,
            caps=caps,
            cap_seqs=tuple(bottom) if caps else (),
            items=tuple(items),
            seqs=tuple(
                sorted(
                    {i.seq for i in items if i.points is not None}
                    | {q for c in (limit.checks if limit else ()) for q in c.seqs}
                )
            ),
            outcomes=tuple(outcomes),
            ceiling=limit,
            before_ceiling=before,
            lifted=lifted,
        )

    def evaluator_ratings(self, rated: list[Item]) -> tuple[EvaluatorRating, ...]:
        by_evaluator: dict[str, list[Item]] = defaultdict(list)
        for item in rated:
            by_evaluator[item.evaluator or ""].append(item)
        out = []
        for name in sorted(by_evaluator):
            mine = by_evaluator[name]
            points = fmean([i.points for i in mine if i.points is not None])
            out.append(
                EvaluatorRating(
                    name,
                    points,
                    self.scale.normalise(points),
                    self.scale.code_of(points),
                    tuple(i.rating or "" for i in mine),
                    tuple(i.note for i in mine if i.note),
                    tuple(i.seq for i in mine),
                )
            )
        return tuple(out)

    # -- timeliness and coordination ----------------------------------------------------------

    def timeliness(self, answers: list[Answer]) -> Timeliness:
        counts = {ON_TIME: 0, LATE: 0, OVERDUE: 0, PENDING: 0}
        counted = 0
        seqs: set[int] = set()
        ended = self.evidence.ended
        for answer in answers:
            # Answer.status and .seqs inlined: a long log asks tens of thousands of answers.
            # An answer still missing at ENDEX counts against the role, like an overdue one.
            if answer.response_seq is not None:
                status = LATE if answer.late else ON_TIME
            elif answer.overdue_seq is not None or ended:
                status = OVERDUE
            else:
                status = PENDING
            counts[status] += 1
            if status != PENDING:
                counted += 1
                seqs.add(answer.delivered_seq)
                if answer.overdue_seq is not None:
                    seqs.add(answer.overdue_seq)
                if answer.response_seq is not None:
                    seqs.add(answer.response_seq)
        score = counts[ON_TIME] / counted * 100 if counted else None
        answers = sorted(answers, key=_delivered_seq)
        return Timeliness(
            len(answers),
            counts[ON_TIME],
            counts[LATE],
            counts[OVERDUE],
            counts[PENDING],
            score,
            tuple(answers),
            tuple(sorted(seqs)),
        )

    def coordination(self, role: str, pairs: Pairs) -> Coordination:
        """Each other role at the level reached, credited up to the level the two mandates call
        for; the score is the mean credit over the pairs for which any level is called for."""
        found = []
        rubric = self.rubric.coordination
        for other in dict.fromkeys(self.evidence.roles):
            if other == role:
                continue
            rank, seqs = pairs.get(spectrum.pair(role, other), (spectrum.COEXISTENCE, []))
            info = spectrum.level(rank)
            named = rubric.expectation(role, other)
            expected = spectrum.RANK[named.expected if named else rubric.expected]
            why = named.description.strip() if named else ""
            found.append(PairLevel(other, rank, info.id, info.title, tuple(seqs), expected, why))
        credits = [p.credit for p in found if p.credit is not None]
        score = fmean(credits) if credits else None
        return Coordination(score, tuple(found), seqs_of(*(p.seqs for p in found)))


Pairs = dict[tuple[str, str], tuple[int, list[int]]]


def pair_levels(links: Iterable[Link]) -> Pairs:
    """Each pair of roles with the highest level its links reach and the seqs reaching it.

    Worked out once for all roles (each role's coordination reads its pairs from it): a long
    log has tens of thousands of links.
    """
    best: Pairs = {}
    for link in links:
        found = best.get(link.pair)
        if found is None or link.level > found[0]:
            if link.level >= spectrum.COEXISTENCE:
                best[link.pair] = (link.level, [link.seq])
        elif link.level == found[0]:
            found[1].append(link.seq)
    return best


def _delivered_seq(answer: Answer) -> int:
    return answer.delivered_seq


def _weighted(values: Iterable[tuple[float | None, float]]) -> float | None:
    pairs = [(v, w) for v, w in values if v is not None and w > 0]
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if total else None
