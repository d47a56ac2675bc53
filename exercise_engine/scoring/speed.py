"""Holding Python's cyclic garbage collector while a long log is scored or reported.

Scoring and reporting a 100,000-event log allocate about a million small objects and no
reference cycles; the collector's passes over them (each also walking the log itself) cost a
third of the time. Reference counting still frees everything as usual; the collector resumes,
and catches up, when the work is done.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
