"""A console's first frame costs about what a bare Textual app costs: when it is on the screen,
only Textual and the consoles' light shell (``app_base``) are loaded; the console's screens,
the engine, the model, pydantic and the live layer load behind it (``tui/command.py``).

Checked on what is loaded, not on a timer: each console runs in a subprocess (Textual's
headless driver), and at the moment its first frame is ready (``ConsoleApp.on_ready``, where
the console starts opening what it shows) the probe prints ``sys.modules`` and quits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = (
    "pydantic",
    "yaml",
    "msgspec",
    "sqlite_utils",
    "markdown_it",
    "exercise_engine.engine",
    "exercise_engine.model.scenario",
    "exercise_engine.model.loader",
    "exercise_engine.scoring",
    "exercise_engine.session",
    "exercise_engine.store",
    "exercise_engine.live.client",
    "exercise_engine.live.controller",
    "exercise_engine.live.service",
    "exercise_engine.tui.sources",
    "exercise_engine.tui.controller",
    "exercise_engine.tui.seat",
    "exercise_engine.tui.evaluator",
    "exercise_engine.tui.dialogs",
)
"""What a console needs only once its first frame is up."""

PROBE = """
import json, sys
from exercise_engine.cli import main
from exercise_engine.tui.app_base import ConsoleApp, OpeningScreen

def on_ready(app):
    screen = app.screen
    words = str(screen.words) if isinstance(screen, OpeningScreen) else None
    print(json.dumps({"words": words, "modules": sorted(sys.modules)}), file=sys.__stderr__)
    app.exit(0)

ConsoleApp.on_ready = on_ready  # at the first frame: say what is loaded, open nothing
main(sys.argv[1:])
"""


def probe(code: str, argv: list[str], cwd: Path) -> dict[str, object]:
    """Run ``code`` with ``argv`` in a fresh interpreter on Textual's headless driver; what it
    printed last on stderr (one JSON line)."""
    env = {**os.environ, "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver"}
    run = subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True, text=True, timeout=120, cwd=cwd, env=env,
    )  # fmt: skip
    lines = [line for line in run.stderr.splitlines() if line.startswith("{")]
    assert lines, run.stderr[-2000:]
    return json.loads(lines[-1])


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["play", "--db", "play.db"], "Opening the default scenario in play.db..."),
        (["run", "--db", "run.db"], "Opening the default scenario in run.db..."),
        (["join", "--db", "x.db", "--role", "police", "--code", "C"], "Joining x.db as police..."),
        (["evaluate", "--db", "x.db", "--code", "C"], "Joining x.db as an evaluator..."),
    ],
    ids=["hot-seat", "controller", "seat", "evaluator"],
)
def test_the_first_frame_loads_no_engine_model_or_screens(
    argv: list[str], words: str, tmp_path: Path
) -> None:
    seen = probe(PROBE, argv, tmp_path)
    assert seen["words"] == words  # the frame is the console's opening words
    modules = seen["modules"]
    assert isinstance(modules, list)
    assert "textual.app" in modules and "exercise_engine.tui.app_base" in modules
    assert [m for m in modules if m.startswith(HEAVY)] == []
    assert not list(tmp_path.iterdir()), "nothing is opened before the first frame"


def test_the_probe_sees_what_a_console_loads(tmp_path: Path) -> None:
    """Guard against a check that cannot fail: once a console's screen is imported, the same
    probe reports it and the content models."""
    loaded = PROBE.replace("import json, sys", "import json, sys, exercise_engine.tui.controller")
    modules = probe(loaded, ["run", "--db", "run.db"], tmp_path)["modules"]
    assert isinstance(modules, list)
    expected = {"pydantic", "exercise_engine.model.scenario", "exercise_engine.tui.controller"}
    assert expected <= set(modules)


def test_a_seat_console_loads_no_controller_engine_or_content_models(tmp_path: Path) -> None:
    """Behind its first frame a seat loads what it shows and the commands it sends: not the
    controller service, the engine's rules, scoring, the content models (pydantic) or
    sqlite-utils (thirty seats start at once on two cores)."""
    code = (
        "import json, sys\n"
        "from exercise_engine.tui.command import LOADED\n"
        "for name in LOADED['seat']: __import__(name)\n"
        "print(json.dumps({'modules': sorted(sys.modules)}), file=sys.stderr)\n"
    )
    modules = probe(code, [], tmp_path)["modules"]
    assert isinstance(modules, list)
    assert "exercise_engine.tui.seat" in modules and "exercise_engine.engine.commands" in modules
    never = (
        "exercise_engine.live.service",
        "exercise_engine.live.controller",
        "exercise_engine.session",
        "exercise_engine.engine.engine",
        "exercise_engine.scoring",
        "exercise_engine.model.scenario",
        "pydantic",
        "sqlite_utils",
    )
    assert [m for m in modules if m.startswith(never)] == []
