"""The designer's commands on the ``exercise`` command line: ``new``, ``preview``, ``print``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from exercise_engine.arguments import seed_argument

if TYPE_CHECKING:
    from exercise_engine.model.catalog import Catalog

EXIT_OK = 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the workbench's commands on the ``exercise`` command line."""
    from exercise_engine.model.content_path import DEFAULT_RUBRIC, STARTER_KINDS

    p = sub.add_parser(
        "new",
        help="write a commented starter scenario, role, rubric or inject library",
        description="Write a valid, commented starter of a content file. Without -o it goes in "
        "the kind's folder (scenarios/, roles/, scoring/, injects/) of the first --content "
        "folder, or of the working directory.",
    )
    p.add_argument("what", choices=list(STARTER_KINDS), help="the kind of content file")
    p.add_argument("id", help="its id (a scenario or library id is a slug: lowercase, digits, '-')")
    p.add_argument("-o", "--output", metavar="FILE", help="the file to write")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.add_argument(
        "--rubric",
        default=DEFAULT_RUBRIC,
        metavar="ID",
        help=f"scenario: the rubric its options score (default: {DEFAULT_RUBRIC})",
    )
    _content(
        p,
        "a content folder of your own: the starter is written into it, and its roles and "
        "rubrics are read (repeatable; also EXERCISE_CONTENT_PATH)",
    )
    p.set_defaults(handler=cmd_new)

    p = sub.add_parser(
        "preview",
        help="see a scenario before playing it: timeline, branch graph, reachability",
        description="Play the scenario headless with bots (as simulate does, nothing written "
        "to disk) and show its timeline per phase with what made each inject fire, the branch "
        "graph (Mermaid in md, SVG in html), whether every inject can be reached and by which "
        "path, the criteria evaluators watch, and the design warnings.",
    )
    _scenario(p)
    p.add_argument("--format", choices=["text", "md", "html"], default="text")
    p.add_argument(
        "--policy",
        default="best",
        help="bot policy of the dry run: best, worst, random, first, longest (default: best)",
    )
    p.add_argument("--seed", type=seed_argument, default=1, help="seed of the dry run (default 1)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    _content(p)
    p.set_defaults(handler=cmd_preview)

    p = sub.add_parser(
        "print",
        help="printable inject cards, MSEL or evaluation guide (HTML for A4/Letter)",
        description="Write a self-contained HTML page that prints cleanly on A4 or Letter: "
        "inject cards for the players (--cards), the MSEL for control staff (--msel), or the "
        "Exercise Evaluation Guide for evaluators (--eeg).",
    )
    _scenario(p)
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--cards",
        dest="document",
        action="store_const",
        const="cards",
        help="one card per inject, two to a page, for the players",
    )
    what.add_argument(
        "--msel",
        dest="document",
        action="store_const",
        const="msel",
        help="the master scenario events list, for control staff",
    )
    what.add_argument(
        "--eeg",
        dest="document",
        action="store_const",
        const="eeg",
        help="the exercise evaluation guide, for evaluators",
    )
    p.add_argument("-o", "--output", metavar="FILE.html", help="write to FILE (default: stdout)")
    _content(p)
    p.set_defaults(handler=cmd_print)


def _scenario(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "scenario",
        nargs="?",
        metavar="SCENARIO",
        help="scenario id or file (default: the shipped default scenario)",
    )


def _content(
    p: argparse.ArgumentParser,
    text: str = "an extra content folder, searched before the shipped content "
    "(repeatable; also EXERCISE_CONTENT_PATH)",
) -> None:
    p.add_argument("--content", action="append", default=[], metavar="DIR", help=text)


def load_scenario_catalog(ref: str | None, content: list[str]) -> tuple[Catalog, str]:
    """The catalog holding scenario ``ref`` (an id, or a file read first) and the ref to ask
    it for; the shipped default scenario without one."""
    from exercise_engine.cli import UsageError
    from exercise_engine.model.content_path import DEFAULT_SCENARIO
    from exercise_engine.model.loader import load_catalog

    ref = ref or DEFAULT_SCENARIO
    is_file = Path(ref).suffix in (".yaml", ".yml")
    if is_file and not Path(ref).exists():
        raise UsageError(f"no such file: {ref}")
    return load_catalog([ref] if is_file else [], content), ref


def write_output(text: str, output: str | None, what: str) -> int:
    """``text`` to stdout (control characters neutralised) or atomically to ``output``."""
    from exercise_engine.atomic_write import write_text_atomic
    from exercise_engine.cli import UsageError
    from exercise_engine.neutralise import terminal_line, terminal_text

    if output is None:
        sys.stdout.write(terminal_text(text))
        return EXIT_OK
    path = Path(output)
    if not path.parent.exists():
        raise UsageError(f"no such folder for the output: {path.parent}")
    size = write_text_atomic(path, text)
    print(f"wrote {terminal_line(str(path))} ({what}, {max(1, size // 1024)} KB)", file=sys.stderr)
    return EXIT_OK


def cmd_preview(args: argparse.Namespace) -> int:
    from exercise_engine.cli import UsageError
    from exercise_engine.engine.bots import POLICIES
    from exercise_engine.workbench.preview import build_preview, render

    if args.policy not in POLICIES:
        raise UsageError(f"unknown policy '{args.policy}'; policies: {', '.join(POLICIES)}")
    catalog, ref = load_scenario_catalog(args.scenario, args.content)
    preview = build_preview(catalog, ref, args.policy, args.seed)
    return write_output(render(preview, args.format), args.output, f"preview, {args.format}")


def cmd_print(args: argparse.Namespace) -> int:
    from exercise_engine.workbench.printing import build_printout, render

    catalog, ref = load_scenario_catalog(args.scenario, args.content)
    printout = build_printout(catalog.bundle(ref))
    return write_output(render(printout, args.document), args.output, f"{args.document}, html")


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
