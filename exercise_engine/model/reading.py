"""Reading one content file, defensively: a content folder is untrusted input too.

A folder a designer downloaded may hold a symbolic link to ``/etc/passwd`` or ``/dev/zero``, a
named pipe, or a file far larger than any scenario. So a content file is read only when it is a
regular file inside its content folder (links are followed only when they stay inside it), it is
opened without blocking (a pipe with no writer would hang ``open``), and no more than the size
limit plus one byte is ever read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from exercise_engine.model.yamlsource import MAX_BYTES

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


class UnreadableFile(Exception):
    """The file is not read; the message says why, for the person who named it."""


def read_content_file(path: Path, root: Path | None = None, limit: int = MAX_BYTES) -> bytes:
    """The bytes of ``path``, at most ``limit`` + 1 of them (the loader refuses the extra one).

    ``root`` is the content folder the file was found in (or named from): a symbolic link that
    leads out of it is not followed."""
    if root is not None:
        try:
            inside = path.resolve().is_relative_to(root.resolve())
        except (OSError, RuntimeError):  # a loop of links
            raise UnreadableFile("a symbolic link that cannot be resolved; not read") from None
        if not inside:
            raise UnreadableFile(
                "a symbolic link to a file outside its content folder; not read "
                "(copy the file into the folder instead)"
            )
    try:
        descriptor = os.open(path, _FLAGS)
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a plain file")
            raise UnreadableFile(f"{kind}, not a regular file; content files are plain files")
        chunks: list[bytes] = []
        wanted = limit + 1
        while wanted > 0:
            chunk = os.read(descriptor, min(wanted, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file: {exc.strerror or exc}") from None
    finally:
        os.close(descriptor)
