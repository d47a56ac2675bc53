"""``exercise run``, ``join``, ``evaluate`` and ``codes``: the live commands.

Without ``--headless`` / ``--jsonl`` they open the Textual consoles (``tui/command.py``). A
JSON-lines seat process imports only what following the log needs.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path
from typing import Any

from exercise_engine.arguments import seed_argument, seq_argument

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the live commands on the ``exercise`` command line."""
    p = subparsers.add_parser(
        "run",
        help="run a live exercise: the controller service",
        description="Create a session from SCENARIO in --db (or take over the unfinished live "
        "session it holds), own its engine, drive the scenario clock from wall time and decide "
        "the seats' commands. One controller per session. See docs/live.md.",
    )
    p.add_argument("scenario", nargs="?", metavar="SCENARIO", help="scenario id or file")
    p.add_argument("--db", required=True, metavar="PATH", help="the exercise database")
    p.add_argument(
        "--seed", type=seed_argument, default=1, help="random seed of a new session (default 1)"
    )
    p.add_argument("--speed", type=float, help="scenario minutes per wall minute")
    p.add_argument("--headless", action="store_true", help="no screen: JSON lines on stdin/out")
    p.add_argument("--start", action="store_true", help="begin play at once")
    p.add_argument("--codes", metavar="FILE", help="write the join codes here (JSON, mode 0600)")
    p.add_argument("--session", metavar="ID", help="the session to take over (default: latest)")
    p.add_argument(
        "--content", action="append", default=[], metavar="DIR", help="an extra content folder"
    )
    p.set_defaults(handler=cmd_run)

    p = subparsers.add_parser(
        "join",
        help="join a live exercise as a role's seat",
        description="Join ROLE with its code. Several seats may join one role (a team); a seat "
        "started late first receives everything its role could see, then follows live.",
    )
    _client_options(p)
    p.add_argument("--role", required=True, help="the role to play")
    p.set_defaults(handler=cmd_join)

    p = subparsers.add_parser(
        "evaluate",
        help="follow a live exercise as an evaluator",
        description="The whole feed (every role, observations); RecordObservation commands.",
    )
    _client_options(p)
    p.set_defaults(handler=cmd_evaluate)

    p = subparsers.add_parser(
        "codes",
        help="the join codes of a live session",
        description="Join codes are stored only as salted hashes: --rotate issues new ones for "
        "every role and the evaluators (the old ones stop working; seats already in stay).",
    )
    p.add_argument("--db", required=True, metavar="PATH")
    p.add_argument("--session", metavar="ID", help="default: the latest live session")
    p.add_argument("--rotate", action="store_true", help="issue new codes")
    p.add_argument("--codes", metavar="FILE", help="write them here (JSON, mode 0600)")
    p.set_defaults(handler=cmd_codes)


def _client_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", required=True, metavar="PATH", help="the exercise database")
    p.add_argument("--code", required=True, help="the join code the controller gave you")
    p.add_argument("--name", default="", help="your name, as the others see it")
    p.add_argument("--jsonl", action="store_true", help="JSON lines on stdin/stdout (no screen)")
    p.add_argument("--from", dest="from_seq", type=seq_argument, default=0, metavar="SEQ",
                   help="start after event SEQ (default: from the beginning)")  # fmt: skip
    p.add_argument("--session", metavar="ID", help="default: the latest live session")


def refuse(command: str, message: str, code: int = EXIT_USAGE) -> int:
    """One line on stderr for a command refused before it ran (a console's too); the exit code."""
    print(f"exercise {command}: error: {message}", file=sys.stderr)
    return code


# -- run ----------------------------------------------------------------------------------------


def refused_run(command: str, args: argparse.Namespace) -> int | None:
    """The usage error of a controller's command line (``run``, ``play``), said on stderr with
    its exit code; None when it can be carried out."""
    if args.speed is not None and not 0 < args.speed <= 100_000:
        return refuse(command, "--speed must be above 0 and at most 100000")
    if not Path(args.db).resolve().parent.is_dir():
        return refuse(command, f"folder {Path(args.db).parent} does not exist")
    codes = getattr(args, "codes", None)
    if codes and not Path(codes).resolve().parent.is_dir():
        return refuse(command, f"folder {Path(codes).parent} does not exist (--codes)")
    return None


