"""Fixtures for driving the consoles: a live session of the test scenario served in the test's
own loop (the controller service and a seat per role, as the hot-seat runs them), and no
cursor blink in snapshots."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from exercise_engine.live.controller import RunOptions
from exercise_engine.tui.sources import LiveSession

CONTENT = Path(__file__).resolve().parents[1] / "fixtures" / "content"


def options(db: Path, scenario: str = "harbour-test", **more: object) -> RunOptions:
    return RunOptions(db=str(db), scenario=scenario, content=[str(CONTENT)], **more)  # type: ignore[arg-type]


@pytest.fixture
async def hot_seat(tmp_path: Path) -> AsyncIterator[LiveSession]:
    """The harbour test scenario, live, with a seat joined to every role."""
    async with LiveSession.open(options(tmp_path / "play.db"), seats=True) as session:
        yield session


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Snapshots must not depend on where a blink was."""
    from textual.widgets import Input, TextArea

    for widget in (Input, TextArea):
        monkeypatch.setattr(widget.cursor_blink, "_default", False)
