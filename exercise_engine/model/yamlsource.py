"""Safe, position-aware YAML loading for untrusted content files.

Scenario files come from course designers and from the internet, so loading is defensive:
safe loading only (libyaml's ``CSafeLoader`` when present), no tags beyond plain data, duplicate
keys refused, nesting and alias expansion bounded. Every value keeps the ``file:line:col`` it came
from, so later validation can point at the exact spot, and scalars that YAML 1.1 silently
re-typed (``12:30`` -> 750, ``yes`` -> True) keep their source text to explain the surprise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from exercise_engine.model.diagnostics import ContentError, Diagnostic, Position

try:  # libyaml is ~4x faster; fall back to the pure-Python loader where it is missing.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64
MAX_EXPANSION_FACTOR = 10
MAX_EXPANDED_NODES = 5_000_000

_TAG = "tag:yaml.org,2002:"
_PLAIN_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_CONSTRUCTOR = SafeConstructor()

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
    quoted = f'"{text}"'
    if isinstance(value, bool):
        return (
            f"YAML reads unquoted '{text}' as the boolean {str(value).lower()}; "
            f"write {quoted} if you mean the text"
        )
    if isinstance(value, int) and ":" in text:
        hours, _, minutes = text.partition(":")
        duration = f'"{int(hours)}h{minutes}m"' if minutes.isdigit() and ":" not in minutes else ""
        advice = f"{quoted} for a clock time" + (f", {duration} for a duration" if duration else "")
        return (
            f"YAML 1.1 reads unquoted '{text}' as the base-60 number {value}; write {advice} "
            "(times and durations are always quoted strings)"
        )
    if isinstance(value, int | float):
        return f"YAML reads unquoted '{text}' as the number {value}; write {quoted} for text"
    if isinstance(value, dt.date | dt.datetime):
        return f"YAML reads unquoted '{text}' as a date; write {quoted}"
    if value is None:
        return f"YAML reads '{text}' as 'no value' (null); write {quoted} for text"
    return f"YAML read '{text}' as {value!r}; write {quoted}"


def load_yaml(text: str | bytes, path: str) -> YamlDocument:
    """Parse one content file; raise ``ContentError`` with positions on any problem."""
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise _error(path, 1, 1, f"file is {len(text):,} bytes; the limit is {MAX_BYTES:,}")
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = text[: exc.start].count(b"\n") + 1
            raise _error(path, line, 1, "file is not valid UTF-8 text") from None
    elif len(text) > MAX_BYTES:
        raise _error(path, 1, 1, f"file is {len(text):,} characters; the limit is {MAX_BYTES:,}")
    if not text.strip():
        raise _error(path, 1, 1, "file is empty; a content file starts with a 'format:' line")
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(path, exc, text) from None
    except yaml.YAMLError as exc:  # ReaderError and friends
        line = getattr(exc, "position", 0)
        raise _error(path, 1, 1, f"YAML cannot read this file: {exc}", line_hint=line) from None
    except RecursionError:
        raise _error(path, 1, 1, f"nesting is deeper than {MAX_DEPTH} levels") from None
    if root is None:
        raise _error(path, 1, 1, "file holds only comments; expected 'format:' and content")
    if "*" in text:  # aliases are written *name; without one no node can be expanded twice
        _check_expansion(path, root)
    builder = _Builder(path)
    data = builder.build(root, ())
    if builder.problems:
        raise ContentError(builder.problems)
    return YamlDocument(path, data, builder.positions, builder.key_positions, builder.source_text)


def _error(path: str, line: int, col: int, message: str, line_hint: int = 0) -> ContentError:
    return ContentError([Diagnostic(Position(path, line, col), message)])


def _syntax_error(path: str, exc: yaml.MarkedYAMLError, text: str) -> ContentError:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = source_line[: len(source_line) - len(source_line.lstrip())]
    if "\t" in indent or "\\t" in problem:
        message = "tab character in indentation; YAML indents with spaces only"
    elif "maximum nesting depth" in problem:
        message = f"nesting is too deep (more than {MAX_DEPTH} levels is refused)"
    elif "expected a single document" in (context + problem):
        message = "more than one YAML document ('---'); a content file holds exactly one"
    elif exc.context_mark is not None and context.startswith(
        ("while parsing a flow", "while scanning a quoted")
    ):
        # An unclosed bracket or quote: point at where it was opened, which is the real mistake.
        opened = exc.context_mark
        what = "quoted text" if "quoted" in context else "bracket"
        message = (
            f"YAML syntax error: this {what} is never closed "
            f"(noticed at line {line}, column {col}: {problem})"
        )
        line, col = opened.line + 1, opened.column + 1
    else:
        message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    return ContentError([Diagnostic(Position(path, line, col), message)])


def _pos(path: str, node: Node) -> Position:
    return Position(path, node.start_mark.line + 1, node.start_mark.column + 1)


def _check_expansion(path: str, root: Node) -> None:
    """Refuse alias bombs before building anything: count nodes as aliases would expand them."""
    sizes: dict[int, int] = {}
    distinct = 0
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        if isinstance(node, ScalarNode):
            sizes[key] = 1
            distinct += 1
            continue
        children = _children(node)
        if not done:
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        distinct += 1
        sizes[key] = 1 + sum(sizes.get(id(c), 1) for c in children)
        if sizes[key] > MAX_EXPANDED_NODES:
            break
    total = sizes.get(id(root), MAX_EXPANDED_NODES + 1)
    budget = min(MAX_EXPANDED_NODES, MAX_EXPANSION_FACTOR * distinct + 10_000)
    if total > budget:
        raise ContentError(
            [
                Diagnostic(
                    _pos(path, root),
                    f"aliases expand this file to more than {budget:,} values (an 'alias bomb'); "
                    "use fewer nested '*alias' references",
                )
            ]
        )


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return []


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
    """Turns a composed node tree into plain data, recording positions and problems."""

    def __init__(self, path: str):
        self.path = path
        self.positions: dict[Loc, Mark] = {}
        self.key_positions: dict[Loc, Mark] = {}
        self.source_text: dict[Loc, str] = {}
        self.problems: list[Diagnostic] = []

    def problem(self, node: Node, message: str) -> None:
        self.problems.append(Diagnostic(_pos(self.path, node), message))

    def build(self, node: Node, loc: Loc) -> Any:
        if len(loc) > MAX_DEPTH:
            self.problem(node, f"nesting is deeper than {MAX_DEPTH} levels")
            return None
        mark = node.start_mark
        self.positions[loc] = (self.path, mark.line + 1, mark.column + 1)
        if isinstance(node, ScalarNode):
            return self.scalar(node, loc)
        if isinstance(node, SequenceNode):
            if node.tag != _TAG + "seq":
                self.bad_tag(node)
                return None
            return [self.build(child, (*loc, i)) for i, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            if node.tag != _TAG + "map":
                self.bad_tag(node)
                return None
            return self.mapping(node, loc)
        self.problem(node, "unsupported YAML node")  # pragma: no cover - composer emits 3 kinds
        return None

    def bad_tag(self, node: Node) -> None:
        tag = node.tag.replace(_TAG, "!!")
        self.problem(
            node,
            f"the tag {tag} is not allowed: content files hold plain data only "
            "(text, numbers, true/false, lists and mappings)",
        )

    def scalar(self, node: ScalarNode, loc: Loc) -> Any:
        tag = node.tag
        if tag in ("!", _TAG + "str"):
            return node.value
        if tag not in _PLAIN_SCALAR_TAGS:
            self.bad_tag(node)
            return None
        try:
            value = _fast_scalar(tag, node.value)
            if value is _SLOW:
                value = _CONSTRUCTOR.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            self.problem(node, f"cannot read the value '{node.value}': {exc}")
            return None
        if not node.style:  # a plain scalar that YAML typed implicitly (libyaml says '')
            self.source_text[loc] = node.value
        return value

    def mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, Mark] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                merged.update(self.merge_source(value_node, loc))
                continue
            if not isinstance(key_node, ScalarNode):
                self.problem(key_node, "a key must be plain text, not a list or mapping")
                continue
            key = self.key(key_node)
            if key is None:
                continue
            mark = key_node.start_mark
            here = (self.path, mark.line + 1, mark.column + 1)
            if key in seen:
                self.problem(
                    key_node,
                    f"duplicate key '{key}' (first at line {seen[key][1]}); "
                    "YAML would silently keep only the last one",
                )
                continue
            seen[key] = here
            self.key_positions[(*loc, key)] = here
            result[key] = self.build(value_node, (*loc, key))
        for key, value in merged.items():
            result.setdefault(key, value)
        return result

    def merge_source(self, node: Node, loc: Loc) -> dict[str, Any]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in reversed(sources):
            if not isinstance(source, MappingNode):
                self.problem(source, "'<<' merges only mappings")
                continue
            merged.update(self.mapping(source, loc))
        return merged

    def key(self, node: ScalarNode) -> str | None:
        if node.tag in ("!", _TAG + "str"):
            return node.value
        if node.tag not in _PLAIN_SCALAR_TAGS:
            self.bad_tag(node)
            return None
        try:
            value = _CONSTRUCTOR.construct_object(node)
        except (yaml.YAMLError, ValueError):
            value = node.value
        self.problem(
            node,
            f"the key '{node.value}' is not text: " + explain_retyped_scalar(node.value, value),
        )
        return None
