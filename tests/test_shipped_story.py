"""The shipped story answers play, and tells no run something its table made untrue.

- Facts: every fact an inject or a conditional paragraph states holds when a seat reads it, in
  best, worst and random runs of every shipped scenario; and the sentences that state the
  story's checkable facts appear in no text a run read while the fact did not hold, whether
  or not an author tagged them.
- Phases move on the situation: best play reaches rebuild by a transition that reads the
  situation, not the phase's fallback clock; worst play reaches react earlier than best; every
  scenario can relapse from rebuild into react.
- Names and tone: no real people's names for the invented communities, no Rwanda vocabulary;
  every inject about sexual violence carries trauma-informed handling notes for the facilitator.
"""

from __future__ import annotations

import re

import pytest
from fixtures.shipped import CATALOG as SHIPPED
from fixtures.shipped import SCENARIOS, played

from exercise_engine.engine import events as ev
from exercise_engine.engine.conditions import StateContext
from exercise_engine.engine.facts import contradictions
from exercise_engine.engine.state import apply, initial_state
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.expressions import compile_expression

RUNS = [("best", 1), ("worst", 1)] + [("random", seed) for seed in (1, 2, 3, 4, 5)]


LOGS = {(s, p, seed): played(s, p, seed).log for s in SCENARIOS for p, seed in RUNS}


# -- facts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_inject_states_a_fact_the_seats_made_untrue(scenario: str) -> None:
    bundle = SHIPPED.bundle(scenario)
    for policy, seed in RUNS:
        found = contradictions(bundle, LOGS[(scenario, policy, seed)])
        assert not found, (policy, seed, found)


STATED = {
    "kallen-early-warning": {
        "qrf-at-mareth": [r"(quick reaction force|QRF) in Mareth is", r"QRF is still in Mareth"],
        "qrf-at-lune-falls": [r"(quick reaction force|QRF), forward in Lune Falls"],
        "army-without-orders": [r"captain says he has no orders", r"He says he has no orders"],
        "army-has-orders": [r"captain has his brigade's written\s+orders"],
    },
    "mareth-site-attack": {
        "qrf-in-bora": [
            r"QRF is still in Bora",
            r"QRF left Bora at first light",
            r"No order moved",
        ],
        "qrf-at-the-cob": [
            r"QRF company that came up from Bora",
            r"QRF company has been at the COB",
            r"QRF\s+reached the COB",
        ],
    },
}
"""Sentences that state a checkable fact of the story, by scenario and fact."""


@pytest.mark.parametrize("scenario", sorted(STATED))
def test_no_text_a_seat_read_states_a_fact_that_did_not_hold(scenario: str) -> None:
    """A check by wording, independent of the authors' ``asserts``: the QRF's whereabouts and the
    army's orders, said in any inject a run delivered, agree with what the seats chose."""
    bundle = SHIPPED.bundle(scenario)
    scenario_model = bundle.scenario
    holds = {name: compile_expression(f.holds) for name, f in scenario_model.facts.items()}
    receivers = {i.id: scenario_model.receivers(i, bundle.control) for i in scenario_model.injects}
    checked = 0
    for policy, seed in RUNS:
        state = initial_state(scenario_model)
        for record in LOGS[(scenario, policy, seed)]:
            event = record.event
            if isinstance(event, ev.InjectDelivered) and event.adhoc is None:
                inject = scenario_model.inject(event.inject)
                assert inject is not None
                text = inject.text(event.paragraphs)
                context = StateContext(state, receivers, event.t)
                for fact, patterns in STATED[scenario].items():
                    if any(re.search(p, text) for p in patterns):
                        checked += 1
                        assert holds[fact].evaluate(context), (policy, seed, inject.id, fact)
            apply(event, state)
    assert checked, "the runs read none of the sentences: the check checks nothing"


def test_the_text_before_variants_would_have_contradicted_best_play() -> None:
    """St Anne's as first written ("the QRF in Mareth is two hours by road", "the captain says
    he has no orders") told best play, which moved the QRF forward and gave the army written
    orders, a story it had made untrue: the check finds it."""
    bundle = SHIPPED.bundle("kallen-early-warning")
    inject = bundle.scenario.inject("INJ-203")
    old = inject.model_copy(
        update={"paragraphs": [], "asserts": ["qrf-at-mareth", "army-without-orders"]}
    )
    scenario = bundle.scenario.model_copy(
        update={"injects": [old if i.id == "INJ-203" else i for i in bundle.scenario.injects]}
    )
    scenario.model_post_init(None)
    careless = Bundle(scenario, bundle.rubric, bundle.roles)
    found = contradictions(careless, LOGS[("kallen-early-warning", "best", 1)])
    assert {c.fact for c in found} == {"qrf-at-mareth", "army-without-orders"}


