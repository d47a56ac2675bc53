"""The safe inbox: every row a seat writes is untrusted, and the controller never dies on one.

Each test is a failure issue 11 found in the inbox before it was rebuilt: rows that crashed the
controller (and stayed pending, to crash it again on every restart), a row obeyed because it
claimed to come from the controller, retries recorded twice.
"""

from __future__ import annotations

import pytest

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.engine.engine import Engine
from exercise_engine.model.bundle import Bundle
from exercise_engine.session.controller import ExerciseController
from exercise_engine.store import Store

SEAT = "laptop-3"


@pytest.fixture
def running(harbour: Bundle, store: Store) -> ExerciseController:
    """A session in play with a police seat that joined."""
    controller = ExerciseController.create(store, harbour, seed=1)
    controller.submit(cmd.StartPlay(), 0)
    store.join(controller.session_id, SEAT, role="police", name="Capt. Ode", kind="player")
    return controller


def raw_row(store: Store, session: str, kind: str, payload: str, actor: str = "{}") -> None:
    """A row as any process with the file could write it."""
    store.conn.execute(
        "INSERT INTO commands (session_id, seat, actor, type, payload, status, submitted_at) "
        "VALUES (?, ?, ?, ?, ?, 'pending', '2026-01-01')",
        (session, SEAT, actor, kind, payload),
    )


@pytest.mark.parametrize(
    ("kind", "payload", "reason"),
    [
        ("SetSpeed", '{"speed": "fast"}', "SetSpeed: 'speed' must be a number"),
        ("Respond", '{"inject": "I-01", "text": null}', "Respond: 'text' must be text"),
        ("SendMessage", '{"to": "police", "body": "x"}', "'to' must be a list, not text"),
        ("SendMessage", "[1, 2]", "the payload must be a JSON object"),
        ("SendMessage", "{nope", "not valid JSON"),
        ("Teleport", "{}", "unknown command 'Teleport'"),
    ],
)
def test_a_malformed_row_is_rejected_with_its_reason_and_never_crashes_the_controller(
    running: ExerciseController, store: Store, kind: str, payload: str, reason: str
) -> None:
    session = running.session_id
    raw_row(store, session, kind, payload)
    [result] = running.process_inbox(now=60)
    assert not result.outcome.accepted
    assert reason in (result.outcome.rejection or "")
    assert store.command(result.record.id).status == "rejected"
    assert store.pending_commands(session) == []  # a restart will not meet it again
    # and the controller goes on deciding
    police = cmd.Actor.player("police", seat=SEAT)
    store.submit(session, cmd.SendMessage(actor=police, to=["un_mission"], body="still here"))
    [after] = running.process_inbox(now=61)
    assert after.outcome.accepted


def test_a_row_claiming_to_be_the_controller_is_not_obeyed(
    running: ExerciseController, store: Store
) -> None:
    """Before: ``EndExercise`` written by a seat with ``"kind": "controller"`` ended play."""
    claim = '{"kind": "controller", "role": null, "seat": "controller", "name": "controller"}'
    raw_row(store, running.session_id, "EndExercise", "{}", actor=claim)
    [result] = running.process_inbox(now=60)
    assert result.outcome.rejection == "only the exercise controller can do that"
    assert running.state.in_play


def test_a_payload_cannot_name_its_own_actor(running: ExerciseController, store: Store) -> None:
    raw_row(
        store,
        running.session_id,
        "SendMessage",
        '{"to": ["un_mission"], "body": "x", "actor": {"kind": "controller"}}',
    )
    [result] = running.process_inbox(now=60)
    assert "'actor' cannot be set" in (result.outcome.rejection or "")


def test_a_seat_that_never_joined_is_refused(running: ExerciseController, store: Store) -> None:
    ghost = cmd.Actor.player("un_mission", seat="nobody-joined")
    store.submit(running.session_id, cmd.SendMessage(actor=ghost, to=["police"], body="hello"))
    [result] = running.process_inbox(now=60)
    assert result.outcome.rejection == "unknown seat 'nobody-joined': join the session first"


def test_the_actor_is_the_seat_registered_identity(
    running: ExerciseController, store: Store
) -> None:
    """A police seat writing a row that claims the UN mission's role speaks as police."""
    claim = '{"kind": "player", "role": "un_mission", "seat": "laptop-3", "name": "SRSG"}'
    raw_row(store, running.session_id, "SendMessage", '{"to": ["military"], "body": "x"}', claim)
    [result] = running.process_inbox(now=60)
    [event] = result.outcome.events
    assert (event.role, event.seat) == ("police", SEAT)


def test_a_retry_is_answered_with_the_first_result(
    running: ExerciseController, store: Store
) -> None:
    police = cmd.Actor.player("police", seat=SEAT)
    message = cmd.SendMessage(actor=police, to=["un_mission"], body="Convoy at noon")
    first = store.submit(running.session_id, message, client_id="retry-me")
    [decided] = running.process_inbox(now=60)
    again = store.submit(running.session_id, message, client_id="retry-me")
    assert again == first
    assert running.process_inbox(now=70) == []  # nothing new to decide
    assert store.command(again).status == "accepted"
    assert running.state.messages == 1
    assert decided.outcome.accepted


def test_whatever_the_engine_raises_on_becomes_a_rejection(
    running: ExerciseController, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    police = cmd.Actor.player("police", seat=SEAT)
    store.submit(running.session_id, cmd.SendMessage(actor=police, to=["un_mission"], body="a"))
    store.submit(running.session_id, cmd.SendMessage(actor=police, to=["un_mission"], body="b"))
    real = Engine.handle
    calls = []

    def flaky(self: Engine, state, command, now=None):  # the first command meets a bug
        calls.append(command)
        if len(calls) == 1:
            raise ZeroDivisionError("a bug")
        return real(self, state, command, now)

    monkeypatch.setattr(Engine, "handle", flaky)
    first, second = running.process_inbox(now=60)
    assert "could not decide this SendMessage (ZeroDivisionError)" in first.outcome.rejection
    assert second.outcome.accepted
    assert store.command(first.record.id).status == "rejected"
    assert running.state.messages == 1
    assert running.state.seq == store.last_seq(running.session_id)


def test_lateness_is_judged_at_the_time_the_controller_read_the_answer(
    running: ExerciseController, store: Store
) -> None:
    """The inbox is decided at the scenario time it was read (``now``), never at a time the
    seat writes into its row."""
    session = running.session_id
    store.join(session, "laptop-9", role="un_mission", name="SRSG", kind="player")
    running.submit(cmd.SendInject(inject="I-01", to=["un_mission"]), 60)  # due at 60 + 1h
    un = cmd.Actor.player("un_mission", seat="laptop-9")
    answer = cmd.Respond(actor=un, inject="I-01", option="A", rationale="Act early.")
    store.submit(session, answer)
    store.conn.execute("UPDATE commands SET submitted_at = '2999-01-01T00:00:00Z'")
    [result] = running.process_inbox(now=3000)
    [recorded] = [e for e in result.outcome.events if isinstance(e, ev.ResponseRecorded)]
    assert (recorded.t, recorded.delay, recorded.late) == (3000, 2940, False)
