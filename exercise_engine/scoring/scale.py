"""The rubric scale as scoring uses it: points to 0-100 and back to a rating code.

Option points and evaluator ratings both live on the rubric's scale (P=4 .. U=1 in the shipped
rubric); every score shown to people is the same points normalised to 0-100, so that scores of
rubrics with different scales read alike and a score can always be turned back into the nearest
rating an evaluator would recognise.
"""

from __future__ import annotations

from exercise_engine.model.rubric import Rubric

EPSILON = 1e-9


class Scale:
    """The points range and levels of one rubric, with the conversions scoring needs."""

    def __init__(self, rubric: Rubric):
        self.rubric = rubric
        self.low = rubric.min_points
        self.high = rubric.max_points
        self.not_observed = rubric.not_observed.code
        self._ascending = sorted(rubric.scale, key=lambda lv: lv.points)
        self._points = {lv.code: lv.points for lv in rubric.scale}
        points = [lv.points for lv in self._ascending]
        self._middle = (points[(len(points) - 1) // 2] + points[len(points) // 2]) / 2
        self._codes: dict[float, str] = {}

    def normalise(self, points: float) -> float:
        """Points on the scale to 0-100: ``(p - min) / (max - min) * 100``, clamped."""
        span = self.high - self.low
        value = (points - self.low) / span * 100 if span else 100.0
        return min(100.0, max(0.0, value))

    def points_of(self, score: float) -> float:
        """A 0-100 score back to points on the scale."""
        return self.low + score / 100 * (self.high - self.low)

    def clamp(self, points: float) -> float:
        """Option points outside the scale (a re-score with a narrower rubric) are clamped."""
        return min(self.high, max(self.low, points))

    def points(self, code: str) -> float | None:
        """The points of a rating code; None for 'not observed' or an unknown code."""
        return self._points.get(code)

    def code_of(self, points: float) -> str:
        """The rating whose points are nearest (ties go to the lower rating: be conservative).

        Kept per value: points come from a few option and rating values, and the AAR asks for
        the rating of each of tens of thousands of items."""
        code = self._codes.get(points)
        if code is None:
            code = min(self._ascending, key=lambda lv: abs(lv.points - points)).code
            self._codes[points] = code
        return code

    def label(self, code: str) -> str:
        if code == self.not_observed:
            return self.rubric.not_observed.label
        level = self.rubric.level(code)
        return level.label if level is not None else code

    def at_bottom(self, points: float) -> bool:
        return points <= self.low + EPSILON

    def is_strength(self, points: float) -> bool:
        """Upper half of the scale's levels (P and S on a four-level scale)."""
        return self._points[self.code_of(points)] > self._middle
