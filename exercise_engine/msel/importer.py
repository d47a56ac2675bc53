"""An MSEL sheet's rows, read into draft injects with every problem named by row and column.

The header row is found among the first rows (the one naming most fields); ``--columns`` maps
sheets without one. Rows are then read one by one: empty rows, placeholders (``???``, ``TBD``)
and section headings merged across the sheet are skipped with a warning; a row with an
``Option`` cell adds a course of action to the inject above it. Every cell that cannot be read
is an error, and all errors are collected before anything is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from exercise_engine.msel import cells
from exercise_engine.msel.headers import MSEL, ColumnMap, Dictionary, apply_spec, map_headers
from exercise_engine.msel.problems import Place, Problem, SheetError, SheetErrors
from exercise_engine.msel.recipients import RoleMatcher, channel_for, words
from exercise_engine.msel.sheet import CellValue, Row, Sheet, is_blank
from exercise_engine.msel.times import DateOrder, Moment, TimeFormatError, date_order, parse_moment

HEADER_SEARCH_ROWS = 10
PLACEHOLDER = re.compile(r"^(?:[?.\-_x*]+|tbd|tbc|todo|placeholder|n/?a)$", re.I)
TITLE_LENGTH = 120
ENDEX = frozenset({"endex", "end ex", "end of exercise", "exercise ends"})
MAX_LINE, MAX_TEXT = 400, 20_000


@dataclass
class Draft:
    """One inject as its row wrote it, before the sheet's time line and phases are known."""

    row: int
    fields: dict[str, Any]
    moment: Moment | None = None
    phase_text: str = ""
    phase_place: Place | None = None
    objectives: list[str] = field(default_factory=list)
    options: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Reading:
    """What the rows said: drafts in sheet order, the problems met, and the column map."""

    sheet: Sheet
    columns: ColumnMap
    drafts: list[Draft]
    problems: list[Problem]
    header_row: int | None
    endex: Moment | None = None
    """The time of an ``ENDEX`` row: when play ends (``clock.duration``), not an inject."""

    def warn(self, place: Place, message: str) -> None:
        self.problems.append(Problem(place, message))


@dataclass
class Vocabulary:
    """What the content path knows: roles, criteria of the rubric, doctrine tags."""

    matcher: RoleMatcher
    criteria: set[str]
    rubric: str
    tags: set[str]


def find_header(sheet: Sheet, dictionary: Dictionary = MSEL) -> tuple[Row | None, ColumnMap]:
    """The row among the first few that names the most fields (at least two)."""
    best: tuple[int, Row | None, ColumnMap] = (1, None, ColumnMap())
    for row in [r for r in sheet.rows if not r.empty][:HEADER_SEARCH_ROWS]:
        if not all(isinstance(v, str) or v is None for v in row.values):
            continue  # a header row is text
        mapped = map_headers(list(row.values), dictionary)
        score = len(mapped.columns)
        if score > best[0]:
            best = (score, row, mapped)
    return best[1], best[2]


def read_rows(sheet: Sheet, spec: str | None, known: Vocabulary, order: bool | None) -> Reading:
    header, columns = find_header(sheet)
    if spec:
        headers = list(header.values) if header is not None else None
        try:
            columns = apply_spec(spec, columns if header is not None else ColumnMap(), headers)
        except ValueError as exc:
            raise SheetError(Place(sheet.path), f"--columns: {exc}") from None
        time_column = columns.first("time")
        if header is not None and time_column is not None and _reads_as_time(header, time_column):
            header = None  # the "header" is a data row: a chronogram without headers
    if header is None and not spec:
        raise SheetError(
            sheet.place(),
            f"no header row found in the first {HEADER_SEARCH_ROWS} rows of sheet "
            f"'{sheet.name}'; name the columns with --columns (like B=channel,C=time,D=to,"
            "E=subject,F=message)",
        )
    if "title" not in columns.columns and "body" not in columns.columns:
        raise SheetError(
            sheet.place(header.number if header else None),
            "no column holds an inject's subject or message; map one with --columns",
        )
    reading = Reading(sheet, columns, [], [], header.number if header else None)
    _report_columns(reading)
    start = header.number if header is not None else 0
    reader = _RowReader(reading, known, _date_order(sheet, columns, start, order))
    for row in sheet.rows:
        if row.number > start:
            reader.read(row)
    reader.finish()
    errors = [p for p in reading.problems if p.error]
    if errors:
        raise SheetErrors(errors)
    return reading


