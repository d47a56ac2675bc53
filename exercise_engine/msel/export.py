"""A scenario's injects as an HSEEP-style MSEL a planner can read, and ``msel import`` reads back.

One row per inject (number, phase, time in phase, trigger, channel, from, to, subject, message,
expected action, criteria, the objectives they measure, tags...), then one row per course of
action under a decision (option, text in the message column, effects, scores, triggers,
outcome). Any inject field the sheet has no column for is kept, as YAML, in the last column, so
``import(export(s))`` keeps every inject field.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml

from exercise_engine.model.durations import format_duration
from exercise_engine.model.scenario import ALL_ROLES, Inject, Option, Scenario
from exercise_engine.msel import cells
from exercise_engine.neutralise import csv_cell

COLUMNS = (
    "Inject No.", "Phase", "Time in phase", "Trigger", "Channel", "From", "To", "Subject",
    "Message", "Expected action", "Criteria", "Objectives", "Tags", "Contingency", "Library",
    "Decision", "Respond", "Due", "Free text", "Rationale", "Option", "Effects", "Scores",
    "Triggers", "Outcome", "Other fields (YAML)",
)  # fmt: skip
WIDTHS = {"Subject": 40, "Message": 70, "Expected action": 50, "Decision": 40, "Outcome": 40}
INJECT_COLUMNS = {
    "id", "use", "phase", "at", "after", "when", "to", "from", "channel", "title", "body",
    "notes", "expect", "tags", "contingency", "respond",
}  # fmt: skip
RESPOND_COLUMNS = {"prompt", "roles", "due", "free_text", "rationale", "options"}
OPTION_COLUMNS = {"id", "text", "effects", "scores", "triggers", "outcome"}


def msel_rows(scenario: Scenario) -> list[list[str]]:
    """The header row and one row per inject and per option, every cell text."""
    rows = [list(COLUMNS)]
    for inject in scenario.injects:
        rows.append(_inject_row(scenario, inject))
        if inject.respond is not None:
            rows += [_option_row(option) for option in inject.respond.options]
    return rows


def _row(**cells_by_column: str) -> list[str]:
    return [cells_by_column.get(_key(c), "") for c in COLUMNS]


def _key(column: str) -> str:
    return column.lower().replace(" ", "_").replace(".", "").replace("(", "").replace(")", "")


def _inject_row(scenario: Scenario, inject: Inject) -> list[str]:
    respond = inject.respond
    objectives = [
        f"{o.id}: {' '.join(o.text.split())}"  # one line each: the import reads them by line
        for o in scenario.objectives
        if set(o.criteria) & set(inject.expect)
    ]
    after = inject.after.model_dump() if inject.after else None
    return _row(
        inject_no=inject.id,
        phase=inject.phase or "",
        time_in_phase=format_duration(inject.at) if inject.at is not None else "",
        trigger=cells.write_trigger(after, inject.when),
        channel=inject.channel,
        **{"from": inject.from_},
        to=ALL_ROLES if ALL_ROLES in inject.to else ", ".join(inject.to),
        subject=inject.title,
        message=inject.body,
        expected_action=inject.notes,
        criteria=", ".join(inject.expect),
        objectives="\n".join(objectives),
        tags=", ".join(inject.tags),
        contingency="yes" if inject.contingency else "",
        library=inject.use or "",
        decision=respond.prompt if respond else "",
        respond=", ".join(respond.roles or []) if respond else "",
        due=format_duration(respond.due) if respond and respond.due is not None else "",
        free_text=("yes" if respond.free_text else "no") if respond else "",
        rationale=respond.rationale if respond else "",
        other_fields_yaml=_other_fields(inject),
    )


def _option_row(option: Option) -> list[str]:
    return _row(
        option=option.id,
        message=option.text,
        effects=cells.write_pairs(option.effects, signed=True),
        scores=cells.write_pairs(option.scores),
        triggers=", ".join(option.triggers),
        outcome=option.outcome,
        other_fields_yaml=_leftover(option.model_dump(exclude_defaults=True), OPTION_COLUMNS),
    )


def _other_fields(inject: Inject) -> str:
    """Inject fields (and respond fields) no column holds: a format extension added after this
    exporter was written still survives the round trip."""
    data = inject.model_dump(by_alias=True, exclude_defaults=True)
    rest = {k: v for k, v in data.items() if k not in INJECT_COLUMNS}
    respond = data.get("respond") or {}
    respond_rest = {k: v for k, v in respond.items() if k not in RESPOND_COLUMNS}
    if respond_rest:
        rest["respond"] = respond_rest
    return _yaml(rest)


def _leftover(data: dict[str, Any], handled: set[str]) -> str:
    return _yaml({k: v for k, v in data.items() if k not in handled})


def _yaml(data: dict[str, Any]) -> str:
    if not data:
        return ""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100).strip()


def csv_text(rows: list[list[str]]) -> str:
    """CSV text; a cell a spreadsheet would read as a formula gets a leading ``'``."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()


def write_xlsx(rows: list[list[str]], path: Path, title: str) -> None:
    """A workbook a planner can print: bold frozen header, wrapped text, sensible widths."""
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "MSEL"
    for values in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) for v in values])
    for row in sheet.iter_rows():
        for cell in row:
            cell.data_type = "s"  # text, never a formula, whatever it starts with
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(column, 16)
    sheet.freeze_panes = "B2"
    book.properties.title = title
    partial = path.with_name(f".{path.name}.partial")
    book.save(partial)
    partial.replace(path)  # a crash never leaves half a workbook where the planner looks
