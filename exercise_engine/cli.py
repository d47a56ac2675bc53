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

from exercise_engine import __version__
from exercise_engine.model.diagnostics import ContentError

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


def cmd_new(args: argparse.Namespace) -> int:
    from exercise_engine.model.starter import StarterError, write_starter

    try:
        path = write_starter(args.id, args.output, content=args.content, force=args.force)
    except StarterError as exc:
        raise UsageError(str(exc)) from None
    print(f"wrote {path}; check it with: exercise validate --strict {path}")
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
        print(f"{s.id:32} {len(s.injects):3} injects  {s.clock.mode:8} {s.title}")
        print(f"{'':32} {entry.document.path}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="exercise",
        description="Run, validate and review R2P / Protection of Civilians exercises.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

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

    p = sub.add_parser(
        "new",
        help="write a commented starter scenario",
        description="Write a valid, commented starter scenario.",
    )
    p.add_argument("what", choices=["scenario"])
    p.add_argument("id", help="the new scenario's id (a slug: lowercase, digits, '-')")
    p.add_argument("-o", "--output", help="file to write (default: scenarios/ID.yaml)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    _content_option(p)
    p.set_defaults(handler=cmd_new)

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
        print(f"exercise {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ContentError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.render(), file=sys.stderr)
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
            f"exercise {args.command}: internal error: {type(exc).__name__}: {exc}\n"
            "(set EXERCISE_DEBUG=1 to see the traceback, and please report it)",
            file=sys.stderr,
        )
        return 3
