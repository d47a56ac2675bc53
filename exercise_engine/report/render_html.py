"""The AAR as one self-contained HTML file: the sections of report/sections.py through the
templates in templates/html (inline CSS and SVG, no script, no external URL), escaped by
Jinja2's autoescape. It is read on screen and printed to PDF from any browser."""

from __future__ import annotations

from exercise_engine.report import templating
from exercise_engine.report.model import AAR
from exercise_engine.report.sections import document


def render(aar: AAR) -> str:
    return templating.render(templating.html(), document(aar))
