"""The hot-seat: one terminal for a facilitator with a projector, every seat in one process.

The controller's console and each role's seat are the same screens the separate consoles show,
over the same live layer (the controller service and one seat client per role, joined with the
session's codes), installed side by side; F2 shows the controller, F3 the next role (F4-F8 a
role directly, or the palette by name). Whoever holds the keyboard speaks for the seat on
screen, and every command still goes through the engine with that seat's identity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType

from exercise_engine.tui.app_base import ConsoleApp, Opening
from exercise_engine.tui.commands import PaletteCommand

if TYPE_CHECKING:
    from exercise_engine.tui.source import ControllerSource, SeatSource

CONTROLLER = "controller"
DIRECT_KEYS = ("f4", "f5", "f6", "f7", "f8")


class HotSeatApp(ConsoleApp):
    BINDINGS: ClassVar[list[BindingType]] = [
        *ConsoleApp.BINDINGS,
        Binding("f2", "seat('controller')", "Controller", id="to-controller"),
        Binding("f3", "next_seat", "Next role", id="next-role"),
        *(
            Binding(key, f"seat_number({n})", f"Role {n + 1}", id=f"to-role-{n + 1}", show=False)
            for n, key in enumerate(DIRECT_KEYS)
        ),
    ]

    def __init__(
        self,
        controller: ControllerSource | None = None,
        seats: Sequence[SeatSource] = (),
        *,
        opening: Opening | None = None,
    ) -> None:
        """The sources given, or an ``opening`` that finds them and calls ``install``."""
        title = controller.bundle.scenario.title if controller is not None else ""
        super().__init__(title=title, opening=opening)
        self.controller = controller
        self.seats: dict[str, SeatSource] = {}
        self.current = CONTROLLER
        self._given = seats

    def on_mount(self) -> None:
        if self.controller is not None:
            self.install(self.controller, self._given)

    def install(self, controller: ControllerSource, seats: Sequence[SeatSource]) -> None:
        """Put the controller's console and every role's seat in place, the controller first.
        Their modules (the engine, the model) load here, not with the app: the first frame
        needs none of them."""
        from exercise_engine.tui.controller import ControllerScreen
        from exercise_engine.tui.seat import SeatScreen

        self.controller = controller
        self.title = controller.bundle.scenario.title
        self.seats = {seat.brief.role: seat for seat in seats}
        self.add_mode(CONTROLLER, lambda: ControllerScreen(controller))
        for role, seat in self.seats.items():
            self.add_mode(role, partial(SeatScreen, seat))
        self.switch_mode(CONTROLLER)

    def action_seat(self, seat: str) -> None:
        if seat != self.current:
            self.current = seat
            self.switch_mode(seat)

    def action_next_seat(self) -> None:
        order = [CONTROLLER, *self.seats]
        self.action_seat(order[(order.index(self.current) + 1) % len(order)])

    def action_seat_number(self, number: int) -> None:
        roles = list(self.seats)
        if number < len(roles):
            self.action_seat(roles[number])

    def palette(self) -> Iterable[PaletteCommand]:
        yield PaletteCommand(
            "Switch to: controller", "key F2", lambda: self.action_seat(CONTROLLER)
        )
        for n, (role, seat) in enumerate(self.seats.items()):
            key = f"key {DIRECT_KEYS[n].upper()}" if n < len(DIRECT_KEYS) else ""
            yield PaletteCommand(
                f"Switch to: {seat.brief.role_name}", key, partial(self.action_seat, role)
            )
