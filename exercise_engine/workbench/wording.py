"""Text cut to fit a line: table cells, terminal lines, graph boxes (the workbench's one way)."""

from __future__ import annotations


def one_line(text: object, limit: int = 0) -> str:
    """Text on one line (whitespace collapsed), cut near ``limit`` characters (0: not cut), at
    a word when there is one, with an ellipsis."""
    flat = " ".join(str(text).split())
    if not limit or len(flat) <= limit:
        return flat
    head = flat[: limit - 1]
    word = head.rsplit(" ", 1)[0] if " " in head[limit // 2 :] else head
    return word.rstrip() + "…"
