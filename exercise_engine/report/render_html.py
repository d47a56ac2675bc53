"""The AAR as one self-contained HTML file: inline CSS and SVG, no script, no external URL.

It is meant to be read on screen and printed to PDF from any browser (A4, sections on new
pages, colours kept). Everything shown is escaped; the only markup is ours.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from html import escape
from importlib import resources

from exercise_engine.model.durations import parse_clock
from exercise_engine.report import budget, svg
from exercise_engine.report.findings import timing
from exercise_engine.report.model import (
    AAR,
    CriterionAnalysis,
    DimensionAnalysis,
    Finding,
    RoleScores,
)
from exercise_engine.report.text import duration, pct, points, short_name

SECTIONS = (
    ("overview", "Overview"),
    ("summary", "Summary"),
    ("scores", "Scores"),
    ("timeline", "Timeline"),
    ("analysis", "Analysis"),
    ("decisions", "Decisions"),
    ("variables", "Variables"),
    ("coordination", "Coordination"),
    ("hotwash", "Hot wash"),
    ("plan", "Improvement plan"),
    ("observations", "Observations"),
    ("appendix", "Appendix"),
)
SEQ_LIMIT = 10


def e(value: object) -> str:
    return escape("" if value is None else str(value))


def css() -> str:
    return resources.files("exercise_engine.report").joinpath("aar.css").read_text("utf-8")


def chip(code: str) -> str:
    cls = code if code in ("P", "S", "M", "U") else "NO"
    return f'<span class="chip {cls}">{e(code)}</span>'


def cell_class(code: str) -> str:
    return f"cell-{code}" if code in ("P", "S", "M", "U") else "cell-NO"


def seqs(values: Sequence[int], limit: int = SEQ_LIMIT) -> str:
    shown = " ".join(f"#{s}" for s in values[:limit])
    more = f" +{len(values) - limit}" if len(values) > limit else ""
    return f'<span class="seq">{shown}{more}</span>' if values else ""


def table(
    header: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "", numeric: Sequence[int] = ()
) -> str:
    """A table from pre-escaped cells; ``numeric`` column indexes align right."""
    head = "".join(
        f"<th{' class=num' if i in numeric else ''}>{h}</th>" for i, h in enumerate(header)
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=num' if i in numeric else ''}>{c}</td>" for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    klass = f' class="{cls}"' if cls else ""
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def section(key: str, number: int, title: str, body: str, major: bool = False) -> str:
    cls = ' class="major"' if major else ""
    return (
        f'<section id="{key}"{cls}><h2><span class="no">{number}</span>{e(title)}</h2>'
        f"{body}</section>"
    )


def render(aar: AAR) -> str:
    o = aar.overview
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>After-action review — {e(o.title)}</title>",
        f"<style>{css()}</style></head><body>",
        _cover(aar),
        _toc(),
        '<main class="page">',
        section("overview", 1, "Exercise overview", _overview(aar)),
        section("summary", 2, "Executive summary", _summary(aar)),
        section("scores", 3, "Scores", _scores(aar), major=True),
        section("timeline", 4, "Timeline of phases and key events", _timeline(aar), major=True),
        section("analysis", 5, "Analysis by dimension and criterion", _analysis(aar), major=True),
        section("decisions", 6, "Decision log", _decisions(aar), major=True),
        section("variables", 7, "Situation variables over time", _variables(aar)),
        section(
            "coordination", 8, "Coordination along the integration spectrum", _coordination(aar)
        ),
        section("hotwash", 9, "Hot wash", _hot_wash(aar), major=True),
        section("plan", 10, "Improvement plan", _plan(aar), major=True),
        section("observations", 11, "Evaluator observations", _observations(aar)),
        section("appendix", 12, "Appendix: injects and responses", _appendix(aar), major=True),
        section("approval", 13, "Approval", _approval(aar)),
        f"<footer>{e(aar.generated_by)} · {e(aar.format)} · computed from {o.events:,} events "
        f"(last #{o.last_seq}) · {e(aar.rubric_note)}</footer>",
        "</main></body></html>",
    ]
    return "\n".join(parts) + "\n"


# -- cover and navigation -------------------------------------------------------------------


def _cover(aar: AAR) -> str:
    o, s = aar.overview, aar.summary
    colour = f"var(--{s.rating})" if s.rating in ("P", "S", "M", "U") else "var(--NO)"
    facts = [
        ("Scenario time", f"{o.scenario_start} → {o.scenario_end}"),
        ("Duration", f"{duration(o.duration_s)} scenario"),
        ("Phases reached", ", ".join(o.phases_reached) or "none"),
        ("Session", o.session.id or "—"),
        ("Rubric", o.rubric_id),
        ("Evaluators", ", ".join(o.evaluators) or "none recorded"),
    ]
    dl = "".join(f"<div><dt>{e(k)}</dt><dd>{e(v)}</dd></div>" for k, v in facts)
    status = "" if o.ended else " · provisional: play has not ended"
    return (
        '<header class="cover"><div class="page"><div>'
        f'<div class="kicker">After-action review · Protection of Civilians exercise{status}'
        f'</div><h1>{e(o.title)}</h1><p class="lead">{e(" ".join(o.summary.split()))}</p>'
        f'<dl class="facts">{dl}</dl></div>'
        f'<div class="badge" style="--c: {colour}"><div><span class="num">{pct(s.overall)}'
        f'</span><span class="of">/100</span></div><span class="code">{e(s.rating)}</span>'
        f'<span class="lbl">{e(s.rating_label)}</span></div></div></header>'
    )


def _toc() -> str:
    links = "".join(
        f'<a href="#{k}"><span>{i}</span>{e(t)}</a>' for i, (k, t) in enumerate(SECTIONS, 1)
    )
    return f'<nav class="toc"><div class="page">{links}</div></nav>'


# -- sections -------------------------------------------------------------------------------


def _overview(aar: AAR) -> str:
    o = aar.overview
    session = " ".join(x for x in (o.session.id, o.session.label) if x) or "—"
    if o.session.seed is not None:
        session += f" · seed {o.session.seed}"
    if o.session.policy:
        session += f" · bot policy {o.session.policy}"
    rows = [
        ("Scenario", f"{e(o.title)} <span class=mono>{e(o.scenario_id)}</span>"),
        ("Rubric", f"{e(o.rubric_title)} <span class=mono>{e(o.rubric_id)}</span>"),
        ("Session", e(session)),
        (
            "Scenario time",
            e(
                f"{o.scenario_start} → {o.scenario_end} "
                f"({duration(o.duration_s)}, {o.clock_mode} clock)"
            ),
        ),
        (
            "Wall-clock time",
            e(f"{o.wall_start or '—'} → {o.wall_end or '—'} ({duration(o.wall_duration_s)})"),
        ),
        ("Play ended", e(o.ended or "not yet: this report is provisional")),
        ("Injects delivered", e(f"{o.injects_delivered:,} of {o.injects_total:,}")),
        ("Event log", e(f"{o.events:,} events, last #{o.last_seq}")),
    ]
    out = [table(["", ""], rows, "kv"), "<h3>Roles and participants</h3>"]
    out.append(
        table(
            ["Role", "Pillars", "Participants", "Score", "Rating"],
            [
                (
                    f"<b>{e(r.name)}</b><br><span class=mono>{e(r.id)}</span>",
                    e(", ".join(str(p) for p in r.pillars) or "—"),
                    e(", ".join(p.name for p in r.participants) or "—"),
                    pct(r.score),
                    chip(r.rating),
                )
                for r in o.roles
            ],
            numeric=(3,),
        )
    )
    if o.objectives:
        out.append("<h3>Objectives</h3>")
        out.append(
            table(
                ["Objective", "Criteria", "Score", "Rating"],
                [
                    (
                        f"<b>{e(ob.id)}</b> {e(ob.text)}",
                        e(", ".join(ob.criteria)),
                        pct(ob.score),
                        chip(ob.rating),
                    )
                    for ob in o.objectives
                ],
                numeric=(2,),
            )
        )
    return "".join(out)


def _summary(aar: AAR) -> str:
    s, o = aar.summary, aar.overview
    kpis = [
        (f"{pct(s.overall)}", f"overall score ({s.rating})"),
        (f"{s.on_time:,}/{s.decisions:,}", "decisions on time"),
        (f"{s.missed:,}", "required answers never given"),
        (str(s.contingencies), "contingency injects fired"),
        (f"{len(o.phases_reached)}/3", "R2P phases reached"),
    ]
    out = [
        '<div class="kpis">'
        + "".join(f'<div class="kpi"><b>{e(v)}</b><span>{e(k)}</span></div>' for v, k in kpis)
        + "</div>"
    ]
    out.append('<ul class="verdict">' + "".join(f"<li>{e(v)}</li>" for v in s.verdict) + "</ul>")

    def items(highlights: list) -> str:
        if not highlights:
            return '<p class="note">None identified.</p>'
        return (
            "<ul>"
            + "".join(
                f"<li>{chip(h.rating)} <b>{e(h.role_name)}</b> — {e(h.criterion)} {e(h.title)} "
                f"({pct(h.score)}) {seqs(h.seqs, 4)}</li>"
                for h in highlights
            )
            + "</ul>"
        )

    out.append(
        f'<div class="two"><div class="panel good"><h3>Strengths</h3>'
        f'{items(s.strengths)}</div><div class="panel bad"><h3>Areas for improvement'
        f"</h3>{items(s.improvements)}</div></div>"
    )
    return "".join(out)


def _scores(aar: AAR) -> str:
    sc = aar.scores
    dims = [(d.id, d.title) for d in aar.analysis]
    levels = [svg.Level(lv.code, lv.score) for lv in sc.scale]
    w = sc.weights
    out = [
        f'<p class="note">Scores are 0-100: rubric points normalised. A role\'s total weighs '
        f"its decisions against the rubric {w['decisions']:.0%}, timeliness "
        f"{w['timeliness']:.0%} and coordination {w['coordination']:.0%}; evaluator ratings "
        f"weigh {sc.evaluator_weight:g}× the option points of a criterion"
        + (
            f"; a critical criterion rated at the bottom of the scale caps its dimension at "
            f"{e(sc.critical_cap)}"
            if sc.critical_cap
            else ""
        )
        + ".</p>",
        f"<figure>{svg.dimension_bars(sc.roles, dims, levels)}<figcaption>Scores by "
        "dimension for each role; gridlines mark the rating levels.</figcaption></figure>",
    ]
    header = ["Role", "Total", *(e(t) for _, t in dims), "Decisions", "Timeliness", "Coordination"]
    out.append(
        table(
            header,
            [_score_row(r) for r in sc.roles],
            numeric=(1, len(dims) + 2, len(dims) + 3, len(dims) + 4),
        )
    )
    if sc.phases:
        out.append("<h3>By phase</h3>")
        rows = [(e(r.name), *(pct(r.phases.get(p.phase)) for p in sc.phases)) for r in sc.roles]
        rows.append(
            ("<b>All roles</b>", *(f"<b>{pct(p.overall)}</b> {chip(p.rating)}" for p in sc.phases))
        )
        out.append(
            table(
                ["Role", *(e(p.phase) for p in sc.phases)],
                rows,
                numeric=tuple(range(1, len(sc.phases) + 1)),
            )
        )
    if sc.ignored:
        shown = sc.ignored[:12]
        more = f"<li>… and {len(sc.ignored) - 12} more</li>" if len(sc.ignored) > 12 else ""
        out.append(
            '<h3>Evidence the rubric could not use</h3><ul class="small">'
            + "".join(f"<li>{e(i)}</li>" for i in shown)
            + more
            + "</ul>"
        )
    return "".join(out)


def _score_row(r: RoleScores) -> list[str]:
    cells = [f"<b>{e(r.name)}</b>", f"<b>{pct(r.total)}</b> {chip(r.rating)}"]
    for d in r.dimensions:
        cap = ' <span class="cap">capped</span>' if d.capped else ""
        cells.append(f"{pct(d.score)} {chip(d.rating) if d.score is not None else ''}{cap}")
    cells += [pct(r.decisions), pct(r.timeliness), pct(r.coordination)]
    return cells


def _timeline(aar: AAR) -> str:
    t = aar.timeline
    total = sum(max(p.end_t - p.start_t, 0) for p in t.phases) or 1
    strip = "".join(
        f'<div class="ph-{e(p.phase)}" style="width: {_share(p.end_t - p.start_t, total)}%">'
        f"{e(p.phase.capitalize())} · {duration(p.end_t - p.start_t)}</div>"
        for p in t.phases
    )
    out = [f'<div class="strip">{strip}</div>']
    out.append(
        table(
            ["Phase", "From", "To", "Length", "Entered because"],
            [
                (
                    f"<b>{e(p.phase)}</b>",
                    e(p.start),
                    e(p.end),
                    duration(p.end_t - p.start_t),
                    e(p.condition or p.cause),
                )
                for p in t.phases
            ],
        )
    )
    shown = budget.key_events(aar)
    names = {r.id: short_name(r.name) for r in aar.overview.roles}
    out.append("<h3>Key events</h3>" + _note(shown.note))
    tags = {"contingency": "contingency", "adhoc": "ad hoc", "rule": "rule", "phase": "phase"}
    out.append(
        table(
            ["#", "Time", "Phase", "Event", "To / detail"],
            [
                (
                    f'<span class="seq">#{x.seq}</span>',
                    f'<span class="nowrap">{e(x.clock)}</span>',
                    e(x.phase),
                    (f'<span class="tag {x.kind}">{tags[x.kind]}</span>' if x.kind in tags else "")
                    + e(x.title),
                    e(", ".join(names.get(r, r) for r in x.roles))
                    if x.roles
                    else f'<span class="small">{e(x.detail)}</span>',
                )
                for x in shown.items
            ],
        )
    )
    if t.undelivered:
        out.append("<h3>Injects not delivered</h3>")
        out.append(
            table(
                ["Inject", "Title", "Phase", "Timing", "Why"],
                [
                    (
                        f"<b>{e(u.inject)}</b>"
                        + (
                            ' <span class="tag contingency">contingency</span>'
                            if u.contingency
                            else ""
                        ),
                        e(u.title),
                        e(u.phase or "—"),
                        e(u.timing),
                        e(u.reason),
                    )
                    for u in t.undelivered
                ],
            )
        )
    return "".join(out)


def _share(part: int, total: int) -> str:
    """A phase's width in the phase strip: its share of play, at least readable."""
    return f"{max(part / total * 100, 4):.1f}"


