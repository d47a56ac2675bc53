"""What a controller's command line asks (``exercise run``, ``exercise play``).

Its own module, importing nothing of the engine: the command line builds it before the console's
first frame, and the controller (``live/controller.py``) is loaded only behind that frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class RunOptions:
    """What ``exercise run`` was asked (and what a console passes to the service)."""

    db: str
    scenario: str | None = None
    content: list[str] = field(default_factory=list)
    seed: int = 1
    speed: float | None = None
    start: bool = False
    codes_file: Path | None = None
    session: str | None = None
