"""Inline SVG charts for the HTML AAR: no script, no external file, print-safe.

Three charts: scores by dimension for each role (bars against the rating levels), situation
variables over time on phase bands, and response times against the time allowed. Each is a
string of SVG sized by its ``viewBox`` so it scales with the page and prints crisply. Large
sessions stay small: long series are reduced to their extremes per pixel column, and more than
``MAX_DOTS`` decisions are drawn as a histogram per role instead of one dot each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from exercise_engine.report.model import (
    Decision,
    MissedDecision,
    PhaseSpan,
    RoleScores,
    VariableSeries,
)
from exercise_engine.report.text import short_name

DIMENSION_COLOURS = ("#1f4e79", "#3f88c5", "#8cc0e6", "#2a9d8f", "#7a5aa6", "#b07d48")
PHASE_FILL = {"prevent": "#e7f0fa", "react": "#fbe9e7", "rebuild": "#e6f4ea"}
PHASE_INK = {"prevent": "#2c5f8d", "react": "#a33a2a", "rebuild": "#2d7a45"}
ON_TIME, LATE = "#2f855a", "#c53030"
MAX_DOTS = 1200


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Level:
    code: str
    score: float


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'class="chart" font-family="inherit">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _text(x: float, y: float, text: str, cls: str = "", anchor: str = "start") -> str:
    attr = f' class="{cls}"' if cls else ""
    a = "" if anchor == "start" else f' text-anchor="{anchor}"'
    return f'<text x="{_n(x)}" y="{_n(y)}"{attr}{a}>{escape(text)}</text>'


# -- scores by dimension ------------------------------------------------------------------


def dimension_bars(
    roles: Sequence[RoleScores], dimensions: Sequence[tuple[str, str]], levels: Sequence[Level]
) -> str:
    """Per role, one bar per dimension (0-100) against the rating levels, total on the right."""
    label_w, plot_w, right = 230, 580, 80
    bar, gap, group_gap = 11, 3, 16
    group_h = len(dimensions) * (bar + gap) - gap
    x0 = label_w
    body = []
    lx, ly = x0, 6
    for i, (_, title) in enumerate(dimensions):
        item = 15 + len(title) * 7 + 20  # swatch, text at ~7 px a character, gap
        if lx > x0 and lx + item > x0 + plot_w:
            lx, ly = x0, ly + 18
        colour = DIMENSION_COLOURS[i % len(DIMENSION_COLOURS)]
        body.append(f'<rect x="{lx}" y="{ly}" width="10" height="10" rx="2" fill="{colour}"/>')
        body.append(_text(lx + 15, ly + 9, title, "legend"))
        lx += item
    top = ly + 28
    height = top + len(roles) * (group_h + group_gap) + 28
    width = label_w + plot_w + right

    def x(score: float) -> float:
        return x0 + score / 100 * plot_w

    bottom = height - 24
    for level in levels:
        body.append(
            f'<line x1="{_n(x(level.score))}" y1="{top - 6}" x2="{_n(x(level.score))}" '
            f'y2="{bottom}" class="grid"/>'
        )
        body.append(_text(x(level.score), bottom + 14, level.code, "axis", "middle"))
    body.append(_text(width - 4, top - 10, "Total", "axis", "end"))
    for r, role in enumerate(roles):
        y = top + r * (group_h + group_gap)
        body.append(_label(label_w - 10, y + group_h / 2, short_name(role.name)))
        cells = {c.dimension: c for c in role.dimensions}
        for i, (dimension, _) in enumerate(dimensions):
            cell = cells.get(dimension)
            by = y + i * (bar + gap)
            colour = DIMENSION_COLOURS[i % len(DIMENSION_COLOURS)]
            body.append(
                f'<rect x="{x0}" y="{_n(by)}" width="{plot_w}" height="{bar}" class="track"/>'
            )
            if cell is None or cell.score is None:
                body.append(_text(x0 + 4, by + bar - 2, "not observed", "na"))
                continue
            length = max(cell.score, 0.6) / 100 * plot_w
            body.append(
                f'<rect x="{x0}" y="{_n(by)}" width="{_n(length)}" height="{bar}" '
                f'rx="2" fill="{colour}"/>'
            )
            label = f"{cell.score:.0f}" + (" capped" if cell.capped else "")
            body.append(_text(x(cell.score) + 4, by + bar - 2, label, "value"))
        total = "—" if role.total is None else f"{role.total:.0f}"
        body.append(_text(width - 4, y + group_h / 2 + 5, total, "total", "end"))
    return _svg(width, height, "Scores by dimension per role", body)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _label(x: float, middle: float, text: str, width: int = 30) -> str:
    """A role's name right-aligned at ``x``, on two lines when long (role names often are:
    "UNIMA Police component (UNPOL) with the National Police Service in Kallen")."""
    if len(text) <= width:
        return _text(x, middle + 4, text, "label", "end")
    cut = text.rfind(" ", 0, width + 1)
    cut = cut if cut > 0 else width
    first, rest = text[:cut], _short(text[cut:].strip(), width)
    return (
        f'<text x="{_n(x)}" y="{_n(middle - 3)}" class="label" text-anchor="end">'
        f'<tspan x="{_n(x)}">{escape(first)}</tspan>'
        f'<tspan x="{_n(x)}" dy="13">{escape(rest)}</tspan></text>'
    )


# -- variables over time --------------------------------------------------------------------


def variable_chart(
    series: VariableSeries, spans: Sequence[PhaseSpan], end: int, tick_label: Callable[[int], str]
) -> str:
    width, height = 900, 150
    left, right, top, bottom = 44, 62, 22, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    end = max(end, 1, *(p.t for p in series.points))
    lo = series.min if series.min is not None else series.low
    hi = series.max if series.max is not None else series.high
    if hi <= lo:
        lo, hi = lo - 1, hi + 1

    def x(t: float) -> float:
        return left + t / end * plot_w

    def y(v: float) -> float:
        return top + (hi - v) / (hi - lo) * plot_h

    body = []
    for span in spans:
        x1, x2 = x(span.start_t), x(min(span.end_t, end))
        fill = PHASE_FILL.get(span.phase, "#f1f1f1")
        body.append(
            f'<rect x="{_n(x1)}" y="{top}" width="{_n(max(x2 - x1, 0.5))}" '
            f'height="{plot_h}" fill="{fill}"/>'
        )
        if x2 - x1 > 40:
            body.append(
                f'<text x="{_n(x1 + 4)}" y="{top + 11}" class="phase" '
                f'fill="{PHASE_INK.get(span.phase, "#555")}">'
                f"{escape(span.phase)}</text>"
            )
    for value in (lo, (lo + hi) / 2, hi):
        body.append(
            f'<line x1="{left}" y1="{_n(y(value))}" x2="{left + plot_w}" '
            f'y2="{_n(y(value))}" class="grid"/>'
        )
        body.append(_text(left - 6, y(value) + 4, f"{value:g}", "axis", "end"))
    for t in _ticks(end):
        body.append(
            f'<line x1="{_n(x(t))}" y1="{top + plot_h}" x2="{_n(x(t))}" '
            f'y2="{top + plot_h + 4}" class="tick"/>'
        )
        body.append(_text(x(t), height - 6, tick_label(t), "axis", "middle"))
    body.append(f'<path d="{_step_path(series, x, y, end, plot_w)}" class="series"/>')
    body.append(f'<circle cx="{_n(x(end))}" cy="{_n(y(series.final))}" r="3.5" class="dot"/>')
    body.append(_text(x(end) + 8, y(series.final) + 4, f"{series.final:g}", "final"))
    arrow = {"higher": " (higher is better)", "lower": " (lower is better)"}.get(
        series.better or "", ""
    )
    body.append(_text(left, 14, f"{series.label}{arrow}", "ctitle"))
    return _svg(width, height, f"{series.label} over time", body)


def _step_path(
    series: VariableSeries,
    x: Callable[[float], float],
    y: Callable[[float], float],
    end: int,
    plot_w: int,
) -> str:
    """A step line through the points, reduced to first/min/max/last per pixel column."""
    points = series.points
    parts = [f"M{_n(x(0))} {_n(y(points[0].value))}"]
    if len(points) <= 2 * plot_w:
        for p in points[1:]:
            parts.append(f"H{_n(x(p.t))}V{_n(y(p.value))}")
    else:
        column, lo, hi, last = None, 0.0, 0.0, points[0].value
        for p in points[1:]:
            c = int(x(p.t))
            if c != column:
                if column is not None:
                    parts.append(f"H{column}V{_n(y(lo))}V{_n(y(hi))}V{_n(y(last))}")
                column, lo, hi = c, min(last, p.value), max(last, p.value)
            lo, hi, last = min(lo, p.value), max(hi, p.value), p.value
        parts.append(f"H{column}V{_n(y(lo))}V{_n(y(hi))}V{_n(y(last))}")
    parts.append(f"H{_n(x(end))}")
    return "".join(parts)


def _ticks(end: int, wanted: int = 7) -> list[int]:
    steps = [900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800]
    step = next((s for s in steps if end / s <= wanted), steps[-1])
    return list(range(0, end + 1, step))


# -- response times -------------------------------------------------------------------------


def response_times(
    roles: Sequence[tuple[str, str]],
    decisions: Sequence[Decision],
    missed: Sequence[MissedDecision],
) -> str:
    """Each decision's delay as a share of the time allowed (the dashed line is the due time);
    answers never given are rings at the right edge."""
    label_w, plot_w, right = 230, 520, 150
    row, top = 38, 30
    limit = 2.5
    width = label_w + plot_w + right
    height = top + len(roles) * row + 30

    def x(ratio: float) -> float:
        return label_w + min(ratio, limit) / limit * plot_w

    timed = [d for d in decisions if d.due_s]
    body = [
        _text(label_w, 14, "● on time", "ok-label"),
        _text(label_w + 80, 14, "● late", "late-label"),
        _text(label_w + 140, 14, "○ never answered", "late-label"),
    ]
    for r in range(len(roles)):
        body.append(
            f'<rect x="{label_w}" y="{top + r * row + 3}" width="{plot_w}" height="{row - 6}" '
            'class="band"/>'
        )
    for ratio in (0, 0.5, 1, 1.5, 2, 2.5):
        cls = "due" if ratio == 1 else "grid"
        body.append(
            f'<line x1="{_n(x(ratio))}" y1="{top - 6}" x2="{_n(x(ratio))}" '
            f'y2="{top + len(roles) * row}" class="{cls}"/>'
        )
        label = "due" if ratio == 1 else f"{ratio * 100:.0f}%"
        body.append(
            _text(x(ratio), height - 10, label + ("+" if ratio == limit else ""), "axis", "middle")
        )
    by_role: dict[str, list[Decision]] = {}
    for d in timed:
        by_role.setdefault(d.role, []).append(d)
    never_by_role = Counter(m.role for m in missed)
    dense = len(timed) > MAX_DOTS
    for r, (role, name) in enumerate(roles):
        y = top + r * row
        body.append(_label(label_w - 10, y + row / 2, name))
        mine = by_role.get(role, [])
        if dense:
            body += _histogram(mine, x, y, row)
        else:
            for d in mine:
                jitter = (d.seq * 7919 % 17 - 8) / 8 * (row / 2 - 7)
                colour = LATE if d.late else ON_TIME
                body.append(
                    f'<circle cx="{_n(x(d.delay_s / (d.due_s or 1)))}" '
                    f'cy="{_n(y + row / 2 + jitter)}" r="4" fill="{colour}" '
                    'fill-opacity=".75"/>'
                )
        never = never_by_role.get(role, 0)
        if never:
            body.append(f'<circle cx="{_n(x(limit))}" cy="{_n(y + row / 2)}" r="5" class="never"/>')
        on_time = sum(1 for d in mine if not d.late)
        asked = len(mine) + never
        if asked:
            summary = f"{on_time:,}/{asked:,} on time" + (f", {never:,} never" if never else "")
            body.append(_text(width - 4, y + row / 2 + 4, summary, "axis", "end"))
    return _svg(width, height, "Response times against the time allowed", body)


def _histogram(
    decisions: list[Decision], x: Callable[[float], float], y: float, row: int
) -> list[str]:
    bins = 50
    counts = [[0, 0] for _ in range(bins)]
    for d in decisions:
        ratio = min(d.delay_s / (d.due_s or 1), 2.5)
        counts[min(int(ratio / 2.5 * bins), bins - 1)][1 if d.late else 0] += 1
    peak = max((a + b for a, b in counts), default=1) or 1
    width = (x(2.5) - x(0)) / bins
    out = []
    for i, (ok, late) in enumerate(counts):
        for count, colour in ((ok, ON_TIME), (late, LATE)):
            if count:
                h = max(1.5, count / peak * (row - 8))
                out.append(
                    f'<rect x="{_n(x(0) + i * width)}" y="{_n(y + row - 4 - h)}" '
                    f'width="{_n(width - 1)}" height="{_n(h)}" fill="{colour}"/>'
                )
    return out
