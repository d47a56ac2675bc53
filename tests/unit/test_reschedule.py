"""The controller reschedules an inject not yet delivered: it goes out at the new time.

Harbour test scenario: I-01 at +30m of prevent, I-02 1h after I-01, I-03 when access < 5,
I-06 at the start of react.
"""

from __future__ import annotations

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.engine.engine import Engine
from exercise_engine.engine.outlook import PENDING, msel
from exercise_engine.engine.state import fold
from exercise_engine.engine.visibility import audience
from exercise_engine.model.bundle import Bundle

M = 60


class Run:
    def __init__(self, bundle: Bundle):
        self.bundle = bundle
        self.engine = Engine(bundle)
        self.state = self.engine.initial_state()
        self.log = list(self.engine.create(self.state, seed=1))
        self.do(cmd.StartPlay(), 0)

    def do(self, command: cmd.Command, at: int):
        outcome = self.engine.handle(self.state, command, at)
        self.log.extend(outcome.events)
        return outcome

    def delivered_at(self, inject: str) -> int | None:
        return self.state.first_delivery.get(inject)


def test_a_pending_inject_moved_later_goes_out_at_the_new_time_only(harbour: Bundle) -> None:
    run = Run(harbour)
    outcome = run.do(cmd.RescheduleInject(inject="I-01", at=50 * M), 10 * M)
    assert outcome.accepted, outcome.rejection
    [moved] = outcome.events
    assert moved == ev.InjectRescheduled(t=10 * M, inject="I-01", at=50 * M, previous=30 * M)
    run.do(cmd.AdvanceClock(to=45 * M), 45 * M)
    assert run.delivered_at("I-01") is None  # its old time, 06:30, has passed
    run.do(cmd.AdvanceClock(to=55 * M), 55 * M)
    assert run.delivered_at("I-01") == 50 * M
    [delivery] = [e for e in run.log if isinstance(e, ev.InjectDelivered)]
    assert delivery.cause == ev.Rescheduled()


def test_an_inject_moved_earlier_goes_out_earlier(harbour: Bundle) -> None:
    run = Run(harbour)
    run.do(cmd.RescheduleInject(inject="I-01", at=5 * M), 1 * M)
    run.do(cmd.AdvanceClock(to=6 * M), 6 * M)
    assert run.delivered_at("I-01") == 5 * M


def test_a_conditional_inject_and_one_of_a_later_phase_go_out_when_told(harbour) -> None:
    run = Run(harbour)
    run.do(cmd.RescheduleInject(inject="I-03", at=20 * M), 1 * M)  # access is 6, not < 5
    run.do(cmd.RescheduleInject(inject="I-06", at=20 * M), 1 * M)  # a react inject
    run.do(cmd.AdvanceClock(to=21 * M), 21 * M)
    assert run.delivered_at("I-03") == 20 * M
    assert run.delivered_at("I-06") == 20 * M
    assert run.state.phase == "prevent"


def test_a_session_resumed_from_its_log_keeps_the_new_time(harbour: Bundle) -> None:
    run = Run(harbour)
    run.do(cmd.RescheduleInject(inject="I-01", at=50 * M), 10 * M)
    engine = Engine(harbour)  # a new controller process: state and agenda from the log
    state = fold(harbour.scenario, [ev.Recorded(n, e) for n, e in enumerate(run.log, 1)])
    outcome = engine.handle(state, cmd.AdvanceClock(to=45 * M), 45 * M)
    assert not [e for e in outcome.events if isinstance(e, ev.InjectDelivered)]
    outcome = engine.handle(state, cmd.AdvanceClock(to=55 * M), 55 * M)
    assert [e.inject for e in outcome.events if isinstance(e, ev.InjectDelivered)] == ["I-01"]


def test_the_msel_shows_the_new_time(harbour: Bundle) -> None:
    run = Run(harbour)
    run.do(cmd.RescheduleInject(inject="I-01", at=50 * M), 10 * M)
    [line] = [x for x in msel(run.engine, run.state) if x.inject == "I-01"]
    assert (line.status, line.at, line.why) == (PENDING, 50 * M, "rescheduled to 2030-01-01 06:50")


def test_refusals_say_why(harbour: Bundle) -> None:
    run = Run(harbour)
    assert run.do(cmd.RescheduleInject(inject="I-99", at=50 * M), M).rejection == (
        "unknown inject 'I-99'"
    )
    assert run.do(cmd.RescheduleInject(inject="I-01", at=M), 2 * M).rejection == (
        "choose a time after now (2030-01-01 06:02); to deliver it now, send it"
    )
    run.do(cmd.AdvanceClock(to=30 * M), 30 * M)
    assert run.do(cmd.RescheduleInject(inject="I-01", at=90 * M), 31 * M).rejection == (
        "I-01 has already been delivered"
    )
    seat = cmd.RescheduleInject(actor=cmd.Actor.player("police"), inject="I-02", at=90 * M)
    assert run.do(seat, 31 * M).rejection == "only the exercise controller can do that"


def test_seats_never_see_a_reschedule(harbour: Bundle) -> None:
    moved = ev.InjectRescheduled(t=0, inject="I-01", at=60, previous=30)
    assert audience(moved, harbour) == []


def test_a_reschedule_and_its_delivery_are_stored_and_read_back() -> None:
    moved = ev.InjectRescheduled(t=60, inject="I-01", at=3000, previous=1800)
    assert ev.decode_event("InjectRescheduled", 60, None, None, moved.payload()) == moved
    delivery = ev.InjectDelivered(
        t=3000, inject="I-01", to=["police"], answer=[], due_at=None, cause=ev.Rescheduled()
    )
    assert delivery.payload()["cause"] == {"kind": "rescheduled"}
    assert ev.decode_event("InjectDelivered", 3000, None, None, delivery.payload()) == delivery
