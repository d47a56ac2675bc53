"""Analysis by dimension and criterion: ratings, strengths and areas for improvement.

HSEEP asks for each strength and area for improvement to carry a reference and an analysis.
Here the reference is the criterion's doctrine source and the doctrine tags behind it, and the
analysis is written from the evidence itself: which options were chosen and when, what the
evaluators said, which critical criterion capped a dimension, which look-fors the recorded words
do not show. Nothing is said that the log does not back, and each finding lists its seqs.
"""

from __future__ import annotations

from exercise_engine.model.bundle import Bundle
from exercise_engine.model.doctrine import vocabulary
from exercise_engine.model.rubric import Criterion
from exercise_engine.report import lookfor, outcomes
from exercise_engine.report.model import (
    CriterionAnalysis,
    CriterionRating,
    Decision,
    DimensionAnalysis,
    DoctrineRef,
    EvaluatorView,
    EvidenceNote,
    Finding,
)
from exercise_engine.report.text import (
    Labels,
    duration,
    listing,
    lower_first,
    pct,
    points,
    quote,
)
from exercise_engine.scoring.evidence import BREACH, EVALUATOR, MISSED, OPTION, Item
from exercise_engine.scoring.scale import Scale
from exercise_engine.scoring.scorecard import CriterionScore, Scorecard

MAX_REFERENCES = 6
MAX_EVIDENCE = 8
SHOWN = 4


