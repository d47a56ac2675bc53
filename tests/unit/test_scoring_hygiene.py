"""Scoring and report building stay pure: functions of the log and the rubric, no I/O layers.

Only report/command.py opens the store and writes files; everything else in scoring/ and
report/ builds models and strings, so a live console can score in-process and tests need no
database.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "exercise_engine"
FORBIDDEN = (
    "exercise_engine.store",
    "exercise_engine.tui",
    "exercise_engine.session",
    "sqlite3",
    "sqlite_utils",
    "textual",
)
IO_MODULE = PACKAGE / "report" / "command.py"


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_scoring_and_report_import_no_io_layer_except_the_command() -> None:
    offences = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for package in ("scoring", "report")
        for path in sorted((PACKAGE / package).rglob("*.py"))
        if path != IO_MODULE
        for name in imports(path)
        if name.startswith(FORBIDDEN)
    ]
    assert not offences, offences


def test_scoring_does_not_depend_on_the_report() -> None:
    offences = [
        str(path)
        for path in (PACKAGE / "scoring").rglob("*.py")
        if any(n.startswith("exercise_engine.report") for n in imports(path))
    ]
    assert not offences


def test_the_check_sees_the_command_reading_the_store() -> None:
    assert "exercise_engine.store" in imports(IO_MODULE)
