"""The pure core stays pure: engine/ and model/ import neither store/ nor tui/ (nor sqlite)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "exercise_engine"
FORBIDDEN = {
    "engine": (
        "exercise_engine.store",
        "exercise_engine.tui",
        "exercise_engine.session",
        "exercise_engine.report",
        "sqlite3",
        "sqlite_utils",
        "textual",
    ),
    "model": (
        "exercise_engine.store",
        "exercise_engine.tui",
        "exercise_engine.engine",
        "exercise_engine.session",
        "sqlite3",
        "sqlite_utils",
        "textual",
    ),
}


def imported_modules(path: Path) -> set[str]:
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
            for name in imported_modules(path):
                if name.startswith(forbidden):
                    offences.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not offences, offences


def test_the_check_sees_imports() -> None:
    """Guard against a check that cannot fail: it must find the store's own sqlite import."""
    assert "sqlite3" in imported_modules(PACKAGE / "store" / "eventstore.py")
