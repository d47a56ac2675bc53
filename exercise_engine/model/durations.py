"""Durations and scenario clock times, always written as quoted strings by designers.

YAML 1.1 reads an unquoted ``12:30`` as the number 750, so durations use unit suffixes
(``"90m"``, ``"1h30m"``, ``"45s"``, ``"2d"``) and the engine counts scenario time in whole seconds.
"""

from __future__ import annotations

import datetime as dt
import re

_UNITS = {"d": 86_400, "h": 3_600, "m": 60, "s": 1}
_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
DURATION_PATTERN = r"^(?=.)(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?$"
OFFSET_PATTERN = r"^\+?(?=.)(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?$"
_CLOCK = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
_TIME_OF_DAY = re.compile(r"^\d{2}:\d{2}$")
UNDATED = dt.date(2000, 1, 1)
"""The day an undated scenario clock ("06:00") counts from: never shown, only its days after."""
DURATION_HELP = 'a duration like "90m", "1h30m", "45s" or "2d"'
CLOCK_FORMAT = "%Y-%m-%d %H:%M"
MAX_DURATION = 366 * 86_400


class DurationError(ValueError):
    """A duration or clock time a designer wrote that the engine cannot read."""


def parse_duration(text: str, *, allow_plus: bool = False) -> int:
    """Seconds in ``text``; ``allow_plus`` accepts the ``"+30m"`` offsets of inject timing."""
    raw = text.strip()
    if allow_plus and raw.startswith("+"):
        raw = raw[1:]
    match = _DURATION.match(raw)
    if not raw or match is None or not any(match.groups()):
        raise DurationError(f"'{text}' is not {DURATION_HELP}")
    seconds = sum(int(n) * _UNITS[u] for n, u in zip(match.groups(), "dhms", strict=True) if n)
    if seconds > MAX_DURATION:
        raise DurationError(f"'{text}' is longer than a year of scenario time")
    return seconds


def format_duration(seconds: int | float) -> str:
    """The shortest designer-style spelling of a duration: 5400 -> ``"1h30m"``."""
    seconds = int(seconds)
    if seconds == 0:
        return "0m"
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    parts = []
    for unit, size in _UNITS.items():
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return sign + "".join(parts)


def is_dated(text: str) -> bool:
    """Whether a scenario clock time carries a date (``"2027-03-14 06:00"``) or is a time of
    day alone (``"06:00"``, for a scenario set on no particular date)."""
    return not _TIME_OF_DAY.match(text.strip())


def parse_clock(text: str) -> dt.datetime:
    """A scenario-world time: ``"2027-03-14 06:00"``, or ``"06:00"`` for a scenario with no
    date (placed on ``UNDATED``, which a label never shows)."""
    raw = text.strip()
    try:
        if _TIME_OF_DAY.match(raw):
            clock = dt.datetime.strptime(raw, "%H:%M").time()
            return dt.datetime.combine(UNDATED, clock)
        if not _CLOCK.match(raw):
            raise ValueError(text)
        return dt.datetime.strptime(raw, CLOCK_FORMAT)
    except ValueError:
        raise DurationError(
            f"'{text}' is not a scenario date and time like \"2027-03-14 06:00\" (or a time "
            'of day like "06:00", for a scenario set on no particular date)'
        ) from None


def scenario_datetime(start: dt.datetime, seconds: int) -> str:
    """The scenario-world clock reading ``seconds`` after STARTEX."""
    return (start + dt.timedelta(seconds=seconds)).strftime(CLOCK_FORMAT)


def format_wait(seconds: int | float) -> str:
    """A wait as a person reads it on a clock: whole minutes, or seconds under a minute."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    return format_duration(seconds - seconds % 60)


def parse_moment(text: str, now: int, start: dt.datetime | None) -> int:
    """Scenario seconds for a moment a controller types: ``+30m`` (from now), ``07:15`` (the
    next such time on the scenario clock), or ``2027-03-14 07:15``; the last two need a dated
    clock. Raises ``DurationError`` with what to type instead."""
    raw = text.strip()
    if raw.startswith("+"):
        return now + parse_duration(raw, allow_plus=True)
    if start is None:
        raise DurationError(f"'{text}': this scenario's clock has no date; type a delay like +30m")
    if re.fullmatch(r"\d{1,2}:\d{2}", raw):
        hours, minutes = (int(p) for p in raw.split(":"))
        if hours > 23 or minutes > 59:
            raise DurationError(f"'{text}' is not a time of day like 07:15")
        current = start + dt.timedelta(seconds=now)
        moment = current.replace(hour=hours, minute=minutes, second=0)
        if moment <= current:
            moment += dt.timedelta(days=1)
        return int((moment - start).total_seconds())
    moment = parse_clock(raw)
    return int((moment - start).total_seconds())
