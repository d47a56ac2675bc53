"""Render an HTML after-action review to PNG with headless Chromium, to look at it as an
evaluator would (and to refresh docs/img/aar-example.png).

    python scripts/render_aar_png.py [--html AAR.html] [-o OUT.png] [--width 1200] [--height H]
    python scripts/render_aar_png.py --pdf OUT.pdf     # the same page printed to PDF (A4)

Without --html, the script plays the AAR test fixture (tests/fixtures/aar) through the engine,
with a mixed policy and two evaluators, and renders that session's AAR. Needs the Debian
'chromium' package (apt-get install -y chromium).
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]


def example_html() -> str:
    """The AAR of a fixture session: some good and some poor decisions, two evaluators."""
    spec = importlib.util.spec_from_file_location("aar_play", ROOT / "tests/fixtures/aar/play.py")
    assert spec is not None and spec.loader is not None
    play = importlib.util.module_from_spec(spec)
    sys.modules["aar_play"] = play
    spec.loader.exec_module(play)
    from exercise_engine.report.build import build_aar
    from exercise_engine.report.model import SessionInfo
    from exercise_engine.report.render_html import render

    session = play.example_session()
    info = SessionInfo(
        id="s-example",
        label="Syndicate 2",
        seed=7,
        status="ended",
        created_at="2026-11-20T09:00:00.000+00:00",
    )
    return render(build_aar(session.bundle, session.log, session=info))


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("render_aar_png: no Chromium found; install it with: apt-get install -y chromium")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", help="an AAR HTML file (default: the fixture example)")
    parser.add_argument("-o", "--output", default=str(ROOT / "docs/img/aar-example.png"))
    parser.add_argument("--width", type=int, default=1200)
    parser.add_argument("--height", type=int, default=3600)
    parser.add_argument("--pdf", help="also print the page to this PDF file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(args.html) if args.html else Path(tmp) / "aar.html"
        if not args.html:
            html.write_text(example_html(), encoding="utf-8")
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        base = [chromium(), *FLAGS, f"--user-data-dir={tmp}/profile"]
        subprocess.run(
            [
                *base,
                f"--window-size={args.width},{args.height}",
                f"--screenshot={out}",
                html.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
        )
        print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
        if args.pdf:
            subprocess.run(
                [
                    *base,
                    "--no-pdf-header-footer",
                    f"--print-to-pdf={args.pdf}",
                    html.resolve().as_uri(),
                ],
                check=True,
                capture_output=True,
            )
            print(f"wrote {args.pdf}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
