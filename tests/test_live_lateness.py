"""Lateness is judged when the seat sent the answer, not when the controller got round to it.

The time a command was sent is stamped by SQLite in the INSERT; the controller reads it through
its scenario clock and trusts it only between its own looks at the inbox: a row it did not find
at its last look was written after that look, whatever the row says. So a controller that was
slow to read (busy, descheduled, stopped) does not make an answer sent in time late, and a seat
that writes an earlier time into its row cannot make a late answer punctual.

The controller's wall clock is a fake here only in that the tests move it forward by jumps (a
controller blocked for two minutes); it runs in the same time base as SQLite's stamps.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from exercise_engine.cli import main
from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.live.controller import LiveController, RunOptions
from exercise_engine.model.bundle import Bundle
from exercise_engine.store import Store
from exercise_engine.store.schema import KNOWN, MIGRATIONS_TABLE, applied

DUE = 5400  # harbour-test: I-01 goes out at +30m to the UN mission, its answer due an hour later


class Wall:
    """Unix seconds, as SQLite's clock reads them, moved on by the test."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Seat:
    """A UN mission seat writing to the inbox through its own connection, as a seat process."""

    def __init__(self, db: Path, session: str) -> None:
        self.store = Store.client(db)
        self.session = session
        self.actor = cmd.Actor.player("un_mission", seat="un-1", name="Amina")
        self.store.join(session, "un-1", role="un_mission", name="Amina", kind="player")

    def answer(self, inject: str = "I-01") -> int:
        command = cmd.Respond(actor=self.actor, inject=inject, option="A", rationale="Act early.")
        return self.store.submit(self.session, command)

    def message(self) -> int:
        command = cmd.SendMessage(actor=self.actor, to=["police"], body="Leaflets again")
        return self.store.submit(self.session, command)

    def claim(self, row: int, sent: object) -> None:
        """What any process with the file can do to its own row before the controller reads it."""
        self.store.conn.execute("UPDATE commands SET sent = ? WHERE id = ?", (sent, row))


@pytest.fixture
def wall() -> Wall:
    return Wall(time.time() - 40)  # play begins 40 wall seconds ago: scenario 40 min by now


def delivered(tmp_path: Path, harbour: Bundle, wall: Wall) -> LiveController:
    """A live harbour-test session in play, I-01 delivered to the UN mission at +30m."""
    live = LiveController.open(
        RunOptions(db=str(tmp_path / "live.db"), start=True), wall, lambda r, c: harbour
    )
    wall.now += 30
    live.tick(wall.now)
    assert live.controller.state.deliveries[("I-01", "un_mission")].due_at == DUE
    return live


def answers(live: LiveController, kind: type[ev.Event]) -> list[ev.Event]:
    return [
        r.event
        for r in live.store.events(live.session_id)
        if isinstance(r.event, kind)
        and getattr(r.event, "inject", None) == "I-01"
        and r.event.role == "un_mission"
    ]


def test_an_answer_sent_in_time_is_not_late_however_late_the_controller_reads_it(
    tmp_path: Path, harbour: Bundle, wall: Wall
) -> None:
    live = delivered(tmp_path, harbour, wall)
    seat = Seat(tmp_path / "live.db", live.session_id)
    wall.now = time.time()
    live.tick(wall.now)  # the controller's last look before the answer
    looked = live.now(wall.now)
    seat.answer()
    sent_by = live.clock.now(time.time())
    assert sent_by < DUE, "the machine took over 50 s to write one row: the premise fails"
    wall.now = time.time() + 120  # the controller was blocked for two wall minutes
    assert live.now(wall.now) > DUE
    live.tick(wall.now)

    [answer] = answers(live, ev.ResponseRecorded)
    assert isinstance(answer, ev.ResponseRecorded)
    assert not answer.late
    assert looked <= answer.t <= sent_by
    assert answer.delay == answer.t - 1800
    assert answers(live, ev.ResponseOverdue) == []  # never marked overdue on the way
    state = live.controller.state
    assert not any(inject == "I-05" for inject, _ in state.deliveries)  # nor chased
    live.release(wall.now)


