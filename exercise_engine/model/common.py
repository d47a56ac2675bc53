"""Field types shared by the four content formats.

Models are strict (no silent coercion of ``750`` into ``"750"``), forbid unknown fields (a typo
is an error, not an ignored key) and are frozen, because a loaded scenario is an immutable fact
that the engine and every report read.
"""

from __future__ import annotations

from typing import Annotated, Any

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

from exercise_engine.model.durations import (
    DURATION_HELP,
    DURATION_PATTERN,
    OFFSET_PATTERN,
    DurationError,
    parse_clock,
    parse_duration,
)
from exercise_engine.model.expressions import ExpressionError, compile_expression


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


def _trusted_seconds(value: Any, info: ValidationInfo) -> bool:
    """A stored session reloads durations already in seconds; designers must write strings."""
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and bool(info.context)
        and info.context.get("stored", False)
    )


def _duration(value: Any, info: ValidationInfo) -> int:
    if _trusted_seconds(value, info):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected {DURATION_HELP} in quotes")
    try:
        return parse_duration(value)
    except DurationError as exc:
        raise ValueError(str(exc)) from None


def _offset(value: Any, info: ValidationInfo) -> int:
    if _trusted_seconds(value, info):
        return value
    if not isinstance(value, str):
        raise ValueError('expected a time after the phase starts, like "+30m"')
    try:
        return parse_duration(value, allow_plus=True)
    except DurationError as exc:
        raise ValueError(f'{exc}; an offset looks like "+30m"') from None


def _clock_time(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError('expected a scenario date and time in quotes, like "2027-03-14 06:00"')
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
            "pattern": r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$",
            "description": "scenario date and time, YYYY-MM-DD HH:MM",
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
