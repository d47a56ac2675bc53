"""Rubrics (``exercise-rubric/1``): the doctrine criteria decisions are scored against."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, PrivateAttr, model_validator

from exercise_engine.model.common import Content, Id, Line, Text

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


class Dimension(Content):
    id: Id
    title: Line
    weight: Weight = 1
    description: Text = ""
    criteria: list[Criterion] = Field(min_length=1)


class ScoreShare(Content):
    weight: Share = 0
    description: Text = ""


class Rubric(Content):
    format: Literal["exercise-rubric/1"]
    id: Id
    title: Line
    description: Text = ""
    scale: list[ScaleLevel] = Field(min_length=2)
    not_observed: NotObserved = NotObserved()
    dimensions: list[Dimension] = Field(min_length=1)
    timeliness: ScoreShare = ScoreShare()
    coordination: ScoreShare = ScoreShare()
    """Extension: share of a role's score from coordination along the integration spectrum."""
    critical_cap: str | None = None
    """Extension: scale code a dimension is capped at when a critical criterion is rated lowest."""
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
        if self.critical_cap is not None and self.critical_cap not in codes:
            raise ValueError(
                f"critical_cap '{self.critical_cap}' is not a scale code ({', '.join(codes)})"
            )
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
