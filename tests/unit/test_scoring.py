"""Scoring: option points, evaluator ratings, caps, timeliness, coordination, phases, traceability.

Every session here is played by the real engine on the AAR fixture content
(tests/fixtures/aar), so the logs are exactly what a controller would record.
"""

from __future__ import annotations

import typing

import pytest
from fixtures.aar import play

from exercise_engine.engine import events as ev
from exercise_engine.engine.events import Recorded
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.rubric import IntegrationLevel, Rubric
from exercise_engine.scoring import (
    EVALUATOR_WEIGHT,
    Scale,
    Scorecard,
    score,
    spectrum,
)


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return play.bundle()


def scored(bundle: Bundle, **kwargs) -> tuple[Scorecard, list[Recorded]]:
    log = play.play(bundle, **kwargs).log
    return score(bundle, log), log


def of_type(log: list[Recorded], kind: type) -> list[Recorded]:
    return [r for r in log if isinstance(r.event, kind)]


# -- the scale ----------------------------------------------------------------------------------


def test_points_normalise_to_0_100_and_back_to_the_nearest_rating(bundle: Bundle) -> None:
    scale = Scale(bundle.rubric)
    assert [scale.normalise(p) for p in (4, 3, 2, 1)] == [
        100,
        pytest.approx(66.67, 0.01),
        pytest.approx(33.33, 0.01),
        0,
    ]
    assert scale.code_of(3.4) == "S" and scale.code_of(3.5) == "S" and scale.code_of(3.6) == "P"
    assert scale.points("N/O") is None and scale.points("P") == 4


# -- option points and evaluator ratings -------------------------------------------------------


def test_an_option_gives_its_points_to_the_responding_role_traced_to_the_response(
    bundle: Bundle,
) -> None:
    card, log = scored(bundle, policy="best")
    answer = next(
        r
        for r in of_type(log, ev.ResponseRecorded)
        if r.event.inject == "INJ-001" and r.event.role == "un_mission"
    )
    und2 = card.roles["un_mission"].criterion("UND-2")
    assert und2.option_points == 4 and und2.points == 4 and und2.rating == "P"
    assert und2.seqs == (answer.seq,)
    assert card.roles["un_mission"].criterion("SHP-3").seqs == (answer.seq,)


def test_evaluator_ratings_weigh_twice_the_option_points(bundle: Bundle) -> None:
    card, log = scored(
        bundle,
        policy="best",
        actions=[
            (7200, play.observe("Ana", "un_mission", "UND-2", "M", "slow to name it", "INJ-001"))
        ],
    )
    und2 = card.roles["un_mission"].criterion("UND-2")
    assert EVALUATOR_WEIGHT == 2
    assert und2.evaluator_points == 2 and und2.option_points == 4
    assert und2.points == pytest.approx((2 * 2 + 4) / 3)
    observation = of_type(log, ev.ObservationRecorded)[0]
    assert observation.seq in und2.seqs


def test_several_evaluators_are_kept_apart_and_combined_by_their_mean(bundle: Bundle) -> None:
    card, _ = scored(
        bundle,
        policy="best",
        actions=[
            (7200, play.observe("Ana", "un_mission", "UND-2", "P", "named the indicator")),
            (7300, play.observe("Ana", "un_mission", "UND-2", "S", "late to brief")),
            (7400, play.observe("Ben", "un_mission", "UND-2", "M", "no framework")),
        ],
    )
    und2 = card.roles["un_mission"].criterion("UND-2")
    views = {e.evaluator: e for e in und2.evaluators}
    assert set(views) == {"Ana", "Ben"} and card.evaluators == ("Ana", "Ben")
    assert views["Ana"].points == 3.5 and views["Ana"].codes == ("P", "S")
    assert views["Ben"].points == 2 and views["Ben"].rating == "M"
    assert und2.evaluator_points == pytest.approx(2.75)  # mean of evaluators, not of ratings


