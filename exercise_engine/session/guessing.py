"""Can a table score well without reading the options? Played, not guessed at.

Two bot policies answer every decision without weighing it: ``first`` takes the option the
author wrote first, ``longest`` the longest one. If either scores within ``MARGIN`` points of
``best`` on a scenario, the option texts give the answer away (authors tend to write the best
option first and most carefully). ``exercise validate --strict`` warns about it; the shipped
scenarios are kept free of it by tests/test_shipped_options.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from exercise_engine.model.bundle import Bundle
from exercise_engine.model.catalog import Catalog
from exercise_engine.model.diagnostics import Diagnostic, Severity
from exercise_engine.model.scenario import Inject, Option
from exercise_engine.model.value import OptionValues
from exercise_engine.scoring import score
from exercise_engine.session import simulate as sim

MARGIN = 10.0
"""Points of the 0-100 overall score: closer to best than this, and a guess is as good as play."""
GUESSES = ("first", "longest")
SEED = 1


@dataclass(frozen=True, slots=True)
class PolicyScore:
    policy: str
    overall: float
    uncapped: float
    """The score before the rubric's outcome caps: a guess that ends badly is capped like any
    run, and a cap must not hide options that give themselves away."""


def played(bundle: Bundle, policy: str, seed: int = SEED) -> PolicyScore:
    """The scorecard of one simulated run of ``bundle`` played by ``policy``."""
    card = score(bundle, sim.play_in_memory(bundle, policy, seed))
    uncapped = card.cap.uncapped if card.cap is not None else card.overall
    return PolicyScore(policy, card.overall, uncapped)


def near_best(guess: PolicyScore, best: PolicyScore, margin: float = MARGIN) -> bool:
    """Whether a guessing policy scores within ``margin`` of best play, capped or not."""
    return guess.overall > best.overall - margin or guess.uncapped > best.uncapped - margin


def guessable(bundle: Bundle, margin: float = MARGIN) -> list[tuple[PolicyScore, PolicyScore]]:
    """The guessing policies that score within ``margin`` of best play, each with best's score.
    Where the rubric ranks no decision's options there is no answer to give away (every policy
    scores alike): nothing is found, and the unrated decisions are the validator's own warning."""
    if not any(d.ranked for d in decisions(bundle)):
        return []
    best = played(bundle, "best")
    guesses = (played(bundle, policy) for policy in GUESSES)
    return [(guess, best) for guess in guesses if near_best(guess, best, margin)]


def guess_diagnostics(catalog: Catalog, scenarios: Iterable[str]) -> list[Diagnostic]:
    """A warning at each of ``scenarios`` (valid ones) whose options a guess answers well."""
    out: list[Diagnostic] = []
    for scenario_id in scenarios:
        entry = catalog.scenarios[scenario_id]
        for guess, best in guessable(catalog.bundle(scenario_id)):
            how = "the authored order" if guess.policy == "first" else "the longest option"
            out.append(
                Diagnostic(
                    entry.document.position(("injects",)),
                    f"bot policy '{guess.policy}' ({how}) scores {_points(guess)}, within "
                    f"{MARGIN:g} points of best play ({_points(best)}): the options give the "
                    "answer away; vary where the strongest option stands and how long it is "
                    "(docs/content-brief.md)",
                    "injects",
                    Severity.WARNING,
                    "guessable",
                )
            )
    return out


def _points(played: PolicyScore) -> str:
    if played.uncapped == played.overall:
        return f"{played.overall:.1f}"
    return f"{played.overall:.1f}, {played.uncapped:.1f} before outcome caps"


# -- what the option texts tell a table, counted -----------------------------------------------


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision a seat makes: the role's options in authored order and their values."""

    inject: Inject
    role: str
    options: list[Option]
    values: list[float]

    @property
    def ranked(self) -> bool:
        """Whether the rubric ranks the options at all (some value differs)."""
        return max(self.values) > min(self.values)

    def top_at(self, index: int) -> bool:
        return self.values[index] == max(self.values)

    @property
    def top_first(self) -> bool:
        return self.top_at(0)

    @property
    def top_longest(self) -> bool:
        lengths = [len(o.text) for o in self.options]
        return self.top_at(lengths.index(max(lengths)))


def decisions(bundle: Bundle) -> list[Decision]:
    """Every decision a seat of ``bundle`` makes, with the rubric's value of each option."""
    values = OptionValues(bundle.rubric)
    out = []
    for inject in bundle.scenario.injects:
        if inject.respond is None or not inject.respond.options:
            continue
        for role in bundle.scenario.responders(inject, bundle.control):
            options = inject.respond.offered(role)
            out.append(Decision(inject, role, options, [values.of(o, role) for o in options]))
    return out


def trades_off(a: Option, b: Option, bundle: Bundle) -> bool:
    """Whether ``a`` is better for civilians than ``b`` on some situation variable."""
    for name, variable in bundle.scenario.variables.items():
        if variable.better is None:
            continue
        gain = a.effects.get(name, 0) - b.effects.get(name, 0)
        if (gain < 0) if variable.better == "lower" else (gain > 0):
            return True
    return False


def dilemma(decision: Decision, bundle: Bundle) -> bool:
    """Two options the rubric values (the second at least three quarters of the first), each
    better than the other for civilians on some part of the situation."""
    ranked = sorted(range(len(decision.options)), key=lambda k: -decision.values[k])
    if len(ranked) < 2:
        return False
    a, b = ranked[0], ranked[1]
    va, vb = decision.values[a], decision.values[b]
    if not (vb > 0 and vb >= 0.75 * va):
        return False
    first, second = decision.options[a], decision.options[b]
    return trades_off(first, second, bundle) and trades_off(second, first, bundle)
