"""An AAR an evaluator signs (issue 13): the approval block says what the evaluators did, the
improvement plan names who in the training audience owns each action and leaves the point of
contact and dates to fill in, and HSEEP's letters appear only where an evaluator rated."""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
from collections.abc import Iterator
from pathlib import Path

from fixtures.aar import play
from fixtures.shipped import CATALOG as SHIPPED
from fixtures.shipped import played

from exercise_engine.engine import events as ev
from exercise_engine.report import command
from exercise_engine.report.build import build_aar
from exercise_engine.report.document import Heat, Lines, Rating, Table
from exercise_engine.report.findings import evaluator_letters
from exercise_engine.report.model import AAR
from exercise_engine.report.render_md import render
from exercise_engine.report.sections import RATINGS_RULE, document, evaluators_did, rated_cells
from exercise_engine.session import simulate as sim
from exercise_engine.store import Store

RUBRIC = Path(__file__).parents[1] / "scoring" / "poc-doctrine.yaml"


def shipped_aar(scenario: str, policy: str, seed: int) -> AAR:
    run = played(scenario, policy, seed)
    return build_aar(run.bundle, run.log)


def test_the_approval_block_says_what_each_evaluator_did() -> None:
    example = play.example_session()
    aar = build_aar(example.bundle, example.log)
    recorded = [r.event for r in example.log if isinstance(r.event, ev.ObservationRecorded)]
    lines = evaluators_did(aar)
    for name in sorted({o.evaluator for o in recorded}):
        mine = [o for o in recorded if o.evaluator == name]
        (said,) = [line for line in lines if line.startswith(f"{name} recorded ")]
        assert f"{name} recorded {len(mine)} observation" in said
    rated = sum(
        1
        for d in aar.analysis
        for c in d.criteria
        for r in c.ratings
        if r.evaluator_points is not None
    )
    assert any(f"Evaluators rated {rated} of the " in line for line in lines)
    assert "By signing" in render(aar)


def test_without_evaluators_the_approval_block_says_nobody_rated() -> None:
    aar = shipped_aar("kallen-early-warning", "random", 3)
    lines = evaluators_did(aar)
    assert any(line.startswith("No evaluator recorded an observation") for line in lines)
    assert "A signature confirms the review as read, not as rated." in render(aar)


def test_the_plan_names_the_training_audience_and_leaves_contact_and_dates_to_fill() -> None:
    aar = shipped_aar("kallen-early-warning", "random", 3)
    plan = aar.improvement_plan
    assert plan and all(x.responsible for x in plan)
    assert all(not (x.point_of_contact or x.start_date or x.completion_date) for x in plan)
    police = [x for x in plan if x.role == "police"]
    audience = SHIPPED.bundle("kallen-early-warning").roles["police"].audience
    assert audience.startswith("Police officers of the training audience")
    assert police and all(
        x.responsible == f"{audience} (UNIMA Police component seat)" for x in police
    )
    text = render(aar)
    assert "| Point of contact | Start | Completion |" in text
    assert "Responsible (training audience)" in text


def test_hseep_letters_only_where_an_evaluator_rated() -> None:
    """Without evaluators the plan's issues give the option points, never a P/S/M/U."""
    aar = shipped_aar("mareth-site-attack", "random", 3)
    issues = [x.issue for x in aar.improvement_plan if x.criterion and x.element != "Exercise"]
    assert issues and all("its decisions scored" in i and "rated " not in i for i in issues)
    example = play.example_session()
    rated = build_aar(example.bundle, example.log)
    assert any("by the evaluators" in x.issue for x in rated.improvement_plan)


def test_coordination_rows_only_below_the_level_the_mandates_call_for() -> None:
    aar = shipped_aar("kallen-early-warning", "worst", 1)  # the worst team never writes
    rows = [x for x in aar.improvement_plan if x.element == "Organization" and ";" in x.responsible]
    assert rows
    assert all("where their mandates call for" in x.issue for x in rows)


# -- what the machine computed and what an evaluator rated ---------------------------------------


def marks(node: object) -> Iterator[Rating | Heat]:
    """Every rating chip and heat cell of a document, through its sections, groups and tables."""
    if isinstance(node, (Rating, Heat)):
        yield node
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from marks(item)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            yield from marks(getattr(node, f.name))


