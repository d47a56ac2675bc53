"""The controller's console: the exercise at a glance, and every control a white cell needs.

Top: scenario clock, speed, running or paused, the phase on the prevent -> react -> rebuild
path, and what ends the current phase. Tabs: the MSEL (delivered / due / pending / late / not
yet reachable, with why), the situation variables, the seats of each role, the feed of answers
and messages, and the join codes. Every key sends one engine command; the engine decides, and a
refusal is shown with its reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.engine.events import Recorded
from exercise_engine.engine.outlook import InjectOutlook, msel, phase_outlook, role_answers
from exercise_engine.model.durations import format_wait, parse_moment
from exercise_engine.tui.app_base import ConsoleScreen, tab_bindings
from exercise_engine.tui.commands import PaletteCommand
from exercise_engine.tui.control_forms import (
    AdhocInjectForm,
    ConfirmForm,
    ForcePhaseForm,
    RescheduleForm,
)
from exercise_engine.tui.dialogs import MessageForm
from exercise_engine.tui.redraw import update_static
from exercise_engine.tui.source import Ack, ControllerSource, Status
from exercise_engine.tui.status import ExerciseStatus, status_line
from exercise_engine.tui.widgets import (
    FeedLog,
    MselTable,
    SeatsTable,
    Situation,
    answers_text,
    status_cell,
)
from exercise_engine.tui.wording import event_line

CONTROL_CELLS = {"red_cell": "the red cell", "green_cell": "the green cell"}
TABS = (
    ("tab-msel", "MSEL"),
    ("tab-situation", "Situation"),
    ("tab-seats", "Seats"),
    ("tab-feed", "Feed"),
    ("tab-join", "Join"),
)
PRESENCE_S = 2.0
"""How often the seats' presence is read again (seats heartbeat every 2 s)."""
NEW_CODES = "Issue new join codes"
SPEEDS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600)


