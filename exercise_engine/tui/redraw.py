"""Redraw a widget only when what it shows has changed.

The consoles re-derive their text every second (the scenario clock moves, dues come closer),
but most seconds nothing on screen changes. A widget update costs Textual a layout pass of the
screen (a Markdown reader rebuilds its whole tree), so an idle console that updated everything
each second spent a sixth of a core doing nothing visible. These helpers compare first.
"""

from __future__ import annotations

import weakref
from collections.abc import Hashable, Sequence

from rich.text import Text
from textual.widget import Widget
from textual.widgets import DataTable, Markdown, OptionList, Static
from textual.widgets.option_list import Option

_shown: weakref.WeakKeyDictionary[Widget, Hashable] = weakref.WeakKeyDictionary()


def fingerprint(content: object) -> Hashable:
    """What a piece of content looks like, to compare: Rich ``Text`` by its characters, style
    and spans (``Text`` itself compares neither its style nor by value in a set)."""
    if isinstance(content, Text):
        return ("text", content.plain, str(content.style), tuple(content.spans))
    if isinstance(content, tuple | list):
        return tuple(fingerprint(part) for part in content)
    return ("value", content if isinstance(content, Hashable) else repr(content))


def changed(widget: Widget, content: object) -> bool:
    """Whether ``content`` differs from what ``widget`` was last given (and remember it)."""
    key = fingerprint(content)
    if _shown.get(widget) == key:
        return False
    _shown[widget] = key
    return True


def forget(widget: Widget) -> None:
    """The widget was redrawn another way: the next update must go through."""
    _shown.pop(widget, None)


def update_static(widget: Static, content: Text | str, *, layout: bool | None = True) -> None:
    """``layout=False`` for a widget whose size its content never changes (a one-line bar):
    only it is repainted, instead of a layout pass of the whole screen. ``layout=None``: a
    layout pass only if the new content is not as tall as the old at the widget's width (a
    due time counting down changes its words each minute, rarely its lines)."""
    if not changed(widget, content):
        return
    widget.update(content, layout=bool(layout))
    if layout is None:
        size = widget.content_size
        if not size.width or widget.get_content_height(size, size, size.width) != size.height:
            widget.refresh(layout=True)


def update_markdown(widget: Markdown, markdown: str) -> None:
    if changed(widget, markdown):
        widget.update(markdown)


def set_options(
    options: OptionList, rows: Sequence[tuple[str, Text | str]], *, rebuild: bool = False
) -> bool:
    """Show ``rows`` (id, prompt): the prompts that changed replaced in place when the ids are
    those shown (the highlight stays, no event fires), the list rebuilt otherwise or when
    ``rebuild`` (another view in the same list). True if it was rebuilt."""
    if rebuild:
        forget(options)
    before = _shown.get(options)
    prints = tuple((item_id, fingerprint(line)) for item_id, line in rows)
    if before == prints:
        return False
    _shown[options] = prints
    shown = [option.id for option in options.options]
    if not rebuild and shown == [item_id for item_id, _ in rows]:
        was = dict(before) if isinstance(before, tuple) else {}
        for (item_id, line), (_, now) in zip(rows, prints, strict=True):
            if was.get(item_id) != now:
                options.replace_option_prompt(item_id, line)
        return False
    options.set_options(Option(line, id=item_id) for item_id, line in rows)
    return True


def fill_table(table: DataTable, rows: Sequence[tuple[str, Sequence[object]]]) -> bool:
    """Show ``rows`` (key, cells) in a table whose columns are set: nothing happens when they
    are what it shows; else the rows are rebuilt, the cursor kept on its row number."""
    if not changed(table, tuple((key, fingerprint(tuple(cells))) for key, cells in rows)):
        return False
    keep = table.cursor_row
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)
    if rows:
        table.move_cursor(row=min(keep, len(rows) - 1))
    return True
