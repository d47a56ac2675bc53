"""Reading the engine's own fields back from cells: lists, yes/no, ids, effects, timing.

These are the spellings ``exercise msel export`` writes, and the looser ones a planner types
(``violence: -1; access +2``, ``yes``/``x``, ids separated by commas, spaces or lines).
"""

from __future__ import annotations

import datetime as dt
import re

from exercise_engine.model.durations import DurationError, format_duration, parse_duration

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$")
_LIST_SPLIT = re.compile(r"[,;\s]+")
_PAIR = re.compile(r"^(?P<name>[^\s:=]+)(?:\s*[:=]\s*|\s+)(?P<num>[+-]?\d+(?:\.\d+)?)$")
_AFTER = re.compile(r"^after\s+(?P<inject>\S+?)(?:\s*(?:\+|delay)\s*(?P<delay>\S+))?$", re.I)
_WHEN = re.compile(r"^when\s*:?\s+(?P<expr>.+)$", re.I | re.S)
YES = frozenset({"yes", "y", "true", "x", "1", "oui"})
NO = frozenset({"no", "n", "false", "0", "", "non"})


class CellError(ValueError):
    """A cell whose text is not what its column holds; the message says what was expected."""


def text(value: object) -> str:
    """A cell as text: numbers without a spurious ``.0``, dates in ISO, whitespace trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value).strip()


def long_text(value: object) -> str:
    """Markdown as the cell holds it (line breaks and trailing newline kept); blank is empty."""
    if isinstance(value, str):
        return value if value.strip() else ""
    return text(value)


def id_list(value: object) -> list[str]:
    """``UND-2, SHP-3`` -> ``["UND-2", "SHP-3"]`` (commas, semicolons, spaces or lines)."""
    return [part for part in _LIST_SPLIT.split(text(value)) if part]


def yes_no(value: object) -> bool:
    said = text(value).lower()
    if said in YES:
        return True
    if said in NO:
        return False
    raise CellError(f"'{text(value)}' is neither yes nor no")


def pairs(value: object) -> dict[str, float | int]:
    """``violence -1, access +2`` or ``SHP-3: 4; UND-2=3`` -> a mapping of names to numbers."""
    result: dict[str, float | int] = {}
    for part in (p.strip() for p in re.split(r"[,;\n]", text(value))):
        if not part:
            continue
        match = _PAIR.match(part)
        if match is None:
            raise CellError(f"'{part}' is not a name and a number (like 'violence -1')")
        number = float(match["num"])
        result[match["name"]] = int(number) if number.is_integer() else number
    return result


def number(value: float | int) -> str:
    """A number as a planner writes it: ``4``, ``-1``, ``0.5``."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def write_pairs(values: dict[str, float | int], signed: bool = False) -> str:
    return ", ".join(
        f"{name} {'+' if signed and value > 0 else ''}{number(value)}"
        for name, value in values.items()
    )


def duration(value: object, unit: int | None = None) -> int:
    """A due time: ``45m``, ``1h30m``, or a bare number in the header's unit (``Max minutes``)."""
    said = text(value)
    if unit and re.fullmatch(r"\d+(?:\.\d+)?", said):
        return round(float(said) * unit)
    try:
        return parse_duration(said.lower().replace(" ", ""), allow_plus=True)
    except DurationError as exc:
        raise CellError(str(exc)) from None


def trigger(value: object) -> dict[str, object]:
    """``after INJ-001 +3h`` -> ``{"after": {...}}``; ``when access < 4`` -> ``{"when": ...}``."""
    said = text(value)
    if not said or said.lower() in ("triggered", "on trigger", "controller"):
        return {}
    match = _AFTER.match(said)
    if match:
        after: dict[str, object] = {"inject": match["inject"]}
        if match["delay"]:
            after["delay"] = format_duration(duration(match["delay"]))
        return {"after": after}
    match = _WHEN.match(said)
    if match:
        return {"when": match["expr"].strip()}
    raise CellError(
        f"'{said}' is not a trigger; write 'after INJ-001 +3h', 'when access < 4' or 'triggered'"
    )


def write_trigger(after: dict[str, object] | None, when: str | None) -> str:
    if after:
        delay = int(after.get("delay") or 0)  # type: ignore[call-overload]
        return f"after {after['inject']}" + (f" +{format_duration(delay)}" if delay else "")
    if when:
        return f"when {when}"
    return ""


def extra_fields(value: object) -> dict[str, object]:
    """The ``Other fields (YAML)`` cell: fields the sheet has no column for, as a mapping."""
    import yaml

    said = text(value)
    if not said:
        return {}
    try:
        data = yaml.safe_load(said)
    except yaml.YAMLError as exc:
        raise CellError(f"not YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise CellError("expected YAML fields (name: value), one per line")
    return data


def merge(base: dict[str, object], extra: dict[str, object]) -> dict[str, object]:
    """``extra`` over ``base``, mapping by mapping (a ``respond`` extra keeps the options)."""
    result = dict(base)
    for key, value in extra.items():
        current = result.get(key)
        if isinstance(current, dict) and isinstance(value, dict):
            result[key] = merge(current, value)
        else:
            result[key] = value
    return result
