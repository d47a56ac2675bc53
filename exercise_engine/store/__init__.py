"""The SQLite event store: one file per exercise set, WAL mode, one writer per session.

``sessions`` holds each exercise's scenario bundle and seed, ``events`` the append-only log,
``commands`` the inbox seats write to, ``seats`` who joined. Everything is readable with the
``sqlite3`` shell or Datasette: plain columns, JSON in JSON columns.
"""

from exercise_engine.store.eventstore import (
    CommandRecord,
    ConcurrentWriterError,
    SessionRecord,
    Store,
    StoreError,
)

__all__ = ["CommandRecord", "ConcurrentWriterError", "SessionRecord", "Store", "StoreError"]
