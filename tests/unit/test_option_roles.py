"""Options per role: a seat is offered only the courses of action its mandate allows.

An option with ``roles`` is open to those answering roles only: the validator checks the roles
answer the inject and that every answering role keeps at least one option; the engine refuses an
option that is not open to the seat's role, with the reason; bots choose among their own options.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tinycontent import course_catalog, messages, scenario_text

from exercise_engine.engine import commands as cmd
from exercise_engine.engine.engine import Engine
from exercise_engine.session import simulate as sim
from exercise_engine.store import Store

SCENARIO = scenario_text(
    "gate-test",
    "[military, humanitarian]",
    """\
variables:
  violence: {initial: 5, min: 0, max: 10, better: lower}
injects:
  - id: GATE
    phase: prevent
    at: "+0m"
    to: [military, humanitarian]
    channel: radio
    title: "Civilians at the gate"
    respond:
      due: "30m"
      options:
        - {id: A, text: "Open the gate", roles: [military], scores: {PRO-1: 4},
           effects: {violence: -1}}
        - {id: B, text: "Keep it shut", roles: [military], scores: {PRO-1: 1}}
        - {id: C, text: "Run services inside the wire", roles: [humanitarian],
           scores: {PRO-1: 4}}
        - {id: D, text: "Serve at the stadium", roles: [humanitarian], scores: {PRO-1: 1}}
""",
)


def test_options_open_to_some_roles_validate(tmp_path: Path) -> None:
    catalog = course_catalog(tmp_path, "gate-test", SCENARIO)
    assert not catalog.diagnostics.errors, messages(catalog)
    respond = catalog.bundle("gate-test").scenario.inject("GATE").respond
    assert [o.id for o in respond.offered("military")] == ["A", "B"]
    assert [o.id for o in respond.offered("humanitarian")] == ["C", "D"]


def test_an_option_open_to_a_role_that_does_not_answer_is_an_error(tmp_path: Path) -> None:
    catalog = course_catalog(
        tmp_path,
        "gate-test",
        SCENARIO.replace(
            "roles: [military], scores: {PRO-1: 1}", "roles: [police], scores: {PRO-1: 1}"
        ),
    )
    assert any(
        "option B is open to role 'police', which does not answer GATE" in m
        for m in messages(catalog)
    ), messages(catalog)


def test_a_role_left_without_options_is_an_error(tmp_path: Path) -> None:
    text = SCENARIO.replace(
        "roles: [humanitarian],\n           scores: {PRO-1: 4}",
        "roles: [military],\n           scores: {PRO-1: 4}",
    )
    text = text.replace(
        "roles: [humanitarian], scores: {PRO-1: 1}", "roles: [military], scores: {PRO-1: 1}"
    )
    catalog = course_catalog(tmp_path, "gate-test", text)
    assert any(
        "role 'humanitarian' must answer GATE but no option is open to it" in m
        for m in messages(catalog)
    ), messages(catalog)


def test_the_engine_refuses_an_option_outside_the_role_with_its_reason(tmp_path: Path) -> None:
    bundle = course_catalog(tmp_path, "gate-test", SCENARIO).bundle("gate-test")
    engine = Engine(bundle)
    state = engine.initial_state()
    engine.handle(state, cmd.StartPlay(), 0)
    humanitarian = cmd.Actor.player("humanitarian", seat="h1")
    refused = engine.handle(
        state, cmd.Respond(actor=humanitarian, inject="GATE", option="A", rationale="x"), 60
    )
    assert refused.rejection == ("option A of GATE is not open to your role; your options are C, D")
    accepted = engine.handle(
        state, cmd.Respond(actor=humanitarian, inject="GATE", option="C", rationale="x"), 60
    )
    assert accepted.accepted, accepted.rejection


@pytest.mark.parametrize("policy", ["best", "worst", "random", "first", "longest"])
def test_bots_choose_among_their_own_options(tmp_path: Path, policy: str) -> None:
    bundle = course_catalog(tmp_path, "gate-test", SCENARIO).bundle("gate-test")
    with Store(":memory:") as store:
        controller = sim.start(store, bundle, 4, policy)
        run = sim.run(controller, policy)
        chosen = {(role, d.option) for (inject, role), d in controller.state.deliveries.items()}
    assert not run.rejections
    for role, option in chosen:
        assert option in {"military": {"A", "B"}, "humanitarian": {"C", "D"}}[role]
