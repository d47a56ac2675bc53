"""Outcomes: scores follow the situation civilians are left in (docs/scoring.md, "Outcomes").

Sessions are played by the real engine on the AAR fixture content (tests/fixtures/aar); the
rubric gets outcomes here, so each test states the thresholds it relies on.
"""

from __future__ import annotations

from typing import Any

import pytest
from fixtures.aar import play

from exercise_engine.engine import events as ev
from exercise_engine.engine.events import Recorded
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.rubric import Rubric
from exercise_engine.report.build import build_aar
from exercise_engine.report.render_md import render
from exercise_engine.scoring import Scale, Scorecard, gather, score

VIOLENCE = {  # PRO-2 (military, police; critical): violence when each phase ends
    "variable": "violence",
    "measure": "share_of_range",
    "at": "phase_end",
    "thresholds": [{"rating": "U", "at_least": 0.7}, {"rating": "M", "at_least": 0.5}],
}
ACCESS = {  # PRO-4 (humanitarian): access at ENDEX
    "variable": "access",
    "measure": "share_of_range",
    "thresholds": [{"rating": "M", "at_most": 0.4}],
}
# Best play but for the mission keeping quiet and the force and the police acting alone twice:
# violence 7, 9 and 7 at the ends of prevent, react and rebuild; the rest is the best choice.
ALONE = {
    ("INJ-001", "un_mission"): "B",
    ("INJ-002", "military"): "B",
    ("INJ-002", "police"): "B",
    ("INJ-005", "military"): "B",
    ("INJ-005", "police"): "B",
}


def with_outcomes(
    bundle: Bundle, outcomes: dict[str, list[dict[str, Any]]], cap: str | None = "M"
) -> Bundle:
    data = bundle.rubric.model_dump(mode="json", by_alias=True)
    data["outcome_cap"] = cap
    for dimension in data["dimensions"]:
        for criterion in dimension["criteria"]:
            criterion["outcomes"] = outcomes.get(criterion["id"], [])
    return bundle.with_rubric(Rubric.model_validate(data))


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return with_outcomes(play.bundle(), {"PRO-2": [VIOLENCE], "PRO-4": [ACCESS]})


def scored(bundle: Bundle, **kwargs: Any) -> tuple[Scorecard, list[Recorded]]:
    log = play.play(bundle, **kwargs).log
    return score(bundle, log), log


def seq_of(log: list[Recorded], kind: type, **fields: Any) -> int:
    return next(
        r.seq
        for r in log
        if isinstance(r.event, kind) and all(getattr(r.event, k) == v for k, v in fields.items())
    )


def test_the_evidence_holds_the_situation_at_each_phase_end_and_at_endex(bundle: Bundle) -> None:
    log = play.play(bundle, policy="worst").log
    checkpoints = gather(bundle, log).checkpoints
    assert [(c.phase, c.endex) for c in checkpoints] == [
        ("prevent", False),
        ("react", False),
        ("rebuild", True),
    ]
    react_end = checkpoints[1]
    assert react_end.seq == seq_of(log, ev.PhaseEntered, phase="rebuild")
    assert react_end.values["violence"] == 10 and react_end.values["trust"] == 5
    assert react_end.changed["violence"] == max(
        r.seq
        for r in log
        if isinstance(r.event, ev.VariableChanged)
        and r.seq < react_end.seq
        and r.event.variable == "violence"
    )
    assert "trust" not in react_end.changed  # still its initial value
    assert checkpoints[2].seq == seq_of(log, ev.ExerciseEnded)


def test_an_outcome_past_a_threshold_holds_the_criterion_at_its_rating(bundle: Bundle) -> None:
    card, log = scored(bundle, policy="worst")
    for role in ("military", "police"):
        pro2 = card.roles[role].criterion("PRO-2")
        assert pro2.before_ceiling == 1.5 and pro2.points == 1 and pro2.rating == "U"
        assert pro2.ceiling is not None and pro2.ceiling.rating == "U"
        # held by the end of every phase (violence 7, 10, 10), and it says which events show it
        assert [(c.phase, c.endex) for c in pro2.ceiling.checks] == [
            ("prevent", False),
            ("react", False),
            ("rebuild", True),
        ]
        endex = pro2.ceiling.checks[-1]
        assert endex.value == 10 and endex.measured == 1 and endex.bound == "at least 0.7"
        assert endex.seq == seq_of(log, ev.ExerciseEnded) and endex.seq in pro2.seqs
    access = card.roles["humanitarian"].criterion("PRO-4")
    assert access.ceiling is not None and access.ceiling.rating == "M"
    assert access.before_ceiling is None  # already at M: held, not lowered


def test_a_met_outcome_neither_raises_nor_observes_a_criterion(bundle: Bundle) -> None:
    plain, _ = scored(with_outcomes(bundle, {}), policy="best")
    card, _ = scored(bundle, policy="best")
    assert card.overall == plain.overall and card.cap is None
    pro2 = card.roles["military"].criterion("PRO-2")
    assert pro2.ceiling is None and not any(c.failed for c in pro2.outcomes)
    # the host state has no PRO-2 in this rubric: the outcome does not make it observed
    assert card.roles["host_state"].criterion("PRO-2") is None