def plain(cell: object) -> str:
    """The words of a table cell, without its markup."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, (list, tuple)):
        return " ".join(plain(c) for c in cell)
    if isinstance(cell, Lines):
        return " ".join(plain(c) for c in cell.items)
    return str(getattr(cell, "text", ""))


def test_without_evaluators_the_review_gives_scores_and_no_rating() -> None:
    """A bot run nobody rated: no P/S/M/U anywhere but the rubric's own rules (an outcome's
    threshold, the scale in the approval block), and the review says why."""
    aar = shipped_aar("kallen-early-warning", "random", 4)
    assert not rated_cells(aar) and aar.summary.rating in ("M", "U")
    doc = document(aar)
    assert doc.cover.rating == "" and "no evaluator has rated" in doc.cover.rating_label
    scale = {lv.code for lv in aar.scores.scale}
    assert [m.code for m in marks(doc.sections) if m.code in scale] == []  # N/O is no rating
    text = render(aar)
    assert RATINGS_RULE in text
    assert "no evaluator has rated, so this review gives no P/S/M/U rating" in text
    assert not re.search(r"\| \*\*\d+\*\* [PSMU] \|", text)  # no "**51** S" total
    statements = [f.statement for d in aar.analysis for c in d.criteria for f in c.findings]
    assert statements and all("no evaluator rated it" in s for s in statements)


def test_with_evaluators_a_letter_marks_exactly_the_cells_they_rated() -> None:
    example = play.example_session()
    aar = build_aar(example.bundle, example.log)
    rated = rated_cells(aar)
    assert rated
    doc = document(aar)
    analysis = next(s for s in doc.sections if s.key == "analysis")
    heat = [m for m in marks(analysis.blocks) if isinstance(m, Heat)]
    given = {evaluator_letters(r) for r in rated.values()}  # "S/M" where two disagree
    assert "/" in "".join(given)
    assert sum(1 for m in heat if m.code in given) == len(rated)
    given |= {o.rating for o in aar.observations}  # the observations table shows what was given
    assert {m.code for m in marks(doc.sections) if m.code not in ("", "N/O")} <= given
    overview = next(s for s in doc.sections if s.key == "overview")
    roles = next(b for b in overview.blocks if isinstance(b, Table) and "Role" in b.header)
    assert "Evaluator ratings" in roles.header
    assert any("criterion scores)" in plain(row[-1]) for row in roles.rows)
    assert "rated" in doc.cover.rating_label and doc.cover.rating == ""


# -- names and dates as people read them ----------------------------------------------------------


def test_the_staff_review_names_roles_and_phases_and_reads_dates() -> None:
    run = played("kallen-early-warning", "random", 4)
    aar = build_aar(run.bundle, run.log, audience="staff")
    ids = {r.id for r in aar.overview.roles}
    doc = document(aar)
    sections = {s.key: s for s in doc.sections}
    (injects,) = [b for b in sections["appendix"].blocks if isinstance(b, Table)]
    for row in injects.rows:  # From -> to, Delivered, Responses: names, never ids
        words = set(re.findall(r"[a-z_]+", " ".join(plain(c) for c in row[3:])))
        assert not words & ids, (row[0], words & ids)
        assert plain(row[2]).split(" · ")[0] in {"Prevent", "React", "Rebuild", "any phase"}
    phases = {"Prevent", "React", "Rebuild", "Debrief", ""}
    for table in (b for b in sections["timeline"].blocks if isinstance(b, Table)):
        if "Phase" in table.header:
            column = list(table.header).index("Phase")
            assert {plain(r[column]) for r in table.rows} <= phases
    text = render(aar)
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:", text)  # no ISO wall-clock stamp
    assert "Sunday 14 March 2027, 05:00 → Monday 15 March 2027, 17:00" in text
    assert "Phases reached | Prevent, React, Rebuild" in text
    assert "Play reached Prevent, React and Rebuild" in text


def test_report_rescores_a_simulated_session_with_the_shipped_rubric_file(tmp_path: Path) -> None:
    """exercise report --rubric scoring/poc-doctrine.yaml: the rubric's roles are checked against
    the session's, and the same rubric gives the same scores."""
    db = tmp_path / "exercise.db"
    with Store(db) as store:
        bundle = SHIPPED.bundle("mareth-site-attack")
        sim.run(sim.start(store, bundle, 2, "random"), "random")
    top = argparse.ArgumentParser(prog="exercise")
    command.add_parser(top.add_subparsers(dest="command"))
    written = {}
    for name, extra in (("recorded", []), ("rescored", ["--rubric", str(RUBRIC)])):
        out = tmp_path / f"{name}.json"
        args = top.parse_args(
            ["report", "--db", str(db), "--format", "json", "-o", str(out), *extra]
        )
        assert args.handler(args) == 0
        written[name] = json.loads(out.read_text(encoding="utf-8"))
    assert written["rescored"]["scores"] == written["recorded"]["scores"]
    assert written["rescored"]["summary"]["overall"] == written["recorded"]["summary"]["overall"]


def test_the_hot_wash_names_the_roles_and_reads_the_dates() -> None:
    """What was supposed to happen, what happened and why, in the trainee version (its lines
    are written from the log, not the controller notes): roles by name, dates as the scenario
    says them."""
    run = played("kallen-early-warning", "random", 4)
    aar = build_aar(run.bundle, run.log, audience="trainee")
    ids = {r.id for r in aar.overview.roles}
    lines = [x for item in aar.hot_wash for x in (*item.supposed, *item.happened, *item.why)]
    assert any(" decides; evaluators watch" in x for x in lines)
    assert any(re.match(r"(Sun|Mon) \d+ Mar \d\d:\d\d ", x) for x in lines)
    for line in lines:
        assert not set(re.findall(r"\b[a-z]+_[a-z_]+\b", line)) & ids, line
        assert not re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", line), line
