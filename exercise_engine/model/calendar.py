"""The scenario clock as players read it: a date and time, a time of day, or T+.

Play time (seconds since STARTEX) runs on; the scenario's own clock may jump. An HSEEP situation
manual runs four modules in under three hours of play while the scenario moves from 0600 to
1000, 1400 and 1800: a module's ``clock`` sets the scenario time shown from the moment the module
starts. Where a module starts depends on when play entered its phase, so the jumps of a session
follow from its phase entries (``Calendar.following``). Everything that shows a scenario time
(the engine's ``clock_label``, the AAR, the preview) reads it here.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from exercise_engine.model.durations import format_duration, is_dated, parse_clock

if TYPE_CHECKING:  # a seat's clock reads a start, without the content models
    from exercise_engine.model.scenario import Clock, Module, Scenario

DAY = 86_400


@dataclass(frozen=True)
class Calendar:
    start: dt.datetime | None
    """The scenario time at STARTEX (None: the scenario shows T+ times)."""
    dated: bool = True
    """Whether the start carries a date; an undated clock reads "06:00", then "D+1 06:00" on
    the next day (and a read-ahead dated the day before, "D-1 06:00")."""
    jumps: tuple[tuple[int, int], ...] = ()
    """(play time, scenario seconds after the start shown from then on), in time order."""

    @classmethod
    def of(cls, clock: Clock) -> Calendar:
        return cls.starting(clock.start)

    @classmethod
    def starting(cls, start: str | None) -> Calendar:
        """The calendar of a clock starting at ``start`` (``clock.start``: None for T+)."""
        if not start:
            return cls(None)
        return cls(parse_clock(start), is_dated(start))

    def reading(self, t: int) -> int:
        """Scenario seconds after the start that the clock shows at play time ``t``."""
        k = bisect.bisect_right(self.jumps, (t, float("inf"))) - 1
        if k < 0:
            return t
        at, shown = self.jumps[k]
        return shown + (t - at)

    def label(self, t: int) -> str:
        """The scenario time at play time ``t``, as players read it."""
        if self.start is None:
            return f"T+{format_duration(t)}" if t >= 0 else f"T-{format_duration(-t)}"
        moment = self.start + dt.timedelta(seconds=self.reading(t))
        if self.dated:
            return moment.strftime("%Y-%m-%d %H:%M")
        day = (moment.date() - self.start.date()).days  # D+1 the day after STARTEX's, D-1 before
        return moment.strftime("%H:%M") if day == 0 else f"D{day:+d} {moment:%H:%M}"

    def jump(self, t: int, module: Module) -> Calendar:
        """This calendar with ``module``'s clock shown from play time ``t`` on."""
        if module.clock is None or self.start is None:
            return self
        now = self.start + dt.timedelta(seconds=self.reading(t))
        target = parse_clock(module.clock)
        if not is_dated(module.clock):  # the next such time of day, never back in time
            target = dt.datetime.combine(now.date(), target.time())
            if target < now:
                target += dt.timedelta(days=1)
        shown = int((target - self.start).total_seconds())
        return Calendar(self.start, self.dated, (*[j for j in self.jumps if j[0] < t], (t, shown)))

    def following(
        self, scenario: Scenario, entries: Iterable[tuple[str, int]], until: int | None = None
    ) -> Calendar:
        """The calendar of a session whose play entered ``entries`` (phase, play time): each
        module that started (``module_starts``) moves the clock to its own time."""
        calendar = self
        for t, _, module in module_starts(scenario, entries, until):
            calendar = calendar.jump(t, module)
        return calendar


def module_starts(
    scenario: Scenario, entries: Iterable[tuple[str, int]], until: int | None = None
) -> list[tuple[int, str, Module]]:
    """(play time, phase, module) of each module a session started, in order, from its phase
    entries; ``until``: the play time reached (modules due later have not started)."""
    out = []
    entries = list(entries)
    for k, (phase, entered) in enumerate(entries):
        left = entries[k + 1][1] if k + 1 < len(entries) else None
        found = scenario.phases.get(phase)
        for module in found.modules if found is not None else ():
            starts = entered + module.at
            if (left is not None and starts >= left) or (until is not None and starts > until):
                # play left the phase first (or has not got there yet): later modules neither
                break
            out.append((starts, phase, module))
    return out
