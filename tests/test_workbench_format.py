"""The format's reach (issue 15), in the engine: modules with scenario-time jumps, scenario
times without a date, read-aheads before STARTEX, team decisions answered once, plenaries.

tests/fixtures/ridge/scenarios/ridge-team.yaml: two modules in prevent (the second jumps the
clock to 10:00), one in react (to 22:00), two read-aheads, a team decision whose option
triggers a follow-up, and a plenary; the start is "06:00", with no date.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.engine.engine import Engine
from exercise_engine.engine.state import ExerciseState
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.calendar import Calendar, module_starts
from exercise_engine.model.loader import load_catalog
from exercise_engine.model.scenario import Clock

RIDGE = Path(__file__).parent / "fixtures" / "ridge"
DIRECTOR = cmd.Actor.player("eoc_director", seat="s-dir", name="Dana")
LOGISTICS = cmd.Actor.player("logistics", seat="s-log", name="Lee")
PIO = cmd.Actor.player("pio", seat="s-pio", name="Pat")


@pytest.fixture(scope="module")
def ridge() -> Bundle:
    return load_catalog([RIDGE], include_content_path=False).bundle("ridge-team")


def run(engine: Engine, state: ExerciseState, command: cmd.Command, now: int) -> list[ev.Event]:
    outcome = engine.handle(state, command, now)
    assert outcome.accepted, outcome.rejection
    return list(outcome.events)


def of(events: list[ev.Event], kind: type, **match: object) -> list:
    return [
        e
        for e in events
        if isinstance(e, kind) and all(getattr(e, k) == v for k, v in match.items())
    ]


def test_read_aheads_go_out_at_the_briefing_earliest_first(ridge: Bundle) -> None:
    engine = Engine(ridge)
    state = engine.initial_state()
    events = run(engine, state, cmd.StartBriefing(), 0)
    delivered = of(events, ev.InjectDelivered)
    assert [d.inject for d in delivered] == ["READ-1", "READ-2"]
    assert delivered[0].to == ["eoc_director", "logistics", "pio"]  # players: no control cell
    assert state.phase == "briefing"
    early = engine.handle(state, cmd.Respond(actor=PIO, inject="READ-1", text="Read."), 0)
    assert early.rejection == "the exercise has not started yet"  # answers come in play
    events = run(engine, state, cmd.StartPlay(), 0)
    assert not of(events, ev.InjectDelivered)  # not twice
    answered = run(engine, state, cmd.Respond(actor=PIO, inject="READ-1", text="Read them."), 60)
    assert sorted(e.role for e in of(answered, ev.ResponseRecorded)) == [
        "eoc_director",
        "logistics",
        "pio",
    ]


def test_starting_play_without_a_briefing_still_sends_the_read_aheads_first(
    ridge: Bundle,
) -> None:
    engine = Engine(ridge)
    state = engine.initial_state()
    events = run(engine, state, cmd.StartPlay(), 0)
    kinds = [(type(e).__name__, getattr(e, "phase", getattr(e, "inject", ""))) for e in events]
    assert kinds.index(("InjectDelivered", "READ-1")) < kinds.index(("PhaseEntered", "prevent"))


def test_a_module_inject_counts_from_its_module(ridge: Bundle) -> None:
    engine = Engine(ridge)
    state = engine.initial_state()
    run(engine, state, cmd.StartPlay(), 0)
    events = run(engine, state, cmd.AdvanceClock(), 49 * 60)
    assert not of(events, ev.InjectDelivered, inject="GEN")
    events = run(engine, state, cmd.AdvanceClock(), 50 * 60)
    assert [e.t for e in of(events, ev.InjectDelivered, inject="GEN")] == [50 * 60]


def test_a_team_decision_is_answered_once_and_its_branch_fires_once(ridge: Bundle) -> None:
    engine = Engine(ridge)
    state = engine.initial_state()
    run(engine, state, cmd.StartPlay(), 0)
    run(engine, state, cmd.AdvanceClock(), 50 * 60)
    events = run(
        engine,
        state,
        cmd.Respond(actor=LOGISTICS, inject="GEN", option="A", rationale="Track"),
        55 * 60,
    )
    answers = of(events, ev.ResponseRecorded, inject="GEN")
    assert [(a.role, a.team_answer, a.option, a.by) for a in answers] == [
        ("logistics", "", "A", "Lee"),
        ("eoc_director", "logistics", "A", "Lee"),
    ]
    assert len(of(events, ev.VariableChanged)) == 1 and state.variables["backlog"] == 1
    assert len(of(events, ev.InjectDelivered, inject="TENDERS")) == 1
    again = engine.handle(state, cmd.Respond(actor=DIRECTOR, inject="GEN", option="B"), 56 * 60)
    assert again.rejection == "GEN already answered by Lee at 10:15 (option A)"
    assert state.variables["backlog"] == 1


def test_the_clock_jumps_with_the_modules_play_has_started(ridge: Bundle) -> None:
    engine = Engine(ridge)
    state = engine.initial_state()
    run(engine, state, cmd.StartPlay(), 0)
    run(engine, state, cmd.AdvanceClock(), 115 * 60)
    labels = {t: engine.clock_label(t, state) for t in (0, 39 * 60, 40 * 60, 50 * 60, 89 * 60)}
    assert labels == {0: "06:00", 2340: "06:39", 2400: "10:00", 3000: "10:10", 5340: "10:49"}
    assert state.phase == "react"  # entered at 1h30m play: 10:50; its module at +10m: 22:00
    assert engine.clock_label(100 * 60, state) == "22:00"
    assert engine.clock_label(110 * 60, state) == "22:10"
    assert engine.clock_label(40 * 60) == "06:40"  # without the session: no jump known


def test_a_phase_left_before_its_module_starts_never_jumps(ridge: Bundle) -> None:
    scenario = ridge.scenario
    starts = module_starts(scenario, [("prevent", 0), ("react", 30 * 60)])
    assert [(t, m.id) for t, _, m in starts] == [(0, "T1"), (40 * 60, "T3")]
    calendar = Calendar.of(scenario.clock).following(scenario, [("prevent", 0), ("react", 1800)])
    assert calendar.label(35 * 60) == "06:35" and calendar.label(40 * 60) == "22:00"


@pytest.mark.parametrize(
    ("start", "t", "label"),
    [
        ("06:00", 0, "06:00"),
        ("06:00", 20 * 3600, "D+1 02:00"),
        ("06:00", -86_400, "D-1 06:00"),
        ("2031-08-02 06:00", -86_400, "2031-08-01 06:00"),
        (None, 5400, "T+1h30m"),
        (None, -3600, "T-1h"),
    ],
)
def test_scenario_times_with_and_without_a_date(start: str | None, t: int, label: str) -> None:
    assert Calendar.of(Clock(start=start)).label(t) == label


def test_the_new_fields_survive_the_stored_bundle(ridge: Bundle) -> None:
    again = Bundle.from_json(ridge.to_json())
    assert again == ridge
    assert again.scenario.phases["prevent"].modules[1].clock == "10:00"
    assert again.scenario.inject("GEN").respond.team  # type: ignore[union-attr]
    assert again.scenario.read_aheads[0].id == "READ-1"


def test_a_plenary_is_answered_by_the_room_once(ridge: Bundle) -> None:
    engine = Engine(ridge)
    state = engine.initial_state()
    run(engine, state, cmd.StartPlay(), 0)
    run(engine, state, cmd.AdvanceClock(), 105 * 60)
    assert {r for (i, r) in state.awaiting if i == "NIGHT"} == {"eoc_director", "logistics", "pio"}
    events = run(engine, state, cmd.Respond(actor=PIO, inject="NIGHT", text="Hand over."), 106 * 60)
    assert len(of(events, ev.ResponseRecorded, inject="NIGHT")) == 3
    assert not {r for (i, r) in state.awaiting if i == "NIGHT"}


@pytest.mark.parametrize("path", sorted(RIDGE.rglob("*.yaml")), ids=lambda p: p.name)
def test_the_editors_schema_accepts_the_new_fields(path: Path) -> None:
    """Modules, read-aheads, plenaries, team decisions, `to: players`, undated times, meta."""
    import jsonschema
    import yaml

    from exercise_engine.model.schema import json_schema

    kind = {"scenarios": "scenario", "roles": "role", "scoring": "rubric"}[path.parent.name]
    schema = json_schema(kind)
    jsonschema.validate(
        yaml.safe_load(path.read_text()), schema, cls=jsonschema.Draft202012Validator
    )
    if path.name == "ridge-team.yaml":
        data = yaml.safe_load(path.read_text())
        data["clock"]["start"] = "6 o'clock"
        problems = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
        assert problems and "6 o'clock" in problems[0].message
