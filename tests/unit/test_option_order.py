"""The order a seat sees an inject's options in: shuffled per session and role, recorded.

Authored order carries no meaning a table could use: each answering role is shown its own
options in an order drawn from the session's seed, the inject and the role; the engine records
it on the delivery (``InjectDelivered.order``), and every reader shows that order.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path

from tinycontent import course_catalog, scenario_text

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.engine.engine import Engine
from exercise_engine.engine.option_order import option_order, orders, shown_options
from exercise_engine.engine.state import apply
from exercise_engine.engine.visibility import reading
from exercise_engine.store.eventstore import dumps

SCENARIO = scenario_text(
    "order-test",
    "[military, humanitarian, police]",
    """\
injects:
  - id: GATE
    phase: prevent
    at: "+0m"
    to: [military, humanitarian, police]
    channel: radio
    title: "Civilians at the gate"
    respond:
      roles: [military, humanitarian]
      due: "30m"
      options:
        - {id: A, text: "Open the gate", roles: [military]}
        - {id: B, text: "Keep it shut", roles: [military]}
        - {id: C, text: "Interpose at the wire", roles: [military]}
        - {id: D, text: "Call the army", roles: [military]}
        - {id: E, text: "Run services inside the wire", roles: [humanitarian]}
        - {id: F, text: "Serve at the stadium", roles: [humanitarian]}
        - {id: G, text: "Suspend and go public", roles: [humanitarian]}
""",
)


def _delivered(tmp_path: Path, seed: int) -> tuple[Engine, ev.InjectDelivered]:
    engine = Engine(course_catalog(tmp_path, "order-test", SCENARIO).bundle("order-test"))
    state = engine.initial_state()
    for event in engine.create(state, seed):
        apply(event, state)
    outcome = engine.handle(state, cmd.StartPlay(), 0)
    delivery = next(e for e in outcome.events if isinstance(e, ev.InjectDelivered))
    return engine, delivery


def test_one_seed_one_order_and_the_order_is_a_permutation() -> None:
    ids = ["A", "B", "C", "D"]
    first = option_order(7, "INJ-1", "military", ids)
    assert option_order(7, "INJ-1", "military", ids) == first
    assert sorted(first) == ids


def test_orders_differ_between_sessions_injects_and_roles() -> None:
    ids = ["A", "B", "C", "D"]
    by_seed = {tuple(option_order(s, "INJ-1", "military", ids)) for s in range(40)}
    by_inject = {tuple(option_order(7, f"INJ-{i}", "military", ids)) for i in range(40)}
    by_role = {tuple(option_order(7, "INJ-1", r, ids)) for r in ("military", "police", "hc")}
    assert len(by_seed) > 12 and len(by_inject) > 12 and len(by_role) > 1


def test_every_authored_position_is_shown_first_about_equally_often() -> None:
    """Over many sessions, the authored first option is shown in each place a quarter of the
    time: where an author put the best option says nothing about where a seat sees it."""
    ids = ["A", "B", "C", "D"]
    places = Counter(option_order(s, "INJ-9", "un_mission", ids).index("A") for s in range(4000))
    assert all(900 < places[p] < 1100 for p in range(4)), places
    permutations = Counter(tuple(option_order(s, "X", "r", ids)) for s in range(4000))
    assert set(permutations) == set(itertools.permutations(ids))


def test_the_engine_records_each_answering_roles_order_of_its_own_options(
    tmp_path: Path,
) -> None:
    engine, delivery = _delivered(tmp_path, seed=11)
    respond = engine.scenario.inject("GATE").respond
    assert delivery.order == orders(11, "GATE", respond, ["military", "humanitarian"])
    assert set(delivery.order) == {"military", "humanitarian"}  # police reads, does not answer
    assert sorted(delivery.order["military"]) == ["A", "B", "C", "D"]
    assert sorted(delivery.order["humanitarian"]) == ["E", "F", "G"]
    shown = shown_options(respond, "military", delivery.order)
    assert [o.id for o in shown] == delivery.order["military"]
    stored = json.loads(dumps(delivery.payload()))
    assert ev.decode_event("InjectDelivered", delivery.t, None, None, stored) == delivery


def test_each_role_reads_its_own_options_in_its_own_order_and_nobody_reads_the_others(
    tmp_path: Path,
) -> None:
    engine, delivery = _delivered(tmp_path, seed=3)
    read = reading(delivery, ["military", "humanitarian", "police"], engine.bundle, lambda _: None)
    assert read is not None
    assert "order" not in read.public
    assert "options" not in read.shown["inject"]  # the police seat does not answer
    views = {role: shown["inject"]["options"] for role, _, shown in read.own}
    for role in ("military", "humanitarian"):
        assert [o["id"] for o in views[role]] == delivery.order[role]


def test_a_log_from_before_the_order_shows_the_authored_order_of_the_roles_options(
    tmp_path: Path,
) -> None:
    respond = (
        course_catalog(tmp_path, "order-test", SCENARIO)
        .bundle("order-test")
        .scenario.inject("GATE")
        .respond
    )
    assert [o.id for o in shown_options(respond, "humanitarian", None)] == ["E", "F", "G"]


def test_the_roles_of_a_team_decision_see_one_order(tmp_path: Path) -> None:
    """A team decision is one table: every role sees the options in the same order."""
    team = SCENARIO.replace(
        "      roles: [military, humanitarian]\n      due:",
        "      roles: [military, humanitarian]\n      team: true\n      due:",
    )
    team = team.replace(", roles: [military]}", "}").replace(", roles: [humanitarian]}", "}")
    bundle = course_catalog(tmp_path, "order-test", team).bundle("order-test")
    engine = Engine(bundle)
    state = engine.initial_state()
    for event in engine.create(state, 5):
        apply(event, state)
    delivery = next(
        e
        for e in engine.handle(state, cmd.StartPlay(), 0).events
        if isinstance(e, ev.InjectDelivered)
    )
    assert delivery.order is not None
    assert delivery.order["military"] == delivery.order["humanitarian"]
    assert sorted(delivery.order["military"]) == list("ABCDEFG")
