"""MSELs kept in markdown: a situation manual's inject tables, or printed inject cards.

A table row is a sheet row; the tables of a document that share a header are one sheet, with
each row's section (the ``##`` heading above its table, e.g. ``Module 2: Field reports``) added
in a ``Module`` column. Inject cards (``### Inject 1.1 · +0:00`` followed by ``- **From:** ...``
lines) become rows of ``Inject No.``, ``Time`` and one column per field the cards name.
Line numbers of the document serve as row numbers, so problems point into the file.
"""

from __future__ import annotations

import re

from exercise_engine.msel.sheet import Row, Sheet

_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_SECTION = re.compile(r"^##\s+(?!#)(?P<title>.+?)\s*$")
_CARD = re.compile(r"^###\s+(?:inject\s+)?(?P<id>\S+)\s*[·|\-\u2013\u2014:]\s*(?P<time>.+?)\s*$",
                   re.I)  # fmt: skip
_CARD_FIELD = re.compile(r"^\s*[-*]\s*\*\*(?P<name>[^*]+?):?\*\*:?\s*(?P<value>.*)$")
SECTION_HEADER = "Module"


def read_markdown(text: str, path: str, name: str) -> Sheet:
    """The injects of a markdown MSEL: its tables if it has any, else its inject cards."""
    lines = text.splitlines()
    sheet = _tables(lines, path, name)
    return sheet if sheet.rows else _cards(lines, path, name)


def _cells(line: str) -> list[str]:
    inner = _TABLE_ROW.match(line)
    assert inner is not None
    return [c.strip() for c in re.split(r"(?<!\\)\|", inner.group(1))]


def _tables(lines: list[str], path: str, name: str) -> Sheet:
    """Every table with the most common header, rows numbered by their line in the file."""
    tables: list[tuple[list[str], list[Row]]] = []
    section = ""
    number = 0
    while number < len(lines):
        line = lines[number]
        heading = _SECTION.match(line)
        if heading:
            section = heading["title"]
        if _TABLE_ROW.match(line) and number + 1 < len(lines) and _RULE.match(lines[number + 1]):
            header = _cells(line)
            rows: list[Row] = []
            number += 2
            while number < len(lines) and _TABLE_ROW.match(lines[number]):
                rows.append(Row(number + 1, [*_cells(lines[number]), section]))
                number += 1
            tables.append((header, rows))
            continue
        number += 1
    sheet = Sheet(path, name)
    if not tables:
        return sheet
    headers = [tuple(h) for h, _ in tables]
    common = max(set(headers), key=headers.count)
    chosen = [rows for header, rows in tables if tuple(header) == common]
    header_line = chosen[0][0].number - 2 if chosen[0] else 0  # the table's own header line
    sheet.rows.append(Row(header_line, [*common, SECTION_HEADER]))
    for rows in chosen:
        sheet.rows += rows
    return sheet


def _cards(lines: list[str], path: str, name: str) -> Sheet:
    """``### Inject 1.1 · +0:00`` cards, one row each."""
    cards: list[tuple[int, dict[str, str]]] = []
    fields: list[str] = []
    section = ""
    current: dict[str, str] | None = None
    for number, line in enumerate(lines, start=1):
        heading = _SECTION.match(line)
        if heading:
            section, current = heading["title"], None
            continue
        card = _CARD.match(line)
        if card:
            current = {"Inject No.": card["id"], "Time": card["time"], SECTION_HEADER: section}
            cards.append((number, current))
            continue
        field = _CARD_FIELD.match(line) if current is not None else None
        if field and current is not None:
            key = field["name"].strip()
            current[key] = field["value"].strip()
            if key not in fields:
                fields.append(key)
    sheet = Sheet(path, name)
    if not cards:
        return sheet
    header = ["Inject No.", "Time", *fields, SECTION_HEADER]
    sheet.rows.append(Row(cards[0][0] - 1, list(header)))
    sheet.rows += [Row(n, [card.get(h, "") for h in header]) for n, card in cards]
    return sheet
