"""The AAR as Markdown that renders on GitHub (tables, no HTML beyond line breaks).

Every text that comes from content or from players goes through ``neutralise.markdown_inline``
(here as ``md``, and inside ``cell``): it stays on its line and shows as written, so a title
cannot forge a heading and an answer cannot smuggle in a link or a tracking image.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from exercise_engine.neutralise import markdown_inline as md
from exercise_engine.report import budget
from exercise_engine.report.findings import timing
from exercise_engine.report.model import AAR, CriterionAnalysis, Finding, InjectRecord
from exercise_engine.report.text import duration, pct

SEQ_LIMIT = 12


def cell(value: object) -> str:
    """A table cell: text neutralised (``md``), pipes escaped."""
    return md(value).replace("|", "\\|")


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return [*lines, ""]


def seqs(values: Sequence[int], limit: int = SEQ_LIMIT) -> str:
    """Event references as ``#12, #13`` (cut after ``limit``)."""
    shown = ", ".join(f"#{s}" for s in values[:limit])
    return shown + (f" … (+{len(values) - limit})" if len(values) > limit else "")


def render(aar: AAR) -> str:
    out: list[str] = []
    for section in (
        _title,
        _overview,
        _summary,
        _scores,
        _timeline,
        _analysis,
        _decisions,
        _variables,
        _coordination,
        _hot_wash,
        _plan,
        _observations,
        _appendix,
        _signatures,
    ):
        out += section(aar)
    # No raw HTML from players' words: GitHub would render a '<tag>' in their text.
    return "\n".join(out).rstrip().replace("<", "&lt;") + "\n"


def _title(aar: AAR) -> list[str]:
    o = aar.overview
    return [
        f"# After-action review: {md(o.title)}",
        "",
        f"*{md(o.scenario_id)} · session {md(o.session.id or '—')} · rubric {md(o.rubric_id)} · "
        f"{aar.generated_by} · {aar.format}*",
        "",
        f"> {md(aar.rubric_note)}",
        "",
    ]


def _overview(aar: AAR) -> list[str]:
    o = aar.overview
    out = ["## 1. Exercise overview", ""]
    if o.summary:
        out += [md(o.summary), ""]
    out += table(
        ["", ""],
        [
            ("Scenario", f"{o.title} (`{o.scenario_id}`)"),
            ("Rubric", f"{o.rubric_title} (`{o.rubric_id}`)"),
            (
                "Session",
                f"{o.session.id or '—'} {o.session.label}".strip()
                + (f", seed {o.session.seed}" if o.session.seed is not None else "")
                + (f", bot policy {o.session.policy}" if o.session.policy else ""),
            ),
            (
                "Scenario time",
                f"{o.scenario_start} → {o.scenario_end} ({duration(o.duration_s)}, "
                f"{o.clock_mode} clock)",
            ),
            (
                "Wall-clock time",
                f"{o.wall_start or '—'} → {o.wall_end or '—'} ({duration(o.wall_duration_s)})",
            ),
            ("Play ended", o.ended or "not yet (provisional report)"),
            ("Phases reached", ", ".join(o.phases_reached) or "none"),
            ("Injects delivered", f"{o.injects_delivered:,} of {o.injects_total:,}"),
            ("Events", f"{o.events:,} (last seq #{o.last_seq})"),
            ("Evaluators", ", ".join(o.evaluators) or "none recorded"),
        ],
    )
    out += ["### Roles and participants", ""]
    out += table(
        ["Role", "Name", "Participants", "Score", "Rating"],
        [
            (
                f"`{r.id}`",
                r.name,
                ", ".join(p.name for p in r.participants) or "—",
                pct(r.score),
                r.rating,
            )
            for r in o.roles
        ],
    )
    if o.objectives:
        out += ["### Objectives", ""]
        out += table(
            ["Objective", "Criteria", "Score", "Rating"],
            [
                (f"**{ob.id}** {ob.text}", ", ".join(ob.criteria), pct(ob.score), ob.rating)
                for ob in o.objectives
            ],
        )
    return out