def _analysis(aar: AAR) -> str:
    roles = [r for r in aar.overview.roles if r.kind != "control"]
    out = [
        '<p class="note">Each strength and area for improvement names its doctrine '
        "reference, the evidence it rests on (event numbers) and the look-fors the recorded "
        "decisions and notes do not show. Critical criteria are flagged.</p>"
    ]
    for dimension in aar.analysis:
        out.append(f"<h3>{e(dimension.title)}</h3>")
        rows = []
        for c in dimension.criteria:
            by_role = {r.role: r for r in c.ratings}
            cells = [
                f"<b>{e(c.id)}</b> {e(c.title)}"
                + (' <span class="flag">critical</span>' if c.critical else "")
            ]
            for role in roles:
                rating = by_role.get(role.id)
                if rating is not None:
                    cells.append(
                        f'<span class="heat">{e(rating.rating)}'
                        f'<span class="sub">{pct(rating.score)}</span></span>'
                    )
                else:
                    cells.append("N/O" if role.id in c.not_observed else "")
            rows.append(cells)
        out.append(
            _heat_table(
                ["Criterion", *(e(short_name(r.name)) for r in roles)],
                rows,
                dimension,
                [r.id for r in roles],
            )
        )
        for c in dimension.criteria:
            out.append(_criterion(c))
    return "".join(out)


