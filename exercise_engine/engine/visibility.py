"""Who may see an event: the data behind role-scoped reads.

Seats read the log through their role's audience, so a seat never receives another role's
injects, answers, messages or the evaluators' notes; the store enforces this in its queries.
``EVERYONE`` marks events all seats see; an empty audience means control staff only (the
controller and evaluators see everything). Within what a role may see, ``reading`` cuts the
contents for its audience, and ``role_brief`` is all a role reads of the scenario itself: the
store writes both when the events are appended, so a seat's reads are plain queries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import singledispatch
from typing import Any

from exercise_engine.engine import events as ev
from exercise_engine.engine.option_order import shown_options
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.scenario import PLAY_PHASES

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
    | ev.ExerciseEnded
    | ev.ControllerTookOver,
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


# -- what each role reads of an event it may see ----------------------------------------------

Json = dict[str, Any]
AdhocText = Callable[[str], Json | None]
"""The stored text of an ad-hoc inject by id (they live in the log, not in the bundle)."""


@dataclass(frozen=True, slots=True)
class Reading:
    """How the roles that may see an event read it, where that differs from the stored event.

    ``public`` is the payload as every reader reads it (None: as stored), ``shown`` what they
    are shown with it (``{"inject": ...}`` an inject's text, ``{"brief": ...}`` a phase's brief);
    ``own`` holds the few roles that read more: ``(role, payload, shown)``, a payload of None
    meaning the public one."""

    public: Json | None = None
    shown: Json | None = None
    own: tuple[tuple[str, Json | None, Json | None], ...] = ()


@singledispatch
def reading(event: ev.Event, roles: list[str], bundle: Bundle, adhoc: AdhocText) -> Reading | None:
    """How ``roles`` (those that may see ``event``) read it; None when as stored. Contents are
    cut per audience: a role never reads another role's chosen option, the conditions behind a
    delivery or a phase change, or who else must answer an inject."""
    return None


@reading.register
def _(
    event: ev.VariableChanged, roles: list[str], bundle: Bundle, adhoc: AdhocText
) -> Reading | None:
    full = event.payload()
    public = {**full, "cause": {"kind": full["cause"]["kind"]}}  # a decision or a rule moved it
    decider = event.cause.role if isinstance(event.cause, ev.OptionChosen) else None
    own = ((decider, full, None),) if decider in roles else ()
    return Reading(public, None, own)


@reading.register
def _(
    event: ev.InjectDelivered, roles: list[str], bundle: Bundle, adhoc: AdhocText
) -> Reading | None:
    public = event.payload()
    public["cause"] = {"kind": public["cause"]["kind"]}
    public["answer"] = []
    public.pop("order", None)  # a role reads its own options, in its own order, in the text

    def text(role: str | None) -> Json:
        if public["adhoc"] is not None:
            answers = role is not None
            return {"inject": adhoc_view(event.inject, public["adhoc"], event.due_at, answers)}
        return {
            "inject": inject_view(
                bundle,
                event.inject,
                event.due_at,
                role is not None,
                role,
                event.order,
                event.paragraphs,
            )
        }

    own = tuple((r, {**public, "answer": [r]}, text(r)) for r in event.answer if r in roles)
    return Reading(public, text(None), own)


@reading.register
def _(
    event: ev.InformationShared, roles: list[str], bundle: Bundle, adhoc: AdhocText
) -> Reading | None:
    if bundle.scenario.inject(event.inject) is not None:
        shown = inject_view(bundle, event.inject, None, False, paragraphs=event.paragraphs)
    else:
        shown = adhoc_view(event.inject, adhoc(event.inject) or {}, None, False)
    return Reading(None, {"inject": shown})


@reading.register
def _(event: ev.PhaseEntered, roles: list[str], bundle: Bundle, adhoc: AdhocText) -> Reading | None:
    public = None
    if event.condition is not None or event.transition is not None:
        public = event.payload()
        public["condition"] = public["transition"] = None
    phase = bundle.scenario.phases.get(event.phase)
    shown = {"brief": phase.brief} if phase is not None and phase.brief else None
    return Reading(public, shown) if public is not None or shown is not None else None


def inject_view(
    bundle: Bundle,
    inject_id: str,
    due_at: int | None,
    answers: bool,
    role: str | None = None,
    order: Mapping[str, Sequence[str]] | None = None,
    paragraphs: Sequence[int] | None = None,
) -> dict[str, Any]:
    """A scenario inject as a receiving role reads it: the text with the conditional paragraphs
    that held at its delivery, and, only if it must answer, the options open to ``role`` in the
    order its seats are shown them (``option_order.shown_options``)."""
    inject = bundle.scenario.inject(inject_id)
    if inject is None:
        return {"id": inject_id, "title": inject_id, "channel": "", "sender": "", "body": ""}
    view: dict[str, Any] = {
        "id": inject.id,
        "title": inject.title,
        "channel": inject.channel,
        "sender": inject.from_,
        "body": inject.text(paragraphs),
        "due_at": due_at,
    }
    if answers and inject.respond is not None:
        shown = (
            shown_options(inject.respond, role, order)
            if role is not None
            else inject.respond.options
        )
        view["options"] = [{"id": o.id, "text": o.text} for o in shown]
        view["prompt"] = inject.respond.prompt
        view["free_text"] = inject.respond.free_text
        view["rationale"] = inject.respond.rationale
    return view


def adhoc_view(
    inject_id: str, adhoc: dict[str, Any], due_at: int | None, answers: bool
) -> dict[str, Any]:
    """An inject the controller wrote live (``adhoc``: its stored form), as a receiving role
    reads it."""
    view: dict[str, Any] = {
        "id": inject_id,
        "title": adhoc.get("title", ""),
        "channel": adhoc.get("channel", ""),
        "sender": adhoc.get("from", ""),
        "body": adhoc.get("body", ""),
        "due_at": due_at,
    }
    if answers and adhoc.get("prompt") is not None:
        view.update(options=[], prompt=adhoc["prompt"], free_text=True, rationale="optional")
    return view


# -- a role's brief --------------------------------------------------------------------------


def role_brief(bundle: Bundle, role_id: str) -> dict[str, Any]:
    """What a role's seat reads besides its log: the scenario's public setting, its own mandate,
    the roles it can write to, the situation variables it tracks. Never the MSEL, the rubric,
    other roles' mandates or the controller's notes."""
    scenario = bundle.scenario
    role = bundle.roles.get(role_id)
    view = role.sees.variables if role is not None else []
    return {
        "scenario": {
            "id": scenario.id,
            "title": scenario.title,
            "summary": scenario.summary,
            "audience": list(scenario.audience),
        },
        "setting": {k: v for k, v in scenario.setting.model_dump().items() if v},
        "actors": [
            {"id": a.id, "name": a.name, "category": a.category, "description": a.description}
            for a in scenario.actors
        ],
        "clock": scenario.clock.model_dump(mode="json"),
        "phases": [p for p in scenario.phases if p in PLAY_PHASES],
        "role": {
            "id": role_id,
            "name": role.name if role is not None else role_id,
            "summary": role.summary if role is not None else "",
            "mandate": role.mandate if role is not None else "",
            "principles": list(role.principles) if role is not None else [],
            "tools": list(role.tools) if role is not None else [],
            "constraints": list(role.constraints) if role is not None else [],
            "pillars": list(role.pillars) if role is not None else [],
        },
        "roles": [{"id": r, "name": name} for r, name in bundle.role_names().items()],
        "variables": {
            name: variable.model_dump(mode="json")
            for name, variable in scenario.variables.items()
            if view == "all" or name in view
        },
        "objectives": [{"id": o.id, "text": o.text} for o in scenario.objectives],
    }
