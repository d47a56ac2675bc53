"""The workbench examples in docs/examples/ are what the commands make today (issue 15)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _script() -> object:
    spec = importlib.util.spec_from_file_location(
        "workbench_examples", ROOT / "scripts" / "workbench_examples.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["workbench_examples"] = module
    spec.loader.exec_module(module)
    return module


def test_the_examples_in_docs_are_current() -> None:
    script: Any = _script()
    made = script.examples()
    assert made, "the script makes no example"
    out_of_date = [
        str(path.relative_to(ROOT))
        for path, text in made.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert not out_of_date, (
        f"out of date: {out_of_date}; regenerate them with "
        "`python scripts/workbench_examples.py` and commit the result"
    )


def test_the_preview_example_shows_the_default_scenario() -> None:
    text = (ROOT / "docs" / "examples" / "preview-kallen-early-warning.md").read_text()
    assert "```mermaid\nflowchart LR" in text
    assert "## Reachability" in text and "## Timeline of the dry run" in text


def test_the_cards_example_has_a_card_per_inject_of_the_default_scenario() -> None:
    text = (ROOT / "docs" / "examples" / "cards-kallen-early-warning.html").read_text()
    assert text.count('<article class="card"') == 36