# -- phases --------------------------------------------------------------------------------------


def entries(log: list[ev.Recorded]) -> list[ev.PhaseEntered]:
    return [r.event for r in log if isinstance(r.event, ev.PhaseEntered)]


def reads_the_situation(condition: str) -> bool:
    """A transition condition that reads more than the clock (a variable, a delivery, a choice)."""
    expression = compile_expression(condition)
    return bool(expression.variables or expression.references)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_best_play_reaches_rebuild_by_the_situation_not_the_fallback_clock(scenario: str) -> None:
    bundle = SHIPPED.bundle(scenario)
    rebuild = [e for e in entries(LOGS[(scenario, "best", 1)]) if e.phase == "rebuild"]
    assert rebuild, "best play never reaches rebuild"
    first = rebuild[0]
    assert first.cause == "transition" and first.condition is not None
    assert reads_the_situation(first.condition), first.condition
    fallback = bundle.scenario.phases["react"].next[-1].when or ""
    assert not reads_the_situation(fallback), "the react phase's last way out is its clock"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_worst_play_meets_the_crisis_earlier_than_best_play(scenario: str) -> None:
    def react_at(policy: str) -> int:
        return next(e.t for e in entries(LOGS[(scenario, policy, 1)]) if e.phase == "react")

    assert react_at("worst") < react_at("best")


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_scenario_can_relapse_from_rebuild_into_react(scenario: str) -> None:
    bundle = SHIPPED.bundle(scenario)
    assert any(t.to == "react" for t in bundle.scenario.phases["rebuild"].next)
    relapsed = [
        (policy, seed)
        for policy, seed in RUNS
        if any(
            e.phase == "react" and e.previous == "rebuild"
            for e in entries(LOGS[(scenario, policy, seed)])
        )
    ]
    assert relapsed, "no run relapses"
    assert ("best", 1) not in relapsed


# -- names and tone ------------------------------------------------------------------------------

BANNED = re.compile(
    r"\b(Hamar|Kebu|Amba|Kora|Tembe|cockroach\w*|inyenzi|go to work|finish the (work|job))\b",
    re.IGNORECASE,
)
SEXUAL_VIOLENCE = re.compile(
    r"\b(rape[ds]?|raping|sexual (violence|abuse|assault|exploitation|slavery)|sexually)\b",
    re.IGNORECASE,
)
HANDLING = "**Trauma-informed handling.**"


def texts(bundle: Bundle) -> list[tuple[str, str]]:
    out = [("summary", bundle.scenario.summary)]
    out += [(f"setting.{k}", v) for k, v in bundle.scenario.setting.model_dump().items()]
    out += [(f"actor {a.id}", a.name + " " + a.description) for a in bundle.scenario.actors]
    out += [(f"phase {p}", phase.brief) for p, phase in bundle.scenario.phases.items()]
    for inject in bundle.scenario.injects:
        parts = [inject.title, inject.body, inject.notes, inject.from_]
        parts += [p.text for p in inject.paragraphs]
        if inject.respond is not None:
            parts += [inject.respond.prompt]
            parts += [o.text + "\n" + o.outcome for o in inject.respond.options]
        out.append((inject.id, "\n".join(parts)))
    return out


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_no_real_peoples_names_and_no_genocide_vocabulary(scenario: str) -> None:
    found = [
        (where, m.group(0))
        for where, text in texts(SHIPPED.bundle(scenario))
        for m in BANNED.finditer(text)
    ]
    assert not found, found


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_inject_about_sexual_violence_carries_trauma_informed_handling(
    scenario: str,
) -> None:
    missing = []
    for inject in SHIPPED.bundle(scenario).scenario.injects:
        read = [inject.title, inject.body, *(p.text for p in inject.paragraphs)]
        if inject.respond is not None:
            read += [o.text + " " + o.outcome for o in inject.respond.options]
        tagged = any("crsv" in t or "sexual-violence" in t for t in inject.tags)
        if (tagged or SEXUAL_VIOLENCE.search(" ".join(read))) and HANDLING not in inject.notes:
            missing.append(inject.id)
    assert not missing, missing
