"""``exercise preview``: a scenario seen before anyone plays it.

What a course designer checks before a course, in one document: the timeline of a dry run per
phase (each inject with what made it fire: a time, a condition, a rule, an option and who chose
it), the branch graph (Mermaid in Markdown, SVG in HTML), every inject's reachability with a
shortest path to it (model/reach.py: proof that each branch can happen, without playing forty
seeds), the criteria the scenario gives evaluators to watch, and its design warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from exercise_engine.model.bundle import Bundle
from exercise_engine.model.catalog import Catalog
from exercise_engine.model.common import Meta
from exercise_engine.model.durations import format_duration
from exercise_engine.model.reach import inject_routes
from exercise_engine.model.scenario import PLAY_PHASES, Inject, Scenario
from exercise_engine.workbench.graph import Graph, branch_graph, mermaid, svg
from exercise_engine.workbench.markup import environment, md_cell, one_line
from exercise_engine.workbench.run import DryRun, dry_run, lines, what

FORMATS = ("text", "md", "html")


@dataclass(frozen=True)
class Reach:
    """Whether and how an inject can be reached, and what the dry run did with it."""

    inject: str
    title: str
    phase: str
    timing: str
    reachable: bool
    route: tuple[str, ...]
    run: str


@dataclass(frozen=True)
class PhaseView:
    name: str
    """The phase as the dry run's happenings name it (``briefing`` for the read-aheads)."""
    title: str
    brief: str
    ways_out: tuple[str, ...]
    modules: tuple[str, ...] = ()


@dataclass(frozen=True)
class CriterionUse:
    id: str
    title: str
    expected_at: tuple[str, ...]
    scored_at: tuple[str, ...]


@dataclass
class Preview:
    title: str
    scenario_id: str
    path: str
    facts: list[tuple[str, str]]
    metas: list[tuple[str, Meta]]
    phases: list[PhaseView]
    run: DryRun
    graph: Graph
    reach: list[Reach]
    criteria: list[CriterionUse]
    unexercised: list[str]
    warnings: list[str] = field(default_factory=list)

    @property
    def unreachable(self) -> list[Reach]:
        return [r for r in self.reach if not r.reachable]

    @property
    def mermaid(self) -> str:
        return mermaid(self.graph)

    @property
    def svg(self) -> str:
        return svg(self.graph)


def timing_text(inject: Inject) -> str:
    """An inject's timing as the designer wrote it."""
    if inject.before_startex is not None:
        return f"read-ahead, {format_duration(inject.before_startex)} before STARTEX"
    if inject.at is not None:
        into = f" into module {inject.module}" if inject.module else ""
        return f"at +{format_duration(inject.at)}{into}"
    if inject.after is not None:
        return f"{format_duration(inject.after.delay)} after {inject.after.inject}"
    if inject.when is not None:
        return f"when {inject.when}"
    return "triggered"


def build_preview(catalog: Catalog, ref: str, policy: str = "best", seed: int = 1) -> Preview:
    """The preview of scenario ``ref`` (id or file) on ``catalog``; a dry run with ``policy``."""
    bundle = catalog.bundle(ref)
    s = bundle.scenario
    entry = catalog.scenarios[s.id]
    routes = inject_routes(s, bundle.control)
    run = dry_run(bundle, policy, seed)
    players = [r for r in s.roles if r not in bundle.control]
    clock = s.clock
    facts = [
        ("Scenario", s.id),
        ("File", entry.document.path),
        ("Rubric", f"{bundle.rubric.id}: {bundle.rubric.title}"),
        ("Player roles", ", ".join(players) or "none"),
        ("Control cells", ", ".join(sorted(bundle.control)) or "none"),
        ("Clock", _clock(clock.mode, clock.start, clock.speed, clock.turn)),
        ("ENDEX", f"+{format_duration(clock.duration)}" if clock.duration else "the controller"),
        ("Injects", f"{len(s.injects)} ({len(routes)} reachable), {len(s.rules)} rules"),
        (
            "Dry run",
            f"policy {policy}, seed {seed}: {len(run.delivered)} injects delivered, "
            f"ended by {run.ended or 'nothing'}",
        ),
    ]
    metas = [(f"scenario {s.id}", s.meta), (f"rubric {bundle.rubric.id}", bundle.rubric.meta)]
    metas += [(f"role {k}", r.meta) for k, r in bundle.roles.items()]
    reach = [
        Reach(
            i.id,
            i.title,
            i.phase or "any",
            timing_text(i),
            i.id in routes,
            tuple(step.text for step in routes.get(i.id, ())),
            _in_run(run, i.id),
        )
        for i in s.injects
    ]
    paths = catalog.paths_of(entry)
    warnings = [
        d.render() for d in catalog.diagnostics.items if not d.is_error and d.position.path in paths
    ]
    criteria, unexercised = _criteria(bundle)
    return Preview(
        s.title,
        s.id,
        entry.document.path,
        facts,
        [(who, meta) for who, meta in metas if meta != Meta()],
        _phases(s),
        run,
        branch_graph(s, routes, bundle.control),
        reach,
        criteria,
        unexercised,
        warnings,
    )


