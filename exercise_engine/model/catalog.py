"""A loaded content set: every scenario, inject library, role and rubric by id, with the
documents they came from and what was found wrong with them.

``loader.py`` builds a catalog; the checks (``references.py``, ``analysis.py``) and the tools
read it. Kept apart from the loader so that the checks the loader runs need not import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exercise_engine.model.bundle import Bundle
from exercise_engine.model.diagnostics import (
    ContentError,
    Diagnostic,
    DiagnosticList,
    Position,
    unknown_id,
)
from exercise_engine.model.scenario import Scenario
from exercise_engine.model.yamlsource import YamlDocument


@dataclass
class Entry:
    """One validated content item and the document it came from (for positions)."""

    kind: str
    id: str
    model: Any
    document: YamlDocument
    root: int = 0
    """Which content root the file came from: ids are unique within a root; an earlier root
    (a designer's folder, or a file named on the command line) shadows a later one."""


@dataclass
class Catalog:
    """Everything on the content path, by kind and id, and what was found wrong with it."""

    scenarios: dict[str, Entry] = field(default_factory=dict)
    libraries: dict[str, Entry] = field(default_factory=dict)
    roles: dict[str, Entry] = field(default_factory=dict)
    rubrics: dict[str, Entry] = field(default_factory=dict)
    diagnostics: DiagnosticList = field(default_factory=DiagnosticList)
    files: list[str] = field(default_factory=list)
    roots: list[Path] = field(default_factory=list)
    """The content path the catalog was loaded from (designer folders first, shipped last)."""

    def table(self, kind: str) -> dict[str, Entry]:
        return {
            "scenario": self.scenarios,
            "library": self.libraries,
            "role": self.roles,
            "rubric": self.rubrics,
        }[kind]

    def scenario(self, ref: str) -> Scenario:
        """A valid scenario by id or file path; ``ContentError`` explains any problem."""
        entry = self.scenarios.get(ref)
        if entry is None:
            wanted = Path(ref)
            entry = next(
                (
                    e
                    for e in self.scenarios.values()
                    if Path(e.document.path).resolve() == wanted.resolve()
                ),
                None,
            )
        if entry is None:
            # A file that failed to load is not "unknown": its own errors say why.
            wanted_path = Path(ref).resolve()
            own = [
                d for d in self.diagnostics.errors if Path(d.position.path).resolve() == wanted_path
            ]
            raise ContentError(
                own or [Diagnostic(Position(ref), unknown_id("scenario", ref, self.scenarios))]
            )
        problems = [d for d in self.diagnostics.errors if d.position.path in self.paths_of(entry)]
        if problems:
            raise ContentError(problems)
        assert isinstance(entry.model, Scenario)
        return entry.model

    def bundle(self, ref: str) -> Bundle:
        """A valid scenario with its roles and rubric, ready for a session."""
        scenario = self.scenario(ref)
        return Bundle(
            scenario,
            self.rubrics[scenario.rubric].model,
            {role: self.roles[role].model for role in scenario.roles},
        )

    @property
    def control(self) -> frozenset[str]:
        """Roles of ``kind: control`` on the content path (``to: players`` leaves them out)."""
        return frozenset(k for k, e in self.roles.items() if e.model.kind == "control")

    def paths_of(self, entry: Entry) -> set[str]:
        """The files a scenario depends on (itself, its roles, rubric and libraries)."""
        paths = {entry.document.path}
        scenario = entry.model
        if isinstance(scenario, Scenario):
            for role in scenario.roles:
                if role in self.roles:
                    paths.add(self.roles[role].document.path)
            if scenario.rubric in self.rubrics:
                paths.add(self.rubrics[scenario.rubric].document.path)
            for inject in scenario.injects:
                if inject.use and inject.use.split("/")[0] in self.libraries:
                    paths.add(self.libraries[inject.use.split("/")[0]].document.path)
        return paths
