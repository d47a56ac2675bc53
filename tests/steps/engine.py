"""Steps for what controllers and trainees do in a running exercise.

Steps drive the real controller (engine + SQLite store) synchronously; scenario time is written
``HH:MM`` since STARTEX.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import msgspec
import pytest
from pytest_bdd import given, parsers, then, when

from exercise_engine.engine import commands as cmd
from exercise_engine.engine.engine import Outcome
from exercise_engine.engine.state import fold
from exercise_engine.model.catalog import Catalog
from exercise_engine.session.controller import ExerciseController
from exercise_engine.store import Store

ROLES = {
    "host state": "host_state",
    "UN mission": "un_mission",
    "military": "military",
    "police": "police",
    "humanitarian": "humanitarian",
}


def clock(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 3600 + int(minutes) * 60


def role_id(name: str) -> str:
    return ROLES.get(name, name)


@dataclass
class Exercise:
    """A live session as the steps see it: the controller and the last command's outcome."""

    controller: ExerciseController
    db_path: Path
    last: Outcome | None = None
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def state(self):
        return self.controller.state

    def submit(self, command: cmd.Command, at: str | None = None) -> Outcome:
        outcome = self.controller.submit(command, clock(at) if at else None)
        self.last = outcome
        self.outcomes.append(outcome)
        return outcome

    def log(self):
        self.controller.flush()
        return self.controller.store.events(self.controller.session_id)


# -- Given -------------------------------------------------------------------------------------


@given(parsers.parse('a running exercise of "{scenario}"'), target_fixture="exercise")
def running_exercise(
    scenario: str, fixture_catalog: Catalog, store: Store, db_path: Path
) -> Exercise:
    """A session created from the test content and started (play begins in prevent at 00:00)."""
    controller = ExerciseController.create(store, fixture_catalog.bundle(scenario), seed=7)
    exercise = Exercise(controller, db_path)
    exercise.submit(cmd.StartPlay(), "00:00")
    return exercise


@given(parsers.parse('an exercise of "{scenario}" in setup'), target_fixture="exercise")
def exercise_in_setup(
    scenario: str, fixture_catalog: Catalog, store: Store, db_path: Path
) -> Exercise:
    controller = ExerciseController.create(store, fixture_catalog.bundle(scenario), seed=7)
    return Exercise(controller, db_path)


# -- When --------------------------------------------------------------------------------------


@when(parsers.parse("the clock reaches {at}"))
def clock_reaches(exercise: Exercise, at: str) -> None:
    """The controller's clock runs to ``at``; everything scheduled up to then happens."""
    exercise.submit(cmd.AdvanceClock(), at)


@when(
    parsers.re(
        r"the (?P<role>.+) answers (?P<inject>\S+) with option (?P<option>\w+) "
        r"at (?P<at>\d+:\d\d)"
    )
)
def answers_with_option(exercise: Exercise, role: str, inject: str, option: str, at: str) -> None:
    exercise.submit(
        cmd.Respond(
            actor=cmd.Actor.player(role_id(role)),
            inject=inject,
            option=option,
            rationale="Because doctrine says so.",
        ),
        at,
    )


@when(parsers.parse('the {role} answers {inject} in their own words "{text}" at {at}'))
def answers_in_words(exercise: Exercise, role: str, inject: str, text: str, at: str) -> None:
    exercise.submit(
        cmd.Respond(
            actor=cmd.Actor.player(role_id(role)),
            inject=inject,
            text=text,
            rationale="Our own plan.",
        ),
        at,
    )


@when(parsers.parse("the {role} answers {inject} with option {option} and no rationale at {at}"))
def answers_without_rationale(
    exercise: Exercise, role: str, inject: str, option: str, at: str
) -> None:
    exercise.submit(
        cmd.Respond(actor=cmd.Actor.player(role_id(role)), inject=inject, option=option), at
    )


@when(parsers.parse("the controller pauses the exercise at {at}"))
def controller_pauses(exercise: Exercise, at: str) -> None:
    exercise.submit(cmd.Pause(), at)


