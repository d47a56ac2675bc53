"""Steps that run the ``exercise`` command as a designer would, in a folder of their own."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, then, when

from exercise_engine.cli import main

CONTENT = Path(__file__).parent.parent / "fixtures" / "content"


@dataclass
class CliRun:
    code: int
    out: str
    err: str


@given("an empty project folder", target_fixture="project")
def empty_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@when(parsers.parse('the designer runs "{command}"'), target_fixture="cli_run")
def designer_runs(project: Path, command: str, capsys: pytest.CaptureFixture[str]) -> CliRun:
    command = command.replace("{traps}", str(CONTENT.parent / "traps"))
    words = shlex.split(command.replace("{fixtures}", str(CONTENT)))
    assert words[0] == "exercise"
    code = main(words[1:])
    captured = capsys.readouterr()
    return CliRun(code, captured.out, captured.err)


@then("the command succeeds")
def succeeds(cli_run: CliRun) -> None:
    assert cli_run.code == 0, cli_run.out + cli_run.err


@then(parsers.parse('the command fails with exit code {code:d} saying "{fragment}"'))
def fails_saying(cli_run: CliRun, code: int, fragment: str) -> None:
    assert cli_run.code == code, cli_run
    assert fragment in cli_run.out + cli_run.err


@then(parsers.parse('the file "{name}" exists'))
def file_exists(project: Path, name: str) -> None:
    assert (project / name).is_file()


@then(parsers.parse('the output lists "{text}"'))
def output_lists(cli_run: CliRun, text: str) -> None:
    assert text in cli_run.out, cli_run.out


@then(parsers.parse('the output is a JSON Schema with the property "{name}"'))
def json_schema_with(cli_run: CliRun, name: str) -> None:
    schema = json.loads(cli_run.out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert name in schema["properties"]
