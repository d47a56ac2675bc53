"""The AAR reports how confident each team said it was in its answer (the decision log, the CSV
and the JSON), and says nothing where a team did not say."""

from __future__ import annotations

import csv
import io
import json

from exercise_engine.engine import commands as cmd
from exercise_engine.engine.engine import Engine
from exercise_engine.engine.events import Recorded
from exercise_engine.model.bundle import Bundle
from exercise_engine.report import render_csv, render_json, render_md
from exercise_engine.report.build import build_aar


def answered(harbour: Bundle, confidence: int | None):
    engine = Engine(harbour)
    state = engine.initial_state()
    events = list(engine.create(state, seed=1))
    un = cmd.Actor.player("un_mission", seat="un-1", name="Ines")
    for command, at in (
        (cmd.StartPlay(), 0),
        (cmd.AdvanceClock(to=1800), 1800),
        (
            cmd.Respond(
                actor=un,
                inject="I-01",
                option="A",
                rationale="Leaflets name the Ruvi",
                confidence=confidence,
            ),
            2000,
        ),
        (cmd.EndExercise(), 2100),
    ):
        outcome = engine.handle(state, command, at)
        assert outcome.accepted, outcome.rejection
        events += outcome.events
    return build_aar(harbour, [Recorded(n, e) for n, e in enumerate(events, 1)])


def test_the_decision_log_shows_the_teams_confidence(harbour: Bundle) -> None:
    aar = answered(harbour, 4)
    [decision] = aar.decisions
    assert decision.confidence == 4
    assert "confidence 4/5" in render_md.render(aar)
    [row] = csv.DictReader(io.StringIO(render_csv.render(aar)))
    assert row["confidence"] == "4"
    assert json.loads(render_json.render(aar))["decisions"][0]["confidence"] == 4


def test_no_confidence_said_is_shown_as_nothing(harbour: Bundle) -> None:
    aar = answered(harbour, None)
    assert "confidence" not in render_md.render(aar).split("Decision log")[1].split("##")[0]
    [row] = csv.DictReader(io.StringIO(render_csv.render(aar)))
    assert row["confidence"] == ""
