"""The SQLite event store: one file per exercise set, WAL mode, one writer per session.

``sessions`` holds each exercise's scenario bundle and seed, ``events`` the append-only log,
``commands`` the inbox seats write to, ``seats`` who joined. Everything is readable with the
``sqlite3`` shell or Datasette: plain columns, JSON in JSON columns.
"""

from exercise_engine.store.connection import (
    ConcurrentWriterError,
    DamagedSessionError,
    StoreError,
)
from exercise_engine.store.eventstore import CommandRecord, SessionRecord, Store
from exercise_engine.store.schema import NotAnExerciseDatabase, SchemaTooNewError

__all__ = [
    "CommandRecord",
    "ConcurrentWriterError",
    "DamagedSessionError",
    "NotAnExerciseDatabase",
    "SchemaTooNewError",
    "SessionRecord",
    "Store",
    "StoreError",
]
