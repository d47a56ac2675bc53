"""Sensitive injects: forwarding one beyond who may receive it is a breach, not a credit
(docs/scoring.md, "Sensitive injects"). Played by the real engine on the AAR fixture."""

from __future__ import annotations

from typing import Any

import pytest
from fixtures.aar import play

from exercise_engine.engine import events as ev
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.rubric import Rubric
from exercise_engine.model.scenario import Scenario
from exercise_engine.report.build import build_aar
from exercise_engine.scoring import Scale, score, spectrum

LEAFLETS = {  # INJ-001 reaches the mission and the humanitarians; the police may have it too
    "share_with": ["police"],
    "reason": "Names the OCHA monitor who photographed the leaflets.",
    "criteria": ["SHP-3"],
}


def sensitive(bundle: Bundle, marks: dict[str, dict[str, Any]], breach: list[str]) -> Bundle:
    scenario = bundle.scenario.model_dump(mode="json", by_alias=True)
    for inject in scenario["injects"]:
        if inject["id"] in marks:
            inject["sensitive"] = marks[inject["id"]]
    rubric = bundle.rubric.model_dump(mode="json", by_alias=True)
    rubric["coordination"]["breach"] = breach
    return Bundle(
        Scenario.model_validate(scenario, context={"stored": True}),
        Rubric.model_validate(rubric),
        bundle.roles,
    )


def shared(bundle: Bundle, sender: str, to: list[str]) -> list:
    """Best play, and ``sender`` shares INJ-001 with ``to`` half an hour after it arrives."""
    action = (2000, play.share(sender, to, "INJ-001", "FYI"))
    return play.play(bundle, policy="best", actions=[action]).log


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return sensitive(play.bundle(), {"INJ-001": LEAFLETS}, ["UND-5"])


def test_sharing_a_sensitive_inject_beyond_who_may_receive_it_is_a_breach(bundle: Bundle) -> None:
    session = play.play(
        bundle,
        policy="best",
        actions=[(2000, play.share("humanitarian", ["military", "police"], "INJ-001", "FYI"))],
    )
    card = score(bundle, session.log)
    shared = next(r for r in session.log if isinstance(r.event, ev.InformationShared))
    (breach,) = card.breaches
    assert (breach.seq, breach.role, breach.inject, breach.to) == (
        shared.seq,
        "humanitarian",
        "INJ-001",
        ("military",),
    )
    assert breach.reason == LEAFLETS["reason"] and breach.criteria == ("UND-5", "SHP-3")
    humanitarian = card.roles["humanitarian"]
    low = Scale(bundle.rubric).low
    for criterion in ("UND-5", "SHP-3"):
        items = [i for i in humanitarian.criterion(criterion).items if i.source == "breach"]
        assert [(i.points, i.seq) for i in items] == [(low, shared.seq)]
    pairs = {p.other: p for p in humanitarian.coordination.pairs}
    assert pairs["military"].level == spectrum.COEXISTENCE  # no credit for the breach
    assert pairs["police"].level == spectrum.INFORMATION_SHARING  # police may receive it


def test_a_breach_costs_the_role_that_shared_it(bundle: Bundle) -> None:
    kept = score(bundle, play.play(bundle, policy="best").log)
    leaked = score(bundle, shared(bundle, "humanitarian", ["host_state"]))
    assert leaked.roles["humanitarian"].total < kept.roles["humanitarian"].total
    assert leaked.roles["un_mission"].total == kept.roles["un_mission"].total
    und5 = leaked.roles["humanitarian"].criterion("UND-5")
    assert und5.observed and und5.rating == "U"  # the breach is all that is known of it


def test_sharing_within_the_recipients_and_share_with_is_information_sharing(
    bundle: Bundle,
) -> None:
    card = score(bundle, shared(bundle, "un_mission", ["police"]))
    assert not card.breaches
    pairs = {p.other: p for p in card.roles["un_mission"].coordination.pairs}
    assert pairs["police"].level == spectrum.INFORMATION_SHARING


def test_an_inject_that_is_not_sensitive_may_be_shared_with_anyone() -> None:
    plain = play.bundle()
    card = score(plain, shared(plain, "humanitarian", ["host_state"]))
    assert not card.breaches
    pairs = {p.other: p for p in card.roles["humanitarian"].coordination.pairs}
    assert pairs["host_state"].level == spectrum.INFORMATION_SHARING


def test_the_aar_finding_names_the_breach(bundle: Bundle) -> None:
    aar = build_aar(bundle, shared(bundle, "humanitarian", ["host_state"]))
    (und5,) = [c for d in aar.analysis for c in d.criteria if c.id == "UND-5"]
    (finding,) = [f for f in und5.findings if f.role == "humanitarian"]
    assert finding.kind == "improvement"
    assert any(
        "shared sensitive INJ-001" in n.text
        and "with Government of Ardana, who may not receive it" in n.text
        for n in finding.evidence
    )
