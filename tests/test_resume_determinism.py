"""A simulation killed at any commit and resumed logs exactly what an uninterrupted one logs.

A crash can only leave the database as it was after some commit: whatever was not committed is
lost, whenever between two commits the process died. So killing the process right after each
commit of a run, in turn, visits every state a crash can leave. Each kill is a real process
death (``os._exit`` in a forked child, no ``finally``, no SQLite close); the run is then resumed
with ``exercise simulate --resume`` and its log compared, row by row, with a clean run's.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from exercise_engine.cli import main
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.loader import load_bundle, load_catalog
from exercise_engine.model.synthetic import synthetic_scenario
from exercise_engine.session import simulate as sim
from exercise_engine.store import Store

KILLED = 137
Row = tuple[int, str, int, str | None, str | None, str]


def log_rows(db: Path) -> list[Row]:
    """Every event of the one session in ``db``, as stored (wall times left out)."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        sessions = conn.execute("SELECT id FROM sessions").fetchall()
        assert len(sessions) == 1, sessions
        return conn.execute(
            "SELECT seq, type, t, role, seat, payload FROM events WHERE session_id = ? "
            "ORDER BY seq",
            sessions[0],
        ).fetchall()


@contextlib.contextmanager
def commits_counted(kill_at: int | None = None) -> Iterator[list[int]]:
    """Count the store's commits; with ``kill_at``, end the process right after that one."""
    count = [0]
    original = Store.transaction

    @contextlib.contextmanager
    def transaction(self: Store) -> Iterator[None]:
        outermost = self._depth == 0
        with original(self):
            yield
        if outermost:
            count[0] += 1
            if count[0] == kill_at:
                os._exit(KILLED)

    Store.transaction = transaction  # type: ignore[method-assign]
    try:
        yield count
    finally:
        Store.transaction = original  # type: ignore[method-assign]


def simulate(db: Path, bundle: Bundle, seed: int, policy: str, commit_every: int) -> None:
    with Store(db) as store:
        controller = sim.start(store, bundle, seed, policy, commit_every=commit_every)
        sim.play_to_debrief(controller, policy)


def killed_at(db: Path, kill_at: int, *run: object) -> None:
    """Run the simulation in a child process that dies right after commit ``kill_at``."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            with commits_counted(kill_at):
                simulate(db, *run)  # type: ignore[arg-type]
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == KILLED, f"the child did not die at {kill_at}"


def resumed(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["simulate", "--resume", "--db", str(db)])
    err = capsys.readouterr().err
    assert code == 0 or "holds no unfinished simulation" in err, err
    assert "internal error" not in err


def divergences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], *run: object
) -> tuple[int, list[int]]:
    """(commits in a clean run, the commits after which a kill and resume diverged)."""
    clean_db = tmp_path / "clean.db"
    with commits_counted() as count:
        simulate(clean_db, *run)  # type: ignore[arg-type]
    clean = log_rows(clean_db)
    diverged = []
    for kill_at in range(1, count[0] + 1):
        db = tmp_path / f"killed-{kill_at}.db"
        killed_at(db, kill_at, *run)
        resumed(db, capsys)
        if log_rows(db) != clean:
            diverged.append(kill_at)
        for leftover in tmp_path.glob(f"killed-{kill_at}.db*"):
            leftover.unlink()
    return count[0], diverged


@pytest.mark.slow
@pytest.mark.parametrize(("policy", "commit_every"), [("best", 512), ("random", 7)])
def test_a_shipped_scenario_killed_at_every_commit_resumes_to_the_same_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], policy: str, commit_every: int
) -> None:
    bundle = load_bundle("mareth-site-attack")
    commits, diverged = divergences(tmp_path, capsys, bundle, 3, policy, commit_every)
    assert commits >= 4
    assert diverged == [], f"{len(diverged)} of {commits} kills diverged: after commits {diverged}"


@pytest.mark.slow
def test_a_thousand_inject_scenario_killed_at_every_commit_resumes_to_the_same_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    criteria = list(load_catalog().rubrics["poc-doctrine"].model.criteria)
    path = tmp_path / "synthetic.yaml"
    path.write_text(synthetic_scenario(1000, criteria))
    bundle = load_catalog([path]).bundle("synthetic")
    commits, diverged = divergences(tmp_path, capsys, bundle, 11, "random", 512)
    assert commits >= 10
    assert diverged == [], f"{len(diverged)} of {commits} kills diverged: after commits {diverged}"


def test_the_stored_bundle_keeps_the_authored_order_of_everything() -> None:
    """A resumed engine reads the stored bundle; a fresh one the loaded scenario. Effects
    applied in another order log other events, so the two must agree on every order."""
    unsorted = 0
    for scenario in ("mareth-site-attack", "kallen-early-warning", "kallen-after-atrocities"):
        fresh = load_bundle(scenario)
        stored = Bundle.from_json(fresh.to_json())
        assert stored.to_data() == fresh.to_data()
        assert repr(stored.to_data()) == repr(fresh.to_data()), scenario  # order too
        options = [o for i in fresh.scenario.injects if i.respond for o in i.respond.options]
        unsorted += sum(list(o.effects) != sorted(o.effects) for o in options)
    assert unsorted  # the shipped content does author effects out of alphabetical order
