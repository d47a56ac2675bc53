"""The designer's commands on the ``exercise`` command line: ``new``."""

from __future__ import annotations

import argparse

EXIT_OK = 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the workbench's commands on the ``exercise`` command line."""
    from exercise_engine.model.starter import DEFAULT_RUBRIC, KINDS

    p = sub.add_parser(
        "new",
        help="write a commented starter scenario, role, rubric or inject library",
        description="Write a valid, commented starter of a content file. Without -o it goes in "
        "the kind's folder (scenarios/, roles/, scoring/, injects/) of the first --content "
        "folder, or of the working directory.",
    )
    p.add_argument("what", choices=list(KINDS), help="the kind of content file")
    p.add_argument("id", help="its id (a scenario or library id is a slug: lowercase, digits, '-')")
    p.add_argument("-o", "--output", metavar="FILE", help="the file to write")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.add_argument(
        "--rubric",
        default=DEFAULT_RUBRIC,
        metavar="ID",
        help=f"scenario: the rubric its options score (default: {DEFAULT_RUBRIC})",
    )
    p.add_argument(
        "--content",
        action="append",
        default=[],
        metavar="DIR",
        help="a content folder of your own: the starter is written into it, and its roles and "
        "rubrics are read (repeatable; also EXERCISE_CONTENT_PATH)",
    )
    p.set_defaults(handler=cmd_new)


def cmd_new(args: argparse.Namespace) -> int:
    from exercise_engine.cli import UsageError
    from exercise_engine.model.starter import StarterError, write_starter

    try:
        path = write_starter(
            args.id,
            args.output,
            content=args.content,
            force=args.force,
            kind=args.what,
            rubric=args.rubric,
        )
    except StarterError as exc:
        raise UsageError(str(exc)) from None
    check = f"exercise validate --strict {path}"
    if args.content:
        check += "".join(f" --content {c}" for c in args.content)
    print(f"wrote {path}; check it with: {check}")
    return EXIT_OK
