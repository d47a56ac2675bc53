"""Scoring and building the AAR leave Python's cyclic collector alone: a console that scores
after every event must keep it. Only the report command's own process holds it."""

from __future__ import annotations

import gc

import pytest
from fixtures.aar import play

from exercise_engine.report.build import build_aar
from exercise_engine.scoring import score


def test_score_and_build_aar_never_switch_the_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    session = play.example_session()
    switched: list[str] = []
    monkeypatch.setattr(gc, "disable", lambda: switched.append("disable"))
    monkeypatch.setattr(gc, "enable", lambda: switched.append("enable"))
    score(session.bundle, session.log)
    build_aar(session.bundle, session.log)
    assert switched == []


def test_the_report_command_holds_the_collector_and_gives_it_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from exercise_engine.report import command

    seen: list[bool] = []
    monkeypatch.setattr(command, "_report", lambda args: seen.append(gc.isenabled()) or 0)
    assert gc.isenabled()
    assert command.run(None) == 0  # type: ignore[arg-type]
    assert seen == [False] and gc.isenabled()
