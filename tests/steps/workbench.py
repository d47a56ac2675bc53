"""Steps for the designer's workbench: starters, traps, preview and print-outs."""

from __future__ import annotations

from pathlib import Path

import yaml
from pytest_bdd import given, parsers, then

from exercise_engine.model.loader import load_catalog

TRAPS = Path(__file__).parent.parent / "fixtures" / "traps"

MEDIC = """\
format: exercise-role/1
id: {role}
name: "Ward medic"
"""

WARD = """\
format: exercise-scenario/1
id: ward
title: "Ward drill"
rubric: poc-doctrine
roles: [{role}]
clock: {{duration: "2h"}}
phases:
  prevent:
    next: [{{to: react, when: "elapsed_in_phase >= '30m'"}}]
  react:
    next: [{{to: rebuild, when: "elapsed_in_phase >= '30m'"}}]
  rebuild: {{}}
injects:
  - id: W-1
    phase: prevent
    at: "+5m"
    to: [{role}]
    channel: phone
    title: "A casualty arrives"
    expect: [UND-4]
    respond: {{free_text: true, due: "10m"}}
"""


@given(parsers.parse('the designer\'s file "{name}"'), target_fixture="content_file")
def designers_file(name: str) -> Path:
    """A file from the traps corpus: one designer's mistake each."""
    return TRAPS / name


@given(parsers.parse('a course folder "{folder}" whose scenario seats its own role "{role}"'))
def course_folder(project: Path, folder: str, role: str) -> None:
    (project / folder / "roles").mkdir(parents=True)
    (project / folder / "scenarios").mkdir()
    (project / folder / "roles" / f"{role}.yaml").write_text(MEDIC.format(role=role))
    (project / folder / "scenarios" / "ward.yaml").write_text(WARD.format(role=role))


@then(parsers.parse('the file "{name}" does not exist'))
def file_absent(project: Path, name: str) -> None:
    assert not (project / name).exists()


@then(parsers.parse('the file "{name}" does not name every criterion of "{rubric}"'))
def names_a_few_criteria(project: Path, name: str, rubric: str) -> None:
    data = yaml.safe_load((project / name).read_text())
    criteria = set(load_catalog().rubrics[rubric].model.criteria)
    named: set[str] = set()
    for inject in data["injects"]:
        assert len(inject.get("expect", [])) <= 3, inject
        named.update(inject.get("expect", []))
        for option in (inject.get("respond") or {}).get("options", []):
            named.update(option.get("scores", {}))
    assert named and named < criteria
