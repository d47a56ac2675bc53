"""The store's schema, as ordered, named migrations recorded in the database itself.

Only the writer (the controller, or a headless simulation) migrates, and only under
``BEGIN IMMEDIATE``: the applied list is read again once the write lock is held, so six
processes opening a new file at once apply each migration exactly once. Readers and seats never
migrate. The record is the ``_sqlite_migrations`` table sqlite-utils' ``Migrations`` keeps (same
columns, set ``r2p-exercise``), so its tools read it too. A database holding a migration this
code does not know was written by a newer version: it is refused, never appended to.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from exercise_engine.store.connection import StoreError, ensure_wal, retry_busy

if TYPE_CHECKING:  # imported when migrating only: a seat checks the version without it
    from sqlite_utils import Database

MIGRATION_SET = "r2p-exercise"
MIGRATIONS_TABLE = "_sqlite_migrations"

Migration = Callable[["Database"], None]
MIGRATIONS: list[tuple[str, Migration]] = []


class SchemaTooNewError(StoreError):
    """The database was written by a newer version of the engine."""


class NotAnExerciseDatabase(StoreError):
    """A SQLite file that belongs to another program."""


def migration(fn: Migration) -> Migration:
    """Register ``fn`` as the next migration (named after the function)."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_initial(db: Database) -> None:
    db.table("sessions").create(
        {
            "id": str,
            "scenario_id": str,
            "scenario_title": str,
            "scenario_hash": str,
            "bundle": str,
            "seed": int,
            "policy": str,
            "status": str,
            "label": str,
            "created_at": str,
            "updated_at": str,
            "clock_t": int,
            "clock_wall": str,
        },
        pk="id",
        not_null={"scenario_id", "scenario_hash", "bundle", "seed", "status", "created_at"},
        defaults={"status": "created", "clock_t": 0},
    )
    db.table("events").create(
        {
            "session_id": str,
            "seq": int,
            "type": str,
            "t": int,
            "role": str,
            "seat": str,
            "audience": str,
            "payload": str,
            "wall_time": str,
        },
        pk=("session_id", "seq"),
        not_null={"session_id", "seq", "type", "t", "audience", "payload", "wall_time"},
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db.table("events").create_index(["session_id", "type"])
    db.table("commands").create(
        {
            "id": int,
            "session_id": str,
            "seat": str,
            "actor": str,
            "type": str,
            "payload": str,
            "status": str,
            "reason": str,
            "submitted_at": str,
            "processed_at": str,
            "first_seq": int,
            "last_seq": int,
        },
        pk="id",
        not_null={"session_id", "actor", "type", "payload", "status", "submitted_at"},
        defaults={"status": "pending"},
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db.table("commands").create_index(["session_id", "status", "id"])
    db.table("seats").create(
        {
            "session_id": str,
            "id": str,
            "role": str,
            "name": str,
            "kind": str,
            "joined_at": str,
            "last_seen_at": str,
        },
        pk=("session_id", "id"),
        not_null={"session_id", "id", "kind", "joined_at"},
        foreign_keys=[("session_id", "sessions", "id")],
    )


@migration
def m002_live(db: Database) -> None:
    """The live layer: idempotent commands, presence, the controller's lease, join codes,
    what each role may read (its views of events and its brief)."""
    conn = db.conn
    # A seat's idempotency key, scoped by who sent it (a role, or one evaluator): a retry finds
    # the first row and gets its result.
    conn.execute("ALTER TABLE commands ADD COLUMN client_id TEXT")
    conn.execute("ALTER TABLE commands ADD COLUMN principal TEXT")
    conn.execute(
        "CREATE UNIQUE INDEX idx_commands_client ON commands (session_id, principal, client_id) "
        "WHERE client_id IS NOT NULL"
    )
    conn.execute("ALTER TABLE seats ADD COLUMN seen REAL")  # unix time of the last heartbeat
    conn.execute("ALTER TABLE seats ADD COLUMN left_at TEXT")
    conn.execute("ALTER TABLE seats ADD COLUMN pid INTEGER")
    conn.execute("ALTER TABLE seats ADD COLUMN host TEXT")
    db.table("leases").create(
        {
            "session_id": str,
            "holder": str,  # a random token per controller process; NULL once released
            "pid": int,
            "host": str,
            "acquired": float,  # unix times (every process reads the same wall clock)
            "heartbeat": float,
            "clock_t": int,  # scenario time at the heartbeat
            "running": int,  # whether scenario time was running then
            "speed": float,
        },
        pk="session_id",
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db.table("codes").create(
        {
            "session_id": str,
            "audience": str,  # a role id, or "evaluator"
            "salt": str,
            "hash": str,  # scrypt of the code: the code itself is never stored
            "generation": int,
            "created_at": str,
        },
        pk=("session_id", "audience"),
        foreign_keys=[("session_id", "sessions", "id")],
    )
    db.table("join_attempts").create(
        {
            "id": int,
            "session_id": str,
            "audience": str,
            "name": str,
            "ok": int,
            "at": float,
            "pid": int,
            "host": str,
        },
        pk="id",
    )
    db.table("join_attempts").create_index(["session_id", "at"])
    # What a role reads of an event it may see, where it differs from the stored payload: the
    # event's audience reads ``public`` and is shown ``shown``; ``views`` holds the few roles
    # that read more (the role asked to answer, the role whose decision moved a variable).
    conn.execute("ALTER TABLE events ADD COLUMN public TEXT")
    conn.execute("ALTER TABLE events ADD COLUMN shown TEXT")
    db.table("views").create(
        {
            "session_id": str,
            "seq": int,
            "role": str,
            "payload": str,  # the payload as this role reads it; NULL: the public one
            "extra": str,  # what it is shown with it (the inject with its options)
        },
        pk=("session_id", "seq", "role"),
    )
    db.table("briefs").create(
        {"session_id": str, "role": str, "brief": str},
        pk=("session_id", "role"),
        foreign_keys=[("session_id", "sessions", "id")],
    )


@migration
def m003_sent(db: Database) -> None:
    """When a command reached the file, stamped by SQLite in the INSERT itself (unix seconds):
    lateness is judged at submission. Rows written before have none (decided when read)."""
    db.conn.execute("ALTER TABLE commands ADD COLUMN sent REAL")


KNOWN = [name for name, _ in MIGRATIONS]
SCHEMA_VERSION = len(MIGRATIONS)


def applied(conn: sqlite3.Connection) -> list[str]:
    """The names of the migrations this database has had, in order (a read, no lock)."""
    if not _has_table(conn, MIGRATIONS_TABLE):
        return []
    rows = conn.execute(
        f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid",
        (MIGRATION_SET,),
    ).fetchall()
    return [row[0] for row in rows]


def check_version(conn: sqlite3.Connection, path: str) -> list[str]:
    """The migrations still to apply; refuses a newer schema and another program's file."""
    done = applied(conn)
    unknown = [name for name in done if name not in KNOWN]
    if unknown:
        raise SchemaTooNewError(
            f"{path} was written by a newer version of the exercise engine (schema "
            f"{len(done)}, this version knows {SCHEMA_VERSION}: '{unknown[0]}' is new to it); "
            "upgrade r2p-exercise to open it — nothing was changed"
        )
    if not done and _has_user_tables(conn):
        raise NotAnExerciseDatabase(
            f"{path} is a SQLite file of another program (it has no exercise tables); "
            "nothing was changed: choose another file"
        )
    return [name for name in KNOWN if name not in done]


def migrate(conn: sqlite3.Connection, path: str) -> None:
    """Check the file, switch it to WAL and bring the schema up to date: the writer's job,
    under ``BEGIN IMMEDIATE``. Nothing is written to a file that is refused."""
    pending = check_version(conn, path)
    ensure_wal(conn)
    if not pending:
        return  # the common case takes no write lock at all
    retry_busy(lambda: _migrate_locked(conn, path))


def _migrate_locked(conn: sqlite3.Connection, path: str) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        pending = check_version(conn, path)  # again: another process may have done it meanwhile
        if pending:
            from sqlite_utils import Database

            db = Database(conn)
            if not _has_table(conn, MIGRATIONS_TABLE):
                conn.execute(
                    f"CREATE TABLE {MIGRATIONS_TABLE} (id INTEGER PRIMARY KEY, "
                    "migration_set TEXT, name TEXT, applied_at TEXT)"
                )
                conn.execute(
                    f"CREATE UNIQUE INDEX idx_{MIGRATIONS_TABLE}_migration_set_name "
                    f"ON {MIGRATIONS_TABLE} (migration_set, name)"
                )
            steps = dict(MIGRATIONS)
            for name in pending:
                steps[name](db)
                conn.execute(
                    f"INSERT INTO {MIGRATIONS_TABLE} (migration_set, name, applied_at) "
                    "VALUES (?, ?, ?)",
                    (MIGRATION_SET, name, str(dt.datetime.now(dt.UTC))),
                )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return row is not None


def _has_user_tables(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' LIMIT 1"
    ).fetchone()
    return row is not None
