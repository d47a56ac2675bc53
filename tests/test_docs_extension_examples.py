"""The examples of the format extensions in docs/scenario-format.md work (issue 15).

Those examples are fragments (a `meta:` block, a phase with modules, a read-ahead, a plenary
discussion and a team decision), so tests/test_docs.py, which validates complete files only,
never reads them. Here each fragment, taken verbatim from the doc in reading order, is laid
onto a small host scenario of the Ridge EOC tabletop (tests/fixtures/ridge: its roles and
rubric), and the result must pass `exercise validate --strict` after every step.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from exercise_engine.cli import main

ROOT = Path(__file__).resolve().parents[1]
FORMAT_DOC = ROOT / "docs" / "scenario-format.md"
RIDGE = Path(__file__).parent / "fixtures" / "ridge"

HEADING = re.compile(r"^(#{2,6}) (.+)$", re.MULTILINE)
YAML_BLOCK = re.compile(r"^```yaml[ \t]*\n(.*?)^```", re.MULTILINE | re.DOTALL)

# The sections whose examples write an extension, in the order the doc reads.
EXTENSION_SECTIONS = (
    "`meta`: your own record of a file",
    "Modules",
    "Read-aheads before STARTEX",
    "Plenary discussions and team decisions",
)

# What the fragments lean on and do not write: roles, a rubric, the later phases, the inject
# the team decision's option A triggers, and work for the pio seat. The doc writes inject 2.2
# twice (its module in one section, its team decision in another): each adds its fields.
HOST = """\
format: exercise-scenario/1
id: docs-extensions
title: "The format extensions of docs/scenario-format.md"
summary: "A host for the doc's fragments, on the Ridge EOC tabletop's roles and rubric."
rubric: eoc-capabilities
roles: [eoc_director, logistics, pio, simulator]
clock: {start: "06:00", speed: 10, duration: "3h"}
phases:
  prevent:
    next: [{to: react, when: "elapsed_in_phase >= '1h'"}]
  react:
    next: [{to: rebuild, when: "elapsed_in_phase >= '1m'"}]
  rebuild: {}
injects:
  - id: "2.2"
    phase: prevent
    at: "+10m"
    to: [eoc_director, logistics]
    channel: phone
    title: "The shelter needs a generator"
    expect: [LOG-1]
    respond:
      options:
        - {id: A, text: "Submit an ICS-213RR", triggers: ["2.4"]}
        - {id: B, text: "Ask the shelter to call the vendor"}
  - id: "2.4"
    phase: prevent
    to: [logistics]
    channel: phone
    title: "Two water tenders in three hours under mutual aid"
  - id: "3.2"
    phase: prevent
    at: "+20m"
    to: [pio]
    channel: phone
    title: "Is Ridge Road closed?"
    expect: [PI-1]
    respond: {free_text: true, due: "15m"}
"""


def section_examples(title: str) -> list[tuple[int, str]]:
    """(doc line, text) of each ```yaml block in the section headed ``title``."""
    text = FORMAT_DOC.read_text(encoding="utf-8")
    headings = list(HEADING.finditer(text))
    found = [i for i, h in enumerate(headings) if h.group(2).strip() == title]
    assert len(found) == 1, f"docs/scenario-format.md has {len(found)} sections headed {title!r}"
    start = headings[found[0]].end()
    end = headings[found[0] + 1].start() if found[0] + 1 < len(headings) else len(text)
    return [
        (text.count("\n", 0, start + m.start()) + 1, m.group(1))
        for m in YAML_BLOCK.finditer(text[start:end])
    ]


def lay(scenario: dict[str, Any], fragment: object) -> None:
    """Lay a fragment onto the scenario: a list is injects, a mapping top-level fields.

    `phases` merge phase by phase; an inject whose id is already there gets the fields the
    fragment writes (the others stay), a new one is added.
    """
    if isinstance(fragment, list):
        fragment = {"injects": fragment}
    assert isinstance(fragment, dict), f"a fragment is a list of injects or a mapping: {fragment!r}"
    for key, value in fragment.items():
        if key == "phases":
            scenario["phases"].update(value)
        elif key == "injects":
            there = {inject["id"]: inject for inject in scenario["injects"]}
            for inject in value:
                if inject["id"] in there:
                    there[inject["id"]].update(inject)
                else:
                    scenario["injects"].append(inject)
        else:
            scenario[key] = value


def validate_strictly(scenario: dict[str, Any], path: Path, capsys: Any) -> tuple[int, str]:
    path.write_text(yaml.safe_dump(scenario, sort_keys=False), encoding="utf-8")
    code = main(["validate", "--strict", "--content", str(RIDGE), str(path)])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_every_extension_section_shows_an_example() -> None:
    for title in EXTENSION_SECTIONS:
        assert section_examples(title), f"the section {title!r} shows no yaml example"


def test_the_host_alone_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, said = validate_strictly(yaml.safe_load(HOST), tmp_path / "host.yaml", capsys)
    assert code == 0, said


def test_the_extension_examples_validate_strictly_step_by_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = yaml.safe_load(HOST)
    laid = []
    for title in EXTENSION_SECTIONS:
        for line, block in section_examples(title):
            lay(scenario, yaml.safe_load(block))
            laid.append(line)
            code, said = validate_strictly(scenario, tmp_path / "docs-extensions.yaml", capsys)
            assert code == 0, (
                f"with the example at docs/scenario-format.md line {line} laid on the host "
                f"(after lines {laid[:-1]}), validate --strict says:\n{said}"
            )
    # The fragments really arrived: modules, a read-ahead, a plenary, a team decision, meta.
    injects = {inject["id"]: inject for inject in scenario["injects"]}
    assert [m["id"] for m in scenario["phases"]["prevent"]["modules"]] == ["M1", "M2", "M3", "M4"]
    assert injects["RA-1"]["before_startex"] == "1d"
    assert injects["M1-DQ"]["plenary"] is True
    assert injects["2.2"]["respond"]["team"] is True and injects["2.2"]["module"] == "M2"
    assert scenario["meta"]["licence"] == "CC-BY-4.0"


def test_a_broken_fragment_is_caught(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Guard the check itself: a module no phase has is refused under the same host."""
    scenario = yaml.safe_load(HOST)
    lay(
        scenario,
        [
            {
                "id": "X",
                "phase": "prevent",
                "module": "M9",
                "at": "+1m",
                "to": ["pio"],
                "channel": "phone",
                "title": "Nowhere",
            }
        ],
    )
    code, said = validate_strictly(scenario, tmp_path / "broken.yaml", capsys)
    assert code == 1 and "M9" in said
