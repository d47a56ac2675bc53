"""Diagnostics: what is wrong, where, and what to do, for people who write content.

Every problem found in content becomes a ``Diagnostic`` with a file position, so the validator
can report all of a file's problems at once in the ``path:line:col: error: message [field]``
shape that editors and CI logs understand.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from exercise_engine.neutralise import terminal_line


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Position:
    """A place in a content file; ``line`` and ``column`` are 1-based, as editors count."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    position: Position
    message: str
    field: str = ""
    severity: Severity = Severity.ERROR
    code: str = ""

    def render(self, *, strict: bool = False) -> str:
        """One line, always: a file name or a message holding a newline or an escape sequence
        shows it escaped, so it can neither forge another diagnostic nor drive the terminal."""
        severity = Severity.ERROR if strict else self.severity
        suffix = f" [{self.field}]" if self.field else ""
        return terminal_line(f"{self.position}: {severity}: {self.message}{suffix}")

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


@dataclass
class DiagnosticList:
    """Collects diagnostics while a file or a whole content set is checked."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, position: Position, message: str, field: str = "", code: str = "") -> None:
        self.items.append(Diagnostic(position, message, field, Severity.ERROR, code))

    def warning(self, position: Position, message: str, field: str = "", code: str = "") -> None:
        self.items.append(Diagnostic(position, message, field, Severity.WARNING, code))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if not d.is_error]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.position, d.severity != Severity.ERROR))

    def __bool__(self) -> bool:
        return bool(self.items)


def excerpt(value: object, limit: int = 60) -> str:
    """A value from a content file as a message shows it: at most ``limit`` characters, on one
    line, control characters shown as escapes. A message never echoes a file's contents (a
    symbolic link to ``/etc/passwd`` reads as one long text value)."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return terminal_line(text)


def quoted(value: object, limit: int = 60) -> str:
    """``excerpt`` in single quotes."""
    return f"'{excerpt(value, limit)}'"


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A ``did you mean`` suffix naming the closest valid id, or ``""`` when none is close."""
    pool = sorted(set(candidates))
    if not pool:
        return ""
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in pool}
        close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
        close = [lowered[c] for c in close]
    return f"; did you mean '{close[0]}'?" if close else ""


def unknown_id(kind: str, word: str, candidates: Iterable[str]) -> str:
    """The message for a cross-reference to an id that does not exist."""
    pool = sorted(set(candidates))
    hint = did_you_mean(word, pool)
    if not hint and 0 < len(pool) <= 8:
        hint = "; expected one of: " + ", ".join(pool)
    return f"unknown {kind} '{word}'{hint}"


class ContentError(Exception):
    """Raised when content cannot be used at all; carries the diagnostics that explain why."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        first = diagnostics[0].render() if diagnostics else "invalid content"
        super().__init__(first)