class Analyst:
    def __init__(
        self, bundle: Bundle, card: Scorecard, decisions: dict[int, Decision], labels: Labels
    ):
        self.bundle = bundle
        self.card = card
        self.decisions = decisions
        self.labels = labels
        self.scale = Scale(bundle.rubric)

    def dimensions(self) -> list[DimensionAnalysis]:
        return [
            DimensionAnalysis(
                d.id, d.title, d.weight, d.description, [self.criterion(c) for c in d.criteria]
            )
            for d in self.bundle.rubric.dimensions
        ]

    def criterion(self, criterion: Criterion) -> CriterionAnalysis:
        scores = [s for r in self.card.roles.values() if (s := r.criterion(criterion.id))]
        observed = [s for s in scores if s.observed]
        return CriterionAnalysis(
            id=criterion.id,
            title=criterion.title,
            weight=criterion.weight,
            critical=criterion.critical,
            doctrine=criterion.doctrine,
            references=self.references(criterion),
            look_for=list(criterion.look_for),
            ratings=[self.rating(s) for s in observed],
            not_observed=[s.role for s in scores if not s.observed],
            findings=[self.finding(criterion, s) for s in observed],
        )

    def rating(self, s: CriterionScore) -> CriterionRating:
        return CriterionRating(
            s.role,
            self.labels.role(s.role),
            s.rating,
            s.score,
            s.option_points,
            s.evaluator_points,
            [
                EvaluatorView(
                    e.evaluator, e.rating, e.score, list(e.codes), list(e.notes), list(e.seqs)
                )
                for e in s.evaluators
            ],
            s.caps,
            list(s.seqs),
            s.ceiling.rating if s.ceiling else None,
        )

    @staticmethod
    def references(criterion: Criterion) -> list[DoctrineRef]:
        """The doctrine behind the criterion's own tags (an inject's tags describe the
        situation, not the capability rated)."""
        refs: dict[str, DoctrineRef] = {}
        vocab = vocabulary()
        for name in criterion.tags:
            tag = vocab.resolve(name)
            if tag is not None and tag.id not in refs:
                refs[tag.id] = DoctrineRef(tag.id, tag.title, tag.ref, tag.summary)
            if len(refs) >= MAX_REFERENCES:
                break
        return list(refs.values())

    # -- findings -----------------------------------------------------------------------------

    def finding(self, criterion: Criterion, s: CriterionScore) -> Finding:
        assert s.points is not None and s.score is not None
        strength = self.scale.is_strength(s.points)
        role_name = self.labels.role(s.role)
        statement = f"{role_name}: {criterion.title} — {self.standing(s)}"
        decided = [i for i in s.items if i.source != EVALUATOR]
        rated = [i for i in s.items if i.source == EVALUATOR]
        texts = [self.words(i) for i in s.items]
        missed = lookfor.missing(criterion.look_for, texts)
        analysis = self.analysis(criterion, s, decided, rated)
        reference = criterion.doctrine or next((r.ref for r in self.references(criterion)), "")
        return Finding(
            kind="strength" if strength else "improvement",
            criterion=criterion.id,
            role=s.role,
            role_name=role_name,
            rating=s.rating,
            score=s.score,
            statement=statement,
            analysis=analysis,
            reference=reference,
            caps=s.caps,
            missed_look_fors=missed,
            evidence=[self.note(i) for i in s.items[:MAX_EVIDENCE]],
            seqs=list(s.seqs),
        )

    def standing(self, s: CriterionScore) -> str:
        """Where a criterion stands for a role, in HSEEP's words only where an evaluator rated
        it: "rated S by the evaluators (performed with some challenges), 67/100"; otherwise the
        engine's score, said to be one ("67/100 from the decisions; no evaluator rated it")."""
        letters = evaluator_letters(s)
        if not letters:
            return f"{pct(s.score)}/100 from the decisions; no evaluator rated it"
        label = f" ({lower_first(self.scale.label(letters))})" if "/" not in letters else ""
        return f"rated {letters} by the evaluators{label}, {pct(s.score)}/100"

    def analysis(
        self,
        criterion: Criterion,
        s: CriterionScore,
        decided: list[Item],
        rated: list[Item],
    ) -> str:
        """The finding's analysis, in sentences: the first decisions and ratings behind it (the
        evidence list and the seqs name them all), combination, cap. The look-fors the log
        does not show are a list of their own (``Finding.missed_look_fors``)."""
        parts = []
        if decided:
            parts.append(
                f"{self.labels.role(s.role)} "
                + "; ".join(self.note(i).text for i in decided[:SHOWN])
                + (f"; and {len(decided) - SHOWN} more" if len(decided) > SHOWN else "")
                + "."
            )
        if rated:
            parts.append(
                "; ".join(self.note(i).text for i in rated[:SHOWN])
                + (f"; and {len(rated) - SHOWN} more ratings" if len(rated) > SHOWN else "")
                + "."
            )
        if s.option_points is not None and s.evaluator_points is not None:
            parts.append(
                f"Option points {points(s.option_points)} and evaluator rating "
                f"{points(s.evaluator_points)} combine to {points(s.points)}, the "
                "evaluators weighing double."
            )
        if s.ceiling is not None:
            before = (
                f" (its decisions and ratings came to {points(s.before_ceiling)})"
                if s.before_ceiling is not None
                else ""
            )
            parts.append(
                f"Held at {s.ceiling.rating}{before} by what the situation came to: "
                + "; ".join(outcomes.sentences(s.ceiling.checks, self.labels))
                + "."
            )
        if s.lifted:
            parts.append(
                "An evaluator rated it after the outcome was known "
                f"({', '.join(f'#{q}' for q in s.lifted)}): the rating stands."
            )
        if s.caps:
            dimension = self.labels.index.dimension.get(criterion.id)
            parts.append(
                f"A critical criterion at the bottom of the scale: the "
                f"{dimension.title if dimension else ''} dimension is capped at "
                f"{self.bundle.rubric.critical_cap}."
            )
        return " ".join(parts)

    def note(self, item: Item) -> EvidenceNote:
        clock = self.labels.clock(item.t)
        if item.source == OPTION:
            decision = self.decisions.get(item.seq)
            text = f"chose {item.option} on {item.inject}"
            if decision is not None:
                text = (
                    f"chose {item.option} {quote(decision.option_text, 80)} on "
                    f"{item.inject} {quote(decision.inject_title, 60)} "
                    f"({pts(item.points)}, {timing(decision)})"
                )
            return EvidenceNote(item.seq, item.t, clock, text)
        if item.source == MISSED:
            title = self.labels.inject(item.inject or "")
            return EvidenceNote(
                item.seq,
                item.t,
                clock,
                f"left {item.inject} {quote(title, 60)} unanswered past its "
                f"due time ({pts(item.points)})",
            )
        if item.source == BREACH:
            title = self.labels.inject(item.inject or "")
            return EvidenceNote(
                item.seq,
                item.t,
                clock,
                f"shared sensitive {item.inject} {quote(title, 60)} with "
                f"{listing([self.labels.role(r) for r in item.to])}, "
                f"who may not receive it ({pts(item.points)})",
            )
        if item.points is None:
            return EvidenceNote(
                item.seq, item.t, clock, f"Evaluator {item.evaluator} marked it not observed"
            )
        said = f": {quote(item.note, 120)}" if item.note else ""
        on = f" on {item.inject}" if item.inject else ""
        return EvidenceNote(
            item.seq, item.t, clock, f"Evaluator {item.evaluator} rated {item.rating}{on}{said}"
        )

    def words(self, item: Item) -> str:
        """The recorded words that may evidence look-fors: only those of good performance."""
        if item.points is None or not self.scale.is_strength(item.points):
            return ""
        if item.source == EVALUATOR:
            return item.note
        decision = self.decisions.get(item.seq)
        if decision is None:
            return ""
        return " ".join((decision.option_text, decision.text, decision.rationale))


def pts(value: float | None) -> str:
    return f"{points(value)} pt" + ("" if value == 1 else "s")


def timing(decision: Decision) -> str:
    """``on time after 30m`` or ``30m late``: how a decision met its due time."""
    if decision.late and decision.due_s is not None:
        return f"{duration(decision.delay_s - decision.due_s)} late"
    if decision.late:
        return "late"
    return f"on time after {duration(decision.delay_s)}"


def highlights(findings: list[Finding], kind: str, count: int) -> list[Finding]:
    """The most telling findings of a kind: best strengths, or capped and lowest AFIs first."""
    chosen = [f for f in findings if f.kind == kind]
    if kind == "strength":
        chosen.sort(key=lambda f: (-f.score, f.criterion, f.role))
    else:
        chosen.sort(key=lambda f: (not f.caps, f.score, f.criterion, f.role))
    return chosen[:count]


def evaluator_letters(s: CriterionScore | CriterionRating) -> str:
    """The ratings evaluators gave a criterion for a role, as HSEEP letters ("S", or "S/M" when
    evaluators differ); "" when no evaluator's rating counted in it."""
    if s.evaluator_points is None:
        return ""
    return "/".join(dict.fromkeys(e.rating for e in s.evaluators))
