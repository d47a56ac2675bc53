"""Console sources over a session run in this process (the hot-seat): no codes, no processes.

Each seat's feed is the store's role-scoped read of the log, so a hot-seat role sees exactly
what a remote seat of that role would; commands carry the seat's identity, never a claim.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence

from msgspec.structs import replace

from exercise_engine.engine import commands as cmd
from exercise_engine.engine.engine import Engine
from exercise_engine.engine.events import Recorded
from exercise_engine.engine.state import ExerciseState
from exercise_engine.model.bundle import Bundle
from exercise_engine.scoring.alignment import SeatAnswer
from exercise_engine.session.inprocess import InProcessSession
from exercise_engine.tui.cards import brief, feed_event
from exercise_engine.tui.feed import Brief, FeedEvent
from exercise_engine.tui.source import Ack, Presence

HOTSEAT = "hot-seat"


class LocalSeat:
    def __init__(self, session: InProcessSession, role: str, name: str = HOTSEAT):
        self.session = session
        self.role = role
        self.seat_name = name
        self.actor = cmd.Actor.player(role, seat=f"{HOTSEAT}:{role}", name=name)
        self.brief: Brief = brief(session.bundle, role)

    async def feed(self) -> AsyncIterator[Sequence[FeedEvent]]:
        bundle = self.session.bundle
        async for batch in self.session.follow(role=self.role):
            yield [feed_event(bundle, recorded, self.role) for recorded in batch]

    async def submit(self, command: cmd.Command) -> Ack:
        outcome = await self.session.submit(replace(command, actor=self.actor))
        return Ack(outcome.accepted, outcome.rejection)

    def now(self) -> int | None:
        return self.session.now()


class LocalStaff:
    """The controller's (and the facilitator's evaluator) view of an in-process session."""

    def __init__(self, session: InProcessSession, actor: cmd.Actor | None = None):
        self.session = session
        self.actor = actor or cmd.Actor.controller()
        self.evaluator_name = self.actor.name

    @property
    def bundle(self) -> Bundle:
        return self.session.bundle

    @property
    def engine(self) -> Engine:
        return self.session.engine

    @property
    def state(self) -> ExerciseState:
        return self.session.state

    async def feed(self) -> AsyncIterator[Sequence[Recorded]]:
        async for batch in self.session.follow():
            yield batch

    async def submit(self, command: cmd.Command) -> Ack:
        actor = self.actor
        if actor.kind == cmd.CONTROLLER and command.actor.role is not None:
            actor = replace(actor, role=command.actor.role)  # speaking for a control cell
        outcome = await self.session.submit(replace(command, actor=actor))
        return Ack(outcome.accepted, outcome.rejection)

    def now(self) -> int:
        return self.session.now()

    def presence(self) -> Sequence[Presence]:
        return [Presence(role, HOTSEAT, "this terminal") for role in self.bundle.scenario.roles]

    def codes(self) -> Mapping[str, str]:
        return {}

    def join_command(self, role: str | None) -> str:
        return ""

    def attempts(self) -> Sequence[SeatAnswer]:
        return ()  # one seat per role on a hot-seat: no other seat can try to answer
