"""Regenerate the workbench examples in docs/examples/ from the shipped default scenario:
its preview (Markdown) and its inject cards (HTML).

    python scripts/workbench_examples.py          # rewrite them
    python scripts/workbench_examples.py --check  # exit 1 if any is out of date

tests/test_workbench_examples.py runs the check: when a change to the shipped content, the
engine or the bots changes what the examples show, regenerate them with this script and commit
the result with that change.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"


def examples() -> dict[Path, str]:
    """Each example file and the text it must hold, made as a designer would make it."""
    from exercise_engine.model.content_path import DEFAULT_SCENARIO
    from exercise_engine.model.loader import load_catalog
    from exercise_engine.workbench import printing
    from exercise_engine.workbench.preview import build_preview, render

    cwd = Path.cwd()
    saved = os.environ.pop("EXERCISE_CONTENT_PATH", None)
    os.chdir(ROOT)  # paths in the examples read as from the repository's root
    try:
        catalog = load_catalog()
        preview = build_preview(catalog, DEFAULT_SCENARIO, "best", 1)
        cards = printing.build_printout(catalog.bundle(DEFAULT_SCENARIO))
        return {
            EXAMPLES / f"preview-{DEFAULT_SCENARIO}.md": render(preview, "md"),
            EXAMPLES / f"cards-{DEFAULT_SCENARIO}.html": printing.render(cards, "cards"),
        }
    finally:
        os.chdir(cwd)
        if saved is not None:
            os.environ["EXERCISE_CONTENT_PATH"] = saved


def stale() -> list[Path]:
    return [
        path
        for path, text in examples().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say which are out of date")
    args = parser.parse_args()
    if args.check:
        out_of_date = stale()
        for path in out_of_date:
            print(f"out of date: {path.relative_to(ROOT)}", file=sys.stderr)
        return 1 if out_of_date else 0
    EXAMPLES.mkdir(parents=True, exist_ok=True)
    for path, text in examples().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