def _phases(s: Scenario) -> list[PhaseView]:
    """The phases with their briefs, modules and ways out; the read-aheads first, if any."""
    views = []
    if s.read_aheads:
        views.append(PhaseView("briefing", "before STARTEX: read-aheads", "", ()))
    for name in PLAY_PHASES:
        phase = s.phases[name]
        modules = tuple(
            f"module {m.id} at +{format_duration(m.at)}: {m.title}"
            + (f" (clock to {m.clock})" if m.clock else "")
            for m in phase.modules
        )
        ways = tuple(
            f"-> {t.to} " + (f"when {t.when}" if t.when else "by the controller")
            for t in phase.next
        )
        views.append(PhaseView(name, name, phase.brief, ways, modules))
    return views


def _clock(mode: str, start: str | None, speed: float, turn: int | None) -> str:
    pace = f"moves of {format_duration(turn or 0)}" if mode == "turns" else f"speed {speed:g}"
    return f"{mode}, {pace}, starts {start or 'T+0'}"


def _in_run(run: DryRun, inject: str) -> str:
    first = run.delivered.get(inject)
    if first is None:
        return "not delivered in this run"
    return f"{first.clock} ({first.why})"


def _criteria(bundle: Bundle) -> tuple[list[CriterionUse], list[str]]:
    """The rubric's criteria the scenario names (where expected, which options score them),
    and those it never exercises."""
    used = []
    unexercised = []
    for cid, criterion in bundle.rubric.criteria.items():
        expected = tuple(i.id for i in bundle.scenario.injects if cid in i.expect)
        scored = tuple(
            f"{i.id} {o.id}"
            for i in bundle.scenario.injects
            for o in (i.respond.options if i.respond else [])
            if cid in o.scores
        )
        if expected or scored:
            used.append(CriterionUse(cid, criterion.title, expected, scored))
        else:
            unexercised.append(cid)
    return used, unexercised


# -- rendering ---------------------------------------------------------------------------------


def render(preview: Preview, fmt: str) -> str:
    if fmt == "html":
        return environment().get_template("preview.html.j2").render(p=preview)
    if fmt == "md":
        return render_md(preview)
    return render_text(preview)


