"""An idle console redraws nothing: each second it re-derives what it shows, and a widget is
updated only where the words changed. (A seat that re-set its list every second rebuilt its
Markdown reader each time and used a sixth of a core doing nothing visible.) Measured in
benchmarks/bench_tui.py; here the behaviour: ticks with nothing new make no widget update."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from textual.widgets import DataTable, Markdown, OptionList, Static

from exercise_engine.session.showcase import Showcase, record
from exercise_engine.tui.app_base import ConsoleApp
from exercise_engine.tui.controller import ControllerScreen
from exercise_engine.tui.evaluator import EvaluatorScreen
from exercise_engine.tui.frozen import FrozenSeat, FrozenStaff
from exercise_engine.tui.seat import SeatScreen
from exercise_engine.tui.shots import settle

from .helpers import count_calls, quiet

REDRAWS = (
    (Static, "update"),
    (Markdown, "update"),
    (OptionList, "set_options"),
    (OptionList, "replace_option_prompt"),
    (DataTable, "clear"),
    (DataTable, "update_cell"),
    (DataTable, "add_row"),
)


@pytest.fixture(scope="module")
def showcase(tmp_path_factory: pytest.TempPathFactory) -> Showcase:
    return record(tmp_path_factory.mktemp("idle") / "showcase.db")


@pytest.fixture
def redraws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Counts every widget update the consoles can make, by widget and method."""
    yield count_calls(monkeypatch, ((w, m, f"{w.__name__}.{m}") for w, m in REDRAWS))


async def test_an_idle_seat_redraws_nothing(showcase: Showcase, redraws: Counter[str]) -> None:
    seat = FrozenSeat(showcase.briefs["police"], showcase.lines["police"], showcase.now)
    app = ConsoleApp(SeatScreen(seat))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("u")  # an unread item in the reader: the Markdown is drawn
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SeatScreen) and screen.selected
        assert redraws["Markdown.update"] > 0
        await quiet(app, pilot, redraws)
        for _ in range(3):
            screen._tick()
            await settle(app, pilot)
        assert not redraws, redraws


async def test_an_idle_controller_redraws_nothing(
    showcase: Showcase, redraws: Counter[str]
) -> None:
    staff = FrozenStaff(showcase.bundle, showcase.log, showcase.now)
    app = ConsoleApp(ControllerScreen(staff))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ControllerScreen) and screen.lines
        await quiet(app, pilot, redraws)
        for _ in range(2):
            screen._tick()  # nothing changed: not even derived again
            screen.refresh_views()  # derived again: the same words, no widget touched
            await settle(app, pilot)
        assert not redraws, redraws


async def test_an_idle_evaluator_redraws_nothing(showcase: Showcase, redraws: Counter[str]) -> None:
    staff = FrozenStaff(showcase.bundle, showcase.log, showcase.now, evaluator="Ana")
    app = ConsoleApp(EvaluatorScreen(staff))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, EvaluatorScreen) and screen.card is not None
        await quiet(app, pilot, redraws)
        for _ in range(2):
            screen._render_status()
            screen._recompute(force=True)
            await settle(app, pilot)
        assert not redraws, redraws
