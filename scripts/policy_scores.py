"""Scores of bot play on the shipped scenarios: the figures docs/scoring.md quotes.

    python scripts/policy_scores.py                # best and worst (seed 1), random seeds 1-8
    python scripts/policy_scores.py --seeds 20 --runs

Each run is a headless simulation in memory (as ``exercise simulate``), scored against the
scenario's rubric. ``--runs`` prints every run with its rating, the outcome cap if any, and the
final situation.
"""

from __future__ import annotations

import argparse
from statistics import fmean

from exercise_engine.model.bundle import Bundle
from exercise_engine.model.loader import load_catalog
from exercise_engine.scoring import Scorecard, score
from exercise_engine.session import simulate as sim
from exercise_engine.store import Store


def played(bundle: Bundle, policy: str, seed: int) -> tuple[Scorecard, dict[str, float]]:
    with Store(":memory:", synchronous="OFF") as store:
        controller = sim.start(store, bundle, seed, policy)
        sim.run(controller, policy)
        return score(bundle, store.events(controller.session_id)), dict(controller.state.variables)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8, help="random seeds 1..N (default 8)")
    parser.add_argument("--runs", action="store_true", help="print every run")
    args = parser.parse_args()
    catalog = load_catalog()
    print("| scenario | best | worst | random (mean, range) | random runs capped by an outcome |")
    print("|---|---|---|---|---|")
    for scenario in sorted(catalog.scenarios):
        bundle = catalog.bundle(scenario)
        runs = [("best", 1), ("worst", 1)] + [("random", s) for s in range(1, args.seeds + 1)]
        cards = {}
        for policy, seed in runs:
            card, final = played(bundle, policy, seed)
            cards[(policy, seed)] = card
            if args.runs:
                cap = f"capped {card.cap.level} from {card.cap.uncapped:.1f}" if card.cap else ""
                situation = " ".join(f"{k}={v:g}" for k, v in final.items())
                print(
                    f"{scenario} {policy} {seed}: {card.overall:.1f} {card.rating} {cap} "
                    f"[{situation}]"
                )
        random = [c for (p, _), c in cards.items() if p == "random"]
        overall = [c.overall for c in random]
        capped = sum(1 for c in random if c.cap is not None)
        print(
            f"| {scenario} | {cards[('best', 1)].overall:.1f} | {cards[('worst', 1)].overall:.1f} "
            f"| {fmean(overall):.1f} ({min(overall):.1f}-{max(overall):.1f}) "
            f"| {capped} of {len(random)} |"
        )


if __name__ == "__main__":
    main()
