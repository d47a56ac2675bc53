"""The hot-wash sheet (report/hotwash.py) as one printable HTML page (A4, self-contained)."""

from __future__ import annotations

from exercise_engine.report import templating
from exercise_engine.report.hotwash import sheet
from exercise_engine.report.model import AAR


def render(aar: AAR) -> str:
    return templating.html().get_template("hotwash.j2").render(s=sheet(aar))
