"""Forms a console opens over its screen: an answer, a message, a share.

Each form builds one engine command and hands it to the console's source; the engine decides.
A rejected command keeps the form open with everything typed and the engine's reason under the
buttons ("a rationale is required: ..."), so a trainee fixes it in place and loses nothing. The
forms check nothing the engine checks: one rule, one place.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Footer,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from exercise_engine.engine import commands as cmd
from exercise_engine.tui.feed import InjectCard
from exercise_engine.tui.source import Ack

Submit = Callable[[cmd.Command], Awaitable[Ack]]


class Choice(RadioButton):
    """A radio button that shows whether it is chosen by shape, not only by colour."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "●" if self.value else " "


class OptionButton(Choice):
    """A choice whose label wraps: an option is a sentence a trainee must read whole."""

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.render().get_height(self.styles, width)  # type: ignore[arg-type]


class FormBody(VerticalScroll, can_focus=False):
    """A form's fields; scrolled by moving between fields, so focus starts on the first one."""


CONFIDENCE = (
    (1, "1 a guess"),
    (2, "2 doubtful"),
    (3, "3 fair"),
    (4, "4 confident"),
    (5, "5 certain"),
)


KEY_HINTS: tuple[tuple[type, str], ...] = (
    (RadioSet, "up/down to move, Enter to choose, Tab: next field"),
    (SelectionList, "up/down to move, Space to tick, Tab: next field"),
    (TextArea, "type; Tab: next field"),
    (Input, "type; Tab: next field"),
    (Select, "Enter to open the list, up/down and Enter to choose"),
    (Button, "Enter to press"),
)
"""What the keys do in the field that has the focus, shown under the form."""


class FieldLabel(Label):
    """A field's label; it points at the field that has the focus (not only a border colour)."""

    MARK = "> "

    def __init__(self, text: str) -> None:
        super().__init__(text, markup=False)
        self.text = text

    def mark(self, focused: bool) -> None:
        self.update(self.MARK + self.text if focused else self.text)


