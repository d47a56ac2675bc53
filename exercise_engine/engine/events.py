"""Events: the facts of an exercise, in the past tense, appended to the log and never changed.

Every event carries the scenario time ``t`` (seconds since STARTEX), the acting ``role`` and
``seat`` when there is one; the rest is its payload. Payloads never hold wall-clock time, so a
seeded run produces the same log byte for byte. Stored events are the class name plus the JSON
of the payload; ``decode_event`` reads them back, checked against the types below (the same
mechanism as ``commands.decode_command``), so a damaged or foreign log is refused, not folded.

Events are frozen ``msgspec.Struct``s: the engine builds thousands a second and a report reads
100,000, and a Struct is built ten times faster than a frozen dataclass and decoded faster than
any alternative measured (see the commit that introduced them). Kinds and statuses are
``Literal``s; causes are tagged unions whose ``kind`` is the JSON tag, as stored since the
first log.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from typing import Any, Final, Literal, NamedTuple, TypeAlias

import msgspec
from msgspec import Struct, field

from exercise_engine.model.vocabulary import Channel

Phase: TypeAlias = Literal["setup", "briefing", "prevent", "react", "rebuild", "debrief", "ended"]
"""Every phase of a session: the play phases of the scenario format, and the engine's own."""
PHASES: Final[tuple[Phase, ...]] = typing.get_args(Phase)
EndReason: TypeAlias = Literal["endex", "controller", "quiescent"]
"""Why play ended: the scenario's duration ran out, the controller ended it, or (headless runs)
nothing was left to happen."""
PhaseCause: TypeAlias = Literal["start", "transition", "forced", "endex", "controller", "quiescent"]
"""Why a phase was entered: the controller started play, a transition's condition held, the
controller forced it, or (into the debrief) one of the ``EndReason``s."""
COMMON_FIELDS: Final = ("t", "role", "seat")


# -- causes: why an inject went out, why a variable changed or an inject was armed ------------


class Scheduled(Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="at"):
    """An ``at`` inject whose offset into its phase came."""


class FollowedUp(Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="after"):
    """An ``after`` inject whose delay after its reference's first delivery passed."""


class ConditionHeld(Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="when"):
    """A ``when`` inject whose condition became true."""

    condition: str


class Armed(Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="triggered"):
    """An inject an option or rule armed at ``at``, delivered once its phase was current."""

    at: int


class SentByController(
    Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="controller"
):
    """The controller sent the inject (a scenario inject early, or an ad-hoc one)."""


class OptionChosen(Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="option"):
    """A role's chosen option had this effect or armed this inject."""

    inject: str
    role: str
    option: str


class RuleHeld(Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="rule"):
    """The scenario's rule number ``rule`` (its ``id`` if it has one) fired."""

    rule: int
    id: str | None


class Rescheduled(
    Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="rescheduled"
):
    """The time the controller rescheduled the inject to came."""


DeliveryCause: TypeAlias = (
    Scheduled | FollowedUp | ConditionHeld | Armed | SentByController | Rescheduled
)
EffectCause: TypeAlias = OptionChosen | RuleHeld


class AdhocInject(Struct, frozen=True, forbid_unknown_fields=True):
    """The text of an inject the controller wrote during play."""

    title: str
    body: str
    channel: Channel
    sender: str = field(name="from")
    prompt: str | None = None
    """What the receiving roles are asked; None for information only."""


# -- events ------------------------------------------------------------------------------------