def test_an_outcome_at_the_bottom_caps_the_overall_score_at_outcome_cap(bundle: Bundle) -> None:
    card, _ = scored(bundle, policy="best", choices=ALONE)
    uncapped, _ = scored(
        with_outcomes(bundle, {"PRO-2": [VIOLENCE]}, cap=None), policy="best", choices=ALONE
    )
    assert uncapped.cap is None and uncapped.rating == "M" and uncapped.overall > 40
    assert card.cap is not None and card.cap.level == "M"
    assert card.overall == pytest.approx(Scale(bundle.rubric).normalise(2)) == card.cap.score
    assert card.cap.uncapped > card.overall and card.rating == "M"
    assert {(c.criterion, c.phase) for c in card.cap.checks} == {
        ("PRO-2", "prevent"),
        ("PRO-2", "react"),
        ("PRO-2", "rebuild"),
    }
    assert set(card.cap.seqs) <= set(card.seqs)


def test_phase_scores_are_held_by_the_outcome_at_their_own_end(bundle: Bundle) -> None:
    card, _ = scored(bundle, policy="best", choices=ALONE)  # violence 7, 9, 7: U each time
    for name, phase in card.phases.items():
        assert phase.cap is not None and {c.phase for c in phase.cap.checks} == {name}
    # Acting alone only at the checkpoints and at Mareth: violence 4, 6, 4 (U at 7, M at 5)
    alone_twice = {k: v for k, v in ALONE.items() if k[0] != "INJ-001"}
    card, _ = scored(bundle, policy="best", choices=alone_twice)
    held = {
        name: (phase.roles["military"].criterion("PRO-2").ceiling or None)
        for name, phase in card.phases.items()
    }
    assert held["prevent"] is None and held["rebuild"] is None
    assert held["react"] is not None and held["react"].rating == "M"
    assert card.roles["military"].criterion("PRO-2").ceiling.rating == "M"
    assert all(phase.cap is None for phase in card.phases.values()) and card.cap is None


def test_a_critical_criterion_held_at_the_bottom_by_an_outcome_caps_its_dimension(
    bundle: Bundle,
) -> None:
    card, _ = scored(bundle, policy="best", choices=ALONE)
    protect = card.roles["police"].dimension("protect")
    assert protect.cap is not None and protect.cap.criteria == ("PRO-2",)
    pro2 = card.roles["police"].criterion("PRO-2")
    assert set(protect.cap.seqs) >= {c.seq for c in pro2.ceiling.checks}


def test_an_evaluator_who_rated_after_the_outcome_decides(bundle: Bundle) -> None:
    """A rating given during the debrief is a judgement made knowing how play ended; one given
    during play was not, and the outcome still holds it."""
    during = [(3000, play.observe("Ana", "military", "PRO-2", "P", "firm, lawful"))]
    card, _ = scored(bundle, policy="worst", actions=during)
    assert card.roles["military"].criterion("PRO-2").rating == "U"

    session = play.play(bundle, policy="worst")
    for role in ("military", "police"):
        session.submit(play.observe("Ana", role, "PRO-2", "S", "sound plan, overwhelmed"))
    card = score(bundle, session.log)
    pro2 = card.roles["military"].criterion("PRO-2")
    assert pro2.ceiling is None and pro2.lifted and pro2.rating != "U"
    assert card.cap is None  # every role answerable for PRO-2 was rated after ENDEX


def test_an_outcome_the_scenario_cannot_measure_is_left_out_with_a_reason(bundle: Bundle) -> None:
    ratio_of_nothing = {
        "variable": "violence",
        "measure": "ratio_to_start",
        "thresholds": [{"rating": "U", "at_least": 2}],
    }
    absent = {"variable": "displaced", "thresholds": [{"rating": "U", "at_least": 1}]}
    variant = with_outcomes(bundle, {"PRO-2": [ratio_of_nothing], "SHP-3": [absent]})
    scenario = variant.scenario.model_copy(
        update={
            "variables": {
                **variant.scenario.variables,
                "violence": variant.scenario.variables["violence"].model_copy(
                    update={"initial": 0}
                ),
            }
        }
    )
    card = score(Bundle(scenario, variant.rubric, variant.roles), play.play(bundle, "worst").log)
    assert not card.outcomes  # nothing measurable, and no 'displaced' in this scenario
    assert any("cannot be measured" in i.reason and "violence" in i.reason for i in card.ignored)


def test_the_aar_says_what_the_situation_came_to_and_what_it_held(bundle: Bundle) -> None:
    session = play.play(bundle, policy="best", choices=ALONE)
    aar = build_aar(bundle, session.log)
    cap = aar.scores.outcome_cap
    assert cap is not None and cap.level == "M" and cap.uncapped > cap.score
    (reason,) = cap.reasons  # one sentence for PRO-2's violence, however many checkpoints
    assert (
        "violence against civilians was 7 (0.7 of its range) at the end of the Prevent phase"
        in reason
    )
    assert "so PRO-2 can rate no higher than U" in reason
    assert any(
        "The overall score is held at 33, the rubric's M level" in v for v in aar.summary.verdict
    )
    assert [o.rating for o in aar.scores.outcomes if o.criterion == "PRO-2"] == ["U", "U", "U"]
    pro2 = next(c for d in aar.analysis for c in d.criteria if c.id == "PRO-2")
    police = next(f for f in pro2.findings if f.role == "police")
    assert "Held at U (its decisions and ratings came to 1.5) by what the situation came to" in (
        police.analysis
    )
    assert next(r for r in pro2.ratings if r.role == "police").ceiling == "U"
    text = render(aar)
    assert "### Outcomes" in text and "The overall score is held at 33" in text
