"""Steps of features/after_action_review.feature: scoring and the AAR in the evaluator's words.

Sessions are played by the real engine on the AAR fixture content (tests/fixtures/aar); the
report is produced by ``exercise report`` (report/command.py) when a step asks for a file.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import pytest
from fixtures.aar import play
from pytest_bdd import given, parsers, scenarios, then, when

from exercise_engine.engine import events as ev
from exercise_engine.report import command
from exercise_engine.report.build import build_aar
from exercise_engine.report.document import Heat, Table
from exercise_engine.report.model import AAR, Finding
from exercise_engine.report.sections import document
from exercise_engine.scoring import Scorecard, score
from exercise_engine.store import Store

scenarios("after_action_review.feature")

ROLES = {
    "UN mission": "un_mission",
    "host state": "host_state",
    "military": "military",
    "police": "police",
    "humanitarian": "humanitarian",
}
SCHEMA = Path(__file__).resolve().parents[1] / "docs" / "aar-schema.json"
STRICT_RUBRIC = """\
format: exercise-rubric/1
id: strict
title: "Early warning only"
scale:
  - {code: P, points: 4, label: "Performed"}
  - {code: S, points: 3, label: "Some challenges"}
  - {code: M, points: 2, label: "Major challenges"}
  - {code: U, points: 1, label: "Unable"}
dimensions:
  - id: understand
    title: "Understand"
    criteria:
      - {id: UND-2, title: "Early warning", critical: true}
"""


@dataclass
class Review:
    """The sessions a scenario played, and the reports asked of them."""

    sessions: list[play.Session]
    db_path: Path
    tmp_path: Path
    reports: dict[str, str] = field(default_factory=dict)
    recorded: tuple[str, int] | None = None

    @property
    def session(self) -> play.Session:
        return self.sessions[0]

    def card(self, index: int = 0) -> Scorecard:
        session = self.sessions[index]
        return score(session.bundle, session.log)

    def aar(self) -> AAR:
        return build_aar(self.session.bundle, self.session.log)

    def record(self) -> str:
        """Write the first session to the exercise database (once)."""
        with Store(self.db_path) as store:
            if self.recorded is None:
                session_id = play.persist(store, self.session)
                self.recorded = (session_id, store.last_seq(session_id))
        return self.recorded[0]

    def report(self, fmt: str, *extra: str) -> str:
        out = self.tmp_path / f"aar-{len(self.reports)}.{fmt}"
        top = argparse.ArgumentParser(prog="exercise")
        command.add_parser(top.add_subparsers())
        args = top.parse_args(
            [
                "report",
                "--db",
                str(self.db_path),
                "--session",
                self.record(),
                "--format",
                fmt,
                "-o",
                str(out),
                *extra,
            ]
        )
        assert args.handler(args) == 0
        return out.read_text(encoding="utf-8")


def role_id(name: str) -> str:
    return ROLES.get(name, name)


def criterion(review: Review, role: str, criterion_id: str):
    found = review.card().roles[role_id(role)].criterion(criterion_id)
    assert found is not None, f"{criterion_id} does not apply to the {role}"
    return found


# -- Given ------------------------------------------------------------------------------------


SESSION = (
    r"a simulated session of '(?P<scenario>[^']+)' where every role plays its "
    r"(?P<policy>best|worst)(?: but the (?P<role>.+) never answers (?P<inject>\S+))?"
)


@given(parsers.re(SESSION), target_fixture="review")
def simulated_session(
    scenario: str, policy: str, role: str | None, inject: str | None, db_path: Path, tmp_path: Path
) -> Review:
    """Bots in every seat answer each decision inject: best picks the option the rubric values
    most and answers at half the due time; worst the least valued, after the due time."""
    skip = [(inject, role_id(role))] if role and inject else []
    session = play.play(play.bundle(scenario), policy, skip=skip)
    return Review([session], db_path, tmp_path)


@given(
    parsers.re(
        r"another simulated session of '(?P<scenario>[^']+)' where every role plays "
        r"its (?P<policy>best|worst)"
    )
)
def another_session(review: Review, scenario: str, policy: str) -> None:
    review.sessions.append(play.play(play.bundle(scenario), policy))


# -- When -------------------------------------------------------------------------------------


@when(
    parsers.re(
        r"the evaluator (?P<name>\w+) rates the (?P<role>.+?) "
        r"(?P<rating>P|S|M|U|N/O) on (?P<criterion_id>[A-Z]+-\d+)"
        r"(?:, noting \"(?P<note>.*)\")?"
    )
)
def evaluator_rates(
    review: Review, name: str, role: str, rating: str, criterion_id: str, note: str | None
) -> None:
    """Evaluators rate during play and the debrief; this session is in its debrief."""
    review.session.submit(play.observe(name, role_id(role), criterion_id, rating, note or ""))


@when("the evaluator asks for the report in md, html, json and csv")
def all_formats(review: Review) -> None:
    for fmt in ("md", "html", "json", "csv"):
        review.reports[fmt] = review.report(fmt)


@when("the evaluator re-scores it with a rubric that rates only UND-2")
def rescore(review: Review) -> None:
    rubric = review.tmp_path / "strict.yaml"
    rubric.write_text(STRICT_RUBRIC, encoding="utf-8")
    review.reports["json"] = review.report("json", "--rubric", str(rubric))


# -- Then: scores -----------------------------------------------------------------------------


@then("the first session scores above the second")
def first_above_second(review: Review) -> None:
    assert review.card(0).overall > review.card(1).overall


@then("every role of the first session scores above the same role of the second")
def every_role_above(review: Review) -> None:
    first, second = review.card(0), review.card(1)
    for role, scored in first.roles.items():
        assert scored.total > second.roles[role].total, role


@then(parsers.re(r"the (?P<role>.+?)'s (?P<criterion_id>[A-Z]+-\d+) rating is (?P<code>\S+)"))
def rating_is(review: Review, role: str, criterion_id: str, code: str) -> None:
    assert criterion(review, role, criterion_id).rating == code


@then(
    parsers.re(
        r"the (?P<role>.+?)'s (?P<criterion_id>[A-Z]+-\d+) rating names the events "
        r"it rests on"
    )
)
def rating_traced(review: Review, role: str, criterion_id: str) -> None:
    rated = criterion(review, role, criterion_id)
    by_seq = {r.seq: r.event for r in review.session.log}
    kinds = {type(by_seq[s]).__name__ for s in rated.seqs}
    assert kinds == {"ResponseRecorded", "ObservationRecorded"}
    assert all(by_seq[s].role == role_id(role) for s in rated.seqs)


@then(
    parsers.re(
        r"the AAR shows (?P<a>\w+)'s (?P<rating_a>\S+) and (?P<b>\w+)'s "
        r"(?P<rating_b>\S+) for the (?P<role>.+) on (?P<criterion_id>\S+)"
    )
)
def evaluators_apart(
    review: Review, a: str, rating_a: str, b: str, rating_b: str, role: str, criterion_id: str
) -> None:
    found = next(c for d in review.aar().analysis for c in d.criteria if c.id == criterion_id)
    rating = next(r for r in found.ratings if r.role == role_id(role))
    assert {e.evaluator: e.rating for e in rating.evaluators} == {a: rating_a, b: rating_b}


@then(
    parsers.re(
        r"the AAR's analysis shows (?P<name>\w+)'s (?P<code>[PSMU]) for the (?P<role>.+) on "
        r"(?P<criterion_id>\S+) and no other letter"
    )
)
def only_rated_letters(review: Review, name: str, code: str, role: str, criterion_id: str) -> None:
    """The analysis table's cells: a letter where an evaluator rated, a number elsewhere."""
    doc = document(review.aar())
    analysis = next(s for s in doc.sections if s.key == "analysis")
    tables = [b for b in analysis.blocks if isinstance(b, Table)]
    lettered = [
        (row[0], i, cell.code)
        for t in tables
        for row in t.rows
        for i, cell in enumerate(row)
        if isinstance(cell, Heat) and cell.code not in ("", "N/O")
    ]
    assert len(lettered) == 1 and lettered[0][2] == code, lettered
    found = next(c for d in review.aar().analysis for c in d.criteria if c.id == criterion_id)
    rating = next(r for r in found.ratings if r.role == role_id(role))
    assert [e.evaluator for e in rating.evaluators] == [name]


