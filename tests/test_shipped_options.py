"""The shipped options give nothing away: a table has to read and weigh them.

Authors tend to write the best option first, longest and most hedged. In the shipped scenarios
a bot that takes the authored first option, or the longest, scores no better than chance (the
mean of random play over five seeds, plus ten points), and `exercise validate --strict` finds
nothing to warn about; the option the rubric values most stands first in at most 40% of the
decisions a seat makes, and is the longest in at most 40%. A third of the decisions offer two
defensible options with opposite costs (the paper's trade-offs), so no ranking is obvious.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest
from tinycontent import course_catalog, scenario_text

from exercise_engine.model.loader import load_catalog
from exercise_engine.session.guessing import (
    GUESSES,
    MARGIN,
    PolicyScore,
    decisions,
    dilemma,
    guessable,
    near_best,
    played,
)

SHIPPED = load_catalog()
SCENARIOS = sorted(SHIPPED.scenarios)
SEEDS = (1, 2, 3, 4, 5)
MAX_TOP_SHARE = 0.40
MIN_DILEMMA_SHARE = 0.30


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_taking_the_first_or_the_longest_option_scores_no_better_than_chance(
    scenario: str,
) -> None:
    bundle = SHIPPED.bundle(scenario)
    chance = [played(bundle, "random", seed) for seed in SEEDS]
    ceiling = statistics.mean(p.overall for p in chance) + MARGIN
    ceiling_uncapped = statistics.mean(p.uncapped for p in chance) + MARGIN
    for policy in GUESSES:
        guess = played(bundle, policy)
        assert guess.overall <= ceiling, (policy, guess, ceiling)
        assert guess.uncapped <= ceiling_uncapped, (policy, guess, ceiling_uncapped)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_validate_strict_finds_no_guessable_scenario(scenario: str) -> None:
    assert guessable(SHIPPED.bundle(scenario)) == []


def test_the_guess_check_can_fail() -> None:
    """A guess within ten points of best play, capped or not, is flagged."""
    best = PolicyScore("best", 80.0, 80.0)
    assert near_best(PolicyScore("first", 71.0, 71.0), best)
    assert near_best(PolicyScore("first", 33.3, 75.0), best)  # capped, yet close before the cap
    assert not near_best(PolicyScore("first", 33.3, 45.0), best)


GATE = """\
injects:
  - id: GATE
    phase: prevent
    at: "+5m"
    to: [humanitarian]
    channel: radio
    title: "Thousands at the gate"
    expect: [SHP-1]
    respond:
      due: "30m"
      options:
        - {id: A, text: "Open the gate and serve them inside", scores: {SHP-1: SCORE_A}}
        - {id: B, text: "Keep it shut", scores: {SHP-1: 1}}
"""


def test_the_guess_check_flags_the_answer_written_first_and_longest(tmp_path: Path) -> None:
    """The strongest option written first and longest: both guesses play as well as best."""
    text = scenario_text("gate-guess", "[humanitarian]", GATE.replace("SCORE_A", "4"))
    bundle = course_catalog(tmp_path, "gate-guess", text).bundle("gate-guess")
    assert {guess.policy for guess, _ in guessable(bundle)} == {"first", "longest"}


def test_options_the_rubric_does_not_rank_give_nothing_away(tmp_path: Path) -> None:
    """Every option scored alike (or none scored): there is no answer to guess."""
    text = scenario_text("gate-even", "[humanitarian]", GATE.replace("SCORE_A", "1"))
    bundle = course_catalog(tmp_path, "gate-even", text).bundle("gate-even")
    assert not any(d.ranked for d in decisions(bundle))
    assert guessable(bundle) == []


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_strongest_option_is_neither_first_nor_longest_in_most_decisions(
    scenario: str,
) -> None:
    made = [d for d in decisions(SHIPPED.bundle(scenario)) if d.ranked]
    first = sum(d.top_first for d in made)
    longest = sum(d.top_longest for d in made)
    assert first / len(made) <= MAX_TOP_SHARE, f"top option first in {first}/{len(made)}"
    assert longest / len(made) <= MAX_TOP_SHARE, f"top option longest in {longest}/{len(made)}"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_a_third_of_the_decisions_weigh_two_defensible_options_with_opposite_costs(
    scenario: str,
) -> None:
    """Two options the rubric values (the second at least three quarters of the first), each
    better than the other for civilians on some part of the situation."""
    bundle = SHIPPED.bundle(scenario)
    made = decisions(bundle)
    asked = {d.inject.id for d in made}
    dilemmas = {d.inject.id for d in made if dilemma(d, bundle)}
    assert len(dilemmas) / len(asked) >= MIN_DILEMMA_SHARE, (len(dilemmas), len(asked))
