"""``exercise play``, and the consoles of ``exercise run``, ``join`` and ``evaluate``.

The command line is the only way into ``tui/``. Each console runs Textual inside one asyncio
loop with the live layer: the controller service (and, for the hot-seat, a seat client per role
joined with the session's codes) is started before the first frame, so a refused start (a
session another controller runs, a wrong code, an unreadable file) is one clear line on stderr
and an exit code, never a screen that flashes and vanishes.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from exercise_engine.arguments import seed_argument

EXIT_OK, EXIT_USAGE = 0, 2


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


def _refuse(command: str, message: str) -> int:
    print(f"exercise {command}: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def cmd_play(args: argparse.Namespace) -> int:
    if args.speed is not None and not 0 < args.speed <= 100_000:
        return _refuse("play", "--speed must be above 0 and at most 100000")
    if not Path(args.db).resolve().parent.is_dir():
        return _refuse("play", f"folder {Path(args.db).parent} does not exist")
    from exercise_engine.live.controller import RunOptions

    options = RunOptions(
        db=args.db, scenario=args.scenario, content=list(args.content), seed=args.seed,
        speed=args.speed,
    )  # fmt: skip
    return asyncio.run(_hot_seat(options))


def run_controller_console(options: Any) -> int:
    """``exercise run`` without ``--headless``: the controller's console."""
    return asyncio.run(_controller(options))


def run_seat_console(args: argparse.Namespace) -> int:
    """``exercise join`` without ``--jsonl``: a trainee's seat."""
    return asyncio.run(_seat(args))


def run_evaluator_console(args: argparse.Namespace) -> int:
    """``exercise evaluate`` without ``--jsonl``: the evaluator's console."""
    return asyncio.run(_evaluator(args))


# -- inside the loop ----------------------------------------------------------------------------


async def _serving(options: Any, app_for: Any, join_seats: bool = False) -> int:
    """Run ``app_for(source, seats)`` while the controller service serves the session."""
    from exercise_engine.tui.sources import LiveSession

    async with LiveSession.open(options, seats=join_seats) as session:
        app = app_for(session.source, session.seats)
        session.serving.add_done_callback(lambda task: _report_stop(app, task))
        code = await app.run_async()
    print(
        f"session {session.service.session_id} is in {options.db}; "
        f"its after-action review: exercise report --db {options.db} --format md",
        file=sys.stderr,
    )
    return code or EXIT_OK


def _report_stop(app: Any, task: asyncio.Task[None]) -> None:
    """The service stopped by itself: say why on the console (an ended exercise is no news)."""
    if task.cancelled() or task.exception() is None:
        return
    error = task.exception()
    app.call_later(app.show_problem, "The controller service stopped", str(error))


async def _hot_seat(options: Any) -> int:
    from exercise_engine.tui.hotseat import HotSeatApp

    return await _serving(options, lambda source, seats: HotSeatApp(source, seats), True)


async def _controller(options: Any) -> int:
    from exercise_engine.tui.app_base import ConsoleApp
    from exercise_engine.tui.controller import ControllerScreen

    def app_for(source: Any, _seats: Any) -> ConsoleApp:
        return ConsoleApp(ControllerScreen(source), title=source.bundle.scenario.title)

    return await _serving(options, app_for)


async def _seat(args: argparse.Namespace) -> int:
    from exercise_engine.live.client import JoinError, SeatClient
    from exercise_engine.tui.app_base import ConsoleApp
    from exercise_engine.tui.seat import SeatScreen
    from exercise_engine.tui.sources import ClientSeat

    try:
        client = await SeatClient.join(
            args.db, role=args.role, code=args.code, name=args.name, session=args.session,
            from_seq=args.from_seq, report=lambda text: print(text, file=sys.stderr),
        )  # fmt: skip
    except JoinError as exc:
        return _refuse("join", str(exc))
    seat = ClientSeat(client)
    try:
        code = await ConsoleApp(SeatScreen(seat), title=seat.brief.title).run_async()
    finally:
        await seat.close()
    return code or EXIT_OK


async def _evaluator(args: argparse.Namespace) -> int:
    from exercise_engine.live.client import EvaluatorClient, JoinError
    from exercise_engine.tui.app_base import ConsoleApp
    from exercise_engine.tui.evaluator import EvaluatorScreen
    from exercise_engine.tui.sources import ClientEvaluator

    try:
        client = await EvaluatorClient.join(
            args.db, code=args.code, name=args.name or "evaluator", session=args.session,
            from_seq=args.from_seq, report=lambda text: print(text, file=sys.stderr),
        )  # fmt: skip
    except JoinError as exc:
        return _refuse("evaluate", str(exc))
    evaluator = ClientEvaluator(client)
    try:
        title = evaluator.bundle.scenario.title
        code = await ConsoleApp(EvaluatorScreen(evaluator), title=title).run_async()
    finally:
        await evaluator.close()
    return code or EXIT_OK
