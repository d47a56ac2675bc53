"""Deciding one command: the events decided so far, and the rules both kinds of command share.

A ``Draft`` is not a database transaction: nothing in it is ever undone. The engine applies
each event to the working state as soon as it decides it (later decisions of the same command
read that state), and a handler may refuse its command only before it has decided any event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from exercise_engine.engine import events as ev
from exercise_engine.engine.agenda import Agenda
from exercise_engine.engine.conditions import ConditionIndex
from exercise_engine.engine.state import BRIEFING, SETUP, ExerciseState, apply
from exercise_engine.model.scenario import ALL_ROLES, Scenario


class Rejected(Exception):
    """A command the engine refuses; the message is for the person who sent it."""


class Draft:
    """The events of one command, applied to ``state`` (and the agenda) as they are decided."""

    def __init__(self, state: ExerciseState, agenda: Agenda, conditions: ConditionIndex):
        self.state = state
        self.agenda = agenda
        self.conditions = conditions
        self.events: list[ev.Event] = []
        self.dirty: set[int] = set()
        """Conditions whose truth may have changed since they were last evaluated."""
        self.entered: dict[tuple[str, int], int] = {}
        """How often each phase was entered at each instant (stops conditions ping-ponging)."""

    def emit(self, event: ev.Event) -> None:
        state = self.state
        first = isinstance(event, ev.InjectDelivered) and event.inject not in state.first_delivery
        apply(event, state)
        self.agenda.observe(event, first)
        self.events.append(event)
        self.dirty |= self.conditions.affected_by(event)


Handler = Callable[[Draft, Any, int], None]
"""Decides one type of command at an instant, into a draft (the command typed as its class)."""


def require_play(state: ExerciseState) -> None:
    if state.phase in (SETUP, BRIEFING):
        raise Rejected("the exercise has not started yet")
    if not state.in_play:
        raise Rejected(f"play is over (the exercise is in {state.phase})")


def named_roles(scenario: Scenario, requested: list[str] | None, default: list[str]) -> list[str]:
    """The scenario's roles a command names (``all`` for every one), in the scenario's order."""
    if not requested:
        return list(default)
    if ALL_ROLES in requested:
        return list(scenario.roles)
    unknown = [r for r in requested if r not in scenario.roles]
    if unknown:
        raise Rejected(
            f"unknown role {', '.join(unknown)}; the roles are " + ", ".join(scenario.roles)
        )
    return [r for r in scenario.roles if r in requested]
