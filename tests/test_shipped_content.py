"""The shipped content holds up in play: decisions matter, and nothing in it is dead weight.

Every shipped scenario is simulated with each bot policy and several seeds: across those runs
every inject is delivered and every phase reached; best play scores above worst play and ends in
a different situation. (That every option is scored and every criterion expected or scored is
checked statically by `exercise validate --strict`, in the validator features.)
"""

from __future__ import annotations

import pytest

from exercise_engine.model.bundle import Bundle
from exercise_engine.model.content_path import DEFAULT_SCENARIO
from exercise_engine.model.loader import load_catalog
from exercise_engine.model.scenario import PLAY_PHASES
from exercise_engine.scoring import score
from exercise_engine.session import simulate as sim
from exercise_engine.store import Store

SHIPPED = load_catalog()
SCENARIOS = sorted(SHIPPED.scenarios)
SEEDS = (1, 2, 3, 4, 5)


def play(bundle: Bundle, policy: str, seed: int) -> tuple[sim.SimulationRun, float]:
    with Store(":memory:", synchronous="OFF") as store:
        controller = sim.start(store, bundle, seed, policy)
        run = sim.run(controller, policy)
        overall = score(bundle, store.events(controller.session_id)).overall
        return run, overall


def test_the_default_scenario_is_shipped() -> None:
    assert "kallen-early-warning" in SCENARIOS


MIN_WALL_MINUTES = 8  # a syndicate reads, discusses and answers one decision


def test_every_decision_of_the_default_scenario_leaves_the_table_eight_wall_minutes() -> None:
    """At its own speed, the default scenario gives every decision at least eight wall minutes,
    except the snap decisions it marks as time pressure; and it has a few of those."""
    scenario = SHIPPED.bundle(DEFAULT_SCENARIO).scenario
    assert scenario.clock.mode == "realtime"
    short, snaps = [], []
    for inject in scenario.injects:
        respond = inject.respond
        if respond is None or respond.due is None:
            continue
        wall_minutes = respond.due / 60 / scenario.clock.speed
        if respond.time_pressure:
            snaps.append(inject.id)
        elif wall_minutes < MIN_WALL_MINUTES:
            short.append(f"{inject.id}: {wall_minutes:.1f} wall minutes")
    assert not short, short
    assert snaps, "a tabletop has a snap decision or two"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_best_play_scores_above_worst_and_ends_differently(scenario: str) -> None:
    bundle = SHIPPED.bundle(scenario)
    best, best_score = play(bundle, "best", 7)
    worst, worst_score = play(bundle, "worst", 7)
    assert best_score > worst_score
    assert best.controller.state.variables != worst.controller.state.variables
    assert not best.rejections and not worst.rejections


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_inject_is_delivered_and_every_phase_reached_in_some_run(scenario: str) -> None:
    bundle = SHIPPED.bundle(scenario)
    delivered: set[str] = set()
    for policy in ("best", "worst", "random"):
        for seed in SEEDS if policy == "random" else (1,):
            run, _ = play(bundle, policy, seed)
            state = run.controller.state
            delivered |= set(state.first_delivery)
            reached = {phase for phase, _ in state.phase_entries}
            assert set(PLAY_PHASES) <= reached, (policy, seed, reached)
    never = [i.id for i in bundle.scenario.injects if i.id not in delivered]
    assert not never, f"never delivered in any run: {never}"
