"""The hot-seat: one terminal for a facilitator with a projector, every seat in one process.

The controller's console and each role's seat are the same screens the separate consoles show,
installed side by side; F2 shows the controller, F3 the next role (F4-F8 a role directly, or
the palette by name). There are no join codes: whoever holds the keyboard speaks for the seat
on screen, and every command still goes through the engine with that seat's identity.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import ClassVar

from textual import work
from textual.binding import Binding, BindingType

from exercise_engine.session.inprocess import InProcessSession
from exercise_engine.tui.app_base import ConsoleApp
from exercise_engine.tui.commands import PaletteCommand
from exercise_engine.tui.controller import ControllerScreen
from exercise_engine.tui.local import LocalSeat, LocalStaff
from exercise_engine.tui.seat import SeatScreen

CONTROLLER = "controller"
DIRECT_KEYS = ("f4", "f5", "f6", "f7", "f8")


class HotSeatApp(ConsoleApp):
    TITLE = "Exercise hot-seat"
    BINDINGS: ClassVar[list[BindingType]] = [
        *ConsoleApp.BINDINGS,
        Binding("f2", "seat('controller')", "Controller", id="to-controller"),
        Binding("f3", "next_seat", "Next role", id="next-role"),
        *(
            Binding(key, f"seat_number({n})", f"Role {n + 1}", id=f"to-role-{n + 1}", show=False)
            for n, key in enumerate(DIRECT_KEYS)
        ),
    ]

    def __init__(self, session: InProcessSession, *, clock: bool = True) -> None:
        super().__init__()
        self.session = session
        self.roles = list(session.bundle.scenario.roles)
        self.run_clock = clock
        self.current = CONTROLLER

    def on_mount(self) -> None:
        self.title = self.session.bundle.scenario.title
        self.add_mode(CONTROLLER, partial(ControllerScreen, LocalStaff(self.session)))
        for role in self.roles:
            self.add_mode(role, partial(SeatScreen, LocalSeat(self.session, role)))
        self.switch_mode(CONTROLLER)
        if self.run_clock:
            self._drive_clock()

    @work(group="clock", exclusive=True, exit_on_error=False)
    async def _drive_clock(self) -> None:
        await self.session.run_clock()

    def action_seat(self, seat: str) -> None:
        if seat != self.current:
            self.current = seat
            self.switch_mode(seat)

    def action_next_seat(self) -> None:
        order = [CONTROLLER, *self.roles]
        self.action_seat(order[(order.index(self.current) + 1) % len(order)])

    def action_seat_number(self, number: int) -> None:
        if number < len(self.roles):
            self.action_seat(self.roles[number])

    def palette(self) -> Iterable[PaletteCommand]:
        names = {
            r: self.session.bundle.roles[r].name
            for r in self.roles
            if r in self.session.bundle.roles
        }
        yield PaletteCommand(
            "Switch to: controller", "key F2", lambda: self.action_seat(CONTROLLER)
        )
        for n, role in enumerate(self.roles):
            key = f"key {DIRECT_KEYS[n].upper()}" if n < len(DIRECT_KEYS) else ""
            yield PaletteCommand(
                f"Switch to: {names.get(role, role)}", key, lambda r=role: self.action_seat(r)
            )
