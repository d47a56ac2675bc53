"""``exercise msel import|export`` and ``exercise observations import``: thin shells.

The work is done by ``convert`` (import), ``export`` and ``observations``; this module only
reads the command line, writes files and prints what was found. Exit codes: 0 done (warnings
allowed), 1 a sheet or scenario that cannot be converted (every problem named by file, row and
column), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from exercise_engine.msel.problems import Problem

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``msel`` and ``observations`` on the ``exercise`` command line."""
    msel = subparsers.add_parser(
        "msel",
        help="import or export a Master Scenario Events List (csv or xlsx)",
        description="Convert a planner's MSEL spreadsheet to a scenario, and back. "
        "See docs/msel.md.",
    )
    verbs = msel.add_subparsers(dest="msel_command", metavar="ACTION", required=True)
    p = verbs.add_parser(
        "import",
        help="write a scenario (or inject library) from an MSEL sheet",
        description="Read an MSEL (.csv or .xlsx) and write a scenario that 'exercise validate' "
        "accepts; what the designer must still add is listed as warnings.",
    )
    p.add_argument("sheet_file", metavar="FILE", help="the MSEL: .csv or .xlsx")
    p.add_argument("-o", "--output", required=True, metavar="YAML", help="file to write")
    p.add_argument("--library", action="store_true", help="write an inject library instead")
    p.add_argument(
        "--into",
        metavar="SCENARIO.yaml",
        help="replace this scenario's injects with the sheet's, keep the rest of it",
    )
    p.add_argument("--sheet", metavar="NAME", help="the sheet to read (xlsx; default: the first)")
    p.add_argument(
        "--columns",
        metavar="COL=field,...",
        help="what columns hold, by letter or header (like B=channel,C=time,D=to,E=subject); "
        "needed for sheets without a header row",
    )
    p.add_argument(
        "--start",
        metavar="DATETIME",
        help='D-day (2024-06-26), optionally with H-hour ("2024-06-26 09:00")',
    )
    p.add_argument(
        "--phase-at",
        metavar="PHASE=TIME,...",
        help="split injects into phases by time (like react=T+30m,rebuild=T+90m)",
    )
    p.add_argument(
        "--phase-column",
        metavar="COLUMN",
        help="the column that holds phases or moves, by letter or header; 'none' to ignore "
        "one (every inject in the first phase, or --phase-at)",
    )
    p.add_argument("--roles", metavar="NAME=role,...", help="map the sheet's recipients to roles")
    p.add_argument("--rubric", metavar="ID", help="the rubric (default: poc-doctrine)")
    p.add_argument("--id", help="the scenario or library id (default: from the file name)")
    p.add_argument("--title", help="the scenario or library title")
    p.add_argument(
        "--day-first",
        dest="day_first",
        action="store_const",
        const=True,
        help="read 7/5/2022 as 7 May (default: decided from the sheet's dates, else US order)",
    )
    p.add_argument("--force", action="store_true", help="overwrite the output file")
    _content_option(p)
    p.set_defaults(handler=run_import)

    p = verbs.add_parser(
        "export",
        help="write a scenario's injects as an MSEL spreadsheet",
        description="Write a scenario's injects as an HSEEP-style MSEL (.csv or .xlsx) that a "
        "planner can read and 'exercise msel import' reads back.",
    )
    p.add_argument("scenario", metavar="SCENARIO", help="scenario id or file")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help=".csv or .xlsx")
    p.add_argument("--force", action="store_true", help="overwrite the output file")
    _content_option(p)
    p.set_defaults(handler=run_export)
    add_observations_parser(subparsers)


def add_observations_parser(subparsers: argparse._SubParsersAction) -> None:
    observations = subparsers.add_parser(
        "observations",
        help="record an evaluator's paper or spreadsheet EEG in a session",
        description="Evaluators' observations from an Exercise Evaluation Guide. See docs/msel.md.",
    )
    verbs = observations.add_subparsers(dest="observations_command", metavar="ACTION",
                                        required=True)  # fmt: skip
    p = verbs.add_parser(
        "import",
        help="record the rows of an EEG sheet as observations of a session",
        description="Read an EEG (.csv or .xlsx: criterion, role, rating, note, time or inject) "
        "and record every row as an observation of the session, through the engine's own "
        "checks: all rows or none.",
    )
    p.add_argument("sheet_file", metavar="FILE", help="the EEG: .csv or .xlsx")
    p.add_argument("--db", required=True, metavar="PATH", help="the exercise database")
    p.add_argument("--evaluator", required=True, metavar="NAME", help="who observed")
    p.add_argument("--session", metavar="ID", help="the session (default: the latest)")
    p.add_argument("--sheet", metavar="NAME", help="the sheet to read (xlsx)")
    p.add_argument("--columns", metavar="COL=field,...", help="like A=criterion,B=role,C=rating")
    p.set_defaults(handler=run_observations)


