"""The after-action review: the four formats from a recorded session, and what they must say.

Sessions are played by the real engine on tests/fixtures/aar and stored in a fresh SQLite file;
the report is produced through ``exercise report`` (report/command.py), as a user would.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from fixtures.aar import play

from exercise_engine.engine import events as ev
from exercise_engine.report import command, render_html, render_md
from exercise_engine.report.build import build_aar
from exercise_engine.report.schema import aar_schema
from exercise_engine.store import Store

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "docs" / "aar-schema.json"
FORMATS = ("md", "html", "json", "csv")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="exercise")
    command.add_parser(top.add_subparsers(dest="command"))
    return top


def report(*argv: str) -> int:
    args = parser().parse_args(["report", *argv])
    return args.handler(args)


@pytest.fixture
def recorded(db_path: Path) -> tuple[Path, str, play.Session]:
    """The example session (mixed choices, a missed answer, coordination, two evaluators)."""
    session = play.example_session()
    with Store(db_path) as store:
        session_id = play.persist(store, session, label="Syndicate 2")
    return db_path, session_id, session


def write(db: Path, fmt: str, tmp_path: Path, *extra: str) -> str:
    out = tmp_path / f"aar.{fmt}"
    assert report("--db", str(db), "--format", fmt, "-o", str(out), *extra) == 0
    return out.read_text(encoding="utf-8")


# -- the four formats ---------------------------------------------------------------------------


def test_all_four_formats_are_written(recorded, tmp_path: Path) -> None:
    db, session_id, _ = recorded
    for fmt in FORMATS:
        text = write(db, fmt, tmp_path, "--session", session_id)
        assert len(text) > 500, fmt


def test_html_is_self_contained_with_inline_svg_charts(recorded, tmp_path: Path) -> None:
    html = write(recorded[0], "html", tmp_path, "--audience", "staff")
    assert html.startswith("<!doctype html>")
    assert not re.search(r"https?://", html), "the HTML AAR must reference no URL"
    assert "<script" not in html and "<link" not in html
    assert html.count("<svg") >= 5  # dimensions, response times, three variables
    assert "Scores by dimension per role" in html and "Response times" in html
    for section in (
        "Exercise overview",
        "Executive summary",
        "Timeline of phases",
        "Analysis by dimension",
        "Decision log",
        "Situation variables",
        "Hot wash",
        "Improvement plan",
        "Evaluator observations",
        "Appendix",
    ):
        assert section in html, section


def test_json_validates_against_the_documented_schema(recorded, tmp_path: Path) -> None:
    data = json.loads(write(recorded[0], "json", tmp_path))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert data["format"] == "exercise-aar/1"
    assert data["overview"]["session"]["label"] == "Syndicate 2"


def test_the_documented_schema_is_the_one_the_model_gives() -> None:
    """docs/aar-schema.json is regenerated with: python -m exercise_engine.report.schema"""
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == aar_schema()


def test_csv_has_one_row_per_decision(recorded, tmp_path: Path) -> None:
    db, _, session = recorded
    rows = list(csv.DictReader(io.StringIO(write(db, "csv", tmp_path))))
    answers = [r for r in session.log if isinstance(r.event, ev.ResponseRecorded)]
    assert len(rows) == len(answers) == 8
    assert [int(r["seq"]) for r in rows] == [r.seq for r in answers]
    first = rows[0]
    assert first["inject"] == "INJ-001" and first["option"] == "A" and first["late"] == "false"
    assert "violence 3->2 (option)" in first["consequences"]
    assert first["triggered"] == "INJ-003" and first["points"] == "UND-2=4; SHP-3=4"


def test_markdown_has_every_aar_section_as_a_heading(recorded, tmp_path: Path) -> None:
    md = write(recorded[0], "md", tmp_path, "--audience", "staff")
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 1. Exercise overview",
        "## 2. Executive summary",
        "## 3. Scores",
        "## 4. Timeline of phases and key events",
        "## 5. Analysis by dimension and criterion",
        "## 6. Decision log",
        "## 7. Situation variables",
        "## 8. Coordination along the integration spectrum",
        "## 9. Hot wash",
        "## 10. Improvement plan",
        "## 11. Evaluator observations",
        "## Appendix A. Injects and responses",
        "## Approval",
    ]


def sections_of_markdown(md: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", md, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def sections_of_html(html: str) -> dict[str, str]:
    parts = re.split(
        r'<section id="[a-z]+"[^>]*><h2><span class="no">[^<]*</span>([^<]+)</h2>', html
    )
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_both_reading_formats_show_the_same_sections_headings_and_tables(
    recorded, tmp_path
) -> None:
    """The formats differ only where docs/aar.md says so: HTML adds charts and the phase strip
    (Markdown has no inline SVG), its cover repeats facts of the overview, and it lays out the
    signatures as boxes."""
    md = sections_of_markdown(write(recorded[0], "md", tmp_path, "--audience", "staff"))
    html = sections_of_html(write(recorded[0], "html", tmp_path, "--audience", "staff"))
    titles = [re.sub(r"^(\d+\.|Appendix A\.) ", "", t) for t in md]
    assert titles == list(html) and len(titles) == 13
    for (md_title, md_body), html_body in zip(md.items(), html.values(), strict=True):
        md_headings = re.findall(r"^#{3,4} (.+)$", md_body, flags=re.M)
        html_headings = re.findall(r"<h[34]>(.+?)</h[34]>", html_body)
        plain = [re.sub(r"<[^>]+>", "", h).replace("&amp;", "&") for h in html_headings]
        unmarked = [re.sub(r"[*\\]", "", h).replace("*", "") for h in md_headings]
        assert unmarked == [" ".join(h.split()) for h in plain], md_title
        tables = len(re.findall(r"^\|---", md_body, flags=re.M))
        signatures = html_body.count('<div class="sign">')  # a table of names in Markdown
        assert tables == html_body.count("<table") + signatures, md_title
        figures = html_body.count("<figure>")
        assert figures == 0 or md_title in (
            "3. Scores",
            "6. Decision log",
            "7. Situation variables",
        )


def test_stdout_is_the_default_output(recorded, capsys) -> None:
    assert report("--db", str(recorded[0]), "--format", "csv") == 0
    assert capsys.readouterr().out.startswith("seq,t,clock,phase,role")


# -- re-scoring and errors ----------------------------------------------------------------------


RUBRIC = """\
format: exercise-rubric/1
id: strict
title: "Strict rubric"
scale:
  - {code: P, points: 4, label: "Performed"}
  - {code: S, points: 3, label: "Some challenges"}
  - {code: M, points: 2, label: "Major challenges"}
  - {code: U, points: 1, label: "Unable"}
