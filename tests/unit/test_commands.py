"""Commands decoded from what a seat submits: typed, checked, refused with a reason a seat reads."""

from __future__ import annotations

import typing

import pytest

from exercise_engine.engine import commands as cmd
from exercise_engine.engine.engine import Engine
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.scenario import PLAY_PHASES
from exercise_engine.session.controller import ExerciseController
from exercise_engine.store import Store

POLICE = cmd.Actor.player("police", seat="laptop-3")


def refused(type_name: str, payload: object) -> cmd.CommandFormatError:
    with pytest.raises(cmd.CommandFormatError) as caught:
        cmd.decode_command(type_name, payload, POLICE)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize(
    ("type_name", "payload", "field", "words"),
    [
        ("SetSpeed", {"speed": "fast"}, "speed", "SetSpeed: 'speed' must be a number, not text"),
        ("Respond", {"inject": "I-01", "text": None}, "text", "'text' must be text, not null"),
        ("SendMessage", {"to": "police", "body": "hi"}, "to", "'to' must be a list, not text"),
        ("SendMessage", {"to": [1], "body": "hi"}, "to[0]", "'to[0]' must be text"),
        ("Respond", {"inject": "I-01", "colour": "red"}, "colour", "unknown field 'colour'"),
        ("Respond", {"text": "x"}, "inject", "Respond: 'inject' is required"),
        ("Respond", {"inject": "I-01", "text": "x" * 10_001}, "text", "at most 10000 characters"),
        ("SendInject", {"title": "t" * 401}, "title", "at most 400 characters"),
        ("SendInject", {"channel": "pigeon"}, "channel", "must be one of cable, report, radio"),
        ("ForcePhase", {"phase": "war"}, "phase", "must be one of prevent, react, rebuild"),
        ("AdvanceClock", {"to": -5}, "to", "'to' must be a whole number at least 0"),
        ("SetSpeed", {"speed": 0}, "speed", "above 0"),
        ("HoldPhase", {"hold": "yes"}, "hold", "'hold' must be true or false, not text"),
        ("Respond", {"inject": "../etc/passwd"}, "inject", "an id: letters, digits"),
        ("EndExercise", {"reason": "bored"}, "reason", "must be one of controller, quiescent"),
    ],
)
def test_a_malformed_payload_is_refused_naming_the_field(
    type_name: str, payload: dict[str, object], field: str, words: str
) -> None:
    error = refused(type_name, payload)
    assert error.field == field
    assert words in str(error)
    assert str(error).startswith(f"{type_name}: ")


def test_a_string_is_not_read_as_a_list_of_letters() -> None:
    error = refused("ShareInformation", {"to": "un_mission", "inject": "I-01"})
    assert "'to' must be a list" in str(error)


def test_an_unknown_command_type_lists_the_known_ones() -> None:
    error = refused("LaunchMissiles", {})
    assert "unknown command 'LaunchMissiles'" in str(error)
    assert "Respond" in str(error) and "SendMessage" in str(error)


def test_the_actor_is_never_taken_from_the_payload() -> None:
    error = refused("Respond", {"inject": "I-01", "actor": {"kind": "controller"}})
    assert error.field == "actor"
    assert "seat's identity" in str(error)


@pytest.mark.parametrize("payload", ["[1, 2]", '"Respond"', "{not json", b"\xff", 7, None])
def test_a_payload_that_is_not_a_json_object_is_refused(payload: object) -> None:
    error = refused("Respond", payload)
    assert str(error).startswith("Respond: the payload")


def test_json_text_and_parsed_payloads_decode_alike() -> None:
    text = cmd.decode_command("SendMessage", '{"to": ["un_mission"], "body": "hi"}', POLICE)
    data = cmd.decode_command("SendMessage", {"to": ["un_mission"], "body": "hi"}, POLICE)
    assert text == data == cmd.SendMessage(actor=POLICE, to=["un_mission"], body="hi")
    assert text.actor is POLICE


def test_every_command_round_trips_through_its_payload() -> None:
    for name, cls in cmd.COMMAND_TYPES.items():
        required = {
            "to": 60 if cls is cmd.AdvanceClock else ["police"],
            "speed": 2.0,
            "phase": "react",
            "inject": "I-01",
            "body": "b",
            "criterion": "UND-1",
            "role": "police",
            "rating": "S",
            "at": 3600,
        }
        fields = set(cls.__struct_fields__) - {"actor"}
        command = cls(actor=POLICE, **{k: v for k, v in required.items() if k in fields})
        assert command.type == name
        assert cmd.decode_command(name, command.payload(), POLICE) == command


def test_the_phases_a_command_names_are_the_scenario_formats() -> None:
    assert typing.get_args(typing.get_type_hints(cmd.ForcePhase)["phase"]) == PLAY_PHASES


def test_a_command_built_in_process_is_checked_by_the_engine(harbour: Bundle) -> None:
    engine = Engine(harbour)
    state = engine.initial_state()
    engine.create(state, seed=1)
    outcome = engine.handle(state, cmd.SetSpeed(speed=-3.0))
    assert outcome.rejection == "SetSpeed: 'speed' must be a number above 0"
    assert outcome.events == ()


def test_the_inbox_rejects_a_malformed_row_with_the_reason_and_goes_on(
    harbour: Bundle, store: Store
) -> None:
    controller = ExerciseController.create(store, harbour, seed=1)
    session = controller.session_id
    controller.submit(cmd.StartPlay(), 0)
    store.join(session, "laptop-3", role="police", name="p", kind="player")
    police = cmd.Actor.player("police", seat="laptop-3")
    store.submit(session, cmd.SendMessage(actor=police, to=["un_mission"], body="one"))
    store.conn.execute(
        "INSERT INTO commands (session_id, seat, actor, type, payload, status, submitted_at) "
        "VALUES (?, 'laptop-3', ?, 'SendMessage', ?, 'pending', '2026-01-01')",
        (
            session,
            '{"kind": "player", "role": "police", "seat": "laptop-3", "name": "p"}',
            '{"to": "police", "body": "x"}',
        ),
    )
    store.submit(session, cmd.SendMessage(actor=police, to=["un_mission"], body="two"))
    results = controller.process_inbox(now=0)
    assert [r.outcome.accepted for r in results] == [True, False, True]
    bad = store.command(results[1].record.id)
    assert bad.status == "rejected"
    assert bad.reason == "SendMessage: 'to' must be a list, not text"
