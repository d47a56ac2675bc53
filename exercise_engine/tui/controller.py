"""The controller's console: the exercise at a glance, and every control a white cell needs.

Top: scenario clock, speed, running or paused, the phase on the prevent -> react -> rebuild
path, and what ends the current phase. Tabs: the MSEL (delivered / due / pending / late / not
yet reachable, with why), the situation variables, the seats of each role, the feed of answers
and messages, and the join codes. Every key sends one engine command; the engine decides, and a
refusal is shown with its reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, Static, TabbedContent, TabPane

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.engine.events import Recorded
from exercise_engine.engine.outlook import msel, phase_outlook, role_answers
from exercise_engine.model.durations import format_wait, parse_moment
from exercise_engine.tui.app_base import ConsoleScreen
from exercise_engine.tui.commands import PaletteCommand
from exercise_engine.tui.control_forms import (
    AdhocInjectForm,
    ConfirmForm,
    ForcePhaseForm,
    RescheduleForm,
)
from exercise_engine.tui.dialogs import MessageForm
from exercise_engine.tui.source import Ack, ControllerSource, Status
from exercise_engine.tui.status import ExerciseStatus, status_line
from exercise_engine.tui.widgets import FeedLog, MselTable, SeatsTable, Situation
from exercise_engine.tui.wording import event_line

CONTROL_CELLS = {"red_cell": "the red cell", "green_cell": "the green cell"}
PRESENCE_S = 2.0
"""How often the seats' presence is read again (seats heartbeat every 2 s)."""
SPEEDS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600)


class ControllerScreen(ConsoleScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "start", "Start", id="start"),
        Binding("space", "pause", "Pause/resume", id="pause"),
        Binding("s", "send_now", "Send now", id="send-now"),
        Binding("r", "reschedule", "Reschedule", id="reschedule"),
        Binding("i", "adhoc", "Ad-hoc inject", id="adhoc"),
        Binding("plus,equals_sign", "speed(1)", "Faster", id="faster", show=False),
        Binding("minus", "speed(-1)", "Slower", id="slower", show=False),
        Binding("n", "next_move", "Next move", id="next-move", show=False),
        Binding("f", "force_phase", "Force phase", id="force-phase"),
        Binding("h", "hold_phase", "Hold phase", id="hold-phase", show=False),
        Binding("c", "control_cell", "Play a cell", id="control-cell", show=False),
        Binding("e", "end", "End", id="end"),
    ]

    def __init__(self, source: ControllerSource, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.source = source
        self.bundle = source.bundle
        self.engine = source.engine
        self.status = ExerciseStatus()
        scenario = self.bundle.scenario
        self.names = {
            r: self.bundle.roles[r].name if r in self.bundle.roles else r for r in scenario.roles
        }
        self.history: dict[str, list[float]] = {
            n: [v.initial] for n, v in scenario.variables.items()
        }

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="status-line", markup=False)
        yield Static(id="phase-exit", markup=False)
        with TabbedContent(id="control-tabs", initial="tab-msel"):
            with TabPane("MSEL", id="tab-msel"):
                yield MselTable(id="msel")
            with TabPane("Situation", id="tab-situation"):
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
        self.set_interval(1.0, self.refresh_views)
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

    def refresh_views(self) -> None:
        """Redraw everything derived from the state and the clock (each second, each batch)."""
        state = self.source.state
        now = self.source.now()
        clock = self.engine.clock_label
        self.query_one("#status-line", Static).update(
            status_line(self.bundle.scenario.title, clock(now), self.status, self.engine.turns)
        )
        self.query_one("#phase-exit", Static).update(self._phase_exit(now))
        self.query_one("#msel", MselTable).show(msel(self.engine, state, now), clock)
        self.query_one("#situation", Situation).show(self.history)
        self.query_one("#seats", SeatsTable).show(
            self.names, self.source.presence(), role_answers(self.engine, state)
        )

    def _phase_exit(self, now: int) -> Text:
        outlook = phase_outlook(self.engine, self.source.state, now)
        clock = self.engine.clock_label
        text = Text()
        if not outlook.exits:
            if outlook.phase in ("setup", "briefing"):
                text.append("Not started: press p to start play.", style="bold")
            else:
                text.append(f"Play is over ({outlook.phase}).")
            return text
        text.append(f"{outlook.phase} ends: ", style="bold")
        parts = []
        for exit_ in outlook.exits:
            if exit_.condition is None:
                parts.append(f"-> {exit_.to} when you force it (f)")
                continue
            part = f"-> {exit_.to} when {exit_.condition}"
            if exit_.readings:
                part += " [" + ", ".join(f"{n} {v:g}" for n, v in exit_.readings) + "]"
            if exit_.holds:
                part += " HOLDS NOW"
            elif exit_.by_time is not None:
                part += f"; by the clock at {clock(exit_.by_time)[-5:]}"
                part += f" (in {format_wait(exit_.by_time - now)})"
            parts.append(part)
        text.append("; ".join(parts))
        if outlook.held:
            text.append("  PHASE HELD (h releases it)", style="bold")
        if outlook.endex is not None:
            text.append(f"  ENDEX {clock(outlook.endex)[-5:]}")
        return text

    def _render_join(self) -> None:
        codes = self.source.codes()
        text = Text()
        if not codes:
            text.append(
                "No join codes are known to this console: they were issued when the session "
                "began (see its --codes file); exercise codes --rotate issues new ones."
            )
        for role, code in codes.items():
            name = "Evaluators" if role == "evaluator" else self.names.get(role, role)
            text.append(f"{name}\n", style="bold")
            text.append(f"  code {code}\n")
            join = self.source.join_command(None if role == "evaluator" else role)
            if join:
                text.append(f"  {join}\n", style="dim")
        self.query_one("#join-codes", Static).update(text)

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

    def palette(self) -> Iterable[PaletteCommand]:
        yield from super().palette()
        for line in msel(self.engine, self.source.state, self.source.now()):
            if line.status in ("pending", "unreachable", "due"):
                yield PaletteCommand(
                    f"Send now: {line.inject} {line.title}",
                    line.why,
                    lambda i=line.inject: self.send(cmd.SendInject(inject=i), f"{i} sent."),
                    discover=False,
                )
