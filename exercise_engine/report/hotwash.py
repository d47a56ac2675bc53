"""The hot-wash sheet: one printed A4 page for the debrief minutes after ENDEX.

HSEEP's hot wash comes right after play: the facilitator walks each objective and evaluators add
what they saw, long before the after-action report is written. This sheet gives them the facts
to do it from, on one page: how play ended for civilians, what each objective came to, what to
sustain and improve with the events behind it, the decisions worth discussing, and room for
notes and signatures. Every list has a budget (items and characters), so the page holds
whatever the session: ``printed_points`` estimates the printed height, and tests keep it within
``PAGE_POINTS`` for real sessions and for a sheet filled to every budget (and, where Chromium is
installed, print that fullest possible sheet to PDF and count one page).

Ratings follow HSEEP: a P/S/M/U letter only where an evaluator rated; the engine's option
points are shown as points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from exercise_engine.report.findings import evaluator_letters
from exercise_engine.report.model import AAR, CriterionRating, Decision, Finding
from exercise_engine.report.text import (
    ended,
    long_date,
    lower_first,
    pct,
    phase_name,
    points,
    short_name,
    upper_first,
)

PAGE_POINTS = 277 / 25.4 * 72
"""The printed height available on A4 with the sheet's 10 mm top and bottom margins, in points.
``printed_points`` over-counts (by 20-50 pt against Chromium's layout of the shipped sessions
and of a sheet filled to every budget), so a sheet within it prints on one page."""
LEADING = 11
"""Points per line of body text (8.5 pt type on 11 pt leading)."""
FULL, HALF, OBJECTIVE, LABEL = 100, 44, 92, 60
"""Characters per printed line across the page, in one of its two columns, in the objective
column and in the situation column (DejaVu Sans at 8.5 pt, counted on the shipped texts, with
a margin)."""

SITUATION_ROWS = 6
OBJECTIVE_ROWS = 5
HIGHLIGHTS = 3
DISCUSS = 4
NOTE_LINES = 3
TITLE = 60
TEXT = 84
"""Characters of a sustain or improve item (its mark and events besides: three lines)."""
DISCUSS_TEXT = 140
"""Characters of a decision to talk through (its mark and events besides: two lines)."""
HELD = " (held by outcome)"


@dataclass(slots=True)
class SituationRow:
    label: str
    start: str
    end: str
    trend: str  # better | worse | unchanged
    failed: str
    """The rating a rubric outcome allowed at ENDEX, when one failed ('' otherwise)."""


@dataclass(slots=True)
class ObjectiveRow:
    id: str
    text: str
    score: str


@dataclass(slots=True)
class Item:
    mark: str
    """A rating letter (an evaluator rated) or the option points, e.g. '1.5 pts'."""
    text: str
    cites: str


@dataclass(slots=True)
class HotWashSheet:
    title: str
    audience: str
    when: str
    facts: str
    overall: str
    overall_note: str
    situation: list[SituationRow]
    objectives: list[ObjectiveRow]
    sustain: list[Item]
    improve: list[Item]
    discuss: list[Item]
    more: str
    """What the full AAR adds (how many findings and decisions are left off)."""
    evaluators: str
    note_lines: int = NOTE_LINES
    signers: list[str] = field(default_factory=lambda: ["Facilitator", "Lead evaluator"])


def sheet(aar: AAR) -> HotWashSheet:
    o = aar.overview
    ratings = {(r.role, c.id): r for d in aar.analysis for c in d.criteria for r in c.ratings}
    findings = [f for d in aar.analysis for c in d.criteria for f in c.findings]
    strengths = sorted(
        (f for f in findings if f.kind == "strength"), key=lambda f: (-f.score, f.criterion)
    )
    weak = sorted(
        (f for f in findings if f.kind == "improvement"),
        key=lambda f: (not f.caps, f.score, f.criterion),
    )
    discuss = _discuss(aar.decisions)
    cap = aar.scores.outcome_cap
    rated = bool(o.evaluators)
    overall = f"{pct(aar.summary.overall)}/100"
    note = (
        "Option points and evaluator ratings combined"
        if rated
        else "From the engine's option points, timeliness and coordination: no evaluator has "
        "rated yet"
    )
    if cap is not None:
        bottom = aar.scores.scale[-1].code
        latest = {
            (x.criterion, x.variable): x
            for x in aar.scores.outcomes
            if x.rating == bottom and x.seqs[0] in cap.seqs
        }
        failed = [
            f"{lower_first(_short_label(x.label))} {x.value:,g} "
            f"{'at ENDEX' if x.endex else 'as ' + phase_name(x.phase) + ' ended'} "
            f"({x.criterion} {bottom})"
            for x in latest.values()
        ]
        note += (
            f". Held at {pct(cap.score)} (the rubric's {cap.level} level) from "
            f"{pct(cap.uncapped)}, as civilians were not protected: " + "; ".join(failed)
        )
    return HotWashSheet(
        title=clip(o.title, TITLE),
        audience="staff" if aar.audience == "staff" else "training audience",
        when=f"{long_date(o.scenario_start)} to {long_date(o.scenario_end)}",
        facts=clip(
            (
                f"Session {o.session.id or '—'}"
                + (f" ({o.session.label})" if o.session.label else "")
                + f" · play ended {ended(o.ended) if o.ended else 'not yet'} · phases "
                + (", ".join(phase_name(p) for p in o.phases_reached) or "none")
                + f" · {aar.summary.decisions} decisions, {aar.summary.on_time} on time, "
                f"{aar.summary.missed} never taken"
            ),
            2 * FULL,
        ),
        overall=overall,
        overall_note=clip(note + ".", 3 * FULL),
        situation=_situation(aar),
        objectives=[
            ObjectiveRow(ob.id, clip(ob.text, OBJECTIVE - len(ob.id) - 1), f"{pct(ob.score)}/100")
            for ob in o.objectives[:OBJECTIVE_ROWS]
        ],
        sustain=[_item(f, ratings, aar) for f in strengths[:HIGHLIGHTS]],
        improve=[_item(f, ratings, aar) for f in weak[:HIGHLIGHTS]],
        discuss=discuss,
        more=(
            f"The full after-action review (exercise report --format html) has all "
            f"{len(findings)} findings, {len(aar.decisions)} decisions and the improvement plan."
        ),
        evaluators=(
            f"Evaluators who recorded observations: {', '.join(o.evaluators)}."
            if rated
            else "No evaluator has recorded an observation in this session."
        ),
    )


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;:") + "…"


def _situation(aar: AAR) -> list[SituationRow]:
    failed = {o.variable: o.rating for o in aar.scores.outcomes if o.endex and o.rating is not None}
    rows = []
    for v in aar.variables[:SITUATION_ROWS]:
        if v.final == v.initial:
            trend = "unchanged"
        elif v.better is None:
            trend = "changed"
        else:
            trend = "better" if (v.final > v.initial) == (v.better == "higher") else "worse"
        rows.append(
            SituationRow(
                clip(upper_first(_short_label(v.label or v.name)), LABEL),
                f"{v.initial:,g}",
                f"{v.final:,g}",
                trend,
                failed.get(v.name, "") or "",
            )
        )
    return rows


def mark(f: Finding, rating: CriterionRating | None, aar: AAR) -> str:
    """HSEEP's letter if an evaluator rated the criterion for the role; otherwise its points
    on the rubric's scale (after any outcome ceiling: "1 pt (held by the outcome)")."""
    if rating is not None and rating.evaluator_points is not None:
        return evaluator_letters(rating)
    low, high = aar.scores.scale[-1].points, aar.scores.scale[0].points
    worth = low + f.score / 100 * (high - low)
    said = f"{points(worth)} pt" + ("" if worth == 1 else "s")
    if rating is not None and rating.ceiling:
        said += HELD
    return said


