"""Text from content files and from players, made safe for where it is written.

Scenario files and what trainees type are untrusted: a title or a rationale may carry a
spreadsheet formula, Markdown that fetches a tracking image, a newline that forges a heading or a
diagnostic line, or terminal escape sequences. Every output that shows such text passes it
through one of these functions, chosen by where the text goes; JSON and HTML have escaping of
their own.
"""

from __future__ import annotations

import re

# C0 and C1 controls (but tab and newline), DEL, line and paragraph separators (U+2028 and
# U+2029 break lines in some terminals and editors) and the bidirectional overrides and isolates
# that make a terminal show text in another order than it is written ("Trojan Source").
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
# Invisible format characters (zero-width space, word joiner, byte-order mark): harmless in a
# report's prose, but in a one-line message they make 'ti\u200btle' look like 'title'.
_INVISIBLE = "\u200b\u2060-\u2064\ufeff"
_CONTROL = re.compile(f"[{_CONTROLS}]")
_CONTROL_OR_BREAK = re.compile(f"[{_CONTROLS}{_INVISIBLE}\t\n]")

# OWASP, "CSV Injection": a cell that starts with one of these is a formula to Excel, LibreOffice
# and Google Sheets (tab and carriage return because some of them strip them and read on).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Backslashes and brackets (links, images), and what would start emphasis or code or break a
# table in the middle of a template's own markup.
_MARKDOWN_SPECIAL = re.compile(r"([\\\[\]`*_|])")
_BLOCK_START = frozenset("#>+-=~")  # the other block markers (* | `) are escaped anywhere


def terminal_text(text: str) -> str:
    """Text of several lines for a terminal or a text file: control characters removed, tabs
    and newlines kept (a carriage return goes too, so ``\\r\\n`` reads as ``\\n``)."""
    return _CONTROL.sub("", text)


def terminal_line(text: str) -> str:
    """One line for a terminal or a diagnostic: every control character, newline, tab and
    invisible format character shown as an escape (``\\n``, ``\\x1b``, ``\\u200b``), so that a
    file name or a title can neither forge another line nor send escape sequences, and the
    person can still see what is there."""
    return _CONTROL_OR_BREAK.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
    if char in named:
        return named[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def csv_cell(value: object) -> object:
    """A CSV cell that no spreadsheet runs as a formula: text starting with ``= + - @``, a tab
    or a carriage return gets a leading ``'`` (OWASP's rule); numbers pass as they are. Line
    ends inside the text become ``\n``: the csv module quotes a cell holding one, but not a
    lone ``\r``, which a spreadsheet would read as the end of the row."""
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value


def markdown_inline(value: object) -> str:
    """Text safe anywhere on one line of Markdown (a table cell, a list item, a heading, the
    start of a line): whitespace (newlines included) flattened to single spaces and a leading
    block marker (``#``, ``>``, ``-``, ``=``...) escaped, so no heading, quote, bullet or table
    row can be forged; backslashes and brackets escaped, so no link or image (``![x](https://...)``,
    ``[x][ref]``) can be; ``* _ ` |`` escaped, so no emphasis, code or cell break; ``<``
    escaped, so no raw HTML or autolink; control characters removed."""
    text = "" if value is None else str(value)
    text = _CONTROL.sub("", " ".join(text.split()))
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")
    # A text that a template puts at the start of a line must not open a block there: a
    # heading, a quote, a list item, a table row, a fence, a setext underline.
    # (An ordered-list number, "1. ", is left as written: section titles start with one.)
    return "\\" + text if text[:1] in _BLOCK_START else text