class Event(Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    t: int
    role: str | None = None
    seat: str | None = None

    @property
    def type(self) -> str:
        return type(self).__name__

    def payload(self) -> dict[str, Any]:
        """The event's own fields, as JSON-ready data (common fields excluded).

        Events encoded with ``omit_defaults`` leave out a ``role`` or ``seat`` of None, so the
        common fields are dropped only where present."""
        data: dict[str, Any] = msgspec.to_builtins(self)
        for common in ("t", "role", "seat"):
            data.pop(common, None)
        return data


class ExerciseCreated(Event, frozen=True, kw_only=True):
    scenario: str
    scenario_hash: str
    seed: int
    mode: Literal["realtime", "turns"]
    speed: float


class PhaseEntered(Event, frozen=True, kw_only=True):
    """Play moved to ``phase``."""

    phase: Phase
    previous: Phase
    cause: PhaseCause
    transition: int | None = None  # index in the previous phase's ``next`` list
    condition: str | None = None


class PhaseHoldChanged(Event, frozen=True, kw_only=True):
    held: bool


class ClockPaused(Event, frozen=True, kw_only=True):
    pass


class ClockResumed(Event, frozen=True, kw_only=True):
    pass


class SpeedChanged(Event, frozen=True, kw_only=True):
    speed: float


class MoveStarted(Event, frozen=True, kw_only=True):
    move: int


class InjectTriggered(Event, frozen=True, kw_only=True):
    """An option or rule armed an inject; it is delivered when its phase allows."""

    inject: str
    cause: EffectCause


class InjectRescheduled(Event, frozen=True, kw_only=True):
    """The controller moved an inject to ``at``: it goes out then, in whatever phase play is,
    unless its own condition or a trigger delivers it first."""

    inject: str
    at: int
    previous: int | None


class InjectDelivered(Event, frozen=True, kw_only=True):
    inject: str
    to: list[str]
    answer: list[str]  # the receiving roles asked to respond
    due_at: int | None
    cause: DeliveryCause
    adhoc: AdhocInject | None = None  # the text of an inject the controller wrote live
    paragraphs: list[int] | None = None
    """The inject's conditional paragraphs (indexes) whose condition held at delivery: the text
    these roles read is ``Inject.text(paragraphs)``. None for an inject without paragraphs."""
    order: dict[str, list[str]] | None = None
    """Each answering role's options (ids) in the order its seats are shown them
    (``engine.option_order``). None when nobody answers with options, and in older logs."""

    def payload(self) -> dict[str, Any]:
        data = Event.payload(self)
        for name in ("paragraphs", "order"):  # stored only when set: older logs read back the same
            if data[name] is None:
                del data[name]
        return data


class ResponseOverdue(Event, frozen=True, kw_only=True):
    inject: str
    due_at: int


class ResponseRecorded(Event, frozen=True, kw_only=True, omit_defaults=True):
    inject: str
    option: str | None
    text: str
    rationale: str
    late: bool
    delay: int  # seconds of scenario time from delivery to response
    by: str = ""
    """The name of the person who answered for the role (a role may be a team of seats); left
    out of the stored payload when unknown, so logs written before it read back the same."""
    confidence: int | None = None
    """1-5, when the team said how sure it was (left out of the payload when not said)."""
    team_answer: str = ""
    """For a team decision (``respond.team``, a plenary): the role whose answer counts for this
    one too; empty when the role answered itself (and left out of the stored payload)."""


class VariableChanged(Event, frozen=True, kw_only=True):
    variable: str
    old: float
    new: float
    cause: EffectCause


class RuleFired(Event, frozen=True, kw_only=True):
    rule: int
    id: str | None
    condition: str


class MessageSent(Event, frozen=True, kw_only=True):
    to: list[str]
    subject: str
    body: str
    inject: str | None = None


class InformationShared(Event, frozen=True, kw_only=True, omit_defaults=True):
    to: list[str]
    inject: str
    note: str
    paragraphs: list[int] | None = None
    """The conditional paragraphs of the inject as the sharing role read it (None: none; left
    out of the stored payload then, so older logs read back the same)."""


class ObservationRecorded(Event, frozen=True, kw_only=True):
    """An evaluator's rating of a role against a rubric criterion (``role`` is the rated role)."""

    evaluator: str
    criterion: str
    rating: str
    note: str
    inject: str | None = None


class ExerciseEnded(Event, frozen=True, kw_only=True):
    reason: EndReason


class ControllerTookOver(Event, frozen=True, kw_only=True):
    """A controller took over a session whose previous controller had stopped or died;
    ``outage`` wall-clock seconds went by with no controller, and were not scenario time."""

    outage: int


EVENT_TYPES: Final[Mapping[str, type[Event]]] = {
    cls.__name__: cls
    for cls in (
        ExerciseCreated,
        PhaseEntered,
        PhaseHoldChanged,
        ClockPaused,
        ClockResumed,
        SpeedChanged,
        MoveStarted,
        InjectTriggered,
        InjectRescheduled,
        InjectDelivered,
        ResponseOverdue,
        ResponseRecorded,
        VariableChanged,
        RuleFired,
        MessageSent,
        InformationShared,
        ObservationRecorded,
        ExerciseEnded,
        ControllerTookOver,
    )
}


class EventFormatError(ValueError):
    """A stored event that is not what the engine writes: a damaged or foreign log."""


def decode_event(
    type_name: str, t: int, role: str | None, seat: str | None, payload: Mapping[str, Any]
) -> Event:
    """An event from its stored form: type name, common columns and the parsed JSON payload.

    A payload without a defaulted field (a log written before the field existed) gets the
    default; anything else that does not match the type raises ``EventFormatError``.
    """
    cls = EVENT_TYPES.get(type_name)
    if cls is None:
        raise EventFormatError(f"unknown event type '{type_name}'")
    try:
        return msgspec.convert({**payload, "t": t, "role": role, "seat": seat}, cls)
    except (msgspec.ValidationError, TypeError) as exc:  # TypeError: a payload not a mapping
        raise EventFormatError(f"{type_name}: {exc}") from None


class Recorded(NamedTuple):
    """An event as the log holds it: its sequence number in the session, and when it was
    written on the wall clock (kept apart from the payload, so payloads stay reproducible)."""

    seq: int
    event: Event
    wall_time: str | None = None
