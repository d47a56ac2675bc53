"""Value types for the command line that every command module shares.

A number the session stores or compares in SQLite must fit its 64-bit integers: argparse
refuses it as a usage error (exit 2) before any file is opened, rather than the store failing
on it half-way with an internal error. Kept free of heavy imports: ``exercise join`` imports it
on the seat's path.
"""

from __future__ import annotations

import argparse

SQLITE_MIN, SQLITE_MAX = -(2**63), 2**63 - 1


def _whole_number(text: str, low: int, high: int, what: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not low <= number <= high:
        raise argparse.ArgumentTypeError(f"{what} is a whole number from {low} to {high}")
    return number


def seed_argument(text: str) -> int:
    """``--seed``: a whole number the session can store."""
    return _whole_number(text, SQLITE_MIN, SQLITE_MAX, "a seed")


def seq_argument(text: str) -> int:
    """``--from SEQ``: an event number SQLite can compare (0 is the start of the log)."""
    return _whole_number(text, 0, SQLITE_MAX, "an event number")
