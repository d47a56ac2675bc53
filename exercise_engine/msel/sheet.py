"""Reading a csv or xlsx sheet into numbered rows of cells, the way the planner sees them.

xlsx is read with openpyxl (cell types kept: dates, times and numbers arrive as such); csv is
read as text with its delimiter and encoding detected. Merged cells are resolved here: a cell
merged down a column (a phase or day written once for several rows) fills every row it covers;
a row that is one cell merged across the sheet is a section heading and is flagged as such.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exercise_engine.msel.problems import Place, SheetError

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
MAX_UNPACKED = 200 * 1024 * 1024
"""An xlsx is a zip: refuse one that would unpack beyond this before parsing it."""
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".md", ".markdown")
CellValue = str | int | float | dt.datetime | dt.date | dt.time | dt.timedelta | None
# A leading apostrophe is how our own csv export keeps a spreadsheet from reading "=...",
# "+...", "-..." or "@..." as a formula; it is not part of the text.
_FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass
class Row:
    number: int
    """1-based, as the spreadsheet shows it."""
    values: list[CellValue]
    heading: bool = False
    """The row is a single cell merged across columns: a section heading, not an inject."""

    def value(self, index: int) -> CellValue:
        return self.values[index] if index < len(self.values) else None

    @property
    def empty(self) -> bool:
        return all(is_blank(v) for v in self.values)


@dataclass
class Sheet:
    path: str
    name: str
    rows: list[Row] = field(default_factory=list)

    def place(self, row: int | None = None, column: int | None = None, header: str = "") -> Place:
        letter = column_letter(column) if column is not None else None
        return Place(self.path, row, letter, header)


def column_letter(index: int) -> str:
    """0 -> ``A``, 27 -> ``AB``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """``A`` -> 0, ``AB`` -> 27."""
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - ord("A") + 1
    return index - 1


def is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_sheet(path: str | Path, sheet: str | None = None) -> Sheet:
    """The rows of one sheet of ``path`` (the first non-empty sheet unless one is named)."""
    path = Path(path)
    shown = str(path)
    if not path.is_file():
        raise SheetError(Place(shown), "no such file")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise SheetError(
            Place(shown),
            f"cannot read '{suffix or 'no extension'}' files; save the sheet as .xlsx or .csv",
        )
    if path.stat().st_size > MAX_BYTES:
        raise SheetError(Place(shown), f"larger than {MAX_BYTES // (1024 * 1024)} MiB")
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, shown, sheet)
    if sheet is not None:
        raise SheetError(Place(shown), f"a {suffix[1:]} file has no sheets; leave out --sheet")
    if suffix in (".md", ".markdown"):
        from exercise_engine.msel.markdown import read_markdown

        return read_markdown(path.read_text(encoding="utf-8-sig", errors="replace"), shown,
                             path.stem)  # fmt: skip
    return _read_csv(path, shown)


def _read_csv(path: Path, shown: str) -> Sheet:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # what Excel writes on Windows
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    result = Sheet(shown, path.stem)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for number, values in enumerate(reader, start=1):
            _check_size(result, number)
            result.rows.append(Row(number, [_csv_cell(v) for v in values]))
    except csv.Error as exc:
        raise SheetError(Place(shown, reader.line_num), f"not a readable csv row: {exc}") from None
    return result


def _csv_cell(text: str) -> CellValue:
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_STARTS:
        return text[1:]
    return text


def _read_xlsx(path: Path, shown: str, sheet: str | None) -> Sheet:
    import zipfile

    import openpyxl

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED:
            raise SheetError(Place(shown), f"unpacks to more than {MAX_UNPACKED // 2**20} MiB")
        book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SheetError(Place(shown), f"not a readable xlsx workbook ({exc})") from None
    if sheet is not None:
        if sheet not in book.sheetnames:
            raise SheetError(
                Place(shown),
                f"no sheet '{sheet}'; sheets: {', '.join(repr(n) for n in book.sheetnames)}",
            )
        worksheet = book[sheet]
    else:
        worksheet = next(
            (ws for ws in book.worksheets if ws.max_row > 1 or ws.cell(1, 1).value is not None),
            book.worksheets[0],
        )
    result = Sheet(shown, worksheet.title)
    width = worksheet.max_column
    for number, cells in enumerate(worksheet.iter_rows(values_only=True), start=1):
        _check_size(result, number)
        result.rows.append(Row(number, [_xlsx_cell(v) for v in cells]))
    _resolve_merges(result, worksheet.merged_cells.ranges, width)
    return result


def _xlsx_cell(value: Any) -> CellValue:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str | int | float | dt.datetime | dt.date | dt.time | dt.timedelta):
        return value
    return None if value is None else str(value)


def _resolve_merges(sheet: Sheet, ranges: Any, width: int) -> None:
    rows = {row.number: row for row in sheet.rows}
    for merged in ranges:
        top = rows.get(merged.min_row)
        if top is None:
            continue
        value = top.value(merged.min_col - 1)
        if merged.min_col == merged.max_col:  # merged down one column: fill every row
            for number in range(merged.min_row + 1, merged.max_row + 1):
                row = rows.get(number)
                if row is not None and merged.min_col - 1 < len(row.values):
                    row.values[merged.min_col - 1] = value
            continue
        outside = [
            v
            for i, v in enumerate(top.values)
            if not merged.min_col - 1 <= i < merged.max_col and not is_blank(v)
        ]
        if not outside and merged.max_col - merged.min_col + 1 >= max(2, width // 2):
            for number in range(merged.min_row, merged.max_row + 1):
                if number in rows:
                    rows[number].heading = True


def _check_size(sheet: Sheet, number: int) -> None:
    if number > MAX_ROWS:
        raise SheetError(Place(sheet.path, number), f"more than {MAX_ROWS:,} rows")