def _heat_table(
    header: list[str], rows: list[list[str]], dimension: DimensionAnalysis, roles: list[str]
) -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = []
    for c, row in zip(dimension.criteria, rows, strict=True):
        by_role = {r.role: r for r in c.ratings}
        tds = [f"<td>{row[0]}</td>"]
        for role, content in zip(roles, row[1:], strict=True):
            rating = by_role.get(role)
            cls = (
                cell_class(rating.rating)
                if rating
                else ("cell-NO" if role in c.not_observed else "cell-na")
            )
            tds.append(f'<td class="{cls}" style="text-align:center">{content}</td>')
        body.append("<tr>" + "".join(tds) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _criterion(c: CriterionAnalysis) -> str:
    refs = "; ".join(f"{e(r.title)} <i>({e(r.ref)})</i>" for r in c.references)
    out = [
        f'<div class="criterion"><h4><span class="id">{e(c.id)}</span>{e(c.title)}'
        + (' <span class="flag">critical</span>' if c.critical else "")
        + "</h4>"
    ]
    if c.doctrine or refs:
        out.append(
            f'<div class="refs">{("Doctrine: " + e(c.doctrine)) if c.doctrine else ""}'
            f"{' · ' if c.doctrine and refs else ''}{refs}</div>"
        )
    for f in sorted(c.findings, key=lambda f: (f.kind != "strength", -f.score)):
        out.append(_finding(f))
    if c.not_observed:
        out.append(f'<p class="small">Not observed for: {e(", ".join(c.not_observed))}</p>')
    elif not c.findings:
        out.append('<p class="small">Applies to no role of this scenario.</p>')
    out.append("</div>")
    return "".join(out)


def _finding(f: Finding) -> str:
    kind = "Strength" if f.kind == "strength" else "Area for improvement"
    cls = f"finding {f.kind}" + (" capped" if f.caps else "")
    analysis = f.analysis
    look = ""
    if f.missed_look_fors:
        analysis = analysis.split(" Look-fors not")[0]
        head = (
            "Look-fors to extend this"
            if f.kind == "strength"
            else "Look-fors not evidenced in the log"
        )
        look = (
            f'<div class="lf"><b>{head}:</b><ul>'
            + "".join(f"<li>{e(m)}</li>" for m in f.missed_look_fors)
            + "</ul></div>"
        )
    return (
        f'<div class="{cls}"><div class="kind">{kind} · {chip(f.rating)} {pct(f.score)}/100'
        f'</div><div class="st">{e(f.role_name)}</div><div class="an">{e(analysis)}</div>'
        f'{look}<div class="ref">Reference: {e(f.reference or "—")} · Evidence: '
        f"{seqs(f.seqs)}</div></div>"
    )


def _decisions(aar: AAR) -> str:
    roles = [(r.id, short_name(r.name)) for r in aar.overview.roles if r.kind != "control"]
    out = [
        f"<figure>{svg.response_times(roles, aar.decisions, aar.missed_decisions)}"
        "<figcaption>Response times: each decision's delay as a share of the time allowed "
        "(dashed line: due time).</figcaption></figure>"
    ]
    shown = budget.decisions(aar)
    out.append(_note(shown.note))
    rows = []
    for d in shown.items:
        chosen = f"<b>{e(d.option)}</b> {e(d.option_text)}" if d.option else e(d.text)
        conseq = [
            f"{e(c.variable)} {c.old:g}→{c.new:g}"
            + ("" if c.via == "option" else f" <i>({e(c.via)})</i>")
            for c in d.consequences
        ]
        conseq += [f"triggers {e(i)}" for i in d.triggered]
        outcome = f'<div class="small">{e(d.outcome)}</div>' if d.outcome else ""
        tag = f'<span class="tag {"late" if d.late else "ok"}">{e(timing(d))}</span>'
        rows.append(
            (
                f'<span class="seq">#{d.seq}</span>',
                f'<span class="nowrap">{e(d.clock)}</span>',
                e(d.role_name),
                f"<b>{e(d.inject)}</b> {e(d.inject_title)}",
                chosen + outcome,
                tag,
                e(d.rationale),
                "<br>".join(conseq),
            )
        )
    out.append(
        table(
            ["#", "Time", "Role", "Inject", "Decision", "Timeliness", "Rationale", "Consequences"],
            rows,
        )
    )
    if aar.missed_decisions:
        out.append("<h3>Decisions not taken</h3>")
        out.append(
            table(
                ["Inject", "Role", "Delivered", "Phase", "Events"],
                [
                    (
                        f"<b>{e(m.inject)}</b> {e(m.inject_title)}",
                        e(m.role_name),
                        e(m.clock),
                        e(m.phase),
                        seqs(m.seqs),
                    )
                    for m in aar.missed_decisions
                ],
            )
        )
    return "".join(out)


def _variables(aar: AAR) -> str:
    if not aar.variables:
        return '<p class="note">This scenario tracks no situation variables.</p>'
    end = aar.overview.duration_s
    ticks = _tick_labels(aar)
    charts = "".join(
        f"<figure>{svg.variable_chart(v, aar.timeline.phases, end, ticks)}</figure>"
        for v in aar.variables
    )
    phases = list(dict.fromkeys(p.phase for p in aar.timeline.phases))
    rows = [
        (
            f"<b>{e(v.label)}</b>",
            e(v.better or "—"),
            f"{v.initial:g}",
            *(f"{v.at_phase_end[p]:g}" if p in v.at_phase_end else "—" for p in phases),
            f"<b>{v.final:g}</b>",
            f"{v.low:g}–{v.high:g}",
            str(len(v.points) - 1),
        )
        for v in aar.variables
    ]
    return f'<div class="small-multiples">{charts}</div>' + table(
        [
            "Variable",
            "Better",
            "Start",
            *(f"End of {e(p)}" for p in phases),
            "Final",
            "Range",
            "Changes",
        ],
        rows,
    )


def _tick_labels(aar: AAR) -> Callable[[int], str]:
    """Axis labels from the scenario clock: the day and time, or T+ offsets."""
    start = aar.overview.scenario_start
    if start.startswith("T+"):
        return lambda t: f"T+{duration(t)}"
    origin = parse_clock(start)
    return lambda t: (origin + dt.timedelta(seconds=t)).strftime("%d %b %H:%M")


def _coordination(aar: AAR) -> str:
    roles = [r for r in aar.overview.roles if r.kind != "control"]
    level = {}
    for p in aar.coordination:
        level[(p.roles[0], p.roles[1])] = level[(p.roles[1], p.roles[0])] = p
    head = "".join(f"<th>{e(short_name(r.name))}</th>" for r in roles)
    body = []
    for a in roles:
        tds = [f"<td><b>{e(a.name)}</b></td>"]
        for b in roles:
            if a.id == b.id:
                tds.append('<td class="self"></td>')
                continue
            p = level.get((a.id, b.id))
            rank = p.level if p else 0
            title = p.level_title if p else "Coexistence"
            tds.append(f'<td class="lvl lvl{rank}">{e(title)}</td>')
        body.append("<tr>" + "".join(tds) + "</tr>")
    out = [
        '<p class="note">The highest level of the integration spectrum each pair of roles '
        "reached: communication (a message), information sharing (an inject shared), formal "
        "coordination (exchanges about an inject both had, before answering it), "
        "cooperation (joint choices a scenario rule rewarded). Higher is not always better: "
        "humanitarian neutrality may call for less.</p>",
        f"<table><thead><tr><th></th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>",
    ]
    active = [p for p in aar.coordination if p.level > 0]
    if active:
        names = {r.id: r.name for r in roles}
        out.append(
            table(
                ["Roles", "Level", "Messages", "Shares", "Joint rules", "Events"],
                [
                    (
                        e(" — ".join(names.get(r, r) for r in p.roles)),
                        e(p.level_title),
                        str(p.messages),
                        str(p.shares),
                        str(p.joint_rules),
                        seqs(p.seqs, 6),
                    )
                    for p in active
                ],
                numeric=(2, 3, 4),
            )
        )
    return "".join(out)


def _hot_wash(aar: AAR) -> str:
    questions = (
        ("What was supposed to happen?", "supposed"),
        ("What happened?", "happened"),
        ("Why was there a difference?", "why"),
        ("What should we sustain?", "sustain"),
        ("What should we improve?", "improve"),
    )
    out = [
        '<p class="note">Prompts for the facilitator, one block per objective: the four '
        "AAR questions, seeded from the log. Evaluators do not prompt players during play; "
        "these are for the hot wash and the after-action meeting.</p>"
    ]
    for item in aar.hot_wash:
        blocks = "".join(
            f'<div class="q"><b>{q}</b><ul>'
            + "".join(f"<li>{e(line)}</li>" for line in getattr(item, name))
            + "</ul></div>"
            for q, name in questions
            if getattr(item, name)
        )
        out.append(f'<div class="hw"><h3>{e(item.topic)} · {e(item.title)}</h3>{blocks}</div>')
    return "".join(out)


def _plan(aar: AAR) -> str:
    rows = [
        (
            str(i),
            e(x.issue),
            e(x.corrective_action),
            f'<span class="poete">{e(x.element)}</span>',
            e(x.role_name),
            f'<span class="prio {e(x.priority)}">{e(x.priority)}</span>',
            f'<span class="small">{e(x.reference)}</span>',
        )
        for i, x in enumerate(aar.improvement_plan, 1)
    ]
    return (
        '<p class="note">Proposed rows for the after-action meeting to approve, amend or '
        "drop. POETE element: Planning, Organization, Equipment, Training, Exercise.</p>"
        + table(
            ["#", "Issue", "Corrective action", "POETE", "Responsible", "Priority", "Reference"],
            rows,
        )
    )


def _observations(aar: AAR) -> str:
    if not aar.observations:
        return '<p class="note">No evaluator observation was recorded.</p>'
    shown = budget.observations(aar)
    out = [_note(shown.note)]
    counts = Counter(o.evaluator for o in aar.observations)
    for evaluator in sorted(counts):
        mine = [o for o in shown.items if o.evaluator == evaluator]
        out.append(f"<h3>{e(evaluator)} <span class=small>({counts[evaluator]})</span></h3>")
        out.append(
            table(
                ["#", "Time", "Role", "Criterion", "Rating", "Inject", "Note"],
                [
                    (
                        f'<span class="seq">#{o.seq}</span>',
                        f'<span class="nowrap">{e(o.clock)}</span>',
                        e(o.role_name),
                        e(o.criterion),
                        chip(o.rating)
                        + ("" if o.counted else ' <span class="small">not counted</span>'),
                        e(o.inject or ""),
                        e(o.note),
                    )
                    for o in mine
                ],
            )
        )
    return "".join(out)


def _appendix(aar: AAR) -> str:
    shown = budget.appendix(aar)
    rows = []
    for r in shown.items:
        flag = (
            ' <span class="tag contingency">contingency</span>'
            if r.contingency
            else ' <span class="tag adhoc">ad hoc</span>'
            if r.adhoc
            else ""
        )
        delivered = ", ".join(f"{d['role']} {d['clock']}" for d in r.delivered)
        answers = "<br>".join(
            f"{e(x.role)}: <b>{e(x.option or '')}</b>{e('' if x.option else x.text[:80])} "
            f'<span class="seq">#{x.seq}</span>'
            + (' <span class="tag late">late</span>' if x.late else "")
            for x in r.responses
        )
        if not answers and r.asked:
            answers = f'<span class="small">asked {e(", ".join(r.asked))}; no answer</span>'
        notes = f'<div class="small">{e(" ".join(r.notes.split()))}</div>' if r.notes else ""
        rows.append(
            (
                f"<b>{e(r.id)}</b>{flag}",
                e(r.title) + notes,
                e(f"{r.phase or 'any'} · {r.timing} · {r.channel}"),
                e(delivered) or '<span class="tag never">not delivered</span>',
                answers,
            )
        )
    return _note(shown.note) + table(
        [
            "Inject",
            "Title / controller notes",
            "Phase · timing · channel",
            "Delivered",
            "Responses",
        ],
        rows,
    )


def _note(text: str) -> str:
    return f'<p class="note budget">{e(text)}</p>' if text else ""


def _approval(aar: AAR) -> str:
    names = aar.overview.evaluators or ["Lead evaluator"]
    boxes = "".join(f"<div><b>{e(n)}</b>Signature and date</div>" for n in names)
    boxes += "<div><b>Exercise director</b>Signature and date</div>"
    return (
        '<p class="note">This review was computed from the event log and the rubric. By '
        "signing, the evaluators confirm its findings against their observations; the "
        "after-action meeting approves the improvement plan.</p>"
        f'<div class="sign">{boxes}</div><p class="small">Rating scale: '
        + "; ".join(
            f"{e(lv.code)} = {e(lv.label)} ({points(lv.points)} pts)" for lv in aar.scores.scale
        )
        + f"; {e(aar.scores.not_observed)} = not observed.</p>"
    )
