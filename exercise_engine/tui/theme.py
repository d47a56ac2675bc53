"""The consoles' theme: calm on a projector, legible in a plain 16-colour terminal.

Colour never carries meaning alone: every status is also a word or a symbol (see ``glyphs``).
"""

from __future__ import annotations

from textual.theme import Theme

R2P_THEME = Theme(
    name="r2p",
    primary="#4A90C2",  # UN blue, dimmed for long sessions
    secondary="#2E5E82",
    accent="#E3A43B",
    warning="#E3A43B",
    error="#D9534F",
    success="#5BAF6A",
    foreground="#E6E6E6",
    background="#14181D",
    surface="#1C2229",
    panel="#26303A",
    dark=True,
)

STATUS_GLYPHS = {
    "late": "!",
    "due": ">",
    "pending": "~",
    "delivered": "+",
    "unreachable": "-",
}
"""One character per MSEL status, so a status reads without colour."""