def test_not_observed_ratings_are_excluded_but_kept(bundle: Bundle) -> None:
    card, log = scored(
        bundle,
        policy="best",
        actions=[(7200, play.observe("Ana", "humanitarian", "UND-5", "N/O", "not seen"))],
    )
    und5 = card.roles["humanitarian"].criterion("UND-5")
    assert not und5.observed and und5.rating == "N/O" and und5.score is None
    assert und5.not_observed_seqs == (of_type(log, ev.ObservationRecorded)[0].seq,)
    assert card.roles["humanitarian"].dimension("understand").score is None


def test_criteria_a_role_never_touched_are_not_observed_and_left_out(bundle: Bundle) -> None:
    card, _ = scored(bundle, policy="best")
    host = card.roles["host_state"]
    assert host.criterion("UND-2").rating == "N/O"
    assert host.dimension("understand").score is None
    assert host.decisions == host.dimension("shape").score  # only shape was observed
    assert host.criterion("PRO-2") is None  # applies to military and police only


def test_option_points_for_a_criterion_that_does_not_apply_are_ignored_with_a_reason(
    bundle: Bundle,
) -> None:
    card, _ = scored(bundle, policy="best")
    assert card.roles["military"].criterion("PRO-6") is None
    name = bundle.roles["military"].name  # the role as people read it, not its id
    assert any(f"PRO-6, which does not apply to {name}" in i.reason for i in card.ignored)


# -- critical caps --------------------------------------------------------------------------------


def test_a_critical_criterion_at_the_bottom_caps_its_dimension(bundle: Bundle) -> None:
    card, _ = scored(bundle, policy="worst")
    protect = card.roles["military"].dimension("protect")
    assert protect.cap is not None and protect.cap.criteria == ("PRO-2",)
    assert protect.cap.level == "M" and protect.score <= Scale(bundle.rubric).normalise(2)
    assert protect.cap.seqs  # the bottom-scale answers that triggered it


def test_the_cap_binds_a_dimension_scored_above_it(bundle: Bundle) -> None:
    card, _ = scored(
        bundle,
        policy="best",
        choices={("INJ-002", "police"): "B"},
        actions=[(9000, play.observe("Ana", "police", "PRO-6", "P", "good community policing"))],
    )
    protect = card.roles["police"].dimension("protect")
    # PRO-2: options 1 and 4 (50/100); PRO-6: option 1, evaluator P (67/100)
    assert protect.uncapped == pytest.approx((2 * 50 + 200 / 3) / 3)
    assert protect.cap.criteria == ("PRO-2",) and protect.score == protect.cap.score


def test_evaluators_decide_the_cap_when_they_rated_the_criterion(bundle: Bundle) -> None:
    card, _ = scored(
        bundle,
        policy="worst",
        actions=[
            (9500, play.observe("Ana", "military", "PRO-2", "S", "sound reasoning, bad luck"))
        ],
    )
    assert card.roles["military"].dimension("protect").cap is None
    card, _ = scored(
        bundle,
        policy="best",
        actions=[(9500, play.observe("Ana", "military", "PRO-2", "U", "unlawful escalation"))],
    )
    assert card.roles["military"].dimension("protect").cap is not None


def test_a_rubric_without_critical_cap_never_caps(bundle: Bundle) -> None:
    data = bundle.rubric.model_dump(mode="json", by_alias=True)
    data["critical_cap"] = None
    uncapped = bundle.with_rubric(Rubric.model_validate(data, context={"stored": True}))
    card, _ = scored(uncapped, policy="worst")
    assert all(d.cap is None for r in card.roles.values() for d in r.dimensions)


# -- timeliness -----------------------------------------------------------------------------------


def test_timeliness_is_the_share_of_required_answers_given_on_time(bundle: Bundle) -> None:
    best, _ = scored(bundle, policy="best")
    worst, _ = scored(bundle, policy="worst")
    assert all(r.timeliness.score == 100 for r in best.roles.values() if r.timeliness.asked)
    assert all(r.timeliness.score == 0 for r in worst.roles.values() if r.timeliness.asked)