def run_observations(args: argparse.Namespace) -> int:
    from exercise_engine.msel.observations import import_observations
    from exercise_engine.msel.problems import SheetErrors

    if not args.evaluator.strip():
        return _usage("--evaluator needs a name")
    try:
        recorded = import_observations(
            args.sheet_file, args.db, args.evaluator.strip(), args.session, args.sheet,
            args.columns,
        )  # fmt: skip
    except SheetErrors as exc:
        return _refused(exc.problems, "nothing recorded")
    first, last = recorded.seq
    print(f"recorded {recorded.observations} observations by {args.evaluator.strip()} in session "
          f"{recorded.session} (events {first}-{last})")  # fmt: skip
    return EXIT_OK


def _content_option(parser: argparse.ArgumentParser) -> None:
    from exercise_engine.cli import _content_option as content_option  # loaded by now

    content_option(parser)


def _check_output(output: Path, suffixes: tuple[str, ...], force: bool) -> str | None:
    """Why ``output`` cannot be written, or None."""
    if output.suffix.lower() not in suffixes:
        return f"the output must be a {' or '.join(suffixes)} file, not '{output.name}'"
    if not output.resolve().parent.is_dir():
        return f"no such folder: {output.parent}"
    if output.exists() and not force:
        return f"{output} exists; give --force to overwrite it"
    return None


def run_export(args: argparse.Namespace) -> int:
    from exercise_engine.atomic_write import write_text_atomic
    from exercise_engine.model.loader import load_bundle
    from exercise_engine.msel.export import csv_text, msel_rows, write_xlsx

    output = Path(args.output)
    problem = _check_output(output, (".csv", ".xlsx"), args.force)
    if problem:
        return _usage(problem)
    scenario = load_bundle(args.scenario, args.content).scenario
    rows = msel_rows(scenario)
    if output.suffix.lower() == ".csv":
        write_text_atomic(output, csv_text(rows))
    else:
        write_xlsx(rows, output, scenario.title)
    options = len(rows) - 1 - len(scenario.injects)
    print(f"wrote {output}: {len(scenario.injects)} injects and {options} options of {scenario.id}")
    return EXIT_OK


def _refused(problems: list[Problem], outcome: str) -> int:
    """Every bad row, then what became of the command (nothing is ever half-done)."""
    for problem in problems:
        print(problem.render(), file=sys.stderr)
    print(f"{outcome}: {len(problems)} error(s)", file=sys.stderr)
    return EXIT_INVALID


def _usage(message: str) -> int:
    print(f"exercise msel: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def run_import(args: argparse.Namespace) -> int:
    from exercise_engine.atomic_write import write_text_atomic
    from exercise_engine.model.validate import validate_content
    from exercise_engine.msel.convert import ImportOptions, import_msel
    from exercise_engine.msel.problems import SheetErrors
    from exercise_engine.neutralise import terminal_line

    output = Path(args.output)
    problem = _check_output(output, (".yaml", ".yml"), args.force)
    if problem:
        return _usage(problem)
    options = ImportOptions(
        sheet=args.sheet,
        columns=args.columns,
        start=args.start,
        phase_at=args.phase_at,
        phase_column=args.phase_column,
        roles=args.roles,
        rubric=args.rubric,
        day_first=args.day_first,
        library=args.library,
        id=args.id,
        title=args.title,
        into=args.into,
        content=args.content,
    )
    try:
        result = import_msel(args.sheet_file, options)
    except SheetErrors as exc:
        return _refused(exc.problems, "nothing written")
    for warning in result.problems:
        print(warning.render(), file=sys.stderr)
    write_text_atomic(output, result.text)
    mapping = ", ".join(f"{name} -> {role}" for name, role in sorted(result.role_mapping.items()))
    what = "inject library" if args.library else "scenario"
    print(f"wrote {output}: {what} of {result.injects} injects")
    if mapping:
        print(terminal_line(f"  recipients: {mapping}"))
    report = validate_content([output], args.content)
    for diagnostic in report.errors:
        print(diagnostic.render(), file=sys.stderr)
    print(
        f"  exercise validate: {len(report.errors)} errors, {len(report.warnings)} warnings "
        f"(what the design still needs: exercise validate {output})"
    )
    return EXIT_OK if report.ok() else EXIT_INVALID
