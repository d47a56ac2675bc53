"""The times MSELs are written in, read into scenario offsets.

A cell is first read on its own into a ``Moment`` (what it says: a calendar date and time, a day
relative to D-day, a clock time, or time elapsed since STARTEX); then the whole sheet is placed
on one time line (``place``), because ``J-1`` or ``09:30`` only mean something next to the other
rows. Offsets count from the earliest inject, as OpenBAS computes them; elapsed times (``T+5``,
``+2:35``) count from STARTEX.

Day-relative times follow OpenBAS's chronograms: ``J`` (French *jour*) or ``D`` is D-day,
``Day 1`` is D-day too, ``J+1 H+2 M-5`` is a day, two hours less five minutes later. A day
written without a clock time is at H-hour, the earliest clock time the sheet writes (or the
time given with ``--start``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

DAY = 86_400
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_CLOCK = r"(?P<hh>\d{1,2})\s*(?:[:H.]\s*(?P<mm>\d{2})(?::(?P<ss>\d{2}))?)?\s*(?P<ampm>[AP]\.?M\.?)?"
_HHMM = r"(?P<hhmm>\d{4})"
_CLOCK_ANY = rf"(?:{_HHMM}|{_CLOCK})\s*(?:Z|L|HRS?|H|LOCAL|UTC)?"
_DAY_RE = re.compile(
    r"^(?:(?:J|D)(?:-DAY)?\s*(?P<num>[+-]\s*\d+)?|(?:DAY|JOUR|JR)\s*(?P<dnum>[+-]?\s*\d+))"
    rf"(?:\s*[,;]?\s*\(?\s*(?P<clock>{_CLOCK_ANY})\s*\)?)?"
    r"(?:\s*H\s*(?P<hshift>[+-]\s*\d+))?(?:\s*M\s*(?P<mshift>[+-]\s*\d+))?$"
)
_HOUR_RE = re.compile(r"^H\s*(?P<hshift>[+-]\s*\d+)(?:\s*M\s*(?P<mshift>[+-]\s*\d+))?$")
_CLOCK_RE = re.compile(rf"^{_CLOCK_ANY}$")
_SLASH_DATE = re.compile(
    r"^(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<y>\d{4}|\d{2})"
    rf"(?:\s*[ ,T]\s*(?P<clock>{_CLOCK_ANY}))?$"
)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T].*)?$")
_ELAPSED_COLON = re.compile(r"^(?P<sign>[+-])\s*(?P<h>\d+):(?P<m>\d{2})(?::(?P<s>\d{2}))?$")
_DURATION = re.compile(
    r"^(?:(?P<d>\d+)\s*D(?:AYS?)?)?\s*(?:(?P<h>\d+)\s*H(?:OURS?|RS?)?)?\s*"
    r"(?:(?P<m>\d+)\s*M(?:IN(?:UTE)?S?)?)?\s*(?:(?P<s>\d+)\s*S(?:EC(?:OND)?S?)?)?$"
)
_T_RE = re.compile(r"^T\s*(?P<sign>[+-])\s*(?P<rest>.+)$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
_WEEKDAY_RE = re.compile(
    r"^(?P<name>MON|TUE|WED|THU|FRI|SAT|SUN)[A-Z]*\.?,?\s*"
    rf"(?:(?P<clock>{_CLOCK_ANY}))?$"
)
FORMATS_HELP = (
    "a time like 09:30, 0930, 07:29 PM, Day 2 14:00, D+1 06:00, J+1 09h00, T+5, +2:35, +2h, "
    "2027-03-14 06:00 or 26/06/2024 09h00"
)


class TimeFormatError(ValueError):
    """A cell that holds no time this reader knows; the message says what was expected."""


@dataclass(frozen=True)
class Moment:
    """One cell's time, before the sheet's D-day and H-hour are known."""

    date: dt.date | None = None
    """A calendar date (``26/06/2024``, ISO)."""
    day: int | None = None
    """Days after D-day (``J+1``, ``Day 2``, ``D+1``)."""
    clock: int | None = None
    """Seconds after midnight, when the cell gives a clock time."""
    elapsed: int | None = None
    """Seconds after STARTEX (``T+5``, ``+2:35``, ``+2h``)."""
    shift: int = 0
    """Seconds added to a day-relative time (``H+2 M-5``)."""
    weekday: int | None = None
    """``Monday 9:30 AM``: 0 is Monday; placed in the week of D-day (or of the first written)."""

    @property
    def on_calendar(self) -> bool:
        return self.elapsed is None


@dataclass(frozen=True)
class DateOrder:
    """How the sheet writes ``7/5/2022``: day first (Europe) or month first (US)."""

    day_first: bool
    certain: bool


def date_order(values: list[object]) -> DateOrder:
    """Decided from the column's own dates: a first number above 12 means day first."""
    for value in values:
        match = _SLASH_DATE.match(_clean(value)) if isinstance(value, str) else None
        if match and int(match["a"]) > 12:
            return DateOrder(True, True)
        if match and int(match["b"]) > 12:
            return DateOrder(False, True)
    return DateOrder(False, False)


