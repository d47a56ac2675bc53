"""The Join tab of the controller's console after a take-over: codes are stored only as salted
hashes, so a console that took a session over without its codes file knows none; it says so,
and issues new ones from the command palette, shown at once."""

from __future__ import annotations

from pathlib import Path

from exercise_engine.tui.app_base import ConsoleApp
from exercise_engine.tui.controller import ControllerScreen
from exercise_engine.tui.sources import LiveSession

from .conftest import options
from .helpers import until


async def test_a_console_that_took_over_issues_new_codes_from_the_palette(tmp_path: Path) -> None:
    db = tmp_path / "play.db"
    async with LiveSession.open(options(db)) as first:  # the session's first run, stopped
        issued = dict(first.service.codes or {})
    async with LiveSession.open(options(db)) as session:  # taken over, no --codes file
        assert session.service.took_over is not None and session.service.codes is None
        app = ConsoleApp(ControllerScreen(session.source))
        async with app.run_test(size=(120, 40)) as pilot:
            join = app.screen.query_one("#join-codes")
            assert "No join codes are known to this console" in str(join.content)
            await pilot.press("ctrl+p")
            await pilot.press(*"Issue new join codes")
            await pilot.press("enter")
            await until(pilot, lambda: session.service.codes, "new codes issued")
            codes = session.service.codes or {}
            await until(pilot, lambda: codes["police"] in str(join.content), "shown on Join")
            assert not set(codes.values()) & set(issued.values())
            assert "--role police --code " + codes["police"] in str(join.content)
