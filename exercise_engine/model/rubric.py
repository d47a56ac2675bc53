"""Rubrics (``exercise-rubric/1``): the doctrine criteria decisions are scored against."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, PrivateAttr, model_validator

from exercise_engine.model.common import Content, Id, Line, Meta, Number, Text, VariableName

Weight = Annotated[float, Field(ge=0, le=100)]
Share = Annotated[float, Field(ge=0, le=1)]


class ScaleLevel(Content):
    code: Annotated[str, Field(min_length=1, max_length=8)]
    points: float
    label: Line
    description: Text = ""


class NotObserved(Content):
    """Extension: the rating for 'not observed', excluded from scores (HSEEP N/O)."""

    code: Annotated[str, Field(min_length=1, max_length=8)] = "N/O"
    label: Line = "Not observed"


OutcomeMeasure = Literal["value", "share_of_range", "ratio_to_start"]
OutcomeMoment = Literal["endex", "phase_end"]


class Threshold(Content):
    """Extension: a rating an outcome allows at most, when the measured value is past a bound."""

    rating: Annotated[str, Field(min_length=1, max_length=8)]
    """The highest rating the criterion may have when the bound holds (a scale code)."""
    at_most: Number | None = None
    """The bound holds when the measured value is at most this."""
    at_least: Number | None = None
    """The bound holds when the measured value is at least this."""

    @model_validator(mode="after")
    def _one_bound(self) -> Threshold:
        if (self.at_most is None) == (self.at_least is None):
            raise ValueError("a threshold has exactly one of 'at_most' or 'at_least'")
        return self

    @property
    def bound(self) -> float:
        return self.at_most if self.at_most is not None else self.at_least  # type: ignore[return-value]

    def holds(self, measured: float) -> bool:
        if self.at_most is not None:
            return measured <= self.at_most
        return measured >= self.bound


class Outcome(Content):
    """Extension: a situation variable the criterion answers for, read against thresholds at
    ENDEX or at the end of each play phase (docs/scoring.md, "Outcomes")."""

    variable: VariableName
    """A scenario variable; a scenario without it leaves this outcome out."""
    measure: OutcomeMeasure = "value"
    """value: the variable itself; share_of_range: 0 at its min, 1 at its max; ratio_to_start:
    the value over its value at STARTEX."""
    at: OutcomeMoment = "endex"
    """endex: the situation when play ends; phase_end: at the end of every play phase (a
    massacre in the react phase counts even if calm returns)."""
    thresholds: list[Threshold] = Field(min_length=1)
    description: Text = ""
    """Why this outcome measures the criterion (shown with the outcome in the AAR)."""

    @model_validator(mode="after")
    def _bounds_fit_the_measure(self) -> Outcome:
        for threshold in self.thresholds:
            bound = threshold.bound
            if self.measure == "share_of_range" and not 0 <= bound <= 1:
                raise ValueError(
                    f"a share_of_range bound lies between 0 and 1 (0 at the variable's min, "
                    f"1 at its max), not {bound:g}"
                )
            if self.measure == "ratio_to_start" and bound < 0:
                raise ValueError(f"a ratio_to_start bound is 0 or more, not {bound:g}")
        return self

    def measured(
        self, value: float, initial: float, low: float | None, high: float | None
    ) -> float | None:
        """The measure of ``value``, or None when the variable does not allow it (no range,
        or a ratio to a start of 0)."""
        if self.measure == "value":
            return value
        if self.measure == "share_of_range":
            if low is None or high is None or high <= low:
                return None
            return (value - low) / (high - low)
        return value / initial if initial > 0 else None


class Criterion(Content):
    id: Id
    title: Line
    doctrine: Line = ""
    roles: list[Id] = ["all"]
    weight: Weight = 1
    look_for: list[Text] = []
    tags: list[str] = []
    """Extension: doctrine tags this criterion assesses."""
    critical: bool = False
    """Extension: a rating at the bottom of the scale caps the whole dimension."""
    outcomes: list[Outcome] = []
    """Extension: situation variables whose values cap this criterion's rating."""


class Dimension(Content):
    id: Id
    title: Line
    weight: Weight = 1
    description: Text = ""
    criteria: list[Criterion] = Field(min_length=1)


class ScoreShare(Content):
    weight: Share = 0
    description: Text = ""


