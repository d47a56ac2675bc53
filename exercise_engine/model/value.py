"""An option's value under a rubric: the one definition the bots, the AAR and explore share.

The value is what a well-advised trainee maximises. For each criterion the option scores that
applies to the responding role, take its points above (or below) the middle of the scale,
weighted by the criterion's and its dimension's weight, and add them up:

    value(option, role) = sum of criterion.weight x dimension.weight x (points - middle)

Why this form: scoring counts option points only for criteria that apply to the responding role
(docs/scoring.md), so points on any other criterion are worth nothing to that role; an option
that does well on two criteria lifts the score more than one that does as well on one; points
below the middle pull a criterion down whatever else the option does. An option that scores no
criterion of the role is worth 0, as the middle of the scale is. The `best` bot picks the
option of highest value, and the AAR names the option of highest value as the one the rubric
prefers when a decision chose one valued less: both ask this module, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

from exercise_engine.model.rubric import Rubric
from exercise_engine.model.scenario import ALL_ROLES, Option


class OptionValues:
    """Option values under one rubric; the weights and role lists are read once."""

    def __init__(self, rubric: Rubric):
        self.middle = (rubric.max_points + rubric.min_points) / 2
        self._weights: dict[str, float] = {}
        self._roles: dict[str, frozenset[str] | None] = {}
        for dimension in rubric.dimensions:
            for criterion in dimension.criteria:
                self._weights[criterion.id] = criterion.weight * dimension.weight
                self._roles[criterion.id] = (
                    None if ALL_ROLES in criterion.roles else frozenset(criterion.roles)
                )

    def applies(self, criterion_id: str, role: str) -> bool:
        """Whether a criterion of the rubric applies to a role (``roles: [all]`` or named)."""
        if criterion_id not in self._roles:
            return False
        roles = self._roles[criterion_id]
        return roles is None or role in roles

    def of(self, option: Option, role: str) -> float:
        """The option's value when ``role`` chooses it (0: no criterion of the role scored)."""
        total = 0.0
        for criterion_id, points in option.scores.items():
            if self.applies(criterion_id, role):
                total += self._weights[criterion_id] * (points - self.middle)
        return total

    def best(self, options: Sequence[Option], role: str) -> tuple[Option, float] | None:
        """The option of highest value for ``role`` with its value (the first of equals)."""
        found: tuple[Option, float] | None = None
        for option in options:
            value = self.of(option, role)
            if found is None or value > found[1]:
                found = option, value
        return found
