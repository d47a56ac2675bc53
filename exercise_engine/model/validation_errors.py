"""Turning pydantic's validation errors into diagnostics people can act on.

pydantic says *what* is wrong at a ``loc`` path; the YAML document knows *where* that path is.
This module joins the two and rewrites pydantic's messages in the designer's terms (unknown field
with a suggestion, the YAML 1.1 surprise behind a wrong type, the allowed values of a choice).
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from exercise_engine.model.common import SelfExplained
from exercise_engine.model.diagnostics import Diagnostic, did_you_mean, quoted
from exercise_engine.model.yamlsource import Loc, YamlDocument

_EXPECTS = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
}


def field_path(loc: Loc) -> str:
    """``('injects', 3, 'respond', 'due')`` -> ``injects[3].respond.due``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def diagnostics_from(
    exc: ValidationError, document: YamlDocument, model: type[BaseModel], base: Loc = ()
) -> list[Diagnostic]:
    """One diagnostic per pydantic error, positioned in ``document``."""
    errors = [(error, (*base, *_data_loc(error["loc"]))) for error in exc.errors(include_url=False)]
    result = [_diagnostic(error, loc, document, model, base) for error, loc in errors]
    # A misspelt field also shows up as its correct name missing: report only the misspelling.
    suggested = {
        (loc[:-1], m.group(1))
        for (error, loc), d in zip(errors, result, strict=True)
        if error["type"] == "extra_forbidden"
        and (m := re.search(r"did you mean '([^']+)'", d.message))
    }
    return [
        d
        for (error, loc), d in zip(errors, result, strict=True)
        if not (error["type"] == "missing" and (loc[:-1], loc[-1]) in suggested)
    ]


def _data_loc(loc: tuple[Any, ...]) -> Loc:
    # pydantic adds union member names (e.g. 'list[str]', "literal['all']") to loc; drop them.
    return tuple(p for p in loc if isinstance(p, int) or not _is_schema_label(p))


def _is_schema_label(part: str) -> bool:
    return "[" in part or part.startswith(("function-", "literal", "nullable", "lax-", "strict-"))


def _diagnostic(
    error: ErrorDetails, loc: Loc, document: YamlDocument, model: type[BaseModel], base: Loc
) -> Diagnostic:
    kind = error["type"]
    value = error.get("input")
    path = field_path(loc)
    if kind == "missing":
        name = loc[-1] if loc else "?"
        return Diagnostic(document.position(loc[:-1]), f"missing required field '{name}'", path)
    if kind == "extra_forbidden":
        name = str(loc[-1])
        known = _fields_at(model, loc[len(base) : -1])
        message = f"unknown field '{name}'" + did_you_mean(name, known)
        if not did_you_mean(name, known) and known:
            message += "; allowed here: " + ", ".join(sorted(known))
        return Diagnostic(document.position(loc, key=True), message, path)
    position = document.position(loc)
    surprise = document.surprise(loc) if not isinstance(value, str) else None
    explained = error.get("ctx", {}).get("error")
    if isinstance(explained, SelfExplained):
        written = document.source_text.get(tuple(loc), "")
        if surprise is None or written.lstrip("+-").replace(".", "", 1).isdigit():
            return Diagnostic(position, str(explained), path)
        return Diagnostic(position, f"{explained.otherwise}: {surprise}", path)
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        return Diagnostic(position, _out_of_range(kind, value, error.get("ctx", {}), loc), path)
    if surprise and kind in _EXPECTS:
        return Diagnostic(position, f"expected {_EXPECTS[kind]}: {surprise}", path)
    if surprise and kind == "value_error":
        message = error["msg"].removeprefix("Value error, ")
        return Diagnostic(position, f"{message}: {surprise}", path)
    if kind in _EXPECTS:
        return Diagnostic(position, f"expected {_EXPECTS[kind]}, got {_describe(value)}", path)
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", error.get("ctx", {}).get("expected", ""))
        hint = did_you_mean(str(value), allowed) if isinstance(value, str) else ""
        message = f"{_describe(value)} is not allowed here{hint or ''}"
        if allowed and not hint:
            message += "; expected one of: " + ", ".join(allowed)
        if not allowed:
            message += f"; {error['msg']}"
        return Diagnostic(position, message, path)
    if kind == "string_pattern_mismatch":
        return Diagnostic(
            position,
            f"{_describe(value)} is not a valid id here; {_pattern_help(model, loc[len(base) :])}",
            path,
        )
    if kind == "finite_number":
        return Diagnostic(position, f"expected a finite number, got {_describe(value)}", path)
    if kind == "too_short" and isinstance(value, list | dict):
        return Diagnostic(position, "must not be empty", path)
    message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return Diagnostic(position, message, path)


_RANGE_HELP = {
    "share": "a share of the score runs from 0 to 1 (0.1 is a tenth)",
    "weight": "weights count relative to each other, from 0 to 100 (2 weighs twice 1)",
    "speed": "speed is scenario minutes per wall minute (30: an hour of play in two minutes)",
}


def _out_of_range(kind: str, value: Any, ctx: dict[str, Any], loc: Loc) -> str:
    """A bound crossed, said in numbers and in the field's own terms (never pydantic's
    "Input should be less than or equal to 1")."""
    words = {
        "less_than_equal": ("le", "more than {}, the most allowed here"),
        "less_than": ("lt", "not below {}, as it must be"),
        "greater_than_equal": ("ge", "less than {}, the least allowed here"),
        "greater_than": ("gt", "not above {}, as it must be"),
    }
    key, template = words[kind]
    bound = ctx.get(key)
    message = f"{_describe(value)} is " + template.format(
        f"{bound:g}" if isinstance(bound, int | float) else bound
    )
    field = loc[-1] if loc else ""
    if field == "weight":
        share = len(loc) >= 2 and loc[-2] in ("timeliness", "coordination")
        message += "; " + _RANGE_HELP["share" if share else "weight"]
    elif field == "speed":
        message += "; " + _RANGE_HELP["speed"]
    return message


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _pattern_help(model: type[BaseModel], loc: Loc) -> str:
    field = loc[-1] if loc else ""
    if field == "id" and len(loc) == 1:
        return "use lowercase letters, digits and '-' (a slug)"
    if "variables" in loc or "effects" in loc:
        return "variable names use lowercase letters, digits and '_'"
    return "ids use letters, digits, '-', '_' and '.', and start with a letter or digit"


def _fields_at(model: type[BaseModel], loc: Loc) -> set[str]:
    """Field names (by alias) allowed at ``loc`` inside ``model``, for 'did you mean'."""
    annotation: Any = model
    for part in loc:
        annotation = _step(annotation, part)
        if annotation is None:
            return set()
    target = _as_model(annotation)
    if target is None:
        return set()
    return {f.alias or name for name, f in target.model_fields.items()}


def _step(annotation: Any, part: str | int) -> Any:
    model = _as_model(annotation)
    if model is not None and isinstance(part, str):
        for name, info in model.model_fields.items():
            if part in (name, info.alias):
                return info.annotation
        return None
    annotation = _unwrap(annotation)
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is list and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in get_args(annotation) if a is not type(None)]
            models = [a for a in options if _as_model(a) is not None] or options
            annotation = models[0]
        else:
            return annotation


def _as_model(annotation: Any) -> type[BaseModel] | None:
    annotation = _unwrap(annotation) if get_origin(annotation) else annotation
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None
