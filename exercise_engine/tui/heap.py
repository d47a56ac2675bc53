"""Keep Python's full garbage collections off a console's update path.

A drawn console holds some 80,000 objects that live as long as it does (widgets, styles, the
inbox). Every few arrivals the collector's oldest generation comes due and walks them all:
30-50 ms, in every seat console at the same arrival (they allocate alike), so 30 seats on 2 cores
once spent 1.5 s of CPU on one inject. Once the console has read what it shows, those objects
are moved out of the collector's sight (``gc.freeze``): later collections walk only what came
after.
"""

from __future__ import annotations

import gc

from textual.app import App

_frozen = False
"""Whether this process froze its heap (``gc.get_freeze_count`` walks the frozen objects: a
few milliseconds, too dear to ask on every arrival)."""


def freeze_heap(app: App[object]) -> None:
    """Collect what opening left behind, then freeze what is alive: the console's own objects;
    once per process. Not in a headless (test) app: a test process runs many consoles in turn,
    and what one froze would never be collected."""
    global _frozen
    if _frozen or app.is_headless:
        return
    _frozen = True
    gc.collect()
    gc.freeze()
