"""The ``exercise`` command: a thin shell over the model, engine, store and report packages.

Exit codes: 0 success, 1 invalid content or a failed check, 2 usage error. Errors are printed
for people (``path:line:col: error: ...``); a traceback is never shown unless
``EXERCISE_DEBUG=1`` asks for one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from exercise_engine import __version__
from exercise_engine.arguments import seed_argument
from exercise_engine.errors import UserError
from exercise_engine.live import cli as live_command
from exercise_engine.model.diagnostics import ContentError
from exercise_engine.msel import command as msel_command
from exercise_engine.neutralise import terminal_line
from exercise_engine.report import command as report_command
from exercise_engine.tui import command as console_command
from exercise_engine.workbench import commands as workbench_commands

if TYPE_CHECKING:
    from exercise_engine.session.controller import ExerciseController
    from exercise_engine.store import Store

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

Handler = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    """A command line that cannot be carried out as given (exit code 2)."""


def _content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        action="append",
        default=[],
        metavar="DIR",
        help="an extra content folder, searched before the shipped content "
        "(repeatable; also EXERCISE_CONTENT_PATH)",
    )


def cmd_validate(args: argparse.Namespace) -> int:
    from exercise_engine.model.validate import validate_content

    for path in args.paths:
        if not Path(path).exists():
            raise UsageError(f"no such file or folder: {path}")
    report = validate_content(args.paths, args.content)
    if args.strict:
        from exercise_engine.session.guessing import guess_diagnostics

        report.diagnostics += guess_diagnostics(report.catalog, report.playable())
    for diagnostic in report.diagnostics:
        if args.quiet and not (diagnostic.is_error or args.strict):
            continue
        print(diagnostic.render(strict=args.strict))
    errors, warnings = len(report.errors), len(report.warnings)
    if args.strict:
        errors, warnings = errors + warnings, 0
    summary = (
        f"checked {len(report.files)} file{'s' * (len(report.files) != 1)}: "
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    )
    print(summary, file=sys.stderr if report.diagnostics else sys.stdout)
    return EXIT_OK if report.ok(args.strict) else EXIT_INVALID


def cmd_schema(args: argparse.Namespace) -> int:
    from exercise_engine.model.schema import json_schema

    print(json.dumps(json_schema(args.kind), indent=2))
    return EXIT_OK


def cmd_scenarios(args: argparse.Namespace) -> int:
    from exercise_engine.model.loader import load_catalog

    catalog = load_catalog(content=args.content)
    entries = sorted(catalog.scenarios.values(), key=lambda e: e.id)
    for entry in entries:
        if args.ids:
            print(entry.id)
            continue
        s = entry.model
        title, path = terminal_line(s.title), terminal_line(entry.document.path)
        print(f"{s.id:32} {len(s.injects):3} injects  {s.clock.mode:8} {title}")
        print(f"{'':32} {path}")
    return EXIT_OK


def cmd_simulate(args: argparse.Namespace) -> int:
    from exercise_engine.engine.bots import POLICIES
    from exercise_engine.model.loader import load_bundle
    from exercise_engine.session import simulate as sim

    if args.policy not in POLICIES:
        raise UsageError(f"unknown policy '{args.policy}'; policies: {', '.join(POLICIES)}")
    store = _open_store(args.db, create=True, synchronous="NORMAL")
    if args.resume:
        controller, policy = sim.resume(store, args.session, args.scenario)
    else:
        controller = sim.start(
            store, load_bundle(args.scenario, args.content), args.seed, args.policy
        )
        policy = args.policy
    progress = _ProgressBar(controller) if sys.stderr.isatty() and not args.json else None
    result = sim.play_to_debrief(controller, policy, progress)
    if progress is not None:
        progress.close()
    result["db"] = args.db
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        _print_simulation(result)
    if args.verbose:
        from exercise_engine.workbench.run import lines, timeline

        log = store.events(controller.session_id)
        played = timeline(controller.bundle, log, policy, controller.state.seed)
        out = sys.stderr if args.json else sys.stdout
        print("what happened, by what:", file=out)
        for line in lines(played):
            print(terminal_line(line), file=out)
    return EXIT_OK


def _open_store(path: str, *, create: bool, synchronous: str = "FULL") -> Store:
    from exercise_engine.store import Store

    if create and path != ":memory:" and not Path(path).resolve().parent.exists():
        raise UsageError(f"folder {Path(path).parent} does not exist")
    return Store(path, create=create, synchronous=synchronous)


class _ProgressBar:
    """One status line on the terminal while a simulation runs (stderr, so --json stays clean)."""

    def __init__(self, controller: ExerciseController) -> None:
        self.controller = controller
        self.duration = controller.engine.scenario.clock.duration
        self.last = 0.0

    def __call__(self, t: int, events: int, phase: str) -> None:
        import time

        now = time.monotonic()
        if now - self.last < 0.1:
            return
        self.last = now
        width = 30
        if self.duration:
            done = min(1.0, t / self.duration)
            bar = "#" * int(done * width) + "-" * (width - int(done * width))
            lead = f"[{bar}] {done:4.0%}"
        else:
            lead = f"[{phase:^{width}}]"
        label = self.controller.engine.clock_label(t, self.controller.state)
        sys.stderr.write(f"\r{lead} {phase:8} {label}  {events:,} events")
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\r" + " " * 78 + "\r")
        sys.stderr.flush()


def _print_simulation(result: dict) -> None:
    print(
        f"simulated {result['scenario']} with policy '{result['policy']}', seed "
        f"{result['seed']}: session {result['session']} in {result['db']}"
    )
    print(
        f"  phases reached   {' -> '.join(result['phases_reached'])} "
        f"(ended: {result['ended']}, at {result['scenario_time']})"
    )
    print(
        f"  injects          {result['injects_delivered']} delivered, "
        f"{result['responses']} responses ({result['late_responses']} late), "
        f"{result['messages']} messages, {result['information_shared']} shares"
    )
    variables = ", ".join(f"{k} {v:g}" for k, v in result["final_variables"].items())
    print(f"  final situation  {variables}")
    print(f"  score            {result['score']:.1f} / 100")
    print(f"  events           {result['events']:,}")
    print(f"next: exercise report --db {result['db']} --format md")


def cmd_doctrine(args: argparse.Namespace) -> int:
    from exercise_engine.model.coverage import doctrine_coverage
    from exercise_engine.model.loader import load_catalog

    coverage = doctrine_coverage(load_catalog(content=args.content), played=args.played)
    vocab = coverage.vocabulary
    for group in vocab.groups:
        uses = coverage.group(group.id)
        shown = [u for u in uses if not (args.missing and u.places)]
        if not shown:
            continue
        used = sum(1 for u in uses if u.places)
        print(f"{group.title} ({used} of {len(uses)} used)")
        for use in shown:
            count = f"{len(use.places)} use{'s' * (len(use.places) != 1)}"
            print(f"  {use.tag.id:44} {count:>8}  {use.tag.title}")
            if args.verbose:
                for place in use.places:
                    print(f"  {'':44}           {place}")
        print()
    total = len(coverage.uses)
    where = "the scenarios put in play" if args.played else "the content"
    print(
        f"{coverage.used} of {total} doctrine items used by {where}; {len(coverage.missing)} unused"
    )
    return EXIT_INVALID if args.missing and coverage.missing else EXIT_OK


class _Parser(argparse.ArgumentParser):
    """argparse quotes what it cannot parse as it was typed ("unrecognized arguments: ..."):
    shown on one line with control characters escaped, so an argument cannot send escape
    sequences to the terminal or forge a line. Every subcommand's parser is of this class."""

    def error(self, message: str) -> NoReturn:
        super().error(terminal_line(message))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="exercise",
        description="Run, validate and review R2P / Protection of Civilians exercises.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub: argparse._SubParsersAction[argparse.ArgumentParser] = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser
    )

    p = sub.add_parser(
        "validate",
        help="check scenarios, libraries, roles and rubrics",
        description="Check content files with their cross-references. "
        "No PATH: everything on the content path.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to check")
    p.add_argument("--strict", action="store_true", help="treat design warnings as errors")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    _content_option(p)
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of a content format",
        description="Print a JSON Schema for editor autocompletion (see docs/editor-setup.md).",
    )
    p.add_argument(
        "kind", nargs="?", default="scenario", choices=["scenario", "injects", "role", "rubric"]
    )
    p.set_defaults(handler=cmd_schema)

    workbench_commands.add_parser(sub)

    p = sub.add_parser(
        "simulate",
        help="play a whole scenario headless with bot players",
        description="Run a session with a bot in every seat, as fast as possible. "
        "The same seed gives the same event log.",
    )
    p.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        help="scenario id or file (default: the shipped default scenario)",
    )
    p.add_argument("--seed", type=seed_argument, default=1, help="random seed (default 1)")
    p.add_argument(
        "--policy",
        default="best",
        help="bot policy: best, worst, random, or first / longest (guessing by position or length)",
    )
    p.add_argument("--db", default="exercise.db", help="SQLite file (default: exercise.db)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also list every inject delivered, decision taken and rule fired, with what "
        "caused it (on stderr with --json)",
    )
    p.add_argument(
        "--resume", action="store_true", help="continue the latest unfinished simulation in --db"
    )
    p.add_argument("--session", help="with --resume: the session to continue")
    _content_option(p)
    p.set_defaults(handler=cmd_simulate)

    p = sub.add_parser(
        "doctrine",
        help="doctrine coverage of the content",
        description="List each doctrine item of the tag vocabulary and where the content uses it.",
    )
    p.add_argument(
        "--missing",
        action="store_true",
        help="only the items no content uses (exit 1 if there are any)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="list every place of use")
    p.add_argument(
        "--played",
        action="store_true",
        help="count only what the scenarios put in play (not unused library injects)",
    )
    _content_option(p)
    p.set_defaults(handler=cmd_doctrine)

    report_command.add_parser(sub)
    live_command.add_parser(sub)
    msel_command.add_parser(sub)
    console_command.add_parser(sub)

    p = sub.add_parser("scenarios", help="list the scenarios on the content path")
    p.add_argument("--ids", action="store_true", help="one scenario id per line")
    _content_option(p)
    p.set_defaults(handler=cmd_scenarios)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return handler(args)
    except UsageError as exc:
        print(f"exercise {args.command}: error: {terminal_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except ContentError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.render(), file=sys.stderr)
        return EXIT_INVALID
    except UserError as exc:
        print(f"exercise {args.command}: error: {terminal_line(str(exc))}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: say so plainly, keep the traceback for those who ask
        if os.environ.get("EXERCISE_DEBUG"):
            raise
        print(
            f"exercise {args.command}: internal error: {type(exc).__name__}: "
            f"{terminal_line(str(exc))}\n"
            "(set EXERCISE_DEBUG=1 to see the traceback, and please report it)",
            file=sys.stderr,
        )
        return 3