@then("every other score of the AAR is a number out of 100, said to be computed by the engine")
def computed_scores(review: Review) -> None:
    aar = review.aar()
    doc = document(aar)
    assert doc.cover.rating == "" and "Computed by the engine" in doc.cover.rating_label
    overview = next(s for s in doc.sections if s.key == "overview")
    roles = next(b for b in overview.blocks if isinstance(b, Table) and "Role" in b.header)
    assert roles.header[-2:] == ["Score /100", "Evaluator ratings"]
    ratings = {row[0][0].text: row[-1] for row in roles.rows}
    assert ratings.pop("UNIMA mission leadership").startswith("M (1 of ")
    assert set(ratings.values()) == {"none"}
    assert "P, S, M and U appear in this review only where an evaluator rated" in review.report(
        "md"
    )


@then(parsers.re(r"the AAR lists (?P<name>\w+)'s N/O on (?P<criterion_id>\S+) as not counted"))
def not_counted(review: Review, name: str, criterion_id: str) -> None:
    (observation,) = [
        o for o in review.aar().observations if o.evaluator == name and o.criterion == criterion_id
    ]
    assert observation.rating == "N/O" and not observation.counted


@then(parsers.re(r"the (?P<role>.+?)'s (?P<dimension>\w+) score is capped at (?P<level>\w+)"))
def capped(review: Review, role: str, dimension: str, level: str) -> None:
    found = review.card().roles[role_id(role)].dimension(dimension)
    assert found.cap is not None and found.cap.level == level
    assert found.score <= found.cap.score


@then("the executive summary names the cap")
def summary_names_cap(review: Review) -> None:
    summary = review.aar().summary
    assert any("UNIMA Force (PRO-2)" in cap for cap in summary.caps)
    assert any(
        "Critical criteria at the bottom of the scale held" in line for line in summary.verdict
    )


