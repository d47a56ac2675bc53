"""Console sources over the live layer: the controller service, a seat client, an evaluator.

Each turns what the live layer carries (committed events, JSON lines as a role or as staff read
them, acks, presence, the controller's status) into what the consoles show, and the consoles'
engine commands into the live layer's submissions. Nothing here decides anything.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from msgspec.structs import replace

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.engine.events import Recorded
from exercise_engine.live import client as live_client
from exercise_engine.tui.feed import Brief, FeedEvent, InjectCard, OptionCard
from exercise_engine.tui.source import Ack, Presence, Status

if TYPE_CHECKING:  # a seat's console never loads the controller, the engine or scoring
    from exercise_engine.engine.engine import Engine
    from exercise_engine.engine.state import ExerciseState
    from exercise_engine.live.service import ControllerService
    from exercise_engine.model.bundle import Bundle
    from exercise_engine.scoring.alignment import SeatAnswer

SETTING_TITLES = {
    "geographic": "Geography",
    "political": "Politics",
    "military": "Security forces and armed groups",
    "economic": "Economy",
    "social": "Society",
    "informational": "Information",
    "infrastructure": "Infrastructure",
}


class LineLike(Protocol):
    """An event as the live layer hands it to a reader (``payload``/``extra``: JSON text)."""

    seq: int
    type: str
    t: int
    role: str | None
    payload: str
    extra: str | None


# -- reading what the live layer carries -------------------------------------------------------


def inject_card(data: Mapping[str, Any]) -> InjectCard:
    """An inject as the live layer shows it to a reader (``{"id", "title", ...}``)."""
    options = tuple(OptionCard(str(o["id"]), str(o["text"])) for o in data.get("options") or ())
    asked = "prompt" in data or "options" in data
    return InjectCard(
        id=str(data.get("id", "")),
        title=str(data.get("title", "")),
        channel=str(data.get("channel", "")),
        sender=str(data.get("sender", "")),
        body=str(data.get("body", "")),
        due_at=data.get("due_at"),
        options=options,
        prompt=str(data.get("prompt") or ""),
        free_text=bool(data.get("free_text")),
        rationale=str(data.get("rationale") or "none"),
        must_answer=asked,
    )


def feed_event(line: LineLike) -> FeedEvent:
    """A line of the log as a console reads it."""
    extra = json.loads(line.extra) if line.extra else {}
    shown = extra.get("inject")
    return FeedEvent(
        seq=line.seq,
        type=line.type,
        t=line.t,
        role=line.role,
        payload=json.loads(line.payload),
        inject=inject_card(shown) if shown else None,
        brief=extra.get("brief"),
    )


def recorded(line: LineLike) -> Recorded:
    """A staff line (the event as stored) as the engine's event."""
    event = ev.decode_event(line.type, line.t, line.role, None, json.loads(line.payload))
    return Recorded(line.seq, event)


def role_brief(data: Mapping[str, Any]) -> Brief:
    """A role's brief as the live layer gives it to its seats."""
    scenario = data.get("scenario") or {}
    role = data.get("role") or {}
    setting = data.get("setting") or {}
    return Brief(
        scenario=str(scenario.get("id", "")),
        title=str(scenario.get("title", "")),
        role=str(role.get("id", "")),
        role_name=str(role.get("name", "")),
        summary=str(scenario.get("summary", "")),
        setting=tuple(
            (SETTING_TITLES.get(key, key.capitalize()), str(text))
            for key, text in setting.items()
            if text
        ),
        mandate=str(role.get("mandate", "")),
        principles=tuple(role.get("principles") or ()),
        tools=tuple(role.get("tools") or ()),
        constraints=tuple(role.get("constraints") or ()),
        roles={str(r["id"]): str(r["name"]) for r in data.get("roles") or ()},
        variables={
            name: str(v.get("label") or name) for name, v in (data.get("variables") or {}).items()
        },
        clock_start=(data.get("clock") or {}).get("start"),
    )


def ack(answer: live_client.Ack) -> Ack:
    return Ack(answer.status == "accepted", answer.reason)


async def _live(
    items: AsyncIterator[Any], convert: Any
) -> AsyncIterator[Sequence[FeedEvent | Recorded | Status]]:
    async for item in items:
        if isinstance(item, live_client.Status):
            yield [Status(item.status)]
        else:
            yield [convert(item)]


# -- a seat ----------------------------------------------------------------------------------


