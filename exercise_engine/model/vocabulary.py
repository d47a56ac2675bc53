"""The scenario format's closed vocabularies that commands, events and the consoles name: the
play phases and the channels.

Their own module, free of pydantic: a seat's console sends commands and shows a clock without
loading the content models (``model/scenario.py``, which re-exports these).
"""

from __future__ import annotations

import typing
from typing import Literal

PhaseName = Literal["prevent", "react", "rebuild"]
PLAY_PHASES: tuple[PhaseName, ...] = typing.get_args(PhaseName)
Channel = Literal[
    "cable", "report", "radio", "news", "social", "phone", "meeting", "intel", "email"
]
