"""The layers stay apart, proved on the source: the pure core (engine/, model/) and the pure
functions of the log (scoring/, report/) import no I/O layer, no UI and no SQL; only
report/command.py, the report's command-line entry, opens the store."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "exercise_engine"
IO_LAYERS = (
    "exercise_engine.store",
    "exercise_engine.tui",
    "exercise_engine.session",
    "sqlite3",
    "sqlite_utils",
    "textual",
)
FORBIDDEN = {
    "engine": (*IO_LAYERS, "exercise_engine.report", "exercise_engine.scoring"),
    "model": (
        *IO_LAYERS,
        "exercise_engine.engine",
        "exercise_engine.report",
        "exercise_engine.scoring",
    ),
    "scoring": (*IO_LAYERS, "exercise_engine.report"),
    "report": IO_LAYERS,
}
ALLOWED_IO = {PACKAGE / "report" / "command.py"}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_pure_packages_import_no_io_layers() -> None:
    offences = []
    for package, forbidden in FORBIDDEN.items():
        for path in sorted((PACKAGE / package).rglob("*.py")):
            if path in ALLOWED_IO:
                continue
            for name in imported_modules(path):
                if name.startswith(forbidden):
                    offences.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not offences, offences


def test_the_check_sees_imports() -> None:
    """Guard against a check that cannot fail: it must find the store's own sqlite import and
    the report command's lazy store import."""
    assert "sqlite3" in imported_modules(PACKAGE / "store" / "eventstore.py")
    assert "exercise_engine.store" in imported_modules(PACKAGE / "report" / "command.py")
