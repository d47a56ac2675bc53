"""Which field each column of an MSEL holds, from the header names planners really write.

A header is compared after normalisation: case, spacing, trailing spaces, punctuation and line
breaks don't matter (``"Inject\\nNo. "`` is ``inject no``; ``#`` reads as ``no``). A unit
written in a time header (``T+min``, ``Time (hours)``) is kept: it says what a bare number in
that column counts. Sheets without a header row are mapped with ``--columns``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

# Field -> header spellings, best first: when two columns claim a single-valued field the
# column whose spelling comes first here wins (``Simulated Time`` over ``Exercise Time``).
HEADERS: dict[str, tuple[str, ...]] = {
    "id": (
        "inject no",
        "inject number",
        "inject id",
        "inject ref",
        "event no",
        "event number",
        "event id",
        "msel no",
        "msel id",
        "control number",
        "control no",
        "serial",
        "seq",
        "seq no",
        "sequence",
        "sequence no",
        "sequence number",
        "no",
        "number",
        "id",
        "ref",
        "item",
        "item no",
        "injectno",
    ),
    "time": (
        "scenario time",
        "simulated time",
        "designated scenario time",
        "scenario date time",
        "time",
        "date time",
        "datetime",
        "dtg",
        "delivery time",
        "time delivered",
        "date time delivered",
        "inject time",
        "trigger time",
        "exercise time",
        "real time",
        "local time",
        "time zulu",
        "start time",
        "elapsed time",
        "elapsed",
        "t",
        "day",
        "date",
        "when delivered",
        "release time",
    ),
    "at": ("time in phase", "phase time", "time after phase start", "after phase start"),
    "phase": ("module", "phase", "r2p phase", "move", "stage", "exercise phase"),
    "channel": (
        "channel",
        "delivery method",
        "method",
        "means",
        "inject mode",
        "mode",
        "delivery",
        "inject type",
        "type",
        "medium",
        "delivery mechanism",
        "inject method",
    ),
    "from": (
        "from",
        "originator",
        "sender",
        "source",
        "from org",
        "simulated from",
        "sent by",
        "from role",
    ),
    "to": (
        "to",
        "recipient",
        "recipients",
        "player",
        "players",
        "audience",
        "to org",
        "target",
        "players reacting",
        "addressee",
        "addressees",
        "receiving role",
        "to role",
    ),
    "title": (
        "subject",
        "title",
        "inject",
        "inject title",
        "headline",
        "event",
        "event title",
        "inject name",
        "name",
        "summary",
    ),
    "body": (
        "message",
        "description",
        "activity",
        "content",
        "body",
        "details",
        "script",
        "inject text",
        "inject description",
        "event description",
        "text",
        "narrative",
        "synopsis",
        "message text",
    ),
    "expected": (
        "expected action",
        "expected actions",
        "expected outcome",
        "expected outcomes",
        "expected player action",
        "expected player actions",
        "expected reaction",
        "expected participant response",
        "expected response",
        "expected player response",
        "evaluator notes expected reaction",
        "expected",
    ),
    "notes": (
        "notes",
        "note",
        "controller notes",
        "control notes",
        "comments",
        "remarks",
        "evaluator notes",
        "evaluation notes hints",
        "controller note",
    ),
    "objective": (
        "objective",
        "objectives",
        "exercise objective",
        "exercise objectives",
        "capability",
        "capabilities",
        "core capability",
        "core capabilities",
        "linked objectives",
    ),
    "criteria": (
        "criteria",
        "criterion",
        "evaluation criteria",
        "linked criteria",
        "eeg criteria",
        "rubric criteria",
        "expect",
    ),
    "tags": ("tags", "doctrine tags", "tag"),
    "contingency": ("contingency", "contingency inject"),
    "library": ("library", "library inject", "use"),
    "trigger": ("trigger", "condition", "depends on", "timing"),
    "decision": ("decision", "prompt", "question", "decision prompt"),
    "respond": ("respond", "responders", "must answer", "respond roles", "answered by"),
    "due": (
        "due",
        "response due",
        "respond within",
        "answer within",
        "maximum minutes",
        "max minutes",
    ),
    "free_text": ("free text", "own course of action"),
    "rationale": ("rationale",),
    "option": ("option", "options", "course of action", "poll"),
    "effects": ("effects", "effect"),
    "scores": ("scores", "score", "points"),
    "triggers": ("triggers", "triggered injects"),
    "outcome": ("outcome", "result"),
    "extra": ("other fields yaml", "other fields", "engine fields"),
}
MULTI_FIELDS = frozenset({"body", "expected", "notes", "objective", "title"})
"""Fields several columns may feed (texts are joined; a title takes the first non-empty)."""

_UNIT_WORDS = {
    "seconds": 1,
    "second": 1,
    "secs": 1,
    "sec": 1,
    "s": 1,
    "minutes": 60,
    "minute": 60,
    "mins": 60,
    "min": 60,
    "m": 60,
    "hours": 3600,
    "hour": 3600,
    "hrs": 3600,
    "hr": 3600,
    "h": 3600,
    "days": 86400,
    "day": 86400,
    "d": 86400,
}
_NOISE_WORDS = {"utc", "zulu", "z", "local", "hhmm", "hh mm", "in"}


def normalize(header: object) -> str:
    """``"Inject\\nNo. "`` -> ``inject no``; ``"Event #"`` -> ``event no``."""
    text = str(header).lower().replace("#", " no ").replace("&", " and ").replace("+", " ")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


@dataclass(frozen=True)
class Recognised:
    field: str
    rank: int
    unit: int | None = None
    """Seconds per unit of a bare number in a time column (``T+min`` -> 60)."""


class Dictionary:
    """Header spellings of one kind of sheet: an MSEL, an evaluator's EEG."""

    def __init__(self, fields: dict[str, tuple[str, ...]], multi: frozenset[str] = frozenset()):
        self.fields = fields
        self.multi = multi
        self._by_spelling = {
            s: (f, rank) for f, spellings in fields.items() for rank, s in enumerate(spellings)
        }

    def recognise(self, header: object) -> Recognised | None:
        """The field a header names, or None when it names none we know."""
        name = normalize(header)
        if not name:
            return None
        if name in self._by_spelling:
            return Recognised(*self._by_spelling[name])
        words = name.split()
        unit = next((_UNIT_WORDS[w] for w in reversed(words) if w in _UNIT_WORDS), None)
        kept = " ".join(w for w in words if w not in _UNIT_WORDS and w not in _NOISE_WORDS)
        if kept in self._by_spelling:
            found, rank = self._by_spelling[kept]
            return Recognised(found, rank, unit if found in ("time", "due") else None)
        if words[0] == "t" and unit and "t" in self._by_spelling:  # T+min, T (hours)
            return Recognised(*self._by_spelling["t"], unit)
        return None


