"""``exercise report``: the after-action review of a recorded session, in one of five formats.

The only module of scoring/ and report/ that does I/O: it opens the store read-only
(``mode=ro``: no migration, no WAL switch, nothing written), loads an alternative rubric when
asked, and writes the rendered report to a file or standard output. Exit codes: 0 written,
1 invalid input (no database, no such session, a damaged session, a rubric with errors), 2 usage.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from exercise_engine.model.diagnostics import ContentError, Diagnostic, Position
from exercise_engine.neutralise import terminal_line, terminal_text

if TYPE_CHECKING:
    from exercise_engine.model.bundle import Bundle
    from exercise_engine.model.rubric import Rubric
    from exercise_engine.report.model import AAR

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
FORMATS = ("csv", "html", "json", "md", "hotwash")


def renderer(name: str) -> Callable[[AAR], str]:
    """The renderer of one format, imported on use: the CLI starts fast for other commands,
    and a report imports only the renderer it writes with."""
    module = importlib.import_module(f"exercise_engine.report.render_{name}")
    return module.render


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``report`` on the ``exercise`` command line."""
    p = subparsers.add_parser(
        "report",
        help="write the after-action review (AAR) of a session",
        description="Score a recorded session against its rubric and write the HSEEP-style "
        "after-action review: Markdown, one self-contained HTML file, JSON (see "
        "docs/aar-schema.json), CSV (one row per decision), or the one-page hot-wash sheet "
        "(printable HTML). The database is not changed.",
    )
    p.add_argument("--db", required=True, metavar="PATH", help="the exercise database file")
    p.add_argument("--session", metavar="ID", help="the session to report (default: the latest)")
    p.add_argument("--format", choices=FORMATS, default="md", help="default: md")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    p.add_argument(
        "--rubric",
        metavar="PATH",
        help="re-score with this rubric file instead of the one the session recorded",
    )
    p.add_argument(
        "--audience",
        choices=("trainee", "staff"),
        default="trainee",
        help="trainee (default): for the training audience; staff: with the controller notes "
        "and the MSEL appendix, for controllers and evaluators",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the report; never raises for bad input, returns the exit code."""
    with _collector_held():
        return _report(args)


@contextmanager
def _collector_held() -> Iterator[None]:
    """Python's cyclic collector held while the command runs, and only there.

    A 100,000-event report allocates millions of small objects and no reference cycles; the
    collector's passes over them would cost a third of the command's time. Reference counting
    still frees everything as usual. This is the report command's own process: score() and
    build_aar() never touch the collector, since a console calling them must keep it.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _report(args: argparse.Namespace) -> int:
    from exercise_engine.atomic_write import WriteError, write_text_atomic
    from exercise_engine.report.build import Seat, build_aar
    from exercise_engine.report.model import SessionInfo
    from exercise_engine.store import Store, StoreError

    output = Path(args.output) if args.output else None
    if output is not None and not output.parent.exists():
        return _fail(f"no such folder for the output: {output.parent}", EXIT_USAGE)
    if args.rubric and not Path(args.rubric).exists():
        return _fail(f"no such rubric file: {args.rubric}", EXIT_USAGE)
    try:
        with Store.reader(args.db) as store:
            record = store.session(args.session)
            bundle, log = store.read_session(record.id)
            seats = [
                Seat(s["id"], s["role"], s["name"] or "", s["kind"]) for s in store.seats(record.id)
            ]
    except StoreError as exc:
        return _fail(str(exc), EXIT_INVALID)
    note = ""
    if args.rubric:
        try:
            rubric = load_rubric(args.rubric, bundle.roles)
        except ContentError as exc:
            for diagnostic in exc.diagnostics:
                print(diagnostic.render(), file=sys.stderr)
            return EXIT_INVALID
        named, missing = rescore_fit(bundle, rubric)
        if named and len(missing) == len(named):
            return _fail(
                f"rubric '{rubric.id}' ({args.rubric}) rates none of the "
                f"{len(named)} criteria scenario '{bundle.scenario.id}' scores and expects "
                f"({_some(named)}), so nothing could be scored from the recorded decisions; "
                f"re-score with a revision of rubric '{bundle.rubric.id}' that keeps its "
                "criterion ids",
                EXIT_INVALID,
            )
        note = rescore_note(bundle, rubric, args.rubric)
        if missing:
            lacking = (
                f"rubric '{rubric.id}' lacks {len(missing)} of the {len(named)} criteria "
                f"the scenario scores and expects ({_some(missing)}); what was scored on "
                "them is left out"
            )
            print(f"exercise report: warning: {terminal_line(lacking)}", file=sys.stderr)
            note += f" {lacking[0].upper()}{lacking[1:]}."
        bundle = bundle.with_rubric(rubric)
    info = SessionInfo(
        record.id,
        record.label,
        record.seed,
        record.policy,
        record.status,
        record.created_at,
        record.updated_at,
    )
    aar = build_aar(
        bundle, log, session=info, seats=seats, rubric_note=note, audience=args.audience
    )
    # Control characters from content or players never reach a terminal (or a file that will
    # be shown in one): escape sequences, bidirectional overrides, stray carriage returns.
    text = terminal_text(renderer(args.format)(aar))
    if output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        size = write_text_atomic(output, text)
    except WriteError as exc:
        return _fail(str(exc), EXIT_INVALID)
    print(
        f"wrote {terminal_line(str(output))} ({args.format}, {size // 1024} KB, "
        f"session {record.id})",
        file=sys.stderr,
    )
    return EXIT_OK


def load_rubric(path: str, roles: Collection[str] = ()) -> Rubric:
    """The one rubric in ``path``, validated like any content (errors carry file:line). The
    roles its criteria name are checked against ``roles``, those of the recorded session,
    rather than a content path the report does not read."""
    from exercise_engine.model.loader import load_catalog

    catalog = load_catalog([path], include_content_path=False)
    known = tuple(f"unknown role '{role}'" for role in roles)
    errors = [d for d in catalog.diagnostics.errors if not d.message.startswith(known or ("\0",))]
    if errors:
        raise ContentError(errors)
    rubrics = list(catalog.rubrics.values())
    if len(rubrics) != 1:
        found = "no rubric" if not rubrics else f"{len(rubrics)} rubrics"
        raise ContentError(
            [
                Diagnostic(
                    Position(path),
                    f"expected one rubric (format: exercise-rubric/1), found {found}",
                )
            ]
        )
    return rubrics[0].model


def rescore_fit(bundle: Bundle, rubric: Rubric) -> tuple[list[str], list[str]]:
    """The criteria the session's scenario scores and expects, and those ``rubric`` lacks: a
    rubric for re-scoring is a revision of the recorded one, keeping its criterion ids."""
    scenario = bundle.scenario
    named: dict[str, None] = {}
    for inject in scenario.injects:
        named.update(dict.fromkeys(inject.expect))
        for option in inject.respond.options if inject.respond else []:
            named.update(dict.fromkeys(option.scores))
    for objective in scenario.objectives:
        named.update(dict.fromkeys(objective.criteria))
    return list(named), [c for c in named if c not in rubric.criteria]


def _some(ids: list[str], shown: int = 4) -> str:
    more = len(ids) - shown
    return ", ".join(ids[:shown]) + (f" and {more} more" if more > 0 else "")


def rescore_note(bundle: Bundle, rubric: Rubric, path: str) -> str:
    return (
        f"Re-scored with rubric '{rubric.id}' from {path}; the session recorded rubric "
        f"'{bundle.rubric.id}' and is unchanged."
    )


def _fail(message: str, code: int) -> int:
    print(f"exercise report: error: {terminal_line(message)}", file=sys.stderr)
    return code