def test_a_required_answer_never_given_counts_against_and_scores_its_criteria_at_the_bottom(
    bundle: Bundle,
) -> None:
    card, log = scored(bundle, policy="best", skip=[("INJ-003", "host_state")])
    timeliness = card.roles["host_state"].timeliness
    assert (timeliness.on_time, timeliness.missed) == (1, 1) and timeliness.score == 50
    overdue = next(r for r in of_type(log, ev.ResponseOverdue) if r.event.inject == "INJ-003")
    shp3 = card.roles["host_state"].criterion("SHP-3")
    assert shp3.points == 1 and shp3.seqs == (overdue.seq,)
    assert [i.source for i in shp3.items] == ["missed"]


def test_answers_not_yet_due_in_a_running_session_are_pending_not_counted(
    bundle: Bundle,
) -> None:
    log = play.play(bundle, policy="best").log
    cut = next(
        r.seq
        for r in log
        if isinstance(r.event, ev.InjectDelivered) and r.event.inject == "INJ-001"
    )
    card = score(bundle, log[:cut])
    timeliness = card.roles["un_mission"].timeliness
    assert timeliness.pending == 1 and timeliness.score is None
    assert card.last_seq == cut


# -- coordination ---------------------------------------------------------------------------------


def level(card: Scorecard, a: str, b: str) -> int:
    return next(p.level for p in card.roles[a].coordination.pairs if p.other == b)


def test_exchanges_are_placed_on_the_integration_spectrum(bundle: Bundle) -> None:
    card, log = scored(
        bundle,
        policy="best",
        actions=[
            (1000, play.message("host_state", ["police"], "Coffee?")),
            (2000, play.share("un_mission", ["police"], "INJ-001", "FYI")),
            (2100, play.message("un_mission", ["humanitarian"], "Verify?", inject="INJ-001")),
            (4000, play.message("military", ["police"], "Joint patrol?", inject="INJ-002")),
        ],
    )
    assert level(card, "host_state", "police") == spectrum.COMMUNICATION
    assert level(card, "police", "un_mission") == spectrum.INFORMATION_SHARING
    assert level(card, "un_mission", "humanitarian") == spectrum.FORMAL_COORDINATION
    assert level(card, "military", "police") == spectrum.COOPERATION  # talked, then R-JOINT
    assert level(card, "host_state", "humanitarian") == spectrum.COEXISTENCE
    pair = next(p for p in card.roles["humanitarian"].coordination.pairs if p.other == "un_mission")
    message = next(r for r in of_type(log, ev.MessageSent) if r.event.body == "Verify?")
    assert pair.seqs == (message.seq,) and pair.id == "formal-coordination"
    mine = card.roles["humanitarian"].coordination
    assert mine.score == pytest.approx(3 / 4 * 100 / 4)  # one partner of four at level 3


def test_a_message_about_an_inject_after_answering_it_is_only_communication(
    bundle: Bundle,
) -> None:
    card, _ = scored(
        bundle,
        policy="best",
        actions=[(20000, play.message("un_mission", ["humanitarian"], "Done", inject="INJ-001"))],
    )
    assert level(card, "un_mission", "humanitarian") == spectrum.COMMUNICATION


def test_choices_that_merely_match_are_not_cooperation(bundle: Bundle) -> None:
    """R-JOINT rewards the force and the police both choosing the joint patrol; without a word
    between them on it, that is a coincidence, not collaboration."""
    card, log = scored(bundle, policy="best")
    assert any(r.event.id == "R-JOINT" for r in of_type(log, ev.RuleFired))
    assert level(card, "military", "police") == spectrum.COEXISTENCE
    # a word before the patrol was on the table does not make the choice joint
    card, _ = scored(
        bundle, policy="best", actions=[(1100, play.message("police", ["military"], "Coffee?"))]
    )
    assert level(card, "military", "police") == spectrum.COMMUNICATION