def _summary(aar: AAR) -> list[str]:
    s = aar.summary
    out = [
        "## 2. Executive summary",
        "",
        f"**Overall: {pct(s.overall)}/100 — {s.rating} ({s.rating_label})**",
        "",
    ]
    out += [f"- {md(line)}" for line in s.verdict] + [""]
    if s.strengths:
        out += ["**Strengths**", ""]
        out += [
            f"- {md(h.role_name)}: {md(h.criterion)} {md(h.title)} — {md(h.rating)} "
            f"({pct(h.score)}) [{seqs(h.seqs, 4)}]"
            for h in s.strengths
        ] + [""]
    if s.improvements:
        out += ["**Areas for improvement**", ""]
        out += [
            f"- {md(h.role_name)}: {md(h.criterion)} {md(h.title)} — {md(h.rating)} "
            f"({pct(h.score)}) [{seqs(h.seqs, 4)}]"
            for h in s.improvements
        ] + [""]
    return out


def _scores(aar: AAR) -> list[str]:
    sc = aar.scores
    dims = [d.id for d in aar.analysis]
    out = [
        "## 3. Scores",
        "",
        f"Scores are 0-100. A role's total weighs the rubric decisions "
        f"{sc.weights['decisions']:.0%}, timeliness {sc.weights['timeliness']:.0%} and "
        f"coordination {sc.weights['coordination']:.0%} (parts not observed are left out). "
        f"Evaluator ratings weigh {sc.evaluator_weight:g}× the option points of a criterion"
        + (
            f"; a critical criterion at the bottom of the scale caps its dimension at "
            f"{sc.critical_cap}"
            if sc.critical_cap
            else ""
        )
        + ". See docs/scoring.md.",
        "",
    ]
    out += table(
        ["Role", "Total", "Rating", *dims, "Decisions", "Timeliness", "Coordination"],
        [
            (
                r.name,
                pct(r.total),
                r.rating,
                *(pct(d.score) + (" (capped)" if d.capped else "") for d in r.dimensions),
                pct(r.decisions),
                pct(r.timeliness),
                pct(r.coordination),
            )
            for r in sc.roles
        ],
    )
    if sc.phases:
        out += ["**By phase**", ""]
        out += table(
            ["Role", *(p.phase for p in sc.phases)],
            [
                *((r.name, *(pct(r.phases.get(p.phase)) for p in sc.phases)) for r in sc.roles),
                ("**All roles**", *(f"**{pct(p.overall)}**" for p in sc.phases)),
            ],
        )
    if sc.ignored:
        out += ["**Evidence the rubric could not use**", ""]
        out += [f"- {md(line)}" for line in sc.ignored[:20]]
        out += ([f"- … and {len(sc.ignored) - 20} more"] if len(sc.ignored) > 20 else []) + [""]
    return out


def _timeline(aar: AAR) -> list[str]:
    t = aar.timeline
    out = ["## 4. Timeline", "", "### Phases", ""]
    out += table(
        ["Phase", "From", "To", "Length", "Entered because"],
        [
            (p.phase, p.start, p.end, duration(p.end_t - p.start_t), p.condition or p.cause)
            for p in t.phases
        ],
    )
    shown = budget.key_events(aar)
    out += ["### Key events", "", *_note(shown.note)]
    out += table(
        ["#", "Time", "Phase", "Event", "Detail", "To"],
        [
            (
                e.seq,
                e.clock,
                e.phase,
                ("**Contingency** " if e.kind == "contingency" else "") + e.title,
                e.detail,
                ", ".join(e.roles),
            )
            for e in shown.items
        ],
    )
    if t.undelivered:
        out += ["### Injects not delivered", ""]
        out += table(
            ["Inject", "Title", "Phase", "Timing", "Why"],
            [
                (
                    u.inject + (" (contingency)" if u.contingency else ""),
                    u.title,
                    u.phase or "—",
                    u.timing,
                    u.reason,
                )
                for u in t.undelivered
            ],
        )
    return out


def _analysis(aar: AAR) -> list[str]:
    out = ["## 5. Analysis by dimension and criterion", ""]
    roles = [r.id for r in aar.overview.roles if r.kind != "control"]
    names = {r.id: r.name for r in aar.overview.roles}
    for dimension in aar.analysis:
        out += [f"### {md(dimension.title)}", ""]
        rows = []
        for c in dimension.criteria:
            by_role = {r.role: r for r in c.ratings}
            rows.append(
                (
                    f"{c.id}{' ⚑' if c.critical else ''} {c.title}",
                    *(
                        f"{by_role[r].rating} ({pct(by_role[r].score)})"
                        if r in by_role
                        else ("N/O" if r in c.not_observed else "")
                        for r in roles
                    ),
                )
            )
        out += table(["Criterion", *(names[r] for r in roles)], rows)
        for c in dimension.criteria:
            out += _criterion(c)
    out += ["⚑ critical criterion. N/O: applies to the role, not observed.", ""]
    return out


