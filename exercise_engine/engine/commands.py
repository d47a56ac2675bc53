"""Commands: what controllers, seats, evaluators and bots ask the engine to do.

A command is a request, not a fact: the engine may reject it with a reason the seat shows
("inject INJ-004 was not sent to your role"). Commands travel through the store's inbox as
type name + JSON payload, like events, so seats in other processes can submit them; the actor is
never part of the payload (the inbox supplies it from the seat's registered identity).

Each command is a frozen ``msgspec.Struct`` whose field types say what is acceptable: kinds,
lengths, ranges, id patterns. ``decode_command`` is the one way from (type name, payload, actor)
to a command: anything malformed raises ``CommandFormatError`` naming the field and what was
expected, in words a seat can show. ``Engine.handle`` checks commands built in process
(``validated``) against the same types, so a limit is written once, here.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Final, Literal, TypeAlias

import msgspec
from msgspec import Meta, Struct, field

from exercise_engine.model.vocabulary import Channel, PhaseName

ActorKind: TypeAlias = Literal["controller", "player", "evaluator"]
CONTROLLER: Final = "controller"
PLAYER: Final = "player"
EVALUATOR: Final = "evaluator"

MAX_TEXT: Final = 10_000
"""Characters of a seat's free text: an answer, a rationale, a message, a note."""
MAX_TITLE: Final = 400
"""Characters of a one-line text: a title, a subject, a sender, a name."""
MAX_ROLES: Final = 64
"""Roles one command may address (a scenario has a handful; ``all`` stands for every one)."""
MAX_TIME: Final = 2**31 - 1
"""Scenario seconds: far beyond any exercise (68 years), well within SQLite's integers."""

_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$"  # the scenario format's ids (model/common.py)
Id = Annotated[str, Meta(pattern=_ID_PATTERN)]
"""An inject, role, option or criterion id, or ``all`` in a list of roles."""
Text = Annotated[str, Meta(max_length=MAX_TEXT)]
Line = Annotated[str, Meta(max_length=MAX_TITLE)]
Roles = Annotated[list[Id], Meta(max_length=MAX_ROLES)]
Seconds = Annotated[int, Meta(ge=0, le=MAX_TIME)]
Speed = Annotated[float, Meta(gt=0, le=100_000)]
Confidence = Annotated[int, Meta(ge=1, le=5)]
"""A team's confidence in its answer: 1 (a guess) to 5 (certain)."""
"""Scenario minutes per wall minute."""
CHANNELS: Final = typing.get_args(Channel)
EndReason = Literal["controller", "quiescent"]
"""Why the controller ended play: by decision, or (headless runs) because nothing was left."""


class Actor(Struct, frozen=True):
    """Who issues a command: the controller (white cell), a role's seat, or an evaluator."""

    kind: ActorKind
    role: Id | None = None
    seat: Line | None = None
    name: Line = ""

    @classmethod
    def controller(cls, seat: str | None = "controller") -> Actor:
        return cls(CONTROLLER, None, seat, "controller")

    @classmethod
    def player(cls, role: str, seat: str | None = None, name: str = "") -> Actor:
        return cls(PLAYER, role, seat or role, name or role)

    @classmethod
    def evaluator(cls, name: str, seat: str | None = None) -> Actor:
        return cls(EVALUATOR, None, seat or f"evaluator:{name}", name)


class Command(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    actor: Actor = field(default_factory=Actor.controller)

    controller_only: ClassVar[bool] = True

    @property
    def type(self) -> str:
        return type(self).__name__

    def payload(self) -> dict[str, Any]:
        """The command's own fields as JSON-ready data: what the inbox stores (no actor)."""
        data: dict[str, Any] = msgspec.to_builtins(self)
        del data["actor"]
        return data


class StartBriefing(Command, frozen=True, kw_only=True):
    pass


class StartPlay(Command, frozen=True, kw_only=True):
    pass


class AdvanceClock(Command, frozen=True, kw_only=True):
    """Run the clock to ``to`` (default: the time the command is handled at)."""

    to: Seconds | None = None


class Pause(Command, frozen=True, kw_only=True):
    pass


class Resume(Command, frozen=True, kw_only=True):
    pass


class SetSpeed(Command, frozen=True, kw_only=True):
    speed: Speed


class NextMove(Command, frozen=True, kw_only=True):
    pass


class ForcePhase(Command, frozen=True, kw_only=True):
    phase: PhaseName


class HoldPhase(Command, frozen=True, kw_only=True):
    hold: bool = True


class SendInject(Command, frozen=True, kw_only=True):
    """Send a scenario inject now, or (``inject`` None) an ad-hoc one the controller writes."""

    inject: Id | None = None
    to: Roles | None = None
    title: Line = ""
    body: Text = ""
    channel: Channel = "report"
    sender: Line = ""
    due: Seconds | None = None
    prompt: Text = ""


class RescheduleInject(Command, frozen=True, kw_only=True):
    """Move an inject not yet delivered to scenario time ``at`` (seconds since STARTEX)."""

    inject: Id
    at: Seconds


class Respond(Command, frozen=True, kw_only=True):
    inject: Id
    option: Id | None = None
    text: Text = ""
    rationale: Text = ""
    confidence: Confidence | None = None
    """How sure the team is of its answer, 1 (a guess) to 5 (certain); optional."""

    controller_only: ClassVar[bool] = False


class SendMessage(Command, frozen=True, kw_only=True):
    to: Roles
    body: Text
    subject: Line = ""
    inject: Id | None = None

    controller_only: ClassVar[bool] = False


class ShareInformation(Command, frozen=True, kw_only=True):
    to: Roles
    inject: Id
    note: Text = ""

    controller_only: ClassVar[bool] = False


class RecordObservation(Command, frozen=True, kw_only=True):
    criterion: Id
    role: Id
    rating: Annotated[str, Meta(min_length=1, max_length=40)]
    note: Text = ""
    inject: Id | None = None

    controller_only: ClassVar[bool] = False


class EndExercise(Command, frozen=True, kw_only=True):
    reason: EndReason = "controller"


COMMAND_TYPES: Final[Mapping[str, type[Command]]] = {
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
        RescheduleInject,
        Respond,
        SendMessage,
        ShareInformation,
        RecordObservation,
        EndExercise,
    )
}


