"""Load: 50 seat processes each send 20 messages as fast as they can, all at once.

Exactly 1,000 ``MessageSent`` events and 1,000 accepted acks, and no ``database is locked``
anywhere in any process's output: a busy file slows writers down, it never fails them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from livetools import Process, start_controller, stop_all

ROLES = ["host_state", "un_mission", "military", "police", "humanitarian"]
SEATS, MESSAGES = 50, 20


def seat(db: Path, n: int, codes: dict[str, str]) -> Process:
    role = ROLES[n % len(ROLES)]
    argv = ["join", "--db", db, "--role", role, "--code", codes[role], "--name", f"seat {n}"]
    return Process(*argv, "--jsonl", name=f"seat {n}")


@pytest.mark.slow
def test_fifty_seats_send_twenty_messages_each(tmp_path: Path) -> None:
    db = tmp_path / "load.db"
    controller, codes = start_controller(db, "--start")
    processes = [controller]
    try:
        seats = [seat(db, n, codes) for n in range(SEATS)]
        processes += seats
        for n, one in enumerate(seats):  # every line written at once, then end of input
            to = ROLES[(n + 1) % len(ROLES)]
            for m in range(MESSAGES):
                one.send(
                    {"type": "SendMessage", "to": [to], "body": f"seat {n} message {m}",
                     "id": f"{n}:{m}"}
                )  # fmt: skip
            one.close_input()
        for one in seats:
            assert one.finish(deadline=300) == 0, one.log()
        controller.proc.terminate()
        assert controller.finish() == 0, controller.log()
    finally:
        stop_all(processes)

    acks = [a for one in seats for a in one.acks()]
    assert len(acks) == SEATS * MESSAGES
    assert {a["status"] for a in acks} == {"accepted"}
    assert len({str(a["ack"]) for a in acks}) == SEATS * MESSAGES
    conn = sqlite3.connect(db)
    sent = conn.execute("SELECT COUNT(*) FROM events WHERE type = 'MessageSent'").fetchone()[0]
    conn.close()
    assert sent == SEATS * MESSAGES
    for process in processes:
        assert "database is locked" not in process.output(), process.name
        assert "Traceback" not in process.output(), process.name