@then(
    parsers.re(
        r"the (?P<role>.+?) answered (?P<on_time>\d+) of (?P<asked>\d+) required "
        r"decisions on time"
    )
)
def answered_on_time(review: Review, role: str, on_time: str, asked: str) -> None:
    timeliness = review.card().roles[role_id(role)].timeliness
    assert (timeliness.on_time, timeliness.asked) == (int(on_time), int(asked))
    assert timeliness.score == int(on_time) / int(asked) * 100


# -- Then: the AAR ----------------------------------------------------------------------------


@then(parsers.parse("the AAR lists {inject} under the decisions not taken"))
def not_taken(review: Review, inject: str) -> None:
    assert inject in [m.inject for m in review.aar().missed_decisions]


@then(parsers.re(r"the improvement plan gives the (?P<role>.+?) an? (?P<element>\w+) item"))
def plan_item(review: Review, role: str, element: str) -> None:
    assert any(
        i.role == role_id(role) and i.element == element for i in review.aar().improvement_plan
    )


@then(
    parsers.re(
        r"the AAR lists an area for improvement for the (?P<role>.+?) on "
        r"(?P<criterion_id>\S+)"
    ),
    target_fixture="finding",
)
def area_for_improvement(review: Review, role: str, criterion_id: str) -> Finding:
    found = next(c for d in review.aar().analysis for c in d.criteria if c.id == criterion_id)
    return next(f for f in found.findings if f.role == role_id(role) and f.kind == "improvement")


@then(parsers.parse('the finding cites "{reference}"'))
def cites(finding: Finding, reference: str) -> None:
    assert finding.reference == reference


@then(parsers.parse("the finding quotes {name}'s note"))
def quotes_note(review: Review, finding: Finding, name: str) -> None:
    note = next(
        r.event.note
        for r in review.session.log
        if isinstance(r.event, ev.ObservationRecorded) and r.event.evaluator == name
    )
    assert f"Evaluator {name} rated" in finding.analysis and note in finding.analysis


@then(parsers.parse('the finding names the missed look-for "{look_for}"'))
def missed_look_for(finding: Finding, look_for: str) -> None:
    assert look_for in finding.missed_look_fors


@then(
    parsers.parse(
        "the hot wash of {objective} asks what was supposed to happen, what "
        "happened, why, and what to improve"
    )
)
def four_questions(review: Review, objective: str) -> None:
    item = next(h for h in review.aar().hot_wash if h.topic == objective)
    assert item.supposed and item.happened and item.why and item.improve


@then(
    parsers.re(
        r"the hot wash of (?P<objective>\S+) says why the (?P<role>.+?) chose "
        r"(?P<option>\S+) on (?P<inject>\S+), citing the decision and what it changed"
    )
)
def says_why(review: Review, objective: str, role: str, option: str, inject: str) -> None:
    """The "why" states the facts behind the difference, with their events, not a question."""
    item = next(h for h in review.aar().hot_wash if h.topic == objective)
    decision = next(d for d in review.aar().decisions if d.inject == inject and d.option == option)
    line = next(
        line
        for line in item.why
        if re.match(rf".+ chose {option} .+ on {inject}, where the rubric prefers", line)
    )
    assert f"#{decision.seq}" in line and "it moved" in line
    assert not any(why.endswith("?") for why in item.why)


# -- Then: formats and re-scoring -------------------------------------------------------------


@then("the HTML report is one file with charts and no external reference")
def html_self_contained(review: Review) -> None:
    html = review.reports["html"]
    assert "<svg" in html and not re.search(r"(?:https?:)?//[\w.-]+\.\w", html)
    assert "<script" not in html and "<link" not in html and "<img" not in html


@then("the JSON report validates against its published schema")
def json_valid(review: Review) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(review.reports["json"]), schema)


@then("the CSV report has one row per decision")
def csv_rows(review: Review) -> None:
    rows = list(csv.DictReader(io.StringIO(review.reports["csv"])))
    decisions = [r for r in review.session.log if isinstance(r.event, ev.ResponseRecorded)]
    assert len(rows) == len(decisions) > 0


@then("the Markdown report has an improvement plan")
def markdown_plan(review: Review) -> None:
    assert "## 10. Improvement plan" in review.reports["md"]


@then(parsers.parse("the report says it was re-scored with rubric '{rubric}'"))
def rescored(review: Review, rubric: str) -> None:
    data = json.loads(review.reports["json"])
    assert data["scores"]["rubric"] == rubric
    assert f"Re-scored with rubric '{rubric}'" in data["rubric_note"]


@then("the recorded session is unchanged")
def unchanged(review: Review) -> None:
    assert review.recorded is not None
    session_id, last_seq = review.recorded
    with Store(review.db_path) as store:
        assert store.last_seq(session_id) == last_seq
        assert store.bundle(session_id).rubric.id == review.session.bundle.rubric.id


@pytest.fixture
def finding() -> Finding:
    raise AssertionError("a 'finding' step needs 'the AAR lists an area for improvement' first")
