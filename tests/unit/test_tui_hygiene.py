"""The consoles stay thin: tui/ speaks no SQL and opens no store itself, and nothing but the
command line imports tui/ (so the engine, the live layer and reports run without Textual)."""

from __future__ import annotations

from pathlib import Path

from test_import_hygiene import PACKAGE, imported_modules

NO_SQL = ("sqlite3", "sqlite_utils", "exercise_engine.store")


def test_the_consoles_import_no_sql_and_no_store() -> None:
    offences = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted((PACKAGE / "tui").rglob("*.py"))
        for name in imported_modules(path)
        if name.startswith(NO_SQL)
    ]
    assert not offences, offences


def test_only_the_command_line_imports_the_consoles() -> None:
    allowed = {PACKAGE / "cli.py", PACKAGE / "live" / "cli.py"}
    offences = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path not in allowed and (PACKAGE / "tui") not in path.parents
        for name in imported_modules(path)
        if name.startswith("exercise_engine.tui")
    ]
    assert not offences, offences


def test_the_checks_see_what_they_look_for() -> None:
    assert "exercise_engine.tui" in imported_modules(PACKAGE / "cli.py")
    assert "exercise_engine.live.service" in imported_modules(PACKAGE / "tui" / "sources.py")
    assert "exercise_engine.tui.command" in imported_modules(PACKAGE / "live" / "cli.py")
    assert Path(PACKAGE / "tui").is_dir()
