"""The decision log: every answer, with its rationale, timeliness and consequences."""

from __future__ import annotations

from exercise_engine.model.bundle import Bundle
from exercise_engine.model.scenario import Option
from exercise_engine.report.model import Consequence, Decision, MissedDecision
from exercise_engine.report.reader import DecisionFacts, LogFacts
from exercise_engine.report.text import Labels
from exercise_engine.scoring.evidence import OVERDUE, Evidence
from exercise_engine.scoring.index import Index
from exercise_engine.scoring.scale import Scale


def decisions(bundle: Bundle, facts: LogFacts, labels: Labels) -> list[Decision]:
    scale = Scale(bundle.rubric)
    return [_decision(scale, d, facts, labels) for d in facts.decisions]


def _decision(scale: Scale, facts_: DecisionFacts, facts: LogFacts, labels: Labels) -> Decision:
    event = facts_.event
    index = labels.index
    option = index.option(event.inject, event.option)
    due_s = None
    if facts_.due_at is not None and facts_.delivered_t is not None:
        due_s = facts_.due_at - facts_.delivered_t
    role = event.role or ""
    return Decision(
        seq=facts_.seq,
        t=event.t,
        clock=labels.clock(event.t),
        phase=facts_.phase,
        role=role,
        role_name=labels.role(role),
        seat=event.seat,
        inject=event.inject,
        inject_title=labels.inject(event.inject, facts.adhoc),
        option=event.option,
        option_text=option.text if option else "",
        text=event.text,
        rationale=event.rationale,
        delivered_t=facts_.delivered_t,
        due_s=due_s,
        delay_s=event.delay,
        late=event.late,
        outcome=option.outcome if option else "",
        points=_in_rubric_order(index, option.scores, scale) if option else {},
        preferred=_preferred(index, event.inject, option),
        consequences=[
            Consequence(c.variable, c.old, c.new, seq, via) for c, seq, via in facts_.changes
        ],
        triggered=list(dict.fromkeys(facts_.triggered)) if facts_.triggered else [],
        rules=list(dict.fromkeys(facts_.rules)) if facts_.rules else [],
    )


def missed(evidence: Evidence, labels: Labels, facts: LogFacts) -> list[MissedDecision]:
    """Answers asked for and never given (past due, or still missing at ENDEX)."""
    out = []
    for answer in sorted(evidence.answers.values(), key=lambda a: a.delivered_seq):
        status = answer.status
        if status != OVERDUE and not (evidence.ended and answer.response_seq is None):
            continue
        out.append(
            MissedDecision(
                inject=answer.inject,
                inject_title=labels.inject(answer.inject, facts.adhoc),
                role=answer.role,
                role_name=labels.role(answer.role),
                phase=answer.phase,
                delivered_t=answer.delivered_t,
                due_at=answer.due_at,
                clock=labels.clock(answer.delivered_t),
                seqs=list(answer.seqs),
            )
        )
    return out


def _in_rubric_order(index: Index, scores: dict[str, float], scale: Scale) -> dict[str, float]:
    """Option points listed as the rubric lists its criteria (stored bundles sort keys)."""
    clamp = scale.clamp
    if len(scores) <= 1:
        return {c: clamp(p) for c, p in scores.items()}
    order = index.order
    try:
        ranked = sorted(scores, key=order.__getitem__)  # rubric criteria: distinct positions
    except KeyError:
        ranked = sorted(scores, key=lambda c: (order.get(c, len(order)), c))
    return {c: clamp(scores[c]) for c in ranked}


def _preferred(index: Index, inject: str, chosen: Option | None) -> str | None:
    """The rubric's preferred option of ``inject`` if ``chosen`` is valued below it."""
    best = index.preferred(inject)
    if chosen is None or best is None:
        return None
    value = index.value(inject, chosen)
    return best[0].id if value is not None and value < best[1] else None
