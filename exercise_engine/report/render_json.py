"""The AAR as JSON: the whole model, machine readable, described by docs/aar-schema.json."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from typing import Any

from exercise_engine.report.model import AAR

DECIMALS = 3
_FIELDS: dict[type, tuple[str, ...]] = {}


def to_data(value: Any) -> Any:
    """Plain JSON data from the AAR model (floats rounded to 3 decimals: scores, not noise)."""
    if isinstance(value, float):
        rounded = round(value, DECIMALS)
        return 0.0 if rounded == 0 else rounded
    if isinstance(value, str | int | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if is_dataclass(value):
        cls = type(value)
        names = _FIELDS.get(cls)
        if names is None:
            names = _FIELDS[cls] = tuple(f.name for f in fields(cls))
        return {name: to_data(getattr(value, name)) for name in names}
    raise TypeError(f"cannot put {type(value).__name__} in the AAR JSON")


def render(aar: AAR) -> str:
    return json.dumps(to_data(aar), ensure_ascii=False, indent=1) + "\n"