@when(parsers.parse("the controller resumes the exercise at {at}"))
def controller_resumes(exercise: Exercise, at: str) -> None:
    exercise.submit(cmd.Resume(), at)


@when("the controller holds the phase")
def controller_holds(exercise: Exercise) -> None:
    exercise.submit(cmd.HoldPhase(hold=True))


@when(parsers.parse("the controller releases the phase at {at}"))
def controller_releases(exercise: Exercise, at: str) -> None:
    exercise.submit(cmd.HoldPhase(hold=False), at)


@when(parsers.parse("the controller forces the {phase} phase at {at}"))
def controller_forces(exercise: Exercise, phase: str, at: str) -> None:
    exercise.submit(cmd.ForcePhase(phase=phase), at)


@when(
    parsers.re(
        r"the controller sends (?P<inject>[\w-]+) to the (?P<role>.+) "
        r"at (?P<at>\d+:\d\d)"
    )
)
def controller_sends(exercise: Exercise, inject: str, role: str, at: str) -> None:
    exercise.submit(cmd.SendInject(inject=inject, to=[role_id(role)]), at)


@when(parsers.parse('the controller sends an ad-hoc inject "{title}" to the {role} at {at}'))
def controller_sends_adhoc(exercise: Exercise, title: str, role: str, at: str) -> None:
    exercise.submit(cmd.SendInject(title=title, body="Ad-hoc.", to=[role_id(role)]), at)


@when(parsers.parse("the controller starts the next move"))
def next_move(exercise: Exercise) -> None:
    exercise.submit(cmd.NextMove())


@when(parsers.parse("the {role} seat submits an answer to {inject} with option {option}"))
def seat_submits(exercise: Exercise, role: str, inject: str, option: str) -> None:
    """A seat in another process writes to the command inbox; it does not touch the engine."""
    seat = f"seat-{role_id(role)}"
    with Store(exercise.db_path) as seat_store:
        session = exercise.controller.session_id
        seat_store.join(session, seat, role=role_id(role), name=role, kind="player")
        seat_store.submit(
            session,
            cmd.Respond(
                actor=cmd.Actor.player(role_id(role), seat=seat),
                inject=inject,
                option=option,
                rationale="From the seat.",
            ),
        )


@when(parsers.parse("the controller processes the inbox at {at}"))
def process_inbox(exercise: Exercise, at: str) -> None:
    results = exercise.controller.process_inbox(clock(at))
    for result in results:
        exercise.last = result.outcome
        exercise.outcomes.append(result.outcome)


@when("the controller process restarts")
def controller_restarts(exercise: Exercise) -> None:
    """The controller's memory is gone; it reopens the session from the database alone."""
    exercise.controller.flush()
    store = Store(exercise.db_path)
    exercise.controller = ExerciseController.resume(store, exercise.controller.session_id)


# -- Then --------------------------------------------------------------------------------------


@then(parsers.parse("the exercise is in the {phase} phase"))
def in_phase(exercise: Exercise, phase: str) -> None:
    assert exercise.state.phase == phase


@then(parsers.parse("the {role} has received {inject}"))
def has_received(exercise: Exercise, role: str, inject: str) -> None:
    assert (inject, role_id(role)) in exercise.state.deliveries


@then(parsers.parse("the {role} has not received {inject}"))
def has_not_received(exercise: Exercise, role: str, inject: str) -> None:
    assert (inject, role_id(role)) not in exercise.state.deliveries


@then(parsers.parse("{inject} reached the {role} at {at}"))
def reached_at(exercise: Exercise, inject: str, role: str, at: str) -> None:
    assert exercise.state.deliveries[(inject, role_id(role))].t == clock(at)


