"""The Jinja2 environments of the reading formats, how each escapes what it prints, and how
each writes the inline values of report/document.py (``inline`` filter).

HTML: Jinja2's autoescape; every ``{{ value }}`` is HTML-escaped, markup comes only from the
templates. Markdown: the same mechanism with a Markdown escape. The environment is built with
autoescape on (so macros' output counts as markup and is not escaped twice) and ``finalize``
escapes every other printed value for Markdown (``markdown_text``) before Jinja2 sees it.
Two built-ins would HTML-escape in an autoescaping environment: the ``join`` filter (replaced
here by one that escapes for Markdown) and ``~`` between a macro's output and plain text (the
Markdown templates do not use it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from exercise_engine.neutralise import markdown_inline
from exercise_engine.report.document import Document, Inline

RATING_CODES = ("P", "S", "M", "U")


@lru_cache(maxsize=8192)  # names, clocks, titles and timings repeat thousands of times
def markdown_text(value: object) -> str:
    """Text safe anywhere on one line of Markdown: in a table cell, a list item, a heading.

    ``neutralise.markdown_inline``: no forged line or block, link, image or raw HTML, no control
    character; the characters that would break a table (``|``) or start emphasis or code in the
    middle of our own markup (``*``, ``_``, backticks) escaped too.
    """
    return markdown_inline(value)


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
    if kind == "heat":  # uncoloured without a letter: the engine's score, not a rating
        return f"cell-{rating_class(cell.code)}" if cell.code else "num"
    if kind == "level":
        return f"lvl lvl{cell.rank}"
    return ""


# -- inline values: a filter per format, called once per table cell -----------------------------
# (Inline values are many: a 100,000-event AAR has some 30,000 cells. As Jinja2 macros they cost
# ten times as much as these functions, measured with benchmarks/bench_report.py.)


def html_inline(x: Inline) -> Markup:
    """An inline value as HTML; text escaped, markup ours."""
    if isinstance(x, str):
        return escape(x)
    if isinstance(x, list):  # every part is escaped already: joined as plain text
        return Markup(" ".join([html_inline(part) for part in x if part]))
    return _HTML[x.kind](x)


_HTML = {
    "strong": lambda x: Markup(f"<b>{escape(x.text)}</b>"),
    "code": lambda x: Markup(f'<span class="mono">{escape(x.text)}</span>'),
    "rating": lambda x: Markup(
        f'<span class="chip {rating_class(x.code)}">{escape(x.code)}</span>'
    ),
    "heat": lambda x: Markup(
        f'<span class="heat">{escape(x.code)}<span class="sub">{escape(x.score)}</span></span>'
        if x.code
        else escape(x.score)
    ),
    "level": lambda x: escape(x.title),
    "seqs": lambda x: Markup(
        f'<span class="seq">{" ".join(f"#{s}" for s in x.shown)}'
        f"{f' +{x.more}' if x.more else ''}</span>"
        if x.seqs
        else ""
    ),
    "tag": lambda x: Markup(f'<span class="{escape(x.style)}">{escape(x.text)}</span>'),
    "small": lambda x: Markup(f'<span class="small">{escape(x.text)}</span>'),
    "lines": lambda x: Markup("<br>".join([html_inline(item) for item in x.items])),
}


def html_cells(row: Sequence[Inline], numeric: frozenset[int]) -> Markup:
    """A table row's cells as HTML (``<td>`` each, with its class). The hot loop of a long AAR:
    written here rather than in the template, where it took three times as long."""
    cells = []
    for i, cell in enumerate(row):
        cls = "num" if i in numeric else cell_class(cell)
        td = f'<td class="{cls}">' if cls else "<td>"
        cells.append(f"{td}{html_inline(cell)}</td>")
    return Markup("".join(cells))


def markdown_inline_value(x: Inline) -> Markup:
    """An inline value as Markdown on one line; text escaped (``markdown_text``)."""
    if isinstance(x, str):
        return Markup(markdown_text(x))
    if isinstance(x, list):  # every part is escaped already: joined as plain text
        return Markup(" ".join([markdown_inline_value(part) for part in x if part]))
    return Markup(_MARKDOWN[x.kind](x))


def markdown_cells(row: Sequence[Inline], numeric: frozenset[int] = frozenset()) -> Markup:
    """A table row as Markdown (``| a | b |``); the same hot loop as ``html_cells``."""
    return Markup("| " + " | ".join([markdown_inline_value(cell) for cell in row]) + " |")


def _emphasis(marker: str, text: str) -> str:
    return f"{marker}{markdown_text(text)}{marker}" if text else ""


_MARKDOWN = {
    "strong": lambda x: _emphasis("**", x.text),
    "code": lambda x: f"`{markdown_code(x.text)}`",
    "rating": lambda x: markdown_text(x.code),
    "heat": lambda x: markdown_text(
        f"{x.code} ({x.score})" if x.score and x.code else x.code or x.score
    ),
    "level": lambda x: markdown_text(x.title),
    "seqs": lambda x: ", ".join(f"#{s}" for s in x.shown) + (f" … (+{x.more})" if x.more else ""),
    "tag": lambda x: _emphasis("*", x.text),
    "small": lambda x: _emphasis("*", x.text),
    "lines": lambda x: "; ".join([markdown_inline_value(item) for item in x.items]),
}


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
    env = _environment("html")
    env.filters.update(inline=html_inline, cells=html_cells)
    return env


@cache
def markdown() -> Environment:
    env = _environment("md", finalize=_markdown_finalize)
    env.filters.update(
        join=_markdown_join, code=markdown_code, inline=markdown_inline_value, cells=markdown_cells
    )
    return env


def render(env: Environment, document: Document, **context: Any) -> str:
    """The document through the format's ``aar`` template."""
    return env.get_template("aar.j2").render(doc=document, **context)
