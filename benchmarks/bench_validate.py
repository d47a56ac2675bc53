"""Validation speed: a generated 1,000-inject scenario, against libyaml's bare parse.

Prints the median of several runs of (a) `yaml.load` with CSafeLoader alone and (b) the full
validation (position-tracking load, models, cross-references, design analysis) of the same file,
and their ratio; then the wall time of `exercise validate` as a process on each broken file of
the test corpus (what a designer waits for). Run: python benchmarks/bench_validate.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from exercise_engine.model.loader import load_catalog
from exercise_engine.model.synthetic import synthetic_scenario

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7


def median_time(action: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    rubric = load_catalog().rubrics["poc-doctrine"].model
    criteria = list(rubric.criteria)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "synthetic.yaml"
        path.write_text(synthetic_scenario(1000, criteria))
        text = path.read_text()
        catalog = load_catalog([path])
        problems = [d.render() for d in catalog.diagnostics.errors]
        assert not problems, problems[:3]
        bare = median_time(lambda: yaml.load(text, Loader=yaml.CSafeLoader))
        full = median_time(lambda: load_catalog([path]))
        only_content = median_time(lambda: load_catalog())
        print(f"scenario: 1,000 injects x 5 roles, {len(text) / 1024:.0f} KiB")
        print(f"yaml.load (CSafeLoader) alone      {bare * 1000:8.1f} ms")
        print(f"full validation, with content path  {full * 1000:8.1f} ms")
        print(f"  of which the shipped content      {only_content * 1000:8.1f} ms")
        own = full - only_content
        print(
            f"validation of the scenario itself   {own * 1000:8.1f} ms  "
            f"= {own / bare:.2f}x the bare parse (goal < 0.5 s and < 3x)"
        )
    broken = sorted((ROOT / "tests" / "fixtures" / "broken").glob("*.yaml"))
    content = ROOT / "tests" / "fixtures" / "content"
    worst = (0.0, "")
    for file in broken:
        start = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "exercise_engine",
                "validate",
                "--content",
                str(content),
                str(file),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - start
        assert "Traceback" not in done.stderr
        worst = max(worst, (elapsed, file.name))
    print(
        f"`exercise validate` process on {len(broken)} corpus files: slowest "
        f"{worst[0] * 1000:.0f} ms ({worst[1]}), goal < 1 s each"
    )


if __name__ == "__main__":
    main()
