"""Steps for what course designers do with the validator."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, then, when

from exercise_engine.cli import main

BROKEN = Path(__file__).parent.parent / "fixtures" / "broken"
CONTENT = Path(__file__).parent.parent / "fixtures" / "content"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err

    @property
    def lines(self) -> list[str]:
        return [
            line for line in self.text.splitlines() if ": error: " in line or ": warning: " in line
        ]


@given(parsers.parse('the broken file "{name}"'), target_fixture="content_file")
def broken_file(name: str, tmp_path: Path) -> Path:
    """A file from the broken-file corpus; generated ones are written on the fly."""
    generated = _generated(name)
    if generated is not None:
        path = tmp_path / name
        path.write_text(generated)
        return path
    return BROKEN / name


def _generated(name: str) -> str | None:
    head = "format: exercise-scenario/1\nid: generated\n"
    if name == "deep-nesting.yaml":
        return head + "title: " + "[" * 20_000 + "]" * 20_000 + "\n"
    if name == "alias-bomb.yaml":
        lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        for i in range(1, 9):
            refs = ", ".join([f"*a{i - 1}"] * 9)
            lines.append(f"a{i}: &a{i} [{refs}]")
        return head + "\n".join(lines) + "\n"
    return None


@given("the shipped content", target_fixture="content_file")
def shipped_content() -> None:
    return None


@when("the designer validates it", target_fixture="run")
def designer_validates(content_file: Path | None, capsys: pytest.CaptureFixture[str]) -> Run:
    args = ["validate", "--content", str(CONTENT)]
    if content_file is not None:
        args.append(str(content_file))
    code = main(args)
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


@when("the designer validates it strictly", target_fixture="run")
def designer_validates_strictly(
    content_file: Path | None, capsys: pytest.CaptureFixture[str]
) -> Run:
    args = ["validate", "--strict"]
    if content_file is not None:
        args += ["--content", str(CONTENT), str(content_file)]
    code = main(args)
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


@then(parsers.parse("the validator exits with {code:d}"))
def exits_with(run: Run, code: int) -> None:
    assert run.code == code, run.text


@then(parsers.parse('an error names line {line:d}, column {column:d}: "{fragment}"'))
def error_at(run: Run, line: int, column: int, fragment: str) -> None:
    wanted = f":{line}:{column}: error: "
    matches = [entry for entry in run.lines if wanted in entry and fragment in entry]
    assert matches, f"no error at {line}:{column} saying {fragment!r}:\n{run.text}"


@then(parsers.parse('a warning says "{fragment}"'))
def warning_says(run: Run, fragment: str) -> None:
    assert any(": warning: " in entry and fragment in entry for entry in run.lines), run.text


@then("no traceback is printed")
def no_traceback(run: Run) -> None:
    assert "Traceback" not in run.text and "internal error" not in run.text, run.text
