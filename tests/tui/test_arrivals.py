"""An inject arriving at a seat costs little more than the words that say so: its line on the
arrivals bar and its box's unread count, repainted in place. No layout pass of the screen (a
toast per arrival cost two, mounted then expired), no Markdown re-rendered when the reader shows
another item, and one repaint per arrival. With 30 seat consoles on 2 cores, this per-arrival
work is what an inject waits on to reach the last screen (benchmarks/bench_tui.py --only
delivery); here it is counted, never timed."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator, Sequence

import pytest
from textual.screen import Screen
from textual.widgets import Markdown, OptionList, Static

from exercise_engine.session.showcase import Showcase, record
from exercise_engine.tui.app_base import ConsoleApp
from exercise_engine.tui.feed import FeedEvent, InjectCard
from exercise_engine.tui.frozen import FrozenSeat
from exercise_engine.tui.seat import SeatScreen
from exercise_engine.tui.shots import settle

from .helpers import count_calls, quiet

WORK = (
    (Screen, "_refresh_layout", "layout passes"),
    (Screen, "_compositor_refresh", "repaints"),
    (Markdown, "update", "Markdown.update"),
    (Static, "update", "Static.update"),
    (OptionList, "set_options", "OptionList.set_options"),
    (OptionList, "replace_option_prompt", "OptionList.replace_option_prompt"),
)


class ArrivingSeat(FrozenSeat):
    """The recorded session, then whatever the test sends, as the live feed hands it on."""

    def __init__(self, showcase: Showcase, role: str):
        super().__init__(showcase.briefs[role], showcase.lines[role], showcase.now)
        self.role = role
        self.sent: asyncio.Queue[Sequence[FeedEvent]] = asyncio.Queue()

    async def _follow(self) -> AsyncIterator[Sequence[FeedEvent]]:
        yield self.events
        while True:
            yield await self.sent.get()

    def feed(self) -> AsyncIterator[Sequence[FeedEvent]]:
        return self._follow()

    def inject(self, n: int, t: int) -> FeedEvent:
        card = InjectCard(f"ADHOC-{n}", f"ARRIVAL{n:03d}", "radio", "control", "An inject.")
        payload = {"inject": card.id}
        return FeedEvent(900_000 + n, "InjectDelivered", t, self.role, payload, inject=card)


@pytest.fixture(scope="module")
def showcase(tmp_path_factory: pytest.TempPathFactory) -> Showcase:
    return record(tmp_path_factory.mktemp("arrivals") / "showcase.db")


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Counts layout passes, repaints and widget updates."""
    yield count_calls(monkeypatch, WORK)


async def test_an_arriving_inject_repaints_its_words_only(
    showcase: Showcase, work: Counter[str]
) -> None:
    seat = ArrivingSeat(showcase, "police")
    app = ConsoleApp(SeatScreen(seat))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("u")  # an unread item in the reader: its Markdown is drawn
        await quiet(app, pilot, work)
        screen = app.screen
        assert isinstance(screen, SeatScreen)
        shown = screen.selected
        assert shown and work["Markdown.update"] == 0
        arrivals = 5
        for n in range(arrivals):
            seat.sent.put_nowait([seat.inject(n, screen._now())])
            await settle(app, pilot)
        assert screen.selected == shown
        assert work["layout passes"] == 0, work
        assert work["Markdown.update"] == 0, work
        assert work["OptionList.set_options"] == 0, work
        assert work["repaints"] <= arrivals, work
        # the arrivals bar, and the radio log's unread count: one prompt, not the whole list
        assert work["Static.update"] == arrivals, work
        assert work["OptionList.replace_option_prompt"] == arrivals, work
        assert "ARRIVAL004" in str(screen.query_one("#arrivals", Static).render())


async def test_a_batch_of_arrivals_is_one_repaint(showcase: Showcase, work: Counter[str]) -> None:
    seat = ArrivingSeat(showcase, "military")
    app = ConsoleApp(SeatScreen(seat))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(app, pilot)
        await quiet(app, pilot, work)
        screen = app.screen
        assert isinstance(screen, SeatScreen)
        seat.sent.put_nowait([seat.inject(n, screen._now()) for n in range(4)])
        await settle(app, pilot)
        assert work["layout passes"] == 0, work
        assert work["repaints"] == 1, work
        assert work["Static.update"] == 1, work
        line = str(screen.query_one("#arrivals", Static).render())
        assert "ARRIVAL003" in line and "and 3 more" in line


async def test_a_due_time_counting_down_is_no_layout_pass(
    showcase: Showcase, work: Counter[str]
) -> None:
    """Each scenario minute the reader's due words change in every seat at once (the clock is
    the controller's): the words are repainted, the screen is not laid out again."""
    seat = ArrivingSeat(showcase, "police")
    app = ConsoleApp(SeatScreen(seat))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SeatScreen)
        assert screen.view == "todo" and screen.selected, "police has something to answer"
        meta = screen.query_one("#reader-meta", Static)
        before = str(meta.render())
        await quiet(app, pilot, work)
        seat._now += 60
        screen._tick()
        await settle(app, pilot)
        assert str(meta.render()) != before and "press a" in str(meta.render())
        assert work["layout passes"] == 0, work
        assert work["Markdown.update"] == 0, work
