"""The SQLite event store: one file per exercise set, WAL mode, one writer per session.

``sessions`` holds each exercise's scenario bundle and seed, ``events`` the append-only log,
``views`` and ``briefs`` what each role may read of it, ``commands`` the inbox seats write to,
``seats`` who joined, ``leases`` which controller runs a session, ``codes`` the join codes (as
salted hashes). Everything is readable with the ``sqlite3`` shell or Datasette: plain columns,
JSON in JSON columns.

The names below are imported on first use (PEP 562): a seat process that only follows the log
(``store.connection``, ``store.live``) never loads the engine or the content models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exercise_engine.store.connection import (
        ConcurrentWriterError,
        DamagedSessionError,
        StoreError,
    )
    from exercise_engine.store.eventstore import CommandRecord, SessionRecord, Store
    from exercise_engine.store.schema import NotAnExerciseDatabase, SchemaTooNewError

_HOMES = {
    "ConcurrentWriterError": "connection",
    "DamagedSessionError": "connection",
    "StoreError": "connection",
    "CommandRecord": "eventstore",
    "SessionRecord": "eventstore",
    "Store": "eventstore",
    "NotAnExerciseDatabase": "schema",
    "SchemaTooNewError": "schema",
}

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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
