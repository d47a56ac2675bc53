"""``exercise play``, and the consoles of ``exercise run``, ``join`` and ``evaluate``.

The command line is the only way into ``tui/``. Each console runs Textual inside one asyncio
loop with the live layer. The first frame comes at once and says what is being opened; behind
it the controller service starts (and, for the hot-seat, a seat client per role joins with the
session's codes) or the seat joins. A refused start (a session another controller runs, a wrong
code, an unreadable file) closes the screen and is one clear line on stderr with an exit code,
never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

from exercise_engine.arguments import seed_argument

if TYPE_CHECKING:
    import asyncio

    from exercise_engine.tui.app_base import ConsoleApp

OpenWith = Callable[[Any, contextlib.AsyncExitStack], Awaitable[None]]

EXIT_OK = 0

LOADED = {
    "hot-seat": (
        "exercise_engine.live.service",
        "exercise_engine.tui.sources",
        "exercise_engine.tui.controller",
        "exercise_engine.tui.seat",
    ),
    "controller": (
        "exercise_engine.live.service",
        "exercise_engine.tui.sources",
        "exercise_engine.tui.controller",
    ),
    "seat": (
        "exercise_engine.live.client",
        "exercise_engine.tui.sources",
        "exercise_engine.tui.seat",
    ),
    "evaluator": (
        "exercise_engine.live.client",
        "exercise_engine.tui.sources",
        "exercise_engine.tui.evaluator",
    ),
}
"""What each console loads behind its first frame (``_loaded``): its screens, the live layer,
the engine and the model."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "play",
        help="run an exercise on one terminal (hot-seat): controller and every role",
        description="One terminal for a facilitator with a projector: the controller's console "
        "and each role's seat, switched with F2 (controller) and F3 (next role). A session "
        "left unfinished in --db is continued. With no arguments, plays the shipped default "
        "scenario.",
    )
    p.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        help="scenario id or file (default: the shipped default scenario)",
    )
    p.add_argument("--db", default="exercise.db", help="SQLite file (default: exercise.db)")
    p.add_argument(
        "--seed", type=seed_argument, default=1, help="random seed of a new session (default 1)"
    )
    p.add_argument("--speed", type=float, help="scenario minutes per wall minute")
    p.add_argument(
        "--content",
        action="append",
        default=[],
        metavar="DIR",
        help="an extra content folder, searched before the shipped content",
    )
    p.set_defaults(handler=cmd_play)


def cmd_play(args: argparse.Namespace) -> int:
    from exercise_engine.live.cli import refused_run

    refused = refused_run("play", args)
    if refused is not None:
        return refused
    from exercise_engine.live.options import RunOptions

    options = RunOptions(
        db=args.db, scenario=args.scenario, content=list(args.content), seed=args.seed,
        speed=args.speed,
    )  # fmt: skip
    return _run(_hot_seat(options))


def run_controller_console(options: Any) -> int:
    """``exercise run`` without ``--headless``: the controller's console."""
    return _run(_controller(options))


def run_seat_console(args: argparse.Namespace) -> int:
    """``exercise join`` without ``--jsonl``: a trainee's seat."""
    return _run(_seat(args))


def run_evaluator_console(args: argparse.Namespace) -> int:
    """``exercise evaluate`` without ``--jsonl``: the evaluator's console."""
    return _run(_evaluator(args))


# -- inside the loop ----------------------------------------------------------------------------


async def _console(make: type[ConsoleApp], words: str, open_: OpenWith) -> ConsoleApp:
    """Run a console that opens what it shows (``open_``) behind its first frame; whatever it
    opened is closed when it quits, and a failure to open is raised once the terminal is back
    (the command line says it as it says any error).

    Only Textual and ``app_base`` are loaded before that frame: the console's screens, the
    engine and the model (most of a console's start) load behind it (``_loaded``)."""
    from exercise_engine.tui.app_base import Opening

    async with contextlib.AsyncExitStack() as stack:
        app = make(opening=Opening(words, lambda app: open_(app, stack)))
        await app.run_async()
    if app.failure is not None:
        raise app.failure
    return app


def _run(console: Coroutine[Any, Any, int]) -> int:
    """Run a console in its event loop. asyncio is imported here, not with the module: the
    command line builds its parser from this module for every command, and most (``report``,
    ``validate``, ``simulate``) need no event loop (asyncio is ~30 ms of their start)."""
    import asyncio

    return asyncio.run(console)


async def _loaded(console: str) -> None:
    """Import a console's own modules (``LOADED``) on a thread, once its first frame is on the
    screen: the loop keeps drawing and reading keys meanwhile. One thread, one module after
    the other: two threads importing the same modules at once could deadlock."""
    import asyncio  # loaded by now: the console runs in its loop

    await asyncio.to_thread(lambda: [importlib.import_module(name) for name in LOADED[console]])


