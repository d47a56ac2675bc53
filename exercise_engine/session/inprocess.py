"""A session run inside one process: the controller, its realtime clock, and reads of its log.

The hot-seat console (``exercise play``) runs engine and screens in one process over one
SQLite file, with no join codes and no other process. This is its backbone. The engine and the
store are only ever touched from one worker thread, so the screen's event loop never waits on
SQLite; after every decision the worker publishes a snapshot of the folded state that screens
read freely, and wakes everyone following the log.
"""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.engine.clock import ScenarioClock
from exercise_engine.engine.engine import Engine, Outcome
from exercise_engine.engine.events import Recorded
from exercise_engine.engine.state import ExerciseState
from exercise_engine.model.bundle import Bundle
from exercise_engine.session.controller import ExerciseController
from exercise_engine.store import Store

T = TypeVar("T")
TICK_S = 0.25
"""How often the clock is checked for something falling due (wall seconds)."""


def snapshot(state: ExerciseState) -> ExerciseState:
    """A deep copy of the state for readers on other threads."""
    return copy.deepcopy(state)


class InProcessSession:
    def __init__(
        self,
        open_controller: Callable[[], ExerciseController],
        wall: Callable[[], float] = time.monotonic,
    ):
        """Open the session on its worker thread (a store belongs to the thread that opened
        it) with ``open_controller``; raises what it raises (a bad file, no session)."""
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="session")
        try:
            controller = self._worker.submit(open_controller).result()
        except BaseException:
            self._worker.shutdown(wait=True)
            raise
        self.controller = controller
        self.wall = wall
        self.clock = ScenarioClock(speed=controller.state.speed)
        self.clock.catch_up(controller.state.t)
        if controller.state.in_play and not controller.state.paused:
            self.clock.start(wall(), scenario=controller.state.t)
        self.state = snapshot(controller.state)
        self._changed: asyncio.Condition | None = None
        self._generation = 0
        """Counts the decisions that recorded events: followers wait for it to move."""
        self._closed = False

    # -- opening ----------------------------------------------------------------------------

    @classmethod
    def create(
        cls, db: str, bundle: Bundle, seed: int, wall: Callable[[], float] = time.monotonic
    ) -> InProcessSession:
        return cls(lambda: ExerciseController.create(Store(db), bundle, seed), wall)

    @classmethod
    def resume(
        cls, db: str, session_id: str | None = None, wall: Callable[[], float] = time.monotonic
    ) -> InProcessSession:
        def open_controller() -> ExerciseController:
            store = Store(db, create=False)
            return ExerciseController.resume(store, store.session(session_id).id)

        return cls(open_controller, wall)

    @property
    def bundle(self) -> Bundle:
        return self.controller.bundle

    @property
    def engine(self) -> Engine:
        return self.controller.engine

    @property
    def session_id(self) -> str:
        return self.controller.session_id

    @property
    def db(self) -> str:
        return self.controller.store.path

    def now(self) -> int:
        """Scenario time on this session's clock (never behind the log)."""
        return max(self.clock.now(self.wall()), self.state.t)

    # -- the worker thread ------------------------------------------------------------------

    async def _call(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._worker, fn)

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    async def _notify(self) -> None:
        changed = self._condition()
        async with changed:
            self._generation += 1
            changed.notify_all()

    # -- commands ---------------------------------------------------------------------------

    async def submit(self, command: cmd.Command) -> Outcome:
        """Decide a command at the clock's current time and record its events."""

        def decide() -> Outcome:
            wall = self.wall()
            outcome = self.controller.submit(command, self.clock.now(wall))
            self._follow_clock(outcome.events, wall)
            if outcome.events:
                self.state = snapshot(self.controller.state)
            return outcome

        outcome = await self._call(decide)
        if outcome.events:
            await self._notify()
        return outcome

    def _follow_clock(self, events: tuple[ev.Event, ...], wall: float) -> None:
        state = self.controller.state
        for event in events:
            if isinstance(event, ev.PhaseEntered) and state.in_play and not self.clock.running:
                if not state.paused:
                    self.clock.start(wall, scenario=state.t)
            elif isinstance(event, ev.ClockPaused):
                self.clock.pause(wall)
            elif isinstance(event, ev.ClockResumed):
                self.clock.resume(wall)
            elif isinstance(event, ev.SpeedChanged):
                self.clock.set_speed(wall, event.speed)
        if not state.in_play and self.clock.running:
            self.clock.pause(wall)
        self.clock.catch_up(state.t)

    async def tick(self) -> Outcome | None:
        """Run the clock if something has fallen due; None when nothing had."""
        state = self.state
        if not state.in_play or state.paused or self.engine.turns:
            return None
        now = self.now()
        wakeup = await self._call(lambda: self.engine.next_wakeup(self.controller.state))
        if wakeup is None or wakeup > now:
            return None
        return await self.submit(cmd.AdvanceClock(to=now))

    async def run_clock(self) -> None:
        """Deliver what falls due, for as long as the session is open."""
        while not self._closed:
            await self.tick()
            await asyncio.sleep(TICK_S)

    # -- reading the log --------------------------------------------------------------------

    async def events(self, after: int = 0, role: str | None = None) -> list[Recorded]:
        store, session = self.controller.store, self.session_id
        return await self._call(lambda: store.events(session, after, role=role))

    async def follow(
        self, role: str | None = None, after: int = 0
    ) -> AsyncIterator[list[Recorded]]:
        """Batches of the log (as ``role`` may read it, or all of it), then each new batch."""
        changed = self._condition()
        while not self._closed:
            seen = self._generation
            batch = await self.events(after, role)
            if batch:
                after = batch[-1].seq
                yield batch
            async with changed:
                await changed.wait_for(lambda seen=seen: self._generation > seen or self._closed)

    def close(self) -> None:
        """Flush and close the store on its own thread; the session is done."""
        self._closed = True

        def finish() -> None:
            self.controller.flush()
            self.controller.store.close()

        self._worker.submit(finish).result()
        self._worker.shutdown(wait=True)
