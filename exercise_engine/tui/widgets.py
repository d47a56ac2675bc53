"""Widgets the staff consoles share, each fed by plain values (never by a store or an engine).

The MSEL table, the situation variables with their sparklines, the seats per role and the feed
of what happens. A widget renders what it is given; what it is given was computed outside
this package (``engine/outlook.py``, ``scoring/``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Label, RichLog, Sparkline

from exercise_engine.engine.outlook import InjectOutlook, RoleAnswers
from exercise_engine.model.scenario import Variable
from exercise_engine.tui.redraw import changed, fill_table, fingerprint
from exercise_engine.tui.source import Presence
from exercise_engine.tui.theme import STATUS_GLYPHS
from exercise_engine.tui.wording import short_role

Clock = Callable[[int], str]
STATUS_WORDS = {
    "late": "late",
    "due": "due",
    "pending": "pending",
    "delivered": "delivered",
    "unreachable": "not yet",
}
STATUS_STYLES = {
    "late": "bold",
    "due": "bold",
    "pending": "",
    "delivered": "dim",
    "unreachable": "dim",
}


def status_cell(status: str) -> Text:
    """An MSEL status as a glyph and a word: readable without colour."""
    return Text(f"{STATUS_GLYPHS[status]} {STATUS_WORDS[status]}", style=STATUS_STYLES[status])


class MselTable(DataTable):
    """The MSEL: every inject with its status, time, roles and why (one row per inject).

    The last column takes the width the others leave; below ``WIDE`` cells the table keeps
    status, time, inject and title (the console shows the selected line in full under it)."""

    COLUMNS = (
        ("Status", 11),
        ("Time", 5),
        ("Inject", 8),
        ("Title", 34),
        ("To / answers", 22),
        ("Why", 20),
    )
    NARROW_COLUMNS = 4
    WIDE = 100

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self._columns: tuple[tuple[str, int], ...] = ()
        self._lines: list[tuple[str, tuple[object, ...]]] = []

    def on_resize(self) -> None:
        width = self.size.width
        wanted = self.COLUMNS if width >= self.WIDE else self.COLUMNS[: self.NARROW_COLUMNS]
        fixed = sum(w for _, w in wanted[:-1]) + 2 * len(wanted) + 1  # padding, scrollbar
        columns = (*wanted[:-1], (wanted[-1][0], max(wanted[-1][1], width - fixed)))
        if columns == self._columns:
            return
        keep = self.selected_inject
        self._columns = columns
        self.clear(columns=True)
        for column, column_width in columns:
            self.add_column(column, key=column, width=column_width)
        self._fill(keep)

    def show(self, lines: Sequence[InjectOutlook], clock: Clock) -> None:
        """Show ``lines``: cells updated in place while the injects are the same (the cursor
        and the scroll stay where the controller left them), rows rebuilt otherwise."""
        before = dict(self._lines)
        self._lines = [(line.inject, self._cells(line, clock)) for line in lines]
        if not self._columns:
            return  # drawn once the table knows its width
        if [key for key, _ in self._lines] == [key.value for key in self.rows]:
            for key, cells in self._lines:
                old = before.get(key, ())
                for n, ((column, _), cell) in enumerate(zip(self._columns, cells, strict=False)):
                    if n >= len(old) or fingerprint(old[n]) != fingerprint(cell):
                        self.update_cell(key, column, cell)
            return
        self._fill(self.selected_inject)

    def _fill(self, keep: str | None) -> None:
        self.clear()
        shown = len(self._columns)
        for key, cells in self._lines:
            self.add_row(*cells[:shown], key=key)
        if keep is not None and keep in self.rows:
            self.move_cursor(row=self.get_row_index(keep))

    @staticmethod
    def _cells(line: InjectOutlook, clock: Clock) -> tuple[object, ...]:
        return (
            status_cell(line.status),
            clock(line.at)[-5:] if line.at is not None else "",
            line.inject,
            Text(line.title, no_wrap=True, overflow="ellipsis"),
            answers_text(line),
            Text(line.why, no_wrap=True, overflow="ellipsis"),
        )

    @property
    def selected_inject(self) -> str | None:
        if not self.row_count:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:
            return None


def answers_text(line: InjectOutlook) -> Text:
    if not line.answers:
        return Text(", ".join(line.to) if len(line.to) < 3 else f"{len(line.to)} roles")
    parts = []
    for answer in line.answers:
        role = short_role(answer.role)
        if answer.answered_at is not None:
            chose = answer.option or "own"
            parts.append(f"{role} {chose}{' LATE' if answer.late else ''}")
        else:
            parts.append(f"{role} {'OVERDUE' if answer.overdue else 'waiting'}")
    return Text("; ".join(parts))


class Situation(VerticalScroll):
    """Each situation variable: its value, which way is better, and a sparkline of its history."""

    def __init__(self, variables: Mapping[str, Variable], **kwargs) -> None:
        super().__init__(**kwargs)
        self.variables = variables

    def compose(self) -> ComposeResult:
        for name, variable in self.variables.items():
            with Horizontal(classes="variable"):
                yield Label(name, id=f"var-{name}", classes="variable-label")
                yield Sparkline([variable.initial], id=f"spark-{name}", classes="variable-spark")

    def show(self, history: Mapping[str, Sequence[float]]) -> None:
        """Show each variable's history; only a variable whose history grew is redrawn."""
        for name, variable in self.variables.items():
            values = list(history.get(name) or [variable.initial])
            spark = self.query_one(f"#spark-{name}", Sparkline)
            if not changed(spark, tuple(values)):
                continue
            label = Text(f"{name} ", style="bold")
            label.append(f"{values[-1]:g}")
            if len(values) > 1 and values[-1] != values[-2]:
                rising = values[-1] > values[-2]
                label.append(" up" if rising else " down")
                if variable.better is not None:
                    good = rising == (variable.better == "higher")
                    label.append(" (better)" if good else " (worse)")
            self.query_one(f"#var-{name}", Label).update(label)
            spark.data = values if len(values) > 1 else values * 2


class SeatsTable(DataTable):
    """Who sits in each role, since when, and where the role stands with its answers."""

    def on_mount(self) -> None:
        self.cursor_type = "row"
        for column in ("Role", "Seats", "Answered", "Awaited", "Overdue"):
            self.add_column(column, key=column)

    def show(
        self,
        names: Mapping[str, str],
        presence: Sequence[Presence],
        answers: Sequence[RoleAnswers],
    ) -> None:
        rows: list[tuple[str, Sequence[object]]] = []
        by_role: dict[str | None, list[Presence]] = {}
        for person in presence:
            by_role.setdefault(person.role, []).append(person)
        for row in answers:
            people = by_role.get(row.role, [])
            seats = ", ".join(f"{p.name} ({p.since})" for p in people) or "nobody"
            answered = f"{row.answered}" + (f" ({row.late} late)" if row.late else "")
            overdue = Text(str(row.overdue), style="bold" if row.overdue else "")
            rows.append(
                (row.role, (short_role(row.role), seats, answered, str(row.awaiting), overdue))
            )
        staff = by_role.get(None, [])
        if staff:
            seats = ", ".join(f"{p.name} ({p.since})" for p in staff)
            rows.append(("evaluators", ("evaluators", seats, "", "", "")))
        fill_table(self, rows)


class FeedLog(RichLog):
    """What happens, one line an event, newest at the bottom."""

    def __init__(self, **kwargs) -> None:
        super().__init__(wrap=True, markup=False, highlight=False, max_lines=2000, **kwargs)