def _criterion(c: CriterionAnalysis) -> list[str]:
    out = [f"#### {md(c.id)} {md(c.title)}" + (" (critical)" if c.critical else ""), ""]
    if c.doctrine:
        out += [f"*Doctrine:* {md(c.doctrine)}", ""]
    if c.references:
        out += [
            "*References:* " + "; ".join(f"{md(r.title)} ({md(r.ref)})" for r in c.references),
            "",
        ]
    strengths = [f for f in c.findings if f.kind == "strength"]
    improvements = [f for f in c.findings if f.kind == "improvement"]
    if strengths:
        out += ["**Strengths**", ""] + [_finding(f) for f in strengths] + [""]
    if improvements:
        out += ["**Areas for improvement**", ""] + [_finding(f) for f in improvements] + [""]
    if c.not_observed:
        out += [f"*Not observed for:* {md(', '.join(c.not_observed))}", ""]
    if not c.findings and not c.not_observed:
        out += ["*Not applicable to the roles of this scenario.*", ""]
    return out


def _finding(f: Finding) -> str:
    ref = f" *Reference:* {md(f.reference)}." if f.reference else ""
    return f"- **{md(f.statement)}.** {md(f.analysis)}{ref} *Events:* {seqs(f.seqs)}"


def _decisions(aar: AAR) -> list[str]:
    out = ["## 6. Decision log", ""]
    shown = budget.decisions(aar)
    out += _note(shown.note)
    out += table(
        ["#", "Time", "Role", "Inject", "Decision", "Timeliness", "Rationale", "Consequences"],
        [
            (
                d.seq,
                d.clock,
                d.role_name,
                f"{d.inject} {d.inject_title}",
                (f"**{d.option}** {d.option_text}" if d.option else d.text),
                timing(d),
                d.rationale,
                "; ".join(
                    [
                        *(
                            f"{c.variable} {c.old:g}→{c.new:g}"
                            + ("" if c.via == "option" else f" ({c.via})")
                            for c in d.consequences
                        ),
                        *(f"triggers {i}" for i in d.triggered),
                    ]
                )
                + (f" — {d.outcome}" if d.outcome else ""),
            )
            for d in shown.items
        ],
    )
    if aar.missed_decisions:
        out += ["### Decisions not taken", ""]
        out += table(
            ["Inject", "Role", "Delivered", "Phase", "Events"],
            [
                (f"{m.inject} {m.inject_title}", m.role_name, m.clock, m.phase, seqs(m.seqs))
                for m in aar.missed_decisions
            ],
        )
    return out


def _variables(aar: AAR) -> list[str]:
    if not aar.variables:
        return []
    phases = [p.phase for p in aar.timeline.phases]
    phases = list(dict.fromkeys(phases))
    out = ["## 7. Situation variables", ""]
    out += table(
        [
            "Variable",
            "Better",
            "Start",
            *(f"end of {p}" for p in phases),
            "Final",
            "Range",
            "Changes",
        ],
        [
            (
                v.label,
                v.better or "—",
                f"{v.initial:g}",
                *(f"{v.at_phase_end[p]:g}" if p in v.at_phase_end else "—" for p in phases),
                f"**{v.final:g}**",
                f"{v.low:g}–{v.high:g}",
                len(v.points) - 1,
            )
            for v in aar.variables
        ],
    )
    return out


def _coordination(aar: AAR) -> list[str]:
    names = {r.id: r.name for r in aar.overview.roles}
    out = ["## 8. Coordination along the integration spectrum", ""]
    out += table(
        ["Roles", "Highest level", "Messages", "Shares", "Joint rules", "Events"],
        [
            (
                f"{names.get(p.roles[0], p.roles[0])} — {names.get(p.roles[1], p.roles[1])}",
                p.level_title,
                p.messages,
                p.shares,
                p.joint_rules,
                seqs(p.seqs, 6),
            )
            for p in aar.coordination
        ],
    )
    return out


