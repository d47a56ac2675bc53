"""Commands: what controllers, seats, evaluators and bots ask the engine to do.

A command is a request, not a fact: the engine may reject it with a reason the seat shows
("inject INJ-004 was not sent to your role"). Commands travel through the store's inbox as
type name + JSON, like events, so seats in other processes can submit them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar

CONTROLLER = "controller"
EVALUATOR = "evaluator"
PLAYER = "player"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who issues a command: the controller (white cell), a role's seat, or an evaluator."""

    kind: str  # controller | player | evaluator
    role: str | None = None
    seat: str | None = None
    name: str = ""

    @classmethod
    def controller(cls, seat: str | None = "controller") -> Actor:
        return cls(CONTROLLER, None, seat, "controller")

    @classmethod
    def player(cls, role: str, seat: str | None = None, name: str = "") -> Actor:
        return cls(PLAYER, role, seat or role, name or role)

    @classmethod
    def evaluator(cls, name: str, seat: str | None = None) -> Actor:
        return cls(EVALUATOR, None, seat or f"evaluator:{name}", name)


@dataclass(frozen=True, kw_only=True, slots=True)
class Command:
    actor: Actor = field(default_factory=Actor.controller)

    controller_only: ClassVar[bool] = True

    @property
    def type(self) -> str:
        return type(self).__name__

    def payload(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("actor")
        return data


@dataclass(frozen=True, kw_only=True, slots=True)
class StartBriefing(Command):
    pass


@dataclass(frozen=True, kw_only=True, slots=True)
class StartPlay(Command):
    pass


@dataclass(frozen=True, kw_only=True, slots=True)
class AdvanceClock(Command):
    """Run the clock to ``to`` (default: the time the command is handled at)."""

    to: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Pause(Command):
    pass


@dataclass(frozen=True, kw_only=True, slots=True)
class Resume(Command):
    pass


@dataclass(frozen=True, kw_only=True, slots=True)
class SetSpeed(Command):
    speed: float


@dataclass(frozen=True, kw_only=True, slots=True)
class NextMove(Command):
    pass


@dataclass(frozen=True, kw_only=True, slots=True)
class ForcePhase(Command):
    phase: str


@dataclass(frozen=True, kw_only=True, slots=True)
class HoldPhase(Command):
    hold: bool = True


@dataclass(frozen=True, kw_only=True, slots=True)
class SendInject(Command):
    """Send a scenario inject now, or (``inject`` None) an ad-hoc one the controller writes."""

    inject: str | None = None
    to: list[str] | None = None
    title: str = ""
    body: str = ""
    channel: str = "report"
    sender: str = ""
    due: int | None = None
    prompt: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Respond(Command):
    inject: str
    option: str | None = None
    text: str = ""
    rationale: str = ""

    controller_only: ClassVar[bool] = False


@dataclass(frozen=True, kw_only=True, slots=True)
class SendMessage(Command):
    to: list[str]
    body: str
    subject: str = ""
    inject: str | None = None

    controller_only: ClassVar[bool] = False


@dataclass(frozen=True, kw_only=True, slots=True)
class ShareInformation(Command):
    to: list[str]
    inject: str
    note: str = ""

    controller_only: ClassVar[bool] = False


@dataclass(frozen=True, kw_only=True, slots=True)
class RecordObservation(Command):
    criterion: str
    role: str
    rating: str
    note: str = ""
    inject: str | None = None

    controller_only: ClassVar[bool] = False


@dataclass(frozen=True, kw_only=True, slots=True)
class EndExercise(Command):
    reason: str = "controller"


COMMAND_TYPES: dict[str, type[Command]] = {
    cls.__name__: cls
    for cls in (
        StartBriefing,
        StartPlay,
        AdvanceClock,
        Pause,
        Resume,
        SetSpeed,
        NextMove,
        ForcePhase,
        HoldPhase,
        SendInject,
        Respond,
        SendMessage,
        ShareInformation,
        RecordObservation,
        EndExercise,
    )
}


class CommandFormatError(ValueError):
    """A stored or submitted command that does not have the shape of any command."""


def command_from(type_name: str, payload: dict[str, Any], actor: Actor) -> Command:
    cls = COMMAND_TYPES.get(type_name)
    if cls is None:
        raise CommandFormatError(f"unknown command '{type_name}'")
    try:
        return cls(actor=actor, **payload)
    except TypeError as exc:
        raise CommandFormatError(f"malformed {type_name}: {exc}") from None
