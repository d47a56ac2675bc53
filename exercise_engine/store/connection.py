"""Opening the exercise database, and saying plainly what went wrong when SQLite refuses.

Three ways in, one per kind of process:

- ``write``: the controller (or a headless simulation), the one writer of a session's log. It
  creates the file, checks that it is an exercise database of this version or older, switches
  it to WAL and brings the schema up to date (schema.py).
- ``client``: a seat or an evaluator. It writes its own rows (commands, presence, join tries)
  into an existing database and never changes the schema.
- ``read``: reports and every other reader. A ``mode=ro`` open: nothing is ever written, not
  even the WAL switch, so another program's file or a file in a read-only folder is safe.

The busy timeout is the first thing set on every connection (``sqlite3.connect``'s ``timeout``
installs SQLite's busy handler before any statement runs). SQLite still gives up at once in a few
cases (switching a brand-new file to WAL while another process does the same, a read meeting a
WAL recovery), so ``retry_busy`` retries those until the timeout has really passed: "locked" is
said only when it stayed locked for that long.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal, TypeVar
from urllib.parse import quote

from exercise_engine.errors import UserError

BUSY_TIMEOUT_S = 5.0
SYNCHRONOUS = ("OFF", "NORMAL", "FULL", "EXTRA")
Access = Literal["write", "client", "read"]
T = TypeVar("T")

_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_CANTOPEN = 5, 6, 14


class StoreError(UserError):
    """A problem with the exercise database, said for the person running the command."""


class ConcurrentWriterError(StoreError):
    """Another process appended to the same session: there must be one writer per session."""


class DamagedSessionError(StoreError):
    """A stored row the engine cannot read: the session is reported as damaged, never guessed."""


def is_busy(exc: BaseException) -> bool:
    """Whether SQLite refused because another connection held a lock (worth retrying)."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    text = str(exc)
    return "locked" in text or "busy" in text


def retry_busy(action: Callable[[], T], timeout: float | None = None) -> T:
    """``action()``, tried again while SQLite says busy, until ``timeout`` seconds have passed.

    SQLite's own busy handler covers most waits; this covers the refusals it returns at once.
    The last refusal is raised with ``waited`` set to the seconds really spent waiting.
    """
    timeout = BUSY_TIMEOUT_S if timeout is None else timeout
    started = time.monotonic()
    pause = 0.002
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            waited = time.monotonic() - started
            if not is_busy(exc) or waited >= timeout:
                exc.waited = waited  # type: ignore[attr-defined]
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def explain(exc: BaseException, path: str, timeout: float | None = None) -> str:
    """One line for a person: what SQLite (or the OS) refused, and what to do about it
    (``timeout``: how long this connection waits for a lock)."""
    text = str(exc)
    if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
        reason = exc.strerror or text
        return f"{path}: {reason.lower()} (the operating system refused: {type(exc).__name__})"
    if "readonly" in text or "read-only" in text:
        return f"{path}: the database is read-only; nothing was written (check its permissions)"
    if "disk is full" in text or "database or disk is full" in text:
        return f"{path}: the disk is full; nothing was written (free space and try again)"
    if "disk I/O error" in text:
        return f"{path}: the disk refused a write (I/O error); nothing was written"
    if "file is not a database" in text or "malformed" in text:
        return f"{path}: this file is not an exercise database (or it is damaged)"
    if is_busy(exc):
        waited = getattr(exc, "waited", None)
        timeout = BUSY_TIMEOUT_S if timeout is None else timeout
        if waited is not None and waited >= timeout * 0.9:
            return (
                f"{path}: the database stayed locked by another process for over "
                f"{timeout:g} s; try again when it is done"
            )
        return f"{path}: the database was busy with another process at the same moment; try again"
    if "unable to open" in text:
        if Path(path).is_file():
            return (
                f"{path}: cannot open the database to write to it: it or its folder is "
                "read-only (SQLite writes its journal beside it); nothing was changed"
            )
        return f"{path}: cannot open the database file (does its folder exist?)"
    return f"{path}: {text}"


def uri(path: str, **params: str) -> str:
    """A ``file:`` URI for ``path`` with query parameters (the path quoted as SQLite wants)."""
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"file:{quote(str(Path(path).resolve()))}?{query}"


def connect(
    path: str, access: Access, synchronous: str = "FULL", timeout: float | None = None
) -> sqlite3.Connection:
    """A connection with the busy timeout set first and the pragmas of its kind of process.

    Raises ``sqlite3.Error``/``OSError``; the Store turns them into ``StoreError``.
    """
    if synchronous not in SYNCHRONOUS:
        raise ValueError(f"synchronous must be one of {SYNCHRONOUS}")
    timeout = BUSY_TIMEOUT_S if timeout is None else timeout
    if access == "read":
        conn = _connect_read_only(path, timeout)
        conn.execute("PRAGMA query_only=ON")
        return conn
    target, as_uri = (uri(path, mode="rw"), True) if access == "client" else (path, False)
    conn = sqlite3.connect(target, timeout=timeout, isolation_level=None, uri=as_uri)
    try:
        conn.execute(f"PRAGMA synchronous={synchronous}")
        conn.execute("PRAGMA foreign_keys=ON")
    except BaseException:
        conn.close()
        raise
    return conn


def ensure_wal(conn: sqlite3.Connection) -> None:
    """The writer's switch to WAL (persistent in the file); retried: two processes switching a
    brand-new file at once get an immediate 'locked' from SQLite."""
    retry_busy(lambda: _switch_to_wal(conn))


def _switch_to_wal(conn: sqlite3.Connection) -> None:
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "wal":
        conn.execute("PRAGMA journal_mode=WAL").fetchone()


def _connect_read_only(path: str, timeout: float) -> sqlite3.Connection:
    """``mode=ro``; in a read-only folder, where SQLite cannot make the WAL index (``-shm``),
    ``immutable=1`` — safe there only because no writer could have left a ``-wal`` file."""
    try:
        conn = sqlite3.connect(
            uri(path, mode="ro"), timeout=timeout, isolation_level=None, uri=True
        )
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return conn
    except sqlite3.OperationalError as exc:
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        if code != _SQLITE_CANTOPEN and "unable to open" not in str(exc):
            raise
        if not Path(path).is_file():
            raise
        if Path(path + "-wal").exists():
            raise StoreError(
                f"{path}: cannot read it: its folder is read-only and it has an unfinished "
                f"write-ahead log ({Path(path).name}-wal); copy the files to a writable folder"
            ) from None
    conn = sqlite3.connect(
        uri(path, mode="ro", immutable="1"), timeout=timeout, isolation_level=None, uri=True
    )
    return conn
