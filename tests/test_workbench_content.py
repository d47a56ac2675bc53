"""Content from other courses (issue 15): `to: players`, `meta:` kept out of the AAR, and AAR
wording taken from the rubric and scenario rather than Protection-of-Civilians text.

tests/fixtures/ridge is an EOC tabletop in the shape of an HSEEP situation manual, scored
against its own rubric (no PoC criteria, no `population`), with a control cell.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exercise_engine.model.bundle import Bundle
from exercise_engine.model.loader import load_catalog
from exercise_engine.report import render_html, render_json, render_md
from exercise_engine.report.build import build_aar
from exercise_engine.session import simulate as sim
from exercise_engine.store import Store

RIDGE = Path(__file__).parent / "fixtures" / "ridge"


@pytest.fixture(scope="module")
def ridge() -> Bundle:
    catalog = load_catalog([RIDGE], include_content_path=False)
    assert not catalog.diagnostics.items, [d.render() for d in catalog.diagnostics.items]
    return catalog.bundle("ridge-fire")


def played(bundle: Bundle, policy: str, tmp_path: Path) -> list:
    with Store(tmp_path / f"{policy}.db", synchronous="NORMAL") as store:
        controller = sim.start(store, bundle, 1, policy)
        sim.run(controller, policy)
        return list(store.events(controller.session_id))


def test_players_means_every_role_but_the_control_cells(ridge: Bundle, tmp_path: Path) -> None:
    inject = ridge.scenario.inject("R-1")
    assert inject is not None
    assert ridge.control == {"simulator"}
    assert ridge.scenario.receivers(inject, ridge.control) == ["eoc_director", "logistics", "pio"]
    delivered = [
        r.event.to
        for r in played(ridge, "best", tmp_path)
        if r.event.type == "InjectDelivered" and r.event.inject == "R-1"
    ]
    assert delivered == [["eoc_director", "logistics", "pio"]]


@pytest.mark.parametrize("policy", ["best", "worst"])
def test_the_aar_speaks_the_rubric_and_scenario_not_protection_of_civilians(
    ridge: Bundle, tmp_path: Path, policy: str
) -> None:
    aar = build_aar(ridge, played(ridge, policy, tmp_path))
    for text in (render_md.render(aar), render_html.render(aar)):
        for poc in ("civilian", "Civilian", "humanitarian", "Humanitarian", "R2P"):
            assert poc not in text, poc
        assert "ICS-213RR" in text
        assert "ics-213rr" not in text and "Ics-213rr" not in text


def test_labels_keep_their_case_in_sentences(ridge: Bundle, tmp_path: Path) -> None:
    aar = build_aar(ridge, played(ridge, "worst", tmp_path))
    text = render_md.render(aar)
    assert "ICS-213RR backlog ended at" in text
    assert "on LOG-1, “ICS-213RR requests are tracked to delivery”" in text


def test_meta_never_reaches_the_aar(ridge: Bundle, tmp_path: Path) -> None:
    aar = build_aar(ridge, played(ridge, "best", tmp_path))
    rendered = [render_md.render(aar), render_html.render(aar), render_json.render(aar)]
    json.loads(rendered[-1])
    for text in rendered:
        assert "DEBRIEF-ONLY" not in text
        assert "Workbench test team" not in text
        assert "situation manual (synthetic)" not in text