def with_pairs(bundle: Bundle, pairs: list[dict], expected: str = "cooperation") -> Bundle:
    data = bundle.rubric.model_dump(mode="json", by_alias=True)
    data["coordination"].update(expected=expected, pairs=pairs)
    return bundle.with_rubric(Rubric.model_validate(data))


def test_coordination_is_credited_up_to_the_level_the_mandates_call_for(bundle: Bundle) -> None:
    mandates = with_pairs(
        bundle,
        [
            {"roles": ["military", "humanitarian"], "expected": "information-sharing"},
            {"roles": ["host_state", "humanitarian"], "expected": "coexistence"},
        ],
        expected="formal-coordination",
    )
    card, _ = scored(
        mandates,
        policy="best",
        actions=[
            (2000, play.share("humanitarian", ["military"], "INJ-001", "Leaflets")),
            (2100, play.message("humanitarian", ["host_state"], "Access?")),
            (2200, play.message("un_mission", ["humanitarian"], "Verify?", inject="INJ-001")),
            (4000, play.message("military", ["police"], "Joint patrol?", inject="INJ-002")),
        ],
    )
    pairs = {p.other: p for p in card.roles["humanitarian"].coordination.pairs}
    assert pairs["military"].level == spectrum.INFORMATION_SHARING
    assert pairs["military"].expected == spectrum.INFORMATION_SHARING
    assert pairs["military"].credit == 100  # all its mandate allows with the force
    assert pairs["host_state"].credit is None  # no exchange called for: not scored
    assert pairs["un_mission"].credit == 100  # formal coordination, the default expected
    assert pairs["police"].credit == 0
    assert card.roles["humanitarian"].coordination.score == pytest.approx(100 * 2 / 3)
    # reaching beyond what is called for earns no more: R-JOINT, after talking, is cooperation
    police = {p.other: p for p in card.roles["police"].coordination.pairs}
    assert police["military"].level == spectrum.COOPERATION and police["military"].credit == 100


def test_the_rubric_names_the_integration_levels_scoring_ranks() -> None:
    assert list(spectrum.RANK) == list(typing.get_args(IntegrationLevel))
    assert [spectrum.RANK[i] for i in spectrum.RANK] == list(range(spectrum.TOP + 1))


def test_a_rubric_names_each_pair_of_roles_once_and_two_different_roles() -> None:
    base = play.bundle().rubric.model_dump(mode="json", by_alias=True)
    for pairs, says in [
        ([{"roles": ["police", "military"], "expected": "cooperation"}] * 2, "named twice"),
        ([{"roles": ["police", "police"], "expected": "cooperation"}], "two different roles"),
        ([{"roles": ["police", "all"], "expected": "cooperation"}], "not 'all'"),
        ([{"roles": ["police", "military"], "expected": "allies"}], "cooperation"),
    ]:
        data = {**base, "coordination": {**base["coordination"], "pairs": pairs}}
        with pytest.raises(ValueError, match=says):
            Rubric.model_validate(data)


def test_a_rule_rewarding_joint_harm_is_not_cooperation(bundle: Bundle) -> None:
    card, log = scored(bundle, policy="worst")
    assert any(r.event.id == "R-ALONE" for r in of_type(log, ev.RuleFired))
    assert level(card, "military", "police") < spectrum.COOPERATION


# -- roles, phases, overall -------------------------------------------------------------------


def test_role_totals_combine_decisions_timeliness_and_coordination_by_rubric_shares(
    bundle: Bundle,
) -> None:
    card, _ = scored(bundle, policy="best")
    police = card.roles["police"]
    assert police.shares == {"decisions": 0.8, "timeliness": 0.1, "coordination": 0.1}
    expected = (
        0.8 * police.decisions + 0.1 * police.timeliness.score + 0.1 * police.coordination.score
    )
    assert police.total == pytest.approx(expected)
    assert card.overall == pytest.approx(sum(r.total for r in card.roles.values()) / 5)


