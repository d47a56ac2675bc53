"""An AAR an evaluator signs (issue 13): the approval block says what the evaluators did, the
improvement plan names who in the training audience owns each action and leaves the point of
contact and dates to fill in, and HSEEP's letters appear only where an evaluator rated."""

from __future__ import annotations

from fixtures.aar import play
from fixtures.shipped import played

from exercise_engine.engine import events as ev
from exercise_engine.report.build import build_aar
from exercise_engine.report.model import AAR
from exercise_engine.report.render_md import render
from exercise_engine.report.sections import evaluators_did


def shipped_aar(scenario: str, policy: str, seed: int) -> AAR:
    run = played(scenario, policy, seed)
    return build_aar(run.bundle, run.log)


def test_the_approval_block_says_what_each_evaluator_did() -> None:
    example = play.example_session()
    aar = build_aar(example.bundle, example.log)
    recorded = [r.event for r in example.log if isinstance(r.event, ev.ObservationRecorded)]
    lines = evaluators_did(aar)
    for name in sorted({o.evaluator for o in recorded}):
        mine = [o for o in recorded if o.evaluator == name]
        (said,) = [line for line in lines if line.startswith(f"{name} recorded ")]
        assert f"{name} recorded {len(mine)} observation" in said
    rated = sum(
        1
        for d in aar.analysis
        for c in d.criteria
        for r in c.ratings
        if r.evaluator_points is not None
    )
    assert any(f"Evaluators rated {rated} of the " in line for line in lines)
    assert "By signing" in render(aar)


def test_without_evaluators_the_approval_block_says_nobody_rated() -> None:
    aar = shipped_aar("kallen-early-warning", "random", 3)
    lines = evaluators_did(aar)
    assert any(line.startswith("No evaluator recorded an observation") for line in lines)
    assert "A signature confirms the review as read, not as rated." in render(aar)


def test_the_plan_names_the_training_audience_and_leaves_contact_and_dates_to_fill() -> None:
    aar = shipped_aar("kallen-early-warning", "random", 3)
    plan = aar.improvement_plan
    assert plan and all(x.responsible for x in plan)
    assert all(not (x.point_of_contact or x.start_date or x.completion_date) for x in plan)
    police = [x for x in plan if x.role == "police"]
    assert police and all(
        x.responsible.startswith("Police officers of the training audience") for x in police
    )
    text = render(aar)
    assert "| Point of contact | Start | Completion |" in text
    assert "Responsible (training audience)" in text


def test_hseep_letters_only_where_an_evaluator_rated() -> None:
    """Without evaluators the plan's issues give the option points, never a P/S/M/U."""
    aar = shipped_aar("mareth-site-attack", "random", 3)
    issues = [x.issue for x in aar.improvement_plan if x.criterion and x.element != "Exercise"]
    assert issues and all("its decisions scored" in i and "rated " not in i for i in issues)
    example = play.example_session()
    rated = build_aar(example.bundle, example.log)
    assert any("by the evaluators" in x.issue for x in rated.improvement_plan)


def test_coordination_rows_only_below_the_level_the_mandates_call_for() -> None:
    aar = shipped_aar("kallen-early-warning", "worst", 1)  # the worst team never writes
    rows = [x for x in aar.improvement_plan if x.element == "Organization" and ";" in x.responsible]
    assert rows
    assert all("where their mandates call for" in x.issue for x in rows)
