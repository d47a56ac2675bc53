"""Writing an imported MSEL as a scenario (or an inject library) a designer can read and edit.

Fields come out in the order the format reference lists them, defaults left out, times as
designer-style strings (``"+1h30m"``), long text as YAML blocks. What the designer must still
write (a rubric's options and scores, the phases' real conditions) the validator then lists
as warnings.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from exercise_engine.model.durations import CLOCK_FORMAT, format_duration
from exercise_engine.model.scenario import PLAY_PHASES
from exercise_engine.msel.phases import Placed

INJECT_ORDER = (
    "id",
    "use",
    "phase",
    "at",
    "after",
    "when",
    "to",
    "from",
    "channel",
    "title",
    "body",
    "tags",
    "expect",
    "respond",
    "contingency",
    "notes",
)
RESPOND_ORDER = ("due", "roles", "prompt", "options", "free_text", "rationale")
OPTION_ORDER = ("id", "text", "effects", "triggers", "scores", "outcome")
LIBRARY_DROPS = ("use", "phase", "at", "after", "when")


def slug(text: str) -> str:
    """A scenario or library id from a file name: ``PlaywrightMSEL`` -> ``playwrightmsel``."""
    found = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]
    return found or "imported-msel"


def number_injects(injects: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Give every inject a unique id: its sheet's number where it had one, else ``INJ-001``...
    Returns the (old, new) ids of duplicates renamed, for the warnings."""
    taken = {i["id"] for i in injects if i.get("id")}
    renamed: list[tuple[str, str]] = []
    seen: set[str] = set()
    counter = 0
    for inject in injects:
        current = inject.get("id") or ""
        if current and current not in seen:
            seen.add(current)
            continue
        while True:
            counter += 1
            candidate = f"INJ-{counter:03d}"
            if candidate not in taken and candidate not in seen:
                break
        if current:
            renamed.append((current, candidate))
        inject["id"] = candidate
        seen.add(candidate)
    return renamed


def _ordered(data: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    """Known fields in the format's order, empty ones left out; fields this writer does not
    know (a newer format's) follow, as they came."""
    known = {k: data[k] for k in order if k in data and data[k] not in (None, "", [], {})}
    return known | {k: v for k, v in data.items() if k not in order}


def inject_yaml(fields: dict[str, Any]) -> dict[str, Any]:
    """One inject's mapping in the format's field order, times as strings."""
    data = dict(fields)
    if "at" in data:
        data["at"] = "+" + format_duration(data["at"])
    respond = data.get("respond")
    if respond is not None:
        respond = dict(respond)
        if "due" in respond:
            respond["due"] = format_duration(respond["due"])
        respond["options"] = [_ordered(o, OPTION_ORDER) for o in respond.get("options", [])]
        data["respond"] = _ordered(respond, RESPOND_ORDER)
        if respond.get("free_text") is False:
            data["respond"]["free_text"] = False
    return _ordered(data, INJECT_ORDER)


def transitions(begins: dict[str, int]) -> dict[str, dict[str, Any]]:
    """Each phase ends by time where the sheet says when the next begins; else the
    controller moves play on (the validator reminds the designer)."""
    phases: dict[str, dict[str, Any]] = {}
    for phase, following in zip(PLAY_PHASES, (*PLAY_PHASES[1:], None), strict=True):
        body: dict[str, Any] = {}
        if following is not None:
            later = [begins[p] for p in PLAY_PHASES[PLAY_PHASES.index(following) :] if p in begins]
            step: dict[str, Any] = {"to": following}
            if later:
                step["when"] = f"elapsed >= '{format_duration(later[0])}'"
            body["next"] = [step]
        phases[phase] = body
    return phases


def scenario_document(
    placed: Placed,
    *,
    scenario_id: str,
    title: str,
    summary: str,
    rubric: str,
    roles: list[str],
    variables: dict[str, Any],
) -> dict[str, Any]:
    clock: dict[str, Any] = {"mode": "realtime"}
    if placed.start is not None:
        clock["start"] = placed.start.strftime(CLOCK_FORMAT)
    if placed.duration:
        clock["duration"] = format_duration(placed.duration)
    document: dict[str, Any] = {
        "format": "exercise-scenario/1",
        "id": scenario_id,
        "title": title,
        "summary": summary,
        "rubric": rubric,
        "roles": roles,
        "clock": clock,
    }
    if variables:
        document["variables"] = variables
    if placed.objectives:
        document["objectives"] = [
            _ordered(o, ("id", "text", "criteria")) for o in placed.objectives
        ]
    document["phases"] = transitions(placed.begins)
    document["injects"] = [inject_yaml(i) for i in placed.injects]
    return document


def library_document(placed: Placed, *, library_id: str, title: str, description: str) -> dict:
    injects = []
    for fields in placed.injects:
        kept = {k: v for k, v in fields.items() if k not in LIBRARY_DROPS}
        injects.append(inject_yaml(kept))
    return {
        "format": "exercise-injects/1",
        "id": library_id,
        "title": title,
        "description": description,
        "injects": injects,
    }


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Block style for multi-line text, so a designer edits bodies as they read them; libyaml's
    emitter where installed (the pure-Python one takes seconds for a 5,000-row MSEL)."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _text)


def dump(document: dict[str, Any], header: str) -> str:
    body = yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    comment = "".join(f"# {line}\n" for line in header.splitlines())
    return comment + body


def provenance(source: str, sheet: str) -> str:
    """The comment on top of an imported file: where it came from and what to do next."""
    return (
        f"Imported by 'exercise msel import' from {source} (sheet '{sheet}').\n"
        "Check it with: exercise validate --strict FILE"
    )
