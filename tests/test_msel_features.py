"""Binds features/msel.feature: the designer's and evaluator's spreadsheet workflows."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml
from external import external_root
from pytest_bdd import given, parsers, scenarios, then, when
from steps.cli import CliRun

from exercise_engine.cli import main
from exercise_engine.engine import events as ev
from exercise_engine.model.loader import load_bundle, load_catalog
from exercise_engine.session import simulate as sim
from exercise_engine.store import Store

scenarios("msel.feature")


@given(parsers.parse('a planner\'s sheet "{name}":'))
def planners_sheet(project: Path, name: str, docstring: str) -> None:
    (project / name).write_text(docstring + "\n", encoding="utf-8")


@given(parsers.parse('a session of the default scenario played to its debrief in "{name}"'))
def played_session(project: Path, name: str) -> None:
    with Store(project / name) as store:
        sim.play_to_debrief(sim.start(store, load_bundle(), 1, "best"), "best", None)


@when(
    parsers.parse('the designer runs "{command}" on the third-party sheets'),
    target_fixture="cli_run",
)
def runs_on_external(project: Path, command: str, capsys: pytest.CaptureFixture[str]) -> CliRun:
    root = external_root()
    if root is None:
        pytest.skip("the third-party sheets are not on this machine (set EXERCISE_EXTERNAL)")
    words = shlex.split(command.replace("{external}", str(root)))
    code = main(words[1:])
    captured = capsys.readouterr()
    return CliRun(code, captured.out, captured.err)


@when(
    parsers.parse(
        'the designer imports "{sheet}" into the shipped scenario "{scenario}" as "{output}"'
    ),
    target_fixture="cli_run",
)
def imports_into(
    project: Path, sheet: str, scenario: str, output: str, capsys: pytest.CaptureFixture[str]
) -> CliRun:
    original = load_catalog().scenarios[scenario].document.path
    code = main(["msel", "import", sheet, "--into", original, "-o", output])
    captured = capsys.readouterr()
    return CliRun(code, captured.out, captured.err)


@then(parsers.parse('the warnings name "{text}"'))
def warnings_name(cli_run: CliRun, text: str) -> None:
    assert text in cli_run.err, cli_run.err


@then(parsers.parse('there is no file "{name}"'))
def no_file(project: Path, name: str) -> None:
    assert not (project / name).exists()


@then(parsers.parse('the injects of "{name}" come at "{times}"'))
def injects_come_at(project: Path, name: str, times: str) -> None:
    injects = yaml.safe_load((project / name).read_text())["injects"]
    assert [i["at"] for i in injects] == [t.strip() for t in times.split(",")]


@then(parsers.parse('the injects of "{name}" are those of "{scenario}", field by field'))
def same_injects(project: Path, name: str, scenario: str) -> None:
    before = [i.model_dump(by_alias=True) for i in load_bundle(scenario).scenario.injects]
    after = [i.model_dump(by_alias=True) for i in load_bundle(str(project / name)).scenario.injects]
    assert after == before


@then(parsers.parse('the session in "{name}" holds {count:d} observations by "{evaluator}"'))
def session_holds(project: Path, name: str, count: int, evaluator: str) -> None:
    with Store(project / name, create=False) as store:
        log = store.events(store.session().id)
        found = [
            r.event
            for r in log
            if isinstance(r.event, ev.ObservationRecorded) and r.event.evaluator == evaluator
        ]
    assert len(found) == count
