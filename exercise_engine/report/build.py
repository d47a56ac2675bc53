"""Build the after-action review from a bundle and an event log: a pure function.

``build_aar`` reads the log once, for scoring evidence and the story together, and assembles
the sections of ``model.AAR``. It opens nothing and writes nothing; report/command.py reads the
store and hands the renderers its result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from exercise_engine import __version__
from exercise_engine.engine.events import Recorded
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.scenario import PLAY_PHASES
from exercise_engine.report import decisions as decision_log
from exercise_engine.report import outcomes
from exercise_engine.report import timeline as tl
from exercise_engine.report.findings import Analyst, highlights
from exercise_engine.report.model import (
    AAR,
    AUDIENCES,
    FORMAT,
    CoordinationPair,
    DimensionCell,
    Finding,
    Highlight,
    ObjectiveEntry,
    Observation,
    Overview,
    Participant,
    PhaseRow,
    RoleEntry,
    RoleScores,
    ScaleEntry,
    Scores,
    SessionInfo,
    Summary,
)
from exercise_engine.report.plan import Planner
from exercise_engine.report.reader import LogFacts, read
from exercise_engine.report.text import (
    Labels,
    listing,
    lower_first,
    pct,
    phase_name,
    plural,
    upper_first,
)
from exercise_engine.scoring import (
    EVALUATOR_WEIGHT,
    OPTION_WEIGHT,
    score_evidence,
    spectrum,
)
from exercise_engine.scoring.aggregate import seqs_of
from exercise_engine.scoring.evidence import Evidence, EvidenceReader
from exercise_engine.scoring.scale import Scale
from exercise_engine.scoring.scorecard import Scorecard

HIGHLIGHTS = 3


@dataclass(frozen=True)
class Seat:
    """A seat that joined the session (the store's ``seats`` rows)."""

    id: str
    role: str | None
    name: str
    kind: str


def build_aar(
    bundle: Bundle,
    log: Sequence[Recorded],
    *,
    session: SessionInfo | None = None,
    seats: Sequence[Seat] = (),
    rubric_note: str = "",
    audience: str = "staff",
) -> AAR:
    """The whole AAR of one session; ``rubric_note`` says when it was re-scored. The
    ``trainee`` version leaves out what players never see (HSEEP: the controller and evaluator
    handbook): controller notes, the MSEL appendix, and the injects that never reached them."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience '{audience}'; one of {', '.join(AUDIENCES)}")
    staff = audience == "staff"
    scoring = EvidenceReader(bundle)
    facts = read(bundle, log, scoring)
    evidence = scoring.finish(facts.last_seq)
    card = score_evidence(bundle, evidence)
    entries = [(e.phase, e.t) for _, e in facts.phase_entries]
    labels = Labels(bundle, evidence.index, entries)
    decisions = decision_log.decisions(bundle, facts, labels)
    missed = decision_log.missed(evidence, labels, facts)
    analysis = Analyst(bundle, card, {d.seq: d for d in decisions}, labels).dimensions()
    findings = [f for d in analysis for c in d.criteria for f in c.findings]
    timeline = tl.timeline(bundle, facts, labels, staff)
    pairs = coordination(evidence)
    planner = Planner(
        bundle, card, findings, decisions, missed, labels, notes=staff, links=evidence.links
    )
    return AAR(
        format=FORMAT,
        generated_by=f"r2p-exercise {__version__}",
        audience=audience,
        rubric_note=rubric_note or f"Scored with rubric '{bundle.rubric.id}', as recorded.",
        overview=overview(
            bundle, card, facts, labels, session or SessionInfo(), seats, timeline.phases
        ),
        summary=summary(bundle, card, facts, findings, decisions, missed, pairs, labels),
        scores=scores(bundle, card, labels),
        timeline=timeline,
        analysis=analysis,
        decisions=decisions,
        missed_decisions=missed,
        variables=tl.variables(bundle, facts, timeline.phases),
        coordination=pairs,
        hot_wash=planner.hot_wash(facts.delivered),
        improvement_plan=planner.improvement_plan(facts, pairs),
        observations=observations(card, facts, labels),
        appendix=tl.appendix(bundle, facts, labels) if staff else [],
    )


# -- overview -----------------------------------------------------------------------------


def overview(
    bundle: Bundle,
    card: Scorecard,
    facts: LogFacts,
    labels: Labels,
    session: SessionInfo,
    seats: Sequence[Seat],
    spans: list,
) -> Overview:
    scenario = bundle.scenario
    scale = Scale(bundle.rubric)
    end = tl.end_time(facts)
    people = participants(facts, seats)
    roles = []
    for role_id in scenario.roles:
        role = bundle.roles.get(role_id)
        scored = card.roles.get(role_id)
        total = scored.total if scored else None
        roles.append(
            RoleEntry(
                role_id,
                labels.role(role_id),
                role.kind if role else "player",
                list(role.pillars) if role else [],
                people.get(role_id, []),
                total,
                _rating(scale, total),
            )
        )
    objectives = []
    for objective in scenario.objectives:
        cells = [
            s
            for r in card.roles.values()
            for c in objective.criteria
            if (s := r.criterion(c)) and s.observed
        ]
        value = sum(s.score or 0 for s in cells) / len(cells) if cells else None
        objectives.append(
            ObjectiveEntry(
                objective.id,
                objective.text,
                list(objective.criteria),
                value,
                _rating(scale, value),
                list(seqs_of(*(s.seqs for s in cells))),
            )
        )
    return Overview(
        scenario_id=scenario.id,
        title=scenario.title,
        summary=scenario.summary,
        rubric_id=bundle.rubric.id,
        rubric_title=bundle.rubric.title,
        session=session,
        clock_mode=scenario.clock.mode,
        scenario_start=labels.clock(0),
        scenario_end=labels.clock(end),
        duration_s=end,
        wall_start=session.created_at or facts.first_wall,
        wall_end=facts.last_wall,
        wall_duration_s=_seconds_between(session.created_at or facts.first_wall, facts.last_wall),
        ended=facts.ended[1].reason if facts.ended else None,
        phases_reached=tl.reached_phases(spans),
        injects_delivered=len(facts.delivered & labels.index.injects.keys()),
        injects_total=len(scenario.injects),
        events=facts.count,
        last_seq=facts.last_seq,
        roles=roles,
        evaluators=list(card.evaluators),
        controllers=sorted(p.seat for ps in people.values() for p in ps if p.kind == "controller"),
        objectives=objectives,
    )


def participants(facts: LogFacts, seats: Sequence[Seat]) -> dict[str, list[Participant]]:
    """Who sat at each role: the store's seats, and any seat the log shows acting."""
    out: dict[str, list[Participant]] = {}
    known = set()
    for seat in seats:
        key = seat.role or f"({seat.kind})"
        out.setdefault(key, []).append(Participant(seat.id, seat.name or seat.id, seat.kind))
        known.add(seat.id)
    for seat_id, (role, kind) in sorted(facts.seats.items()):
        if seat_id in known or role is None:
            continue
        out.setdefault(role, []).append(Participant(seat_id, seat_id, kind))
    return out


def _seconds_between(start: str, end: str) -> int | None:
    try:
        return int((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds())
    except ValueError:
        return None


def _rating(scale: Scale, score: float | None) -> str:
    return scale.code_of(scale.points_of(score)) if score is not None else scale.not_observed


# -- summary and scores -------------------------------------------------------------------


def summary(
    bundle: Bundle,
    card: Scorecard,
    facts: LogFacts,
    findings: list[Finding],
    decisions: list,
    missed: list,
    pairs: list[CoordinationPair],
    labels: Labels,
) -> Summary:
    scale = Scale(bundle.rubric)
    late = sum(1 for d in decisions if d.late)
    contingencies = sorted(
        i for i in facts.delivered if (inject := labels.index.injects.get(i)) and inject.contingency
    )
    caps = [
        f"{d.title} for {r.name} ({', '.join(d.cap.criteria)})"
        for r in card.roles.values()
        for d in r.dimensions
        if d.cap is not None
    ]
    verdict = _verdict(
        bundle, card, facts, decisions, late, missed, contingencies, caps, pairs, labels
    )

    def highlight(f: Finding) -> Highlight:
        return Highlight(
            f.criterion,
            bundle.rubric.criteria[f.criterion].title,
            f.role,
            f.role_name,
            f.rating,
            f.score,
            f.seqs,
        )

    return Summary(
        overall=card.overall,
        rating=card.rating,
        rating_label=scale.label(card.rating),
        observed=card.observed,
        verdict=verdict,
        strengths=[highlight(f) for f in highlights(findings, "strength", HIGHLIGHTS)],
        improvements=[highlight(f) for f in highlights(findings, "improvement", HIGHLIGHTS)],
        decisions=len(decisions),
        on_time=len(decisions) - late,
        late=late,
        missed=len(missed),
        contingencies=len(contingencies),
        caps=caps,
    )


def _verdict(
    bundle: Bundle,
    card: Scorecard,
    facts: LogFacts,
    decisions: list,
    late: int,
    missed: list,
    contingencies: list[str],
    caps: list[str],
    pairs: list[CoordinationPair],
    labels: Labels,
) -> list[str]:
    lines = []
    if card.observed:
        rated = sum(
            1
            for r in card.roles.values()
            for d in r.dimensions
            for c in d.criteria
            if c.evaluator_points is not None
        )
        lines.append(
            f"Overall score {pct(card.overall)}/100 across "
            f"{plural(sum(r.observed for r in card.roles.values()), 'role')}, computed by the "
            f"engine against rubric '{bundle.rubric.id}' from the options chosen, the answer "
            "times and the exchanges between roles"
            + (
                f" and {plural(rated, 'criterion score')} an evaluator rated: P/S/M/U letters "
                "in this review are the evaluators' ratings only."
                if rated
                else ": no evaluator has rated, so this review gives no P/S/M/U rating."
            )
        )
        cap = outcomes.cap_entry(card.cap, labels)
        if cap is not None:
            lines.append(outcomes.cap_sentence(cap))
    else:
        lines.append("Nothing has been scored yet: no decision, answer or rating is recorded.")
    phases = [p for p in PLAY_PHASES if any(e.phase == p for _, e in facts.phase_entries)]
    total = len(bundle.scenario.injects)
    reached = len(facts.delivered & labels.index.injects.keys())
    named = listing([phase_name(p) for p in phases])
    lines.append(
        f"Play reached {named or 'no play phase'}; {reached:,} of "
        f"{plural(total, 'scenario inject')} delivered"
        + (
            f", {plural(len(contingencies), 'contingency inject')} fired ({listing(contingencies)})"
            if contingencies
            else ""
        )
        + "."
    )
    lines.append(
        f"{plural(len(decisions), 'decision')} taken, "
        f"{len(decisions) - late:,} on time and {late:,} late; "
        f"{plural(len(missed), 'required answer')} never given."
    )
    ranked = sorted(
        (r for r in card.roles.values() if r.total is not None), key=lambda r: -(r.total or 0)
    )
    if len(ranked) >= 2:
        lines.append(
            f"Strongest role: {ranked[0].name} ({pct(ranked[0].total)}); weakest: "
            f"{ranked[-1].name} ({pct(ranked[-1].total)})."
        )
    if caps:
        lines.append(_caps_sentence(card, bundle.rubric.critical_cap or ""))
    top = max(pairs, key=lambda p: p.level, default=None)
    if top is not None and top.level > spectrum.COEXISTENCE:
        lines.append(
            f"Highest integration reached: {lower_first(top.level_title)} between "
            f"{labels.role(top.roles[0])} and {labels.role(top.roles[1])}."
        )
    population = bundle.rubric.population
    for name, variable in bundle.scenario.variables.items():
        changes = facts.changes.get(name)
        if variable.better and changes:
            final = changes[-1][1].new
            moved = (
                "better" if (final > variable.initial) == (variable.better == "higher") else "worse"
            )
            if final != variable.initial:
                lines.append(
                    f"{upper_first(variable.label or name)} ended at {final:g} (from "
                    f"{variable.initial:g}: {moved}"
                    + (f" for {population}" if population else "")
                    + ")."
                )
    return lines


def _caps_sentence(card: Scorecard, level: str) -> str:
    """Which dimensions critical criteria capped, grouped: the same cap for every role is one
    phrase, not five."""
    capped: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for role in card.roles.values():
        for d in role.dimensions:
            if d.cap is not None:
                capped.setdefault((d.title, d.cap.criteria), []).append(role.name)
    observed = sum(r.observed for r in card.roles.values())
    parts = [
        f"{title} ({', '.join(criteria)}) for "
        + ("every role" if len(names) == observed > 1 else listing(names))
        for (title, criteria), names in capped.items()
    ]
    return f"Critical criteria at the bottom of the scale held {listing(parts)} at {level}."


def scores(bundle: Bundle, card: Scorecard, labels: Labels) -> Scores:
    scale = Scale(bundle.rubric)
    rubric = bundle.rubric
    roles = []
    for r in card.roles.values():
        roles.append(
            RoleScores(
                r.role,
                r.name,
                r.total,
                _rating(scale, r.total),
                r.decisions,
                r.timeliness.score,
                r.coordination.score,
                r.shares,
                [
                    DimensionCell(
                        d.id, d.score, _rating(scale, d.score), d.cap is not None, list(d.seqs)
                    )
                    for d in r.dimensions
                ],
                {p: ps.roles[r.role].total for p, ps in card.phases.items()},
                list(r.seqs),
            )
        )
    phases = [
        PhaseRow(p.phase, p.overall, _rating(scale, p.overall), list(p.seqs))
        for p in card.phases.values()
    ]
    return Scores(
        rubric=rubric.id,
        overall=card.overall,
        rating=card.rating,
        scale=[
            ScaleEntry(lv.code, lv.points, lv.label, scale.normalise(lv.points))
            for lv in rubric.scale
        ],
        not_observed=rubric.not_observed.code,
        weights={
            "decisions": 1 - rubric.timeliness.weight - rubric.coordination.weight,
            "timeliness": rubric.timeliness.weight,
            "coordination": rubric.coordination.weight,
        },
        evaluator_weight=EVALUATOR_WEIGHT,
        option_weight=OPTION_WEIGHT,
        critical_cap=rubric.critical_cap,
        roles=roles,
        phases=phases,
        ignored=[f"#{i.seq}: {i.reason}" for i in card.ignored],
        seqs=list(card.seqs),
        outcomes=outcomes.entries(bundle, card, labels),
        outcome_cap=outcomes.cap_entry(card.cap, labels),
    )


def coordination(evidence: Evidence) -> list[CoordinationPair]:
    """Every pair of scored roles with the highest integration level the log shows."""
    roles = evidence.roles
    counts: dict[tuple[str, str], dict[str, int]] = {}
    best: dict[tuple[str, str], tuple[int, list[int]]] = {}
    for link in evidence.links:
        kinds = counts.setdefault(link.pair, {"message": 0, "share": 0, "rule": 0})
        kinds[link.kind] += 1
        level, seqs = best.get(link.pair, (spectrum.COEXISTENCE, []))
        if link.level > level:
            best[link.pair] = (link.level, [link.seq])
        elif link.level == level:
            seqs.append(link.seq)
            best[link.pair] = (level, seqs)
    out = []
    for i, a in enumerate(roles):
        for b in roles[i + 1 :]:
            key = spectrum.pair(a, b)
            level, seqs = best.get(key, (spectrum.COEXISTENCE, []))
            kinds = counts.get(key, {"message": 0, "share": 0, "rule": 0})
            info = spectrum.level(level)
            out.append(
                CoordinationPair(
                    [a, b],
                    level,
                    info.id,
                    info.title,
                    kinds["message"],
                    kinds["share"],
                    kinds["rule"],
                    seqs,
                )
            )
    return out


def observations(card: Scorecard, facts: LogFacts, labels: Labels) -> list[Observation]:
    ignored = {i.seq for i in card.ignored}
    return [
        Observation(
            seq,
            e.t,
            labels.clock(e.t),
            phase,
            e.evaluator,
            e.role or "",
            labels.role(e.role or ""),
            e.criterion,
            e.rating,
            e.note,
            e.inject,
            seq not in ignored and e.rating in {lv.code for lv in labels.bundle.rubric.scale},
        )
        for seq, e, phase in facts.observations
    ]
