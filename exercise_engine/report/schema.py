"""The JSON Schema of the AAR, derived from the model so the two cannot drift apart.

docs/aar-schema.json is this schema written out (``python -m exercise_engine.report.schema >
docs/aar-schema.json``); a test fails when the file and the model disagree, and another
validates a real AAR against the file. Descriptions of the sections and of the fields whose
meaning is not obvious from their names live here, next to the derivation.
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import fields, is_dataclass
from typing import Any

from exercise_engine.report import model
from exercise_engine.report.model import AAR, FORMAT

SCHEMA_ID = "https://github.com/r2p-exercise/r2p-exercise/docs/aar-schema.json"

DESCRIPTIONS: dict[str, str] = {
    "AAR": "An after-action review of one exercise session (HSEEP AAR/IP), computed from the "
    "event log and the rubric. Scores are 0-100; 'seqs' lists the event sequence numbers a "
    "value rests on.",
    "AAR.format": f"Always '{FORMAT}'.",
    "AAR.rubric_note": "Whether the session was scored with the rubric it recorded, or "
    "re-scored with another.",
    "AAR.overview": "Exercise overview: scenario, dates, roles and participants, objectives.",
    "AAR.summary": "Executive summary.",
    "AAR.scores": "Scores per role, dimension and phase, with the weights used.",
    "AAR.timeline": "Phases, key events, and the injects never delivered.",
    "AAR.analysis": "Analysis by dimension and criterion: ratings, strengths and areas for "
    "improvement.",
    "AAR.decisions": "Every response (ResponseRecorded), in log order.",
    "AAR.missed_decisions": "Required answers never given.",
    "AAR.variables": "Situation variables over time.",
    "AAR.coordination": "Every pair of scored roles on the integration spectrum.",
    "AAR.hot_wash": "Hot-wash prompts per objective: the four AAR questions.",
    "AAR.improvement_plan": "Improvement plan rows (POETE element, responsible role, priority).",
    "AAR.observations": "Every evaluator observation; 'counted' is false when the rubric could "
    "not use it (N/O, or a criterion it lacks).",
    "AAR.appendix": "Every inject of the scenario and every ad-hoc inject, with deliveries and "
    "responses.",
    "Overview.duration_s": "Scenario seconds from STARTEX to ENDEX (or to the last event).",
    "Overview.wall_duration_s": "Wall-clock seconds from session creation to the last event.",
    "RoleEntry.rating": "Nearest scale code to the role's score, or the not-observed code.",
    "Summary.verdict": "Sentences derived from the scores and the log.",
    "Scores.weights": "Shares of a role's score: decisions (rubric), timeliness, coordination.",
    "Scores.evaluator_weight": "Weight of the evaluators' combined rating in a criterion.",
    "Scores.option_weight": "Weight of the automatic option points in a criterion.",
    "Scores.ignored": "Evidence the rubric could not use, with its seq.",
    "RoleScores.shares": "The weight each part actually carried in this role's total.",
    "RoleScores.phases": "The role's total on the evidence of each phase.",
    "Finding.kind": "'strength' or 'improvement' (area for improvement).",
    "Finding.caps": "A critical criterion rated at the bottom of the scale: its dimension is "
    "capped at the rubric's critical_cap.",
    "Finding.missed_look_fors": "Look-fors that the recorded words of good performance do not "
    "show (a prompt for the evaluator, not a verdict).",
    "Decision.due_s": "Seconds allowed to answer (due time minus delivery), if any.",
    "Decision.delay_s": "Seconds from delivery to the answer.",
    "Decision.points": "Criterion id to points on the rubric scale, from the chosen option.",
    "CoordinationPair.level": "0 coexistence, 1 communication, 2 information sharing, "
    "3 formal coordination, 4 cooperation/collaboration.",
    "Improvement.element": "POETE: Planning, Organization, Equipment, Training or Exercise.",
    "Improvement.priority": "High, Medium or Low.",
    "InjectRecord.delivered": "Each delivery: role, scenario time t, clock reading, seq.",
}

_ENUMS: dict[str, list[str]] = {
    "Finding.kind": ["strength", "improvement"],
    "Improvement.element": ["Planning", "Organization", "Equipment", "Training", "Exercise"],
    "Improvement.priority": ["High", "Medium", "Low"],
}


def aar_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    root = _object(AAR, defs)
    root["properties"]["format"] = {"const": FORMAT, "description": DESCRIPTIONS["AAR.format"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Exercise after-action review",
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def _object(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls, vars(model))
    properties = {}
    for f in fields(cls):
        schema = _type(hints[f.name], defs)
        key = f"{cls.__name__}.{f.name}"
        if key in _ENUMS:
            schema = {"enum": _ENUMS[key]}
        if key in DESCRIPTIONS:
            schema = {**schema, "description": DESCRIPTIONS[key]}
        properties[f.name] = schema
    out: dict[str, Any] = {"type": "object"}
    if cls.__name__ in DESCRIPTIONS:
        out["description"] = DESCRIPTIONS[cls.__name__]
    out |= {
        "properties": properties,
        "required": [f.name for f in fields(cls)],
        "additionalProperties": False,
    }
    return out


def _type(hint: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return {"anyOf": [_type(a, defs) for a in typing.get_args(hint)]}
    if origin is list:
        return {"type": "array", "items": _type(typing.get_args(hint)[0], defs)}
    if origin is dict:
        return {"type": "object", "additionalProperties": _type(typing.get_args(hint)[1], defs)}
    if is_dataclass(hint) and isinstance(hint, type):
        name = hint.__name__
        if name not in defs:
            defs[name] = {}
            defs[name] = _object(hint, defs)
        return {"$ref": f"#/$defs/{name}"}
    simple = {str: "string", int: "integer", float: "number", bool: "boolean", type(None): "null"}
    if hint in simple:
        return {"type": simple[hint]}
    raise TypeError(f"no JSON Schema for {hint!r}")


def render() -> str:
    return json.dumps(aar_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(render(), end="")
