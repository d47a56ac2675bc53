"""How much of the long lists the reading formats show: Markdown and HTML stay readable.

A 100,000-event session holds tens of thousands of decisions and deliveries. JSON and CSV carry
every one; the documents people read and print list what an evaluator looks at first (late
answers, choices the rubric ranks below another, contingencies) up to a budget, and say what
was left out and where to find it. Small sessions are shown whole.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from exercise_engine.report.model import AAR, Decision, InjectRecord, Observation, TimelineEntry

T = TypeVar("T")

DECISIONS = 600
KEY_EVENTS = 400
APPENDIX = 400
OBSERVATIONS = 600
IGNORED = 20
ELSEWHERE = "every one is in the JSON report, and decisions in the CSV report"


@dataclass(frozen=True)
class Shown(Generic[T]):
    items: list[T]
    total: int
    note: str
    """Empty when everything is shown; otherwise what was left out and where it is."""


def _pick(
    items: Sequence[T], limit: int, first: Callable[[T], bool], what: str, which: str
) -> Shown[T]:
    """All items within ``limit``; above it, those ``first`` flags, then the others, each kept in
    log order."""
    if len(items) <= limit:
        return Shown(list(items), len(items), "")
    flagged = [i for i, item in enumerate(items) if first(item)]
    chosen = set(flagged[:limit])
    for i in range(len(items)):
        if len(chosen) >= limit:
            break
        chosen.add(i)
    kept = [items[i] for i in sorted(chosen)]
    note = (
        f"Showing {len(kept):,} of {len(items):,} {what}: {which}. The rest are left out "
        f"here to keep this document readable; {ELSEWHERE}."
    )
    return Shown(kept, len(items), note)


def decisions(aar: AAR) -> Shown[Decision]:
    return _pick(
        aar.decisions,
        DECISIONS,
        lambda d: d.late or d.preferred is not None,
        "decisions",
        "late answers and choices the rubric ranks below another first",
    )


def key_events(aar: AAR) -> Shown[TimelineEntry]:
    return _pick(
        aar.timeline.entries,
        KEY_EVENTS,
        lambda e: e.kind != "inject",
        "key events",
        "phases, contingencies, ad-hoc injects and rules first, then deliveries",
    )


def appendix(aar: AAR) -> Shown[InjectRecord]:
    return _pick(
        aar.appendix,
        APPENDIX,
        lambda r: r.contingency or r.adhoc or not r.delivered,
        "injects",
        "contingency, ad-hoc and undelivered injects first, then in MSEL order",
    )


def observations(aar: AAR) -> Shown[Observation]:
    return _pick(
        aar.observations,
        OBSERVATIONS,
        lambda o: o.rating in ("M", "U"),
        "observations",
        "ratings of M and U first",
    )


def ignored(aar: AAR) -> Shown[str]:
    return _pick(
        aar.scores.ignored,
        IGNORED,
        lambda _: False,
        "items of evidence the rubric could not use",
        "the first in log order",
    )
