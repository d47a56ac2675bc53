"""Who is connected: seats heartbeat into the ``seats`` table; anyone may read it.

A seat is connected while its heartbeats keep coming (within ``STALE_AFTER_S``) and it has not
left. The controller's console and the evaluators' views show this per role (names, since when).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from exercise_engine.store import live as db

HEARTBEAT_S = 2.0
"""How often a seat says it is still there."""
STALE_AFTER_S = 3 * HEARTBEAT_S


@dataclass(frozen=True, slots=True)
class Presence:
    seat: str
    role: str | None
    """The role the seat plays; None for an evaluator."""
    name: str
    kind: str
    """``player`` or ``evaluator``."""
    since: str
    """When it joined (ISO 8601, UTC)."""
    connected: bool
    last_seen: float | None
    """Unix time of its last heartbeat."""


def presence(conn: sqlite3.Connection, session_id: str, now: float) -> list[Presence]:
    """Every seat that ever joined the session, connected ones first within each role."""
    found = [
        Presence(
            row.seat,
            row.role,
            row.name,
            row.kind,
            row.joined_at,
            row.left_at is None and row.seen is not None and now - row.seen <= STALE_AFTER_S,
            row.seen,
        )
        for row in db.seat_rows(conn, session_id)
    ]
    return sorted(found, key=lambda p: (p.role or "~", not p.connected, p.since))


def connected_by_role(people: list[Presence]) -> dict[str, list[Presence]]:
    """Connected seats per role (``evaluator`` for the evaluators)."""
    grouped: dict[str, list[Presence]] = {}
    for person in people:
        if person.connected:
            grouped.setdefault(person.role or "evaluator", []).append(person)
    return grouped
