"""Where content lives: the shipped folders, a designer's own folders, and the environment.

The four content folders ship inside the wheel (``exercise_engine/_content``) so an installed
engine finds them from any directory; in a source checkout they are the top-level folders.
Designer folders (``--content DIR``, ``EXERCISE_CONTENT_PATH``) come first, so their ids win.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path

KINDS = ("scenarios", "injects", "roles", "scoring")
ENV_VAR = "EXERCISE_CONTENT_PATH"
DEFAULT_SCENARIO = "kallen-early-warning"
YAML_SUFFIXES = (".yaml", ".yml")
DEFAULT_RUBRIC = "poc-doctrine"
STARTER_KINDS = {
    "scenario": "scenarios",
    "role": "roles",
    "rubric": "scoring",
    "library": "injects",
}
"""Each kind of starter (``exercise new``) and the content folder it belongs in: here, not in
model/starter.py, so that building the command line does not import the loader."""


def shipped_root() -> Path:
    """The folder holding the shipped ``scenarios/``, ``injects/``, ``roles/`` and ``scoring/``."""
    packaged = Path(str(resources.files("exercise_engine"))) / "_content"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2]


def content_roots(
    extra: Sequence[str | Path] = (), environ: Mapping[str, str] | None = None
) -> list[Path]:
    """Designer folders first (``--content``, then ``EXERCISE_CONTENT_PATH``), shipped last."""
    environ = os.environ if environ is None else environ
    roots = [Path(p) for p in extra]
    roots += [Path(p) for p in environ.get(ENV_VAR, "").split(os.pathsep) if p.strip()]
    roots.append(shipped_root())
    unique: list[Path] = []
    for root in roots:
        if root.resolve() not in [u.resolve() for u in unique]:
            unique.append(root)
    return unique


def content_files(root: Path) -> list[Path]:
    """YAML files of a content root: its kind folders if it has them, else the whole tree."""
    folders = [root / kind for kind in KINDS if (root / kind).is_dir()]
    if not folders:
        folders = [root] if root.is_dir() else []
    files: list[Path] = []
    for folder in folders:
        # Not only regular files: a link, a pipe or a device named *.yaml gets a diagnostic
        # from the loader rather than a silent skip (or a hang).
        files += sorted(
            p for p in folder.rglob("*") if p.suffix in YAML_SUFFIXES and not p.is_dir()
        )
    return files


def display_path(path: Path) -> str:
    """A path as people want to read it: relative to the working directory when inside it.
    Symbolic links are not resolved: the name shown is the one found in the folder."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