def _report_stop(app: Any, task: asyncio.Task[None]) -> None:
    """The service stopped by itself: say why on the console (an ended exercise is no news)."""
    if task.cancelled() or task.exception() is None:
        return
    error = task.exception()
    app.call_later(app.show_problem, "The controller service stopped", str(error))


async def _live(app: Any, stack: contextlib.AsyncExitStack, options: Any, seats: bool) -> Any:
    from exercise_engine.tui.sources import LiveSession

    session = await stack.enter_async_context(LiveSession.open(options, seats=seats))
    session.serving.add_done_callback(lambda task: _report_stop(app, task))
    app.title = session.service.bundle.scenario.title
    app.session = session
    return session


def _saved(app: Any, options: Any) -> int:
    session = getattr(app, "session", None)
    if session is not None:
        print(
            f"session {session.service.session_id} is in {options.db}; "
            f"its after-action review: exercise report --db {options.db} --format md",
            file=sys.stderr,
        )
    return app.return_code or EXIT_OK


async def _hot_seat(options: Any) -> int:
    from exercise_engine.tui.hotseat import HotSeatApp

    async def open_(app: Any, stack: contextlib.AsyncExitStack) -> None:
        await _loaded("hot-seat")
        session = await _live(app, stack, options, seats=True)
        app.install(session.source, session.seats)

    app = await _console(HotSeatApp, _opening(options), open_)
    return _saved(app, options)


async def _controller(options: Any) -> int:
    from exercise_engine.tui.app_base import ConsoleApp

    async def open_(app: Any, stack: contextlib.AsyncExitStack) -> None:
        await _loaded("controller")
        from exercise_engine.tui.controller import ControllerScreen

        session = await _live(app, stack, options, seats=False)

        await app.push_screen(ControllerScreen(session.source))

    app = await _console(ConsoleApp, _opening(options), open_)
    return _saved(app, options)


def _opening(options: Any) -> str:
    what = options.scenario or "the default scenario"
    return f"Opening {what} in {options.db}..."


async def _seat(args: argparse.Namespace) -> int:
    async def open_(app: Any, stack: contextlib.AsyncExitStack) -> None:
        await _loaded("seat")
        from exercise_engine.live.client import SeatClient
        from exercise_engine.tui.seat import SeatScreen
        from exercise_engine.tui.sources import ClientSeat

        client = await SeatClient.join(
            args.db, role=args.role, code=args.code, name=args.name, session=args.session,
            from_seq=args.from_seq, report=_reporter(app),
        )  # fmt: skip
        seat = ClientSeat(client)
        stack.push_async_callback(seat.close)
        app.title = seat.brief.title
        await app.push_screen(SeatScreen(seat))

    return await _joined("join", f"Joining {args.db} as {args.role}...", open_)


async def _evaluator(args: argparse.Namespace) -> int:
    async def open_(app: Any, stack: contextlib.AsyncExitStack) -> None:
        await _loaded("evaluator")
        from exercise_engine.live.client import EvaluatorClient
        from exercise_engine.tui.evaluator import EvaluatorScreen
        from exercise_engine.tui.sources import ClientEvaluator

        client = await EvaluatorClient.join(
            args.db, code=args.code, name=args.name or "evaluator", session=args.session,
            from_seq=args.from_seq, report=_reporter(app),
        )  # fmt: skip
        evaluator = ClientEvaluator(client)
        stack.push_async_callback(evaluator.close)
        app.title = evaluator.bundle.scenario.title
        await app.push_screen(EvaluatorScreen(evaluator))

    return await _joined("evaluate", f"Joining {args.db} as an evaluator...", open_)


async def _joined(command: str, words: str, open_: OpenWith) -> int:
    """Run a console that joins a session (a seat, an evaluator). A join the live layer
    refused (a wrong code, no session) is one line and exit code 2; any other failure goes on
    to the command line's own handling."""
    from exercise_engine.tui.app_base import ConsoleApp

    try:
        app = await _console(ConsoleApp, words, open_)
    except Exception as exc:
        from exercise_engine.live.cli import refuse
        from exercise_engine.live.client import JoinError  # loaded: the join that failed used it

        if not isinstance(exc, JoinError):
            raise
        return refuse(command, str(exc))
    return app.return_code or EXIT_OK


def _reporter(app: Any) -> Callable[[str], None]:
    """What the live layer says while joining (a wait after wrong codes), on the console."""
    return lambda text: app.call_from_thread(app.notify, text, title="Joining")
