"""Snapshots of each console's main screens at 80x24 and 120x40, on the recorded showcase
session (pytest-textual-snapshot; review a failure's report before --snapshot-update), and the
screenshots in docs/ are the ones the code draws today."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from exercise_engine.session.showcase import record
from exercise_engine.tui.shots import Shot, settle, shots

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Shot]:
    showcase = record(tmp_path_factory.mktemp("showcase") / "showcase.db")
    return {shot.name: shot for shot in shots(showcase)}


def snap(snap_compare, shot: Shot) -> bool:
    async def run_before(pilot) -> None:
        await settle(pilot.app, pilot)
        for key in shot.keys:
            await pilot.press(key)
            await settle(pilot.app, pilot)

    return snap_compare(shot.make(), terminal_size=shot.size, run_before=run_before)


class TestController:
    def test_msel_wide(self, snap_compare, pictures) -> None:
        assert snap(snap_compare, pictures["console-controller-msel"])

    def test_msel_80x24(self, snap_compare, pictures) -> None:
        assert snap(snap_compare, pictures["console-controller-80x24"])


class TestSeat:
    def test_inbox_wide(self, snap_compare, pictures) -> None:
        assert snap(snap_compare, pictures["console-seat-inbox"])

    def test_inbox_80x24(self, snap_compare, pictures) -> None:
        assert snap(snap_compare, pictures["console-seat-80x24"])

    def test_answer_form_80x24(self, snap_compare, pictures) -> None:
        assert snap(snap_compare, pictures["console-seat-answer"])


class TestEvaluator:
    def test_to_rate_wide(self, snap_compare, pictures) -> None:
        assert snap(snap_compare, pictures["console-evaluator-to-rate"])

    def test_80x24(self, snap_compare, pictures) -> None:
        assert snap(snap_compare, pictures["console-evaluator-80x24"])


class TestHotSeat:
    def test_a_role_wide(self, snap_compare, pictures) -> None:
        assert snap(snap_compare, pictures["console-hotseat-seat"])

    def test_the_controller_80x24(self, snap_compare, pictures) -> None:
        assert snap(snap_compare, pictures["console-hotseat-80x24"])


@pytest.mark.slow
def test_the_screenshots_in_docs_are_current() -> None:
    script = ROOT / "scripts" / "console_screenshots.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
