"""The command palette (ctrl+p): every action of the screen in front, found by name.

Each console screen lists its commands (``ConsoleScreen.palette``): the actions its key
bindings offer, said in words, and commands about what is on screen now ("Send now: INJ-104",
"Open: Radio Bora calls for ..."), so a person who forgot a key, or has no free hand for one,
finds the action by typing a few letters of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True)
class PaletteCommand:
    title: str
    help: str
    run: Callable[[], object]
    discover: bool = True
    """Shown before anything is typed (False for long, generated lists)."""


def screen_commands(screen: Screen) -> Iterable[PaletteCommand]:
    """The commands of ``screen`` (or of the console screen under a dialog), then the app's."""
    for candidate in (screen, *reversed(screen.app.screen_stack)):
        palette = getattr(candidate, "palette", None)
        if palette is not None:
            yield from palette()
            break
    app_palette = getattr(screen.app, "palette", None)
    if app_palette is not None:
        yield from app_palette()


class ConsoleCommands(Provider):
    """Offers the front console screen's commands to the palette."""

    def _commands(self) -> list[PaletteCommand]:
        return list(screen_commands(self.screen))

    async def discover(self) -> Hits:
        for command in self._commands():
            if command.discover:
                yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.run, help=command.help)
