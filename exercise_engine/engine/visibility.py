"""Who may see an event: the data behind role-scoped reads.

Seats read the log through their role's audience, so a seat never receives another role's
injects, answers, messages or the evaluators' notes; the store enforces this in its queries.
``EVERYONE`` marks events all seats see; an empty audience means control staff only (the
controller and evaluators see everything).
"""

from __future__ import annotations

from functools import singledispatch

from exercise_engine.engine import events as ev
from exercise_engine.model.bundle import Bundle

EVERYONE = "*"


@singledispatch
def audience(event: ev.Event, bundle: Bundle) -> list[str]:
    return []  # control only: ExerciseCreated, InjectTriggered, RuleFired, hold changes


@audience.register
def _(
    event: ev.PhaseEntered
    | ev.ClockPaused
    | ev.ClockResumed
    | ev.SpeedChanged
    | ev.MoveStarted
    | ev.ExerciseEnded,
    bundle: Bundle,
) -> list[str]:
    return [EVERYONE]


@audience.register
def _(event: ev.InjectDelivered, bundle: Bundle) -> list[str]:
    return list(event.to)


@audience.register
def _(event: ev.ResponseRecorded | ev.ResponseOverdue, bundle: Bundle) -> list[str]:
    return [event.role] if event.role else []


@audience.register
def _(event: ev.MessageSent | ev.InformationShared, bundle: Bundle) -> list[str]:
    sender = [event.role] if event.role else []
    return sender + [r for r in event.to if r != event.role]


@audience.register
def _(event: ev.VariableChanged, bundle: Bundle) -> list[str]:
    seeing = []
    for role_id in bundle.scenario.roles:
        role = bundle.roles.get(role_id)
        if role is None:
            continue
        view = role.sees.variables
        if view == "all" or event.variable in view:
            seeing.append(role_id)
    return seeing


@audience.register
def _(event: ev.ObservationRecorded, bundle: Bundle) -> list[str]:
    return []
