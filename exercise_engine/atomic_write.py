"""Files the commands write are whole or absent: written beside, then renamed into place.

A full disk, a killed process or a quota must not leave a truncated report or scenario where a
good one (or nothing) was: the text goes to a temporary file in the same folder, is flushed to
disk, and only then replaces the target in one ``os.replace``. On any failure the temporary file
is removed, the target is untouched, and the error says so in words.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from exercise_engine.errors import UserError


class WriteError(UserError):
    """An output file could not be written; the target was left as it was."""


def write_text_atomic(path: str | Path, text: str) -> int:
    """Write ``text`` (UTF-8) to ``path`` all or nothing; returns the number of bytes."""
    target = Path(path)
    data = text.encode("utf-8")
    if target.exists() and not target.is_file():  # a device or a pipe (-o /dev/stdout)
        try:
            with open(target, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise WriteError(f"cannot write {target}: {exc.strerror or exc}") from None
        return len(data)
    temporary: str | None = None
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(temporary, target.stat().st_mode & 0o7777)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise WriteError(f"cannot write {target}: {reason}; nothing was written") from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return len(data)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
