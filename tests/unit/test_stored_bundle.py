"""Stored bundles read back without validation (model/stored.py) are exactly the validated ones,
and anything but what ``to_json`` writes is validated as before."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from exercise_engine.model import stored
from exercise_engine.model.bundle import Bundle
from exercise_engine.model.loader import load_catalog
from exercise_engine.model.synthetic import synthetic_scenario

SHIPPED = ("kallen-after-atrocities", "kallen-early-warning", "mareth-site-attack")


def identical(a: Any, b: Any, path: str = "$") -> None:
    """Equal, and alike in what ``==`` does not see: types (1 is not 1.0), field and key order,
    fields set, private state."""
    assert type(a) is type(b), f"{path}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, BaseModel):
        assert list(a.__dict__) == list(b.__dict__), path
        assert a.__pydantic_fields_set__ == b.__pydantic_fields_set__, path
        assert a.__pydantic_extra__ == b.__pydantic_extra__, path
        identical(a.__pydantic_private__, b.__pydantic_private__, f"{path}.<private>")
        for key, value in a.__dict__.items():
            identical(value, b.__dict__[key], f"{path}.{key}")
    elif is_dataclass(a):
        for field in fields(a):
            identical(getattr(a, field.name), getattr(b, field.name), f"{path}.{field.name}")
    elif isinstance(a, dict):
        assert list(a) == list(b), path
        for key, value in a.items():
            identical(value, b[key], f"{path}[{key!r}]")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            identical(x, y, f"{path}[{i}]")
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def assert_trusted_is_validated(text: str) -> None:
    trusted = Bundle.from_trusted(json.loads(text))
    validated = Bundle.from_data(json.loads(text))
    assert trusted == validated
    identical(trusted, validated)
    assert trusted.to_json() == text
    identical(Bundle.from_json(text), validated)


@pytest.mark.parametrize("scenario", SHIPPED)
def test_shipped_bundles_read_back_exactly(scenario: str) -> None:
    assert_trusted_is_validated(load_catalog().bundle(scenario).to_json())


def test_a_synthetic_bundle_reads_back_exactly(tmp_path: Path) -> None:
    """The benchmark's kind of scenario: thousands of injects, options, 'after' timings."""
    rubric = load_catalog().rubrics["poc-doctrine"].model
    path = tmp_path / "synthetic.yaml"
    path.write_text(synthetic_scenario(400, list(rubric.criteria)), encoding="utf-8")
    assert_trusted_is_validated(load_catalog([path]).bundle("synthetic").to_json())


def stored_data() -> dict[str, Any]:
    return json.loads(load_catalog().bundle(SHIPPED[0]).to_json())


def test_integers_of_float_fields_become_floats() -> None:
    data = stored_data()
    option = next(i for i in data["scenario"]["injects"] if i["respond"])["respond"]["options"][0]
    option["scores"] = {criterion: 2 for criterion in option["scores"]}
    data["rubric"]["scale"][0]["points"] = 4
    identical(Bundle.from_trusted(json.loads(json.dumps(data))), Bundle.from_data(data))


@pytest.mark.parametrize("change", ["duration as text", "missing key", "list as text"])
def test_anything_else_is_validated(change: str) -> None:
    data = stored_data()
    inject = data["scenario"]["injects"][0]
    if change == "missing key":
        del inject["notes"]
    elif change == "list as text":
        inject["to"] = "all"
    else:
        inject.update(phase="prevent", at="+30m", after=None, when=None)
    text = json.dumps(data)
    with pytest.raises(stored.Untrusted):
        Bundle.from_trusted(json.loads(text))
    identical(Bundle.from_json(text), Bundle.from_data(json.loads(text)))


def test_integers_beyond_64_bits_are_read_exactly() -> None:
    """orjson reads them as floats; the json module reads them again."""
    data = stored_data()
    data["scenario"]["injects"][0].update(phase="prevent", at=2**70, after=None, when=None)
    text = json.dumps(data)
    bundle = Bundle.from_json(text)
    assert bundle.scenario.injects[0].at == 2**70
    identical(bundle, Bundle.from_data(json.loads(text)))


def test_an_unknown_key_still_fails_validation() -> None:
    data = stored_data()
    data["scenario"]["injects"][0]["surprise"] = 1
    with pytest.raises(ValidationError):
        Bundle.from_json(json.dumps(data))


class Lax(BaseModel):
    """Not strict: validation would turn "3" into 3, so the builders must not be used."""

    model_config = ConfigDict(frozen=True)
    n: int


class Stripped(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True)
    name: Annotated[str, StringConstraints(strip_whitespace=True)]


@pytest.mark.parametrize("model", [Lax, Stripped])
def test_models_whose_validation_changes_values_are_never_built(model: type[BaseModel]) -> None:
    with pytest.raises(stored.Untrusted):
        stored.build(model, {"n": "3"} if model is Lax else {"name": " x "})
