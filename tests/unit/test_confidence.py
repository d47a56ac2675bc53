"""A team's confidence in its answer (1-5) is recorded with the answer, and only 1-5 is taken."""

from __future__ import annotations

import pytest

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.engine.engine import Engine
from exercise_engine.model.bundle import Bundle

UN = cmd.Actor.player("un_mission")


def delivered(harbour: Bundle) -> tuple[Engine, object]:
    engine = Engine(harbour)
    state = engine.initial_state()
    engine.create(state, seed=1)
    engine.handle(state, cmd.StartPlay(), 0)
    engine.handle(state, cmd.AdvanceClock(to=1800), 1800)  # I-01 reaches the UN mission
    return engine, state


def answer(confidence: object) -> cmd.Respond:
    return cmd.Respond(
        actor=UN, inject="I-01", option="A", rationale="leaflets", confidence=confidence
    )


def test_the_confidence_is_recorded_with_the_answer(harbour: Bundle) -> None:
    engine, state = delivered(harbour)
    outcome = engine.handle(state, answer(4), 1900)
    assert outcome.accepted, outcome.rejection
    [recorded] = [e for e in outcome.events if isinstance(e, ev.ResponseRecorded)]
    assert recorded.confidence == 4
    assert recorded.payload()["confidence"] == 4


def test_an_answer_without_confidence_is_taken(harbour: Bundle) -> None:
    engine, state = delivered(harbour)
    outcome = engine.handle(state, answer(None), 1900)
    assert outcome.accepted
    [recorded] = [e for e in outcome.events if isinstance(e, ev.ResponseRecorded)]
    assert recorded.confidence is None
    assert "confidence" not in recorded.payload()  # stored as answers were before


@pytest.mark.parametrize("confidence", [0, 6, 2.5, True, "3"])
def test_a_confidence_outside_one_to_five_is_refused_with_the_reason(
    harbour: Bundle, confidence: object
) -> None:
    engine, state = delivered(harbour)
    outcome = engine.handle(state, answer(confidence), 1900)
    assert (outcome.rejection or "").startswith("Respond: 'confidence' must be a whole number")
    assert outcome.events == ()


def test_an_answer_logged_before_confidence_existed_reads_back() -> None:
    payload = {
        "inject": "I-01",
        "option": "A",
        "text": "",
        "rationale": "",
        "late": False,
        "delay": 60,
    }
    event = ev.decode_event("ResponseRecorded", 60, "un_mission", None, payload)
    assert event.confidence is None


@pytest.mark.parametrize("confidence", [0, 6, 2.5, True, "3"])
def test_a_seat_sending_a_confidence_outside_one_to_five_is_told_why(confidence: object) -> None:
    payload = {"inject": "I-01", "option": "A", "confidence": confidence}
    with pytest.raises(cmd.CommandFormatError) as refused:
        cmd.decode_command("Respond", payload, UN)
    assert str(refused.value).startswith("Respond: 'confidence' must be a whole number")
