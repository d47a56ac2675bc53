"""The hostile corpus: files written to break the validator, each refused with a known first
error, on one line, without a traceback.

``tests/fixtures/hostile/`` holds what an attacker or a careless download brings: alias cycles
and bombs, NUL and escape bytes, other encodings, line separators, Python and custom tags, keys
that are not text, numbers and dates the engine cannot hold, runaway clocks, expressions that
try to reach Python, paths out of the content folder. ``expected-first-errors.txt`` gives the
first error line ``exercise validate --strict`` prints for each, exactly (positions included).
Links, pipes and devices cannot live in git: tests/test_hostile_loading.py makes those.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exercise_engine.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "hostile"
CONTENT = FIXTURES / "content"
EXPECTED = CORPUS / "expected-first-errors.txt"


def expected() -> dict[str, str]:
    """File name -> the first error line, from the expectations file (one line per file)."""
    lines = EXPECTED.read_text(encoding="utf-8").splitlines()
    return {line.split(":", 1)[0]: line for line in lines if line and not line.startswith("#")}


def test_every_hostile_file_has_its_expected_first_error() -> None:
    files = sorted(path.name for path in CORPUS.glob("*.yaml"))
    assert len(files) >= 60
    assert files == sorted(expected())


@pytest.mark.parametrize("name", sorted(expected()))
def test_a_hostile_file_is_refused_with_its_first_error(
    name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(CORPUS)
    code = main(["validate", "--strict", "--content", str(CONTENT), name])
    out = capsys.readouterr()
    assert code == 1, out.out + out.err
    assert "Traceback" not in out.err and "internal error" not in out.err, out.err
    errors = [line for line in out.out.splitlines() if ": error: " in line]
    assert errors and errors[0] == expected()[name], out.out
    assert all(line.startswith(f"{name}:") for line in errors), out.out  # no forged lines
    assert all(char.isprintable() for line in errors for char in line), out.out
