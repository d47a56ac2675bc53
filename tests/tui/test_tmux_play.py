"""A facilitator plays the default scenario in a real terminal (tmux), with the keyboard only."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

from .tmux import Terminal

EXERCISE = str(Path(sys.executable).parent / "exercise")


@pytest.fixture
def terminal(tmp_path: Path):
    term = Terminal(tmp_path, width=100, height=30)
    yield term
    term.close()


@pytest.mark.slow
def test_play_the_default_scenario_answer_with_the_keyboard_and_quit(
    terminal: Terminal, tmp_path: Path
) -> None:
    db = tmp_path / "play.db"
    w = terminal.start("play", [EXERCISE, "play", "--db", str(db)])
    terminal.wait_for(w, "NOT STARTED")
    terminal.keys(w, "p")  # start play
    terminal.wait_for(w, "RUNNING")
    terminal.keys(w, "Space")  # pause: sending now is never held by a pause
    terminal.wait_for(w, "PAUSED")
    terminal.keys(w, "Down", "s")  # the MSEL's second line, INJ-102: send it now
    terminal.wait_for(w, r"delivered\s+\S+\s+INJ-102")
    terminal.keys(w, "Space")  # resume: answers are taken while the clock runs
    terminal.wait_for(w, "RUNNING")
    terminal.keys(w, "F4")  # the first role: the Government of Ardana
    terminal.wait_for(w, "To answer 1")
    terminal.keys(w, "a")
    terminal.wait_for(w, "> Course of action:")  # the form, the focus on its options
    terminal.keys(w, "Enter", "Tab")  # the option shown first (options are shuffled per seat)
    terminal.wait_for(w, "> Or your own course of action:")
    terminal.keys(w, "Tab")  # none of our own: the options say it
    terminal.wait_for(w, r"> Rationale \(required\):")
    terminal.type(w, "Order 14 arms the militia at the polls")
    terminal.keys(w, "Tab")
    terminal.wait_for(w, "> Confidence:")
    terminal.keys(w, "Right", "Right", "Enter")
    terminal.wait_for(w, "●▌ 3 fair")
    terminal.keys(w, "C-s")
    terminal.wait_for(w, "Answer accepted")
    terminal.keys(w, "C-q")
    screen = terminal.wait_for(w, "EXIT=")
    assert "EXIT=0" in screen
    assert "after-action review: exercise report" in screen
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT role, json_extract(payload, '$.inject'), json_extract(payload, '$.option'),"
            " json_extract(payload, '$.confidence') FROM events WHERE type = 'ResponseRecorded'"
        ).fetchall()
        (shown_first,) = conn.execute(
            "SELECT json_extract(payload, '$.order.host_state[0]') FROM events"
            " WHERE type = 'InjectDelivered' AND json_extract(payload, '$.inject') = 'INJ-102'"
        ).fetchone()
    assert shown_first is not None, "the delivery records the order the seat was shown"
    assert rows == [("host_state", "INJ-102", shown_first, 3)]


@pytest.mark.slow
def test_an_inject_sent_now_reaches_two_seats_in_their_own_terminals(
    terminal: Terminal, tmp_path: Path
) -> None:
    db, codes_file = tmp_path / "live.db", tmp_path / "codes.json"
    ctl = terminal.start(
        "controller", [EXERCISE, "run", "--db", str(db), "--codes", str(codes_file)]
    )
    terminal.wait_for(ctl, "NOT STARTED")
    codes = json.loads(codes_file.read_text())
    seats = {
        role: terminal.start(
            role,
            [
                EXERCISE,
                "join",
                "--db",
                str(db),
                "--role",
                role,
                "--code",
                codes[role],
                "--name",
                name,
            ],
        )
        for role, name in (("host_state", "Amina"), ("police", "Capt. Ode"))
    }
    for window in seats.values():
        terminal.wait_for(window, "Brief & mandate")
    terminal.keys(ctl, "p")
    terminal.wait_for(ctl, "RUNNING")
    terminal.keys(ctl, "Space")  # paused: whatever reaches the seats now was sent by hand
    terminal.wait_for(ctl, "PAUSED")
    terminal.keys(ctl, "Down", "s")  # INJ-102, to the host state and the police
    terminal.wait_for(ctl, r"delivered\s+\S+\s+INJ-102")
    for window in seats.values():
        terminal.wait_for(window, "INJ-102 Provincial Order 14")
        terminal.wait_for(window, "PAUSED")
    terminal.wait_for(seats["host_state"], "To answer 1")  # the host state must answer
    terminal.keys(ctl, "C-q")
    assert "EXIT=0" in terminal.wait_for(ctl, "EXIT=")
    for window in seats.values():  # the seats say the controller is gone
        terminal.wait_for(window, "CONTROLLER GONE")


@pytest.mark.slow
def test_a_console_that_cannot_open_says_why_in_one_line(
    terminal: Terminal, tmp_path: Path
) -> None:
    (tmp_path / "notes.db").write_text("not an exercise")
    seat = terminal.start(
        "seat", [EXERCISE, "join", "--db", "missing.db", "--role", "police", "--code", "X"]
    )
    screen = terminal.wait_for(seat, "EXIT=")
    assert "exercise join: error: no exercise database at missing.db" in screen
    assert "EXIT=2" in screen and "Traceback" not in screen
    ctl = terminal.start("controller", [EXERCISE, "run", "--db", "notes.db"])
    screen = terminal.wait_for(ctl, "EXIT=")
    assert "exercise run: error: notes.db: this file is not an exercise database" in screen
    assert "EXIT=1" in screen and "Traceback" not in screen
