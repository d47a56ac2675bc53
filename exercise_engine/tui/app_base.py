"""What every console shares: theme, global keys, the palette, following the log, problems.

The controller, seat, evaluator and hot-seat consoles are ``ConsoleApp``s showing
``ConsoleScreen``s (harlequin's ``AppBase`` habit): one place for the keys everyone has (quit,
key help, palette), the theme, the stylesheet, and the log-following worker, so the four
consoles behave alike and a fix lands in all of them.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Awaitable, Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePath
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Footer, Static

from exercise_engine.tui.commands import ConsoleCommands, PaletteCommand
from exercise_engine.tui.theme import R2P_THEME

HERE = Path(__file__).parent


class ConsoleApp(App[int]):
    """The base of the consoles. The return value is the process's exit code."""

    CSS_PATH: ClassVar[list[str | PurePath]] = [
        HERE / name for name in ("console.tcss", "controller.tcss", "seat.tcss", "evaluator.tcss")
    ]
    """Each console's stylesheet lives beside its code; the app loads them all, because Textual
    applies a screen's own CSS_PATH only to screens pushed after start, not the first one."""
    COMMANDS = App.COMMANDS | {ConsoleCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        Binding("f1", "toggle_keys", "Keys", id="keys"),
    ]

    def __init__(
        self,
        main: Screen | None = None,
        *,
        title: str = "",
        opening: Opening | None = None,
        **kwargs: Any,
    ) -> None:
        """``main``: the console's one screen; or ``opening``: what the console must open first
        (the live session, a seat's join), done behind a first frame that says so, and which
        installs the console's screens once it has what they show."""
        super().__init__(**kwargs)
        self.main = main
        self.opening = opening
        self.failure: BaseException | None = None
        """Why opening failed: the command line reports it once the terminal is restored."""
        if title:
            self.title = title
        self.register_theme(R2P_THEME)
        self.theme = "r2p"

    def get_default_screen(self) -> Screen:
        if self.main is not None:
            return self.main
        if self.opening is not None:
            return OpeningScreen(self.opening.words)
        return super().get_default_screen()

    def on_ready(self) -> None:
        """The first frame is on the screen: open what the console shows behind it (not at
        mount, which comes before that frame is drawn)."""
        if self.opening is not None and self.main is None:
            self._open()

    @work(group="opening", exclusive=True, exit_on_error=False)
    async def _open(self) -> None:
        assert self.opening is not None
        try:
            await self.opening.open(self)
        except Exception as exc:  # said on the command line once the screen is gone
            self.failure = exc
            self.exit(1)

    def action_toggle_keys(self) -> None:
        """Show or hide the panel listing every key of the focused screen."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def palette(self) -> Iterable[PaletteCommand]:
        """Commands of the whole console, offered whatever screen is in front."""
        return ()

    def show_problem(self, title: str, detail: str) -> None:
        """Replace the screen with a clear explanation (never a traceback)."""
        self.push_screen(ProblemScreen(title, detail))


@dataclass(frozen=True)
class Opening:
    """What a console opens before its screens: ``open(app)`` installs them."""

    words: str
    """Said on the first frame while it opens (``Opening exercise.db...``)."""
    open: Callable[[ConsoleApp], Awaitable[None]]


class OpeningScreen(Screen[None]):
    """The first frame of a console that is still opening what it shows."""

    def __init__(self, words: str) -> None:
        super().__init__()
        self.words = words

    def compose(self) -> ComposeResult:
        yield Static(self.words, id="opening", markup=False)
        yield Footer()


def tab_bindings(tabs: Iterable[tuple[str, str]]) -> list[Binding]:
    """Keys 1, 2, ... showing a console's tabs in order (``(tab id, title)`` pairs)."""
    return [
        Binding(str(n), f"show_tab('{tab}')", title, id=f"tab-{tab[4:]}", show=False)
        for n, (tab, title) in enumerate(tabs, start=1)
    ]


class ConsoleScreen(Screen[None]):
    """A console screen: a footer of its keys, palette commands, and a log follower."""

    @dataclass
    class Arrived(Message):
        """A batch of the log (or a status line) reached this screen."""

        batch: Any

    @dataclass
    class Lost(Message):
        """The feed broke off: the controller is gone or the database cannot be read."""

        reason: str

    def palette(self) -> Iterable[PaletteCommand]:
        """This screen's commands: by default its key bindings, said in words."""
        for binding in self._bindings_with_descriptions():
            yield PaletteCommand(
                binding.description,
                f"key {binding.key}",
                partial(self.run_action, binding.action),
            )

    def _bindings_with_descriptions(self) -> list[Binding]:
        found = []
        for item in self.BINDINGS:
            if isinstance(item, Binding) and item.description:
                found.append(item)
        return found

    def follow(self, feed: AsyncIterable[Any]) -> None:
        """Follow ``feed`` in a worker; each batch arrives as an ``Arrived`` message."""
        self._follow(feed)

    @work(group="follow", exclusive=True, exit_on_error=False)
    async def _follow(self, feed: AsyncIterable[Any]) -> None:
        try:
            async for batch in feed:
                self.post_message(self.Arrived(batch))
        except Exception as exc:  # the feed's end is a fact to show, not a crash
            self.post_message(self.Lost(describe(exc)))

    @on(Lost)
    def _lost(self, message: Lost) -> None:
        app = self.app
        assert isinstance(app, ConsoleApp)
        app.show_problem("The exercise cannot be followed", message.reason)


def describe(exc: BaseException) -> str:
    """An exception as a sentence for the person at the console."""
    text = str(exc).strip()
    return text or type(exc).__name__


class ProblemScreen(ModalScreen[None]):
    """A plain explanation of what went wrong and what to do, instead of a traceback."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Back", id="back"),
        Binding("ctrl+q", "app.quit", "Quit", id="quit", priority=True),
    ]

    def __init__(self, title: str, detail: str) -> None:
        super().__init__()
        self.problem_title = title
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="problem"):
            yield Static(self.problem_title, id="problem-title", markup=False)
            yield Static(self.detail, id="problem-detail", markup=False)
            yield Button("Back", id="problem-back")
        yield Footer()

    @on(Button.Pressed, "#problem-back")
    def _back(self) -> None:
        self.dismiss()
