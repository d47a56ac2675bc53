"""Outcomes: the situation civilians are left in, read against the rubric's thresholds.

Options and ratings say how a decision was made; outcomes say what it came to. A criterion may
name situation variables (``outcomes`` in the rubric) with thresholds: when the variable is past
a threshold at ENDEX (or at the end of a play phase, for ``at: phase_end``), the criterion can
rate no higher than the threshold's rating, and an outcome at the bottom of the scale caps the
exercise's overall score at the rubric's ``outcome_cap``. The rules are in docs/scoring.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from exercise_engine.model.bundle import Bundle
from exercise_engine.scoring.evidence import Checkpoint, Ignored
from exercise_engine.scoring.scale import Scale


@dataclass(frozen=True)
class OutcomeCheck:
    """One outcome of one criterion, read at one checkpoint."""

    criterion: str
    variable: str
    label: str
    """The variable's label in the scenario (its name when it has none)."""
    measure: str
    at: str
    """The outcome's ``at``: endex or phase_end."""
    phase: str
    """The play phase whose end this reads (at ENDEX, the phase play ended in)."""
    endex: bool
    t: int
    value: float
    measured: float
    rating: str | None
    """The lowest rating among the thresholds that hold; None when none holds."""
    points: float | None
    bound: str
    """The threshold that set the rating, in words ("at most 0"), or ""."""
    seqs: tuple[int, ...]
    """The checkpoint's event, and the change that gave the variable its value (if any)."""

    @property
    def seq(self) -> int:
        return self.seqs[0]

    @property
    def failed(self) -> bool:
        return self.rating is not None


@dataclass(frozen=True)
class Ceiling:
    """A criterion held at an outcome's rating for one role."""

    rating: str
    points: float
    score: float
    checks: tuple[OutcomeCheck, ...]
    """The checks at that rating (the lowest found)."""


@dataclass(frozen=True)
class OutcomeCap:
    """The exercise's (or a phase's) overall score held at the rubric's ``outcome_cap``."""

    level: str
    score: float
    uncapped: float
    checks: tuple[OutcomeCheck, ...]
    seqs: tuple[int, ...]


def read_outcomes(
    bundle: Bundle, scale: Scale, checkpoints: Iterable[Checkpoint]
) -> tuple[list[OutcomeCheck], list[Ignored]]:
    """Every outcome of the rubric read at the checkpoints it counts at, and the outcomes the
    scenario's variables cannot measure (no range, a ratio to a start of 0).

    An outcome on a variable the scenario does not have is left out: one rubric serves many
    scenarios, each with its own variables."""
    variables = bundle.scenario.variables
    checkpoints = list(checkpoints)
    checks: list[OutcomeCheck] = []
    ignored: list[Ignored] = []
    for criterion in bundle.rubric.criteria.values():
        for outcome in criterion.outcomes:
            variable = variables.get(outcome.variable)
            if variable is None:
                continue
            counted = [c for c in checkpoints if c.endex or outcome.at == "phase_end"]
            for checkpoint in counted:
                value = checkpoint.values.get(outcome.variable, variable.initial)
                measured = outcome.measured(value, variable.initial, variable.min, variable.max)
                if measured is None:
                    ignored.append(
                        Ignored(
                            checkpoint.seq,
                            f"outcome {outcome.variable} ({outcome.measure}) of {criterion.id} "
                            f"cannot be measured on this scenario's '{outcome.variable}'",
                        )
                    )
                    break
                rating, points, bound = None, None, ""
                for threshold in outcome.thresholds:
                    found = scale.points(threshold.rating)
                    if found is None or not threshold.holds(measured):
                        continue
                    if points is None or found < points:
                        side = "at most" if threshold.at_most is not None else "at least"
                        rating, points = threshold.rating, found
                        bound = f"{side} {threshold.bound:g}"
                changed = checkpoint.changed.get(outcome.variable)
                seqs = (checkpoint.seq,) if changed is None else (checkpoint.seq, changed)
                checks.append(
                    OutcomeCheck(
                        criterion.id,
                        outcome.variable,
                        variable.label or outcome.variable,
                        outcome.measure,
                        outcome.at,
                        checkpoint.phase,
                        checkpoint.endex,
                        checkpoint.t,
                        value,
                        measured,
                        rating,
                        points,
                        bound,
                        seqs,
                    )
                )
    return checks, ignored


def ceiling(scale: Scale, checks: Iterable[OutcomeCheck]) -> Ceiling | None:
    """The lowest rating the failed checks allow, with the checks at it (None: no limit)."""
    failed = [c for c in checks if c.points is not None]
    if not failed:
        return None
    lowest = min(c.points for c in failed if c.points is not None)
    at = tuple(c for c in failed if c.points == lowest)
    return Ceiling(at[0].rating or "", lowest, scale.normalise(lowest), at)
