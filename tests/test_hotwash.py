"""The hot-wash sheet (`exercise report --format hotwash`): one printed A4 page for the debrief
minutes after ENDEX, whatever the session (issue 13)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fixtures.aar import play
from fixtures.shipped import CATALOG as SHIPPED
from fixtures.shipped import played

from exercise_engine.cli import build_parser
from exercise_engine.report import hotwash, templating
from exercise_engine.report.build import build_aar
from exercise_engine.report.render_hotwash import render
from exercise_engine.store import Store

RUNS = [
    (scenario, policy, seed)
    for scenario in sorted(SHIPPED.scenarios)
    for policy, seed in (("best", 1), ("worst", 1), ("random", 2), ("random", 3))
]


def session(scenario: str, policy: str, seed: int) -> tuple:
    run = played(scenario, policy, seed)
    return run.bundle, run.log


@pytest.fixture(scope="module")
def sheets() -> dict[tuple[str, str, int], hotwash.HotWashSheet]:
    out = {}
    for run in RUNS:
        bundle, log = session(*run)
        out[run] = hotwash.sheet(build_aar(bundle, log, audience="trainee"))
    return out


def test_every_list_of_the_sheet_keeps_its_budget(sheets) -> None:
    for run, s in sheets.items():
        assert len(s.situation) <= hotwash.SITUATION_ROWS, run
        assert len(s.objectives) <= hotwash.OBJECTIVE_ROWS, run
        assert len(s.sustain) <= hotwash.HIGHLIGHTS >= len(s.improve), run
        assert len(s.discuss) <= hotwash.DISCUSS, run
        assert all(len(i.text) <= hotwash.TEXT for i in (*s.sustain, *s.improve)), run
        assert all(len(i.text) <= hotwash.DISCUSS_TEXT for i in s.discuss), run
        assert len(s.overall_note) <= 3 * hotwash.FULL, run


def fullest_sheet() -> hotwash.HotWashSheet:
    """A sheet with every list at its budget and every text at its limit, in the shipped
    scenarios' own prose: the most any session can put on the page."""
    prose = " ".join(SHIPPED.bundle(s).scenario.summary for s in sorted(SHIPPED.scenarios))
    clip, h = hotwash.clip, hotwash
    cites = "#99999, #99999, #99999 …"
    return h.HotWashSheet(
        title=clip(prose, h.TITLE),
        audience="training audience",
        when="Wednesday 14 September 2027, 05:00 to Wednesday 28 September 2027, 17:00",
        facts=clip(prose, 2 * h.FULL),
        overall="100/100",
        overall_note=clip(prose, 3 * h.FULL),
        situation=[
            h.SituationRow(clip(prose, h.LABEL), "90,000", "90,000", "worse", "U")
            for _ in range(h.SITUATION_ROWS)
        ],
        objectives=[
            h.ObjectiveRow("OBJ-10", clip(prose, h.OBJECTIVE - 7), "100/100")
            for _ in range(h.OBJECTIVE_ROWS)
        ],
        sustain=[h.Item("1.67 pts" + h.HELD, clip(prose, h.TEXT), cites)] * h.HIGHLIGHTS,
        improve=[h.Item("1.67 pts" + h.HELD, clip(prose, h.TEXT), cites)] * h.HIGHLIGHTS,
        discuss=[h.Item("1.67 pts", clip(prose, h.DISCUSS_TEXT), cites)] * h.DISCUSS,
        more=clip(prose, h.FULL),
        evaluators=clip(prose, h.FULL),
    )


def test_the_sheet_fits_the_printed_page_by_its_budget(sheets) -> None:
    """The printed height estimated from the texts and the stylesheet stays within the A4 page
    for best, worst and random play of every shipped scenario, and for a sheet filled to every
    budget, so no session can spill onto a second page."""
    heights = {run: hotwash.printed_points(s) for run, s in sheets.items()}
    assert max(heights.values()) <= hotwash.PAGE_POINTS, heights
    assert min(heights.values()) > hotwash.PAGE_POINTS / 2  # the estimate counts what is there
    assert hotwash.printed_points(fullest_sheet()) <= hotwash.PAGE_POINTS


def test_marks_are_points_unless_an_evaluator_rated() -> None:
    """HSEEP letters only where an evaluator rated; otherwise the option points."""
    bundle, log = session("mareth-site-attack", "random", 3)
    s = hotwash.sheet(build_aar(bundle, log))
    assert all(re.fullmatch(r"[\d.]+ pts?( \(held by the outcome\))?", i.mark) for i in s.sustain)
    assert "no evaluator has rated yet" in s.overall_note
    example = play.example_session()  # two evaluators rated some criteria
    aar = build_aar(example.bundle, example.log)
    seen = set()
    for c in (c for d in aar.analysis for c in d.criteria):
        for f in c.findings:
            rating = next(r for r in c.ratings if r.role == f.role)
            said = hotwash.mark(f, rating, aar)
            seen.add(rating.evaluator_points is not None)
            letters = re.fullmatch(r"[PSMU](/[PSMU])*", said)  # "P/S": two evaluators differ
            assert bool(letters) == (rating.evaluator_points is not None), said
    assert seen == {True, False}
    assert "Evaluators who recorded observations" in hotwash.sheet(aar).evaluators


def test_a_capped_run_says_why_on_the_sheet(sheets) -> None:
    s = sheets[("kallen-early-warning", "worst", 1)]
    assert s.overall.endswith("/100")
    assert "as civilians were not protected" in s.overall_note and "(PRO-2 U)" in s.overall_note
    assert s.when.startswith("Sunday 14 March 2027, 05:00")
    worse = [r for r in s.situation if r.trend == "worse"]
    assert worse and any(r.failed == "U" for r in worse)


def test_report_writes_the_sheet_as_one_printable_html_page(tmp_path: Path) -> None:
    db = tmp_path / "run.db"
    example = play.example_session()
    with Store(db) as store:
        play.persist(store, example, label="Syndicate 2")
    out = tmp_path / "hotwash.html"
    args = build_parser().parse_args(
        ["report", "--db", str(db), "--format", "hotwash", "-o", str(out)]
    )
    assert args.handler(args) == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "@page { size: A4" in html
    assert not re.search(r"https?://|<script|<img", html)
    assert "Hot wash · training audience" in html
    for note in (i.notes for i in example.bundle.scenario.injects if i.notes):
        assert " ".join(note.split())[:30] not in html  # no controller notes on a trainee sheet


def pdf_pages(html: str, folder: Path, name: str) -> int:
    page = folder / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    pdf = page.with_suffix(".pdf")
    subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_chromium_prints_the_fullest_sheets_on_one_a4_page(sheets, tmp_path: Path) -> None:
    """Where headless Chromium (Debian's package) is installed: the sheet filled to every
    budget, and the fullest of the real ones, print on one A4 page (PDF page count). The line
    budget above is what holds everywhere else."""
    sheet_html = templating.html().get_template("hotwash.j2")
    assert pdf_pages(sheet_html.render(s=fullest_sheet()), tmp_path, "fullest") == 1
    run = max(sheets, key=lambda r: hotwash.printed_points(sheets[r]))
    bundle, log = session(*run)
    assert pdf_pages(render(build_aar(bundle, log)), tmp_path, "real") == 1
