"""Where the third-party exercise material lives (never copied into the project).

``EXERCISE_EXTERNAL`` names the folder holding ``msel/``; otherwise the first ``shared/external``
found beside the repository or any folder above it, then ``/work/shared/external``. Tests that
need a file skip cleanly when it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def external_root() -> Path | None:
    candidates = []
    if os.environ.get("EXERCISE_EXTERNAL"):
        candidates.append(Path(os.environ["EXERCISE_EXTERNAL"]))
    here = Path(__file__).resolve()
    candidates += [parent / "shared" / "external" for parent in here.parents]
    candidates.append(Path("/work/shared/external"))
    return next((c for c in candidates if (c / "msel").is_dir()), None)


def external_file(*parts: str) -> Path:
    """The path of a third-party file, or a skipped test when it is not on this machine."""
    root = external_root()
    path = root.joinpath(*parts) if root else None
    if path is None or not path.is_file():
        pytest.skip(f"third-party file {'/'.join(parts)} not found (set EXERCISE_EXTERNAL)")
    return path
