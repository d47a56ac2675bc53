"""Placing drafts on the scenario's phases and clock: which phase, and ``at`` in that phase.

The format times an inject from the start of its phase, and phases end by conditions. An MSEL
times everything from STARTEX. So a phase here begins at its earliest inject (or where
``--phase-at`` puts it), each inject's ``at`` is its time less its phase's start, and each phase
ends by time (``elapsed >= '...'``), the way the sheet's chronology says.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from exercise_engine.model.durations import format_duration
from exercise_engine.model.scenario import PLAY_PHASES
from exercise_engine.msel.importer import Draft, Reading
from exercise_engine.msel.problems import Place, Problem, SheetError, SheetErrors
from exercise_engine.msel.recipients import words
from exercise_engine.msel.times import Moment, TimeFormatError, parse_moment, place

PHASE_WORDS: dict[str, tuple[str, ...]] = {
    "prevent": (
        "prevent",
        "prevention",
        "pre crisis",
        "early warning",
        "assurance",
        "prevent phase",
        "phase prevent",
    ),
    "react": (
        "react",
        "reaction",
        "response",
        "respond",
        "crisis",
        "pre emption",
        "preemption",
        "react phase",
        "phase react",
    ),
    "rebuild": (
        "rebuild",
        "rebuilding",
        "recovery",
        "consolidation",
        "post crisis",
        "stabilization",
        "stabilisation",
        "rebuild phase",
        "phase rebuild",
    ),
}
_BY_WORD = {w: phase for phase, spellings in PHASE_WORDS.items() for w in spellings}
_ORDINAL = re.compile(r"^(?:(?:module|move|phase|stage|step)\s*)?(?P<n>\d+|i{1,3})\b")


@dataclass
class Placed:
    """Injects with their phase and ``at``; when each phase begins; when STARTEX is."""

    injects: list[dict[str, Any]]
    begins: dict[str, int] = field(default_factory=dict)
    start: dt.datetime | None = None
    objectives: list[dict[str, Any]] = field(default_factory=list)
    duration: int | None = None
    """ENDEX, from an ENDEX row: scenario time from STARTEX to the end of play."""


def parse_phase_at(spec: str) -> dict[str, Moment]:
    """``react=T+30m,rebuild=T+90m`` -> the moment each phase begins."""
    result: dict[str, Moment] = {}
    for part in (p.strip() for p in spec.split(",") if p.strip()):
        name, sep, when = part.partition("=")
        name = name.strip()
        if not sep or name not in PLAY_PHASES[1:]:
            raise ValueError(f"'{part}' is not react=TIME or rebuild=TIME (like react=T+30m)")
        try:
            result[name] = parse_moment(when.strip())
        except TimeFormatError as exc:
            raise ValueError(f"'{part}': {exc}") from None
    return result


def place_drafts(
    reading: Reading,
    start: dt.datetime | None,
    start_has_time: bool,
    phase_at: dict[str, Moment],
    use_phase_column: bool = True,
) -> Placed:
    drafts = reading.drafts
    also = list(phase_at.values()) + ([reading.endex] if reading.endex else [])
    timeline = place([d.moment for d in drafts], start, start_has_time, also)
    offsets = dict(zip((id(d) for d in drafts), timeline.offsets, strict=True))
    problems: list[Problem] = []
    if phase_at:
        begins = {"prevent": 0, **dict(zip(phase_at, timeline.extra, strict=False))}
        if begins.get("react", 0) > begins.get("rebuild", begins.get("react", 0)):
            raise SheetError(
                Place(reading.sheet.path), "--phase-at: react must begin before rebuild"
            )
        phases: dict[int, str | None] = {
            id(d): _phase_by_time(offsets[id(d)], begins) for d in drafts
        }
        column_phases = _column_phases(drafts, problems) if use_phase_column else {}
        for d in drafts:
            if offsets[id(d)] is None and id(d) in column_phases:
                phases[id(d)] = column_phases[id(d)]
    elif use_phase_column and reading.columns.first("phase") is not None:
        phases = _column_phases(drafts, problems)
        begins = _begins(drafts, phases, offsets)
        for d in drafts:
            if phases.get(id(d)) is None and offsets[id(d)] is not None and not d.phase_text:
                phases[id(d)] = _phase_by_time(offsets[id(d)], begins)
                reading.warn(
                    d.phase_place or Place(reading.sheet.path, d.row),
                    f"no phase; placed in '{phases[id(d)]}' by its time",
                )
    else:
        phases = {id(d): "prevent" for d in drafts}
        begins = {"prevent": 0}
    errors = [p for p in problems if p.error]
    if errors:
        raise SheetErrors(errors)
    reading.problems += problems
    ordered = drafts
    if any(offsets[id(d)] is not None for d in drafts):
        ordered = sorted(drafts, key=lambda d: (offsets[id(d)] is None, offsets[id(d)] or 0))
    injects = []
    for draft in ordered:
        fields = dict(draft.fields)
        phase = phases.get(id(draft))
        if phase:
            fields["phase"] = phase
        offset = offsets[id(draft)]
        if offset is not None and "at" not in fields:
            if phase is None:
                phase = fields["phase"] = _phase_by_time(offset, begins)
            fields["at"] = offset - begins.get(phase, 0)
            later = [p for p in PLAY_PHASES[PLAY_PHASES.index(phase) + 1 :] if p in begins]
            if later and offset >= begins[later[0]] and begins[later[0]] > begins.get(phase, 0):
                reading.warn(
                    Place(reading.sheet.path, draft.row),
                    f"inject of phase '{phase}' "
                    f"at T+{format_duration(offset)} comes after '{later[0]}' begins "
                    f"(T+{format_duration(begins[later[0]])}); it is never delivered",
                )
        if "at" in fields and "phase" not in fields:
            reading.problems.append(
                Problem(
                    draft.phase_place or Place(reading.sheet.path, draft.row),
                    "a time in phase needs a phase",
                    error=True,
                )
            )
        if draft.options:
            respond = fields.setdefault("respond", {})
            respond["options"] = draft.options
        if "respond" in fields and not fields["respond"].get("options"):
            fields["respond"].setdefault("free_text", True)
        injects.append(fields)
    errors = [p for p in reading.problems if p.error]
    if errors:
        raise SheetErrors(errors)
    duration = timeline.extra[-1] if reading.endex else None
    return Placed(injects, begins, timeline.start, _objectives(drafts), duration)


def _phase_by_time(offset: int | None, begins: dict[str, int]) -> str:
    if offset is None:
        return "prevent"
    found = "prevent"
    for phase in PLAY_PHASES:
        if phase in begins and begins[phase] <= offset:
            found = phase
    return found


def _column_phases(drafts: list[Draft], problems: list[Problem]) -> dict[int, str | None]:
    """Phase names, their synonyms, or moves numbered 1-3 (0-2): whatever the column holds.
    What cannot be read is a warning, never an error: the row is placed by its time."""
    numbers = sorted({n for d in drafts if (n := _ordinal(d.phase_text)) is not None})
    if len(numbers) > len(PLAY_PHASES):
        first = next(d for d in drafts if _ordinal(d.phase_text) is not None)
        problems.append(Problem(
            first.phase_place or Place("?"),
            f"the sheet has {len(numbers)} moves ({', '.join(map(str, numbers))}) and a "
            "scenario three phases: their injects are placed by time; split them with "
            "--phase-at react=TIME,rebuild=TIME",
        ))  # fmt: skip
    result: dict[int, str | None] = {}
    for draft in drafts:
        said = words(draft.phase_text)
        phase = _BY_WORD.get(said) if said else None
        number = _ordinal(draft.phase_text)
        if phase is None and number is not None and len(numbers) <= len(PLAY_PHASES):
            phase = PLAY_PHASES[numbers.index(number)]
        if said and phase is None and number is None:
            problems.append(Problem(
                draft.phase_place or Place("?"),
                f"cannot read phase '{draft.phase_text}' (expected prevent, react, rebuild or a "
                "move number); placed by its time",
            ))  # fmt: skip
        result[id(draft)] = phase
    return result


def _ordinal(text: str) -> int | None:
    match = _ORDINAL.match(words(text))
    if match is None:
        return None
    n = match["n"]
    return len(n) if n.startswith("i") else int(n)


def _begins(
    drafts: list[Draft], phases: dict[int, str | None], offsets: dict[int, int | None]
) -> dict[str, int]:
    """Each phase begins at its earliest timed inject, never before the phase it follows."""
    earliest: dict[str, int] = {}
    for draft in drafts:
        phase, offset = phases.get(id(draft)), offsets[id(draft)]
        if phase and offset is not None:
            earliest[phase] = min(offset, earliest.get(phase, offset))
    begins = {"prevent": 0}
    floor = 0
    for phase in PLAY_PHASES[1:]:
        if phase in earliest:
            floor = max(floor, earliest[phase])
            begins[phase] = floor
    return begins


_OBJECTIVE = re.compile(
    r"^(?P<id>[A-Za-z0-9][A-Za-z0-9_.\-]{0,79})\s*[:\u2013\u2014]\s+(?P<text>.+)$"
)


def _objectives(drafts: list[Draft]) -> list[dict[str, Any]]:
    """One scenario objective per distinct objective text, measured by its injects' criteria."""
    found: dict[str, dict[str, Any]] = {}
    for draft in drafts:
        for line in draft.objectives:
            match = _OBJECTIVE.match(line)
            key = match["id"] if match else line
            objective = found.setdefault(
                key,
                {
                    "id": match["id"] if match else f"OBJ-{len(found) + 1}",
                    "text": match["text"] if match else line,
                    "criteria": [],
                },
            )
            for criterion in draft.fields.get("expect", []):
                if criterion not in objective["criteria"]:
                    objective["criteria"].append(criterion)
    return list(found.values())
