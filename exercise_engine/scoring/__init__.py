"""Scoring: a recorded exercise, scored against its rubric.

``score(bundle, log)`` is a pure function of the scenario bundle and the event log, so a live
console can recompute it after every event, and a corrected rubric re-scores an old session
(``bundle.with_rubric(...)``). The rules are in docs/scoring.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from exercise_engine.engine.events import Recorded
from exercise_engine.model.bundle import Bundle
from exercise_engine.scoring.aggregate import EVALUATOR_WEIGHT, OPTION_WEIGHT, Aggregator
from exercise_engine.scoring.evidence import (
    Answer,
    Breach,
    Checkpoint,
    Evidence,
    Ignored,
    Item,
    Link,
    gather,
)
from exercise_engine.scoring.index import Index
from exercise_engine.scoring.outcomes import Ceiling, OutcomeCap, OutcomeCheck
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


def score(bundle: Bundle, log: Sequence[Recorded]) -> Scorecard:
    """Score a session's log against the bundle's rubric; every number names its events."""
    return Aggregator(bundle, gather(bundle, log)).scorecard()


def score_evidence(bundle: Bundle, evidence: Evidence) -> Scorecard:
    """Score evidence already gathered (the AAR reads the evidence too, and reads it once)."""
    return Aggregator(bundle, evidence).scorecard()


__all__ = [
    "EVALUATOR_WEIGHT",
    "OPTION_WEIGHT",
    "Answer",
    "Breach",
    "Cap",
    "Ceiling",
    "Checkpoint",
    "Coordination",
    "CriterionScore",
    "DimensionScore",
    "EvaluatorRating",
    "Evidence",
    "Ignored",
    "Index",
    "Item",
    "Link",
    "OutcomeCap",
    "OutcomeCheck",
    "PairLevel",
    "PhaseScore",
    "RoleScore",
    "Scale",
    "Scorecard",
    "Timeliness",
    "gather",
    "score",
    "score_evidence",
]
