"""What ``exercise validate`` reports: the diagnostics of the files a designer asked about."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from exercise_engine.model.catalog import Catalog
from exercise_engine.model.content_path import content_files, display_path
from exercise_engine.model.diagnostics import Diagnostic
from exercise_engine.model.loader import load_catalog


@dataclass
class ValidationReport:
    catalog: Catalog
    diagnostics: list[Diagnostic]
    files: list[str]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)

    def playable(self) -> list[str]:
        """The ids of the checked scenarios that can be played: no error in any file they use
        (what ``--strict`` then plays with the guessing bots)."""
        broken = {d.position.path for d in self.diagnostics if d.is_error}
        return sorted(
            entry.id
            for entry in self.catalog.scenarios.values()
            if entry.document.path in self.files and not broken & self.catalog.paths_of(entry)
        )


def validate_content(
    paths: Sequence[str | Path] = (), content: Sequence[str | Path] = ()
) -> ValidationReport:
    """Check the named files (or, with none, the whole content path) in full context."""
    catalog = load_catalog(paths, content)
    if not paths:
        return ValidationReport(catalog, _sorted(catalog.diagnostics.items), catalog.files)
    named: set[str] = set()
    for path in paths:
        path = Path(path)
        named.update(display_path(p) for p in (content_files(path) if path.is_dir() else [path]))
    subjects = set(named)
    for entry in catalog.scenarios.values():
        if entry.document.path in named:
            subjects |= catalog.paths_of(entry)
    chosen = [d for d in catalog.diagnostics.items if d.position.path in subjects]
    return ValidationReport(catalog, _sorted(chosen), sorted(subjects))


def _sorted(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(
        diagnostics,
        key=lambda d: (d.position.path, d.position.line, d.position.column, not d.is_error),
    )