def parse_moment(value: object, unit: int | None = None, order: DateOrder | None = None) -> Moment:
    """The time in one cell; ``unit`` is the seconds a bare number counts (from the header)."""
    if isinstance(value, dt.datetime):
        return _from_datetime(value)
    if isinstance(value, dt.date):
        return Moment(date=value)
    if isinstance(value, dt.time):
        return Moment(clock=value.hour * 3600 + value.minute * 60 + value.second)
    if isinstance(value, dt.timedelta):
        return Moment(elapsed=int(value.total_seconds()))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_number(float(value), unit)
    if not isinstance(value, str):
        raise TimeFormatError(f"'{value}' is not a time")
    text = _clean(value)
    if not text:
        raise TimeFormatError("the time is empty")
    if unit and _NUMBER.match(text):
        return Moment(elapsed=round(float(text) * unit))
    for reader in (_iso, _slash_date, _t_plus, _elapsed, _day, _hour, _clock, _weekday):
        found = reader(text, unit, order or DateOrder(False, False))
        if found is not None:
            return found
    if _NUMBER.match(text):
        raise TimeFormatError(
            f"'{value}' is a number without a unit: write T+{text}m, or put the unit in the "
            "header (T+min, Time (hours))"
        )
    raise TimeFormatError(f"cannot read '{value.strip()}' as a time; expected {FORMATS_HELP}")


def _clean(value: object) -> str:
    text = str(value).replace("\u2212", "-").replace("\u2013", "-").replace("\u00a0", " ")
    return " ".join(text.split()).upper()


def _from_datetime(value: dt.datetime) -> Moment:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return Moment(date=value.date(), clock=value.hour * 3600 + value.minute * 60 + value.second)


