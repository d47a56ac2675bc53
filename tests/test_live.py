"""A live exercise with people, in separate processes: the controller service, seats, evaluators.

``exercise run --headless`` plus ``exercise join --jsonl`` seats (one role played by a team of
two) and an ``exercise evaluate --jsonl`` evaluator play harbour-test at 3,600 scenario seconds
per wall second, to its end. Every command line gets exactly one ack; every accepted command is
in the log exactly once; each seat's stream holds exactly what its role may read.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from livetools import Process, check_role_reading, start_controller, stop_all

from exercise_engine.model.bundle import Bundle

ROLES = ["host_state", "un_mission", "military", "police", "humanitarian"]
NEXT = {role: ROLES[(i + 1) % len(ROLES)] for i, role in enumerate(ROLES)}


def answer(seat: Process, role: str, line: dict[str, Any]) -> None:
    """What a trainee does with an inject that asks its role to answer."""
    inject = line["inject"]
    options = inject.get("options")
    command: dict[str, Any] = {"type": "Respond", "inject": inject["id"], "rationale": "Doctrine."}
    if options:
        command["option"] = options[0]["id"]
    else:
        command["text"] = "Our own course of action."
    command["id"] = f"{seat.name}:answer:{inject['id']}"
    seat.send(command)


def _shown(line: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in line.items() if k in ("inject", "brief")}


def db_rows(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.mark.slow
def test_five_roles_a_team_and_an_evaluator_play_to_the_end(
    tmp_path: Path, harbour: Bundle
) -> None:
    db = tmp_path / "live.db"
    controller, codes = start_controller(db, "--speed", "3600")
    processes = [controller]
    try:
        seats = {
            f"{role}-1": Process(
                "join", "--db", db, "--role", role, "--code", codes[role],
                "--name", f"{role} lead", "--jsonl", name=f"{role}-1",
            )
            for role in ROLES
        }  # fmt: skip
        seats["un_mission-2"] = Process(
            "join", "--db", db, "--role", "un_mission", "--code", codes["un_mission"],
            "--name", "Amina", "--jsonl", name="un_mission-2",
        )  # fmt: skip
        evaluator = Process(
            "evaluate", "--db", db, "--code", codes["evaluator"], "--name", "Ana", "--jsonl",
            name="evaluator",
        )  # fmt: skip
        processes += [*seats.values(), evaluator]
        for process in [*seats.values(), evaluator]:
            process.wait_for(lambda p: p.has_status("joined"), "joined line")
        controller.send({"type": "StartPlay", "id": "start"})
        # The protocol orders nothing across processes: a seat's command decided before the
        # controller has read StartPlay from its stdin is refused ("not started yet"), as it
        # should be. The controller acks StartPlay once its events are committed; from then on
        # every seat's command is decided in play, so every message below must be accepted.
        [started] = controller.wait_for(
            lambda p: [a for a in p.acks() if a["ack"] == "start"], "StartPlay ack"
        )
        assert started["status"] == "accepted", started

        for name, seat in seats.items():  # coordination, and lines that are not commands
            role = name.rsplit("-", 1)[0]
            for n in range(2):
                seat.send(
                    {"type": "SendMessage", "to": [NEXT[role]], "body": f"{name} note {n}",
                     "id": f"{name}:message:{n}"}
                )  # fmt: skip
            seat.send("this is not JSON")
            seat.send({"type": "EndExercise", "id": f"{name}:end"})  # not a seat's to give
        evaluator.send(
            {"type": "RecordObservation", "criterion": "UND-1", "role": "un_mission",
             "rating": "S", "note": "Named the indicator.", "id": "obs-1"}
        )  # fmt: skip
        evaluator.send(
            {"type": "RecordObservation", "criterion": "NOPE", "role": "police", "rating": "S",
             "id": "obs-2"}
        )  # fmt: skip

        answered: set[tuple[str, str]] = set()
        deadline = time.monotonic() + 180
        while not any(e["type"] == "ExerciseEnded" for e in controller.events()):
            assert time.monotonic() < deadline, controller.log()
            for name, seat in seats.items():
                role = name.rsplit("-", 1)[0]
                for line in seat.events():
                    asks = line["type"] == "InjectDelivered" and line["payload"]["answer"]
                    if asks and (name, line["inject"]["id"]) not in answered:
                        answered.add((name, line["inject"]["id"]))
                        answer(seat, role, line)
            time.sleep(0.1)
        controller.send({"type": "EndExercise", "id": "close-debrief"})
        assert controller.finish() == 0, controller.log()
        for process in [*seats.values(), evaluator]:
            process.close_input()
            assert process.finish() == 0, process.log()
    finally:
        stop_all(processes)

    # every command line got exactly one ack (the unparseable one: one rejection)
    for process in processes:
        sent = Counter(str(c["id"]) for c in process.sent)
        acked = Counter(str(a["ack"]) for a in process.acks() if a["ack"] is not None)
        assert acked == sent, process.name
        assert sum(1 for a in process.acks() if a["ack"] is None) == process.unparseable_sent
    # every accepted command is in the log exactly once, with the seat that sent it
    for process in [*seats.values(), evaluator]:
        seat_id = next(line["seat"] for line in process.lines if line.get("status") == "joined")
        accepted = [a for a in process.acks() if a["status"] == "accepted"]
        for ack in accepted:
            first, last = ack["seqs"]
            by = db_rows(db, "SELECT seat FROM events WHERE seq BETWEEN ? AND ?", first, last)
            assert (seat_id,) in by, ack
        recorded = db_rows(
            db,
            "SELECT COUNT(*) FROM events WHERE seat = ? AND type IN "
            "('MessageSent', 'ResponseRecorded', 'ObservationRecorded')",
            seat_id,
        )[0][0]
        assert recorded == len(accepted), process.name
    messages = [a for p in seats.values() for a in p.acks() if ":message:" in str(a["ack"])]
    assert [a["status"] for a in messages] == ["accepted"] * 12
    assert sum(1 for n, _ in answered) >= 5  # the seats answered what they were asked
    # a team: the first accepted answer is the role's, the other seat is told who gave it
    refusals = [
        a["reason"] for n in ("un_mission-1", "un_mission-2") for a in seats[n].acks()
        if str(a["ack"]).endswith(":answer:I-01") and a["status"] == "rejected"
    ]  # fmt: skip
    assert len(refusals) == 1 and "I-01 already answered by" in refusals[0]
    assert seats["un_mission-1"].events() == seats["un_mission-2"].events()  # a team sees the same
    # each seat's stream holds exactly what its role may read
    stored = db_rows(db, "SELECT seq, audience FROM events ORDER BY seq")
    assert [seq for seq, _ in stored] == list(range(1, len(stored) + 1))
    asked = {
        (json.loads(payload)["inject"], role)
        for (payload,) in db_rows(db, "SELECT payload FROM events WHERE type = 'InjectDelivered'")
        for role in json.loads(payload)["answer"]
    }
    for name, seat in seats.items():
        role = name.rsplit("-", 1)[0]
        visible = {s for s, audience in stored if {role, "*"} & set(json.loads(audience))}
        check_role_reading(
            role,
            [(e["seq"], e["type"], e["role"], e["payload"], _shown(e)) for e in seat.events()],
            harbour,
            visible,
            asked,
        )
    assert {e["seq"] for e in evaluator.events()} == {s for s, _ in stored}  # staff see all
    assert any(e["type"] == "ObservationRecorded" for e in evaluator.events())
    for process in processes:
        assert "database is locked" not in process.output()
        assert "Traceback" not in process.output()


@pytest.mark.slow
def test_a_killed_controller_is_taken_over_and_the_seats_carry_on(tmp_path: Path) -> None:
    """SIGKILL the controller mid-exercise while seats keep sending; a new ``exercise run``
    takes over; the seats never restart; nothing acknowledged is lost, nothing is recorded
    twice, ``seq`` stays contiguous, and the outage is in the log."""
    db = tmp_path / "live.db"
    first, codes = start_controller(db, "--start", name="first controller")
    processes = [first]
    try:
        roles = ["police", "military", "humanitarian"]
        seats = [
            Process("join", "--db", db, "--role", r, "--code", codes[r], "--jsonl", name=r)
            for r in roles
        ]
        processes += seats
        for seat in seats:
            seat.wait_for(lambda p: p.has_status("joined"), "joined line")
        sent = 0

        def send_round() -> None:
            nonlocal sent
            for seat, role in zip(seats, roles, strict=True):
                seat.send(
                    {"type": "SendMessage", "to": [NEXT[role]], "body": f"{role} #{sent}",
                     "id": f"{role}:{sent}"}
                )  # fmt: skip
            sent += 1

        def acked(p: Process, at_least: int) -> bool:
            return len(p.acks()) >= at_least

        for _ in range(8):
            send_round()
            time.sleep(0.05)
        for seat in seats:
            seat.wait_for(lambda p: acked(p, 8), "acks before the crash")
        for _ in range(4):  # in flight while the controller dies
            send_round()
        first.proc.kill()
        first.proc.wait()
        for _ in range(6):  # sent with no controller at all
            send_round()
            time.sleep(0.05)
        for seat in seats:
            seat.wait_for(lambda p: p.has_status("controller-gone"), "controller-gone")
        second = Process("run", "--db", db, "--headless", name="second controller")
        processes.append(second)
        took = second.wait_for(
            lambda p: [s for s in p.lines if s.get("status") == "took-over"], "take-over"
        )
        assert took[0]["outage"] > 0
        for seat in seats:
            seat.wait_for(lambda p: p.has_status("controller-back"), "controller-back")
        for _ in range(5):
            send_round()
            time.sleep(0.05)
        for seat in seats:
            seat.close_input()
            assert seat.finish() == 0, seat.log()
        second.proc.terminate()
        assert second.finish() == 0, second.log()
    finally:
        stop_all(processes)

    bodies = Counter(
        json.loads(payload)["body"]
        for (payload,) in db_rows(db, "SELECT payload FROM events WHERE type = 'MessageSent'")
    )
    for seat, role in zip(seats, roles, strict=True):
        acks = Counter(str(a["ack"]) for a in seat.acks())
        assert acks == Counter(f"{role}:{n}" for n in range(sent)), seat.name  # one ack each
        assert all(a["status"] == "accepted" for a in seat.acks()), seat.log()
        for n in range(sent):
            assert bodies[f"{role} #{n}"] == 1, f"{role} #{n}"  # in the log exactly once
        assert seat.statuses().count("controller-gone") >= 1
    stored = [seq for (seq,) in db_rows(db, "SELECT seq FROM events ORDER BY seq")]
    assert stored == list(range(1, len(stored) + 1))
    [(outage,)] = db_rows(
        db, "SELECT json_extract(payload, '$.outage') FROM events WHERE type = 'ControllerTookOver'"
    )
    assert outage >= 1
    for process in processes:
        assert "database is locked" not in process.output()
        assert "Traceback" not in process.output()
