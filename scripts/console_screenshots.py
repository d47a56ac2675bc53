"""Write the consoles' screenshots (SVG, as Textual exports them) into docs/img/, or check them.

    python scripts/console_screenshots.py          # (re)write docs/img/console-*.svg
    python scripts/console_screenshots.py --check  # exit 1 naming every picture out of date

Each picture is a console on the same recorded session of the default scenario, held still at
07:50 on election day (exercise_engine/session/showcase.py); the list of pictures is
exercise_engine/tui/shots.py, which the snapshot tests use too.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from exercise_engine.session.showcase import record
from exercise_engine.tui.shots import capture, shots

DOCS = Path(__file__).resolve().parents[1] / "docs" / "img"


async def pictures() -> dict[str, str]:
    with tempfile.TemporaryDirectory() as folder:
        showcase = record(Path(folder) / "showcase.db")
    return {shot.name: await capture(shot) for shot in shots(showcase)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    drawn = asyncio.run(pictures())
    if not args.check:
        for name, svg in drawn.items():
            path = DOCS / f"{name}.svg"
            path.write_text(svg, encoding="utf-8")
            print(f"wrote {path}")
        return 0
    stale = [
        f"{name}.svg"
        for name, svg in drawn.items()
        if not (DOCS / f"{name}.svg").exists()
        or (DOCS / f"{name}.svg").read_text(encoding="utf-8") != svg
    ]
    stale += sorted({p.name for p in DOCS.glob("console-*.svg")} - {f"{n}.svg" for n in drawn})
    if stale:
        print("out of date (run python scripts/console_screenshots.py): " + ", ".join(stale))
        return 1
    print(f"{len(drawn)} console screenshots are current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
