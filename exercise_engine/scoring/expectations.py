"""Expectations evaluators have not rated yet: a to-do list, never a blocker.

An inject that ``expect``s rubric criteria asks evaluators to rate those criteria for the roles
it concerns (the roles asked to answer it, or every receiver of an inject for information).
The evaluator console lists what is still unrated so nothing is forgotten; nothing waits on it:
whatever is still unrated when the exercise ends is simply not observed (N/O) in the AAR.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from exercise_engine.engine import events as ev
from exercise_engine.engine.events import Recorded
from exercise_engine.model.bundle import Bundle
from exercise_engine.scoring.index import Index


@dataclass(frozen=True)
class Expectation:
    """One criterion an inject expects of one role, not rated yet."""

    inject: str
    role: str
    criterion: str
    title: str
    look_for: tuple[str, ...]
    delivered_t: int
    delivered_seq: int


def unrated(bundle: Bundle, log: Sequence[Recorded]) -> list[Expectation]:
    """The expectations of delivered injects no evaluator has rated yet, oldest first.

    A rating counts when it names the role and criterion and either links the inject or links
    no inject and was recorded after the delivery.
    """
    index = Index(bundle)
    wanted: dict[tuple[str, str, str], Expectation] = {}
    for seq, event, _ in log:
        if isinstance(event, ev.InjectDelivered):
            inject = index.injects.get(event.inject)
            if inject is None or not inject.expect:
                continue
            for role in event.answer or event.to:
                for criterion_id in inject.expect:
                    key = (inject.id, role, criterion_id)
                    if key in wanted or not index.applies(criterion_id, role):
                        continue
                    criterion = index.criteria[criterion_id]
                    wanted[key] = Expectation(
                        inject.id,
                        role,
                        criterion_id,
                        criterion.title,
                        tuple(criterion.look_for),
                        event.t,
                        seq,
                    )
        elif isinstance(event, ev.ObservationRecorded):
            role, criterion_id = event.role or "", event.criterion
            if event.inject is not None:
                wanted.pop((event.inject, role, criterion_id), None)
                continue
            for key in [k for k in wanted if k[1:] == (role, criterion_id)]:
                del wanted[key]
    return sorted(wanted.values(), key=lambda e: (e.delivered_seq, e.role, e.criterion))
