"""The hot-seat console driven with the keyboard, as a facilitator would: start play, pause,
send an inject now from the MSEL (a pause never holds it back), switch to the role it went to,
answer it with a rationale and a confidence; the decision is in the log."""

from __future__ import annotations

from exercise_engine.engine import events as ev
from exercise_engine.store import Store
from exercise_engine.tui.controller import ControllerScreen
from exercise_engine.tui.dialogs import AnswerForm
from exercise_engine.tui.hotseat import HotSeatApp
from exercise_engine.tui.seat import SeatScreen
from exercise_engine.tui.sources import LiveSession

from .helpers import until


async def test_hot_seat_sends_now_switches_role_and_answers(hot_seat: LiveSession) -> None:
    service = hot_seat.service
    app = HotSeatApp(hot_seat.source, hot_seat.seats)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ControllerScreen), "the controller")
        await pilot.press("p")  # start play
        await until(pilot, lambda: service.state.phase == "prevent", "play starts")
        await pilot.press("space")  # pause
        await until(pilot, lambda: service.state.paused, "the clock pauses")
        await pilot.press("s")  # send now: the MSEL cursor is on I-01, the first inject
        await until(pilot, lambda: "I-01" in service.state.first_delivery, "I-01 goes out")
        await pilot.press("space")  # resume: answers are taken while the clock runs
        await until(pilot, lambda: not service.state.paused, "the clock runs")
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
    answers = [
        d for (inject, role), d in service.state.deliveries.items() if d.responded_at is not None
    ]
    assert [(d.inject, d.role, d.option) for d in answers] == [("I-01", "un_mission", "A")]
    with Store.reader(service.options.db) as store:
        log = store.events(service.session_id)
    [recorded] = [r.event for r in log if isinstance(r.event, ev.ResponseRecorded)]
    assert recorded.rationale == "Leaflets are an early warning"
    assert recorded.confidence == 4
    assert recorded.by == "hot-seat"
