"""The hot-seat console driven with the keyboard, as a facilitator would: start play, send an
inject now from the MSEL, switch to the role it went to, answer it with a rationale and a
confidence; the decision is in the database."""

from __future__ import annotations

from exercise_engine.engine import events as ev
from exercise_engine.session.inprocess import InProcessSession
from exercise_engine.tui.controller import ControllerScreen
from exercise_engine.tui.dialogs import AnswerForm
from exercise_engine.tui.hotseat import HotSeatApp
from exercise_engine.tui.seat import SeatScreen

from .helpers import until


async def test_hot_seat_sends_now_switches_role_and_answers(
    harbour_session: InProcessSession,
) -> None:
    app = HotSeatApp(harbour_session, clock=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ControllerScreen)
        await pilot.press("p")  # start play
        await until(pilot, lambda: harbour_session.state.phase == "prevent", "play starts")
        await pilot.press("s")  # send now: the MSEL cursor is on I-01, the first inject
        await until(pilot, lambda: "I-01" in harbour_session.state.first_delivery, "I-01 out")
        await pilot.press("f5")  # the second role: the UN mission
        await until(pilot, lambda: isinstance(app.screen, SeatScreen), "the seat shows")
        seat = app.screen
        assert seat.brief.role == "un_mission"
        await until(pilot, lambda: seat.inbox.awaiting(), "I-01 reaches the seat's inbox")
        await pilot.press("a")  # answer the first inject to answer
        await until(pilot, lambda: isinstance(app.screen, AnswerForm), "the answer form")
        await pilot.press("down", "enter")  # option B, then choose it
        await pilot.press("up", "enter")  # no: option A
        await pilot.press("tab")
        await pilot.press(*"Leaflets are an early warning")
        await pilot.press("tab", "right", "right", "right", "enter")  # confidence 4
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is seat, "the form closes once accepted")
        await until(pilot, lambda: "I-01" in seat.inbox.decisions, "the decision log shows it")
    log = await harbour_session.events()
    [answer] = [r.event for r in log if isinstance(r.event, ev.ResponseRecorded)]
    assert (answer.role, answer.inject, answer.option) == ("un_mission", "I-01", "A")
    assert answer.rationale == "Leaflets are an early warning"
    assert answer.confidence == 4
    assert answer.seat == "hot-seat:un_mission"
