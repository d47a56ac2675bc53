"""The staff feed: every event as stored, with the text of the injects it names.

Control staff (the controller, evaluators) may read the bundle: each ``InjectDelivered`` and
``InformationShared`` line is shown with the inject as written (all its options, the look-fors
an evaluator rates against).
"""

from __future__ import annotations

import orjson

from exercise_engine.engine.visibility import adhoc_view, inject_view
from exercise_engine.model.bundle import Bundle
from exercise_engine.store.live import Line


def staff_lines(lines: list[Line], bundle: Bundle) -> list[Line]:
    return [_with_inject(line, bundle) for line in lines]


def _with_inject(line: Line, bundle: Bundle) -> Line:
    if line.type not in ("InjectDelivered", "InformationShared"):
        return line
    payload = orjson.loads(line.payload)
    inject_id = payload["inject"]
    due_at = payload.get("due_at")
    adhoc = payload.get("adhoc")
    if adhoc is not None:
        shown = adhoc_view(inject_id, adhoc, due_at, True)
    else:
        shown = inject_view(bundle, inject_id, due_at, True, paragraphs=payload.get("paragraphs"))
        found = bundle.scenario.inject(inject_id)
        if found is not None:
            shown["expect"] = list(found.expect)
            shown["notes"] = found.notes
    extra = orjson.dumps({"inject": shown}).decode()
    return Line(line.seq, line.type, line.t, line.role, line.payload, extra)
