"""Waiting in Pilot tests for what a person would wait for: a condition, never a fixed time."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from exercise_engine.tui.shots import settle

DEADLINE_S = 60.0


async def until(pilot, condition: Callable[[], object], what: str = "") -> None:
    """Let the app run until ``condition()`` holds; fail after a generous deadline."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DEADLINE_S
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"still waiting after {DEADLINE_S:.0f} s: {what}")
        await pilot.pause(0.02)


async def quiet(app, pilot, redraws: Counter[str]) -> None:
    """Let the console finish drawing what it read (a Markdown reader fills its blocks after
    its update returns; a loaded machine takes longer): until a whole settle redraws nothing."""
    for _ in range(200):
        redraws.clear()
        await settle(app, pilot)
        if not redraws:
            return
    raise AssertionError(f"the console never stopped redrawing: {redraws}")


def count_calls(
    monkeypatch: pytest.MonkeyPatch, methods: Iterable[tuple[type, str, str]]
) -> Counter[str]:
    """Count each call of ``(class, method, name)`` under its name, for the test's duration."""
    counted: Counter[str] = Counter()
    for cls, method, name in methods:
        original = getattr(cls, method)

        def counting(self: Any, *args: Any, _original=original, _name=name, **kw: Any) -> Any:
            counted[_name] += 1
            return _original(self, *args, **kw)

        monkeypatch.setattr(cls, method, counting)
    return counted
