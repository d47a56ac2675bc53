"""Console sources over a recorded session held still at one moment: read-only views.

The consoles' screenshots and snapshot tests show a recorded session exactly as the live
consoles would at that moment, with a clock that does not move: every line is read once, the
feed then waits, and any command is refused with the reason (nothing is ever sent).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from exercise_engine.engine import commands as cmd
from exercise_engine.engine.engine import Engine
from exercise_engine.engine.events import Recorded
from exercise_engine.engine.state import ExerciseState, fold
from exercise_engine.model.bundle import Bundle
from exercise_engine.scoring.alignment import SeatAnswer
from exercise_engine.tui.feed import Brief, FeedEvent
from exercise_engine.tui.source import Ack, Presence
from exercise_engine.tui.sources import LineLike, feed_event, role_brief

REFUSED = Ack(False, "this is a recorded session held still: nothing is sent")


async def _then_wait(batch: Sequence[Any]) -> AsyncIterator[Sequence[Any]]:
    yield batch
    await asyncio.Event().wait()  # a recorded session has nothing more to say


class FrozenSeat:
    def __init__(self, brief: Mapping[str, Any], lines: Sequence[LineLike], now: int):
        self.brief: Brief = role_brief(brief)
        self.seat_name = "recorded"
        self.events = [feed_event(line) for line in lines]
        self._now = now

    def feed(self) -> AsyncIterator[Sequence[FeedEvent]]:
        return _then_wait(self.events)

    async def submit(self, command: cmd.Command) -> Ack:
        return REFUSED

    def now(self) -> int | None:
        return self._now


class FrozenStaff:
    """The controller's or an evaluator's view of a recorded session at ``now``."""

    def __init__(
        self,
        bundle: Bundle,
        log: Sequence[Recorded],
        now: int,
        *,
        people: Sequence[Presence] = (),
        codes: Mapping[str, str] | None = None,
        evaluator: str = "evaluator",
    ):
        self.bundle = bundle
        self.engine = Engine(bundle)
        self.log = list(log)
        self._state = fold(bundle.scenario, self.log)
        self._now = now
        self._people = list(people)
        self._codes = dict(codes or {})
        self.evaluator_name = evaluator

    @property
    def state(self) -> ExerciseState:
        return self._state

    def feed(self) -> AsyncIterator[Sequence[Recorded]]:
        return _then_wait(self.log)

    async def submit(self, command: cmd.Command) -> Ack:
        return REFUSED

    def now(self) -> int:
        return self._now

    def presence(self) -> Sequence[Presence]:
        return self._people

    async def refresh(self) -> None:
        return None

    def codes(self) -> Mapping[str, str]:
        return self._codes

    async def rotate_codes(self) -> Mapping[str, str]:
        return self._codes  # a recorded session issues nothing

    def join_command(self, role: str | None) -> str:
        code = self._codes.get(role or "evaluator", "CODE")
        if role is None:
            return f"exercise evaluate --db exercise.db --code {code}"
        return f"exercise join --db exercise.db --role {role} --code {code}"

    def attempts(self) -> Sequence[SeatAnswer]:
        return ()
