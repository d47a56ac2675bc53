"""A non-editable install carries the content folders: the CLI finds them from any directory."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_wheel_ships_the_content_and_finds_it_from_anywhere(tmp_path: Path) -> None:
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "dist").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for folder in ("scenarios", "injects", "roles", "scoring"):
        shipped = sorted(p.name for p in (ROOT / folder).glob("*.yaml"))
        packed = sorted(
            Path(n).name for n in names if n.startswith(f"exercise_engine/_content/{folder}/")
        )
        assert shipped and packed == shipped, folder
    templates = {n for n in names if n.startswith("exercise_engine/report/templates/")}
    for name in ("html/aar.j2", "html/blocks.j2", "html/aar.css", "md/aar.j2", "md/blocks.j2"):
        assert f"exercise_engine/report/templates/{name}" in templates, name
    for name in ("preview", "cards", "msel", "eeg"):  # the workbench's pages (issue 15)
        assert f"exercise_engine/workbench/templates/{name}.html.j2" in names, name
    for name in ("workbench.css", "_page.html.j2"):
        assert f"exercise_engine/workbench/templates/{name}" in names, name
    for kind in ("scenario", "role", "rubric", "library"):
        assert f"exercise_engine/model/data/starter-{kind}.yaml" in names, kind
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args],
            cwd=elsewhere,
            env={"PYTHONPATH": str(site), "PATH": "/usr/bin"},
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

    where = run(
        "-c", "from exercise_engine.model.content_path import shipped_root; print(shipped_root())"
    )
    assert where.stdout.strip() == str(site / "exercise_engine" / "_content"), where.stderr
    listed = run("-m", "exercise_engine", "scenarios", "--ids")
    assert listed.returncode == 0, listed.stderr
    assert sorted(listed.stdout.split()) == sorted(
        p.stem for p in (ROOT / "scenarios").glob("*.yaml")
    )
    checked = run("-m", "exercise_engine", "validate", "--strict")
    assert checked.returncode == 0, checked.stdout + checked.stderr