def test_scores_break_down_by_phase_on_the_evidence_of_each_phase(bundle: Bundle) -> None:
    card, log = scored(bundle, policy="worst")
    assert list(card.phases) == ["prevent", "react", "rebuild"]
    react = card.phases["react"]
    assert react.roles["un_mission"].total is None  # nothing asked of it in react
    assert react.roles["military"].criterion("PRO-2").points == 2  # INJ-005 B only
    assert card.roles["military"].criterion("PRO-2").points == 1.5  # INJ-002 B and INJ-005 B
    rebuild_seqs = set(card.phases["rebuild"].seqs)
    rebuild_start = next(r.seq for r in of_type(log, ev.PhaseEntered) if r.event.phase == "rebuild")
    assert rebuild_seqs and min(rebuild_seqs) > rebuild_start


def test_best_play_scores_above_worst_and_random_in_between(bundle: Bundle) -> None:
    best, _ = scored(bundle, policy="best")
    worst, _ = scored(bundle, policy="worst")
    assert best.overall > 80 > 20 > worst.overall
    assert best.rating == "P" and worst.rating == "U"


def test_every_number_is_traceable_to_events_of_the_log(bundle: Bundle) -> None:
    card, log = scored(
        bundle,
        policy="worst",
        actions=[
            (7200, play.observe("Ana", "un_mission", "UND-2", "S", "ok")),
            (3700, play.message("military", ["police"], "Together?", inject="INJ-002")),
        ],
    )
    by_seq = {r.seq: r.event for r in log}
    allowed = (
        ev.ResponseRecorded,
        ev.ResponseOverdue,
        ev.ObservationRecorded,
        ev.InjectDelivered,
        ev.MessageSent,
        ev.InformationShared,
        ev.RuleFired,
    )
    assert card.seqs and set(card.seqs) <= set(by_seq)
    assert all(isinstance(by_seq[s], allowed) for s in card.seqs)
    for role in card.roles.values():
        for dimension in role.dimensions:
            for criterion in dimension.criteria:
                if criterion.observed:
                    assert criterion.seqs, criterion.id
                    assert all(by_seq[s].role == role.role for s in criterion.seqs)
            assert set(dimension.seqs) <= set(role.seqs)


def test_control_cells_are_not_scored(bundle: Bundle) -> None:
    from exercise_engine.model.role import Role

    red = Role.model_validate(
        {"format": "exercise-role/1", "id": "red_cell", "name": "Red", "kind": "control"}
    )
    scenario = bundle.scenario.model_copy(update={"roles": [*bundle.scenario.roles, "red_cell"]})
    with_red = Bundle(scenario, bundle.rubric, {**bundle.roles, "red_cell": red})
    card = score(with_red, play.play(bundle, policy="best").log)
    assert "red_cell" not in card.roles


def test_rescoring_with_another_rubric_uses_its_weights_and_reports_what_it_cannot_use(
    bundle: Bundle,
) -> None:
    log = play.play(bundle, policy="best").log
    data = bundle.rubric.model_dump(mode="json", by_alias=True)
    data["id"] = "narrow"
    data["dimensions"] = [d for d in data["dimensions"] if d["id"] != "shape"]
    data["timeliness"]["weight"] = 0.5
    narrow = Rubric.model_validate(data, context={"stored": True})
    card = score(bundle.with_rubric(narrow), log)
    assert card.rubric == "narrow"
    assert card.roles["host_state"].decisions is None  # its only criterion, SHP-3, is gone
    assert card.roles["police"].shares == pytest.approx(
        {"decisions": 0.4, "timeliness": 0.5, "coordination": 0.1}
    )
    assert any("SHP-3, which is not in rubric 'narrow'" in i.reason for i in card.ignored)


def test_an_empty_log_scores_zero_and_says_nothing_was_observed(bundle: Bundle) -> None:
    card = score(bundle, [])
    assert card.overall == 0 and not card.observed and card.rating == "N/O"