def _reads_as_time(row: Row, column: int) -> bool:
    try:
        parse_moment(row.value(column))
    except TimeFormatError:
        return False
    return True


def _date_order(sheet: Sheet, columns: ColumnMap, start: int, day_first: bool | None) -> DateOrder:
    if day_first is not None:
        return DateOrder(day_first, True)
    column = columns.first("time")
    if column is None:
        return DateOrder(False, True)
    return date_order([r.value(column) for r in sheet.rows if r.number > start])


def _report_columns(reading: Reading) -> None:
    sheet, columns = reading.sheet, reading.columns
    for index in columns.ignored:
        reading.warn(
            sheet.place(reading.header_row, index, columns.header(index)),
            "column not imported: its header names no inject field (see docs/msel.md)",
        )
    for index, winner in columns.shadowed:
        reading.warn(
            sheet.place(reading.header_row, index, columns.header(index)),
            f"column not imported: column {sheet.place(None, winner).column} "
            f"({columns.header(winner)}) already gives this field",
        )


class _RowReader:
    """Reads rows one at a time, remembering the inject an option row belongs to."""

    def __init__(self, reading: Reading, known: Vocabulary, order: DateOrder):
        self.reading, self.known, self.order = reading, known, order
        self.columns = reading.columns
        self.sheet = reading.sheet
        self.empty: list[int] = []

    # -- cells ----------------------------------------------------------------------------

    def place(self, row: Row, name: str, index: int | None = None) -> Place:
        column = self.columns.first(name) if index is None else index
        header = self.columns.header(column) if column is not None else ""
        return self.sheet.place(row.number, column, header or name)

    def cell(self, row: Row, name: str) -> CellValue:
        column = self.columns.first(name)
        return None if column is None else row.value(column)

    def texts(self, row: Row, name: str) -> list[str]:
        """The non-empty cells of a field's columns; markdown fields keep their text as is."""
        read = cells.text if name in ("title", "objective") else cells.long_text
        return [t for t in (read(row.value(i)) for i in self.columns.columns.get(name, [])) if t]

    def error(self, place: Place, message: str) -> None:
        self.reading.problems.append(Problem(place, message, error=True))

    def warn(self, place: Place, message: str) -> None:
        self.reading.warn(place, message)

    # -- rows -----------------------------------------------------------------------------

    def read(self, row: Row) -> None:
        if row.empty:
            self.empty.append(row.number)
            return
        self._flush_empty()
        if row.heading:
            first = next(cells.text(v) for v in row.values if not is_blank(v))
            self.warn(
                self.sheet.place(row.number), f"section heading '{first}' (merged cells); skipped"
            )
            return
        titles, bodies = self.texts(row, "title"), self.texts(row, "body")
        option = self.cell(row, "option")
        if not is_blank(option) and not titles and is_blank(self.cell(row, "time")):
            self._option(row)
            return
        placeholder = next(
            (t for t in (titles or bodies)[:1] if PLACEHOLDER.match(t.strip())), None
        )
        if placeholder is not None:
            self.warn(self.sheet.place(row.number), f"placeholder row ('{placeholder}'); skipped")
            return
        if not titles and not bodies:
            self.warn(self.sheet.place(row.number), "row has no subject and no message; skipped")
            return
        self._inject(row, titles, bodies)

    def finish(self) -> None:
        self._flush_empty(trailing=True)

    def _flush_empty(self, trailing: bool = False) -> None:
        if not self.empty:
            return
        first, last = self.empty[0], self.empty[-1]
        rows = f"row {first}" if first == last else f"rows {first}-{last}"
        what = "trailing empty" if trailing else "empty"
        self.warn(Place(self.sheet.path, first), f"{rows}: {what}; skipped")
        self.empty = []

    def _inject(self, row: Row, titles: list[str], bodies: list[str]) -> None:
        body = "\n\n".join(bodies)
        title = titles[0] if titles else _title_from(body)
        if words(title) in ENDEX and not is_blank(self.cell(row, "time")):
            self._endex(row)
            return
        if not titles and title == body.strip():
            body = ""  # a one-line message became the title; saying it twice adds nothing
        data: dict[str, Any] = {}
        draft = Draft(row.number, data)
        self._identity(row, draft)
        self._limit(row, "title", title, MAX_LINE)
        data["title"] = title
        data["body"] = self._limit(row, "body", body, MAX_TEXT)
        self._timing(row, draft)
        self._route(row, data)
        self._notes(row, draft)
        self._engine_fields(row, data)
        self._poll(row, draft)
        self.reading.drafts.append(draft)

    def _poll(self, row: Row, draft: Draft) -> None:
        """A ``Poll`` cell on the inject's own row: its choices split by ``|`` or lines."""
        said = cells.text(self.cell(row, "option"))
        choices = [c.strip() for c in re.split(r"[|\n]", said) if c.strip()]
        for letter, choice in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", choices, strict=False):
            draft.options.append({"id": letter, "text": choice})
        if len(choices) > 26:
            self.error(self.place(row, "option"), f"{len(choices)} choices; at most 26")

    def _endex(self, row: Row) -> None:
        """An ENDEX row marks the end of play: it becomes ``clock.duration``."""
        column = self.columns.first("time")
        assert column is not None
        try:
            moment = parse_moment(
                self.cell(row, "time"), self.columns.units.get(column), self.order
            )
        except TimeFormatError as exc:
            self.error(self.place(row, "time"), str(exc))
            return
        self.reading.endex = moment
        self.warn(self.sheet.place(row.number), "ENDEX row: play ends there (clock.duration); "
                  "not an inject")  # fmt: skip

    def _identity(self, row: Row, draft: Draft) -> None:
        said = cells.text(self.cell(row, "id"))
        if said and not cells.ID_RE.match(said):
            self.warn(
                self.place(row, "id"),
                f"'{said}' is not an inject id (letters, digits, '-', '_', '.'); a new id is given",
            )
            said = ""
        draft.fields["id"] = said
        library = cells.text(self.cell(row, "library"))
        if library:
            draft.fields["use"] = library

    def _limit(self, row: Row, name: str, value: str, limit: int) -> str:
        if len(value) > limit:
            self.error(self.place(row, name), f"{len(value):,} characters; at most {limit:,}")
        return value

    def _timing(self, row: Row, draft: Draft) -> None:
        value = self.cell(row, "time")
        if not is_blank(value):
            column = self.columns.first("time")
            assert column is not None
            try:
                draft.moment = parse_moment(value, self.columns.units.get(column), self.order)
            except TimeFormatError as exc:
                self.error(self.place(row, "time"), str(exc))
            else:
                if not self.order.certain and isinstance(value, str) and "/" in value:
                    self.order = DateOrder(False, True)
                    self.warn(
                        self.place(row, "time"),
                        f"'{value}' read month first (US); "
                        "give --day-first if the sheet writes the day first",
                    )
        at = self.cell(row, "at")
        if not is_blank(at):
            try:
                draft.fields["at"] = cells.duration(at)
            except cells.CellError as exc:
                self.error(self.place(row, "at"), str(exc))
        draft.phase_text = cells.text(self.cell(row, "phase"))
        draft.phase_place = self.place(row, "phase")
        trigger = self.cell(row, "trigger")
        if not is_blank(trigger):
            try:
                draft.fields.update(cells.trigger(trigger))
            except cells.CellError as exc:
                self.error(self.place(row, "trigger"), str(exc))

    def _route(self, row: Row, data: dict[str, Any]) -> None:
        method = cells.text(self.cell(row, "channel"))
        channel = channel_for(method) if method else None
        if channel is None and self.columns.first("channel") is not None:
            said = f"delivery method '{method}' is unknown" if method else "no delivery method"
            self.warn(self.place(row, "channel"), f"{said}; the inject arrives as a report")
        data["channel"] = channel or "report"
        data["from"] = self._limit(row, "from", cells.text(self.cell(row, "from")), MAX_LINE)
        said = cells.text(self.cell(row, "to"))
        roles, unknown = self.known.matcher.recipients(said) if said else ([], [])
        if unknown:
            self.warn(
                self.place(row, "to"),
                f"recipient {', '.join(repr(u) for u in unknown)} "
                "matches no role; map it with --roles NAME=role",
            )
        if not roles:
            if not unknown and self.columns.first("to") is not None:
                self.warn(self.place(row, "to"), "no recipient; the inject goes to all roles")
            roles = ["all"]
        data["to"] = "all" if roles == ["all"] else roles

    def _notes(self, row: Row, draft: Draft) -> None:
        notes = self.texts(row, "expected") + self.texts(row, "notes")
        for text in self.texts(row, "objective"):
            draft.objectives += [line.strip() for line in text.splitlines() if line.strip()]
        expect, unknown = self._known_ids(row, "criteria", self.known.criteria, "criterion")
        if expect:
            draft.fields["expect"] = expect
        if unknown:
            notes.append(f"Criteria not in rubric '{self.known.rubric}': {', '.join(unknown)}")
        tags, unknown = self._known_ids(row, "tags", self.known.tags, "doctrine tag")
        if tags:
            draft.fields["tags"] = tags
        if unknown:
            notes.append(f"Tags not in the doctrine vocabulary: {', '.join(unknown)}")
        if notes:
            draft.fields["notes"] = self._limit(row, "notes", "\n\n".join(notes), MAX_TEXT)

    def _known_ids(self, row: Row, name: str, known: set[str], what: str) -> tuple[list, list]:
        said = cells.id_list(self.cell(row, name))
        unknown = [s for s in said if s not in known]
        if unknown:
            self.warn(
                self.place(row, name),
                f"unknown {what} {', '.join(repr(u) for u in unknown)}; kept in the inject's notes",
            )
        return [s for s in said if s in known], unknown

    def _engine_fields(self, row: Row, data: dict[str, Any]) -> None:
        contingency = self.cell(row, "contingency")
        if not is_blank(contingency):
            try:
                if cells.yes_no(contingency):
                    data["contingency"] = True
            except cells.CellError as exc:
                self.error(self.place(row, "contingency"), str(exc))
        respond: dict[str, Any] = {}
        prompt = cells.long_text(self.cell(row, "decision"))
        if prompt:
            respond["prompt"] = prompt
        due = self.cell(row, "due")
        if not is_blank(due):
            column = self.columns.first("due")
            try:
                respond["due"] = cells.duration(due, self.columns.units.get(column or -1))
            except cells.CellError as exc:
                self.error(self.place(row, "due"), str(exc))
        responders = cells.text(self.cell(row, "respond"))
        if responders:
            roles, unknown = self.known.matcher.recipients(responders)
            if unknown:
                self.error(
                    self.place(row, "respond"),
                    f"{', '.join(repr(u) for u in unknown)} matches no role",
                )
            respond["roles"] = roles
        for name in ("free_text", "rationale"):
            value = cells.text(self.cell(row, name))
            if not value:
                continue
            if name == "rationale":
                if value.lower() not in ("required", "optional", "none"):
                    self.error(
                        self.place(row, name), f"'{value}' is not required, optional or none"
                    )
                respond[name] = value.lower()
                continue
            try:
                respond[name] = cells.yes_no(value)
            except cells.CellError as exc:
                self.error(self.place(row, name), str(exc))
        if respond:
            data["respond"] = respond
        extra = self._extra(row)
        if extra:
            data.update(cells.merge(data, extra))

    def _extra(self, row: Row) -> dict[str, Any]:
        try:
            return cells.extra_fields(self.cell(row, "extra"))
        except cells.CellError as exc:
            self.error(self.place(row, "extra"), str(exc))
            return {}

    def _option(self, row: Row) -> None:
        drafts = self.reading.drafts
        place = self.place(row, "option")
        if not drafts or drafts[-1].row > row.number:
            self.error(place, "an option row must follow the inject it belongs to")
            return
        option: dict[str, Any] = {"id": cells.text(self.cell(row, "option"))}
        if not cells.ID_RE.match(option["id"]):
            self.error(place, f"'{option['id']}' is not an option id (like A)")
        option["text"] = "\n\n".join(self.texts(row, "body") or self.texts(row, "title"))
        if not option["text"]:
            self.error(place, "the option has no text (in the message column)")
        for name in ("effects", "scores"):
            value = self.cell(row, name)
            if is_blank(value):
                continue
            try:
                option[name] = cells.pairs(value)
            except cells.CellError as exc:
                self.error(self.place(row, name), str(exc))
        triggers = cells.id_list(self.cell(row, "triggers"))
        if triggers:
            option["triggers"] = triggers
        outcome = cells.long_text(self.cell(row, "outcome"))
        if outcome:
            option["outcome"] = outcome
        drafts[-1].options.append(cells.merge(option, self._extra(row)))


def _title_from(body: str) -> str:
    """A headline for a row that has a message but no subject: its first line, shortened."""
    line = body.strip().splitlines()[0].strip(" #*") if body.strip() else ""
    if len(line) <= TITLE_LENGTH:
        return line
    return line[:TITLE_LENGTH].rsplit(" ", 1)[0] + "..."
