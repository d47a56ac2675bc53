"""Safe, position-aware YAML loading for untrusted content files.

Scenario files come from course designers and from the internet, so loading is defensive:
safe loading only (libyaml's ``CSafeLoader`` when present), no tags beyond plain data, duplicate
keys refused, nesting, list length, the number of values and alias expansion bounded, alias
cycles refused. Every value keeps the ``file:line:col`` it came from, so later validation can
point at the exact spot, and scalars that YAML 1.1 silently re-typed (``12:30`` -> 750, ``yes``
-> True) keep their source text to explain the surprise.

The data is built straight from libyaml's event stream, not from a composed node tree: that is
five times faster, lets every limit stop the load at the value that crosses it (a 10-million
item list fails in milliseconds, not after a minute and 5 GB), and makes an alias to a node that
is still open (``x: &a [*a]``) a cycle seen as it is read rather than an endless walk.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from exercise_engine.model.diagnostics import ContentError, Diagnostic, Position, excerpt, quoted

try:  # libyaml is ~4x faster; fall back to the pure-Python loader where it is missing.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64
MAX_EXPANSION_FACTOR = 10
MAX_VALUES = 1_000_000
"""Values in one file, aliases expanded: a 20,000-inject scenario holds about 475,000."""
MAX_ITEMS = 50_000
"""Items in one list, entries in one mapping."""

_TAG = "tag:yaml.org,2002:"
_PLAIN_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_CONSTRUCTOR = SafeConstructor()
_RESOLVER = Resolver()
_STR, _SEQ, _MAP, _MERGE = (_TAG + t for t in ("str", "seq", "map", "merge"))
# The first characters of plain scalars that YAML 1.1 may type as something other than text.
_IMPLICIT_FIRST = frozenset(
    first for first in _RESOLVER.yaml_implicit_resolvers if first is not None and first != ""
)

Loc = tuple[str | int, ...]
Mark = tuple[str, int, int]  # (path, line, column), 1-based; a Position is made only when asked


@dataclass
class YamlDocument:
    """Plain data from one YAML file with a position for every mapping entry and list item."""

    path: str
    data: Any
    positions: dict[Loc, Mark] = field(default_factory=dict)
    key_positions: dict[Loc, Mark] = field(default_factory=dict)
    source_text: dict[Loc, str] = field(default_factory=dict)

    def position(self, loc: Loc, *, key: bool = False) -> Position:
        """The position of ``loc``, or of its nearest ancestor that has one."""
        loc = tuple(loc)
        while loc:
            table = self.key_positions if key else self.positions
            mark = table.get(loc) or self.positions.get(loc)
            if mark is not None:
                return Position(mark[0], mark[1], mark[2])
            loc = loc[:-1]
        mark = self.positions.get((), (self.path, 1, 1))
        return Position(mark[0], mark[1], mark[2])

    def surprise(self, loc: Loc) -> str | None:
        """Explain how YAML re-typed the scalar at ``loc``, if it did."""
        text = self.source_text.get(tuple(loc))
        if text is None:
            return None
        return explain_retyped_scalar(text, _get(self.data, loc))


def _get(data: Any, loc: Loc) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def explain_retyped_scalar(text: str, value: Any) -> str:
    """A message for a plain scalar that YAML read as something other than the text written."""
    if len(text) > 60 or not text.isprintable():
        what = "a number" if isinstance(value, int | float) else f"a {type(value).__name__}"
        return f"YAML reads the unquoted {quoted(text)} as {what}; write it in quotes for text"
    quoted_text = f'"{text}"'
    if isinstance(value, bool):
        return (
            f"YAML reads unquoted '{text}' as the boolean {str(value).lower()}; "
            f"write {quoted_text} if you mean the text"
        )
    if isinstance(value, int) and ":" in text:
        hours, _, minutes = text.partition(":")
        duration = f'"{int(hours)}h{minutes}m"' if minutes.isdigit() and ":" not in minutes else ""
        advice = f"{quoted_text} for a clock time" + (
            f", {duration} for a duration" if duration else ""
        )
        return (
            f"YAML 1.1 reads unquoted '{text}' as the base-60 number {value}; write {advice} "
            "(times and durations are always quoted strings)"
        )
    if isinstance(value, int | float):
        return f"YAML reads unquoted '{text}' as the number {value}; write {quoted_text} for text"
    if isinstance(value, dt.date | dt.datetime):
        return f"YAML reads unquoted '{text}' as a date; write {quoted_text}"
    if value is None:
        return f"YAML reads '{text}' as 'no value' (null); write {quoted_text} for text"
    return f"YAML read '{text}' as {value!r}; write {quoted_text}"


def load_yaml(text: str | bytes, path: str) -> YamlDocument:
    """Parse one content file; raise ``ContentError`` with positions on any problem."""
    if isinstance(text, bytes):
        raw = text
        if len(raw) > MAX_BYTES:
            raise _error(path, 1, 1, f"file is over {MAX_BYTES:,} bytes, the limit")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _not_utf8(path, exc.object, exc.start) from None
    elif len(text) > MAX_BYTES:
        raise _error(path, 1, 1, f"file is {len(text):,} characters; the limit is {MAX_BYTES:,}")
    if not text.strip():
        raise _error(path, 1, 1, "file is empty; a content file starts with a 'format:' line")
    lines = _Lines(text)
    try:
        builder = _Builder(path, lines, text)
        found, data = builder.document()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(path, exc, lines) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(path, exc, text, lines) from None
    except UnicodeEncodeError as exc:  # a str with lone surrogates (never from a file)
        line, col = lines.at(exc.start)
        message = "text holds a lone surrogate; it is not valid Unicode"
        raise _error(path, line, col, message) from None
    except yaml.YAMLError as exc:  # pragma: no cover - the parser raises the two above
        raise _error(path, 1, 1, f"YAML cannot read this file: {type(exc).__name__}") from None
    except RecursionError:  # pragma: no cover - nesting is cut at MAX_DEPTH first
        raise _error(path, 1, 1, f"nesting is deeper than {MAX_DEPTH} levels") from None
    except _TooLarge as exc:
        raise ContentError([exc.diagnostic]) from None
    if not found:
        raise _error(path, 1, 1, "file holds only comments; expected 'format:' and content")
    if builder.problems:
        raise ContentError(builder.problems)
    return YamlDocument(path, data, builder.positions, builder.key_positions, builder.source_text)


def _not_utf8(path: str, data: bytes, offset: int) -> ContentError:
    """The first byte that is not UTF-8, at the line and column an editor shows for it
    (``data`` is what the decoder read: without the byte-order mark, which editors hide)."""
    before = data[:offset]
    line = before.count(b"\n") + 1
    line_start = before.rfind(b"\n") + 1
    col = len(before[line_start:].decode("utf-8", "replace")) + 1
    message = f"file is not valid UTF-8 text (byte 0x{data[offset]:02X}); save it as UTF-8"
    return _error(path, line, col, message)


def _error(path: str, line: int, col: int, message: str) -> ContentError:
    return ContentError([Diagnostic(Position(path, line, col), message)])


class _Lines:
    """Line and column of a character as editors count them: lines end at ``\\n``, ``\\r\\n``
    or ``\\r``. YAML 1.1 also ends lines at U+0085, U+2028 and U+2029, so libyaml's own line
    numbers drift after one of those; then positions are worked out from the character index."""

    _BREAK = re.compile(r"\r\n|\r|\n")

    def __init__(self, text: str):
        self.text = text
        self.exotic = "\x85" in text or "\u2028" in text or "\u2029" in text
        self._starts: list[int] | None = None

    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0, *(m.end() for m in self._BREAK.finditer(self.text))]
        return self._starts

    def at(self, index: int) -> tuple[int, int]:
        starts = self.starts()
        line = bisect_right(starts, index) - 1
        return line + 1, index - starts[line] + 1

    def mark(self, mark: yaml.Mark) -> tuple[int, int]:
        if self.exotic:
            return self.at(mark.index)
        return mark.line + 1, mark.column + 1

    def line_text(self, line: int) -> str:
        starts = self.starts()
        if not 0 < line <= len(starts):
            return ""
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[starts[line - 1] : end].rstrip("\r\n")


def _syntax_error(path: str, exc: yaml.MarkedYAMLError, lines: _Lines) -> ContentError:
    mark = exc.problem_mark or exc.context_mark
    line, col = lines.mark(mark) if mark else (1, 1)
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    source_line = lines.line_text(line)
    indent = source_line[: len(source_line) - len(source_line.lstrip())]
    if "\t" in indent or "\\t" in problem:
        message = "tab character in indentation; YAML indents with spaces only"
    elif "maximum nesting depth" in problem:
        message = f"nesting is too deep (more than {MAX_DEPTH} levels is refused)"
    elif exc.context_mark is not None and context.startswith(
        ("while parsing a flow", "while scanning a quoted")
    ):
        # An unclosed bracket or quote: point at where it was opened, which is the real mistake.
        what = "quoted text" if "quoted" in context else "bracket"
        message = (
            f"YAML syntax error: this {what} is never closed "
            f"(noticed at line {line}, column {col}: {problem})"
        )
        line, col = lines.mark(exc.context_mark)
    else:
        message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
        if lines.exotic:
            message += _separator_hint(lines, exc)
    return ContentError([Diagnostic(Position(path, line, col), message)])


_SEPARATORS = {"\x85": "U+0085", "\u2028": "U+2028", "\u2029": "U+2029"}


def _separator_hint(lines: _Lines, exc: yaml.MarkedYAMLError) -> str:
    """Why a line that looks right is a syntax error: YAML 1.1 ends a line at U+0085, U+2028
    and U+2029, even in a comment or plain text, which no editor shows as a line end."""
    marked = [lines.mark(m)[0] for m in (exc.context_mark, exc.problem_mark) if m is not None]
    for number in range(min(marked, default=1), max(marked, default=0) + 1):
        for char in lines.line_text(number):
            if char in _SEPARATORS:
                return (
                    f"; the {_SEPARATORS[char]} on line {number} ends a line for YAML, "
                    "even in a comment or unquoted text: remove it or put the text in quotes"
                )
    return ""


def _reader_error(
    path: str, exc: yaml.reader.ReaderError, text: str, lines: _Lines
) -> ContentError:
    """A character YAML refuses (NUL, other control characters, U+FFFE), where it is."""
    index = _reader_index(exc, text)
    char = text[index] if text else "?"
    line, col = lines.at(index)
    return _error(
        path,
        line,
        col,
        f"the character U+{ord(char):04X} is not allowed in a YAML file ({exc.reason}); remove it",
    )


def _reader_index(exc: yaml.reader.ReaderError, text: str) -> int:
    """The index of the refused character. libyaml gives its offset in UTF-8 bytes, PyYAML's
    own reader in characters: after a non-ASCII character the two differ, so the offset is
    read both ways and the one that lands on the refused character is kept."""
    offset = max(int(exc.position), 0)
    as_bytes = len(text.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "ignore"))
    for index in (as_bytes, offset):
        if index < len(text) and ord(text[index]) == exc.character:
            return index
    return min(offset, max(len(text) - 1, 0))


class _TooLarge(Exception):
    """A limit crossed: the load stops at once, with this one diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


