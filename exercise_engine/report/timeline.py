"""What happened when: phases, key events, injects not delivered, variables, the appendix."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from operator import attrgetter

from exercise_engine.engine import events as ev
from exercise_engine.engine.state import DEBRIEF, ENDED
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.durations import format_duration
from exercise_engine.model.scenario import PLAY_PHASES, Inject
from exercise_engine.report.model import (
    InjectRecord,
    PhaseSpan,
    ResponseEntry,
    Timeline,
    TimelineEntry,
    Undelivered,
    VariablePoint,
    VariableSeries,
)
from exercise_engine.report.reader import LogFacts
from exercise_engine.report.text import Labels, duration, phase_name


def end_time(facts: LogFacts) -> int:
    """Scenario time play ended (ENDEX), or the last event's time for a running session."""
    return facts.ended[1].t if facts.ended is not None else facts.last_t


def phase_spans(facts: LogFacts, labels: Labels) -> list[PhaseSpan]:
    """The play phases in the order entered; a relapse (react again) is a second span."""
    entries = [(s, e) for s, e in facts.phase_entries]
    spans = []
    for i, (seq, event) in enumerate(entries):
        if event.phase not in PLAY_PHASES:
            continue
        end = entries[i + 1][1].t if i + 1 < len(entries) else end_time(facts)
        spans.append(
            PhaseSpan(
                event.phase,
                event.t,
                end,
                labels.clock(event.t),
                labels.clock(end),
                event.cause,
                event.condition,
                seq,
            )
        )
    return spans


def timeline(bundle: Bundle, facts: LogFacts, labels: Labels, staff: bool = True) -> Timeline:
    """The timeline of play; the injects that reached nobody only in the ``staff`` version
    (the trainee one leaves them out, so they are not looked for)."""
    entries: list[TimelineEntry] = []
    for seq, entered in facts.phase_entries:
        if entered.phase in (*PLAY_PHASES, DEBRIEF, ENDED):
            detail = f"condition: {entered.condition}" if entered.condition else entered.cause
            entries.append(
                TimelineEntry(
                    seq,
                    entered.t,
                    labels.clock(entered.t),
                    entered.phase,
                    "phase",
                    "ENDEX"
                    if entered.phase == ENDED
                    else f"{phase_name(entered.phase)} phase begins",
                    detail,
                    [],
                )
            )
    for seq, delivered, phase in facts.deliveries:
        inject = labels.index.injects.get(delivered.inject)
        kind = (
            "adhoc"
            if delivered.adhoc is not None
            else ("contingency" if inject is not None and inject.contingency else "inject")
        )
        entries.append(
            TimelineEntry(
                seq,
                delivered.t,
                labels.clock(delivered.t),
                phase,
                kind,
                f"{delivered.inject} {labels.inject(delivered.inject, facts.adhoc)}",
                _delivery_cause(delivered.cause),
                list(delivered.to),
                delivered.inject,
            )
        )
    rules = bundle.scenario.rules
    for seq, fired in facts.rules:
        name = fired.id or f"rule {fired.rule}"
        known = rules[fired.rule] if 0 <= fired.rule < len(rules) else None
        detail = " ".join(known.description.split()) if known and known.description else ""
        entries.append(
            TimelineEntry(
                seq,
                fired.t,
                labels.clock(fired.t),
                "",
                "rule",
                f"Rule {name} fired",
                detail or fired.condition,
                [],
            )
        )
    for seq, event in facts.clock:
        if isinstance(event, ev.ControllerTookOver):
            entries.append(_outage(seq, event, labels))
            continue
        kind = {"ClockPaused": "pause", "ClockResumed": "resume"}.get(event.type, "move")
        title = {"pause": "Clock paused", "resume": "Clock resumed"}.get(
            kind, f"Move {getattr(event, 'move', '')} begins"
        )
        entries.append(TimelineEntry(seq, event.t, labels.clock(event.t), "", kind, title, "", []))
    if facts.ended is not None:
        seq, ended = facts.ended
        entries.append(
            TimelineEntry(
                seq, ended.t, labels.clock(ended.t), "", "end", "Play ends", ended.reason, []
            )
        )
    entries.sort(key=attrgetter("seq"))
    entries = _fill_phases(entries)
    missing = undelivered(bundle, facts) if staff else []
    return Timeline(phase_spans(facts, labels), entries, missing)


def _outage(seq: int, event: ev.ControllerTookOver, labels: Labels) -> TimelineEntry:
    """A stretch with no controller (it died or was stopped, another took over): wall time
    that was not scenario time, so the AAR says where play stood still."""
    length = f"{event.outage} s" if event.outage < 60 else duration(event.outage)
    return TimelineEntry(
        seq,
        event.t,
        labels.clock(event.t),
        "",
        "outage",
        f"Controller outage: {length} with no controller",
        "play stood still (not scenario time); another controller took over",
        [],
    )


