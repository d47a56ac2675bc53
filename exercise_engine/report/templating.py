"""The Jinja2 environments of the reading formats, and how each escapes what it prints.

HTML: Jinja2's autoescape; every ``{{ value }}`` is HTML-escaped, markup comes only from the
templates. Markdown: the same mechanism with a Markdown escape. The environment is built with
autoescape on (so macros' output counts as markup and is not escaped twice) and ``finalize``
escapes every other printed value for Markdown (``markdown_text``) before Jinja2 sees it.
Two built-ins would HTML-escape in an autoescaping environment: the ``join`` filter (replaced
here by one that escapes for Markdown) and ``~`` between a macro's output and plain text (the
Markdown templates do not use it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from exercise_engine.neutralise import markdown_inline
from exercise_engine.report.document import Document

_MARKDOWN_EMPHASIS = re.compile(r"([`*_|])")
RATING_CODES = ("P", "S", "M", "U")


def markdown_text(value: object) -> str:
    """Text safe anywhere on one line of Markdown: in a table cell, a list item, a heading.

    ``neutralise.markdown_inline`` (no forged line, link, image or raw HTML; no control
    character), and the characters that would break a table (``|``) or start emphasis or code
    in the middle of our own markup (``*``, ``_``, backticks) escaped too.
    """
    return _MARKDOWN_EMPHASIS.sub(r"\\\1", markdown_inline(value))


def markdown_code(value: object) -> Markup:
    """An identifier inside a code span, where backslashes are literal: backticks and pipes
    are dropped rather than escaped (identifiers never hold them)."""
    return Markup(" ".join(str(value).replace("`", "").replace("|", "").split()))


def _markdown_finalize(value: Any) -> Any:
    if value is None or hasattr(value, "__html__"):
        return value
    return Markup(markdown_text(value))


def _markdown_join(items: Iterable[Any], separator: str = "") -> Markup:
    return Markup(separator).join(_markdown_finalize(item) for item in items)


def rating_class(code: str) -> str:
    """A rating's CSS class: its code, or NO for not observed and anything off the scale."""
    return code if code in RATING_CODES else "NO"


def cell_class(cell: Any) -> str:
    """The CSS class of a table cell: numbers align right, heat and level cells are coloured."""
    kind = getattr(cell, "kind", "")
    if kind == "heat":
        return f"cell-{rating_class(cell.code)}"
    if kind == "level":
        return f"lvl lvl{cell.rank}"
    return ""


def _environment(folder: str, **options: Any) -> Environment:
    env = Environment(
        loader=PackageLoader("exercise_engine.report", f"templates/{folder}"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        **options,
    )
    env.filters.update(rating_class=rating_class, cell_class=cell_class)
    return env


@cache
def html() -> Environment:
    return _environment("html")


@cache
def markdown() -> Environment:
    env = _environment("md", finalize=_markdown_finalize)
    env.filters.update(join=_markdown_join, code=markdown_code)
    return env


def render(env: Environment, document: Document, **context: Any) -> str:
    """The document through the format's ``aar`` template."""
    return env.get_template("aar.j2").render(doc=document, **context)