_STARTS = (SequenceStartEvent, MappingStartEvent)
_ENDS = (SequenceEndEvent, MappingEndEvent)


_SLOW = object()
_BOOLS = {"true": True, "false": False, "yes": True, "no": False, "on": True, "off": False}


def _fast_scalar(tag: str, text: str) -> Any:
    """Common scalars without PyYAML's general constructor (10x faster); unusual forms
    (hex, octal, base 60, .inf, timestamps) return ``_SLOW`` and take the general path."""
    kind = tag[len(_TAG) :]
    digits = text[1:] if text[:1] in "+-" else text
    if kind == "int" and digits.isdigit() and (digits == "0" or not digits.startswith("0")):
        return int(text)
    if kind == "null":
        return None
    if kind == "bool":
        return _BOOLS.get(text.lower(), _SLOW)
    if (
        kind == "float"
        and ":" not in text
        and "inf" not in text.lower()
        and "nan" not in text.lower()
        and "_" not in text
    ):
        return float(text)
    return _SLOW


class _Builder:
    """Turns libyaml's events into plain data, recording positions and problems.

    Anchored nodes keep their events (the "tape") so that an alias replays them where it
    stands; an alias to a node still being read is a cycle; every limit is checked as values
    are made, so a hostile file costs at most the limits, never the whole file.
    """

    def __init__(self, path: str, lines: _Lines, text: str):
        self.path = path
        self.lines = lines
        self.positions: dict[Loc, Mark] = {}
        self.key_positions: dict[Loc, Mark] = {}
        self.source_text: dict[Loc, str] = {}
        self.problems: list[Diagnostic] = []
        self._parsed: Callable[[], Event] = _Loader(text).get_event
        # Without an '&' there is no anchor, so no event needs keeping for a replay.
        self.take: Callable[[], Event] = self._taped if "&" in text else self._parsed
        self.values = 0  # values made, aliases expanded
        self.read = 0  # values read from the text
        self.tape: list[Event] = []
        self.taping = 0
        self.anchors: dict[str, tuple[int, int, int]] = {}  # name -> tape start, end, values
        self.open: set[str] = set()
        self.replaying = 0

    # -- reading events -------------------------------------------------------------------------

    def _taped(self) -> Event:
        event = self._parsed()
        if self.taping:
            self.tape.append(event)
        return event

    def document(self) -> tuple[bool, Any]:
        """(whether the file holds a document, its data); one document only."""
        self.take()  # StreamStartEvent
        event = self.take()
        if isinstance(event, StreamEndEvent):
            return False, None
        data = self.value(self.take(), ())
        self.take()  # DocumentEndEvent
        event = self.take()
        if isinstance(event, DocumentStartEvent):
            self.problem(
                event, "more than one YAML document ('---'); a content file holds exactly one"
            )
        return True, data

    def where(self, event: Event) -> Mark:
        line, column, index = _start(event)
        if self.lines.exotic:
            return (self.path, *self.lines.at(index))
        return (self.path, line + 1, column + 1)

    def problem(self, event: Event, message: str) -> None:
        self.problems.append(Diagnostic(Position(*self.where(event)), message))

    def too_large(self, event: Event, message: str) -> _TooLarge:
        return _TooLarge(Diagnostic(Position(*self.where(event)), message))

    def count(self, event: Event, values: int = 1) -> None:
        self.values += values
        if not self.replaying:
            self.read += values
        if self.values > MAX_VALUES:
            raise self.too_large(
                event,
                f"this file holds more than {MAX_VALUES:,} values (the limit for one file, "
                "aliases expanded); split its injects into libraries (see 'use:')",
            )

    def skip(self, event: Event) -> None:
        """Read past a node without building it (its values still count to the limits)."""
        depth = 1 if isinstance(event, _STARTS) else 0
        self.count(event)
        while depth:
            event = self.take()
            self.count(event)
            if isinstance(event, _STARTS):
                depth += 1
            elif isinstance(event, _ENDS):
                depth -= 1

    # -- values ---------------------------------------------------------------------------------

    def value(self, event: Event, loc: Loc) -> Any:
        if isinstance(event, AliasEvent):
            return self.alias(event, loc)
        if len(loc) > MAX_DEPTH:
            self.problem(event, f"nesting is deeper than {MAX_DEPTH} levels")
            self.skip(event)
            return None
        self.values += 1
        if not self.replaying:
            self.read += 1
        if self.values > MAX_VALUES:
            self.count(event, 0)  # raises
        if self.lines.exotic:
            self.positions[loc] = self.where(event)
        else:
            line, column, _ = _start(event)
            self.positions[loc] = (self.path, line + 1, column + 1)
        assert isinstance(event, ScalarEvent | SequenceStartEvent | MappingStartEvent)
        anchor = None if self.replaying else event.anchor
        if anchor is not None:
            if not self.taping:
                self.tape.append(event)
            start, before = len(self.tape) - 1, self.values
            self.taping += 1
            self.open.add(anchor)
        if isinstance(event, ScalarEvent):
            result = self.scalar(event, loc)
        elif isinstance(event, SequenceStartEvent):
            result = self.sequence(event, loc)
        else:
            result = self.mapping(event, loc)
        if anchor is not None:
            self.taping -= 1
            self.open.discard(anchor)
            self.anchors[anchor] = (start, len(self.tape), self.values - before)
        return result

    def alias(self, event: AliasEvent, loc: Loc) -> Any:
        name = event.anchor or ""  # an alias always names its anchor
        if name in self.open:
            self.problem(
                event,
                f"the alias '*{name}' stands inside the node '&{name}' it refers to: a cycle "
                "that would never end",
            )
            return None
        found = self.anchors.get(name)
        if found is None:
            self.problem(event, f"unknown alias '*{name}': no '&{name}' anchor comes before it")
            return None
        start, end, size = found
        budget = min(MAX_VALUES, MAX_EXPANSION_FACTOR * self.read + 10_000)
        if self.values + size > budget:
            raise self.too_large(
                event,
                f"aliases expand this file to more than {budget:,} values (an 'alias bomb'); "
                "use fewer nested '*alias' references",
            )
        saved = self.take
        self.take = iter(self.tape[start + 1 : end]).__next__
        self.replaying += 1
        try:
            return self.value(self.tape[start], loc)
        finally:
            self.replaying -= 1
            self.take = saved

    def scalar(self, event: ScalarEvent, loc: Loc) -> Any:
        tag, text = event.tag, event.value
        if tag is None:
            if not event.implicit[0] or (text and text[0] not in _IMPLICIT_FIRST):
                return text  # quoted, a block, or plain text no implicit type starts with
            tag = _implicit_tag(text, event.implicit)
        if tag in ("!", _STR):
            return text
        if tag not in _PLAIN_SCALAR_TAGS:
            self.bad_tag(event, tag)
            return None
        try:
            value = _fast_scalar(tag, text)
            if value is _SLOW:
                value = _CONSTRUCTOR.construct_object(_node(event, tag))
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            reason = str(exc).split(";")[0] if "digits" in str(exc) else str(exc)
            self.problem(event, f"cannot read the value {quoted(text)}: {excerpt(reason, 120)}")
            return None
        if not event.style:  # a plain scalar that YAML typed implicitly (libyaml says '')
            self.source_text[loc] = text
        return value

    def sequence(self, event: SequenceStartEvent, loc: Loc) -> list[Any] | None:
        if event.tag not in (None, "!", _SEQ):
            self.bad_tag(event, event.tag)
            self.skip_rest(event)
            return None
        items: list[Any] = []
        take, value = self.take, self.value
        index = 0
        while True:
            item = take()
            if type(item) is SequenceEndEvent:
                return items
            if index >= MAX_ITEMS:
                raise self.too_large(item, _too_many("items in one list", index))
            items.append(value(item, (*loc, index)))
            index += 1

    def mapping(self, event: MappingStartEvent, loc: Loc) -> dict[str, Any] | None:
        if event.tag not in (None, "!", _MAP):
            self.bad_tag(event, event.tag)
            self.skip_rest(event)
            return None
        result: dict[str, Any] = {}
        seen: dict[str, Mark] = {}
        merged: set[str] = set()
        take = self.take
        entries = 0
        while True:
            key_event = take()
            if type(key_event) is MappingEndEvent:
                return result
            entries += 1
            if entries > MAX_ITEMS:
                raise self.too_large(key_event, _too_many("entries in one mapping", MAX_ITEMS))
            key = self.key(key_event)
            value_event = take()
            if key is _MERGE:
                self.merge(value_event, loc, result, seen, merged)
                continue
            if key is None:
                self.skip_value(value_event)
                continue
            here = self.where(key_event)
            if key in seen:
                self.problem(
                    key_event,
                    f"duplicate key {quoted(key)} (first at line {seen[key][1]}); "
                    "YAML would silently keep only the last one",
                )
                self.skip_value(value_event)
                continue
            seen[key] = here
            merged.discard(key)
            self.key_positions[(*loc, key)] = here
            result[key] = self.value(value_event, (*loc, key))

    def key(self, event: Event) -> str | None:
        """A mapping key as text, ``_MERGE`` for ``<<``, or None (with a problem) otherwise."""
        if isinstance(event, AliasEvent):
            found = self.anchors.get(event.anchor or "")
            target = self.tape[found[0]] if found else None
            if isinstance(target, ScalarEvent):
                event = target
            else:
                if found is None:  # a cycle or an unknown anchor: alias() says which
                    self.alias(event, ())
                else:
                    self.problem(
                        event, "a key must be plain text, not an alias to a list or mapping"
                    )
                return None
        if not isinstance(event, ScalarEvent):
            self.problem(event, "a key must be plain text, not a list or mapping")
            self.skip(event)
            return None
        self.count(event)
        tag, text = event.tag, event.value
        if tag is None:
            if not event.implicit[0] or (text and text[0] not in _IMPLICIT_FIRST):
                return text
            tag = _implicit_tag(text, event.implicit)
        if tag in ("!", _STR):
            return text
        if tag == _MERGE:
            return _MERGE
        if tag not in _PLAIN_SCALAR_TAGS:
            self.bad_tag(event, tag)
            return None
        try:
            value = _CONSTRUCTOR.construct_object(_node(event, tag))
        except (yaml.YAMLError, ValueError, OverflowError):
            value = text
        self.problem(
            event, f"the key {quoted(text)} is not text: " + explain_retyped_scalar(text, value)
        )
        return None

    def merge(
        self,
        event: Event,
        loc: Loc,
        result: dict[str, Any],
        seen: dict[str, Mark],
        merged: set[str],
    ) -> None:
        """``<<: *base`` (or a list of them): keys not written here come from the sources,
        the first source first; positions point into the sources."""
        tables: tuple[dict[Loc, Any], ...] = (self.positions, self.key_positions, self.source_text)
        self.positions, self.key_positions, self.source_text = {}, {}, {}
        try:
            data = self.value(event, loc)
            found: tuple[dict[Loc, Any], ...] = (
                self.positions,
                self.key_positions,
                self.source_text,
            )
        finally:
            self.positions, self.key_positions, self.source_text = tables
        sources = data if isinstance(data, list) else [data]
        for index, source in enumerate(sources):
            if not isinstance(source, dict):
                if source is not None:
                    self.problem(event, "'<<' merges only mappings")
                continue
            for key, value in source.items():
                if key in seen or key in result:
                    continue
                result[key] = value
                merged.add(key)
                prefix = (*loc, index, key) if sources is data else (*loc, key)
                for table, entries in zip(tables, found, strict=True):
                    for where, mark in entries.items():
                        if where[: len(prefix)] == prefix:
                            table[(*loc, key, *where[len(prefix) :])] = mark

    def skip_value(self, event: Event) -> None:
        if not isinstance(event, AliasEvent):
            self.skip(event)

    def skip_rest(self, event: Event) -> None:
        """Read past the rest of a collection whose start event was already counted."""
        self.values -= 1
        if not self.replaying:
            self.read -= 1
        self.skip(event)

    def bad_tag(self, event: Event, tag: str) -> None:
        shown = tag.replace(_TAG, "!!")
        self.problem(
            event,
            f"the tag {excerpt(shown, 80)} is not allowed: content files hold plain data only "
            "(text, numbers, true/false, lists and mappings)",
        )


def _node(event: ScalarEvent, tag: str) -> ScalarNode:
    """The node PyYAML's constructor reads a plain scalar from (its errors are caught, so no
    marks are needed)."""
    return ScalarNode(tag, event.value, None, None, event.style)


def _start(event: Event) -> tuple[int, int, int]:
    """Where ``event`` starts: line and column (0-based) and character index."""
    mark = event.start_mark
    assert mark is not None  # the parser marks every event it makes
    return mark.line, mark.column, mark.index


def _implicit_tag(text: str, implicit: tuple[bool, bool]) -> str:
    """The tag YAML 1.1 gives a plain scalar (``tag:yaml.org,2002:int`` for ``12``)."""
    tag: str = _RESOLVER.resolve(ScalarNode, text, implicit)  # type: ignore[no-untyped-call]
    return tag


def _too_many(what: str, limit: int) -> str:
    return (
        f"more than {limit:,} {what} (the limit); a scenario that large cannot be played or "
        "reviewed: split it, or move injects into libraries"
    )
