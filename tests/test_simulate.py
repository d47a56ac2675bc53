"""Headless simulation: reproducible logs, decisions that matter, and no loss on a hard kill."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from exercise_engine.engine import events as ev
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.catalog import Catalog
from exercise_engine.model.synthetic import synthetic_scenario
from exercise_engine.session import simulate as sim
from exercise_engine.store import Store

CONTENT = Path(__file__).parent / "fixtures" / "content"


def log_of(db: Path, session: str | None = None) -> list[tuple[int, str, str]]:
    """The (seq, type, payload) log of a session, as stored."""
    conn = sqlite3.connect(db)
    try:
        if session is None:
            session = conn.execute("SELECT id FROM sessions ORDER BY rowid DESC").fetchone()[0]
        return conn.execute(
            "SELECT seq, type, payload FROM events WHERE session_id = ? ORDER BY seq", (session,)
        ).fetchall()
    finally:
        conn.close()


def simulate(bundle: Bundle, db: Path, seed: int, policy: str) -> str:
    with Store(db, synchronous="NORMAL") as store:
        controller = sim.start(store, bundle, seed, policy)
        sim.run(controller, policy)
        return controller.session_id


@pytest.mark.parametrize("scenario", ["harbour-test", "moves-test"])
@pytest.mark.parametrize("policy", ["best", "worst", "random"])
def test_the_same_seed_gives_the_same_log(
    fixture_catalog: Catalog, tmp_path: Path, scenario: str, policy: str
) -> None:
    bundle = fixture_catalog.bundle(scenario)
    first = simulate(bundle, tmp_path / "a.db", 7, policy)
    second = simulate(bundle, tmp_path / "b.db", 7, policy)
    assert log_of(tmp_path / "a.db", first) == log_of(tmp_path / "b.db", second)


def test_a_different_seed_can_give_a_different_log(
    fixture_catalog: Catalog, tmp_path: Path
) -> None:
    bundle = fixture_catalog.bundle("harbour-test")
    logs = {
        tuple(
            log_of(
                tmp_path / f"{seed}.db", simulate(bundle, tmp_path / f"{seed}.db", seed, "random")
            )
        )
        for seed in range(1, 6)
    }
    assert len(logs) > 1


def test_best_play_ends_in_a_better_situation_than_worst(
    fixture_catalog: Catalog, tmp_path: Path
) -> None:
    bundle = fixture_catalog.bundle("harbour-test")
    finals = {}
    for policy in ("best", "worst"):
        with Store(tmp_path / f"{policy}.db", synchronous="NORMAL") as store:
            controller = sim.start(store, bundle, 3, policy)
            sim.run(controller, policy)
            finals[policy] = controller.state.variables
    assert finals["best"]["violence"] < finals["worst"]["violence"]


@pytest.mark.parametrize("policy", ["first", "longest"])
def test_guessing_bots_choose_by_form_and_answer_like_random(
    fixture_catalog: Catalog, tmp_path: Path, policy: str
) -> None:
    """``first`` takes the option written first, ``longest`` the longest text; both answer and
    coordinate as ``random`` does, so only the guess differs from a random player."""
    bundle = fixture_catalog.bundle("harbour-test")
    with Store(tmp_path / f"{policy}.db", synchronous="NORMAL") as store:
        controller = sim.start(store, bundle, 3, policy)
        sim.run(controller, policy)
        events = [r.event for r in store.events(controller.session_id)]
    chosen = [e for e in events if isinstance(e, ev.ResponseRecorded) and e.option]
    assert chosen
    for response in chosen:
        options = bundle.scenario.inject(response.inject).respond.options
        expected = options[0] if policy == "first" else max(options, key=lambda o: len(o.text))
        assert response.option == expected.id
    delivered = {
        (e.inject, r): e.t for e in events if isinstance(e, ev.InjectDelivered) for r in e.answer
    }
    delays = [r.t - delivered[(r.inject, r.role)] for r in chosen]
    assert len(set(delays)) > 1, "a guessing player answers at random times, like random"


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "exercise_engine", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.slow
def test_a_killed_simulation_resumes_with_nothing_lost(tmp_path: Path) -> None:
    """SIGKILL midway, then --resume: the log equals an uninterrupted run's, seq contiguous,
    no inject delivered twice to a role, no decision lost."""
    scenario = tmp_path / "big.yaml"
    scenario.write_text(
        synthetic_scenario(
            1500, ["UND-1", "PRO-1", "SHP-1"], rubric="test-rubric", scenario_id="big"
        )
    )
    common = [str(scenario), "--content", str(CONTENT), "--seed", "5", "--policy", "random"]
    straight = _cli("simulate", *common, "--db", "straight.db", "--json", cwd=tmp_path)
    assert straight.returncode == 0, straight.stderr
    expected = log_of(tmp_path / "straight.db")

    killed_db = tmp_path / "killed.db"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "exercise_engine",
            "simulate",
            *common,
            "--db",
            str(killed_db),
            "--json",
        ],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    written = 0
    while time.monotonic() < deadline and process.poll() is None:
        if killed_db.exists():
            try:
                written = len(log_of(killed_db))
            except (sqlite3.Error, TypeError):
                written = 0
            if written >= len(expected) // 3:
                break
        time.sleep(0.01)
    if process.poll() is not None:
        pytest.fail("the simulation finished before it could be killed; make it bigger")
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    partial = log_of(killed_db)
    assert 0 < len(partial) < len(expected)
    assert partial == expected[: len(partial)]

    resumed = _cli("simulate", "--resume", "--db", str(killed_db), "--json", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout)["events"] == len(expected)
    final = log_of(killed_db)
    assert final == expected
    assert [seq for seq, _, _ in final] == list(range(1, len(final) + 1))
    deliveries = [
        (json.loads(p)["inject"], role)
        for _, kind, p in final
        if kind == "InjectDelivered"
        for role in json.loads(p)["to"]
    ]
    assert len(deliveries) == len(set(deliveries))


def test_two_simulate_runs_with_seed_7_log_the_same_events(tmp_path: Path) -> None:
    """The command a controller runs: same seed, same (seq, type, payload) log, byte for byte."""
    from exercise_engine.cli import main

    for name in ("first.db", "second.db"):
        assert main(["simulate", "--seed", "7", "--db", str(tmp_path / name), "--json"]) == 0
    first, second = log_of(tmp_path / "first.db"), log_of(tmp_path / "second.db")
    assert first == second
    assert len(first) > 100
