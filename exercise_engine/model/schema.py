"""JSON Schemas of the four content formats, for editors' YAML language servers."""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel

from exercise_engine.model.library import InjectLibrary
from exercise_engine.model.role import Role
from exercise_engine.model.rubric import Rubric
from exercise_engine.model.scenario import Scenario

SCHEMA_KINDS: dict[str, type[BaseModel]] = {
    "scenario": Scenario,
    "injects": InjectLibrary,
    "role": Role,
    "rubric": Rubric,
}
_BASE_URI = "https://r2p-exercise.example/schema/"


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one content kind (``scenario``, ``injects``, ``role``, ``rubric``)."""
    model = SCHEMA_KINDS[kind]
    schema = model.model_json_schema(by_alias=True, mode="validation")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{_BASE_URI}{kind}.json",
        **schema,
    }
    if kind == "scenario":
        _allow_library_uses(schema)
        phases = schema["properties"]["phases"]
        phases["propertyNames"] = {"enum": ["prevent", "react", "rebuild"]}
        phases["required"] = ["prevent", "react", "rebuild"]
    return schema


def _allow_library_uses(schema: dict[str, Any]) -> None:
    """A scenario inject may be ``use: library/inject`` plus overrides of any inject field."""
    inject = schema["$defs"]["Inject"]
    use_entry = copy.deepcopy(inject)
    use_entry["title"] = "LibraryInjectUse"
    use_entry["required"] = ["use"]
    use_entry["properties"]["use"] = {
        "type": "string",
        "pattern": r"^[a-z0-9][a-z0-9\-]*/[A-Za-z0-9][A-Za-z0-9_.\-]*$",
        "description": "library/inject: pull an inject from injects/, then override fields",
    }
    schema["$defs"]["LibraryInjectUse"] = use_entry
    schema["properties"]["injects"]["items"] = {
        "anyOf": [{"$ref": "#/$defs/Inject"}, {"$ref": "#/$defs/LibraryInjectUse"}]
    }