def _from_number(value: float, unit: int | None) -> Moment:
    if unit:
        return Moment(elapsed=round(value * unit))
    if 0 <= value < 1:  # an Excel time cell without its format: a fraction of a day
        return Moment(clock=round(value * DAY))
    if value.is_integer() and 0 <= value <= 2359 and value % 100 < 60 and value >= 100:
        return Moment(clock=int(value // 100) * 3600 + int(value % 100) * 60)  # 0930 as a number
    if 20_000 <= value < 80_000:  # an Excel serial date (1954 to 2119)
        return _from_datetime(EXCEL_EPOCH + dt.timedelta(days=value))
    raise TimeFormatError(
        f"'{value:g}' is a number without a unit: put the unit in the header (T+min)"
    )


def _clock_seconds(match: re.Match[str] | dict[str, str | None]) -> int:
    get = match.get if isinstance(match, dict) else match.group
    if get("hhmm"):
        hhmm = str(get("hhmm"))
        hours, minutes, seconds = int(hhmm[:2]), int(hhmm[2:]), 0
    else:
        hours, minutes = int(str(get("hh"))), int(get("mm") or 0)
        seconds = int(get("ss") or 0)
        ampm = (get("ampm") or "").replace(".", "")
        if ampm:
            if not 1 <= hours <= 12:
                raise TimeFormatError(f"{hours} is not an hour of a 12-hour clock")
            hours = hours % 12 + (12 if ampm == "PM" else 0)
    if hours > 24 or minutes > 59 or seconds > 59 or (hours == 24 and minutes + seconds):
        raise TimeFormatError(f"{hours:02d}:{minutes:02d} is not a time of day")
    return hours * 3600 + minutes * 60 + seconds


def _iso(text: str, _unit: int | None, _order: DateOrder) -> Moment | None:
    if not _ISO.match(text):
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace(" Z", "Z"))
    except ValueError:
        raise TimeFormatError(f"'{text}' is not a valid ISO 8601 date and time") from None
    if len(text) == 10:
        return Moment(date=value.date())
    return _from_datetime(value)


def _slash_date(text: str, _unit: int | None, order: DateOrder) -> Moment | None:
    match = _SLASH_DATE.match(text)
    if match is None:
        return None
    a, b, year = int(match["a"]), int(match["b"]), int(match["y"])
    year += 2000 if year < 100 else 0
    day, month = (a, b) if order.day_first else (b, a)
    try:
        date = dt.date(year, month, day)
    except ValueError:
        raise TimeFormatError(
            f"'{text}' is not a valid date (read {'day' if order.day_first else 'month'} first)"
        ) from None
    if match["clock"] is None:
        return Moment(date=date)
    clock = _CLOCK_RE.match(match["clock"].strip())
    assert clock is not None  # the pattern above only matches a clock here
    return Moment(date=date, clock=_clock_seconds(clock))


def _duration(text: str) -> int | None:
    match = _DURATION.match(text.strip())
    if match is None or not any(match.groupdict().values()):
        return None
    units = {"d": DAY, "h": 3600, "m": 60, "s": 1}
    return sum(int(v) * units[k] for k, v in match.groupdict().items() if v)


def _t_plus(text: str, unit: int | None, _order: DateOrder) -> Moment | None:
    match = _T_RE.match(text)
    if match is None:
        return None
    rest, sign = match["rest"].strip(), -1 if match["sign"] == "-" else 1
    if _NUMBER.match(rest):
        if not unit:
            raise TimeFormatError(
                f"'{text}' gives no unit: write {text}M, or name the unit in the header (T+min)"
            )
        return Moment(elapsed=sign * round(float(rest) * unit))
    colon = _ELAPSED_COLON.match("+" + rest)
    if colon:
        return Moment(elapsed=sign * _colon_seconds(colon))
    seconds = _duration(rest)
    if seconds is None:
        raise TimeFormatError(f"cannot read '{text}': expected T+5 (unit in the header), T+2H30M")
    return Moment(elapsed=sign * seconds)


def _colon_seconds(match: re.Match[str]) -> int:
    return int(match["h"]) * 3600 + int(match["m"]) * 60 + int(match["s"] or 0)


def _elapsed(text: str, _unit: int | None, _order: DateOrder) -> Moment | None:
    colon = _ELAPSED_COLON.match(text)
    if colon:
        return Moment(elapsed=(-1 if colon["sign"] == "-" else 1) * _colon_seconds(colon))
    sign = 1
    rest = text
    if text[:1] in "+-":
        sign, rest = (-1 if text[0] == "-" else 1), text[1:]
    seconds = _duration(rest) if re.search(r"[A-Z]", rest) else None
    if seconds is None:
        return None
    return Moment(elapsed=sign * seconds)


def _shift(match: re.Match[str]) -> int:
    hours = int(match["hshift"].replace(" ", "")) if match["hshift"] else 0
    minutes = int(match["mshift"].replace(" ", "")) if match["mshift"] else 0
    return hours * 3600 + minutes * 60


def _day(text: str, _unit: int | None, _order: DateOrder) -> Moment | None:
    match = _DAY_RE.match(text)
    if match is None:
        return None
    if match["dnum"]:
        number = match["dnum"].replace(" ", "")
        day = int(number) - 1 if number[0] not in "+-" else int(number)  # "Day 1" is D-day
    else:
        day = int(match["num"].replace(" ", "")) if match["num"] else 0
    clock = None
    if match["clock"]:
        inner = _CLOCK_RE.match(match["clock"].strip())
        assert inner is not None
        clock = _clock_seconds(inner)
    return Moment(day=day, clock=clock, shift=_shift(match))


def _hour(text: str, _unit: int | None, _order: DateOrder) -> Moment | None:
    match = _HOUR_RE.match(text)
    return Moment(day=0, shift=_shift(match)) if match else None


def _clock(text: str, _unit: int | None, _order: DateOrder) -> Moment | None:
    match = _CLOCK_RE.match(text)
    if match is None or (not match["hhmm"] and not match["mm"] and not match["ampm"]):
        return None
    return Moment(clock=_clock_seconds(match))


def _weekday(text: str, _unit: int | None, _order: DateOrder) -> Moment | None:
    match = _WEEKDAY_RE.match(text)
    if match is None:
        return None
    clock = None
    if match["clock"]:
        inner = _CLOCK_RE.match(match["clock"].strip())
        assert inner is not None
        clock = _clock_seconds(inner)
    return Moment(weekday=WEEKDAYS.index(match["name"]), clock=clock)


@dataclass(frozen=True)
class Timeline:
    """Where a sheet's moments fall, in seconds from its STARTEX (the earliest inject)."""

    offsets: list[int | None]
    start: dt.datetime | None
    """The calendar date and time of STARTEX, when the sheet or ``--start`` gives a date."""
    extra: list[int]
    """The offsets of the ``also`` moments (``--phase-at``), on the same time line."""


def place(
    moments: list[Moment | None],
    start: dt.datetime | None = None,
    start_has_time: bool = False,
    also: Sequence[Moment] = (),
) -> Timeline:
    """Put every moment on one time line: D-day from ``start`` or the earliest calendar date,
    H-hour from ``start`` or the earliest clock time; zero at the earliest inject."""
    known = [m for m in moments if m is not None]
    dates = [m.date for m in known if m.date is not None]
    d_day = start.date() if start else (min(dates) if dates else None)
    clocks = [m.clock for m in known if m.clock is not None and m.elapsed is None]
    if start is not None and start_has_time:
        h_hour = start.hour * 3600 + start.minute * 60
    else:
        h_hour = min(clocks) if clocks else 0

    weekdays = [m.weekday for m in known if m.weekday is not None]
    first_weekday = d_day.weekday() if d_day else (weekdays[0] if weekdays else 0)

    def axis(m: Moment) -> int:
        if m.elapsed is not None:
            return m.elapsed
        days = m.day or 0
        if m.weekday is not None:
            days = (m.weekday - first_weekday) % 7
        if m.date is not None and d_day is not None:
            days = (m.date - d_day).days
        return days * DAY + (m.clock if m.clock is not None else h_hour) + m.shift

    on_calendar = [axis(m) for m in known if m.on_calendar]
    if on_calendar:  # zero at the earliest inject (or at --start's time, if not later)
        zero = min(on_calendar)
        if start is not None and start_has_time and h_hour <= zero:
            zero = h_hour
        elapsed_zero = 0
    else:  # elapsed times only: STARTEX is zero, unless some inject comes before it
        zero = 0
        elapsed_zero = min([0] + [m.elapsed for m in known if m.elapsed is not None])

    def offset(m: Moment) -> int:
        return m.elapsed - elapsed_zero if m.elapsed is not None else axis(m) - zero

    begins = None
    if d_day is not None and on_calendar:
        begins = dt.datetime.combine(d_day, dt.time()) + dt.timedelta(seconds=zero)
    return Timeline(
        [offset(m) if m is not None else None for m in moments],
        begins,
        [offset(m) for m in also],
    )
