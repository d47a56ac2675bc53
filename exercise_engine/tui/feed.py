"""What a console is fed: events as a seat reads them, the inject as its role sees it, the brief.

These are plain values with no behaviour, so every widget can be built and tested from data and
the consoles do not depend on how the live layer carries them (in-process, or JSON lines from a
seat process). A ``FeedEvent`` has the shape of a line of ``exercise join --jsonl``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from exercise_engine.model.calendar import Calendar


@dataclass(frozen=True, slots=True)
class OptionCard:
    id: str
    text: str


@dataclass(frozen=True, slots=True)
class InjectCard:
    """An inject as one role sees it: its options only where that role must answer."""

    id: str
    title: str
    channel: str
    sender: str
    body: str
    due_at: int | None = None
    options: tuple[OptionCard, ...] = ()
    prompt: str = ""
    free_text: bool = False
    rationale: str = "none"
    """required | optional | none"""
    must_answer: bool = False


@dataclass(frozen=True, slots=True)
class FeedEvent:
    """One event of the log as a console reads it (``payload`` as stored)."""

    seq: int
    type: str
    t: int
    role: str | None
    payload: Mapping[str, Any]
    seat: str | None = None
    inject: InjectCard | None = None
    """For deliveries (and shares of an inject): the inject as the reader's role sees it."""
    brief: str | None = None
    """For a phase entered: that phase's brief, as the roles read it."""


@dataclass(frozen=True)
class Brief:
    """What a seat reads before and during play: its role, the situation, the phase briefs."""

    scenario: str
    title: str
    role: str
    role_name: str
    summary: str = ""
    setting: tuple[tuple[str, str], ...] = ()
    mandate: str = ""
    principles: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()
    constraints: tuple[str, ...] = ()
    roles: Mapping[str, str] = field(default_factory=dict)
    """Every role of the scenario: id -> name (for addressing messages)."""
    variables: Mapping[str, str] = field(default_factory=dict)
    """The situation variables this role follows: name -> label."""
    clock_start: str | None = None

    @cached_property
    def _calendar(self) -> Calendar:
        return Calendar.starting(self.clock_start)

    def clock(self, t: int) -> str:
        """Scenario time ``t`` as this scenario's players read it (model/calendar.py: a date
        and time, a time of day for an undated scenario, or T+)."""
        return self._calendar.label(t)

    def name(self, role: str | None) -> str:
        if role is None:
            return "Exercise control"
        return self.roles.get(role, role)
