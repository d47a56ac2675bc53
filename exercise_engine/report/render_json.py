"""The AAR as JSON: the whole model, machine readable, described by docs/aar-schema.json.

orjson writes the model's dataclasses directly (field order kept), about twenty times faster
than converting to dictionaries first: the JSON of a 100,000-event session is written in a
fraction of a second. Output is compact, one document per file; pipe it through ``jq`` to read.
"""

from __future__ import annotations

import orjson

from exercise_engine.report.model import AAR


def render(aar: AAR) -> str:
    return orjson.dumps(aar, option=orjson.OPT_APPEND_NEWLINE).decode()