class CommandFormatError(ValueError):
    """A submitted command that does not have the shape of its type; the message is for the
    seat that sent it. ``field`` is the offending field's path (``to[2]``), None for the whole
    command."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def decode_command(
    type_name: str, payload: str | bytes | Mapping[str, Any], actor: Actor
) -> Command:
    """The command ``type_name`` with ``payload`` (JSON text or parsed), issued by ``actor``.

    Raises ``CommandFormatError`` for an unknown type, a payload that is not a JSON object, an
    unknown or missing field, a value of the wrong kind (a string where a list is expected is
    refused, not read letter by letter), out of range or too long, and an ``actor`` field in the
    payload (who acts is the seat's registered identity, never what the seat says).
    """
    cls = COMMAND_TYPES.get(type_name)
    if cls is None:
        raise CommandFormatError(
            f"unknown command '{_shorten(type_name)}'; the commands are " + ", ".join(COMMAND_TYPES)
        )
    if isinstance(payload, str | bytes):
        try:
            payload = msgspec.json.decode(payload)
        except msgspec.DecodeError as exc:
            raise CommandFormatError(
                f"{type_name}: the payload is not valid JSON ({exc})"
            ) from None
    if not isinstance(payload, Mapping):
        raise CommandFormatError(f"{type_name}: the payload must be a JSON object of its fields")
    if "actor" in payload:
        raise CommandFormatError(
            f"{type_name}: 'actor' cannot be set in a command; who acts is the seat's identity",
            "actor",
        )
    try:
        return msgspec.convert({**payload, "actor": actor}, cls)
    except msgspec.ValidationError as exc:
        raise _explain(cls, str(exc)) from None


def validated(command: Command) -> Command:
    """``command`` checked against its type, as if it had come through the inbox (a command
    built in process skips the checks ``decode_command`` makes)."""
    return decode_command(command.type, command.payload(), command.actor)


# -- errors a seat can read ----------------------------------------------------------------------

_KINDS = {
    "float": "a number",
    "int": "a whole number",
    "str": "text",
    "array": "a list",
    "object": "an object",
    "bool": "true or false",
    "null": "null",
}
_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_EXPECTED = re.compile(r"^Expected `(?P<kind>[^`]+)`(?P<rest>.*?)(?:, got `(?P<got>[^`]+)`)?$")
_FIELD = re.compile(r"^Object (?P<how>contains unknown|missing required) field `(?P<name>[^`]*)`$")


def _explain(cls: type[Command], message: str) -> CommandFormatError:
    """msgspec's message (``Expected `array`, got `str` - at `$.to```) in a seat's words."""
    at = _AT.match(message)
    assert at is not None  # the pattern matches any text
    what, path = at["what"], (at["path"] or "").lstrip(".") or None
    name = cls.__name__
    known = ", ".join(f for f in cls.__struct_fields__ if f != "actor") or "none"
    if found := _FIELD.match(what):
        if found["how"] == "missing required":
            return CommandFormatError(f"{name}: '{found['name']}' is required", found["name"])
        return CommandFormatError(
            f"{name}: unknown field '{_shorten(found['name'])}' (its fields: {known})",
            found["name"],
        )
    where = f"'{path}'" if path else "the payload"
    if expected := _EXPECTED.match(what):
        kinds = " or ".join(_KINDS.get(k.strip(), k.strip()) for k in expected["kind"].split("|"))
        rest = _limits(expected["rest"], expected["kind"])
        got = f", not {_KINDS.get(expected['got'], expected['got'])}" if expected["got"] else ""
        return CommandFormatError(f"{name}: {where} must be {kinds}{rest}{got}", path)
    if what.startswith("Invalid enum value") and path is not None:
        choices = _choices(cls, path)
        return CommandFormatError(
            f"{name}: {where} must be one of {', '.join(choices)}"
            if choices
            else f"{name}: {what}",
            path,
        )
    return CommandFormatError(f"{name}: {where}: {what}", path)


def _limits(rest: str, kind: str) -> str:
    """`` of length <= 400`` and the like, said for people."""
    rest = rest.strip()
    unit = "characters" if kind == "str" else "items"
    for sign, words in (("<=", "at most"), (">=", "at least"), ("<", "under"), (">", "above")):
        prefix = f"of length {sign} "
        if rest.startswith(prefix):
            return f" of {words} {rest.removeprefix(prefix)} {unit}"
        if rest.startswith(sign + " "):
            return f" {words} {_number(rest.removeprefix(sign + ' '))}"
    if rest.startswith("matching regex"):
        return " (an id: letters, digits, '-', '_' or '.', at most 80 characters)"
    return f" {rest}" if rest else ""


def _number(text: str) -> str:
    """``100000.0`` as ``100000``: a limit as a person writes it."""
    try:
        value = float(text)
    except ValueError:
        return text
    return str(int(value)) if value.is_integer() else text


def _choices(cls: type[Command], path: str) -> list[str]:
    hint = typing.get_type_hints(cls).get(path)
    while hint is not None and typing.get_origin(hint) is not Literal:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        hint = args[0] if len(args) == 1 else None
    return [str(choice) for choice in typing.get_args(hint)] if hint is not None else []


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
