"""The exercise's status as every console shows it on its top line: clock, speed, phase path.

Folded from the public events (phase entries, pauses, speed changes, the end), so a seat and the
controller read it the same way; the scenario time between events comes from the source's clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from exercise_engine.model.vocabulary import PLAY_PHASES


@dataclass
class ExerciseStatus:
    phase: str = "setup"
    paused: bool = False
    held: bool = False
    speed: float = 1.0
    move: int = 0
    ended: bool = False
    controller_gone: bool = False
    t: int = 0

    def add(self, type_name: str, t: int, payload: dict) -> None:
        """Fold one event (by type name and payload) into the status."""
        self.t = max(self.t, t)
        if type_name == "PhaseEntered":
            self.phase = str(payload["phase"])
            if self.phase in PLAY_PHASES and self.move == 0:
                self.move = 1
        elif type_name == "ClockPaused":
            self.paused = True
        elif type_name == "ClockResumed":
            self.paused = False
        elif type_name == "SpeedChanged":
            self.speed = float(payload["speed"])
        elif type_name == "PhaseHoldChanged":
            self.held = bool(payload["held"])
        elif type_name == "MoveStarted":
            self.move = int(payload["move"])
        elif type_name == "ExerciseCreated":
            self.speed = float(payload["speed"])
        elif type_name == "ExerciseEnded":
            self.ended = True

    @property
    def running_word(self) -> str:
        """What the clock is doing, in a word that needs no colour."""
        if self.controller_gone:
            return "CONTROLLER GONE"
        if self.ended or self.phase in ("debrief", "ended"):
            return "ENDEX"
        if self.phase in ("setup", "briefing"):
            return "NOT STARTED"
        return "PAUSED" if self.paused else "RUNNING"


def phase_path(current: str) -> Text:
    """prevent react rebuild, the current phase in capitals and brackets (not only colour)."""
    text = Text()
    for n, phase in enumerate(PLAY_PHASES):
        if n:
            text.append(" ")
        if phase == current:
            text.append(f"[{phase.upper()}]", style="bold reverse")
        else:
            passed = PLAY_PHASES.index(current) > n if current in PLAY_PHASES else False
            text.append(phase, style="dim" if not passed else "")
    return text


def status_line(
    title: str, clock: str, status: ExerciseStatus, turns: bool = False, speed: bool = True
) -> Text:
    """The top line: what, when, how fast, where in the R2P phases."""
    line = Text()
    line.append(title, style="bold")
    line.append(" | ")
    line.append(clock[5:] if clock[:4].isdigit() else clock)  # the year is on the brief
    line.append(" | ")
    word = status.running_word
    style = "bold" if word in ("PAUSED", "CONTROLLER GONE") else ""
    line.append(word, style=style)
    if word == "RUNNING" and speed and not turns:
        line.append(f" x{status.speed:g}")
    if turns and status.move:
        line.append(f"  move {status.move}")
    if status.held:
        line.append(" PHASE HELD", style="bold")
    line.append(" | ")
    if status.phase in PLAY_PHASES:
        line.append_text(phase_path(status.phase))
    else:
        line.append(status.phase.upper(), style="bold")
    return line
