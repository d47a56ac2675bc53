"""What each console needs from the live layer, said as protocols.

A console is handed a source and knows nothing else: not whether the controller runs in this
process (hot-seat) or in another (a seat joined with a code), not how the log is followed.
Sources turn the console's commands into engine commands with the seat's registered identity,
and report the engine's answer (accepted, or rejected with the reason a seat shows).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from exercise_engine.engine import commands as cmd
from exercise_engine.engine.events import Recorded
from exercise_engine.tui.feed import Brief, FeedEvent

if TYPE_CHECKING:  # named in the protocols only: a seat's console never loads them
    from exercise_engine.engine.engine import Engine
    from exercise_engine.engine.state import ExerciseState
    from exercise_engine.model.bundle import Bundle
    from exercise_engine.scoring.alignment import SeatAnswer


@dataclass(frozen=True)
class Ack:
    """The engine's decision on a command a console sent."""

    accepted: bool
    reason: str | None = None


@dataclass(frozen=True)
class Status:
    """A line of the feed that is not an event: ``controller-gone`` or ``controller-back``."""

    status: str


@dataclass(frozen=True)
class Presence:
    """One person connected to a seat of a role (or to the evaluators' or controller's)."""

    role: str | None
    name: str
    since: str
    kind: str = "player"


class SeatSource(Protocol):
    """A trainee's seat: its role's brief, the events the role may read, and its commands."""

    brief: Brief
    seat_name: str

    def feed(self) -> AsyncIterator[Sequence[FeedEvent | Status]]: ...

    async def submit(self, command: cmd.Command) -> Ack: ...

    def now(self) -> int | None:
        """Scenario time now on the controller's clock, if the seat knows it."""
        ...


class StaffSource(Protocol):
    """What the controller's and evaluators' consoles share: the bundle and the whole log."""

    bundle: Bundle

    def feed(self) -> AsyncIterator[Sequence[Recorded | Status]]: ...

    async def submit(self, command: cmd.Command) -> Ack: ...

    def now(self) -> int: ...

    def presence(self) -> Sequence[Presence]:
        """Who is connected, as last refreshed."""
        ...

    async def refresh(self) -> None:
        """Read presence again (the console asks every few seconds)."""
        ...


class ControllerSource(StaffSource, Protocol):
    """The controller's console: the engine and its folded state, the codes and join lines."""

    engine: Engine

    @property
    def state(self) -> ExerciseState: ...

    def codes(self) -> Mapping[str, str]:
        """role id (and ``evaluator``) -> join code; empty where no codes are used or known."""
        ...

    async def rotate_codes(self) -> Mapping[str, str]:
        """Issue new join codes (the old ones stop working); ``codes()`` shows them after."""
        ...

    def join_command(self, role: str | None) -> str:
        """The command a trainee (role) or an evaluator (None) types to join."""
        ...


class EvaluatorSource(StaffSource, Protocol):
    evaluator_name: str

    def attempts(self) -> Sequence[SeatAnswer]:
        """Answers a role's other seats tried to give after the role had answered."""
        ...