def render_text(p: Preview) -> str:
    """For a terminal: plain columns, no markup."""
    out = [p.title, "=" * len(p.title), ""]
    out += [f"  {k:14} {v}" for k, v in p.facts]
    for who, meta in p.metas:
        out.append(f"  {'meta':14} {who}: " + _meta_line(meta))
    out += ["", "Timeline of the dry run", "-----------------------", ""]
    for phase in p.phases:
        out += [f"  {phase.title}: " + ("; ".join(phase.ways_out) or "-")]
        out += [f"    {m}" for m in phase.modules]
    out += ["", *lines(p.run)]
    out += ["", "Reachability", "------------"]
    for r in p.reach:
        mark = "yes" if r.reachable else "NO "
        out.append(f"  {mark} {r.inject:12} {one_line(r.title, 50)}")
        route = " -> ".join(r.route) if r.route else "only the controller can send it"
        out.append(f"      path: {route}")
        out.append(f"      dry run: {r.run}")
    out += ["", "Branch graph (edges)", "--------------------"]
    names = {n.key: n.label for n in p.graph.nodes}
    for e in p.graph.edges:
        label = f" [{e.label}]" if e.label else ""
        out.append(f"  {names[e.source]} --{e.kind}{label}--> {names[e.target]}")
    out += ["", "Criteria evaluators watch", "-------------------------"]
    for c in p.criteria:
        out.append(
            f"  {c.id:10} {one_line(c.title, 60)}: expected at {', '.join(c.expected_at) or '-'}"
            f"; scored by {', '.join(c.scored_at) or '-'}"
        )
    if p.unexercised:
        out.append(f"  not exercised (not observed in the AAR): {', '.join(p.unexercised)}")
    out += ["", "Design warnings", "---------------"]
    out += [f"  {w}" for w in p.warnings] or ["  none"]
    return "\n".join(out) + "\n"


def _meta_line(meta: Meta) -> str:
    parts = [
        f"author {meta.author}" if meta.author else "",
        f"licence {meta.licence}" if meta.licence else "",
        f"source {one_line(meta.source, 80)}" if meta.source else "",
        f"tags {', '.join(meta.tags)}" if meta.tags else "",
        f"debrief {one_line(meta.debrief, 80)}" if meta.debrief else "",
    ]
    return "; ".join(p for p in parts if p)


def render_md(p: Preview) -> str:
    """Markdown (GitHub renders the Mermaid graph); every author's text escaped."""
    out = [f"# Preview: {md_cell(p.title)}", ""]
    out += ["| | |", "|---|---|"] + [f"| {k} | {md_cell(v)} |" for k, v in p.facts]
    for who, meta in p.metas:
        out.append(f"| meta of {md_cell(who)} | {md_cell(_meta_line(meta))} |")
    out += ["", "## Timeline of the dry run", ""]
    for phase in p.phases:
        out += [f"### {phase.title}", ""]
        if phase.brief:
            out += [f"> {md_cell(phase.brief)}", ""]
        out += [f"- {md_cell(m)}" for m in phase.modules]
        if phase.name in PLAY_PHASES:
            out += ["", f"Ways out: {md_cell('; '.join(phase.ways_out) or 'none')}", ""]
        happenings = p.run.phase(phase.name)
        if not happenings:
            out += ["Not reached in this run.", ""]
            continue
        out += ["| Scenario time | What | By what |", "|---|---|---|"]
        out += [
            f"| {md_cell(h.clock)} | {md_cell(what(h))} | {md_cell(h.why)} |" for h in happenings
        ]
        out.append("")
    out += ["## Branch graph", "", "```mermaid", p.mermaid, "```", ""]
    out += ["## Reachability", ""]
    out += ["| Inject | Phase | Timing | Reachable | Path | Dry run |", "|---|---|---|---|---|---|"]
    for r in p.reach:
        route = " → ".join(r.route) if r.route else "only the controller can send it"
        out.append(
            f"| {md_cell(r.inject)} {md_cell(r.title)} | {r.phase} | {md_cell(r.timing)} | "
            f"{'yes' if r.reachable else '**no**'} | {md_cell(route)} | {md_cell(r.run)} |"
        )
    out += ["", "## Criteria evaluators watch", ""]
    out += ["| Criterion | Expected at | Scored by |", "|---|---|---|"]
    for c in p.criteria:
        out.append(
            f"| {md_cell(c.id)} {md_cell(c.title)} | {md_cell(', '.join(c.expected_at) or '—')} "
            f"| {md_cell(', '.join(c.scored_at) or '—')} |"
        )
    if p.unexercised:
        out += ["", f"Not exercised (not observed in the AAR): {md_cell(', '.join(p.unexercised))}"]
    out += ["", "## Design warnings", ""]
    out += [f"- {md_cell(w)}" for w in p.warnings] or ["None."]
    return "\n".join(out) + "\n"
