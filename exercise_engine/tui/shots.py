"""The consoles' pictures: each main screen of each console, on a recorded session held still.

One list serves the screenshots in docs/ (``scripts/console_screenshots.py`` writes them and
checks they are current) and the snapshot tests, so what the documentation shows is what the
tests hold to. The session is given (``session/showcase.py`` records it): this module only
arranges screens and keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import App

from exercise_engine.tui.app_base import ConsoleApp
from exercise_engine.tui.controller import ControllerScreen
from exercise_engine.tui.evaluator import EvaluatorScreen
from exercise_engine.tui.frozen import FrozenSeat, FrozenStaff
from exercise_engine.tui.hotseat import HotSeatApp
from exercise_engine.tui.seat import SeatScreen
from exercise_engine.tui.source import Presence

WIDE, NARROW = (120, 40), (80, 24)
CODES = {
    "host_state": "T5EW-LG5Q-ZUJD",
    "un_mission": "R4DP-UKFM-US4E",
    "military": "G8M6-VJY7-LCM7",
    "police": "WBUL-5BZW-PXPH",
    "humanitarian": "55UV-ZE72-AMYL",
    "evaluator": "6RLS-TM5B-XSCZ",
}
"""Join codes as the controller's console shows them (made up: the recorded session has none)."""
PEOPLE = (
    Presence("host_state", "Amina", "05:02"),
    Presence("un_mission", "Ines", "05:01"),
    Presence("un_mission", "Tomas", "05:03"),
    Presence("military", "Col. Fress", "05:02"),
    Presence("police", "Capt. Ode", "05:04"),
    Presence("humanitarian", "Jon", "05:02"),
    Presence(None, "Ana", "05:00", "evaluator"),
)


@dataclass(frozen=True)
class Shot:
    name: str
    size: tuple[int, int]
    make: Callable[[], App[Any]]
    keys: tuple[str, ...] = ()
    """Keys pressed once the screen has read the session (a person's way to the view)."""


def _staff(showcase: Any) -> FrozenStaff:
    return FrozenStaff(showcase.bundle, showcase.log, showcase.now, people=PEOPLE, codes=CODES)


def _seat(showcase: Any, role: str) -> FrozenSeat:
    return FrozenSeat(showcase.briefs[role], showcase.lines[role], showcase.now)


def shots(showcase: Any) -> list[Shot]:
    """Every picture, named ``console-<what>``; ``showcase`` as ``session.showcase.record``
    returns it."""
    title = showcase.bundle.scenario.title

    def controller() -> App[Any]:
        return ConsoleApp(ControllerScreen(_staff(showcase)), title=title)

    def seat(role: str) -> Callable[[], App[Any]]:
        return lambda: ConsoleApp(SeatScreen(_seat(showcase, role)), title=title)

    def evaluator() -> App[Any]:
        staff = FrozenStaff(showcase.bundle, showcase.log, showcase.now, evaluator="Ana")
        return ConsoleApp(EvaluatorScreen(staff), title=title)

    def hot_seat() -> App[Any]:
        roles = showcase.bundle.scenario.roles
        return HotSeatApp(_staff(showcase), [_seat(showcase, role) for role in roles])

    return [
        Shot("console-controller-msel", WIDE, controller),
        Shot("console-controller-80x24", NARROW, controller),
        Shot("console-controller-situation", WIDE, controller, ("2",)),
        Shot("console-controller-seats", WIDE, controller, ("3",)),
        Shot("console-seat-inbox", WIDE, seat("un_mission"), ("u",)),
        Shot("console-seat-80x24", NARROW, seat("host_state")),
        Shot("console-seat-answer", NARROW, seat("police"), ("a",)),
        Shot("console-evaluator-to-rate", WIDE, evaluator, ("t",)),
        Shot("console-evaluator-scorecard", WIDE, evaluator, ("c",)),
        Shot("console-evaluator-80x24", NARROW, evaluator),
        Shot("console-hotseat-seat", WIDE, hot_seat, ("f5",)),
        Shot("console-hotseat-80x24", NARROW, hot_seat),
    ]


async def settle(app: App[Any], pilot: Any) -> None:
    """Let the screen read the whole session and draw: every queued message handled, a few
    times over (a batch read starts redraws that post more messages)."""
    for _ in range(6):
        await pilot.pause()


async def capture(shot: Shot) -> str:
    """The SVG of ``shot``, as Textual exports a screenshot."""
    app = shot.make()
    async with app.run_test(size=shot.size) as pilot:
        await settle(app, pilot)
        for key in shot.keys:
            await pilot.press(key)
            await settle(app, pilot)
        return app.export_screenshot(title=shot.name)
