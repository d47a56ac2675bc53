"""Small wording helpers shared by the AAR builder and its renderers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from exercise_engine.engine.events import AdhocInject
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.calendar import Calendar
from exercise_engine.model.durations import format_duration, scenario_datetime
from exercise_engine.scoring.index import Index


class Labels:
    """Names and clock readings for one bundle: what people read instead of ids and seconds."""

    def __init__(self, bundle: Bundle, index: Index, phase_entries: Iterable[tuple[str, int]] = ()):
        self.bundle = bundle
        self.index = index
        self.calendar = Calendar.of(bundle.scenario.clock).following(bundle.scenario, phase_entries)
        self._start = self.calendar.start
        self._plain = self._start is not None and self.calendar.dated and not self.calendar.jumps
        self._clocks: dict[int, str] = {}
        self._days: dict[int, str] = {}

    def clock(self, t: int) -> str:
        """The scenario clock at ``t`` as players read it (``Engine.clock_label``, without
        building an engine for a 20,000-inject scenario). A clock with a start reads to the
        minute, so readings are kept per minute; a T+ one (``T+1h30m5s``) per second."""
        plain = self._plain or self._start is None
        key = (t if plain else self.calendar.reading(t)) // (1 if self._start is None else 60)
        found = self._clocks.get(key)
        if found is None:
            found = self._clocks[key] = self._dated(key) if self._plain else self.calendar.label(t)
        return found

    def _dated(self, minute: int) -> str:
        """``scenario_datetime`` of the minute (the start is on a whole minute), its date
        formatted once per day: a long session reads tens of thousands of distinct minutes."""
        start = self._start
        assert start is not None
        day, of_day = divmod(start.hour * 60 + start.minute + minute, 24 * 60)
        date = self._days.get(day)
        if date is None:
            midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
            date = self._days[day] = scenario_datetime(midnight, day * 86_400)[:10]
        return f"{date} {of_day // 60:02d}:{of_day % 60:02d}"

    def role(self, role: str) -> str:
        return self.bundle.role_name(role)

    def inject(self, inject: str, adhoc: Mapping[str, AdhocInject] | None = None) -> str:
        found = self.index.injects.get(inject)
        if found is not None:
            return found.title
        written = (adhoc or {}).get(inject)
        return written.title if written is not None else inject


PHASE_NAMES = {
    "setup": "Set-up",
    "briefing": "Briefing",
    "prevent": "Prevent",
    "react": "React",
    "rebuild": "Rebuild",
    "debrief": "Debrief",
    "ended": "ENDEX",
}
"""The phases as a review names them: the R2P phases as proper names, ENDEX as doctrine
writes it."""


def phase_name(phase: str | None) -> str:
    """A phase's proper name (``react`` -> ``React``); an em dash for none."""
    if not phase:
        return "—"
    return PHASE_NAMES.get(phase, upper_first(phase))


ENDINGS = {
    "endex": "at ENDEX",
    "controller": "by the controller",
    "quiescent": "with nothing left to happen",
}
"""How play ended (``ExerciseEnded.reason``), in words."""


def ended(reason: str | None) -> str:
    """How play ended, in words; a provisional report says so."""
    if reason is None:
        return "not yet: this report is provisional"
    return ENDINGS.get(reason, reason)


def long_date(clock: str) -> str:
    """A scenario clock reading as the scenario's own text writes dates:
    ``2027-03-14 05:00`` -> ``Sunday 14 March 2027, 05:00``; an undated clock as it is."""
    try:
        when = dt.datetime.strptime(clock, "%Y-%m-%d %H:%M")
    except ValueError:
        return clock
    return f"{when:%A} {when.day} {when:%B %Y, %H:%M}"


def short_date(clock: str) -> str:
    """A dated scenario clock reading for a table cell, as the scenario says dates but short:
    ``2027-03-14 05:00`` -> ``Sun 14 Mar 05:00``; any other reading (undated, T+) as it is."""
    try:
        when = dt.datetime.strptime(clock, "%Y-%m-%d %H:%M")
    except ValueError:
        return clock
    return f"{when:%a} {when.day} {when:%b %H:%M}"


def wall_time(stamp: str | None, date: bool = True) -> str:
    """A recorded wall-clock timestamp as people read it: ``2026-12-02T03:06:34.479+00:00`` ->
    ``Wednesday 2 December 2026, 03:06:34 UTC`` (``03:06:34 UTC`` without the date); the
    text as it is when it is not a timestamp, an em dash when there is none."""
    if not stamp:
        return "—"
    try:
        when = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    offset = when.utcoffset()
    zone = "" if offset is None else " UTC" if not offset else f" UTC{when:%z}"
    clock = f"{when:%H:%M:%S}{zone}"
    return f"{when:%A} {when.day} {when:%B %Y}, {clock}" if date else clock


def wall_span(start: str | None, end: str | None) -> str:
    """Two wall-clock timestamps as one reading, the date said once when both fall on it."""
    try:
        same_day = dt.datetime.fromisoformat(start or "").date() == (
            dt.datetime.fromisoformat(end or "").date()
        )
    except ValueError:
        same_day = False
    return f"{wall_time(start)} → {wall_time(end, date=not same_day)}"


def duration(seconds: int | float | None) -> str:
    """A duration as designers write them (``1h30m``), to the minute from a minute up (a
    reader does not need ``1h3m52s``); an em dash when unknown."""
    if seconds is None:
        return "—"
    seconds = int(seconds)
    return format_duration(round(seconds / 60) * 60 if abs(seconds) >= 60 else seconds)


def short_name(name: str, limit: int = 28) -> str:
    """A role's name short enough for a column head or a chart label.

    "UN Integrated Mission in Ardana (UNIMA): SRSG and mission leadership" -> "UNIMA";
    "Humanitarian Country Team (OCHA Kallen sub-office and partners)" -> "Humanitarian
    Country Team"; a name that is short already is kept.
    """
    short = name.split(":", 1)[0].strip()
    if len(short) <= limit:
        return short
    head, _, tail = short.partition("(")
    acronym = tail.split(")", 1)[0].strip()
    if head.strip() and len(head.strip()) <= limit:
        return head.strip()
    if acronym and len(acronym) <= 10 and acronym.replace(" ", "").isupper():
        return acronym
    return short


def lower_first(text: str) -> str:
    """A label inside a sentence: its first letter lowered, unless its first word is an
    acronym or code the author cased on purpose ("ICS-213RR requests", "SITREP", "UN mission"
    stay as written; "Performed with some challenges" reads "performed with some challenges")."""
    first = text.split(" ", 1)[0]
    if not first or any(c.isupper() or c.isdigit() for c in first[1:]) or len(first) == 1:
        return text
    return first[0].lower() + text[1:]


def upper_first(text: str) -> str:
    """A label starting a sentence: its first letter raised, the rest as written (never
    ``str.capitalize``, which lowers "ICS-213RR" to "Ics-213rr")."""
    return text[:1].upper() + text[1:]


def pct(score: float | None) -> str:
    """A 0-100 score as people read it: a whole number, or an em dash when not observed."""
    return "—" if score is None else f"{score:.0f}"


def points(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}".rstrip("0").rstrip(".")


def quote(text: str, limit: int = 140) -> str:
    """Text as a short quotation: first line, cut at a word near ``limit``."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + "…"
    return f"“{text}”"


def listing(items: Sequence[str], conjunction: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def plural(count: int, word: str, plural_word: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else plural_word or word + 's'}"
