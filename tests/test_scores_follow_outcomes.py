"""Scores follow outcomes (issue 13): a shipped scenario played to a catastrophe for civilians
cannot read as "performed with some challenges", however the options chosen scored."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fixtures.shipped import CATALOG as SHIPPED
from fixtures.shipped import SCENARIOS, played

from exercise_engine.model.bundle import Bundle
from exercise_engine.scoring import Scorecard, score

WITH_ACCESS = [s for s in SCENARIOS if "access" in SHIPPED.bundle(s).scenario.variables]
SEEDS = range(1, 9)


def play(bundle: Bundle, policy: str, seed: int) -> tuple[dict[str, float], Scorecard]:
    run = played(bundle, policy, seed)
    return run.final, score(bundle, run.log)


def test_the_shipped_rubric_reads_access_in_the_shipped_scenarios() -> None:
    assert WITH_ACCESS == ["kallen-early-warning", "mareth-site-attack"]
    assert SHIPPED.rubrics["poc-doctrine"].model.outcome_cap == "M"


@pytest.mark.parametrize("scenario", WITH_ACCESS)
def test_a_random_run_that_ends_with_access_at_0_rates_no_higher_than_m(scenario: str) -> None:
    bundle = SHIPPED.bundle(scenario)
    floor = bundle.scenario.variables["access"].min
    ended_at_0 = 0
    for seed in SEEDS:
        final, card = play(bundle, "random", seed)
        if final["access"] != floor:
            continue
        ended_at_0 += 1
        assert card.rating in ("M", "U"), (seed, card.overall, card.rating)
        assert card.cap is not None and card.overall <= card.cap.score
        assert any(c.variable == "access" and c.endex for c in card.cap.checks), seed
    assert ended_at_0, f"no random seed in {SEEDS} ends {scenario} with access 0: pick others"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_best_play_fails_no_outcome_and_worst_play_is_capped(scenario: str) -> None:
    bundle = SHIPPED.bundle(scenario)
    _, best = play(bundle, "best", 1)
    failed = [(c.criterion, c.variable, c.phase, c.value) for c in best.outcomes if c.failed]
    assert not failed and best.cap is None and best.rating in ("P", "S")
    _, worst = play(bundle, "worst", 1)
    assert worst.cap is not None and worst.rating == "U"


def test_a_run_that_ends_on_the_brink_of_open_confrontation_rates_no_higher_than_m() -> None:
    """Prevention is the election-day scenario's objective: a run that ends with tension at 90%
    of its scale is held at M by PRO-3's outcome, even with some access left (kallen-early-warning
    random seed 9 read "54/100, S" with tension 9 of 10 and access 1 before PRO-3 read it)."""
    bundle = SHIPPED.bundle("kallen-early-warning")
    tension = bundle.scenario.variables["tension"]
    brink = tension.min + 0.9 * (tension.max - tension.min)
    held_by_tension_alone = 0
    for seed in range(1, 13):
        final, card = play(bundle, "random", seed)
        if final["tension"] < brink:
            continue
        assert card.rating in ("M", "U") and card.cap is not None, (seed, card.overall)
        causes = {c.variable for c in card.cap.checks}
        assert "tension" in causes, (seed, causes)
        held_by_tension_alone += causes == {"tension"}
    assert held_by_tension_alone, "no seed ends on the brink with access and displacement in bounds"


def test_the_content_brief_lists_every_outcome_the_rubric_reads() -> None:
    """Writers of scenarios read docs/content-brief.md, not the rubric: its table of outcomes
    must name every variable the shipped rubric reads, with the criterion that reads it."""
    brief = (Path(__file__).parents[1] / "docs" / "content-brief.md").read_text(encoding="utf-8")
    rows = [line for line in brief.splitlines() if line.startswith("| `")]
    rubric = SHIPPED.rubrics["poc-doctrine"].model
    read = {(o.variable, c.id) for c in rubric.criteria.values() for o in c.outcomes}
    assert read
    for variable, criterion in sorted(read):
        assert any(f"`{variable}`" in r and f"| {criterion} |" in r for r in rows), variable
    listed = {v for r in rows for v in re.findall(r"`(\w+)`", r.split("|")[1])}
    assert listed == {v for v, _ in read}
