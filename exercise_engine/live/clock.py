"""The live scenario clock: wall time in, scenario time out, following the log.

The engine never reads the wall clock; the controller service does, through this clock, and
hands the engine the scenario time of each moment it decides something (a command's arrival, a
due inject). The clock follows the events it records (play starting and ending, pause, resume,
speed), and it resumes after a restart where the last saved reading left it: time with no
controller running is an outage, never scenario time.
"""

from __future__ import annotations

from collections.abc import Iterable

from exercise_engine.engine import events as ev
from exercise_engine.engine.clock import ScenarioClock
from exercise_engine.engine.state import ExerciseState
from exercise_engine.model.scenario import PLAY_PHASES


class LiveClock:
    def __init__(self, state: ExerciseState, *, realtime: bool, saved_t: int, wall: float):
        self.realtime = realtime
        self.clock = ScenarioClock(speed=state.speed, scenario_anchor=max(state.t, saved_t))
        if realtime and state.in_play and not state.paused:
            self.clock.start(wall)

    @property
    def running(self) -> bool:
        return self.realtime and self.clock.running

    @property
    def speed(self) -> float:
        return self.clock.speed

    def now(self, wall: float) -> int:
        """The scenario time at wall time ``wall``."""
        return self.clock.now(wall)

    def follow(self, events: Iterable[ev.Event], wall: float) -> None:
        """Start, stop, pause, resume or re-speed as the recorded events say."""
        for event in events:
            if event.t > self.clock.now(wall):  # never behind the log (a move, a restart)
                self.clock.scenario_anchor, self.clock.wall_anchor = event.t, wall
            if isinstance(event, ev.PhaseEntered):
                playing = event.phase in PLAY_PHASES
                if playing and not self.clock.running and self.realtime:
                    self.clock.start(wall, event.t)
                elif not playing and self.clock.running:
                    self.clock.pause(wall)
            elif isinstance(event, ev.ClockPaused) and self.clock.running:
                self.clock.pause(wall)
            elif isinstance(event, ev.ClockResumed) and self.realtime:
                self.clock.resume(wall)
            elif isinstance(event, ev.SpeedChanged):
                self.clock.set_speed(wall, event.speed)
