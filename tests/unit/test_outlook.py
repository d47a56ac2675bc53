"""The controller's outlook: MSEL statuses with their reasons, and what ends the phase.

Driven on the pure engine with a fake clock, on the harbour test scenario (I-01 at +30m of
prevent, I-02 1h after I-01, I-03 when access < 5, I-04 triggered by I-01 option A, I-05 a
contingency on I-01 overdue, I-06 at the start of react, I-08 armed by a rule).
"""

from __future__ import annotations

import pytest

from exercise_engine.engine import commands as cmd
from exercise_engine.engine.engine import Engine
from exercise_engine.engine.outlook import (
    DELIVERED,
    DUE,
    LATE,
    PENDING,
    UNREACHABLE,
    RoleAnswers,
    msel,
    phase_outlook,
    role_answers,
)
from exercise_engine.engine.state import ExerciseState
from exercise_engine.model.bundle import Bundle

UN = cmd.Actor.player("un_mission")


@pytest.fixture
def engine(harbour: Bundle) -> Engine:
    return Engine(harbour)


def started(engine: Engine) -> ExerciseState:
    state = engine.initial_state()
    engine.create(state, seed=1)
    assert engine.handle(state, cmd.StartPlay(), 0).accepted
    return state


def lines(engine: Engine, state: ExerciseState, now: int | None = None) -> dict:
    return {line.inject: line for line in msel(engine, state, now)}


def test_before_play_the_first_phase_injects_are_pending_and_the_rest_wait(engine) -> None:
    state = engine.initial_state()
    engine.create(state, seed=1)
    by_id = lines(engine, state)
    assert by_id["I-01"].status == PENDING
    assert "once play starts" in by_id["I-01"].why
    assert by_id["I-06"].status == UNREACHABLE
    assert by_id["I-02"].why == "1h after I-01"


def test_timed_injects_are_pending_with_their_time_then_due_then_delivered(engine) -> None:
    state = started(engine)
    by_id = lines(engine, state)
    first = by_id["I-01"]
    assert (first.status, first.at) == (PENDING, 30 * 60)
    assert first.why == "+30m into prevent (2030-01-01 06:30)"
    assert by_id["I-02"].status == UNREACHABLE
    assert by_id["I-02"].why == "1h after I-01, which is not out yet"
    # the controller's clock has passed 06:30 but no command has run the engine yet
    assert lines(engine, state, now=31 * 60)["I-01"].status == DUE
    assert engine.handle(state, cmd.AdvanceClock(to=30 * 60), 30 * 60).accepted
    by_id = lines(engine, state)
    assert by_id["I-01"].status == DELIVERED
    assert by_id["I-01"].why == "to un_mission, humanitarian"
    [answer] = by_id["I-01"].answers
    assert (answer.role, answer.due_at, answer.answered_at) == ("un_mission", 90 * 60, None)
    assert (by_id["I-02"].status, by_id["I-02"].at) == (PENDING, 90 * 60)


def test_a_paused_clock_holds_what_is_due(engine) -> None:
    state = started(engine)
    assert engine.handle(state, cmd.Pause(), 10 * 60).accepted
    line = lines(engine, state, now=40 * 60)["I-01"]
    assert line.status == DUE
    assert line.why.endswith("goes out when the clock resumes")


def test_an_overdue_answer_makes_the_inject_late_and_says_who_owes_it(engine) -> None:
    state = started(engine)
    assert engine.handle(state, cmd.AdvanceClock(to=91 * 60), 91 * 60).accepted
    line = lines(engine, state)["I-01"]
    assert line.status == LATE
    assert line.why == "answer overdue from un_mission"
    assert line.overdue == ("un_mission",)


def test_conditions_and_triggers_say_what_they_wait_for(engine) -> None:
    state = started(engine)
    by_id = lines(engine, state)
    assert by_id["I-03"].status == UNREACHABLE
    assert by_id["I-03"].why == "when access < 5 (access 6)"
    assert by_id["I-04"].why == "triggered by I-01 option A; not triggered yet"
    assert by_id["I-08"].why == "triggered by rule joint-patrols; not triggered yet"
    assert by_id["I-06"].why == "+0m into react; play is in prevent"


def test_an_armed_inject_waiting_for_its_phase_says_so(engine) -> None:
    state = started(engine)
    assert engine.handle(state, cmd.AdvanceClock(to=30 * 60), 30 * 60).accepted
    answer = cmd.Respond(actor=UN, inject="I-01", option="A", rationale="because")
    assert engine.handle(state, answer, 40 * 60).accepted
    # I-04 (prevent, triggered) went out at once; it is delivered and awaits the military
    line = lines(engine, state)["I-04"]
    assert line.status == DELIVERED
    assert [a.role for a in line.answers] == ["military"]
    assert lines(engine, state)["I-01"].answers[0].option == "A"


def test_adhoc_injects_join_the_msel_as_delivered(engine) -> None:
    state = started(engine)
    adhoc = cmd.SendInject(to=["police"], title="Roadblock", channel="radio", due=600)
    assert engine.handle(state, adhoc, 5 * 60).accepted
    line = lines(engine, state)["ADHOC-1"]
    assert (line.status, line.adhoc, line.to) == (DELIVERED, True, ("police",))
    assert line.answers[0].due_at == 5 * 60 + 600


def test_phase_outlook_names_each_exit_and_when_the_clock_alone_takes_it(engine) -> None:
    state = started(engine)
    outlook = phase_outlook(engine, state)
    [exit_] = outlook.exits
    assert exit_.to == "react"
    assert exit_.condition == "violence >= 7 or elapsed_in_phase >= '6h'"
    assert not exit_.holds
    assert exit_.by_time == 6 * 3600
    assert exit_.readings == (("violence", 3.0),)
    assert outlook.endex == 20 * 3600


def test_a_transition_on_moves_has_no_clock_time(fixture_catalog) -> None:
    engine = Engine(fixture_catalog.bundle("moves-test"))
    state = started(engine)
    [exit_] = phase_outlook(engine, state).exits
    assert exit_.condition == "move >= 2"
    assert exit_.by_time is None  # moves, not the clock, end this phase


def test_each_roles_answers_are_counted_given_late_awaited_and_overdue(engine) -> None:
    state = started(engine)
    assert engine.handle(state, cmd.AdvanceClock(to=91 * 60), 91 * 60).accepted  # I-01 overdue
    answer = cmd.Respond(actor=UN, inject="I-01", option="B", rationale="wait")
    by_role = {r.role: r for r in role_answers(engine, state)}
    assert (by_role["un_mission"].awaiting, by_role["un_mission"].overdue) == (1, 1)
    assert engine.handle(state, answer, 95 * 60).accepted
    by_role = {r.role: r for r in role_answers(engine, state)}
    un = by_role["un_mission"]
    assert (un.answered, un.late, un.awaiting, un.overdue) == (1, 1, 0, 0)
    # option B (+4 violence) brought the react phase: I-06 asks the police, informs the rest
    assert by_role["police"] == RoleAnswers("police", 0, 0, 1, 0)
    assert by_role["humanitarian"] == RoleAnswers("humanitarian", 0, 0, 0, 0)
