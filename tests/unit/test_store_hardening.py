"""The store under failing machines and hostile files (issue 17's store items).

Each test reproduces a failure seen before the fix: a full disk, a refused write, six processes
opening a new file at once, a short lock called a long one, reports that wrote to the file they
read, a newer schema appended to, damaged rows as internal errors, the collector switched off
for a whole process, a connection shared across threads.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from exercise_engine.cli import main
from exercise_engine.engine import events as ev
from exercise_engine.model.bundle import Bundle
from exercise_engine.session import simulate as sim
from exercise_engine.store import (
    DamagedSessionError,
    NotAnExerciseDatabase,
    SchemaTooNewError,
    Store,
    StoreError,
    connection,
)
from exercise_engine.store.schema import (
    KNOWN,
    MIGRATION_SET,
    MIGRATIONS,
    MIGRATIONS_TABLE,
    applied,
)

EXERCISE = str(Path(sys.executable).parent / "exercise")


def recorded(bundle: Bundle, db: Path, *, status: str | None = None) -> str:
    """A whole bot-played session of ``bundle`` in ``db``; returns its id."""
    with Store(db, synchronous="NORMAL") as store:
        controller = sim.start(store, bundle, 3, "best")
        sim.run(controller, "best")
        if status is not None:
            store.set_status(controller.session_id, status)
        return controller.session_id


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# -- full disks and refused writes --------------------------------------------------------------


def test_a_full_disk_is_said_plainly_and_nothing_is_half_written(
    harbour: Bundle, store: Store
) -> None:
    """SQLite rolls a transaction back by itself when the disk is full; the store used to
    ROLLBACK again and report 'cannot rollback - no transaction is active'."""
    session = store.create_session(harbour, seed=1)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count={pages + 2}")  # a disk with two pages left
    big = [
        ev.MessageSent(t=i, role="police", to=["un_mission"], subject="", body="x" * 3000)
        for i in range(20)
    ]
    with pytest.raises(StoreError, match="the disk is full; nothing was written"):
        store.append(session, big, 1, harbour)
    assert not store.conn.in_transaction
    assert store.last_seq(session) == 0
    store.conn.execute("PRAGMA max_page_count=1073741823")  # space freed: the store goes on
    store.append(session, big, 1, harbour)
    assert store.last_seq(session) == 20


@pytest.mark.slow
def test_a_disk_that_refuses_writes_is_a_clear_error_not_an_internal_one(tmp_path: Path) -> None:
    def small_files() -> None:  # runs in the child: files may not grow past 200 kB
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    run = subprocess.run(
        [EXERCISE, "simulate", "--db", str(tmp_path / "x.db")],
        preexec_fn=small_files,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert "nothing was written" in run.stderr
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr


# -- many processes on one new file -------------------------------------------------------------


def _open_at_once(path: str, barrier: threading.Barrier, results: multiprocessing.Queue) -> None:
    barrier.wait()
    try:
        with Store(path) as store:
            store.sessions()
        results.put("ok")
    except Exception as exc:  # reported to the parent, which fails the test with it
        results.put(f"{type(exc).__name__}: {exc}")


@pytest.mark.slow
def test_six_processes_open_a_new_file_at_once(tmp_path: Path) -> None:
    """Before: 10 of 10 trials failed ('locked for over 5 s', in well under a second)."""
    context = multiprocessing.get_context("fork")
    for trial in range(10):
        path = str(tmp_path / f"new-{trial}.db")
        barrier, results = context.Barrier(6), context.Queue()
        workers = [
            context.Process(target=_open_at_once, args=(path, barrier, results)) for _ in range(6)
        ]
        for worker in workers:
            worker.start()
        outcomes = [results.get(timeout=120) for _ in workers]
        for worker in workers:
            worker.join(timeout=120)
        assert outcomes == ["ok"] * 6, f"trial {trial}: {outcomes}"
        conn = sqlite3.connect(path)
        assert applied(conn) == KNOWN  # each migration applied exactly once
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.close()


def test_a_short_lock_is_not_called_a_long_one() -> None:
    refusal = sqlite3.OperationalError("database is locked")
    refusal.waited = 0.4  # type: ignore[attr-defined]
    said = connection.explain(refusal, "x.db")
    assert "busy with another process at the same moment" in said and "5 s" not in said
    refusal.waited = connection.BUSY_TIMEOUT_S  # type: ignore[attr-defined]
    assert "stayed locked by another process for over 5 s" in connection.explain(refusal, "x.db")


def test_locked_is_said_when_it_stayed_locked_for_the_timeout(
    harbour: Bundle, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_S", 0.3)
    with Store(db_path) as store:
        session = store.create_session(harbour, seed=1)
        holder = sqlite3.connect(db_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock throughout
        try:
            with pytest.raises(StoreError, match="stayed locked by another process for over"):
                store.append(session, [ev.ClockPaused(t=0)], 1, harbour)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        store.append(session, [ev.ClockPaused(t=0)], 1, harbour)  # lock gone: it goes on


# -- reading without writing --------------------------------------------------------------------


def test_report_writes_nothing_to_the_database_it_reads(harbour: Bundle, tmp_path: Path) -> None:
    """Before: ``report`` switched a rollback-journal file to WAL (and migrated it)."""
    db = tmp_path / "x.db"
    recorded(harbour, db)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    before = files_of(tmp_path)
    assert main(["report", "--db", str(db), "--format", "json", "-o", os.devnull]) == 0
    assert files_of(tmp_path) == before


def test_another_programs_sqlite_file_is_left_alone(tmp_path: Path, capsys) -> None:
    """Before: ``report`` added five tables to it."""
    db = tmp_path / "photos.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    conn.commit()
    conn.close()
    before = files_of(tmp_path)
    assert main(["report", "--db", str(db)]) == 1
    assert "another program" in capsys.readouterr().err
    with pytest.raises(NotAnExerciseDatabase):
        Store(db)  # a writer refuses it too
    assert files_of(tmp_path) == before


def test_a_reader_never_migrates(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    sqlite3.connect(db).close()  # an empty file: a writer would create the schema
    for opener in (Store.reader, Store.client):
        with pytest.raises(StoreError, match="holds no exercise session yet"):
            opener(db)
    assert applied(sqlite3.connect(db)) == []
    with Store(db):  # the writer creates the schema
        pass
    conn = sqlite3.connect(db)
    conn.execute(
        f"DELETE FROM {MIGRATIONS_TABLE} WHERE rowid = (SELECT MAX(rowid) FROM {MIGRATIONS_TABLE})"
    )
    conn.commit()
    conn.close()
    if len(MIGRATIONS) > 1:  # one migration behind: a seat waits for this version's controller
        with pytest.raises(StoreError, match="not been opened by this version's controller"):
            Store.client(db)


def read_only_folder_runner(folder: Path) -> list[str] | None:
    """A command prefix under which ``folder`` is read-only for the command, or None.

    As an ordinary user, a mode-555 folder is read-only; root ignores modes, so there a private
    mount namespace bind-mounts the folder read-only (``unshare -m``, where allowed)."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return []
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    probe = subprocess.run(
        [unshare, "-m", "sh", "-c", f"mount --bind -o ro '{folder}' '{folder}' && true"],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        return None
    return [
        unshare,
        "-m",
        "sh",
        "-c",
        f'mount --bind -o ro "{folder}" "{folder}" && exec "$@"',
        "-",
    ]


def test_a_database_in_a_read_only_folder_can_be_reported_on(
    harbour: Bundle, tmp_path: Path
) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    db = folder / "x.db"
    recorded(harbour, db)
    runner = read_only_folder_runner(folder)
    if runner is None:
        pytest.skip("cannot make a read-only folder here (root without mount namespaces)")
    try:
        report = subprocess.run(
            [*runner, EXERCISE, "report", "--db", str(db), "--format", "md"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert report.returncode == 0, report.stderr
        assert report.stdout.startswith("# After-action review")
        resume = subprocess.run(
            [*runner, EXERCISE, "simulate", "--resume", "--db", str(db)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        folder.chmod(0o755)
    assert resume.returncode == 1
    assert "read-only" in resume.stderr and "internal error" not in resume.stderr


def test_a_database_from_a_newer_version_is_refused(harbour: Bundle, tmp_path: Path) -> None:
    """Before: appended to silently."""
    db = tmp_path / "x.db"
    recorded(harbour, db, status="running")
    conn = sqlite3.connect(db)
    conn.execute(
        f"INSERT INTO {MIGRATIONS_TABLE} (migration_set, name, applied_at) VALUES (?, ?, ?)",
        (MIGRATION_SET, "m999_from_the_future", "2031-01-01"),
    )
    conn.commit()
    conn.close()
    before = files_of(tmp_path)
    for opener in (Store, Store.reader, Store.client):
        with pytest.raises(SchemaTooNewError, match=r"newer version.*m999_from_the_future"):
            opener(db)
    assert main(["simulate", "--resume", "--db", str(db)]) == 1
    assert files_of(tmp_path) == before


# -- damaged rows -------------------------------------------------------------------------------

DAMAGE = {
    "payload not JSON": (
        "UPDATE events SET payload = '{bad' WHERE seq = 5",
        "at seq 5: its payload",
    ),
    "unknown type": ("UPDATE events SET type = 'Bogus' WHERE seq = 5", "at seq 5: unknown event"),
    "missing keys": ("UPDATE events SET payload = '{}' WHERE seq = 5", "at seq 5: a malformed"),
    "seq gap": ("DELETE FROM events WHERE seq = 5", "at seq 5: seq 5 missing"),
    "t past 9999": (
        "UPDATE events SET t = 400000000000 WHERE seq = 7",
        "at seq 7: its scenario time 400000000000 s is beyond",
    ),
    "t not a number": ("UPDATE events SET t = 'noon' WHERE seq = 7", "at seq 7: its scenario time"),
    "broken bundle": (
        """UPDATE sessions SET bundle = '{"scenario": 1}'""",
        "its stored scenario bundle cannot be read",
    ),
    "bundle not JSON": ("UPDATE sessions SET bundle = 'x'", "bundle cannot be read"),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_session_is_named_with_its_seq(
    harbour: Bundle, tmp_path: Path, capsys, damage: str
) -> None:
    """Before: exit 3, 'internal error: JSONDecodeError / KeyError / TypeError ...'."""
    sql, said = DAMAGE[damage]
    db = tmp_path / "x.db"
    session = recorded(harbour, db, status="running")
    conn = sqlite3.connect(db)
    conn.execute(sql)
    conn.commit()
    conn.close()
    assert main(["report", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert said in err and f"session {session}" in err, err
    assert main(["simulate", "--resume", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert said in err and "internal error" not in err, err
    with Store.reader(db) as store, pytest.raises(DamagedSessionError, match=session):
        store.read_session(session)


# -- processes and threads ----------------------------------------------------------------------


def test_reading_a_log_leaves_the_collector_alone(
    harbour: Bundle, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: ``Store.events`` switched the cyclic collector off for the whole process (a UI
    process reading the log must never have that done to it)."""
    session = recorded(harbour, db_path)
    switched: list[str] = []
    monkeypatch.setattr(gc, "disable", lambda: switched.append("disable"))
    with Store.reader(db_path) as store:
        assert store.events(session)
    assert switched == []


def test_a_store_belongs_to_the_thread_that_opened_it(harbour: Bundle, store: Store) -> None:
    session = store.create_session(harbour, seed=1)
    failures: list[BaseException] = []

    def elsewhere() -> None:
        try:
            store.append(session, [ev.ClockPaused(t=0)], 1, harbour)
        except BaseException as exc:  # collected for the assertion below
            failures.append(exc)

    worker = threading.Thread(target=elsewhere)
    worker.start()
    worker.join()
    assert len(failures) == 1
    assert isinstance(failures[0], RuntimeError | sqlite3.ProgrammingError)
    assert store.last_seq(session) == 0
