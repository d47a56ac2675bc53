"""The engine's parts: the phase machine asked, not driven; what a condition reads found from
its names; the agenda kept by the engine, not in the state; seqs that are the log's."""

from __future__ import annotations

import dataclasses

from exercise_engine.engine import commands as cmd
from exercise_engine.engine.conditions import ConditionIndex, StateContext
from exercise_engine.engine.engine import Engine
from exercise_engine.engine.events import Event, Recorded
from exercise_engine.engine.phases import Move, PhaseMachine
from exercise_engine.engine.state import ExerciseState, fold
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.catalog import Catalog
from exercise_engine.model.expressions import compile_expression

UN = cmd.Actor.player("un_mission")


def test_what_a_condition_reads_comes_from_its_names_not_its_text() -> None:
    assert compile_expression("movement_restricted >= 2").state_names == frozenset()
    assert compile_expression("move >= 2 and movement_restricted > 1").state_names == {"move"}
    assert compile_expression("phase == 'react' or elapsed >= '1h'").state_names == {
        "phase",
        "elapsed",
    }


def test_move_conditions_are_indexed_by_the_name_move(fixture_catalog: Catalog) -> None:
    moves = fixture_catalog.bundle("moves-test").scenario
    index = ConditionIndex(moves)
    reading_move = {c.index for c in index.conditions if "move" in c.expression.source}
    assert reading_move and index.uses_move == reading_move


def test_the_phase_machine_is_asked_and_never_moves(harbour: Bundle) -> None:
    engine = Engine(harbour)
    machine: PhaseMachine = engine.settling.phases
    state = engine.initial_state()
    state.phase, state.variables["violence"] = "prevent", 9.0
    move = machine.advance("prevent", StateContext(state, engine.receivers, 60))
    assert move == Move("react", 0, "violence >= 7 or elapsed_in_phase >= '6h'")
    state.variables["violence"] = 3.0
    assert machine.advance("prevent", StateContext(state, engine.receivers, 60)) is None
    assert machine.allows("prevent", "force_rebuild")
    assert not machine.allows("prevent", "force_prevent")
    assert not machine.allows("setup", "force_react")
    assert not machine.allows("prevent", "no_such_trigger")
    assert {phase: model.state for phase, model in machine.in_phase.items()} == {
        phase: phase for phase in machine.in_phase
    }


def play(engine: Engine, state: ExerciseState, steps: list[tuple[cmd.Command, int]]) -> list[Event]:
    events: list[Event] = []
    for command, now in steps:
        events += engine.handle(state, command, now).events
    return events


SCRIPT: list[tuple[cmd.Command, int]] = [
    (cmd.StartPlay(), 0),
    (cmd.AdvanceClock(), 1_800),
    (cmd.Respond(actor=UN, inject="I-01", option="A", rationale="Act early."), 2_000),
    (cmd.AdvanceClock(), 30_000),
]


def test_one_engine_serves_two_sessions_interleaved(harbour: Bundle) -> None:
    """The agenda the engine keeps belongs to the state it was made for: a second session
    decided in between (same scenario, same seqs) never borrows it."""
    alone = Engine(harbour)
    expected = play(alone, alone.initial_state(), SCRIPT)
    shared = Engine(harbour)
    first, second = shared.initial_state(), shared.initial_state()
    one: list[Event] = []
    two: list[Event] = []
    for step in SCRIPT:
        one += play(shared, first, [step])
        two += play(shared, second, [step])
    assert one == two == expected


def test_handle_keeps_nothing_in_the_state(harbour: Bundle) -> None:
    engine = Engine(harbour)
    state = engine.initial_state()
    play(engine, state, SCRIPT)
    fields = {f.name for f in dataclasses.fields(ExerciseState)}
    assert "cache" not in fields
    assert dataclasses.replace(state) == state


def test_the_state_seq_is_the_last_stored_seq_even_for_a_partial_log(harbour: Bundle) -> None:
    engine = Engine(harbour)
    state = engine.initial_state()
    log = [*engine.create(state, seed=1), *play(engine, state, SCRIPT)]
    assert state.seq == len(log)
    records = [Recorded(seq, event) for seq, event in enumerate(log, 1)]
    seen_by_un = [r for r in records if r.event.role in (None, "un_mission")]
    assert len(seen_by_un) < seen_by_un[-1].seq  # the others' events are gaps in this log
    assert fold(harbour.scenario, seen_by_un).seq == seen_by_un[-1].seq
    assert fold(harbour.scenario, records) == state
