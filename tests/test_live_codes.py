"""Join codes: refused with exit 2, slowed down when guessed, never in the database in clear,
and rotated by ``exercise codes --rotate``."""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import time
from pathlib import Path

import pytest
from livetools import EXERCISE

from exercise_engine.live import codes as join_codes
from exercise_engine.live.controller import LiveController, RunOptions
from exercise_engine.model.bundle import Bundle

CONTENT = Path(__file__).parent / "fixtures" / "content"


@pytest.fixture
def session(tmp_path: Path, harbour: Bundle) -> tuple[Path, dict[str, str]]:
    """A live session created as ``exercise run`` creates one, its controller then stopped."""
    db, codes_file = tmp_path / "live.db", tmp_path / "codes.json"
    live = LiveController.open(
        RunOptions(db=str(db), codes_file=codes_file), load=lambda ref, content: harbour
    )
    live.release(time.time())
    return db, json.loads(codes_file.read_text())


def join(db: Path, role: str, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXERCISE, "join", "--db", str(db), "--role", role, "--code", code, "--jsonl"],
        input="",
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_bad_joins_exit_2_with_one_clear_line(session: tuple[Path, dict[str, str]]) -> None:
    db, codes = session
    for run, said in [
        (join(db, "police", "WRONG-CODE"), "wrong join code for role 'police'"),
        (join(db, "pirates", codes["police"]), "unknown role 'pirates'; the roles are"),
        (join(db.with_name("nowhere.db"), "police", codes["police"]), "no exercise database"),
    ]:
        assert run.returncode == 2, run.stderr
        assert run.stderr.count("\n") == 1 and said in run.stderr, run.stderr
    good = join(db, "police", codes["police"].lower().replace("-", " "))  # as a person types it
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout.splitlines()[0])["status"] == "joined"


@pytest.mark.slow
def test_the_tenth_wrong_code_in_a_minute_waits(session: tuple[Path, dict[str, str]]) -> None:
    """Every try is logged; the first wrong ones cost nothing, the tenth within a minute waits
    (checked as a lower bound on its duration, which a slow machine only lengthens)."""
    db, _ = session
    for _ in range(3):
        first = join(db, "police", "AAAA-BBBB-CCCC")
        assert first.returncode == 2 and "waiting" not in first.stderr
    conn = sqlite3.connect(db)
    [(session_id,)] = conn.execute("SELECT id FROM sessions").fetchall()
    assert conn.execute("SELECT COUNT(*) FROM join_attempts WHERE ok = 0").fetchone()[0] == 3
    now = time.time()  # six more wrong tries just now, as from other terminals
    conn.executemany(
        "INSERT INTO join_attempts (session_id, audience, name, ok, at, pid, host) "
        "VALUES (?, 'military', 'x', 0, ?, 1, 'elsewhere')",
        [(session_id, now)] * 6,
    )
    conn.commit()
    conn.close()
    started = time.monotonic()
    tenth = join(db, "military", "AAAA-BBBB-CCCC")
    took = time.monotonic() - started
    assert tenth.returncode == 2
    expected = join_codes.wait_before(9)
    assert expected >= 8
    assert f"9 wrong join codes for this exercise in the last minute: waiting {expected:g} s" in (
        tenth.stderr
    )
    assert took >= expected


def test_no_code_is_stored_in_clear(session: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    _, codes = session
    assert set(codes) == {
        "host_state",
        "un_mission",
        "military",
        "police",
        "humanitarian",
        "evaluator",
    }
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("live.db*"))
    for code in codes.values():
        assert code.encode() not in stored and code.replace("-", "").encode() not in stored
    assert stat.S_IMODE((tmp_path / "codes.json").stat().st_mode) == 0o600


