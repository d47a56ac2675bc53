"""Team alignment per inject and the evaluators' unrated expectations, read from a played log."""

from __future__ import annotations

from exercise_engine.engine import commands as cmd
from exercise_engine.engine.engine import Engine
from exercise_engine.engine.events import Recorded
from exercise_engine.model.bundle import Bundle
from exercise_engine.scoring.alignment import SeatAnswer, alignment
from exercise_engine.scoring.expectations import unrated

MILITARY = cmd.Actor.player("military", seat="mil-1", name="Amina")
POLICE = cmd.Actor.player("police", seat="pol-1", name="Jon")
UN = cmd.Actor.player("un_mission", seat="un-1", name="Ines")
EVALUATOR = cmd.Actor.evaluator("Eva")


class Session:
    """The pure engine with its log numbered as the store numbers it."""

    def __init__(self, bundle: Bundle):
        self.engine = Engine(bundle)
        self.state = self.engine.initial_state()
        self.events = list(self.engine.create(self.state, seed=1))

    def do(self, command: cmd.Command, at_minutes: int) -> None:
        outcome = self.engine.handle(self.state, command, at_minutes * 60)
        assert outcome.accepted, outcome.rejection
        self.events.extend(outcome.events)

    @property
    def log(self) -> list[Recorded]:
        return [Recorded(n, e) for n, e in enumerate(self.events, start=1)]


def in_react(harbour: Bundle) -> Session:
    session = Session(harbour)
    session.do(cmd.StartPlay(), 0)
    session.do(cmd.ForcePhase(phase="react"), 1)  # I-06 goes to all; military and police answer
    return session


def test_roles_that_chose_the_same_option_are_aligned(harbour: Bundle) -> None:
    session = in_react(harbour)
    session.do(cmd.Respond(actor=MILITARY, inject="I-06", option="A"), 2)
    [i06] = [a for a in alignment(session.log) if a.inject == "I-06"]
    assert i06.asked == ("military", "police")
    assert i06.across is None  # one answer: nothing to compare yet
    session.do(cmd.Respond(actor=POLICE, inject="I-06", option="A"), 3)
    [i06] = [a for a in alignment(session.log) if a.inject == "I-06"]
    assert i06.across == (2, 2, "A")


def test_roles_that_pulled_apart_are_split(harbour: Bundle) -> None:
    session = in_react(harbour)
    session.do(cmd.Respond(actor=MILITARY, inject="I-06", option="A"), 2)
    session.do(cmd.Respond(actor=POLICE, inject="I-06", option="B"), 3)
    [i06] = [a for a in alignment(session.log) if a.inject == "I-06"]
    assert i06.across == (1, 2, "A")


def test_a_teams_other_seats_show_whether_it_was_of_one_mind(harbour: Bundle) -> None:
    session = in_react(harbour)
    session.do(cmd.Respond(actor=MILITARY, inject="I-06", option="A"), 2)
    tried = [
        SeatAnswer("I-06", "military", "mil-2", "A", recorded=False),
        SeatAnswer("I-06", "military", "mil-3", "B", recorded=False),
        SeatAnswer("I-99", "military", "mil-3", "B", recorded=False),  # never asked: ignored
    ]
    [i06] = [a for a in alignment(session.log, tried) if a.inject == "I-06"]
    assert i06.within("military") == (2, 3)
    assert i06.within("police") is None
    assert len(i06.answers) == 3


def test_free_text_answers_are_not_compared(harbour: Bundle) -> None:
    session = in_react(harbour)
    session.do(cmd.Respond(actor=MILITARY, inject="I-06", text="Escort the convoy"), 2)
    session.do(cmd.Respond(actor=POLICE, inject="I-06", option="A"), 3)
    [i06] = [a for a in alignment(session.log) if a.inject == "I-06"]
    assert i06.across is None
    assert i06.within("military") is None


def test_expectations_wait_for_a_rating_of_their_role_and_criterion(harbour: Bundle) -> None:
    session = Session(harbour)
    session.do(cmd.StartPlay(), 0)
    assert unrated(harbour, session.log) == []
    session.do(cmd.AdvanceClock(to=30 * 60), 30)  # I-01 expects UND-1; un_mission must answer
    [open_] = unrated(harbour, session.log)
    assert (open_.inject, open_.role, open_.criterion) == ("I-01", "un_mission", "UND-1")
    assert open_.look_for == ("Names the indicator",)
    # a rating of another role leaves it open; a rating of this role linked to I-01 closes it
    session.do(
        cmd.RecordObservation(
            actor=EVALUATOR, criterion="UND-1", role="police", rating="S", inject="I-01"
        ),
        31,
    )
    assert len(unrated(harbour, session.log)) == 1
    session.do(
        cmd.RecordObservation(
            actor=EVALUATOR, criterion="UND-1", role="un_mission", rating="N/O", inject="I-01"
        ),
        32,
    )
    assert unrated(harbour, session.log) == []


def test_an_unlinked_rating_after_the_delivery_counts(harbour: Bundle) -> None:
    session = Session(harbour)
    session.do(cmd.StartPlay(), 0)
    session.do(
        cmd.RecordObservation(actor=EVALUATOR, criterion="UND-1", role="un_mission", rating="P"), 10
    )  # before I-01 is out: does not count
    session.do(cmd.AdvanceClock(to=30 * 60), 30)
    assert len(unrated(harbour, session.log)) == 1
    session.do(
        cmd.RecordObservation(actor=EVALUATOR, criterion="UND-1", role="un_mission", rating="P"), 40
    )
    assert unrated(harbour, session.log) == []