MSEL = Dictionary(HEADERS, MULTI_FIELDS)


def recognise(header: object, dictionary: Dictionary = MSEL) -> Recognised | None:
    return dictionary.recognise(header)


@dataclass
class ColumnMap:
    """Field -> column indexes (0-based), in priority order, and the unit of time columns."""

    columns: dict[str, list[int]] = field(default_factory=dict)
    units: dict[int, int] = field(default_factory=dict)
    headers: dict[int, str] = field(default_factory=dict)
    ignored: list[int] = field(default_factory=list)
    """Columns with a header that names no field: reported, not imported."""
    shadowed: list[tuple[int, int]] = field(default_factory=list)
    """(column, winner): a second column for a single-valued field, not imported."""

    def first(self, name: str) -> int | None:
        found = self.columns.get(name)
        return found[0] if found else None

    def header(self, column: int) -> str:
        return self.headers.get(column, "")


def map_headers(headers: list[object], dictionary: Dictionary = MSEL) -> ColumnMap:
    """Recognise a header row. Two ``Inject`` columns are OpenEOC's layout: number, message."""
    found: dict[str, list[tuple[int, int]]] = {}
    result = ColumnMap()
    names = [normalize(h) if h is not None else "" for h in headers]
    inject_columns = [i for i, n in enumerate(names) if n == "inject" and dictionary is MSEL]
    for index, header in enumerate(headers):
        if header is None or not str(header).strip():
            continue
        result.headers[index] = " ".join(str(header).split())
        if len(inject_columns) > 1 and index in inject_columns:
            field_name = "id" if index == inject_columns[0] else "body"
            found.setdefault(field_name, []).append((0, index))
            continue
        recognised = dictionary.recognise(header)
        if recognised is None:
            result.ignored.append(index)
            continue
        found.setdefault(recognised.field, []).append((recognised.rank, index))
        if recognised.unit:
            result.units[index] = recognised.unit
    for field_name, candidates in found.items():
        if field_name in dictionary.multi:
            ordered = sorted(candidates, key=lambda c: c[1])  # sheet order
            if field_name == "title":
                ordered = sorted(candidates)  # the best title first
            result.columns[field_name] = [index for _, index in ordered]
        else:
            best = min(candidates)
            result.columns[field_name] = [best[1]]
            result.shadowed += [(index, best[1]) for _, index in candidates if index != best[1]]
    return result


class ColumnSpecError(ValueError):
    """A ``--columns`` entry that names no column or no field."""


def apply_spec(
    spec: str, base: ColumnMap, headers: Sequence[object] | None, dictionary: Dictionary = MSEL
) -> ColumnMap:
    """``B=channel,C=time,E=subject``: columns by letter or header name; fields by any header
    spelling. A spec overrides what the header row said about the same fields."""
    from exercise_engine.msel.sheet import column_index

    given: dict[str, list[int]] = {}
    result = ColumnMap(dict(base.columns), dict(base.units), dict(base.headers), list(base.ignored))
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        column, sep, name = part.partition("=")
        if not sep or not column.strip() or not name.strip():
            raise ColumnSpecError(f"'{part}' is not COLUMN=field (like C=time)")
        recognised = dictionary.recognise(name)
        if recognised is None:
            raise ColumnSpecError(
                f"'{name.strip()}' in '{part}' names no field; fields: "
                + ", ".join(dictionary.fields)
            )
        column = column.strip()
        if re.fullmatch(r"[A-Za-z]{1,3}", column):
            index = column_index(column)
        else:
            wanted = normalize(column)
            matches = [i for i, h in enumerate(headers or []) if h and normalize(h) == wanted]
            if not matches:
                raise ColumnSpecError(f"no column headed '{column}' (in '{part}')")
            index = matches[0]
        given.setdefault(recognised.field, []).append(index)
        if recognised.unit:
            result.units[index] = recognised.unit
        result.headers.setdefault(index, "")
        if index in result.ignored:
            result.ignored.remove(index)
    respecified = {i for indexes in given.values() for i in indexes}
    for field_name in list(result.columns):
        kept = [i for i in result.columns[field_name] if i not in respecified]
        if kept:
            result.columns[field_name] = kept
        else:
            del result.columns[field_name]
    result.columns.update(given)
    return result
