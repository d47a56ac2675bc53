"""The store's schema, as ordered, named migrations recorded in the database itself.

Every open runs the pending ones (sqlite-utils ``Migrations``: each in one transaction with its
record), so an old exercise file opened by a newer engine is brought up to date in place.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("r2p-exercise")
SCHEMA_VERSION = 1


@migrations()
def m001_initial(db: Database) -> None:
    db["sessions"].create(
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
    db["events"].create(
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
    db["events"].create_index(["session_id", "type"])
    db["commands"].create(
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
    db["commands"].create_index(["session_id", "status", "id"])
    db["seats"].create(
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