@then(parsers.parse("{inject} was delivered {count:d} time(s) to the {role}"))
def delivered_times(exercise: Exercise, inject: str, count: int, role: str) -> None:
    deliveries = [
        r
        for r in exercise.log()
        if r.event.type == "InjectDelivered"
        and r.event.inject == inject
        and role_id(role) in r.event.to
    ]
    assert len(deliveries) == count


@then(parsers.parse("the {role} answer to {inject} is recorded as late"))
def answer_late(exercise: Exercise, role: str, inject: str) -> None:
    delivery = exercise.state.deliveries[(inject, role_id(role))]
    assert delivery.responded_at is not None and delivery.late


@then(parsers.parse("the {role} answer to {inject} is recorded on time"))
def answer_on_time(exercise: Exercise, role: str, inject: str) -> None:
    delivery = exercise.state.deliveries[(inject, role_id(role))]
    assert delivery.responded_at is not None and not delivery.late


@then(parsers.parse("the {role} answer to {inject} is marked overdue"))
def answer_overdue(exercise: Exercise, role: str, inject: str) -> None:
    delivery = exercise.state.deliveries[(inject, role_id(role))]
    assert delivery.overdue


@then(parsers.parse('the command is rejected because "{reason}"'))
def rejected_because(exercise: Exercise, reason: str) -> None:
    assert exercise.last is not None
    assert exercise.last.rejection is not None, "the command was accepted"
    assert reason in exercise.last.rejection, exercise.last.rejection


@then("the command is accepted")
def accepted(exercise: Exercise) -> None:
    assert exercise.last is not None and exercise.last.accepted, exercise.last


@then(parsers.parse("{variable} is {value:g}"))
def variable_is(exercise: Exercise, variable: str, value: float) -> None:
    assert exercise.state.variables[variable] == pytest.approx(value)


@then(parsers.parse('the change of {variable} names its cause "{kind}"'))
def change_names_cause(exercise: Exercise, variable: str, kind: str) -> None:
    changes = [
        r.event
        for r in exercise.log()
        if r.event.type == "VariableChanged" and r.event.variable == variable
    ]
    assert changes and msgspec.to_builtins(changes[-1].cause)["kind"] == kind


@then(parsers.parse('the log records the transition to {phase} with its condition "{condition}"'))
def transition_recorded(exercise: Exercise, phase: str, condition: str) -> None:
    entries = [
        r.event for r in exercise.log() if r.event.type == "PhaseEntered" and r.event.phase == phase
    ]
    assert entries and entries[-1].condition == condition and entries[-1].cause == "transition"


@then("the log numbers events without gaps")
def contiguous(exercise: Exercise) -> None:
    seqs = [r.seq for r in exercise.log()]
    assert seqs == list(range(1, len(seqs) + 1))


@then("the state rebuilt from the log equals the live state")
def fold_equals_live(exercise: Exercise) -> None:
    log = exercise.log()
    rebuilt = fold(exercise.controller.bundle.scenario, log)
    assert rebuilt == exercise.state


@then(parsers.parse("the {role} seat's command is {status}"))
def seat_command_status(exercise: Exercise, role: str, status: str) -> None:
    rows = exercise.controller.store.conn.execute(
        "SELECT status, reason FROM commands WHERE seat = ? ORDER BY id DESC LIMIT 1",
        (f"seat-{role_id(role)}",),
    ).fetchall()
    assert rows and rows[0][0] == status, rows


@then(parsers.parse("the {role} seat reads {inject} but the {other} seat does not"))
def role_scoped_reads(exercise: Exercise, role: str, inject: str, other: str) -> None:
    store = exercise.controller.store
    session = exercise.controller.session_id
    exercise.controller.flush()

    def injects_seen(r: str) -> set[str]:
        return {
            rec.event.inject
            for rec in store.events(session, role=r)
            if rec.event.type == "InjectDelivered"
        }

    assert inject in injects_seen(role_id(role))
    assert inject not in injects_seen(role_id(other))


@then(parsers.parse("the exercise is in move {move:d}"))
def in_move(exercise: Exercise, move: int) -> None:
    assert exercise.state.move == move
