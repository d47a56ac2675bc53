"""The scorecard: scores per role, dimension, criterion and phase, each with its evidence.

Every score is 0-100 (rubric points normalised, see ``scale.py``) or None when nothing was
observed; every score carries ``seqs``, the sequence numbers of the events it was computed from,
so a report can cite them and an evaluator can check any number against the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from exercise_engine.scoring.evidence import Answer, Breach, Ignored, Item
from exercise_engine.scoring.outcomes import Ceiling, OutcomeCap, OutcomeCheck


@dataclass(frozen=True)
class EvaluatorRating:
    """One evaluator's view of one criterion of one role (several evaluators are kept apart)."""

    evaluator: str
    points: float
    score: float
    rating: str
    codes: tuple[str, ...]
    notes: tuple[str, ...]
    seqs: tuple[int, ...]


@dataclass(frozen=True)
class CriterionScore:
    id: str
    title: str
    dimension: str
    role: str
    weight: float
    critical: bool
    points: float | None
    score: float | None
    rating: str
    """The nearest scale code, or the rubric's not-observed code."""
    option_points: float | None
    evaluator_points: float | None
    evaluators: tuple[EvaluatorRating, ...]
    caps: bool
    """A critical criterion with a rating at the bottom of the scale: it caps its dimension."""
    cap_seqs: tuple[int, ...]
    items: tuple[Item, ...]
    seqs: tuple[int, ...]
    outcomes: tuple[OutcomeCheck, ...] = ()
    """The rubric's outcomes of this criterion read in scope (passed or not)."""
    ceiling: Ceiling | None = None
    """The outcome that held ``points`` down, when it did."""
    before_ceiling: float | None = None
    """The points before the ceiling (None when no ceiling applied)."""
    lifted: tuple[int, ...] = ()
    """Evaluator ratings given after a failed outcome was read: their judgement stands."""

    @property
    def observed(self) -> bool:
        return self.points is not None

    @property
    def not_observed_seqs(self) -> tuple[int, ...]:
        return tuple(i.seq for i in self.items if i.source == "evaluator" and i.points is None)


@dataclass(frozen=True)
class Cap:
    """A dimension held at the rubric's ``critical_cap`` level by critical criteria."""

    criteria: tuple[str, ...]
    level: str
    score: float
    seqs: tuple[int, ...]


@dataclass(frozen=True)
class DimensionScore:
    id: str
    title: str
    weight: float
    score: float | None
    uncapped: float | None
    cap: Cap | None
    criteria: tuple[CriterionScore, ...]
    seqs: tuple[int, ...]

    @property
    def observed(self) -> bool:
        return self.score is not None


@dataclass(frozen=True)
class Timeliness:
    """Required answers given before they were due, out of those that counted."""

    asked: int
    on_time: int
    late: int
    missed: int
    pending: int
    score: float | None
    answers: tuple[Answer, ...]
    seqs: tuple[int, ...]


@dataclass(frozen=True)
class PairLevel:
    """The highest integration-spectrum level a role reached with one other role, against the
    level the two roles' mandates call for (the rubric's ``coordination.pairs``)."""

    other: str
    level: int
    id: str
    title: str
    seqs: tuple[int, ...]
    expected: int = 4
    """The level credited at most; 0 (coexistence): none is called for, the pair is not scored."""
    why: str = ""
    """The rubric's reason for ``expected``, when it names the pair."""

    @property
    def credit(self) -> float | None:
        """0-100: the level reached, up to the one expected, as a share of it."""
        if not self.expected:
            return None
        return min(self.level, self.expected) / self.expected * 100


@dataclass(frozen=True)
class Coordination:
    score: float | None
    pairs: tuple[PairLevel, ...]
    seqs: tuple[int, ...]


@dataclass(frozen=True)
class RoleScore:
    role: str
    name: str
    total: float | None
    decisions: float | None
    """The rubric part: dimension scores weighted by dimension weight."""
    timeliness: Timeliness
    coordination: Coordination
    dimensions: tuple[DimensionScore, ...]
    shares: dict[str, float]
    """The weight each part actually carried in ``total`` (parts not observed carry none)."""
    seqs: tuple[int, ...]

    @property
    def observed(self) -> bool:
        return self.total is not None

    def dimension(self, dimension_id: str) -> DimensionScore | None:
        return next((d for d in self.dimensions if d.id == dimension_id), None)

    def criterion(self, criterion_id: str) -> CriterionScore | None:
        return self._criteria.get(criterion_id)

    @cached_property
    def _criteria(self) -> dict[str, CriterionScore]:
        return {c.id: c for d in self.dimensions for c in d.criteria}


@dataclass(frozen=True)
class PhaseScore:
    phase: str
    overall: float | None
    roles: dict[str, RoleScore]
    seqs: tuple[int, ...]
    cap: OutcomeCap | None = None
    """The phase's overall held by an outcome at the bottom of the scale at the phase's end."""


@dataclass(frozen=True)
class Scorecard:
    rubric: str
    overall: float
    """The exercise's score across roles, 0-100 (0 when nothing was observed)."""
    rating: str
    observed: bool
    roles: dict[str, RoleScore]
    phases: dict[str, PhaseScore]
    evaluators: tuple[str, ...]
    ignored: tuple[Ignored, ...]
    seqs: tuple[int, ...]
    last_seq: int
    """The last event scored: a live scorecard is provisional up to this point."""
    outcomes: tuple[OutcomeCheck, ...] = ()
    """Every outcome of the rubric read at every checkpoint it counts at."""
    cap: OutcomeCap | None = None
    """The overall held at the rubric's ``outcome_cap`` by an outcome at the bottom."""
    breaches: tuple[Breach, ...] = ()
    """Sensitive injects shared beyond who may receive them (each scored against its sender)."""
