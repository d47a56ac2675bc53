"""The decision log: every answer, with its rationale, timeliness and consequences."""

from __future__ import annotations

from exercise_engine.model.bundle import Bundle
from exercise_engine.model.scenario import Option
from exercise_engine.report.model import Consequence, Decision, MissedDecision
from exercise_engine.report.reader import LogFacts
from exercise_engine.report.text import Labels
from exercise_engine.scoring.evidence import OVERDUE, Evidence
from exercise_engine.scoring.index import Index
from exercise_engine.scoring.scale import Scale


def decisions(bundle: Bundle, facts: LogFacts, labels: Labels) -> list[Decision]:
    """Every decision of the log, in log order (one loop with its lookups bound once: a long
    session has tens of thousands of decisions, and JSON and CSV carry each one)."""
    scale = Scale(bundle.rubric)
    index, clock, role_name, title = labels.index, labels.clock, labels.role, labels.inject
    option_of, adhoc = index.option, facts.adhoc
    out = []
    for found in facts.decisions:
        event = found.event
        option = option_of(event.inject, event.option)
        due_s = None
        if found.due_at is not None and found.delivered_t is not None:
            due_s = found.due_at - found.delivered_t
        role = event.role or ""
        out.append(
            Decision(  # positional, in the field order of model.Decision: 15% faster here
                found.seq,
                event.t,
                clock(event.t),
                found.phase,
                role,
                role_name(role),
                event.seat,
                event.inject,
                title(event.inject, adhoc),
                event.option,
                option.text if option else "",
                event.text,
                event.rationale,
                found.delivered_t,
                due_s,
                event.delay,
                event.late,
                option.outcome if option else "",
                _in_rubric_order(index, option.scores, scale) if option else {},
                _preferred(index, event.inject, option, role),
                [Consequence(c.variable, c.old, c.new, seq, via) for c, seq, via in found.changes],
                list(dict.fromkeys(found.triggered)) if found.triggered else [],
                list(dict.fromkeys(found.rules)) if found.rules else [],
                event.confidence,
            )
        )
    return out


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
    low, high, clamp = scale.low, scale.high, scale.clamp
    if len(scores) <= 1:
        ranked = list(scores)
    else:
        order = index.order
        try:
            ranked = sorted(scores, key=order.__getitem__)  # rubric criteria: distinct positions
        except KeyError:
            ranked = sorted(scores, key=lambda c: (order.get(c, len(order)), c))
    # inside the scale, clamp keeps the points as they are
    return {c: p if low < (p := scores[c]) < high else clamp(p) for c in ranked}


def _preferred(index: Index, inject: str, chosen: Option | None, role: str) -> str | None:
    """The option of ``inject`` the rubric values most for ``role``, if ``chosen`` is valued
    below it (model/value.py: the value the best bot maximises)."""
    best = index.preferred(inject, role)
    if chosen is None or best is None:
        return None
    return best[0].id if index.value(inject, chosen, role) < best[1] else None
