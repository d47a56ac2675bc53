"""The controller service: the live controller inside an asyncio loop.

Runs in whatever loop it is given (``asyncio.run`` for ``exercise run --headless``, Textual's for
the controller console and the hot-seat). All SQLite work happens on one worker thread that owns
the controller's Store; the loop only awaits it, so a busy database never freezes a screen.

    service = ControllerService(RunOptions(db="exercise.db", scenario="kallen-early-warning"))
    await service.start()                     # creates the session, or takes an unfinished one over
    feed = service.subscribe()                # every committed event, in order (Recorded)
    task = asyncio.create_task(service.serve())   # the clock, the inbox, the heartbeat
    outcome = await service.submit(cmd.StartPlay())   # the controller's own commands
    people = await service.presence()
    service.stop(); await task                # frees the lease: another run may take over

Read ``state``, ``engine``, ``bundle`` from the loop between awaits (the worker changes them only
while a call is in flight); treat them as read-only.
"""

from __future__ import annotations

import asyncio
import contextlib
import shlex
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.engine.engine import Engine, Outcome
from exercise_engine.engine.state import ExerciseState
from exercise_engine.live.controller import LiveController, RunOptions, TakeOver
from exercise_engine.live.presence import Presence
from exercise_engine.model.bundle import Bundle

POLL_S = 0.05
"""How often the service looks for seats' commands and due injects."""
P = ParamSpec("P")
T = TypeVar("T")


class Subscription:
    """An async iterator of the events the service commits, from the moment of subscribing;
    it ends when the service stops."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[ev.Recorded | None] = asyncio.Queue()

    def put(self, item: ev.Recorded | None) -> None:
        self._queue.put_nowait(item)

    def __aiter__(self) -> AsyncIterator[ev.Recorded]:
        return self._items()

    async def _items(self) -> AsyncIterator[ev.Recorded]:
        while (item := await self._queue.get()) is not None:
            yield item


class ControllerService:
    def __init__(
        self, options: RunOptions, *, poll: float = POLL_S, wall: Callable[[], float] = time.time
    ):
        self.options = options
        self.poll = poll
        self.wall = wall
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="controller")
        self._core: LiveController | None = None
        self._subscribers: list[Subscription] = []
        self._stopping = asyncio.Event()
        self._served = False
        self._turn = asyncio.Lock()
        """Held from a decision to its publication (a tick, a controller's command): ``serve``
        never sees the exercise ended, and stops, between a command's decision and the
        publication of its events."""
        self._stopped = False

    # -- life ---------------------------------------------------------------------------------

    async def start(self) -> None:
        """Open the database on the worker thread: create the session or take one over (this
        waits up to a few seconds while a dead controller's lease runs out).

        Cancelled meanwhile (a console quit while it was opening), the open still finishes on
        the worker thread and takes the lease; the release queued behind it on that same thread
        frees it, even if the event loop is gone by then. Otherwise the next controller would
        wait for the lease to run out and record an outage that never was.
        """
        opened = self._worker.submit(LiveController.open, self.options, self.wall)
        try:
            self._core = await asyncio.wrap_future(opened)
        except asyncio.CancelledError:
            self._worker.submit(_release_opened, opened, self.wall)
            self._worker.shutdown(wait=False)
            raise

    async def serve(self) -> None:
        """Run until the exercise has ended or ``stop()``: the clock, the inbox, the heartbeat.
        The lease is released on the way out, whatever happened."""
        core = self._require()
        self._served = True
        try:
            async with self._turn:
                self._publish(await self._call(core.drain, self.wall()))
            while not self._stopping.is_set():
                async with self._turn:
                    self._publish(await self._call(core.tick, self.wall()))
                    ended = core.ended
                if ended:
                    break
                with contextlib.suppress(TimeoutError):  # the next tick, or stop() sooner
                    await asyncio.wait_for(self._stopping.wait(), self.poll)
        finally:
            async with self._turn:
                self._stopped = True
                await self._call(core.release, self.wall())
            for subscriber in self._subscribers:
                subscriber.put(None)
            self._worker.shutdown(wait=False)

    def stop(self) -> None:
        """Ask ``serve`` to return (it frees the lease first)."""
        self._stopping.set()

    # -- what consoles use ----------------------------------------------------------------------

    def subscribe(self) -> Subscription:
        subscription = Subscription()
        self._subscribers.append(subscription)
        return subscription

    async def submit(self, command: cmd.Command) -> Outcome:
        """Decide one of the controller's own commands now; its events reach the subscribers
        before this returns (and before ``serve`` can stop). Once the service has stopped, a
        rejection says so."""
        core = self._require()
        async with self._turn:
            if self._stopped:
                return Outcome((), f"the controller has stopped; {command.type} was not decided")
            outcome = await self._call(core.decide, command, self.wall())
            self._publish(await self._call(core.drain, self.wall()))
        return outcome

    async def presence(self) -> list[Presence]:
        core = self._require()
        return await self._call(core.presence, self.wall())

    async def rotate_codes(self) -> dict[str, str]:
        """New join codes (the old ones stop working; seats already in stay); also written to
        the ``--codes`` file. ``codes`` shows them from then on."""
        return await self._call(self._require().rotate_codes)

    def scenario_time(self) -> int:
        """The scenario clock now (it runs between events)."""
        core = self._require()
        return core.clock.now(self.wall())

    @property
    def session_id(self) -> str:
        return self._require().session_id

    @property
    def state(self) -> ExerciseState:
        return self._require().controller.state

    @property
    def engine(self) -> Engine:
        return self._require().controller.engine

    @property
    def bundle(self) -> Bundle:
        return self._require().controller.bundle

    @property
    def codes(self) -> dict[str, str] | None:
        """The join codes in clear, when this process issued them (or read them back from its
        ``--codes`` file); None when it cannot know them: after a take-over without that file,
        or once another process rotated them without writing that file (checked with each
        heartbeat). ``rotate_codes()`` issues new ones."""
        return self._require().codes

    @property
    def took_over(self) -> TakeOver | None:
        return self._require().took_over

    def join_command(self, role: str) -> str:
        """The command line a seat of ``role`` (or ``evaluator``) runs to join."""
        code = (self.codes or {}).get(role, "CODE")
        db = shlex.quote(self.options.db)
        if role == "evaluator":
            return f"exercise evaluate --db {db} --code {code}"
        return f"exercise join --db {db} --role {role} --code {code}"

    # -- inside -------------------------------------------------------------------------------

    def _require(self) -> LiveController:
        if self._core is None:
            raise RuntimeError("start() the service first")
        return self._core

    def _publish(self, records: list[ev.Recorded]) -> None:
        for record in records:
            for subscriber in self._subscribers:
                subscriber.put(record)

    async def _call(self, fn: Callable[P, T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._worker, fn, *args)


def _release_opened(opened: Future[LiveController], wall: Callable[[], float]) -> None:
    """On the worker thread, after ``opened``: free the lease of an open nobody waits for."""
    if not opened.cancelled() and opened.exception() is None:
        opened.result().release(wall())
