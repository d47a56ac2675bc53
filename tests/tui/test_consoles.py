"""The main flows of each console, driven with the keyboard over a live session of the test
scenario: the controller sends an inject now (while paused) and reschedules another; a seat
answers with a confidence and messages another role; an evaluator rates an expectation."""

from __future__ import annotations

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.live.client import EvaluatorClient
from exercise_engine.store import Store
from exercise_engine.tui.app_base import ConsoleApp
from exercise_engine.tui.control_forms import RescheduleForm
from exercise_engine.tui.controller import ControllerScreen
from exercise_engine.tui.dialogs import AnswerForm, MessageForm
from exercise_engine.tui.evaluator import EvaluatorScreen
from exercise_engine.tui.evaluator_form import ObservationForm
from exercise_engine.tui.seat import SeatScreen
from exercise_engine.tui.sources import ClientEvaluator, LiveSession

from .helpers import until


def logged(session: LiveSession) -> list[ev.Event]:
    with Store.reader(session.service.options.db) as store:
        return [r.event for r in store.events(session.service.session_id)]


async def test_the_controller_sends_now_while_paused_and_reschedules(hot_seat: LiveSession) -> None:
    state = lambda: hot_seat.service.state  # noqa: E731 - the live state, read as it changes
    app = ConsoleApp(ControllerScreen(hot_seat.source))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("p", "space")  # start, then pause
        await until(pilot, lambda: state().paused, "play starts and pauses")
        await pilot.press("r")  # reschedule the first inject, I-01 (+30m into prevent)
        await until(pilot, lambda: isinstance(app.screen, RescheduleForm), "the form")
        await pilot.press(*"+2h", "ctrl+s")
        await until(pilot, lambda: "I-01" in state().rescheduled, "I-01 gets its new time")
        assert state().rescheduled["I-01"] == state().t + 2 * 3600
        await pilot.press("down", "s")  # send I-02 now, though the clock is paused
        await until(pilot, lambda: "I-02" in state().first_delivery, "I-02 goes out")
        assert state().paused
        table = app.screen.query_one("#msel")
        assert table.get_row("I-01")[0].plain == "~ pending"
        assert "rescheduled to" in table.get_row("I-01")[5].plain
    kinds = [type(e).__name__ for e in logged(hot_seat)]
    assert (
        kinds.index("ClockPaused")
        < kinds.index("InjectRescheduled")
        < kinds.index("InjectDelivered", kinds.index("InjectRescheduled"))
    )


async def test_a_seat_answers_with_confidence_and_messages_another_role(
    hot_seat: LiveSession,
) -> None:
    service = hot_seat.service
    await service.submit(cmd.StartPlay())
    await service.submit(cmd.SendInject(inject="I-01"))
    un = next(s for s in hot_seat.seats if s.brief.role == "un_mission")
    app = ConsoleApp(SeatScreen(un))
    async with app.run_test(size=(80, 24)) as pilot:
        seat = app.screen
        await until(pilot, lambda: seat.inbox.awaiting(), "I-01 reaches the UN mission")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AnswerForm), "the answer form")
        await pilot.press("enter", "tab", *"Leaflets name the Ruvi", "tab", "right", "enter")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "I-01" in seat.inbox.decisions, "the answer is recorded")
        assert seat.inbox.decisions["I-01"].confidence == 2
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MessageForm), "the message form")
        form = app.screen
        roles = list(form.roles)
        await pilot.press(*["down"] * roles.index("police"), "space", "tab")  # to the police
        await pilot.press(*"Leaflets", "tab", *"Patrol the market tonight?", "ctrl+s")
        await until(pilot, lambda: app.screen is seat, "the message is accepted")
        await until(pilot, lambda: seat.inbox.entries["messages"], "a copy in our box")
    [message] = [e for e in logged(hot_seat) if isinstance(e, ev.MessageSent)]
    assert (message.role, message.to, message.subject) == ("un_mission", ["police"], "Leaflets")
    assert message.body == "Patrol the market tonight?"


async def test_an_evaluator_rates_an_expectation_from_the_list(hot_seat: LiveSession) -> None:
    service = hot_seat.service
    await service.submit(cmd.StartPlay())
    await service.submit(cmd.SendInject(inject="I-01"))  # expects UND-1 of the UN mission
    client = await EvaluatorClient.join(
        service.options.db, code=service.codes["evaluator"], name="Eva"
    )
    evaluator = ClientEvaluator(client)
    try:
        app = ConsoleApp(EvaluatorScreen(evaluator))
        async with app.run_test(size=(120, 40)) as pilot:
            screen = app.screen
            await until(pilot, lambda: screen.todo, "the expectation waits for a rating")
            [waiting] = [e for e in screen.todo if e.role == "un_mission"]
            await pilot.press("t", "r")
            await until(pilot, lambda: isinstance(app.screen, ObservationForm), "the form")
            await pilot.press("down", "enter", "tab", *"Named the leaflets at 06:40")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: app.screen is screen, "the observation is accepted")
            await until(pilot, lambda: waiting not in screen.todo, "it leaves the list")
    finally:
        await evaluator.close()
    [rated] = [e for e in logged(hot_seat) if isinstance(e, ev.ObservationRecorded)]
    assert (rated.role, rated.criterion, rated.rating, rated.inject, rated.evaluator) == (
        "un_mission", "UND-1", "S", "I-01", "Eva"
    )  # fmt: skip
    assert rated.note == "Named the leaflets at 06:40"
