"""Reading the scenario for a console that holds it: an inject as a role sees it, a role's brief.

Staff consoles and the hot-seat hold the session's bundle (they run in the controller's
process or are exercise staff); a remote seat never does and gets the same values from the live
layer. The rules of what a role sees are the model's: the inject's text, its options only for a
role asked to answer, never the controller's notes.
"""

from __future__ import annotations

from exercise_engine.engine import events as ev
from exercise_engine.engine.events import Recorded
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.scenario import Option, Respond
from exercise_engine.tui.feed import Brief, FeedEvent, InjectCard, OptionCard

SETTING_TITLES = (
    ("geographic", "Geography"),
    ("political", "Politics"),
    ("military", "Security forces and armed groups"),
    ("economic", "Economy"),
    ("social", "Society"),
    ("informational", "Information"),
    ("infrastructure", "Infrastructure"),
)


def inject_card(bundle: Bundle, event: ev.InjectDelivered, role: str | None) -> InjectCard:
    """The delivered inject as ``role`` sees it (``role`` None: as staff see it, every option)."""
    asked = role is None or role in event.answer
    if event.adhoc is not None:
        adhoc = event.adhoc
        asks = adhoc.prompt is not None and asked
        return InjectCard(
            id=event.inject,
            title=adhoc.title,
            channel=adhoc.channel,
            sender=adhoc.sender,
            body=adhoc.body,
            due_at=event.due_at if asked else None,
            prompt=(adhoc.prompt or "") if asks else "",
            free_text=asks,
            rationale="optional" if asks else "none",
            must_answer=bool(event.answer) and asked,
        )
    inject = bundle.scenario.inject(event.inject)
    if inject is None:  # a log from another version of the scenario: show what is known
        return InjectCard(event.inject, event.inject, "report", "", "")
    respond = inject.respond if asked and event.answer else None
    return InjectCard(
        id=inject.id,
        title=inject.title,
        channel=inject.channel,
        sender=inject.from_,
        body=inject.body,
        due_at=event.due_at if respond else None,
        options=tuple(OptionCard(o.id, o.text) for o in _offered(respond, role)) if respond else (),
        prompt=respond.prompt if respond else "",
        free_text=respond.free_text if respond else False,
        rationale=respond.rationale if respond else "none",
        must_answer=respond is not None,
    )


def _offered(respond: Respond, role: str | None) -> list[Option]:
    """The options a role may choose (staff see them all)."""
    return list(respond.options) if role is None else respond.offered(role)


def feed_event(bundle: Bundle, recorded: Recorded, role: str | None) -> FeedEvent:
    """A logged event as a console of ``role`` (None: staff) reads it."""
    event = recorded.event
    card = None
    if isinstance(event, ev.InjectDelivered):
        card = inject_card(bundle, event, role)
    elif isinstance(event, ev.InformationShared):
        inject = bundle.scenario.inject(event.inject)
        if inject is not None:
            card = InjectCard(inject.id, inject.title, inject.channel, inject.from_, inject.body)
    return FeedEvent(
        seq=recorded.seq,
        type=event.type,
        t=event.t,
        role=event.role,
        seat=event.seat,
        payload=event.payload(),
        inject=card,
    )


def brief(bundle: Bundle, role: str) -> Brief:
    """A role's brief: its mandate and tools, the situation, the phase briefs."""
    scenario = bundle.scenario
    model = bundle.roles.get(role)
    variables = {}
    if model is not None:
        view = model.sees.variables
        for name, variable in scenario.variables.items():
            if view == "all" or name in view:
                variables[name] = variable.label or name
    return Brief(
        scenario=scenario.id,
        title=scenario.title,
        role=role,
        role_name=model.name if model is not None else role,
        summary=scenario.summary,
        setting=tuple(
            (title, text)
            for name, title in SETTING_TITLES
            if (text := getattr(scenario.setting, name))
        ),
        mandate=model.mandate if model is not None else "",
        principles=tuple(model.principles) if model is not None else (),
        tools=tuple(model.tools) if model is not None else (),
        constraints=tuple(model.constraints) if model is not None else (),
        roles={r: (bundle.roles[r].name if r in bundle.roles else r) for r in scenario.roles},
        phase_briefs={name: phase.brief for name, phase in scenario.phases.items()},
        variables=variables,
        clock_start=scenario.clock.start,
    )
