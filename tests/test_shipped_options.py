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

import pytest

from exercise_engine.model.bundle import Bundle
from exercise_engine.model.loader import load_catalog
from exercise_engine.model.scenario import Inject, Option
from exercise_engine.model.value import OptionValues
from exercise_engine.session.guessing import (
    GUESSES,
    MARGIN,
    PolicyScore,
    guessable,
    near_best,
    played,
)

SHIPPED = load_catalog()
SCENARIOS = sorted(SHIPPED.scenarios)
SEEDS = (1, 2, 3, 4, 5)
MAX_TOP_SHARE = 0.40
MIN_DILEMMA_SHARE = 0.30


def decisions(bundle: Bundle) -> list[tuple[Inject, str, list[Option], list[float]]]:
    """Every decision a seat makes: (inject, role, the role's options in authored order, their
    values for the role)."""
    values = OptionValues(bundle.rubric)
    out = []
    for inject in bundle.scenario.injects:
        if inject.respond is None or not inject.respond.options:
            continue
        for role in bundle.scenario.responders(inject, bundle.control):
            options = inject.respond.offered(role)
            out.append((inject, role, options, [values.of(o, role) for o in options]))
    return out


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


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_strongest_option_is_neither_first_nor_longest_in_most_decisions(
    scenario: str,
) -> None:
    made = [d for d in decisions(SHIPPED.bundle(scenario)) if max(d[3]) > min(d[3])]
    first = longest = 0
    for _, _, options, values in made:
        top = max(values)
        lengths = [len(o.text) for o in options]
        first += values[0] == top
        longest += values[lengths.index(max(lengths))] == top
    assert first / len(made) <= MAX_TOP_SHARE, f"top option first in {first}/{len(made)}"
    assert longest / len(made) <= MAX_TOP_SHARE, f"top option longest in {longest}/{len(made)}"


def trades_off(a: Option, b: Option, bundle: Bundle) -> bool:
    """Whether ``a`` is better for civilians than ``b`` on some situation variable."""
    for name, variable in bundle.scenario.variables.items():
        if variable.better is None:
            continue
        gain = a.effects.get(name, 0) - b.effects.get(name, 0)
        if (gain < 0) if variable.better == "lower" else (gain > 0):
            return True
    return False


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_a_third_of_the_decisions_weigh_two_defensible_options_with_opposite_costs(
    scenario: str,
) -> None:
    """Two options the rubric values (the second at least three quarters of the first), each
    better than the other for civilians on some part of the situation."""
    bundle = SHIPPED.bundle(scenario)
    asked, dilemmas = set(), set()
    for inject, _, options, values in decisions(bundle):
        asked.add(inject.id)
        ranked = sorted(range(len(options)), key=lambda k: -values[k])
        if len(ranked) < 2:
            continue
        a, b = ranked[0], ranked[1]
        defensible = values[b] > 0 and values[b] >= 0.75 * values[a]
        opposite = trades_off(options[a], options[b], bundle) and trades_off(
            options[b], options[a], bundle
        )
        if defensible and opposite:
            dilemmas.add(inject.id)
    assert len(dilemmas) / len(asked) >= MIN_DILEMMA_SHARE, (len(dilemmas), len(asked))
