"""The decision log as CSV: one row per decision (ResponseRecorded), for spreadsheets.

Columns are stable and documented in docs/aar.md; lists inside a cell are joined with ``; ``
(``criterion=points``, ``variable old->new``) so that a spreadsheet user can filter on them.
Every text cell is neutralised against formula injection (``neutralise.csv_cell``): titles come
from content files and answers from players, and a spreadsheet must show them, not run them.
"""

from __future__ import annotations

import csv
import io

from exercise_engine.neutralise import csv_cell
from exercise_engine.report.model import AAR

COLUMNS = (
    "seq",
    "t",
    "clock",
    "phase",
    "role",
    "role_name",
    "seat",
    "inject",
    "inject_title",
    "option",
    "option_text",
    "text",
    "rationale",
    "delivered_t",
    "due_s",
    "delay_s",
    "late",
    "points",
    "preferred",
    "consequences",
    "triggered",
    "rules",
    "outcome",
    "confidence",
)


def render(aar: AAR) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for d in aar.decisions:
        writer.writerow(
            csv_cell(cell)
            for cell in (
                d.seq,
                d.t,
                d.clock,
                d.phase,
                d.role,
                d.role_name,
                d.seat or "",
                d.inject,
                d.inject_title,
                d.option or "",
                d.option_text,
                d.text,
                d.rationale,
                "" if d.delivered_t is None else d.delivered_t,
                "" if d.due_s is None else d.due_s,
                d.delay_s,
                "true" if d.late else "false",
                "; ".join(f"{c}={p:g}" for c, p in d.points.items()),
                d.preferred or "",
                "; ".join(f"{c.variable} {c.old:g}->{c.new:g} ({c.via})" for c in d.consequences),
                "; ".join(d.triggered),
                "; ".join(d.rules),
                d.outcome,
                "" if d.confidence is None else d.confidence,
            )
        )
    return out.getvalue()
