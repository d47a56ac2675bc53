"""The evaluator's console: the live feed, what to look for, observations, provisional scores.

Tabs: the feed of every role; the look-fors of the injects delivered so far (the criteria each
expects, their look-fors, the controller's notes); the expectations not rated yet (a to-do list,
never a blocker: what is still unrated at ENDEX is not observed in the AAR); the provisional
scorecard; team alignment per inject. Scores, alignment and the to-do list are computed by
``scoring/`` from the log this console has read; ``o`` records an observation (an engine
command).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Markdown, Static, TabbedContent, TabPane

from exercise_engine.engine import events as ev
from exercise_engine.engine.events import Recorded
from exercise_engine.model.calendar import Calendar
from exercise_engine.scoring import score
from exercise_engine.scoring.alignment import InjectAlignment, alignment
from exercise_engine.scoring.expectations import Expectation, unrated
from exercise_engine.scoring.scorecard import Scorecard
from exercise_engine.tui.app_base import ConsoleScreen, tab_bindings
from exercise_engine.tui.commands import PaletteCommand
from exercise_engine.tui.evaluator_form import ObservationForm
from exercise_engine.tui.redraw import fill_table, update_markdown, update_static
from exercise_engine.tui.source import EvaluatorSource, Status
from exercise_engine.tui.status import ExerciseStatus, status_line
from exercise_engine.tui.widgets import FeedLog
from exercise_engine.tui.wording import event_line, short_role

TABS = (
    ("tab-feed", "Feed"),
    ("tab-lookfor", "Look-fors"),
    ("tab-todo", "To rate"),
    ("tab-score", "Scorecard"),
    ("tab-align", "Alignment"),
)
RECOMPUTE_S = 0.5
"""Scores, alignment and the to-do list are recomputed at most this often while events pour in."""


def _points(value: float | None) -> str:
    return "n/o" if value is None else f"{value:.0f}"


class EvaluatorScreen(ConsoleScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "observe", "Observe", id="observe"),
        Binding("r", "rate_selected", "Rate selected", id="rate-selected"),
        Binding("t", "show_tab('tab-todo')", "To rate", id="to-rate"),
        Binding("c", "show_tab('tab-score')", "Scorecard", id="scorecard"),
        *tab_bindings(TABS),
    ]

    def __init__(self, source: EvaluatorSource, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.source = source
        self.bundle = source.bundle
        scenario = self.bundle.scenario
        self._calendar = Calendar.of(scenario.clock)
        self.names = self.bundle.role_names()
        self.status = ExerciseStatus()
        self.record: list[Recorded] = []
        self.todo: list[Expectation] = []
        self.card: Scorecard | None = None
        self._dirty = False
        self._computed_at = 0.0

    def clock(self, t: int) -> str:
        return self._calendar.label(t)

    def compose(self) -> ComposeResult:
        yield Static(id="status-line", markup=False)
        with TabbedContent(id="evaluator-tabs", initial="tab-feed"):
            with TabPane("Feed", id="tab-feed"):
                yield FeedLog(id="feed")
            with TabPane("Look-fors", id="tab-lookfor"):
                yield Markdown(id="lookfors")
            with TabPane("To rate", id="tab-todo"):
                yield DataTable(id="todo", cursor_type="row", zebra_stripes=True)
            with TabPane("Scorecard", id="tab-score"):
                yield Static(id="score-summary", markup=False)
                yield DataTable(id="score", cursor_type="row", zebra_stripes=True)
            with TabPane("Alignment", id="tab-align"):
                yield DataTable(id="alignment", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#todo", DataTable).add_columns(
            "Delivered", "Inject", "Role", "Criterion", "Title"
        )
        self.query_one("#alignment", DataTable).add_columns(
            "Inject", "Asked", "Across roles", "Within each role"
        )
        self._render_status()
        self.set_interval(1.0, self._render_status)
        self.set_interval(RECOMPUTE_S, self._recompute)
        self._recompute(force=True)
        self.follow(self.source.feed())

    # -- the feed -----------------------------------------------------------------------------

    @on(ConsoleScreen.Arrived)
    def _arrived(self, message: ConsoleScreen.Arrived) -> None:
        batch: Sequence[Recorded | Status] = message.batch
        feed = self.query_one("#feed", FeedLog)
        for item in batch:
            if isinstance(item, Status):
                self.status.controller_gone = item.status == "controller-gone"
                continue
            self.record.append(item)
            event = item.event
            self.status.add(event.type, event.t, event.payload())
            line = event_line(item, self.bundle, self.names, self.clock)
            if line is not None:
                feed.write(line)
        self._dirty = True
        if time.monotonic() - self._computed_at >= RECOMPUTE_S:
            self._recompute()
        self._render_status()  # the phase and clock the events say, not a second later

    # -- what is computed from the log --------------------------------------------------------

    def _recompute(self, force: bool = False) -> None:
        if not (self._dirty or force):
            return
        self._dirty = False
        if self.record:  # the first events read are computed as soon as they arrive
            self._computed_at = time.monotonic()
        self.todo = unrated(self.bundle, self.record)
        self.card = score(self.bundle, self.record)
        self._render_todo()
        self._render_scorecard(self.card)
        self._render_alignment(alignment(self.record, self.source.attempts()))
        update_markdown(self.query_one("#lookfors", Markdown), self._lookfors())
        self._render_status()  # the count to rate

    def _render_status(self) -> None:
        line = status_line(self.bundle.scenario.title, self.clock(self._now()), self.status)
        if self.todo:
            line.append(f" | {len(self.todo)} to rate", style="bold")
        update_static(self.query_one("#status-line", Static), line)

    def _now(self) -> int:
        return max(self.source.now(), self.status.t)

    def _render_todo(self) -> None:
        rows = [
            (
                str(n),
                (
                    self.clock(item.delivered_t)[-5:],
                    item.inject,
                    short_role(item.role),
                    item.criterion,
                    Text(item.title, no_wrap=True, overflow="ellipsis"),
                ),
            )
            for n, item in enumerate(self.todo)
        ]
        fill_table(self.query_one("#todo", DataTable), rows)

    def _render_scorecard(self, card: Scorecard) -> None:
        rubric = self.bundle.rubric
        summary = Text("Provisional: ", style="bold")
        summary.append(
            f"overall {card.overall:.0f}/100 ({card.rating}) after event {card.last_seq}; "
            "scores move as evaluators rate and roles decide. n/o: not observed yet."
        )
        update_static(self.query_one("#score-summary", Static), summary)
        table = self.query_one("#score", DataTable)
        if not table.columns:
            table.add_columns("Role", "Total", *(d.id for d in rubric.dimensions), "Time", "Coord.")
        rows = []
        for role, result in card.roles.items():
            dimensions = {d.id: d.score for d in result.dimensions}
            cells = (
                short_role(role),
                _points(result.total),
                *(_points(dimensions.get(d.id)) for d in rubric.dimensions),
                _points(result.timeliness.score),
                _points(result.coordination.score),
            )
            rows.append((role, cells))
        fill_table(table, rows)

    def _render_alignment(self, rows: list[InjectAlignment]) -> None:
        lines: list[tuple[str, tuple[str, ...]]] = []
        for row in rows:
            across = row.across
            if across is None:
                words = "nothing to compare yet"
            else:
                agree, answered, option = across
                words = (
                    f"aligned: all {answered} on {option}"
                    if agree == answered
                    else f"split: {agree} of {answered} on {option}"
                )
            within = []
            for role in row.asked:
                seats = row.within(role)
                if seats is not None and seats[1] > 1:
                    within.append(f"{role} {seats[0]}/{seats[1]}")
            cells = (row.inject, ", ".join(row.asked), words, "; ".join(within) or "one seat each")
            lines.append((row.inject, cells))
        fill_table(self.query_one("#alignment", DataTable), lines)

    def _lookfors(self) -> str:
        """The injects delivered so far, newest first: what each expects and what to look for."""
        delivered: dict[str, int] = {}
        for _, event, _ in self.record:
            if isinstance(event, ev.InjectDelivered):
                delivered.setdefault(event.inject, event.t)
        rubric = self.bundle.rubric
        parts = []
        for inject_id, t in sorted(delivered.items(), key=lambda kv: -kv[1]):
            inject = self.bundle.scenario.inject(inject_id)
            if inject is None:
                continue
            parts.append(f"### {self.clock(t)[-5:]} {inject.id}: {inject.title}")
            for criterion_id in inject.expect:
                criterion = rubric.criteria.get(criterion_id)
                if criterion is None:
                    continue
                parts.append(f"**{criterion.id}** {criterion.title}")
                parts.extend(f"- {look}" for look in criterion.look_for)
            if inject.notes:
                parts.append(f"> Controller's notes: {inject.notes}")
        return "\n\n".join(parts) or "No inject has been delivered yet."

    # -- actions ------------------------------------------------------------------------------

    def _delivered(self) -> list[str]:
        seen: dict[str, None] = {}
        for _, event, _ in self.record:
            if isinstance(event, ev.InjectDelivered):
                seen.setdefault(event.inject, None)
        return list(seen)

    def action_observe(self, expectation: Expectation | None = None) -> None:
        form = ObservationForm(
            self.bundle, self.names, self._delivered(), self.source.submit, expectation
        )
        self.app.push_screen(form, self._recorded)

    def action_rate_selected(self) -> None:
        table = self.query_one("#todo", DataTable)
        if not self.todo:
            self.notify("Nothing waits for a rating.", title="To rate")
            return
        self.query_one(TabbedContent).active = "tab-todo"
        self.action_observe(self.todo[min(table.cursor_row, len(self.todo) - 1)])

    @on(DataTable.RowSelected, "#todo")
    def _rate_row(self, event: DataTable.RowSelected) -> None:
        self.action_observe(self.todo[int(str(event.row_key.value))])

    def _recorded(self, accepted: bool | None) -> None:
        if accepted:
            self.notify("Observation recorded.", title="Observe")

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def palette(self) -> Iterable[PaletteCommand]:
        yield from super().palette()
        for item in self.todo:
            yield PaletteCommand(
                f"Rate: {item.criterion} for {item.role} on {item.inject}",
                item.title,
                partial(self.action_observe, item),
                discover=False,
            )