IntegrationLevel = Literal[
    "coexistence", "communication", "information-sharing", "formal-coordination", "cooperation"
]
"""The integration spectrum (Operationalizing R2P, Comprehensive engagement), lowest first."""


class PairExpectation(Content):
    """Extension: the level of integration two roles' mandates call for."""

    roles: list[Id] = Field(min_length=2, max_length=2)
    expected: IntegrationLevel
    """The highest level credited between them; `coexistence`: none is called for."""
    description: Text = ""
    """Why their mandates call for this level (shown in the AAR)."""

    @model_validator(mode="after")
    def _two_roles(self) -> PairExpectation:
        if self.roles[0] == self.roles[1]:
            raise ValueError("a pair names two different roles")
        if "all" in self.roles:
            raise ValueError("a pair names two roles, not 'all' (set 'expected' for the rest)")
        return self


class CoordinationShare(ScoreShare):
    expected: IntegrationLevel = "cooperation"
    """Extension: the level credited at most between roles no `pairs` entry names."""
    pairs: list[PairExpectation] = []
    """Extension: the level each pair of roles' mandates call for, where it differs."""
    breach: list[Id] = []
    """Extension: criteria scored at the bottom of the scale for a role that shares a sensitive
    inject beyond who may receive it."""

    @model_validator(mode="after")
    def _pairs_once(self) -> CoordinationShare:
        seen: set[frozenset[str]] = set()
        for pair in self.pairs:
            key = frozenset(pair.roles)
            if key in seen:
                raise ValueError(f"the pair {' and '.join(pair.roles)} is named twice")
            seen.add(key)
        return self

    def expectation(self, a: str, b: str) -> PairExpectation | None:
        """The entry naming the pair (either order), if any."""
        key = {a, b}
        return next((p for p in self.pairs if set(p.roles) == key), None)


class Rubric(Content):
    format: Literal["exercise-rubric/1"]
    id: Id
    title: Line
    description: Text = ""
    population: Line = ""
    """Extension: who the exercise protects, as the AAR names them ("civilians"); without it
    the AAR says better or worse without saying for whom."""
    meta: Meta = Meta()
    """Extension: the designer's own record (author, source, licence, tags, debrief notes)."""
    scale: list[ScaleLevel] = Field(min_length=2)
    not_observed: NotObserved = NotObserved()
    dimensions: list[Dimension] = Field(min_length=1)
    timeliness: ScoreShare = ScoreShare()
    coordination: CoordinationShare = CoordinationShare()
    """Extension: share of a role's score from coordination along the integration spectrum,
    and the level each pair of roles' mandates call for."""
    critical_cap: str | None = None
    """Extension: scale code a dimension is capped at when a critical criterion is rated lowest."""
    outcome_cap: str | None = None
    """Extension: scale code the exercise's overall score is capped at when an outcome falls to
    the bottom of the scale."""
    _criteria: dict[str, Criterion] = PrivateAttr(default_factory=dict)
    _dimension: dict[str, Dimension] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Rubric:
        codes = [level.code for level in self.scale]
        if len(set(codes)) != len(codes):
            raise ValueError("scale codes must be unique")
        points = [level.points for level in self.scale]
        if points != sorted(points, reverse=True) or len(set(points)) != len(points):
            raise ValueError("scale levels are listed highest first, with distinct points")
        if self.not_observed.code in codes:
            raise ValueError(f"'{self.not_observed.code}' is both a scale code and 'not observed'")
        for name in ("critical_cap", "outcome_cap"):
            cap = getattr(self, name)
            if cap is not None and cap not in codes:
                raise ValueError(f"{name} '{cap}' is not a scale code ({', '.join(codes)})")
        if self.timeliness.weight + self.coordination.weight >= 1:
            raise ValueError("timeliness and coordination weights together must stay below 1")
        return self

    def model_post_init(self, _context: object) -> None:
        self._criteria = {c.id: c for d in self.dimensions for c in d.criteria}
        self._dimension = {c.id: d for d in self.dimensions for c in d.criteria}

    @property
    def criteria(self) -> dict[str, Criterion]:
        return self._criteria

    def dimension_of(self, criterion_id: str) -> Dimension | None:
        return self._dimension.get(criterion_id)

    @property
    def max_points(self) -> float:
        return self.scale[0].points

    @property
    def min_points(self) -> float:
        return self.scale[-1].points

    def level(self, code: str) -> ScaleLevel | None:
        return next((lv for lv in self.scale if lv.code == code), None)
