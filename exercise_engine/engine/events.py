"""Events: the facts of an exercise, in the past tense, appended to the log and never changed.

Every event carries the scenario time ``t`` (seconds since STARTEX), the acting ``role`` and
``seat`` when there is one; the rest is its payload. Payloads never hold wall-clock time, so a
seeded run produces the same log byte for byte. Stored events are the class name plus the JSON
of the payload; ``EVENT_TYPES`` maps names back to classes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, ClassVar, NamedTuple

COMMON_FIELDS = ("t", "role", "seat")
_PAYLOAD_FIELDS: dict[type, tuple[str, ...]] = {}


@dataclass(frozen=True, kw_only=True, slots=True)
class Event:
    t: int
    role: str | None = None
    seat: str | None = None

    kind: ClassVar[str] = "event"

    @property
    def type(self) -> str:
        return type(self).__name__

    def payload(self) -> dict[str, Any]:
        """The event's own fields, as JSON-ready data (common fields excluded)."""
        names = _PAYLOAD_FIELDS.get(type(self))
        if names is None:
            names = tuple(f.name for f in fields(self) if f.name not in COMMON_FIELDS)
            _PAYLOAD_FIELDS[type(self)] = names
        return {name: getattr(self, name) for name in names}


@dataclass(frozen=True, kw_only=True, slots=True)
class ExerciseCreated(Event):
    scenario: str
    scenario_hash: str
    seed: int
    mode: str
    speed: float


@dataclass(frozen=True, kw_only=True, slots=True)
class PhaseEntered(Event):
    """Play moved to ``phase`` (setup, briefing, prevent, react, rebuild, debrief, ended)."""

    phase: str
    previous: str
    cause: str  # start | transition | forced | endex | controller | quiescent
    transition: int | None = None  # index in the previous phase's ``next`` list
    condition: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class PhaseHoldChanged(Event):
    held: bool


@dataclass(frozen=True, kw_only=True, slots=True)
class ClockPaused(Event):
    pass


@dataclass(frozen=True, kw_only=True, slots=True)
class ClockResumed(Event):
    pass


@dataclass(frozen=True, kw_only=True, slots=True)
class SpeedChanged(Event):
    speed: float


@dataclass(frozen=True, kw_only=True, slots=True)
class MoveStarted(Event):
    move: int


@dataclass(frozen=True, kw_only=True, slots=True)
class InjectTriggered(Event):
    """An option or rule armed an inject; it is delivered when its phase allows."""

    inject: str
    cause: dict[str, Any]


@dataclass(frozen=True, kw_only=True, slots=True)
class InjectDelivered(Event):
    inject: str
    to: list[str]
    answer: list[str]  # the receiving roles asked to respond
    due_at: int | None
    cause: dict[str, Any]
    adhoc: dict[str, Any] | None = None  # the text of an inject the controller wrote live


@dataclass(frozen=True, kw_only=True, slots=True)
class ResponseOverdue(Event):
    inject: str
    due_at: int


@dataclass(frozen=True, kw_only=True, slots=True)
class ResponseRecorded(Event):
    inject: str
    option: str | None
    text: str
    rationale: str
    late: bool
    delay: int  # seconds of scenario time from delivery to response


@dataclass(frozen=True, kw_only=True, slots=True)
class VariableChanged(Event):
    variable: str
    old: float
    new: float
    cause: dict[str, Any]


@dataclass(frozen=True, kw_only=True, slots=True)
class RuleFired(Event):
    rule: int
    id: str | None
    condition: str


@dataclass(frozen=True, kw_only=True, slots=True)
class MessageSent(Event):
    to: list[str]
    subject: str
    body: str
    inject: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class InformationShared(Event):
    to: list[str]
    inject: str
    note: str


@dataclass(frozen=True, kw_only=True, slots=True)
class ObservationRecorded(Event):
    """An evaluator's rating of a role against a rubric criterion (``role`` is the rated role)."""

    evaluator: str
    criterion: str
    rating: str
    note: str
    inject: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class ExerciseEnded(Event):
    reason: str


EVENT_TYPES: dict[str, type[Event]] = {
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
        InjectDelivered,
        ResponseOverdue,
        ResponseRecorded,
        VariableChanged,
        RuleFired,
        MessageSent,
        InformationShared,
        ObservationRecorded,
        ExerciseEnded,
    )
}


Builder = Callable[[int, str | None, str | None, dict[str, Any]], Event]


def _builder(cls: type[Event]) -> Builder:
    """A constructor of ``cls`` from its stored form, compiled once per class.

    Reading a session rebuilds every event of its log (100,000 for a long one). The frozen
    dataclass ``__init__`` called with ``**payload`` sets each field through
    ``object.__setattr__``; this one takes the payload's values by name and stores them through
    the class's slot descriptors, more than twice as fast, and gives the same frozen instance.
    A payload that does not hold exactly the class's fields (a log written before a defaulted
    field existed, or a damaged one) goes through ``__init__``, so defaults and errors are as
    before.
    """

    def slow(t: int, role: str | None, seat: str | None, payload: dict[str, Any]) -> Event:
        return cls(t=t, role=role, seat=seat, **payload)

    if hasattr(cls, "__post_init__"):
        return slow
    names = [f.name for f in fields(cls) if f.name not in COMMON_FIELDS]
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_slow": slow}
    lines = [
        "def build(t, role, seat, p):",
        f"    if len(p) != {len(names)}:",
        "        return _slow(t, role, seat, p)",
    ]
    if names:
        lines += [
            "    try:",
            *(f"        v{i} = p[{name!r}]" for i, name in enumerate(names)),
            "    except KeyError:",
            "        return _slow(t, role, seat, p)",
        ]
    lines.append("    o = _new(_cls)")
    values = [*COMMON_FIELDS, *(f"v{i}" for i in range(len(names)))]
    for name, value in zip([*COMMON_FIELDS, *names], values, strict=True):
        scope[f"_set_{name}"] = getattr(cls, name).__set__
        lines.append(f"    _set_{name}(o, {value})")
    exec("\n".join([*lines, "    return o"]), scope)  # as dataclasses builds __init__
    return scope["build"]


BUILDERS: dict[str, Builder] = {name: _builder(cls) for name, cls in EVENT_TYPES.items()}
"""Type name -> constructor from the stored form (``t``, ``role``, ``seat``, payload dict)."""


def event_from(
    type_name: str, t: int, role: str | None, seat: str | None, payload: dict[str, Any]
) -> Event:
    """Rebuild an event from its stored form."""
    return BUILDERS[type_name](t, role, seat, payload)


class Recorded(NamedTuple):
    """An event as the log holds it: its sequence number in the session, and when it was
    written on the wall clock (kept apart from the payload, so payloads stay reproducible)."""

    seq: int
    event: Event
    wall_time: str | None = None