def _hot_wash(aar: AAR) -> list[str]:
    out = [
        "## 9. Hot wash",
        "",
        "Prompts for the facilitator, one block per objective. Evaluators do not prompt "
        "players during play; these questions are for the hot wash and the after-action "
        "meeting.",
        "",
    ]
    questions = (
        ("What was supposed to happen?", "supposed"),
        ("What happened?", "happened"),
        ("Why was there a difference?", "why"),
        ("What should we sustain?", "sustain"),
        ("What should we improve?", "improve"),
    )
    for item in aar.hot_wash:
        out += [f"### {md(item.topic)}: {md(item.title)}", ""]
        for question, name in questions:
            lines = getattr(item, name)
            if lines:
                out += [f"**{question}**", ""] + [f"- {md(line)}" for line in lines] + [""]
    return out


def _plan(aar: AAR) -> list[str]:
    out = [
        "## 10. Improvement plan",
        "",
        "Proposed rows for the after-action meeting to approve, amend or drop. POETE: "
        "Planning, Organization, Equipment, Training, Exercise.",
        "",
    ]
    out += table(
        ["#", "Issue", "Corrective action", "POETE", "Responsible", "Priority", "Reference"],
        [
            (
                i,
                item.issue,
                item.corrective_action,
                item.element,
                item.role_name,
                item.priority,
                item.reference,
            )
            for i, item in enumerate(aar.improvement_plan, 1)
        ],
    )
    return out


def _observations(aar: AAR) -> list[str]:
    out = ["## 11. Evaluator observations", ""]
    if not aar.observations:
        return [*out, "No evaluator observation was recorded.", ""]
    shown = budget.observations(aar)
    out += _note(shown.note)
    counts = Counter(o.evaluator for o in aar.observations)
    for evaluator in sorted(counts):
        mine = [o for o in shown.items if o.evaluator == evaluator]
        out += [f"### {md(evaluator)} ({counts[evaluator]})", ""]
        out += table(
            ["#", "Time", "Role", "Criterion", "Rating", "Inject", "Note"],
            [
                (
                    o.seq,
                    o.clock,
                    o.role_name,
                    o.criterion,
                    o.rating + ("" if o.counted else " (not counted)"),
                    o.inject or "",
                    o.note,
                )
                for o in mine
            ],
        )
    return out


def _appendix(aar: AAR) -> list[str]:
    shown = budget.appendix(aar)
    out = ["## Appendix A. Injects and responses", "", *_note(shown.note)]
    for record in shown.items:
        out += _inject(record)
    return out


def _inject(r: InjectRecord) -> list[str]:
    flags = " (contingency)" if r.contingency else (" (ad hoc)" if r.adhoc else "")
    out = [f"### {md(r.id)} {md(r.title)}{flags}", ""]
    delivered = ", ".join(f"{d['role']} {d['clock']} (#{d['seq']})" for d in r.delivered)
    out += [
        md(
            f"{r.channel} from {r.sender or '—'} to {', '.join(r.to) or '—'}; "
            f"{r.phase or 'any phase'}, {r.timing}. "
        )
        + (f" Delivered: {md(delivered)}." if delivered else " **Not delivered.**"),
        "",
    ]
    if r.notes:
        out += [f"*Controller notes:* {md(r.notes)}", ""]
    if r.responses:
        out += table(
            ["#", "Role", "Answer", "After", "On time"],
            [
                (
                    x.seq,
                    x.role,
                    x.option or x.text,
                    duration(x.delay_s),
                    "late" if x.late else "yes",
                )
                for x in r.responses
            ],
        )
    elif r.asked:
        out += [f"Asked {md(', '.join(r.asked))}; no answer recorded.", ""]
    return out


def _note(text: str) -> list[str]:
    return [f"*{md(text)}*", ""] if text else []


def _signatures(aar: AAR) -> list[str]:
    out = [
        "## Approval",
        "",
        "This review was computed from the event log and the rubric; the evaluators below "
        "have checked its findings against their observations.",
        "",
    ]
    names = aar.overview.evaluators or ["Lead evaluator"]
    return out + table(["Evaluator", "Signature", "Date"], [(n, "", "") for n in names])