def cmd_run(args: argparse.Namespace) -> int:
    refused = refused_run("run", args)
    if refused is not None:
        return refused
    from exercise_engine.live.options import RunOptions

    options = RunOptions(
        db=args.db,
        scenario=args.scenario,
        content=list(args.content),
        seed=args.seed,
        speed=args.speed,
        start=args.start,
        codes_file=Path(args.codes) if args.codes else None,
        session=args.session,
    )
    if not args.headless:
        from exercise_engine.tui.command import run_controller_console

        return run_controller_console(options)
    import asyncio

    return asyncio.run(_headless(options))


async def _headless(options: Any) -> int:
    import asyncio
    import signal

    from exercise_engine.engine import commands as cmd
    from exercise_engine.live import jsonl
    from exercise_engine.live.service import ControllerService
    from exercise_engine.store.eventstore import dumps

    service = ControllerService(options)
    await service.start()
    write = jsonl.stdout_writer()
    took = service.took_over
    write(
        jsonl.status_line(
            "took-over" if took else "started",
            session=service.session_id,
            scenario=service.bundle.scenario.id,
            db=options.db,
            **({"outage": round(took.outage, 1)} if took else {}),
        )
    )
    _show_codes(service, options)
    feed = service.subscribe()
    serving = asyncio.create_task(service.serve())
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, service.stop)

    written = asyncio.Condition()
    last_written = 0
    followed = False
    deciding: set[asyncio.Task[None]] = set()

    async def follow() -> None:
        nonlocal last_written, followed
        async for record in feed:
            event = record.event
            role = "null" if event.role is None else json.dumps(event.role)
            seat = "null" if event.seat is None else json.dumps(event.seat)
            write(
                f'{{"seq":{record.seq},"type":"{event.type}","t":{event.t},"role":{role},'
                f'"seat":{seat},"payload":{dumps(event.payload())}}}'
            )
            async with written:
                last_written = record.seq
                written.notify_all()
        async with written:
            followed = True
            written.notify_all()

    async def decide(given: Any, command: Any) -> None:
        """One command: decided, its events written, then its ack (even as the controller
        stops: the exercise's last command gets its ack too)."""
        outcome = await service.submit(command)
        seq = service.state.seq
        async with written:  # its events are written before its ack
            await written.wait_for(lambda: last_written >= seq or followed)
        status = "accepted" if outcome.accepted else "rejected"
        write(jsonl.ack_line(given, status, outcome.rejection, None))

    async def commands() -> None:
        async for raw in jsonl.InputLines(sys.stdin.fileno()):
            if not raw.strip():
                continue
            request = jsonl.parse_request(raw)
            if isinstance(request, str):
                write(jsonl.ack_line(jsonl.rejected_id(raw), "rejected", request, None))
                continue
            try:
                command = cmd.decode_command(request.type, request.fields, cmd.Actor.controller())
            except cmd.CommandFormatError as exc:
                write(jsonl.ack_line(request.given, "rejected", str(exc), None))
                continue
            task = asyncio.create_task(decide(request.given, command))
            deciding.add(task)
            task.add_done_callback(deciding.discard)
            await asyncio.shield(task)  # stopping the reading never drops a decision's ack

    following = asyncio.create_task(follow())
    reading = asyncio.create_task(commands())
    try:
        await serving
    finally:
        reading.cancel()
        await following
        await asyncio.gather(*deciding)
    return EXIT_OK


def _show_codes(service: Any, options: Any) -> None:
    codes = service.codes
    if codes is None:
        db = shlex.quote(options.db)
        print(
            "join codes: not known to this controller (stored only as salted hashes; the "
            "--codes file of the run that issued them holds them). New ones, the old ones "
            f"then stop working: exercise codes --db {db} --rotate --codes FILE",
            file=sys.stderr,
        )
        return
    where = f" (also in {options.codes_file})" if options.codes_file else ""
    print(f"join codes{where}:", file=sys.stderr)
    for audience, code in codes.items():
        print(f"  {audience:14} {code}   {service.join_command(audience)}", file=sys.stderr)