def _item(f: Finding, ratings: dict[tuple[str, str], CriterionRating], aar: AAR) -> Item:
    """A finding: its mark, role and criterion, and the events it rests on."""
    mark_ = mark(f, ratings.get((f.role, f.criterion)), aar)
    titles = {c.id: c.title for d in aar.analysis for c in d.criteria}
    title = f"{short_name(f.role_name, 30)}: {f.criterion} {titles.get(f.criterion, '')}"
    return Item(mark_, clip(title, TEXT), _cites(f.seqs, 3))


def _short_label(label: str) -> str:
    """A variable's label without its scale note: "Violence against civilians in Kallen (0
    none, 10 mass killing under way)" -> "Violence against civilians in Kallen"."""
    return label.split(" (", 1)[0]


def _discuss(decisions: list[Decision]) -> list[Item]:
    """The decisions most worth talking through: those the rubric ranks below another option,
    the ones that moved the situation most first, with what they changed."""
    ranked = sorted(
        (d for d in decisions if d.preferred),
        key=lambda d: (-sum(abs(c.new - c.old) for c in d.consequences), d.seq),
    )
    items = []
    for d in ranked[:DISCUSS]:
        moved = ", ".join(f"{c.variable} {c.old:g}→{c.new:g}" for c in d.consequences[:3])
        worth = sum(d.points.values()) / len(d.points) if d.points else None
        text = (
            f"{short_name(d.role_name, 30)}, {d.inject}: chose {d.option} "
            f"“{clip(d.option_text, 48)}” where the rubric prefers {d.preferred}"
            + (f": {moved}" if moved else "")
        )
        items.append(
            Item(
                f"{points(worth)} pts" if worth is not None else "—",
                clip(text, DISCUSS_TEXT),
                _cites([d.seq, *(c.seq for c in d.consequences[:3])], 4),
            )
        )
    return items


def _cites(seqs: list[int], limit: int) -> str:
    shown = ", ".join(f"#{s}" for s in seqs[:limit])
    return shown + (" …" if len(seqs) > limit else "")


def printed_points(s: HotWashSheet) -> float:
    """The printed height of the sheet in points, from its texts and the layout of
    templates/html/hotwash.j2: each block's lines at ``LEADING``, plus the headings, table
    rows, list items, rules and margins the stylesheet gives them."""

    def lines(text: str, width: int) -> int:
        return max(1, math.ceil(len(text) / width))

    heading, row, item = 22.0, LEADING + 2.7, 1.0  # h2 with rule; cell padding and border
    total: float = 11 + 18 * lines(s.title, 60)
    total += LEADING * (lines(s.when, FULL) + lines(s.facts, FULL))
    total += LEADING + 6  # facilitator line, paragraph gaps
    total += 13 + LEADING * lines(s.overall_note, FULL - 10)  # the score band
    total += heading + row * (1 + sum(lines(r.label, LABEL) for r in s.situation))
    if s.objectives:
        total += heading + row * (
            1 + sum(lines(f"{o.id} {o.text}", OBJECTIVE) for o in s.objectives)
        )

    def column(items: list[Item]) -> float:
        return sum(LEADING * lines(f"{i.mark} {i.text} {i.cites}", HALF) + item for i in items)

    total += heading + max(column(s.sustain), column(s.improve), LEADING)
    discussed = sum(LEADING * lines(f"{i.mark} {i.text} {i.cites}", FULL) + item for i in s.discuss)
    total += heading + (discussed or LEADING)
    total += LEADING * lines(f"{s.more} {s.evaluators}", FULL)
    total += heading + 22 * s.note_lines  # ruled note lines
    total += 10 + 13  # signatures
    return total
