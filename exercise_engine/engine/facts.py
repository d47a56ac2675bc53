"""Facts the story states, checked against what the seats did.

A scenario names the facts its injects state (``facts``: a line of text and the condition under
which it is true: "the QRF is at Lune Falls" holds once the force or the mission moved it
there). An inject's body ``asserts`` facts, and so does each conditional paragraph; a paragraph
is read only where its own condition held at delivery. A seat that reads an asserted fact that
did not hold at that moment has been told a story that contradicts what the seats did ("the QRF
is two hours away" after the QRF was moved forward). ``contradictions`` replays a log and finds
every such reading; the shipped scenarios are checked with best, worst and random runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from exercise_engine.engine import events as ev
from exercise_engine.engine.conditions import StateContext
from exercise_engine.engine.state import apply, initial_state
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.expressions import compile_expression
from exercise_engine.model.scenario import Inject


@dataclass(frozen=True, slots=True)
class Contradiction:
    """``roles`` read, at scenario time ``t``, inject ``inject`` stating ``fact`` (its text:
    ``text``) while the fact did not hold."""

    t: int
    inject: str
    roles: tuple[str, ...]
    fact: str
    text: str


def asserted(inject: Inject, paragraphs: Iterable[int] | None) -> list[str]:
    """The facts a delivery of ``inject`` states: its body's and those of the paragraphs read."""
    facts = list(inject.asserts)
    for index in paragraphs or ():
        if index < len(inject.paragraphs):
            facts += [f for f in inject.paragraphs[index].asserts if f not in facts]
    return facts


def contradictions(bundle: Bundle, log: Iterable[ev.Recorded]) -> list[Contradiction]:
    """Every delivery in ``log`` that told its roles a fact that did not hold at that moment."""
    scenario = bundle.scenario
    receivers = {i.id: scenario.receivers(i, bundle.control) for i in scenario.injects}
    holds = {name: compile_expression(fact.holds) for name, fact in scenario.facts.items()}
    state = initial_state(scenario)
    found: list[Contradiction] = []
    for record in log:
        event = record.event
        if isinstance(event, ev.InjectDelivered) and event.adhoc is None:
            inject = scenario.inject(event.inject)
            if inject is not None:
                context = StateContext(state, receivers, event.t)
                for fact in asserted(inject, event.paragraphs):
                    if fact in holds and not holds[fact].evaluate(context):
                        text = scenario.facts[fact].text
                        found.append(
                            Contradiction(event.t, event.inject, tuple(event.to), fact, text)
                        )
        apply(event, state)
        state.seq = record.seq
    return found
