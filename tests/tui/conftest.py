"""Fixtures for driving the consoles: a session in this process on a fresh database, a frozen
wall clock (scenario time moves only when a test says so), and no cursor blink."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from exercise_engine.model.loader import Catalog
from exercise_engine.session.inprocess import InProcessSession


class FakeWall:
    """A wall clock the test moves by hand."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


@pytest.fixture
def wall() -> FakeWall:
    return FakeWall()


@pytest.fixture
def harbour_session(
    fixture_catalog: Catalog, tmp_path: Path, wall: FakeWall
) -> Iterator[InProcessSession]:
    session = InProcessSession.create(
        str(tmp_path / "play.db"), fixture_catalog.bundle("harbour-test"), seed=7, wall=wall
    )
    yield session
    session.close()


@pytest.fixture()
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Snapshots and key-driven tests must not depend on where a blink was."""
    from textual.widgets import Input, TextArea

    for widget in (Input, TextArea):
        monkeypatch.setattr(widget.cursor_blink, "_default", False)