timeliness: {weight: 0.5}
dimensions:
  - id: understand
    title: "Understand"
    criteria:
      - {id: UND-2, title: "Early warning", critical: true}
"""


def test_another_rubric_rescores_a_recorded_session_without_changing_it(
    recorded, tmp_path: Path
) -> None:
    db, session_id, _ = recorded
    with Store(db) as store:
        before = (store.bundle(session_id).hash, store.last_seq(session_id))
    rubric = tmp_path / "strict.yaml"
    rubric.write_text(RUBRIC, encoding="utf-8")
    original = json.loads(write(db, "json", tmp_path))
    rescored = json.loads(write(db, "json", tmp_path, "--rubric", str(rubric)))
    assert rescored["scores"]["rubric"] == "strict"
    assert "Re-scored with rubric 'strict'" in rescored["rubric_note"]
    assert rescored["scores"]["overall"] != original["scores"]["overall"]
    assert any("not in rubric 'strict'" in line for line in rescored["scores"]["ignored"])
    with Store(db) as store:
        assert (store.bundle(session_id).hash, store.last_seq(session_id)) == before


def test_a_bad_rubric_is_refused_with_file_line_errors(recorded, tmp_path: Path, capsys) -> None:
    rubric = tmp_path / "bad.yaml"
    rubric.write_text(RUBRIC.replace("points: 3", "points: three"), encoding="utf-8")
    assert report("--db", str(recorded[0]), "--rubric", str(rubric)) == 1
    assert re.search(r"bad\.yaml:\d+:\d+: error: ", capsys.readouterr().err)


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["--db", "{tmp}/missing.db"], 1, "no exercise database"),
        (["--db", "{db}", "--session", "s-nope"], 1, "no session 's-nope'"),
        (["--db", "{db}", "-o", "{tmp}/no/such/dir/aar.md"], 2, "no such folder"),
        (["--db", "{db}", "--rubric", "{tmp}/none.yaml"], 2, "no such rubric file"),
    ],
)
def test_invalid_input_gives_a_message_and_an_exit_code(
    recorded, tmp_path: Path, capsys, argv: list[str], code: int, message: str
) -> None:
    filled = [a.format(tmp=tmp_path, db=recorded[0]) for a in argv]
    assert report(*filled) == code
    assert message in capsys.readouterr().err


def test_a_database_with_no_session_is_invalid_input(db_path: Path, capsys) -> None:
    Store(db_path).close()
    assert report("--db", str(db_path)) == 1
    assert "holds no exercise session" in capsys.readouterr().err


def test_an_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exit_:
        parser().parse_args(["report", "--db", "x.db", "--format", "pdf"])
    assert exit_.value.code == 2


# -- what the AAR says --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def worst():
    session = play.play(
        policy="worst",
        actions=[
            (
                7200,
                play.observe(
                    "Ana", "un_mission", "UND-2", "U", "Did not see the pattern", "INJ-001"
                ),
            )
        ],
    )
    return build_aar(session.bundle, session.log)


def test_the_timeline_shows_contingencies_fired_and_injects_not_delivered(worst) -> None:
    kinds = {e.inject: e.kind for e in worst.timeline.entries if e.inject}
    assert kinds["INJ-004"] == "contingency" and kinds["INJ-001"] == "inject"
    undelivered = {u.inject: u.reason for u in worst.timeline.undelivered}
    assert undelivered == {"INJ-003": "no decision or rule triggered it"}
    assert [p.phase for p in worst.timeline.phases] == ["prevent", "react", "rebuild"]
    assert worst.summary.contingencies == 1


def test_findings_carry_doctrine_analysis_missed_look_fors_and_events(worst) -> None:
    understand = next(d for d in worst.analysis if d.id == "understand")
    und2 = next(c for c in understand.criteria if c.id == "UND-2")
    assert [r.tag for r in und2.references] == ["assess.early-warning", "understand.assessments"]
    (finding,) = und2.findings
    assert finding.kind == "improvement" and finding.caps and finding.rating == "U"
    assert finding.reference == "Understand civilian risks > Assessments"
    assert "chose B “Monitor and wait” on INJ-001" in finding.analysis
    assert "Evaluator Ana rated U on INJ-001: “Did not see the pattern”" in finding.analysis
    assert "capped at M" in finding.analysis
    assert finding.missed_look_fors == und2.look_for  # poor performance evidences nothing
    assert set(finding.seqs) == {e.seq for e in finding.evidence}


def test_good_words_evidence_a_look_for() -> None:
    session = play.play(
        policy="best",
        actions=[
            (
                7200,
                play.observe(
                    "Ana",
                    "un_mission",
                    "UND-2",
                    "P",
                    "Named the hate speech indicator and linked it to the framework",
                ),
            )
        ],
    )
    aar = build_aar(session.bundle, session.log)
    und2 = next(c for d in aar.analysis for c in d.criteria if c.id == "UND-2")
    (finding,) = und2.findings
    assert finding.kind == "strength"
    assert finding.missed_look_fors == ["Raises the warning to decision-makers in time"]


def test_the_decision_log_names_rationale_timeliness_and_consequences(worst) -> None:
    first = worst.decisions[0]
    assert (first.inject, first.role, first.option, first.late) == (
        "INJ-001",
        "un_mission",
        "B",
        True,
    )
    assert first.rationale == "worst choice for un_mission" and first.due_s == 3600
    assert [(c.variable, c.old, c.new) for c in first.consequences] == [("violence", 3, 5)]
    alone = next(d for d in worst.decisions if d.inject == "INJ-005" and d.role == "military")
    assert alone.rules == ["R-ALONE"] and "INJ-007" in alone.triggered
    best = play.play(policy="best")
    joint = next(
        d
        for d in build_aar(best.bundle, best.log).decisions
        if d.inject == "INJ-002" and d.role == "military"
    )
    assert [(c.variable, c.via) for c in joint.consequences] == [
        ("violence", "option"),
        ("access", "option"),
        ("trust", "R-JOINT"),
    ]


def test_variables_over_time_start_at_their_initial_value_and_follow_the_log(worst) -> None:
    violence = next(v for v in worst.variables if v.name == "violence")
    assert violence.points[0].value == 3 and violence.final == 10 and violence.better == "lower"
    assert violence.at_phase_end["prevent"] == 7
    assert all(a.t <= b.t for a, b in zip(violence.points, violence.points[1:], strict=False))


def test_the_hot_wash_asks_the_four_questions_for_each_objective(worst) -> None:
    assert [h.topic for h in worst.hot_wash] == ["OBJ-1", "OBJ-2", "OBJ-3"]
    first = worst.hot_wash[0]
    assert first.supposed[0].startswith("INJ-001 “Leaflets in Bora market”: Expected:")
    assert any("chose B “Monitor and wait” on INJ-001 (30m late)" in h for h in first.happened)
    late = "UNIMA mission leadership answered INJ-001 30m late (#"
    assert any(w.startswith(late) and "with no message or share on it" in w for w in first.why)
    assert any("where the rubric prefers A “Publicly condemn" in w for w in first.why)
    assert not any(w.endswith("?") for w in first.why)  # facts with their events, not questions
    assert first.improve and not first.sustain


def test_the_improvement_plan_assigns_poete_elements_roles_and_priorities(worst) -> None:
    plan = worst.improvement_plan
    assert {i.element for i in plan} <= {
        "Planning",
        "Organization",
        "Equipment",
        "Training",
        "Exercise",
    }
    assert [i.priority for i in plan] == sorted(
        (i.priority for i in plan), key=["High", "Medium", "Low"].index
    )
    und2 = next(i for i in plan if i.criterion == "UND-2")
    assert und2.element == "Training" and und2.priority == "High" and und2.role == "un_mission"
    late = next(
        i
        for i in plan
        if i.role == "un_mission"
        and i.element == "Organization"
        and i.criterion is None
        and "on time" in i.issue
    )
    assert late.priority == "High" and late.seqs


def test_a_missed_decision_becomes_a_planning_item_and_kit_notes_an_equipment_item() -> None:
    session = play.example_session()
    aar = build_aar(session.bundle, session.log)
    planning = next(i for i in aar.improvement_plan if i.element == "Planning")
    assert planning.role == "host_state" and "INJ-003" in planning.corrective_action
    equipment = next(i for i in aar.improvement_plan if i.element == "Equipment")
    assert equipment.role == "humanitarian" and "radio net" in equipment.corrective_action
    assert [m.inject for m in aar.missed_decisions] == ["INJ-003"]


def test_observations_are_listed_per_evaluator_and_not_observed_is_not_counted() -> None:
    session = play.example_session()
    aar = build_aar(session.bundle, session.log)
    assert aar.overview.evaluators == ["Ana Ruiz", "Ben Okafor"]
    counted = {(o.evaluator, o.criterion): o.counted for o in aar.observations}
    assert counted[("Ben Okafor", "SHP-2")] is False and counted[("Ana Ruiz", "UND-2")] is True


def test_text_from_players_is_escaped_in_html_and_markdown_tables() -> None:
    session = play.play(
        policy="best",
        actions=[(7200, play.observe("Ana", "police", "PRO-6", "S", "<script>x</script> | pipe"))],
    )
    aar = build_aar(session.bundle, session.log)
    html = render_html.render(aar)
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    md = render_md.render(aar)
    row = next(line for line in md.splitlines() if "pipe" in line and line.startswith("|"))
    assert "\\| pipe" in row and "&lt;script>x&lt;/script>" in row and "<script" not in md


def test_a_running_session_gives_a_provisional_report() -> None:
    log = play.play(policy="best").log
    cut = next(
        r.seq for r in log if isinstance(r.event, ev.PhaseEntered) and r.event.phase == "react"
    )
    aar = build_aar(play.bundle(), log[:cut])
    assert aar.overview.ended is None
    assert "provisional" in render_html.render(aar)
    assert aar.overview.phases_reached == ["prevent", "react"]


def test_reading_formats_keep_long_lists_within_a_budget_and_say_so(monkeypatch) -> None:
    from exercise_engine.report import budget, render_csv

    monkeypatch.setattr(budget, "DECISIONS", 3)
    monkeypatch.setattr(budget, "APPENDIX", 2)
    session = play.play(policy="worst")
    aar = build_aar(session.bundle, session.log)
    html, md = render_html.render(aar), render_md.render(aar)
    assert "Showing 3 of 9 decisions: late answers and choices the rubric ranks" in html
    assert "Showing 3 of 9 decisions" in md and "Showing 2 of 7 injects" in md
    log_section = html[
        html.index('<section id="decisions"') : html.index('<section id="variables"')
    ]
    assert log_section.count('<span class="tag late">') == 3  # every shown decision was late
    rows = render_csv.render(aar).strip().splitlines()
    assert len(rows) == 1 + 9  # the CSV keeps every decision


def test_the_hot_wash_states_patterns_when_a_role_has_many_items(monkeypatch) -> None:
    from exercise_engine.report import plan

    monkeypatch.setattr(plan, "GROUP_ABOVE", 1)
    session = play.play(policy="worst")
    first = build_aar(session.bundle, session.log).hot_wash[0]
    pattern = "UNIMA mission leadership answered 2 injects late (INJ-001, INJ-004; #"
    assert any(line.startswith(pattern) for line in first.why)
    assert any(
        line.startswith(
            "UNIMA mission leadership took 2 decisions on these injects: 0 on time, 2 late"
        )
        for line in first.happened
    )


def test_the_default_is_the_training_audience_version(recorded, tmp_path: Path) -> None:
    """HSEEP: the controller and evaluator handbook is never shown to players. The trainee
    version (the default) has no controller notes, no MSEL appendix and no injects that never
    reached the players; the staff version has all three."""
    db, _, session = recorded
    notes = [" ".join(i.notes.split()) for i in session.bundle.scenario.injects if i.notes.strip()]
    assert notes
    for fmt in ("md", "html", "json"):
        trainee = write(db, fmt, tmp_path)
        staff = write(db, fmt, tmp_path, "--audience", "staff")
        for text in notes:
            probe = text[:40]
            assert probe not in trainee, (fmt, probe)
            assert probe in staff.replace("&#39;", "'").replace("\\'", "'"), (fmt, probe)
    trainee = json.loads(write(db, "json", tmp_path))
    staff = json.loads(write(db, "json", tmp_path, "--audience", "staff"))
    assert trainee["audience"] == "trainee" and staff["audience"] == "staff"
    assert trainee["appendix"] == [] and staff["appendix"]
    assert trainee["timeline"]["undelivered"] == [] and staff["timeline"]["undelivered"]
    assert "Appendix" not in write(db, "md", tmp_path)
    assert "Training audience version" in write(db, "md", tmp_path)
