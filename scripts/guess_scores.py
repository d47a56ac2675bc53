"""Can a table score by guessing? The figures of issue 13's content half.

    python scripts/guess_scores.py [--content DIR ...]

For each shipped scenario: the scores of best play and of the guessing policies `first` and
`longest` (seed 1), and random play's mean over seeds 1-5 (before the rubric's outcome caps in
brackets); then where the option the rubric values most stands in a seat's decisions (first,
longest) and how many decision injects weigh two defensible options with opposite costs.
"""

from __future__ import annotations

import argparse
from statistics import fmean

from exercise_engine.model.loader import load_catalog
from exercise_engine.session.guessing import decisions, dilemma, played


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", action="append", default=[], help="content folders first")
    catalog = load_catalog(content=parser.parse_args().content)
    print(
        "| scenario | best | first | longest | random (1-5) | top first | top longest "
        "| two defensible |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for scenario in sorted(catalog.scenarios):
        bundle = catalog.bundle(scenario)
        best, first, longest = (played(bundle, p) for p in ("best", "first", "longest"))
        chance = [played(bundle, "random", seed) for seed in range(1, 6)]
        made = [d for d in decisions(bundle) if d.ranked]
        asked = {d.inject.id for d in decisions(bundle)}
        two = {d.inject.id for d in decisions(bundle) if dilemma(d, bundle)}

        def both(overall: float, uncapped: float) -> str:
            return f"{overall:.1f} ({uncapped:.1f})"

        print(
            f"| {scenario} | {both(best.overall, best.uncapped)} "
            f"| {both(first.overall, first.uncapped)} "
            f"| {both(longest.overall, longest.uncapped)} "
            f"| {both(fmean(c.overall for c in chance), fmean(c.uncapped for c in chance))} "
            f"| {sum(d.top_first for d in made)}/{len(made)} "
            f"| {sum(d.top_longest for d in made)}/{len(made)} | {len(two)}/{len(asked)} |"
        )


if __name__ == "__main__":
    main()