def _fill_phases(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    phase = PLAY_PHASES[0]
    out = []
    for entry in entries:
        if entry.kind == "phase" and entry.phase in PLAY_PHASES:
            phase = entry.phase
        if not entry.phase:
            entry = TimelineEntry(
                entry.seq,
                entry.t,
                entry.clock,
                phase,
                entry.kind,
                entry.title,
                entry.detail,
                entry.roles,
                entry.inject,
            )
        out.append(entry)
    return out


def _delivery_cause(cause: ev.DeliveryCause) -> str:
    if isinstance(cause, ev.ConditionHeld):
        return f"condition held: {cause.condition}"
    if isinstance(cause, ev.Armed):
        return "triggered by a decision or rule"
    if isinstance(cause, ev.SentByController):
        return "sent by the controller"
    if isinstance(cause, ev.FollowedUp):
        return "follows another inject"
    if isinstance(cause, ev.Rescheduled):
        return "rescheduled by the controller"
    return "scheduled"


def undelivered(bundle: Bundle, facts: LogFacts) -> list[Undelivered]:
    """Scenario injects that reached nobody, with the likeliest reason read from the log."""
    delivered = facts.delivered
    reached = {e.phase for _, e in facts.phase_entries}
    out = []
    for inject in bundle.scenario.injects:
        if inject.id in delivered:
            continue
        out.append(
            Undelivered(
                inject.id,
                inject.title,
                inject.phase,
                inject.timing,
                inject.contingency,
                _reason(inject, reached, delivered, facts),
            )
        )
    return out


def _reason(inject: Inject, reached: Collection[str], delivered: set[str], facts: LogFacts) -> str:
    if inject.phase is not None and inject.phase not in reached:
        return f"play never reached its phase ({inject.phase})"
    if inject.timing == "triggered":
        if inject.id in facts.triggered:
            return "triggered, but its phase was not current again before play ended"
        return "no decision or rule triggered it"
    if inject.timing == "when":
        prefix = "not needed: " if inject.contingency else ""
        return f"{prefix}its condition never held ({inject.when})"
    if inject.timing == "after" and inject.after is not None:
        if inject.after.inject not in delivered:
            return f"it follows {inject.after.inject}, which was never delivered"
        return (
            f"play moved on before {format_duration(inject.after.delay)} after "
            f"{inject.after.inject}"
        )
    return f"play left {inject.phase} before +{format_duration(inject.at or 0)}"


def variables(bundle: Bundle, facts: LogFacts, spans: list[PhaseSpan]) -> list[VariableSeries]:
    out = []
    for name, variable in bundle.scenario.variables.items():
        points = [VariablePoint(0, variable.initial, 0, "initial")]
        for seq, change in facts.changes.get(name, []):
            cause = change.cause
            why = (
                f"{cause.role} chose {cause.option} on {cause.inject}"
                if isinstance(cause, ev.OptionChosen)
                else f"rule {cause.id or cause.rule}"
            )
            points.append(VariablePoint(change.t, change.new, seq, why))
        values = [p.value for p in points]
        at_end: dict[str, float] = {}
        for span in spans:
            at_end[span.phase] = _value_at(points, span.end_t)
        out.append(
            VariableSeries(
                name,
                variable.label or name,
                variable.better,
                variable.min,
                variable.max,
                variable.initial,
                values[-1],
                min(values),
                max(values),
                at_end,
                points,
            )
        )
    return out


def _value_at(points: list[VariablePoint], t: int) -> float:
    value = points[0].value
    for point in points:
        if point.t > t:
            break
        value = point.value
    return value


def appendix(bundle: Bundle, facts: LogFacts, labels: Labels) -> list[InjectRecord]:
    """Every inject of the scenario (MSEL order) and every ad-hoc one, with all answers."""
    deliveries: dict[str, list[dict[str, int | str]]] = defaultdict(list)
    asked: dict[str, list[str]] = defaultdict(list)
    read: dict[str, list[int] | None] = {}  # the conditional paragraphs the seats read
    for seq, event, _ in facts.deliveries:
        t = event.t
        read.setdefault(event.inject, event.paragraphs)
        if event.to:
            mine, clock = deliveries[event.inject], labels.clock(t)
            for role in event.to:
                mine.append({"role": role, "t": t, "clock": clock, "seq": seq})
        if event.answer:
            roles = asked[event.inject]
            roles += [r for r in event.answer if r not in roles]
    responses: dict[str, list[ResponseEntry]] = defaultdict(list)
    for d in facts.decisions:
        e = d.event
        responses[e.inject].append(
            ResponseEntry(e.role or "", d.seq, e.option, e.text, e.late, e.delay)
        )
    records = []
    receivers = labels.index.receivers
    for inject in bundle.scenario.injects:
        records.append(
            InjectRecord(
                inject.id,
                inject.title,
                inject.phase,
                inject.timing,
                inject.channel,
                inject.from_,
                receivers(inject),
                inject.contingency,
                False,
                list(inject.tags),
                list(inject.expect),
                inject.notes,
                inject.text(read.get(inject.id)),
                deliveries.get(inject.id) or [],
                asked.get(inject.id) or [],
                responses.get(inject.id) or [],
            )
        )
    for inject_id, adhoc in facts.adhoc.items():
        to = [str(d["role"]) for d in deliveries[inject_id]]
        records.append(
            InjectRecord(
                inject_id,
                adhoc.title,
                None,
                "controller",
                adhoc.channel,
                adhoc.sender,
                to,
                False,
                True,
                [],
                [],
                "",
                adhoc.body,
                deliveries[inject_id],
                asked[inject_id],
                responses[inject_id],
            )
        )
    return records


def reached_phases(spans: list[PhaseSpan]) -> list[str]:
    """The play phases reached, in doctrine order."""
    seen = {s.phase for s in spans}
    return [p for p in PLAY_PHASES if p in seen]