@pytest.mark.slow
def test_rotated_codes_replace_the_old_ones(
    session: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    db, old = session
    fresh_file = tmp_path / "fresh.json"
    rotate = subprocess.run(
        [EXERCISE, "codes", "--db", str(db), "--rotate", "--codes", str(fresh_file)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert rotate.returncode == 0, rotate.stderr
    fresh = json.loads(fresh_file.read_text())
    assert set(fresh) == set(old) and not set(fresh.values()) & set(old.values())
    assert stat.S_IMODE(fresh_file.stat().st_mode) == 0o600
    assert join(db, "police", old["police"]).returncode == 2
    assert join(db, "police", fresh["police"]).returncode == 0


def test_codes_are_unambiguous_to_read_aloud() -> None:
    code = join_codes.new_code()
    assert len(code) == 14 and code.count("-") == 2
    assert not set(code.replace("-", "")) & set("01IO")
    assert join_codes.normalise(" k7qm 2xpd-9htr ") == "K7QM2XPD9HTR"
    assert [join_codes.wait_before(n) for n in (0, 4, 5, 6, 9, 20)] == [0, 0, 0.5, 1, 8, 30]


def test_after_a_take_over_the_controller_can_show_codes_again(
    session: tuple[Path, dict[str, str]], tmp_path: Path, harbour: Bundle
) -> None:
    """Codes exist in clear only where they were issued. A controller that took over without
    the codes file knows none and can issue new ones (written to its file); given the file, it
    shows the session's codes; and once another process rotated them, it never shows the old
    ones: the new ones if they were written to its file, none otherwise."""
    db, first = session
    load = lambda ref, content: harbour  # noqa: E731
    blind = LiveController.open(RunOptions(db=str(db)), load=load)
    try:
        assert blind.codes is None
    finally:
        blind.release(time.time())
    codes_file = tmp_path / "codes.json"  # the file the session's first run wrote
    live = LiveController.open(RunOptions(db=str(db), codes_file=codes_file), load=load)
    try:
        assert live.codes == first
        conn = live.store.conn
        rotated = join_codes.issue(conn, live.session_id, list(harbour.scenario.roles), "now")
        join_codes.write_file(codes_file, rotated)  # exercise codes --rotate --codes FILE
        live.tick(time.time() + 2)  # the next heartbeat
        assert live.codes == rotated
        join_codes.issue(conn, live.session_id, list(harbour.scenario.roles), "now")
        live.tick(time.time() + 4)  # rotated again, printed elsewhere: this file is stale
        assert live.codes is None
        fresh = live.rotate_codes()  # the controller issues its own
        assert live.codes == fresh == json.loads(codes_file.read_text())
        assert stat.S_IMODE(codes_file.stat().st_mode) == 0o600
        assert join_codes.still_valid(conn, live.session_id, fresh)
        assert not join_codes.matches(conn, live.session_id, "police", first["police"])
    finally:
        live.release(time.time())


def test_the_codes_a_process_issued_are_checked_there_without_another_scrypt(
    session: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hot-seat's seats join with the codes its controller has just issued: each check
    would cost ~40 ms of scrypt. Remembered (same code, same salt, same hash) they cost
    nothing; a code typed wrong is still hashed and refused."""
    db, codes = session
    calls: list[bytes] = []
    scrypt = join_codes.hashlib.scrypt

    def counted(password: bytes, **kwargs: object) -> bytes:
        calls.append(password)
        return scrypt(password, **kwargs)

    monkeypatch.setattr(join_codes.hashlib, "scrypt", counted)
    conn = sqlite3.connect(db)
    try:
        fresh = join_codes.issue(conn, _session_id(conn), ["police"], "2026-12-02T06:00:00Z")
        assert len(calls) == 2  # police and the evaluators
        assert join_codes.matches(conn, _session_id(conn), "police", fresh["police"].lower())
        assert len(calls) == 2
        assert not join_codes.matches(conn, _session_id(conn), "police", codes["police"])
        assert len(calls) == 3
    finally:
        conn.close()


def _session_id(conn: sqlite3.Connection) -> str:
    return str(conn.execute("SELECT id FROM sessions").fetchone()[0])
