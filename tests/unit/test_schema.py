"""The JSON Schemas editors use accept all shipped content and refuse obvious mistakes."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from exercise_engine.model.schema import json_schema

ROOT = Path(__file__).resolve().parents[2]
KINDS = {"scenarios": "scenario", "injects": "injects", "roles": "role", "scoring": "rubric"}
FILES = [(folder, path) for folder in KINDS for path in sorted((ROOT / folder).glob("*.yaml"))]


@pytest.mark.parametrize(("folder", "path"), FILES, ids=[p.name for _, p in FILES])
def test_shipped_content_matches_its_schema(folder: str, path: Path) -> None:
    schema = json_schema(KINDS[folder])
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(
        yaml.safe_load(path.read_text()), schema, cls=jsonschema.Draft202012Validator
    )


def test_the_schema_refuses_a_bad_duration_and_an_unknown_phase() -> None:
    schema = json_schema("scenario")
    validator = jsonschema.Draft202012Validator(schema)
    data = yaml.safe_load((ROOT / "tests/fixtures/broken/valid.yaml").read_text())
    assert not list(validator.iter_errors(data))
    data["injects"][0]["respond"]["due"] = "+45m"
    data["phases"]["recover"] = {}
    problems = {e.message for e in validator.iter_errors(data)}
    assert any("+45m" in p for p in problems)
    assert any("recover" in p for p in problems)
