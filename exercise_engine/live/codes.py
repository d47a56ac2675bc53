"""Join codes: one per role and one for the evaluators, per session.

A code is 12 characters from an alphabet without look-alikes (``K7QM-2XPD-9HTR``: 60 bits from
``secrets``), shown once to the controller and written only to the file it asks for (mode 0600).
The database keeps a salted scrypt hash of each: anyone who can read the file learns no code.
Wrong codes are logged (``join_attempts``) and slowed down: from the sixth wrong try within a
minute on a session, each try first waits, doubling up to half a minute, so guessing is hopeless
and visible while a trainee's typo costs nothing.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from exercise_engine.store import live as db

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
"""32 symbols: digits and letters without 0/O and 1/I, read aloud and typed without doubt."""
GROUPS, GROUP = 3, 4
EVALUATOR = "evaluator"
WINDOW_S = 60.0
FREE_TRIES = 5
"""Wrong tries within ``WINDOW_S`` that cost nothing: a typo or two."""
MAX_WAIT_S = 30.0
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def new_code() -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP))
    return "-".join(symbols[i : i + GROUP] for i in range(0, len(symbols), GROUP))


def normalise(code: str) -> str:
    """What a person typed, as the code is compared: case, spaces and dashes do not matter."""
    return "".join(code.upper().split()).replace("-", "")


def digest(code: str, salt: str) -> str:
    return _scrypt(normalise(code), salt)


@functools.lru_cache(maxsize=16)
def _scrypt(normalised: str, salt: str) -> str:
    """Remembered in this process: the hot-seat's own seats join with the codes it has just
    issued, and need not pay ~40 ms of scrypt each to check them (a join from another process
    computes it as ever)."""
    return hashlib.scrypt(normalised.encode(), salt=bytes.fromhex(salt), **_SCRYPT).hex()


def issue(
    conn: sqlite3.Connection,
    session_id: str,
    roles: list[str],
    stamp: str,
    minter: Minter | None = None,
) -> dict[str, str]:
    """New codes for every role and the evaluators; the old ones stop working. Returns the
    codes in clear: the only time they exist outside people's hands. ``minter``: codes hashed
    ahead (a new session's, while its scenario loaded)."""
    next_generation = generation(conn, session_id) + 1
    audiences = [*roles, EVALUATOR]
    minted = [_mint() for _ in audiences] if minter is None else minter.take(len(audiences))
    rows = [
        db.CodeRow(audience, salt, hashed, next_generation)
        for audience, (_, salt, hashed) in zip(audiences, minted, strict=True)
    ]
    db.replace_codes(conn, session_id, rows, stamp)
    return {audience: code for audience, (code, _, _) in zip(audiences, minted, strict=True)}


class Minter:
    """New codes with their salts and hashes, hashed on a thread of their own from the moment
    the minter is made: scrypt frees the GIL, so a new session's codes (~40 ms of scrypt each)
    are hashed on the other core while its scenario loads, instead of after it."""

    def __init__(self, ahead: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="join-codes")
        self._ahead = [self._pool.submit(_mint) for _ in range(ahead)]

    def take(self, count: int) -> list[tuple[str, str, str]]:
        """``count`` (code, salt, hash): those hashed ahead first; the ones not needed are
        dropped."""
        for unneeded in self._ahead[count:]:
            unneeded.cancel()
        wanted = self._ahead[:count]
        wanted += [self._pool.submit(_mint) for _ in range(count - len(wanted))]
        self._ahead = []
        return [future.result() for future in wanted]

    def __enter__(self) -> Minter:
        return self

    def __exit__(self, *exc: object) -> None:
        for future in self._ahead:
            future.cancel()
        self._pool.shutdown(wait=False)


def _mint() -> tuple[str, str, str]:
    code, salt = new_code(), secrets.token_hex(16)
    return code, salt, digest(code, salt)


def audiences(conn: sqlite3.Connection, session_id: str) -> list[str]:
    """The roles (and ``evaluator``) that have a code in this session."""
    return [row.audience for row in db.code_rows(conn, session_id)]


def matches(conn: sqlite3.Connection, session_id: str, audience: str, code: str) -> bool:
    for row in db.code_rows(conn, session_id):
        if row.audience == audience:
            return hmac.compare_digest(row.hash, digest(code, row.salt))
    return False


def wait_before(wrong_tries: int) -> float:
    """Seconds a try waits when ``wrong_tries`` wrong ones were made on the session within the
    last minute: nothing for a few, then 0.5 s doubling to ``MAX_WAIT_S`` (the 10th: 8 s)."""
    if wrong_tries < FREE_TRIES:
        return 0.0
    return min(MAX_WAIT_S, 0.5 * float(2 ** (wrong_tries - FREE_TRIES)))


def still_valid(conn: sqlite3.Connection, session_id: str, codes: dict[str, str]) -> bool:
    """Whether ``codes`` (read back from a codes file) are the session's current ones."""
    known = set(audiences(conn, session_id))
    return (
        bool(codes)
        and set(codes) == known
        and all(matches(conn, session_id, audience, code) for audience, code in codes.items())
    )


def generation(conn: sqlite3.Connection, session_id: str) -> int:
    """How many times the session's codes were issued: it moves when anyone rotates them."""
    return max((row.generation for row in db.code_rows(conn, session_id)), default=0)


def kept_in(path: Path | None, conn: sqlite3.Connection, session_id: str) -> dict[str, str] | None:
    """The session's current codes, read back from a codes file; None when ``path`` is None or
    does not hold them (codes are stored only as hashes: a file is the only way back)."""
    if path is None:
        return None
    kept = read_file(path)
    return kept if still_valid(conn, session_id, kept) else None


def write_file(path: Path, codes: dict[str, str]) -> None:
    """``{role_id: code, "evaluator": code}`` as JSON, readable by its owner only (0600): the
    file is created with that mode, never widened after the fact."""
    text = json.dumps(codes, indent=2) + "\n"
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def read_file(path: Path) -> dict[str, str]:
    """The codes a previous ``--codes`` file holds (empty if none or unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}
