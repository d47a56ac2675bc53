"""The controller's forms: an ad-hoc inject, a new time for an inject, a forced phase, the end.

Like every form, each builds one engine command and shows the engine's refusal in place. What
a controller types as a time ("+30m", "07:15") is read by the model's ``parse_moment``; what
cannot be read is said before anything is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from textual.app import ComposeResult
from textual.widgets import (
    Input,
    RadioSet,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from exercise_engine.engine import commands as cmd
from exercise_engine.model.durations import DurationError, parse_duration
from exercise_engine.model.scenario import PLAY_PHASES
from exercise_engine.tui.dialogs import Choice, CommandForm, FieldLabel, Submit, area

T = TypeVar("T")


class UnreadableField(ValueError):
    """A field the controller typed that cannot be read; the message says what to type."""


class ParsingForm(CommandForm):
    """A form whose fields are read before the command is built."""

    def action_send(self) -> None:
        try:
            self.command()
        except UnreadableField as exc:
            self.query_one("#form-error", Static).update(str(exc))
            return
        super().action_send()


class AdhocInjectForm(ParsingForm):
    """An inject the controller writes live: to, channel, sender, title, body, due, prompt."""

    def __init__(self, roles: Mapping[str, str], submit: Submit) -> None:
        super().__init__(submit)
        self.roles = roles

    def form_title(self) -> str:
        return "Ad-hoc inject"

    def fields(self) -> ComposeResult:
        yield FieldLabel("To (space to tick)")
        yield SelectionList[str](*((n, r) for r, n in self.roles.items()), id="adhoc-to")
        yield FieldLabel("Channel")
        yield Select(
            [(c, c) for c in cmd.CHANNELS], value="report", id="adhoc-channel", allow_blank=False
        )
        yield FieldLabel("From (the sender as players read it)")
        yield Input(id="adhoc-sender", placeholder="e.g. Radio Bora FM")
        yield FieldLabel("Title")
        yield Input(id="adhoc-title")
        yield FieldLabel("Body (Markdown)")
        yield area("adhoc-body", "what the roles read")
        yield FieldLabel("Answer due in (leave empty for information only)")
        yield Input(id="adhoc-due", placeholder="e.g. 30m")
        yield FieldLabel("Question to answer (asks a free-text answer)")
        yield Input(id="adhoc-prompt", placeholder="optional")

    def command(self) -> cmd.Command:
        due_text = self.query_one("#adhoc-due", Input).value.strip()
        due = None
        if due_text:
            try:
                due = parse_duration(due_text)
            except DurationError as exc:
                raise UnreadableField(f"Due: {exc}") from None
        channel = self.query_one("#adhoc-channel", Select).value
        return cmd.SendInject(
            to=list(self.query_one("#adhoc-to", SelectionList).selected),
            title=self.query_one("#adhoc-title", Input).value,
            body=self.query_one("#adhoc-body", TextArea).text,
            channel=_chosen(channel, cmd.CHANNELS, "Channel: choose one of the list."),
            sender=self.query_one("#adhoc-sender", Input).value,
            due=due,
            prompt=self.query_one("#adhoc-prompt", Input).value,
        )


class RescheduleForm(ParsingForm):
    """A new time for an inject not yet delivered."""

    def __init__(
        self,
        inject: str,
        now: int,
        clock: Callable[[int], str],
        read_moment: Callable[[str, int], int],
        submit: Submit,
    ) -> None:
        super().__init__(submit)
        self.inject = inject
        self.now = now
        self.clock = clock
        self.read_moment = read_moment

    def form_title(self) -> str:
        return f"Reschedule {self.inject}"

    def fields(self) -> ComposeResult:
        yield Static(f"Scenario time now: {self.clock(self.now)}", classes="form-note")
        yield FieldLabel("New time: +30m from now, 07:15, or 2027-03-14 07:15")
        yield Input(id="reschedule-at", placeholder="+30m")

    def command(self) -> cmd.Command:
        text = self.query_one("#reschedule-at", Input).value
        try:
            at = self.read_moment(text, self.now)
        except DurationError as exc:
            raise UnreadableField(str(exc)) from None
        return cmd.RescheduleInject(inject=self.inject, at=at)


class ForcePhaseForm(CommandForm):
    """Move play to another phase now."""

    def __init__(self, current: str, submit: Submit) -> None:
        super().__init__(submit)
        self.current = current

    def form_title(self) -> str:
        return f"Force a phase (play is in {self.current})"

    def fields(self) -> ComposeResult:
        with RadioSet(id="force-phase"):
            for n, phase in enumerate(p for p in PLAY_PHASES if p != self.current):
                yield Choice(phase, name=phase, value=n == 0)

    def command(self) -> cmd.Command:
        pressed = self.query_one("#force-phase", RadioSet).pressed_button
        chosen = pressed.name if pressed is not None else None
        return cmd.ForcePhase(phase=_chosen(chosen, PLAY_PHASES, "Choose the phase to force."))


class ConfirmForm(CommandForm):
    """Ask before a command that cannot be undone."""

    def __init__(
        self, title: str, detail: str, command: cmd.Command, submit: Submit, label: str = "Yes"
    ) -> None:
        super().__init__(submit)
        self.send_label = label
        self.title_text = title
        self.detail = detail
        self.confirmed = command

    def form_title(self) -> str:
        return self.title_text

    def fields(self) -> ComposeResult:
        yield Static(self.detail, classes="form-note")

    def on_mount(self) -> None:
        self.query_one("#form-cancel").focus()

    def command(self) -> cmd.Command:
        return self.confirmed


def _chosen(value: object, choices: tuple[T, ...], missing: str) -> T:
    """The choice made in a form (a channel, a phase), as the engine's command types it;
    ``missing`` says what to do when none of ``choices`` was made."""
    for choice in choices:
        if choice == value:
            return choice
    raise UnreadableField(missing)
