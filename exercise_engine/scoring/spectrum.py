"""The integration spectrum: how far two protection actors integrate (Operationalizing R2P,
Shape a protective environment > Comprehensive engagement).

Scoring places every pair of roles at the highest level the event log shows them reaching. The
levels are ordered; each names the events that reach it, so an evaluator can check the claim
against the log.
"""

from __future__ import annotations

from dataclasses import dataclass

COEXISTENCE, COMMUNICATION, INFORMATION_SHARING, FORMAL_COORDINATION, COOPERATION = range(5)
TOP = COOPERATION


@dataclass(frozen=True)
class Level:
    rank: int
    id: str
    title: str
    evidence: str
    """What in the log reaches this level (said in the AAR and docs/scoring.md)."""


LEVELS: tuple[Level, ...] = (
    Level(COEXISTENCE, "coexistence", "Coexistence", "no exchange between the two roles"),
    Level(COMMUNICATION, "communication", "Communication", "a message between the two roles"),
    Level(
        INFORMATION_SHARING,
        "information-sharing",
        "Information sharing",
        "one role shared an inject with the other",
    ),
    Level(
        FORMAL_COORDINATION,
        "formal-coordination",
        "Formal coordination",
        "messages or shares about an inject both received, before answering it",
    ),
    Level(
        COOPERATION,
        "cooperation",
        "Cooperation / collaboration",
        "joint choices that a scenario rule rewarded, after the two roles exchanged on them",
    ),
)
RANK: dict[str, int] = {lv.id: lv.rank for lv in LEVELS}
"""Level id (as a rubric names it: ``IntegrationLevel``) -> rank."""


def level(rank: int) -> Level:
    return LEVELS[rank]


def pair(a: str, b: str) -> tuple[str, str]:
    """A pair of roles in a stable order, so (a, b) and (b, a) are one pair."""
    return (a, b) if a <= b else (b, a)
