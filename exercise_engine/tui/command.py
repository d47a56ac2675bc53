"""``exercise play``: the hot-seat console, and the console side of run / join / evaluate.

The only module outside ``tui/`` that anything imports is this one, from the CLI; it opens the
session through the session layer and hands the console its source.
"""

from __future__ import annotations

import argparse
from pathlib import Path

EXIT_OK = 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "play",
        help="run an exercise on one terminal (hot-seat): controller and every role",
        description="One terminal for a facilitator with a projector: the controller's console "
        "and each role's seat, switched with F2 (controller) and F3 (next role). No join codes. "
        "With no arguments, plays the shipped default scenario.",
    )
    p.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        help="scenario id or file (default: the shipped default scenario)",
    )
    p.add_argument("--db", default="exercise.db", help="SQLite file (default: exercise.db)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue the latest session in --db instead of starting a new one",
    )
    p.add_argument(
        "--content",
        action="append",
        default=[],
        metavar="DIR",
        help="an extra content folder, searched before the shipped content",
    )
    p.set_defaults(handler=cmd_play)


def cmd_play(args: argparse.Namespace) -> int:
    from exercise_engine.cli import UsageError
    from exercise_engine.model.loader import load_bundle
    from exercise_engine.session.inprocess import InProcessSession
    from exercise_engine.tui.hotseat import HotSeatApp

    folder = Path(args.db).resolve().parent
    if not folder.exists():
        raise UsageError(f"folder {folder} does not exist")
    if args.resume:
        session = InProcessSession.resume(args.db)
    else:
        session = InProcessSession.create(
            args.db, load_bundle(args.scenario, args.content), args.seed
        )
    try:
        code = HotSeatApp(session).run()
    finally:
        session.close()
    print(
        f"session {session.session_id} saved in {args.db}; "
        f"report: exercise report --db {args.db} --format md"
    )
    return code or EXIT_OK
