"""What each section of the AAR shows, written once for every reading format.

``document(aar)`` turns the AAR model into the blocks of report/document.py: the same tables,
lists, notes and findings for HTML and Markdown, cut to the same reading budgets
(report/budget.py). The formats' templates only lay them out. To add a section, write a
function here and add it to ``SECTIONS``; a format that cannot show a block (Markdown has no
charts) leaves it out, and docs/aar.md lists every such difference.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

from exercise_engine.model.durations import is_dated, parse_clock
from exercise_engine.report import budget, outcomes, svg
from exercise_engine.report.document import (
    Block,
    Bullets,
    Code,
    Cover,
    Document,
    Figure,
    Figures,
    FindingCard,
    Group,
    Heading,
    Heat,
    Inline,
    Level,
    Lines,
    Note,
    Paragraph,
    PhaseStrip,
    Rating,
    Section,
    Seqs,
    Signatures,
    Small,
    Strong,
    Table,
    Tag,
)
from exercise_engine.report.findings import evaluator_letters, timing
from exercise_engine.report.model import (
    AAR,
    CriterionAnalysis,
    CriterionRating,
    Decision,
    Finding,
    Highlight,
    InjectRecord,
    RoleScores,
)
from exercise_engine.report.text import (
    duration,
    ended,
    long_date,
    pct,
    phase_name,
    points,
    short_date,
    short_name,
    wall_span,
)

HOT_WASH_QUESTIONS = (
    ("What was supposed to happen?", "supposed"),
    ("What happened?", "happened"),
    ("Why was there a difference?", "why"),
    ("What should we sustain?", "sustain"),
    ("What should we improve?", "improve"),
)
"""The four AAR questions (the last in two halves), with the HotWashItem field answering each."""


BLANK = "________"
"""A field the after-action meeting fills in by hand."""

RATINGS_RULE = (
    "P, S, M and U appear in this review only where an evaluator rated: every other figure is "
    "computed by the engine from the options chosen, the answer times and the exchanges between "
    "roles, and is given as a score out of 100, not as a rating."
)
"""What is computed and what is rated, said once where the scores are read."""


def rated_cells(aar: AAR) -> dict[tuple[str, str], CriterionRating]:
    """The criterion scores an evaluator rated, by (role, criterion)."""
    return {
        (r.role, c.id): r
        for d in aar.analysis
        for c in d.criteria
        for r in c.ratings
        if r.evaluator_points is not None
    }


def _evaluator_ratings(cells: list[CriterionRating]) -> str:
    """What evaluators rated among some criterion scores: "S ×2, M (3 of 14 criterion scores)",
    or "none" (the scores are the engine's)."""
    rated = [evaluator_letters(c) for c in cells if c.evaluator_points is not None]
    if not rated:
        return "none"
    counts = Counter(rated)
    letters = ", ".join(f"{code} ×{n}" if n > 1 else code for code, n in counts.most_common())
    return f"{letters} ({len(rated)} of {len(cells)} criterion scores)"


def _computed(aar: AAR) -> str:
    """How the overall score was made, for the cover."""
    rated = len(rated_cells(aar))
    if not rated:
        return "Computed by the engine; no evaluator has rated"
    return f"Computed by the engine, with {rated} criterion scores an evaluator rated"


def document(aar: AAR) -> Document:
    """The AAR as sections of blocks, for the reading formats (HTML, Markdown); the MSEL
    appendix only in the staff version."""
    chosen = [s for s in SECTIONS if aar.audience == "staff" or s is not appendix]
    return Document(cover(aar), [section(aar) for section in chosen])


def cover(aar: AAR) -> Cover:
    o, s = aar.overview, aar.summary
    status = "" if o.ended else " · provisional: play has not ended"
    version = (
        "Staff version: controller notes and the MSEL; not for players"
        if aar.audience == "staff"
        else "Training audience version"
    )
    return Cover(
        title=o.title,
        kicker=f"After-action review · {o.rubric_title}{status} · {version}",
        lead=" ".join(o.summary.split()),
        byline=(
            f"{o.scenario_id} · session {o.session.id or '—'} · rubric {o.rubric_id} · "
            f"{aar.generated_by} · {aar.format}"
        ),
        facts=[
            ("Scenario time", f"{long_date(o.scenario_start)} → {long_date(o.scenario_end)}"),
            ("Duration", f"{duration(o.duration_s)} scenario"),
            ("Phases reached", ", ".join(phase_name(p) for p in o.phases_reached) or "none"),
            ("Session", o.session.id or "—"),
            ("Rubric", o.rubric_id),
            ("Evaluators", ", ".join(o.evaluators) or "none recorded"),
        ],
        score=pct(s.overall),
        rating="",
        rating_label=_computed(aar),
        rubric_note=aar.rubric_note,
        footer=(
            f"{aar.generated_by} · {aar.format} · computed from {o.events:,} events "
            f"(last #{o.last_seq}) · {aar.rubric_note}"
        ),
    )


# -- 1. overview ----------------------------------------------------------------------------


def overview(aar: AAR) -> Section:
    o = aar.overview
    session = " ".join(x for x in (o.session.id, o.session.label) if x) or "—"
    if o.session.seed is not None:
        session += f", seed {o.session.seed}"
    if o.session.policy:
        session += f", bot policy {o.session.policy}"
    facts: list[list[Inline]] = [
        ["Scenario", [o.title, Code(o.scenario_id)]],
        ["Rubric", [o.rubric_title, Code(o.rubric_id)]],
        ["Session", session],
        [
            "Scenario time",
            f"{long_date(o.scenario_start)} → {long_date(o.scenario_end)} "
            f"({duration(o.duration_s)}, {o.clock_mode} clock)",
        ],
        [
            "Wall-clock time",
            f"{wall_span(o.wall_start, o.wall_end)} ({duration(o.wall_duration_s)})",
        ],
        ["Play ended", ended(o.ended)],
        ["Phases reached", ", ".join(phase_name(p) for p in o.phases_reached) or "none"],
        ["Injects delivered", f"{o.injects_delivered:,} of {o.injects_total:,}"],
        ["Event log", f"{o.events:,} events, last #{o.last_seq}"],
        ["Evaluators", ", ".join(o.evaluators) or "none recorded"],
    ]
    cells = [(c.id, r) for d in aar.analysis for c in d.criteria for r in c.ratings]
    blocks: list[Block] = [Table(["", ""], facts, style="kv")]
    blocks += [
        Heading("Roles and participants"),
        Note(RATINGS_RULE),
        Table(
            ["Role", "Pillars", "Participants", "Score /100", "Evaluator ratings"],
            [
                [
                    [Strong(r.name), Code(r.id)],
                    ", ".join(str(p) for p in r.pillars) or "—",
                    ", ".join(p.name for p in r.participants) or "—",
                    pct(r.score),
                    _evaluator_ratings([x for _, x in cells if x.role == r.id]),
                ]
                for r in o.roles
            ],
            numeric=frozenset({3}),
        ),
    ]
    if o.objectives:
        blocks += [
            Heading("Objectives"),
            Table(
                ["Objective", "Criteria", "Score /100", "Evaluator ratings"],
                [
                    [
                        [Strong(ob.id), ob.text],
                        ", ".join(ob.criteria),
                        pct(ob.score),
                        _evaluator_ratings([x for c, x in cells if c in ob.criteria]),
                    ]
                    for ob in o.objectives
                ],
                numeric=frozenset({2}),
            ),
        ]
    return Section("overview", "1", "Exercise overview", "Overview", blocks)


# -- 2. executive summary -------------------------------------------------------------------


def summary(aar: AAR) -> Section:
    s, o = aar.summary, aar.overview
    rated = rated_cells(aar)
    figures = Figures(
        [
            (pct(s.overall), "overall score /100, computed"),
            (f"{s.on_time:,}/{s.decisions:,}", "decisions on time"),
            (f"{s.missed:,}", "required answers never given"),
            (f"{s.contingencies:,}", "contingency injects fired"),
            (f"{len(o.phases_reached)}/3", "phases reached"),
        ]
    )
    panels = [
        Group("Strengths", [_highlights(s.strengths, rated)], style="panel good"),
        Group("Areas for improvement", [_highlights(s.improvements, rated)], style="panel bad"),
    ]
    blocks: list[Block] = [figures, Bullets(s.verdict), Group("", panels, style="two")]
    return Section("summary", "2", "Executive summary", "Summary", blocks)


def _highlights(
    highlights: list[Highlight], rated: dict[tuple[str, str], CriterionRating]
) -> Block:
    """Strengths or areas for improvement: an evaluator's letter where one rated it."""
    if not highlights:
        return Paragraph(Small("None identified."))
    return Bullets(
        [
            [
                Rating(evaluator_letters(rated[h.role, h.criterion]))
                if (h.role, h.criterion) in rated
                else "",
                Strong(h.role_name),
                f"— {h.criterion} {h.title} ({pct(h.score)})",
                Seqs(h.seqs, 4),
            ]
            for h in highlights
        ]
    )


# -- 3. scores ------------------------------------------------------------------------------


def scores(aar: AAR) -> Section:
    sc = aar.scores
    w = sc.weights
    cap = (
        f"; a critical criterion rated at the bottom of the scale caps its dimension at "
        f"{sc.critical_cap}"
        if sc.critical_cap
        else ""
    )
    dims = [(d.id, d.title) for d in aar.analysis]
    levels = [svg.Level(lv.code, lv.score) for lv in sc.scale]
    blocks: list[Block] = [
        Note(
            f"Scores are 0-100: rubric points normalised. A role's total weighs its decisions "
            f"against the rubric {w['decisions']:.0%}, timeliness {w['timeliness']:.0%} and "
            f"coordination {w['coordination']:.0%} (parts not observed are left out); "
            f"evaluator ratings weigh {sc.evaluator_weight:g}× the option points of a "
            f"criterion{cap}. {RATINGS_RULE} See docs/scoring.md."
        ),
        Figure(
            svg.dimension_bars(sc.roles, dims, levels),
            "Scores by dimension for each role; gridlines mark the rating levels.",
        ),
        Table(
            ["Role", "Total", *(t for _, t in dims), "Decisions", "Timeliness", "Coordination"],
            [_score_row(r) for r in sc.roles],
            numeric=frozenset({1, len(dims) + 2, len(dims) + 3, len(dims) + 4}),
        ),
    ]
    if sc.phases:
        blocks += [
            Heading("By phase"),
            Table(
                ["Role", *(phase_name(p.phase) for p in sc.phases)],
                [
                    *([r.name, *(pct(r.phases.get(p.phase)) for p in sc.phases)] for r in sc.roles),
                    [Strong("All roles"), *(Strong(pct(p.overall)) for p in sc.phases)],
                ],
                numeric=frozenset(range(1, len(sc.phases) + 1)),
            ),
        ]
    if sc.outcomes:
        blocks += _outcomes(aar)
    if sc.ignored:
        shown = budget.ignored(aar)
        blocks += [Heading("Evidence the rubric could not use"), *_budget(shown.note)]
        blocks.append(Bullets(shown.items))
    return Section("scores", "3", "Scores", "Scores", blocks, major=True)


def _outcomes(aar: AAR) -> list[Block]:
    """The situation the rubric reads (docs/scoring.md, "Outcomes"): each outcome at each
    checkpoint, the rating it allowed, and the cap on the overall score when one failed."""
    sc = aar.scores
    blocks: list[Block] = [Heading("Outcomes")]
    if sc.outcome_cap is not None:
        blocks.append(Paragraph(Strong(outcomes.cap_sentence(sc.outcome_cap))))
    blocks.append(
        Table(
            ["When", "Criterion", "Situation", "Value", "The rubric allows at most", "Events"],
            [
                [
                    f"{outcomes.when(o)[3:]} ({short_date(o.clock)})",
                    [Code(o.criterion), o.criterion_title],
                    o.label,
                    outcomes.measured(o),
                    f"{o.rating} ({o.bound})" if o.rating else "met",
                    Seqs(o.seqs, 3),
                ]
                for o in sc.outcomes
            ],
        )
    )
    return blocks


def _score_row(r: RoleScores) -> list[Inline]:
    cells: list[Inline] = [Strong(r.name), Strong(pct(r.total))]
    for d in r.dimensions:
        cell: list[Inline] = [pct(d.score)]
        if d.capped:
            cell.append(Tag("capped", "cap"))
        cells.append(cell)
    return [*cells, pct(r.decisions), pct(r.timeliness), pct(r.coordination)]


# -- 4. timeline ----------------------------------------------------------------------------


def timeline(aar: AAR) -> Section:
    t = aar.timeline
    total = sum(max(p.end_t - p.start_t, 0) for p in t.phases) or 1
    strip = PhaseStrip(
        [
            (
                p.phase,
                f"{phase_name(p.phase)} · {duration(p.end_t - p.start_t)}",
                f"{max((p.end_t - p.start_t) / total * 100, 4):.1f}",  # at least readable
            )
            for p in t.phases
        ]
    )
    phases = Table(
        ["Phase", "From", "To", "Length", "Entered because"],
        [
            [
                Strong(phase_name(p.phase)),
                short_date(p.start),
                short_date(p.end),
                duration(p.end_t - p.start_t),
                p.condition or p.cause,
            ]
            for p in t.phases
        ],
    )
    shown = budget.key_events(aar)
    names = {r.id: short_name(r.name) for r in aar.overview.roles}
    tags = {"contingency": "contingency", "adhoc": "ad hoc", "rule": "rule", "phase": "phase"}
    events = Table(
        ["#", "Time", "Phase", "Event", "To", "Detail"],
        [
            [
                Seqs([x.seq]),
                short_date(x.clock),
                phase_name(x.phase) if x.phase else "",
                [Tag(tags[x.kind], f"tag {x.kind}"), x.title] if x.kind in tags else x.title,
                ", ".join(names.get(r, r) for r in x.roles),
                Small(x.detail),
            ]
            for x in shown.items
        ],
    )
    blocks: list[Block] = [strip, Heading("Phases"), phases, Heading("Key events")]
    blocks += [*_budget(shown.note), events]
    if t.undelivered:
        blocks += [
            Heading("Injects not delivered"),
            Table(
                ["Inject", "Title", "Phase", "Timing", "Why"],
                [
                    [
                        [Strong(u.inject), Tag("contingency", "tag contingency")]
                        if u.contingency
                        else Strong(u.inject),
                        u.title,
                        phase_name(u.phase),
                        u.timing,
                        u.reason,
                    ]
                    for u in t.undelivered
                ],
            ),
        ]
    return Section(
        "timeline", "4", "Timeline of phases and key events", "Timeline", blocks, major=True
    )


# -- 5. analysis ----------------------------------------------------------------------------


def analysis(aar: AAR) -> Section:
    roles = [r for r in aar.overview.roles if r.kind != "control"]
    names = {r.id: r.name for r in aar.overview.roles}
    blocks: list[Block] = [
        Note(
            "Each strength and area for improvement names its doctrine reference, the "
            "evidence it rests on (event numbers) and the look-fors the recorded decisions and "
            "notes do not show. In the tables, a letter is an evaluator's rating (its cell "
            "coloured); a number alone is the engine's score out of 100. N/O: the criterion "
            "applies to the role and was not observed."
        )
    ]
    for dimension in aar.analysis:
        rows = []
        for c in dimension.criteria:
            by_role = {r.role: r for r in c.ratings}
            cells: list[Inline] = [_criterion_title(c)]
            for role in roles:
                rating = by_role.get(role.id)
                if rating is not None:
                    cells.append(Heat(evaluator_letters(rating), pct(rating.score)))
                else:
                    cells.append(Heat("N/O", "") if role.id in c.not_observed else "")
            rows.append(cells)
        blocks += [
            Heading(dimension.title),
            Table(["Criterion", *(short_name(r.name) for r in roles)], rows),
        ]
        blocks += [_criterion(c, names) for c in dimension.criteria]
    return Section(
        "analysis", "5", "Analysis by dimension and criterion", "Analysis", blocks, major=True
    )


def _criterion_title(c: CriterionAnalysis) -> Inline:
    title: list[Inline] = [Strong(c.id), c.title]
    return [*title, Tag("critical", "flag")] if c.critical else title


def _criterion(c: CriterionAnalysis, names_of: dict[str, str]) -> Group:
    blocks: list[Block] = []
    if c.doctrine:
        blocks.append(Paragraph(Small(f"Doctrine: {c.doctrine}")))
    if c.references:
        refs = "; ".join(f"{r.title} ({r.ref})" for r in c.references)
        blocks.append(Paragraph(Small(f"References: {refs}")))
    ordered = sorted(c.findings, key=lambda f: (f.kind != "strength", -f.score))
    rated = {r.role: evaluator_letters(r) for r in c.ratings}
    blocks += [_finding(f, rated.get(f.role, "")) for f in ordered]
    if c.not_observed:
        names = ", ".join(short_name(names_of.get(r, r)) for r in c.not_observed)
        blocks.append(Paragraph(Small(f"Not observed for: {names}")))
    elif not c.findings:
        blocks.append(Paragraph(Small("Applies to no role of this scenario.")))
    return Group(_criterion_title(c), blocks, style="criterion", level=4)


def _finding(f: Finding, letters: str) -> FindingCard:
    """A finding's card: the evaluators' letter when they rated it, else the engine's score
    said to be one."""
    strength = f.kind == "strength"
    return FindingCard(
        label="Strength" if strength else "Area for improvement",
        style=f"finding {f.kind}" + (" capped" if f.caps else ""),
        rating=[Rating(letters), Small("evaluators' rating")] if letters else Small("engine score"),
        score=pct(f.score),
        statement=f.statement,
        role_name=f.role_name,
        analysis=f.analysis,
        look_fors_label=(
            "Look-fors not yet evidenced, to extend this"
            if strength
            else "Look-fors not evidenced in the log"
        ),
        look_fors=f.missed_look_fors,
        reference=f.reference or "—",
        seqs=Seqs(f.seqs),
    )


# -- 6. decision log ------------------------------------------------------------------------


def decisions(aar: AAR) -> Section:
    roles = [(r.id, short_name(r.name)) for r in aar.overview.roles if r.kind != "control"]
    shown = budget.decisions(aar)
    blocks: list[Block] = [
        Figure(
            svg.response_times(roles, aar.decisions, aar.missed_decisions),
            "Response times: each decision's delay as a share of the time allowed "
            "(dashed line: due time).",
        ),
        *_budget(shown.note),
        Table(
            ["#", "Time", "Role", "Inject", "Decision", "Timeliness", "Rationale", "Consequences"],
            [_decision_row(d) for d in shown.items],
        ),
    ]
    if aar.missed_decisions:
        blocks += [
            Heading("Decisions not taken"),
            Table(
                ["Inject", "Role", "Delivered", "Phase", "Events"],
                [
                    [
                        [Strong(m.inject), m.inject_title],
                        m.role_name,
                        short_date(m.clock),
                        phase_name(m.phase),
                        Seqs(m.seqs),
                    ]
                    for m in aar.missed_decisions
                ],
            ),
        ]
    return Section("decisions", "6", "Decision log", "Decisions", blocks, major=True)


def _decision_row(d: Decision) -> list[Inline]:
    chosen: list[Inline] = [Strong(d.option), d.option_text] if d.option else [d.text]
    if d.outcome:
        chosen.append(Small(d.outcome))
    if d.confidence is not None:
        chosen.append(Small(f"confidence {d.confidence}/5"))
    consequences: list[Inline] = [
        f"{c.variable} {c.old:g}→{c.new:g}"
        if c.via == "option"
        else [f"{c.variable} {c.old:g}→{c.new:g}", Small(f"({c.via})")]
        for c in d.consequences
    ]
    consequences += [f"triggers {i}" for i in d.triggered]
    return [
        Seqs([d.seq]),
        short_date(d.clock),
        d.role_name,
        [Strong(d.inject), d.inject_title],
        chosen,
        Tag(timing(d), "tag late" if d.late else "tag ok"),
        d.rationale,
        Lines(consequences),
    ]


# -- 7. situation variables -----------------------------------------------------------------


def variables(aar: AAR) -> Section:
    if not aar.variables:
        blocks: list[Block] = [Note("This scenario tracks no situation variables.")]
        return Section("variables", "7", "Situation variables", "Variables", blocks)
    ticks = _tick_labels(aar)
    end = aar.overview.duration_s
    charts = [Figure(svg.variable_chart(v, aar.timeline.phases, end, ticks)) for v in aar.variables]
    phases = list(dict.fromkeys(p.phase for p in aar.timeline.phases))
    table = Table(
        [
            "Variable",
            "Better",
            "Start",
            *(f"End of {phase_name(p)}" for p in phases),
            "Final",
            "Range",
            "Changes",
        ],
        [
            [
                Strong(v.label),
                v.better or "—",
                f"{v.initial:g}",
                *(f"{v.at_phase_end[p]:g}" if p in v.at_phase_end else "—" for p in phases),
                Strong(f"{v.final:g}"),
                f"{v.low:g}–{v.high:g}",
                f"{len(v.points) - 1:,}",
            ]
            for v in aar.variables
        ],
    )
    blocks = [Group("", charts, style="small-multiples", level=0), table]
    return Section("variables", "7", "Situation variables", "Variables", blocks)


def _tick_labels(aar: AAR) -> Callable[[int], str]:
    """Axis labels from the scenario clock: the day and time, or T+ offsets."""
    start = aar.overview.scenario_start
    if start.startswith("T+"):
        return lambda t: f"T+{duration(t)}"
    origin = parse_clock(start)
    shown = "%d %b %H:%M" if is_dated(start) else "%H:%M"  # an undated clock reads "06:00"
    return lambda t: (origin + dt.timedelta(seconds=t)).strftime(shown)


# -- 8. coordination ------------------------------------------------------------------------


def coordination(aar: AAR) -> Section:
    roles = [r for r in aar.overview.roles if r.kind != "control"]
    pairs = {}
    for p in aar.coordination:
        pairs[(p.roles[0], p.roles[1])] = pairs[(p.roles[1], p.roles[0])] = p
    matrix = []
    for a in roles:
        row: list[Inline] = [Strong(a.name)]
        for b in roles:
            found = pairs.get((a.id, b.id))
            if a.id == b.id:
                row.append("")
            else:
                row.append(
                    Level(found.level, found.level_title) if found else Level(0, "Coexistence")
                )
        matrix.append(row)
    names = {r.id: r.name for r in roles}
    active = [p for p in aar.coordination if p.level > 0]
    blocks: list[Block] = [
        Note(
            "The highest level of the integration spectrum each pair of roles reached: "
            "communication (a message), information sharing (an inject shared), formal "
            "coordination (exchanges about an inject both had, before answering it), "
            "cooperation (joint choices a scenario rule rewarded). Higher is not always "
            "better: a role's mandate or principles may call for less."
        ),
        Table(["", *(short_name(r.name) for r in roles)], matrix),
    ]
    if active:
        blocks.append(
            Table(
                ["Roles", "Level", "Messages", "Shares", "Joint rules", "Events"],
                [
                    [
                        " — ".join(names.get(r, r) for r in p.roles),
                        p.level_title,
                        f"{p.messages:,}",
                        f"{p.shares:,}",
                        f"{p.joint_rules:,}",
                        Seqs(p.seqs, 6),
                    ]
                    for p in active
                ],
                numeric=frozenset({2, 3, 4}),
            )
        )
    return Section(
        "coordination", "8", "Coordination along the integration spectrum", "Coordination", blocks
    )


# -- 9. hot wash ----------------------------------------------------------------------------


def hot_wash(aar: AAR) -> Section:
    blocks: list[Block] = [
        Note(
            "For the facilitator, one block per objective: the four AAR questions, answered "
            "from the log with the events behind each line. Evaluators do not prompt players "
            "during play; these are for the hot wash and the after-action meeting."
        )
    ]
    for item in aar.hot_wash:
        questions: list[Block] = [
            Group(question, [Bullets(getattr(item, name))], style="q", level=0)
            for question, name in HOT_WASH_QUESTIONS
            if getattr(item, name)
        ]
        blocks.append(Group(f"{item.topic}: {item.title}", questions, style="hw"))
    return Section("hotwash", "9", "Hot wash", "Hot wash", blocks, major=True)


# -- 10. improvement plan -------------------------------------------------------------------


def plan(aar: AAR) -> Section:
    blocks: list[Block] = [
        Note(
            "Proposed rows for the after-action meeting to approve, amend or drop, naming a "
            "point of contact in the responsible organization and the start and completion "
            "dates (left blank to fill in). POETE element: Planning, Organization, Equipment, "
            "Training, Exercise."
        ),
        Table(
            [
                "#",
                "Issue",
                "Corrective action",
                "POETE",
                "Responsible (training audience)",
                "Point of contact",
                "Start",
                "Completion",
                "Priority",
            ],
            [
                [
                    str(i),
                    [x.issue, Small(x.reference)],
                    x.corrective_action,
                    Tag(x.element, "poete"),
                    x.responsible,
                    x.point_of_contact or BLANK,
                    x.start_date or BLANK,
                    x.completion_date or BLANK,
                    Tag(x.priority, f"prio {x.priority}"),
                ]
                for i, x in enumerate(aar.improvement_plan, 1)
            ],
        ),
    ]
    return Section("plan", "10", "Improvement plan", "Improvement plan", blocks, major=True)


# -- 11. observations -----------------------------------------------------------------------


def observations(aar: AAR) -> Section:
    title = "Evaluator observations"
    if not aar.observations:
        blocks: list[Block] = [Note("No evaluator observation was recorded.")]
        return Section("observations", "11", title, "Observations", blocks)
    shown = budget.observations(aar)
    blocks = list(_budget(shown.note))
    counts = Counter(o.evaluator for o in aar.observations)
    for evaluator in sorted(counts):
        rows = [
            [
                Seqs([o.seq]),
                short_date(o.clock),
                o.role_name,
                o.criterion,
                Rating(o.rating) if o.counted else [Rating(o.rating), Small("not counted")],
                o.inject or "",
                o.note,
            ]
            for o in shown.items
            if o.evaluator == evaluator
        ]
        blocks += [
            Heading(f"{evaluator} ({counts[evaluator]:,})"),
            Table(["#", "Time", "Role", "Criterion", "Rating", "Inject", "Note"], rows),
        ]
    return Section("observations", "11", title, "Observations", blocks)


# -- appendix and approval ------------------------------------------------------------------


def appendix(aar: AAR) -> Section:
    shown = budget.appendix(aar)
    names = {r.id: short_name(r.name) for r in aar.overview.roles}
    table = Table(
        [
            "Inject",
            "Title / controller notes",
            "Phase · timing · channel",
            "From → to",
            "Delivered",
            "Responses",
        ],
        [_inject_row(r, names) for r in shown.items],
    )
    blocks: list[Block] = [*_budget(shown.note), table]
    return Section("appendix", "A", "Injects and responses", "Appendix", blocks, major=True)


def _inject_row(r: InjectRecord, names: dict[str, str]) -> list[Inline]:
    """An inject's row: who it went to and who answered by role name, never by id."""
    flag: list[Inline] = []
    if r.contingency:
        flag = [Tag("contingency", "tag contingency")]
    elif r.adhoc:
        flag = [Tag("ad hoc", "tag adhoc")]
    title: list[Inline] = [r.title]
    if r.notes:
        title.append(Small(" ".join(r.notes.split())))
    delivered: Inline = (
        Lines(
            [
                f"{names.get(str(d['role']), d['role'])} {short_date(str(d['clock']))}"
                for d in r.delivered
            ]
        )
        if r.delivered
        else Tag("not delivered", "tag never")
    )
    answers: Inline = Lines(
        [
            [
                f"{names.get(x.role, x.role)}:",
                Strong(x.option) if x.option else x.text,
                Seqs([x.seq]),
                *([Tag("late", "tag late")] if x.late else []),
            ]
            for x in r.responses
        ]
    )
    if not r.responses and r.asked:
        answers = Small(f"asked {', '.join(names.get(a, a) for a in r.asked)}; no answer")
    return [
        [Strong(r.id), *flag],
        title,
        f"{phase_name(r.phase) if r.phase else 'any phase'} · {r.timing} · {r.channel}",
        f"{r.sender or '—'} → {', '.join(names.get(t, t) for t in r.to) or '—'}",
        delivered,
        answers,
    ]


def approval(aar: AAR) -> Section:
    scale = "; ".join(
        f"{lv.code} = {lv.label} ({points(lv.points)} pts)" for lv in aar.scores.scale
    )
    blocks: list[Block] = [
        *(Paragraph(line) for line in evaluators_did(aar)),
        Signatures([*(aar.overview.evaluators or ["Lead evaluator"]), "Exercise director"]),
        Paragraph(Small(f"Rating scale: {scale}; {aar.scores.not_observed} = not observed.")),
    ]
    return Section("approval", "", "Approval", "Approval", blocks)


def evaluators_did(aar: AAR) -> list[str]:
    """What the evaluators actually did, for the approval block: who rated what, when, and how
    much of the review rests on the engine's option points alone."""
    ended = aar.overview.duration_s if aar.overview.ended else None
    lines = []
    by: dict[str, list] = {}
    for o in aar.observations:
        by.setdefault(o.evaluator, []).append(o)
    for name, seen in sorted(by.items()):
        counted = [o for o in seen if o.counted]
        after = sum(1 for o in seen if ended is not None and o.t >= ended)
        criteria = sorted({o.criterion for o in counted})
        roles = {o.role for o in counted}
        when = (
            f"{len(seen) - after} during play and {after} after ENDEX"
            if after and after < len(seen)
            else ("all after ENDEX" if after else "all during play")
        )
        lines.append(
            f"{name} recorded {len(seen)} observation{'s' if len(seen) != 1 else ''} "
            f"({len(counted)} counted in the scores), {when}, rating "
            f"{', '.join(criteria[:8]) or 'nothing the rubric could use'}"
            + (f" and {len(criteria) - 8} more" if len(criteria) > 8 else "")
            + f" for {len(roles)} role{'s' if len(roles) != 1 else ''}."
        )
    cells = [r for d in aar.analysis for c in d.criteria for r in c.ratings if r.score is not None]
    rated = sum(1 for r in cells if r.evaluator_points is not None)
    if not by:
        lines.append(
            "No evaluator recorded an observation in this session: every score in this review "
            "was computed by the engine from the options chosen, the answer times and the "
            "exchanges between roles. A signature confirms the review as read, not as rated."
        )
    else:
        lines.append(
            f"Evaluators rated {rated} of the {len(cells)} criterion scores of this review; "
            "the others come from the options chosen alone. By signing, the evaluators "
            "confirm its findings against their observations."
        )
    lines.append("The after-action meeting approves, amends or drops the improvement plan.")
    return lines


def _budget(note: str) -> list[Block]:
    """The note saying what a reading budget left out, when it left something out."""
    return [Note(note, budget=True)] if note else []


SECTIONS: tuple[Callable[[AAR], Section], ...] = (
    overview,
    summary,
    scores,
    timeline,
    analysis,
    decisions,
    variables,
    coordination,
    hot_wash,
    plan,
    observations,
    appendix,
    approval,
)
"""The sections in reading order."""