def test_a_row_cannot_claim_it_was_sent_before_the_controller_last_looked(
    tmp_path: Path, harbour: Bundle, wall: Wall
) -> None:
    live = delivered(tmp_path, harbour, wall)
    seat = Seat(tmp_path / "live.db", live.session_id)
    wall.now = time.time() + 120  # the controller looks at the inbox long after the due time
    live.tick(wall.now)
    assert len(answers(live, ev.ResponseOverdue)) == 1
    looked = live.now(wall.now)

    backdated = seat.answer()
    seat.claim(backdated, wall.now - 118)  # "sent" a minute after the delivery
    ahead = seat.message()
    seat.claim(ahead, wall.now + 10_000)  # "sent" hours from now
    nonsense = seat.message()
    seat.claim(nonsense, "yesterday")  # any value of any type can be written there
    wall.now += 1
    live.tick(wall.now)

    [answer] = answers(live, ev.ResponseRecorded)
    assert isinstance(answer, ev.ResponseRecorded)
    assert answer.late and answer.t >= looked
    messages = [r.event for r in live.store.events(live.session_id, types=["MessageSent"])]
    assert len(messages) == 2
    assert all(looked <= m.t <= live.now(wall.now) for m in messages)
    live.release(wall.now)


def test_a_file_written_before_the_stamp_is_still_read_and_run(
    tmp_path: Path, harbour: Bundle, wall: Wall
) -> None:
    """The previous schema had no ``sent`` column: readers read such a file as it is; the next
    controller migrates it and decides the rows queued in it when it reads them."""
    db = tmp_path / "live.db"
    live = delivered(tmp_path, harbour, wall)
    session = live.session_id
    seat = Seat(db, session)
    seat.message()  # queued when the controller dies
    seat.store.close()
    live.store.close()
    conn = sqlite3.connect(db)  # the file as the version before the stamp left it
    conn.execute("ALTER TABLE commands DROP COLUMN sent")
    conn.execute(f"DELETE FROM {MIGRATIONS_TABLE} WHERE name = 'm003_sent'")
    conn.commit()
    conn.close()

    assert main(["report", "--db", str(db), "--format", "json", "-o", os.devnull]) == 0
    with Store.reader(db) as reader:
        assert [r.event.type for r in reader.events(session)][-1] == "InjectDelivered"
    assert "m003_sent" not in applied(sqlite3.connect(db))  # a reader never migrates

    wall.now += 60
    took = LiveController.open(RunOptions(db=str(db)), wall, lambda r, c: harbour)
    assert applied(took.store.conn) == KNOWN
    took.tick(wall.now)
    [message] = [r.event for r in took.store.events(session, types=["MessageSent"])]
    assert message.t == took.now(wall.now)  # no stamp: decided at the time it was read
    took.release(wall.now)


def test_what_seats_sent_before_a_controller_command_is_decided_before_it(
    tmp_path: Path, harbour: Bundle, wall: Wall
) -> None:
    """The controller pauses a moment after a seat answered, before its next look at the
    inbox: the answer was sent while play ran, so it is taken, not refused as paused."""
    live = delivered(tmp_path, harbour, wall)
    seat = Seat(tmp_path / "live.db", live.session_id)
    wall.now = time.time()
    live.tick(wall.now)
    seat.answer()
    wall.now = time.time()
    assert live.decide(cmd.Pause(), wall.now).accepted
    log = [r.event for r in live.store.events(live.session_id)]
    [answer] = answers(live, ev.ResponseRecorded)
    assert log.index(answer) < next(i for i, e in enumerate(log) if isinstance(e, ev.ClockPaused))
    live.release(wall.now)
