"""The event store: schema, contiguous sequence, one writer, role-scoped reads, inbox."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.model.bundle import Bundle
from exercise_engine.store import ConcurrentWriterError, Store, StoreError
from exercise_engine.store.schema import applied


def test_schema_has_the_documented_columns(store: Store) -> None:
    columns = {
        t: {c.name for c in store.db[t].columns}
        for t in ("sessions", "events", "commands", "seats")
    }
    assert {
        "session_id",
        "seq",
        "type",
        "t",
        "role",
        "seat",
        "audience",
        "payload",
        "wall_time",
    } <= columns["events"]
    assert {"id", "scenario_id", "scenario_hash", "bundle", "seed", "status"} <= columns["sessions"]
    assert {"status", "reason", "actor", "payload", "sent"} <= columns["commands"]
    assert applied(store.conn) == ["m001_initial", "m002_live", "m003_sent"]


def test_wal_mode_and_busy_timeout(store: Store) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_a_second_writer_cannot_fork_the_log(harbour: Bundle, db_path: Path) -> None:
    with Store(db_path) as first, Store(db_path) as second:
        session = first.create_session(harbour, seed=1)
        event = ev.ClockPaused(t=0)
        first.append(session, [event], 1, harbour)
        with pytest.raises(ConcurrentWriterError, match="only one controller"):
            second.append(session, [event], 1, harbour)
        assert first.last_seq(session) == 1


def test_payloads_hold_no_wall_time(harbour: Bundle, store: Store) -> None:
    session = store.create_session(harbour, seed=1)
    store.append(session, [ev.SpeedChanged(t=5, speed=2.0)], 1, harbour)
    row = store.conn.execute("SELECT payload, wall_time FROM events").fetchone()
    assert row[0] == '{"speed":2.0}'
    assert row[1].startswith("20")


def test_role_scoped_reads_filter_in_the_query(harbour: Bundle, store: Store) -> None:
    session = store.create_session(harbour, seed=1)
    store.append(
        session,
        [
            ev.InjectDelivered(
                t=1, inject="I-01", to=["un_mission"], answer=[], due_at=None, cause=ev.Scheduled()
            ),
            ev.ObservationRecorded(
                t=2, role="un_mission", evaluator="e", criterion="UND-1", rating="S", note="good"
            ),
            ev.PhaseEntered(t=3, phase="react", previous="prevent", cause="transition"),
        ],
        1,
        harbour,
    )
    police = [r.event.type for r in store.events(session, role="police")]
    un = [r.event.type for r in store.events(session, role="un_mission")]
    assert police == ["PhaseEntered"]
    assert un == ["InjectDelivered", "PhaseEntered"]  # evaluator notes stay with control
    assert len(store.events(session)) == 3


def test_commands_round_trip_through_the_inbox(harbour: Bundle, store: Store) -> None:
    session = store.create_session(harbour, seed=1)
    actor = cmd.Actor.player("police", seat="laptop-3", name="Capt. Ode")
    command_id = store.submit(session, cmd.Respond(actor=actor, inject="I-01", option="A"))
    [record] = store.pending_commands(session)
    assert record.id == command_id and record.seat == "laptop-3"
    rebuilt = cmd.decode_command(record.type, record.payload, actor)
    assert rebuilt == cmd.Respond(actor=actor, inject="I-01", option="A")


def test_a_retried_command_is_queued_once(harbour: Bundle, store: Store) -> None:
    """The client's idempotency key: a seat that retries gets the first command back."""
    session = store.create_session(harbour, seed=1)
    actor = cmd.Actor.player("police", seat="laptop-3")
    message = cmd.SendMessage(actor=actor, to=["un_mission"], body="Convoy at noon")
    first = store.submit(session, message, client_id="k-1")
    assert store.submit(session, message, client_id="k-1") == first
    teammate = cmd.Actor.player("police", seat="laptop-4")
    assert store.submit(session, cmd.Pause(actor=teammate), client_id="k-1") == first  # one team
    other_role = cmd.Actor.player("military", seat="laptop-5")
    theirs = msgspec.structs.replace(message, actor=other_role)
    assert store.submit(session, theirs, client_id="k-1") != first
    assert len(store.pending_commands(session)) == 2


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not an exercise database"):
        Store(bogus)


def test_a_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no exercise database"):
        Store(tmp_path / "missing.db", create=False)


def test_events_read_back_exactly_as_written(harbour: Bundle, store: Store) -> None:
    """Decoding the log gives the instances the engine made: same class, same values, still
    frozen."""
    written = [
        ev.ExerciseCreated(t=0, scenario="s", scenario_hash="h", seed=7, mode="turns", speed=2.0),
        ev.PhaseEntered(t=1, phase="react", previous="prevent", cause="transition", transition=0),
        ev.ClockPaused(t=2),
        ev.InjectDelivered(
            t=3, inject="I-01", to=["police"], answer=["police"], due_at=90, cause=ev.Scheduled()
        ),
        ev.ResponseRecorded(
            t=4, role="police", seat="p1", inject="I-01", option=None, text="t", rationale="",
            late=False, delay=1,
        ),
        ev.MessageSent(t=5, role="police", to=["un_mission"], subject="s", body="b"),
    ]  # fmt: skip
    session = store.create_session(harbour, seed=1)
    store.append(session, written, 1, harbour)
    read = [r.event for r in store.events(session)]
    assert read == written
    assert [type(e) for e in read] == [type(e) for e in written]
    with pytest.raises(AttributeError):
        read[0].t = 5  # type: ignore[misc]


def test_stored_payloads_of_other_shapes() -> None:
    """A payload without a defaulted field (an older log) gets the default; an unknown field,
    a cause of no known kind or a value of the wrong type is refused, naming it."""
    payload = {"inject": "I-01", "to": [], "answer": [], "due_at": None, "cause": {"kind": "at"}}
    event = ev.decode_event("InjectDelivered", 3, None, None, payload)
    assert event == ev.InjectDelivered(
        t=3, inject="I-01", to=[], answer=[], due_at=None, cause=ev.Scheduled()
    )
    with pytest.raises(ev.EventFormatError, match="surprise"):
        ev.decode_event("InjectDelivered", 3, None, None, {**payload, "adhoc": None, "surprise": 1})
    with pytest.raises(ev.EventFormatError, match="surprise"):
        ev.decode_event("ClockPaused", 3, None, None, {"surprise": 1})
    with pytest.raises(ev.EventFormatError, match="kind"):
        ev.decode_event("InjectDelivered", 3, None, None, {**payload, "cause": {"kind": "magic"}})
    with pytest.raises(ev.EventFormatError, match="cause"):
        ev.decode_event(
            "PhaseEntered",
            3,
            None,
            None,
            {"phase": "react", "previous": "prevent", "cause": "whim"},
        )
    with pytest.raises(ev.EventFormatError, match="unknown event type"):
        ev.decode_event("Teleported", 3, None, None, {})
