"""The workbench's HTML: one Jinja2 environment for the preview and the print-outs.

Autoescape everywhere; markup comes from the templates and from ``markdown`` below, which turns
a designer's markdown (inject bodies, briefs) into HTML with raw HTML escaped, and no images or
links: a print-out is self-contained and fetches nothing, and a scenario file is untrusted.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markdown_it import MarkdownIt
from markupsafe import Markup

from exercise_engine.model.durations import format_duration
from exercise_engine.report.templating import markdown_text
from exercise_engine.workbench.wording import one_line


@cache
def _markdown() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    return parser.disable(["image", "link", "autolink"])


def markdown(text: str) -> Markup:
    """A designer's markdown as HTML (raw HTML shown as text, no image or link fetched)."""
    return Markup(_markdown().render(text or ""))


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("exercise_engine.workbench", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(markdown=markdown, one_line=one_line, duration=format_duration)
    return env


def md_cell(text: object) -> str:
    """Text safe in a Markdown table cell or list item (``report.templating.markdown_text``)."""
    return markdown_text(one_line(str(text)))