class ClientSeat:
    """A trainee's seat over a ``SeatClient`` (joined with a code, or by the hot-seat)."""

    def __init__(self, client: live_client.SeatClient):
        self.client = client
        self.brief = role_brief(client.brief)
        self.seat_name = client.identity.name

    def feed(self) -> AsyncIterator[Sequence[FeedEvent | Status]]:
        return _live(aiter(self.client), feed_event)  # type: ignore[return-value]

    async def submit(self, command: cmd.Command) -> Ack:
        return ack(await self.client.submit(command.type, command.payload()))

    def now(self) -> int | None:
        return self.client.scenario_time()

    async def close(self) -> None:
        await self.client.close()


# -- staff -----------------------------------------------------------------------------------


def presence_of(people: Sequence[Any]) -> list[Presence]:
    return [Presence(p.role, p.name, p.since[11:16], p.kind) for p in people if p.connected]


class ServiceSource:
    """The controller's console over the controller service running in this process."""

    def __init__(self, service: ControllerService, actor: cmd.Actor | None = None):
        self.service = service
        self.actor = actor or cmd.Actor.controller()
        self.evaluator_name = self.actor.name
        self._feed = service.subscribe()  # before serve(): the whole log, then what comes
        self._people: list[Presence] = []

    @property
    def bundle(self) -> Bundle:
        return self.service.bundle

    @property
    def engine(self) -> Engine:
        return self.service.engine

    @property
    def state(self) -> ExerciseState:
        return self.service.state

    async def feed(self) -> AsyncIterator[Sequence[Recorded]]:
        async for record in self._feed:
            yield [record]

    async def submit(self, command: cmd.Command) -> Ack:
        actor = self.actor
        if actor.kind == cmd.CONTROLLER and command.actor.role is not None:
            actor = replace(actor, role=command.actor.role)  # speaking for a control cell
        outcome = await self.service.submit(replace(command, actor=actor))
        return Ack(outcome.accepted, outcome.rejection)

    def now(self) -> int:
        return self.service.scenario_time()

    def presence(self) -> Sequence[Presence]:
        return self._people

    async def refresh(self) -> None:
        with contextlib.suppress(Exception):  # presence is a courtesy; the feed says what broke
            self._people = presence_of(await self.service.presence())

    def codes(self) -> Mapping[str, str]:
        return self.service.codes or {}

    async def rotate_codes(self) -> Mapping[str, str]:
        return await self.service.rotate_codes()

    def join_command(self, role: str | None) -> str:
        return self.service.join_command(role or "evaluator")

    def attempts(self) -> Sequence[SeatAnswer]:
        return ()


class ClientEvaluator:
    """The evaluator's console over an ``EvaluatorClient``."""

    def __init__(self, client: live_client.EvaluatorClient):
        self.client = client
        self.bundle: Bundle = client.bundle
        self.evaluator_name = client.identity.name
        self._people: list[Presence] = []

    def feed(self) -> AsyncIterator[Sequence[Recorded | Status]]:
        return _live(aiter(self.client), recorded)  # type: ignore[return-value]

    async def submit(self, command: cmd.Command) -> Ack:
        return ack(await self.client.submit(command.type, command.payload()))

    def now(self) -> int:
        return self.client.scenario_time() or 0

    def presence(self) -> Sequence[Presence]:
        return self._people

    async def refresh(self) -> None:
        return None

    def attempts(self) -> Sequence[SeatAnswer]:
        return ()

    async def close(self) -> None:
        await self.client.close()


# -- a live session for a console --------------------------------------------------------------


class LiveSession:
    """The controller service started in this loop and serving, with its console source and
    (for the hot-seat) a seat joined to every role with the session's codes."""

    def __init__(
        self, service: ControllerService, source: ServiceSource, serving: asyncio.Task[None]
    ):
        self.service = service
        self.source = source
        self.serving = serving
        self.seats: list[ClientSeat] = []

    @classmethod
    @contextlib.asynccontextmanager
    async def open(cls, options: Any, *, seats: bool = False) -> AsyncIterator[LiveSession]:
        """Start the service (creating the session or taking it over), serve it, and stop it
        (freeing the lease) on the way out, whatever happened."""
        from exercise_engine.live.service import ControllerService

        service = ControllerService(options)
        await service.start()
        source = ServiceSource(service)  # subscribed before serving: the whole log comes
        session = cls(service, source, asyncio.get_running_loop().create_task(service.serve()))
        try:
            if seats:
                session.seats = await session.join_every_role()
            yield session
        finally:
            for seat in session.seats:
                await seat.close()
            service.stop()
            await session.serving

    async def join_every_role(self) -> list[ClientSeat]:
        service = self.service
        codes = service.codes or await service.rotate_codes()
        joined = []
        for role in service.bundle.scenario.roles:
            client = await live_client.SeatClient.join(
                service.options.db, role=role, code=codes[role], name="hot-seat",
                session=service.session_id,
            )  # fmt: skip
            joined.append(ClientSeat(client))
        return joined