class ControllerScreen(ConsoleScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "start", "Start", id="start"),
        Binding("space", "pause", "Pause", id="pause"),
        Binding("s", "send_now", "Send now", id="send-now"),
        Binding("r", "reschedule", "Reschedule", id="reschedule"),
        Binding("i", "adhoc", "Ad-hoc", id="adhoc"),
        Binding("plus,equals_sign", "speed(1)", "Faster", id="faster", show=False),
        Binding("minus", "speed(-1)", "Slower", id="slower", show=False),
        Binding("n", "next_move", "Next move", id="next-move", show=False),
        Binding("f", "force_phase", "Force phase", id="force-phase"),
        Binding("h", "hold_phase", "Hold phase", id="hold-phase", show=False),
        Binding("c", "control_cell", "Play a cell", id="control-cell", show=False),
        Binding("e", "end", "End", id="end"),
        *tab_bindings(TABS),
    ]
    IN_PLAY = frozenset(
        {"pause", "send_now", "reschedule", "adhoc", "force_phase", "hold_phase", "control_cell"}
    )
    """Actions that only mean something while play runs (hidden from the footer otherwise)."""

    def __init__(self, source: ControllerSource, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.source = source
        self.bundle = source.bundle
        self.engine = source.engine
        self.status = ExerciseStatus()
        scenario = self.bundle.scenario
        self.names = self.bundle.role_names()
        self.lines: dict[str, InjectOutlook] = {}
        self._keys_for: tuple[str, bool] | None = None
        self._codes_shown: dict[str, str] = {}
        self._seen: tuple[object, ...] = ()
        """(state seq, scenario minute, seats) when the views were last derived."""
        self.history: dict[str, list[float]] = {
            n: [v.initial] for n, v in scenario.variables.items()
        }

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="status-line", markup=False)
        yield Static(id="phase-exit", markup=False)
        with TabbedContent(id="control-tabs", initial=TABS[0][0]):
            with TabPane("MSEL", id="tab-msel"):
                yield MselTable(id="msel")
                yield Static(id="msel-detail", markup=False)
            with TabPane("Situation", id="tab-situation"):
                yield Static(id="phase-exits", markup=False)
                yield Situation(self.bundle.scenario.variables, id="situation")
            with TabPane("Seats", id="tab-seats"):
                yield SeatsTable(id="seats")
            with TabPane("Feed", id="tab-feed"):
                yield FeedLog(id="feed")
            with TabPane("Join", id="tab-join"), Vertical(id="join"):
                yield Static(id="join-codes", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#msel", MselTable).focus()
        self._render_join()
        self.refresh_views()
        self.set_interval(1.0, self._tick)
        self.set_interval(PRESENCE_S, self._refresh_presence)
        self._refresh_presence()
        self.follow(self.source.feed())

    @work(group="presence", exclusive=True, exit_on_error=False)
    async def _refresh_presence(self) -> None:
        await self.source.refresh()

    # -- the feed -----------------------------------------------------------------------------

    @on(ConsoleScreen.Arrived)
    def _arrived(self, message: ConsoleScreen.Arrived) -> None:
        batch: Sequence[Recorded | Status] = message.batch
        feed = self.query_one("#feed", FeedLog)
        for item in batch:
            if isinstance(item, Status):
                continue
            event = item.event
            self.status.add(event.type, event.t, event.payload())
            if isinstance(event, ev.VariableChanged):
                self.history.setdefault(event.variable, []).append(event.new)
            line = event_line(item, self.bundle, self.names, self.engine.clock_label)
            if line is not None:
                feed.write(line)
        self.refresh_views()

    # -- rendering ----------------------------------------------------------------------------

    def _tick(self) -> None:
        """Each second: redraw only when the scenario minute, the state or the seats changed
        (the console shows minutes; an idle console must cost next to nothing)."""
        now = self.source.now()
        seen = (self.source.state.seq, now // 60, tuple(self.source.presence()))
        if seen != self._seen:
            self.refresh_views()
        elif dict(self.source.codes()) != self._codes_shown:  # rotated elsewhere
            self._render_join()

    def refresh_views(self) -> None:
        """Redraw what is derived from the state and the clock (each batch, each minute); a
        widget is redrawn only if what it shows changed."""
        state = self.source.state
        keys = (state.phase, state.paused)
        if keys != self._keys_for:
            self._keys_for = keys
            self.refresh_bindings()
        now = self.source.now()
        people = self.source.presence()
        self._seen = (state.seq, now // 60, tuple(people))
        clock = self.engine.clock_label
        update_static(
            self.query_one("#status-line", Static),
            status_line(self.bundle.scenario.title, clock(now), self.status, self.engine.turns),
        )
        summary, full = self._phase_exits(now)
        update_static(self.query_one("#phase-exit", Static), summary)
        update_static(self.query_one("#phase-exits", Static), full)
        self.lines = {line.inject: line for line in msel(self.engine, state, now)}
        self.query_one("#msel", MselTable).show(list(self.lines.values()), clock)
        self._show_detail()
        self.query_one("#situation", Situation).show(self.history)
        self.query_one("#seats", SeatsTable).show(
            self.names, people, role_answers(self.engine, state)
        )
        if dict(self.source.codes()) != self._codes_shown:  # rotated, here or elsewhere
            self._render_join()

    @on(DataTable.RowHighlighted, "#msel")
    def _show_detail(self) -> None:
        """The selected inject's line in full: what the table's cells cut short."""
        inject = self.query_one("#msel", MselTable).selected_inject
        line = self.lines.get(inject or "")
        detail = Text()
        if line is not None:
            detail.append(f"{line.inject} ", style="bold")
            detail.append(f"{line.title}\n")
            detail.append(f"{status_cell(line.status).plain}: {line.why}")
            if line.answers:
                detail.append(f" | answers: {answers_text(line).plain}")
            elif line.status != "delivered":
                detail.append(f"  (to {', '.join(line.to)})", style="dim")
        update_static(self.query_one("#msel-detail", Static), detail)

    def _phase_exits(self, now: int) -> tuple[Text, Text]:
        """What ends the current phase: one line for the top of the console, and every way
        out in full for the Situation tab."""
        outlook = phase_outlook(self.engine, self.source.state, now)
        clock = self.engine.clock_label
        if not outlook.exits:
            words = (
                Text("Not started: press p to start play.", style="bold")
                if outlook.phase in ("setup", "briefing")
                else Text(f"Play is over ({outlook.phase}).")
            )
            return words, words
        summary = Text(f"{outlook.phase} ends: ", style="bold")
        full = Text(f"What ends {outlook.phase}:\n", style="bold")
        holding = [e for e in outlook.exits if e.holds]
        timed = [e for e in outlook.exits if e.by_time is not None]
        forced = [e for e in outlook.exits if e.condition is None]
        readings = {name: value for e in outlook.exits for name, value in e.readings}
        if holding:
            summary.append(f"-> {holding[0].to} NOW (a condition holds)", style="bold")
        elif timed:
            first = min(timed, key=lambda e: e.by_time or 0)
            at = first.by_time or 0
            summary.append(f"-> {first.to} by {clock(at)[5:]} (in {format_wait(at - now)})")
            if len(outlook.exits) > 1:
                summary.append(" or sooner by its conditions")
        elif forced:
            summary.append(f"-> {forced[0].to} when you force it (f)")
        else:
            summary.append("when its conditions hold")
        if readings:
            summary.append(" [" + ", ".join(f"{n} {v:g}" for n, v in readings.items()) + "]")
        for exit_ in outlook.exits:
            full.append(f"  -> {exit_.to}: ")
            if exit_.condition is None:
                full.append("when you force it (f)\n")
                continue
            full.append(exit_.condition)
            if exit_.holds:
                full.append("  HOLDS NOW", style="bold")
            elif exit_.by_time is not None:
                full.append(f"  (by the clock alone at {clock(exit_.by_time)})")
            full.append("\n")
        if outlook.held:
            summary.append(" PHASE HELD (h releases it)", style="bold")
            full.append("The phase is HELD: no automatic transition until h releases it.\n")
        if outlook.endex is not None:
            summary.append(f" | ENDEX {clock(outlook.endex)[5:]}")
            full.append(f"ENDEX (play ends) at {clock(outlook.endex)}\n")
        return summary, full

    def _render_join(self) -> None:
        codes = dict(self.source.codes())
        self._codes_shown = codes
        text = Text()
        if not codes:
            text.append(
                "No join codes are known to this console: codes are stored only as salted "
                "hashes, and they were issued by another run of the session (its --codes file "
                "holds them) or rotated elsewhere. To issue new ones here: ctrl+p, "
                f'"{NEW_CODES}" (the old ones stop working; seats already in stay).'
            )
        for role, code in codes.items():
            name = "Evaluators" if role == "evaluator" else self.names.get(role, role)
            text.append(f"{name}\n", style="bold")
            text.append(f"  code {code}\n")
            join = self.source.join_command(None if role == "evaluator" else role)
            if join:
                text.append(f"  {join}\n", style="dim")
        update_static(self.query_one("#join-codes", Static), text)

    # -- what the keys do ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer (and show in the footer) only what makes sense in the exercise's state."""
        state = self.source.state
        if action == "start":
            return state.phase in ("setup", "briefing")
        if action in self.IN_PLAY:
            return state.in_play
        if action == "next_move":
            return state.in_play and self.engine.turns
        if action == "speed":
            return state.in_play and not self.engine.turns
        if action == "end":
            return state.phase != "ended"
        return True

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    # -- sending ------------------------------------------------------------------------------

    @work(group="command")
    async def send(self, command: cmd.Command, done: str = "") -> Ack:
        """Send a command; show the engine's refusal, or ``done`` once accepted."""
        try:
            ack = await self.source.submit(command)
        except Exception as exc:
            ack = Ack(False, f"not sent: {exc}")
        if not ack.accepted:
            self.notify(ack.reason or "refused", title=f"{command.type} refused", severity="error")
        elif done:
            self.notify(done, title=command.type)
        self.refresh_views()
        return ack

    def _selected(self) -> str | None:
        return self.query_one("#msel", MselTable).selected_inject

    def action_start(self) -> None:
        self.send(cmd.StartPlay(), "Play has started.")

    def action_pause(self) -> None:
        state = self.source.state
        self.send(cmd.Resume() if state.paused else cmd.Pause())

    def action_speed(self, step: int) -> None:
        speed = self.source.state.speed
        faster = [s for s in SPEEDS if s > speed]
        slower = [s for s in SPEEDS if s < speed]
        target = (faster[0] if faster else None) if step > 0 else (slower[-1] if slower else None)
        if target is None:
            self.notify(f"The speed stays x{speed:g}.", title="Speed")
            return
        self.send(cmd.SetSpeed(speed=float(target)), f"Speed x{target:g}.")

    def action_next_move(self) -> None:
        self.send(cmd.NextMove())

    def action_hold_phase(self) -> None:
        self.send(cmd.HoldPhase(hold=not self.source.state.held))

    def action_send_now(self) -> None:
        inject = self._selected()
        if inject is None:
            self.notify("Select an inject in the MSEL first.", title="Send now")
            return
        self.send(cmd.SendInject(inject=inject), f"{inject} sent.")

    def action_reschedule(self) -> None:
        inject = self._selected()
        if inject is None:
            self.notify("Select a pending inject in the MSEL first.", title="Reschedule")
            return
        start = self.engine.start
        form = RescheduleForm(
            inject,
            self.source.now(),
            self.engine.clock_label,
            lambda text, now: parse_moment(text, now, start),
            self.source.submit,
        )
        self.app.push_screen(form, self._done(f"{inject} rescheduled."))

    def action_adhoc(self) -> None:
        self.app.push_screen(
            AdhocInjectForm(self.names, self.source.submit), self._done("Ad-hoc inject sent.")
        )

    def action_force_phase(self) -> None:
        state = self.source.state
        self.app.push_screen(
            ForcePhaseForm(state.phase, self.source.submit), self._done("Phase forced.")
        )

    def action_control_cell(self) -> None:
        form = MessageForm(self.names, self.source.submit, cells=CONTROL_CELLS)
        self.app.push_screen(form, self._done("Sent for the control cell."))

    def action_end(self) -> None:
        form = ConfirmForm(
            "End the exercise?",
            "Play stops for every seat and the debrief begins. This cannot be undone.",
            cmd.EndExercise(),
            self.source.submit,
            label="End the exercise",
        )
        self.app.push_screen(form, self._done("The exercise has ended: debrief."))

    def _done(self, words: str):
        def done(accepted: bool | None) -> None:
            if accepted:
                self.notify(words)
            self.refresh_views()

        return done

    @work(group="codes", exclusive=True)
    async def new_codes(self) -> None:
        """New join codes for every role and the evaluators (the old ones stop working)."""
        try:
            await self.source.rotate_codes()
        except Exception as exc:
            self.notify(f"not issued: {exc}", title=NEW_CODES, severity="error")
            return
        self._render_join()
        self.action_show_tab("tab-join")
        self.notify("New join codes: the old ones no longer work.", title=NEW_CODES)

    def palette(self) -> Iterable[PaletteCommand]:
        yield from super().palette()
        yield PaletteCommand(
            NEW_CODES, "the old codes stop working; seats already in stay", self.new_codes
        )
        for line in msel(self.engine, self.source.state, self.source.now()):
            if line.status in ("pending", "unreachable", "due"):
                yield PaletteCommand(
                    f"Send now: {line.inject} {line.title}",
                    line.why,
                    partial(self.send, cmd.SendInject(inject=line.inject), f"{line.inject} sent."),
                    discover=False,
                )