# -- join and evaluate --------------------------------------------------------------------------


def cmd_join(args: argparse.Namespace) -> int:
    if not args.jsonl:
        from exercise_engine.tui.command import run_seat_console

        return run_seat_console(args)
    import asyncio

    return asyncio.run(_client("join", args))


def cmd_evaluate(args: argparse.Namespace) -> int:
    if not args.jsonl:
        from exercise_engine.tui.command import run_evaluator_console

        return run_evaluator_console(args)
    import asyncio

    return asyncio.run(_client("evaluate", args))


async def _client(command: str, args: argparse.Namespace) -> int:
    import asyncio
    import signal

    from exercise_engine.live import jsonl
    from exercise_engine.live.client import EvaluatorClient, JoinError, SeatClient

    def report(text: str) -> None:
        print(f"exercise {command}: {text}", file=sys.stderr)

    client: SeatClient | EvaluatorClient
    try:
        if command == "join":
            client = await SeatClient.join(
                args.db,
                role=args.role,
                code=args.code,
                name=args.name,
                session=args.session,
                from_seq=args.from_seq,
                report=report,
            )
        else:
            client = await EvaluatorClient.join(
                args.db,
                code=args.code,
                name=args.name or "evaluator",
                session=args.session,
                from_seq=args.from_seq,
                report=report,
            )
    except JoinError as exc:
        return refuse(command, str(exc))
    write = jsonl.stdout_writer()
    identity = client.identity
    joined: dict[str, Any] = {
        "session": identity.session,
        "seat": identity.seat,
        "role": identity.role,
        "name": identity.name,
    }
    if isinstance(client, SeatClient):
        joined["brief"] = client.brief
    write(jsonl.status_line("joined", **joined))
    lines = jsonl.InputLines(sys.stdin.fileno())
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):  # as if the input had ended: acks, then out
        loop.add_signal_handler(signum, lines.close)
    return await jsonl.run_client(client, lines, write)


# -- codes --------------------------------------------------------------------------------------


def cmd_codes(args: argparse.Namespace) -> int:
    from exercise_engine.live import codes as join_codes
    from exercise_engine.store import StoreError
    from exercise_engine.store import live as db
    from exercise_engine.store.connection import connect
    from exercise_engine.store.eventstore import now_iso

    if not Path(args.db).is_file():
        return refuse("codes", f"no exercise database at {args.db}", EXIT_INVALID)
    if args.codes and not Path(args.codes).resolve().parent.is_dir():
        return refuse("codes", f"folder {Path(args.codes).parent} does not exist")
    try:
        conn = connect(args.db, "client", "FULL")
    except Exception as exc:  # sqlite3.Error, OSError: said plainly
        return refuse("codes", str(exc), EXIT_INVALID)
    try:
        found = db.live_session(conn, args.session)
        if found is None:
            return refuse("codes", "no live exercise session in this database", EXIT_INVALID)
        audiences = join_codes.audiences(conn, found.id)
        if not args.rotate:
            print(
                f"session {found.id} ({found.title}): codes for {', '.join(audiences)}; they "
                "are stored only as salted hashes. --rotate issues new ones."
            )
            return EXIT_OK
        roles = [a for a in audiences if a != join_codes.EVALUATOR]
        codes = join_codes.issue(conn, found.id, roles, now_iso())
    except StoreError as exc:
        return refuse("codes", str(exc), EXIT_INVALID)
    finally:
        conn.close()
    if args.codes:
        join_codes.write_file(Path(args.codes), codes)
        print(
            f"wrote new join codes to {args.codes} (the old ones no longer work)", file=sys.stderr
        )
    else:
        print(json.dumps(codes, indent=2))
    return EXIT_OK
