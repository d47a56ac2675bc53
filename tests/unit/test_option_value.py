"""One definition of an option's value under a rubric (model/value.py), asked by the bots and
by the AAR: the best bot's choice is never reported as departing from the preferred option."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.aar import play

from exercise_engine.engine.bots import BotTeam
from exercise_engine.engine.engine import Engine
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.loader import load_catalog
from exercise_engine.model.scenario import Option
from exercise_engine.model.value import OptionValues
from exercise_engine.report.build import build_aar
from exercise_engine.scoring.index import Index
from exercise_engine.session import simulate as sim
from exercise_engine.store import Store


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return play.bundle()


def test_points_count_above_or_below_mid_scale_weighted_for_the_roles_they_apply_to(
    bundle: Bundle,
) -> None:
    values = OptionValues(bundle.rubric)
    a, b = bundle.scenario.inject("INJ-002").respond.options
    # Scale 4..1, middle 2.5. A: PRO-2 4 (weight 2; military, police), PRO-6 4 (police only),
    # SHP-2 4 (all roles). B: PRO-2 1, PRO-6 1.
    assert values.of(a, "military") == 2 * 1.5 + 1.5
    assert values.of(a, "police") == 2 * 1.5 + 1.5 + 1.5
    assert values.of(b, "military") == 2 * -1.5
    assert values.of(b, "police") == 2 * -1.5 - 1.5
    assert values.applies("PRO-6", "police") and not values.applies("PRO-6", "military")


def test_an_option_scoring_nothing_for_the_role_is_worth_the_middle_of_the_scale(
    bundle: Bundle,
) -> None:
    values = OptionValues(bundle.rubric)
    elsewhere = Option(id="X", text="Police only", scores={"PRO-6": 4, "NOT-IN-RUBRIC": 4})
    assert values.of(elsewhere, "military") == 0
    assert values.of(Option(id="Y", text="Unscored"), "police") == 0
    below = Option(id="Z", text="Poor", scores={"SHP-2": 1})
    assert values.best([below, elsewhere], "military") == (elsewhere, 0)


def test_the_best_option_is_the_first_of_equals(bundle: Bundle) -> None:
    values = OptionValues(bundle.rubric)
    one = Option(id="A", text="One", scores={"SHP-2": 3})
    other = Option(id="B", text="Other", scores={"SHP-3": 3})
    assert values.best([one, other], "police") == (one, 0.5)
    assert values.best([], "police") is None


def test_the_index_and_the_bots_ask_the_same_values(bundle: Bundle) -> None:
    index, bots = Index(bundle), BotTeam(Engine(bundle), "best", 1)
    for inject in bundle.scenario.injects:
        for option in inject.respond.options if inject.respond else []:
            for role in bundle.scenario.roles:
                assert index.value(inject.id, option, role) == bots.value(option, role)
    a = bundle.scenario.inject("INJ-002").respond.options[0]
    assert index.preferred("INJ-002", "military") == (a, 4.5)


@pytest.mark.parametrize("scenario", ["kallen-after-atrocities", "mareth-site-attack"])
def test_the_aar_finds_no_better_option_than_the_best_bot_chose(
    scenario: str, tmp_path: Path
) -> None:
    """Both have an inject (INJ-036, INJ-314) whose best option for the police differed between
    the bots' and the AAR's former definitions; in Mareth the best bot met it, and the AAR
    named another option as the one the rubric preferred."""
    bundle = load_catalog().bundle(scenario)  # the shipped content
    with Store(tmp_path / "best.db", synchronous="NORMAL") as store:
        controller = sim.start(store, bundle, 1, "best")
        sim.run(controller, "best")
        controller.flush()
        log = store.events(controller.session_id)
    aar = build_aar(bundle, log)
    assert aar.decisions
    assert [(d.inject, d.role, d.preferred) for d in aar.decisions if d.preferred] == []
