"""What the situation came to, in the AAR's words: the rubric's outcomes and the overall cap.

Scoring reads the outcomes (scoring/outcomes.py); this module says them once, for the executive
summary, the scores section, the findings and the hot-wash sheet, each sentence naming the
events it rests on.
"""

from __future__ import annotations

from collections.abc import Iterable

from exercise_engine.model.bundle import Bundle
from exercise_engine.report.model import OutcomeCapEntry, OutcomeEntry
from exercise_engine.report.text import Labels, lower_first, pct, phase_name
from exercise_engine.scoring import OutcomeCap, OutcomeCheck, Scorecard

MEASURES = {
    "value": "",
    "share_of_range": " of its range",
    "ratio_to_start": " times its value at STARTEX",
}


def when(check: OutcomeCheck | OutcomeEntry) -> str:
    """``at ENDEX`` or ``at the end of the React phase``."""
    return "at ENDEX" if check.endex else f"at the end of the {phase_name(check.phase)} phase"


def measured(check: OutcomeCheck | OutcomeEntry) -> str:
    """The value as the threshold reads it: ``0.9 of its range``, ``6.3 times ...``."""
    if check.measure == "value":
        return f"{check.value:g}"
    return f"{check.value:g} ({check.measured:.2g}{MEASURES[check.measure]})"


def sentences(checks: Iterable[OutcomeCheck | OutcomeEntry], labels: Labels) -> list[str]:
    """Failed outcomes in words, one sentence per criterion and variable however many
    checkpoints failed: what the variable was and when, the threshold, the rating it allows,
    and the checkpoints' events."""
    grouped: dict[tuple[str, str, str, str | None], list[OutcomeCheck | OutcomeEntry]] = {}
    for check in checks:
        key = (check.criterion, check.variable, check.bound, check.rating)
        grouped.setdefault(key, []).append(check)
    out = []
    for (criterion, variable, bound, rating), found in grouped.items():
        label = labels.bundle.scenario.variables[variable].label or variable
        moments = [f"{measured(c)} {when(c)}" for c in found]
        said = moments[0] if len(moments) == 1 else ", ".join(moments[:-1]) + " and " + moments[-1]
        cites = ", ".join(f"#{c.seqs[0]}" for c in found)
        out.append(
            f"{lower_first(label)} was {said} ({cites}): {bound}{MEASURES[found[0].measure]}, "
            f"so {criterion} can rate no higher than {rating}"
        )
    return out


def entries(bundle: Bundle, card: Scorecard, labels: Labels) -> list[OutcomeEntry]:
    """Every outcome read, failed or met, in checkpoint order."""
    criteria = bundle.rubric.criteria
    return [
        OutcomeEntry(
            criterion=c.criterion,
            criterion_title=criteria[c.criterion].title if c.criterion in criteria else "",
            variable=c.variable,
            label=c.label,
            phase=c.phase,
            endex=c.endex,
            clock=labels.clock(c.t),
            value=c.value,
            measured=c.measured,
            measure=c.measure,
            rating=c.rating,
            bound=c.bound,
            seqs=list(c.seqs),
        )
        for c in sorted(card.outcomes, key=lambda c: (c.seq, c.criterion))
    ]


def cap_entry(cap: OutcomeCap | None, labels: Labels) -> OutcomeCapEntry | None:
    if cap is None:
        return None
    return OutcomeCapEntry(
        level=cap.level,
        score=cap.score,
        uncapped=cap.uncapped,
        reasons=sentences(cap.checks, labels),
        seqs=list(cap.seqs),
    )


def cap_sentence(cap: OutcomeCapEntry) -> str:
    """Why the overall score is what it is, when an outcome holds it."""
    reasons = "; ".join(cap.reasons[:3]) + (
        f"; and {len(cap.reasons) - 3} more" if len(cap.reasons) > 3 else ""
    )
    held = (
        f"held at {pct(cap.score)}, the rubric's {cap.level} level, from {pct(cap.uncapped)}"
        if cap.uncapped > cap.score
        else f"no higher than {pct(cap.score)}, the rubric's {cap.level} level, in any case"
    )
    return f"The overall score is {held}, because the protection of civilians failed: {reasons}."