class CommandForm(ModalScreen[bool]):
    """A form that sends one command; dismisses with True once the engine accepted it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("ctrl+s", "send", "Send", id="send", priority=True),
    ]

    def __init__(self, submit: Submit) -> None:
        super().__init__()
        self.submit = submit

    send_label = "Send"

    def compose(self) -> ComposeResult:
        """Title and buttons stay in view; the fields between them scroll."""
        with Vertical(id="form", classes="form"):
            yield Static(self.form_title(), classes="form-title", markup=False)
            with FormBody(id="form-body"):
                yield from self.fields()
            yield Static("", id="form-focus", markup=False)
            yield Static("", id="form-error", markup=False)
            with Horizontal(classes="form-buttons"):
                yield Button(self.send_label, id="form-send", variant="primary", compact=True)
                yield Button("Cancel", id="form-cancel", compact=True)
        yield Footer()

    def form_title(self) -> str:  # pragma: no cover - every form defines it
        raise NotImplementedError

    def fields(self) -> ComposeResult:  # pragma: no cover - every form defines it
        raise NotImplementedError

    def command(self) -> cmd.Command:  # pragma: no cover - every form defines it
        raise NotImplementedError

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Mark the label of the field that now has the focus."""
        field: DOMNode = event.widget
        while field.parent is not None and field.parent.id != "form-body":
            field = field.parent
        label = None
        for child in self.query_one("#form-body").children:
            if child is field:
                break
            if isinstance(child, FieldLabel):
                label = child
        for each in self.query(FieldLabel):
            each.mark(each is label and field.parent is not None)
        where = label.text if label is not None and field.parent is not None else ""
        hint = next((h for kind, h in KEY_HINTS if isinstance(event.widget, kind)), "")
        now = f"> {where}: {hint}" if where else (f"> {hint}" if hint else "")
        self.query_one("#form-focus", Static).update(now)

    @on(Button.Pressed, "#form-send")
    def action_send(self) -> None:
        self.query_one("#form-send", Button).disabled = True
        self.query_one("#form-error", Static).update("Sending...")
        self._send(self.command())

    @on(Button.Pressed, "#form-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)

    @work(group="send", exclusive=True)
    async def _send(self, command: cmd.Command) -> None:
        try:
            ack = await self.submit(command)
        except Exception as exc:  # the controller is gone: say so and keep the form
            ack = Ack(False, f"not sent: {exc}")
        if ack.accepted:
            self.dismiss(True)
            return
        self.query_one("#form-error", Static).update(f"Not accepted: {ack.reason}")
        self.query_one("#form-send", Button).disabled = False


def area(widget_id: str, placeholder: str) -> TextArea:
    area = TextArea(id=widget_id, soft_wrap=True, tab_behavior="focus", placeholder=placeholder)
    area.show_line_numbers = False
    return area


class AnswerForm(CommandForm):
    """Answer an inject: an option and/or the team's own course of action, a rationale, and how
    confident the team is (1-5)."""

    def __init__(self, card: InjectCard, due: str, submit: Submit) -> None:
        super().__init__(submit)
        self.card = card
        self.due = due

    def form_title(self) -> str:
        due = f" ({self.due})" if self.due else ""
        return f"Answer {self.card.id}{due}: {self.card.title}"

    def fields(self) -> ComposeResult:
        card = self.card
        if card.prompt:
            yield Static(card.prompt, classes="form-prompt", markup=False)
        if card.options:
            yield FieldLabel("Course of action")
            with RadioSet(id="answer-option"):
                for option in card.options:
                    yield OptionButton(f"{option.id}. {option.text}", name=option.id)
        if card.free_text:
            label = "Or your own course of action" if card.options else "Your course of action"
            yield FieldLabel(label)
            yield area("answer-text", "what your team decides to do")
        if card.rationale != "none":
            yield FieldLabel(f"Rationale ({card.rationale})")
            yield area("answer-rationale", "why: the facts, the mandate, the risks")
        yield FieldLabel("Confidence")
        with RadioSet(id="answer-confidence", classes="horizontal"):
            for value, label in CONFIDENCE:
                yield Choice(label, name=str(value))

    def _text(self, widget_id: str) -> str:
        found = self.query(f"#{widget_id}")
        return found.first(TextArea).text if found else ""

    def _choice(self, widget_id: str) -> str | None:
        found = self.query(f"#{widget_id}")
        if not found:
            return None
        pressed = found.first(RadioSet).pressed_button
        return pressed.name if pressed is not None else None

    def command(self) -> cmd.Command:
        confidence = self._choice("answer-confidence")
        return cmd.Respond(
            inject=self.card.id,
            option=self._choice("answer-option"),
            text=self._text("answer-text"),
            rationale=self._text("answer-rationale"),
            confidence=int(confidence) if confidence else None,
        )


class MessageForm(CommandForm):
    """A message to other roles, optionally about an inject."""

    def __init__(
        self,
        roles: Mapping[str, str],
        submit: Submit,
        *,
        to: tuple[str, ...] = (),
        subject: str = "",
        inject: str | None = None,
        cells: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(submit)
        self.roles = roles
        self.to = to
        self.subject = subject
        self.inject = inject
        self.cells = cells or {}
        """Control cells the controller may speak for: cell role id -> name."""

    def form_title(self) -> str:
        return "Message" + (f" about {self.inject}" if self.inject else "")

    def fields(self) -> ComposeResult:
        if self.cells:
            yield FieldLabel("Speaking for")
            with RadioSet(id="message-cell"):
                for n, (cell, name) in enumerate(self.cells.items()):
                    yield Choice(name, name=cell, value=n == 0)
        yield FieldLabel("To (space to tick)")
        yield SelectionList[str](
            *((name, role, role in self.to) for role, name in self.roles.items()),
            id="message-to",
        )
        yield FieldLabel("Subject")
        yield Input(self.subject, id="message-subject", placeholder="optional")
        yield FieldLabel("Message")
        yield area("message-body", "what you want them to know or do")

    def command(self) -> cmd.Command:
        actor = cmd.Actor.controller()
        if self.cells:
            pressed = self.query_one("#message-cell", RadioSet).pressed_button
            actor = cmd.Actor(
                cmd.CONTROLLER, pressed.name if pressed else None, "controller", "controller"
            )
        return cmd.SendMessage(
            actor=actor,
            to=list(self.query_one("#message-to", SelectionList).selected),
            subject=self.query_one("#message-subject", Input).value,
            body=self.query_one("#message-body", TextArea).text,
            inject=self.inject,
        )


class ShareForm(CommandForm):
    """Share an inject the role received with other roles, with a note."""

    def __init__(self, card: InjectCard, roles: Mapping[str, str], submit: Submit) -> None:
        super().__init__(submit)
        self.card = card
        self.roles = roles

    def form_title(self) -> str:
        return f"Share {self.card.id}: {self.card.title}"

    def fields(self) -> ComposeResult:
        yield FieldLabel("With (space to tick)")
        yield SelectionList[str](
            *((name, role) for role, name in self.roles.items()), id="share-to"
        )
        yield FieldLabel("Note")
        yield area("share-note", "why it matters to them")

    def command(self) -> cmd.Command:
        return cmd.ShareInformation(
            to=list(self.query_one("#share-to", SelectionList).selected),
            inject=self.card.id,
            note=self.query_one("#share-note", TextArea).text,
        )
