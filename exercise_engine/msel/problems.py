"""What an import found wrong, said with the file, the row and the column a planner can open."""

from __future__ import annotations

from dataclasses import dataclass

from exercise_engine.errors import UserError
from exercise_engine.neutralise import terminal_line


@dataclass(frozen=True)
class Place:
    """A cell (or a whole row, or a whole column) of a sheet."""

    file: str
    row: int | None = None
    column: str | None = None
    header: str = ""

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}" + (f" ({self.header})" if self.header else ""))
        return ", ".join(parts)


@dataclass(frozen=True)
class Problem:
    place: Place
    message: str
    error: bool = False

    def render(self) -> str:
        """One line; cell text is untrusted, so control characters are shown escaped."""
        kind = "error" if self.error else "warning"
        return terminal_line(f"{self.place}: {kind}: {self.message}")


class SheetError(UserError):
    """A sheet that cannot be imported as it is; the message names file, row and column."""

    def __init__(self, place: Place, message: str):
        super().__init__(terminal_line(f"{place}: {message}"))
        self.place = place


class SheetErrors(UserError):
    """Several rows that cannot be imported: all of them are listed, nothing is written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.render() for p in problems))
