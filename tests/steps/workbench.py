"""Steps for the designer's workbench: starters, traps, preview and print-outs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from pytest_bdd import given, parsers, then, when

from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.model.loader import load_catalog
from exercise_engine.session.controller import ExerciseController
from exercise_engine.store import Store

from .cli import CliRun

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


@then(parsers.parse('the error output says "{text}"'))
def error_output_says(cli_run: CliRun, text: str) -> None:
    assert text in cli_run.err, cli_run.err


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


RIDGE = Path(__file__).parent.parent / "fixtures" / "ridge"


@given(
    parsers.parse('the course folder "{folder}" holds the roles and rubric of the Ridge tabletop')
)
def ridge_course(project: Path, folder: str) -> None:
    for kind in ("roles", "scoring"):
        shutil.copytree(RIDGE / kind, project / folder / kind)


@given(parsers.parse('the designer writes "{name}":'))
def designer_writes(project: Path, name: str, docstring: str) -> None:
    path = project / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(docstring + "\n")


@then(parsers.parse('the file "{name}" says "{text}"'))
def file_says(project: Path, name: str, text: str) -> None:
    found = (project / name).read_text()
    assert text in found, found


def _log(project: Path, db: str) -> list:
    with Store.reader(project / db) as store:
        return list(store.events(store.session(None).id))


@then(
    parsers.re(
        r'in "(?P<db>[^"]+)" inject "(?P<inject>[^"]+)" was answered once, for '
        r'(?P<roles>"[^"]+"(?:(?:, | and )"[^"]+")*)'
    )
)
def answered_once(project: Path, db: str, inject: str, roles: str) -> None:
    wanted = re.findall(r'"([^"]+)"', roles)
    answers = [
        r.event
        for r in _log(project, db)
        if isinstance(r.event, ev.ResponseRecorded) and r.event.inject == inject
    ]
    assert sorted(a.role for a in answers) == sorted(wanted), answers
    own = [a for a in answers if not a.team_answer]
    assert len(own) == 1, answers  # one role answered; the answer counts for the others
    assert all(
        a.team_answer == own[0].role and a.option == own[0].option for a in answers if a.team_answer
    )
    effects = [
        r.event
        for r in _log(project, db)
        if isinstance(r.event, ev.VariableChanged)
        and isinstance(r.event.cause, ev.OptionChosen)
        and r.event.cause.inject == inject
    ]
    assert len(effects) <= 1, effects  # the team's choice moved the situation once


@then(parsers.parse('in "{db}" inject "{inject}" was delivered once'))
def delivered_once(project: Path, db: str, inject: str) -> None:
    deliveries = [
        r.event
        for r in _log(project, db)
        if isinstance(r.event, ev.InjectDelivered) and r.event.inject == inject
    ]
    assert len(deliveries) == 1, deliveries


@then(parsers.parse('in "{db}" nothing reached the control cell "{role}"'))
def control_cell_untouched(project: Path, db: str, role: str) -> None:
    reached = [
        r.event.inject
        for r in _log(project, db)
        if isinstance(r.event, ev.InjectDelivered) and role in r.event.to
    ]
    assert reached == [], reached


@when(
    parsers.parse(
        'in "{db}" the evaluator "{name}" rates "{role}" "{rating}" on "{criterion}" at "{inject}"'
    )
)
def evaluator_rates(
    project: Path, db: str, name: str, role: str, rating: str, criterion: str, inject: str
) -> None:
    with Store(project / db) as store:
        controller = ExerciseController.resume(store, store.session(None).id)
        outcome = controller.submit(
            cmd.RecordObservation(
                actor=cmd.Actor.evaluator(name),
                role=role,
                criterion=criterion,
                rating=rating,
                note="Named the staffing check and where the objectives live.",
                inject=inject,
            )
        )
        controller.flush()
    assert outcome.accepted, outcome.rejection
