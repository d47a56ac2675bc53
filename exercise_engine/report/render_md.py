"""The AAR as Markdown that renders on GitHub: the sections of report/sections.py through the
templates in templates/md (tables and lists; no raw HTML, no link from players' words)."""

from __future__ import annotations

import re

from exercise_engine.report import templating
from exercise_engine.report.model import AAR
from exercise_engine.report.sections import document

_BLANK_LINES = re.compile(r"\n{3,}")


def render(aar: AAR) -> str:
    text = templating.render(templating.markdown(), document(aar))
    # Blocks end with a blank line each; where a block printed nothing, one blank line stays.
    return _BLANK_LINES.sub("\n\n", text).strip() + "\n"
