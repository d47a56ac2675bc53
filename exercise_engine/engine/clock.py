"""The scenario clock: wall time in, scenario time out, with pause and speed.

The engine never reads the wall clock. A controller feeds this clock the wall time it reads
(tests feed it whatever they like), and hands the engine the scenario time it returns, so a
test can step a realtime exercise second by second, exactly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from exercise_engine.model.calendar import Calendar
from exercise_engine.model.durations import UNDATED


@dataclass
class ScenarioClock:
    """Scenario seconds as a function of wall seconds: ``speed`` scenario minutes per wall
    minute while running; frozen while paused. Changes re-anchor the clock, so earlier time is
    never rewritten."""

    speed: float = 1.0
    scenario_anchor: float = 0.0
    wall_anchor: float = 0.0
    running: bool = False

    def now(self, wall: float) -> int:
        """The scenario time at wall time ``wall`` (whole seconds, never going back)."""
        if not self.running:
            return int(self.scenario_anchor)
        return int(self.scenario_anchor + max(0.0, wall - self.wall_anchor) * self.speed)

    def start(self, wall: float, scenario: float | None = None) -> None:
        if scenario is not None:
            self.scenario_anchor = scenario
        self.wall_anchor = wall
        self.running = True

    def pause(self, wall: float) -> None:
        self.scenario_anchor = self.now(wall)
        self.wall_anchor = wall
        self.running = False

    def resume(self, wall: float) -> None:
        self.wall_anchor = wall
        self.running = True

    def set_speed(self, wall: float, speed: float) -> None:
        self.scenario_anchor = self.now(wall)
        self.wall_anchor = wall
        self.speed = speed

    def catch_up(self, scenario: int) -> None:
        """Never run behind the log: after a restart the clock resumes where events left it."""
        self.scenario_anchor = max(self.scenario_anchor, scenario)

    def wall_until(self, scenario: int, wall: float) -> float | None:
        """Wall seconds from ``wall`` until the clock reads ``scenario`` (None while paused)."""
        if not self.running or self.speed <= 0:
            return None
        return max(0.0, (scenario - self.now(wall)) / self.speed)


def clock_label(start: dt.datetime | None, t: int) -> str:
    """Scenario time at play time ``t`` from the start alone, without module jumps: kept for
    callers that hold only the start; ``model.calendar.Calendar`` is the one reading of it
    (``Engine.clock_label(t, state)`` also follows the modules)."""
    return Calendar(start, start is None or start.date() != UNDATED).label(t)
