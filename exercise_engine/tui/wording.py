"""Events said in words for the staff feeds: one line each, ids kept so staff can look them up."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rich.text import Text

from exercise_engine.engine import events as ev
from exercise_engine.engine.events import Recorded
from exercise_engine.model.bundle import Bundle

Clock = Callable[[int], str]
QUIET = frozenset({"ExerciseCreated", "RuleFired", "InjectTriggered"})
"""Bookkeeping a person does not follow live (still in the log, the AAR and the JSON feed)."""


def _short(text: str, width: int = 70) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def event_line(
    recorded: Recorded, bundle: Bundle, names: Mapping[str, str], clock: Clock
) -> Text | None:
    """One line for the feed, or None for bookkeeping events."""
    event = recorded.event
    if event.type in QUIET:
        return None
    who = names.get(event.role or "", event.role or "control")
    line = Text(f"{clock(event.t)[-5:]} ", style="dim")
    match event:
        case ev.InjectDelivered():
            title = event.adhoc.title if event.adhoc else _title(bundle, event.inject)
            line.append(f"{event.inject} ", style="bold")
            line.append(f"delivered to {', '.join(event.to)}: {_short(title, 50)}")
        case ev.ResponseRecorded():
            line.append(f"{who} ", style="bold")
            line.append(f"answered {event.inject}")
            if event.option:
                line.append(f" with option {event.option}")
            if event.text:
                line.append(f": {_short(event.text, 50)}")
            if event.confidence:
                line.append(f" (confidence {event.confidence}/5)")
            if event.late:
                line.append("  LATE", style="bold")
        case ev.ResponseOverdue():
            line.append(f"{who} ", style="bold")
            line.append(f"has not answered {event.inject}: OVERDUE", style="bold")
        case ev.MessageSent():
            line.append(f"{who} ", style="bold")
            line.append(f"to {', '.join(names.get(r, r) for r in event.to)}: ")
            line.append(_short(event.subject or event.body, 60))
        case ev.InformationShared():
            line.append(f"{who} ", style="bold")
            line.append(f"shared {event.inject} with {', '.join(event.to)}")
            if event.note:
                line.append(f": {_short(event.note, 40)}")
        case ev.VariableChanged():
            line.append(f"{event.variable} {event.old:g} -> {event.new:g}")
        case ev.PhaseEntered():
            line.append(f"Phase {event.phase.upper()} ", style="bold")
            line.append(f"({event.cause})")
        case ev.ObservationRecorded():
            line.append(f"{event.evaluator} ", style="bold")
            line.append(f"rated {who} {event.rating} on {event.criterion}")
            if event.inject:
                line.append(f" ({event.inject})")
        case ev.ClockPaused():
            line.append("Clock PAUSED", style="bold")
        case ev.ClockResumed():
            line.append("Clock resumed", style="bold")
        case ev.SpeedChanged():
            line.append(f"Speed x{event.speed:g}")
        case ev.PhaseHoldChanged():
            line.append("Phase HELD" if event.held else "Phase released", style="bold")
        case ev.MoveStarted():
            line.append(f"Move {event.move}", style="bold")
        case ev.ExerciseEnded():
            line.append(f"ENDEX ({event.reason})", style="bold")
        case _:
            line.append(event.type)
    return line


def _title(bundle: Bundle, inject_id: str) -> str:
    inject = bundle.scenario.inject(inject_id)
    return inject.title if inject is not None else inject_id


def short_role(role: str) -> str:
    """A role as a table column reads it (``host_state`` -> ``host state``); full names are
    long sentences that would crowd out the numbers."""
    return role.replace("_", " ")
