"""A session's stored bundle reads back as the bundle it was, and anything else is validated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from exercise_engine.model.bundle import Bundle
from exercise_engine.model.loader import load_catalog
from exercise_engine.model.synthetic import synthetic_scenario

SHIPPED = ("kallen-after-atrocities", "kallen-early-warning", "mareth-site-attack")


def assert_reads_back(bundle: Bundle) -> None:
    text = bundle.to_json()
    again = Bundle.from_json(text)
    assert again == bundle
    assert again.to_json() == text
    assert again.hash == bundle.hash


@pytest.mark.parametrize("scenario", SHIPPED)
def test_shipped_bundles_read_back(scenario: str) -> None:
    assert_reads_back(load_catalog().bundle(scenario))


def test_a_synthetic_bundle_reads_back(tmp_path: Path) -> None:
    """The benchmark's kind of scenario: thousands of injects, options, 'after' timings."""
    rubric = load_catalog().rubrics["poc-doctrine"].model
    path = tmp_path / "synthetic.yaml"
    path.write_text(synthetic_scenario(400, list(rubric.criteria)), encoding="utf-8")
    assert_reads_back(load_catalog([path]).bundle("synthetic"))


def stored_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(load_catalog().bundle(SHIPPED[0]).to_json())
    return data


def test_integers_beyond_64_bits_are_read_exactly() -> None:
    """orjson reads them as floats; the json module reads them again."""
    data = stored_data()
    data["scenario"]["injects"][0].update(phase="prevent", at=2**70, after=None, when=None)
    bundle = Bundle.from_json(json.dumps(data))
    assert bundle.scenario.injects[0].at == 2**70


def test_a_duration_stored_as_text_is_read_as_designers_write_it() -> None:
    data = stored_data()
    data["scenario"]["injects"][0].update(phase="prevent", at="+30m", after=None, when=None)
    assert Bundle.from_json(json.dumps(data)).scenario.injects[0].at == 1800


@pytest.mark.parametrize(
    "change", ["unknown key", "list as text", "missing required key", "float as text"]
)
def test_a_damaged_bundle_fails_validation(change: str) -> None:
    data = stored_data()
    inject = data["scenario"]["injects"][0]
    if change == "unknown key":
        inject["surprise"] = 1
    elif change == "list as text":
        inject["tags"] = "early-warning"
    elif change == "missing required key":
        del inject["id"]
    else:
        data["rubric"]["scale"][0]["points"] = "4"
    with pytest.raises(ValidationError):
        Bundle.from_json(json.dumps(data))
