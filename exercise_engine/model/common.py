"""Field types shared by the four content formats.

Models are strict (no silent coercion of ``750`` into ``"750"``), forbid unknown fields (a typo
is an error, not an ignored key) and are frozen, because a loaded scenario is an immutable fact
that the engine and every report read.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeGuard

from pydantic import (
    AfterValidator,
    AllowInfNan,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
)

from exercise_engine.model.diagnostics import quoted
from exercise_engine.model.durations import (
    DURATION_HELP,
    DURATION_PATTERN,
    OFFSET_PATTERN,
    DurationError,
    parse_clock,
    parse_duration,
)
from exercise_engine.model.expressions import ExpressionError, compile_expression


class SelfExplained(ValueError):
    """A message that already says how YAML read a bare number and what to write instead, so
    the generic note on YAML's retyping (``explain_retyped_scalar``) is not added to it.
    ``otherwise`` is the message for a number YAML made of something else (``12:30`` read as
    base 60), which that note explains."""

    def __init__(self, message: str, otherwise: str):
        super().__init__(message)
        self.otherwise = otherwise


def _bare_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class Content(BaseModel):
    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        str_strip_whitespace=False,
        validate_default=False,
        use_attribute_docstrings=True,  # field docstrings reach the JSON Schema (editor hovers)
    )


Id = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$",
            "description": "an id: letters, digits, '-', '_' or '.'",
        }
    ),
]
Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9\-]{0,79}$"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[a-z0-9][a-z0-9\-]{0,79}$",
            "description": "a slug: lowercase letters, digits and '-'",
        }
    ),
]
VariableName = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[a-z][a-z0-9_]{0,39}$",
            "description": "a variable name: lowercase letters, digits and '_'",
        }
    ),
]
Text = Annotated[str, StringConstraints(max_length=20_000)]
Line = Annotated[str, StringConstraints(max_length=400)]


def _trusted_seconds(value: Any, info: ValidationInfo) -> TypeGuard[int]:
    """A stored session reloads durations already in seconds; designers must write strings."""
    context = info.context
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and isinstance(context, dict)
        and bool(context.get("stored", False))
    )


def _duration(value: Any, info: ValidationInfo) -> int:
    if _trusted_seconds(value, info):
        return value
    if _bare_number(value):
        n = f"{value:g}"
        raise SelfExplained(
            f"{n} is a bare number, and a duration needs its unit, in quotes: write "
            f'"{n}m" for {n} minutes, "{n}h" for hours or "{n}s" for seconds',
            f"expected {DURATION_HELP} in quotes",
        )
    if not isinstance(value, str):
        raise ValueError(f"expected {DURATION_HELP} in quotes")
    try:
        return parse_duration(value)
    except DurationError as exc:
        raise ValueError(str(exc)) from None


def _offset(value: Any, info: ValidationInfo) -> int:
    if _trusted_seconds(value, info):
        return value
    if _bare_number(value):
        n = f"{value:g}"
        raise SelfExplained(
            f"{n} is a bare number, and a time after the phase starts needs its unit, in "
            f'quotes: write "+{n}m" for {n} minutes, "+{n}h" for hours',
            'expected a time after the phase starts, like "+30m"',
        )
    if not isinstance(value, str):
        raise ValueError('expected a time after the phase starts, like "+30m"')
    if value.strip().startswith("-"):
        raise ValueError(
            f"{quoted(value)} is before the phase starts, and offsets count forward from it; "
            f'for material players read before STARTEX, write before_startex: "{value.strip()[1:]}"'
            " (a read-ahead, with no phase)"
        )
    try:
        return parse_duration(value, allow_plus=True)
    except DurationError as exc:
        raise ValueError(f'{exc}; an offset looks like "+30m"') from None


def _clock_time(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(
            'expected a scenario time in quotes, like "2027-03-14 06:00", or "06:00" for a '
            "scenario set on no particular date"
        )
    try:
        parse_clock(value)
    except DurationError as exc:
        raise ValueError(str(exc)) from None
    return value


def _expression(value: Any, info: ValidationInfo) -> str:
    if not isinstance(value, str):
        raise ValueError('expected an expression in quotes, like "violence >= 7"')
    if info.context and info.context.get("stored"):
        return value  # checked when the session was created; the engine compiles it on use
    try:
        compile_expression(value)
    except ExpressionError as exc:
        where = f" (at column {exc.offset + 1} of the expression)" if exc.offset else ""
        raise ValueError(f"invalid expression: {exc.message}{where}") from None
    return value


_DURATION_SCHEMA = {
    "type": "string",
    "pattern": DURATION_PATTERN,
    "description": "duration: 90m, 1h30m, 45s, 2d",
}
_OFFSET_SCHEMA = {
    "type": "string",
    "pattern": OFFSET_PATTERN,
    "description": "time after the phase starts: +30m, +2h",
}

# Durations are kept in seconds once loaded; designers write them as strings.
Duration = Annotated[int, BeforeValidator(_duration), WithJsonSchema(_DURATION_SCHEMA)]
Offset = Annotated[
    int,
    BeforeValidator(_offset),
    WithJsonSchema(_OFFSET_SCHEMA),
]
ClockTime = Annotated[
    str,
    AfterValidator(_clock_time),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}$",
            "description": "scenario time: YYYY-MM-DD HH:MM, or HH:MM without a date",
        }
    ),
]
ExpressionText = Annotated[
    str,
    AfterValidator(_expression),
    WithJsonSchema(
        {
            "type": "string",
            "maxLength": 500,
            "description": "condition over variables, phase, elapsed, elapsed_in_phase, move, "
            "delivered(), responded(), chose(), overdue()",
        }
    ),
]
Number = Annotated[float, AllowInfNan(False), WithJsonSchema({"type": "number"})]


class Meta(Content):
    """Extension: the designer's own record of a content file (who wrote it, from what, under
    which licence, and notes for the debrief). Shown by ``preview`` and the MSEL print-out to
    control staff; never to players, never in the after-action review."""

    author: Line = ""
    source: Text = ""
    """Where the material comes from: a course, an exercise it was converted from, a paper."""
    licence: Line = ""
    """The licence the file is shared under, e.g. ``CC-BY-4.0``."""
    tags: list[Line] = []
    """The designer's own keywords (free text, unlike doctrine tags)."""
    debrief: Text = ""
    """Notes for the facilitator's debrief: what to draw out, what went wrong last time."""
