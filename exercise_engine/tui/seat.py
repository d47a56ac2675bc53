"""The trainee's seat: the role's inbox by channel, the inject reader, answers and messages.

Left, what to look at: what must be answered, the six boxes exercise staff sort injects into
(with unread counts), the role's decision log and its brief. Middle, the items of that view;
below, the item itself. Every action is a form that sends one engine command.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Markdown, OptionList, Static

from exercise_engine.model.durations import format_wait
from exercise_engine.tui.app_base import ConsoleScreen
from exercise_engine.tui.commands import PaletteCommand
from exercise_engine.tui.dialogs import AnswerForm, MessageForm, ShareForm
from exercise_engine.tui.feed import FeedEvent, InjectCard
from exercise_engine.tui.heap import freeze_heap
from exercise_engine.tui.inbox import BOXES, Entry, Inbox
from exercise_engine.tui.redraw import set_options, update_markdown, update_static
from exercise_engine.tui.source import SeatSource, Status
from exercise_engine.tui.status import ExerciseStatus, status_line

TODO, DECISIONS, BRIEF = "todo", "decisions", "brief"
FRESH_S = 120
"""Items this recent (scenario seconds) are announced as they arrive; older ones, read on
joining late, only fill the inbox."""
NOTHING_NEW = "New items are announced here as they come in (u: the next unread)."
CHANNEL_NAMES = {
    "cable": "cable",
    "report": "report",
    "intel": "intelligence",
    "email": "email",
    "radio": "radio",
    "news": "news",
    "social": "social media",
    "phone": "phone call",
    "meeting": "meeting",
}


class SeatScreen(ConsoleScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "answer", "Answer", id="answer"),
        Binding("m", "message", "Message", id="message"),
        Binding("s", "share", "Share", id="share"),
        Binding("u", "next_unread", "Next unread", id="next-unread"),
        Binding("b", "show_view('brief')", "Brief", id="brief"),
    ]

    def __init__(self, source: SeatSource, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.source = source
        self.brief = source.brief
        self.inbox = Inbox(source.brief.role)
        self.status = ExerciseStatus()
        self.phase_briefs: dict[str, str] = {}
        """The brief of each phase play has entered, as the roles were given it."""
        self.view = TODO
        self._items_view: str | None = None
        """The view the items list shows now (``view`` is the one it must show)."""
        self.selected: str | None = None
        self._read_once = False

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="status-line", markup=False)
        yield Static(NOTHING_NEW, id="arrivals", markup=False)
        with Horizontal(id="seat-main"):
            yield OptionList(id="views")
            with Vertical(id="seat-content"):
                yield OptionList(id="items")
                with VerticalScroll(id="reader"):
                    yield Static(id="reader-meta", markup=False)
                    yield Markdown(id="reader-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#views", OptionList).border_title = self.brief.role_name
        self._render_views()
        self._render_items()
        self._render_status()
        self.set_interval(1.0, self._tick)
        self.follow(self.source.feed())

    def _tick(self) -> None:
        """Each second: what the clock changes (dues come closer); a redraw only where the
        words changed."""
        self._render_status()
        if self.view == TODO:
            self._render_items()
        if self.selected:
            self._show(self.selected)

    # -- the feed -----------------------------------------------------------------------------

    @on(ConsoleScreen.Arrived)
    def _arrived(self, message: ConsoleScreen.Arrived) -> None:
        """Fold the batch in, then redraw what it changed once: each widget compares what it
        would show with what it shows (30 seats redraw on 2 cores when an inject goes out)."""
        batch: Sequence[FeedEvent | Status] = message.batch
        names = dict(self.brief.roles)
        fresh: list[Entry] = []
        for item in batch:
            if isinstance(item, Status):
                self.status.controller_gone = item.status == "controller-gone"
                continue
            entry = self.inbox.add(item, names)
            self.status.add(item.type, item.t, dict(item.payload))
            if entry is not None and not entry.mine:
                fresh.append(entry)
            if item.type == "PhaseEntered" and item.brief:
                self.phase_briefs[str(item.payload.get("phase"))] = item.brief
        self._announce(fresh)
        self._render_views()
        self._render_items()
        self._render_status()
        if not self._read_once:  # what it read on joining is drawn: freeze it
            self._read_once = True
            self.call_after_refresh(freeze_heap, self.app)

    def _announce(self, entries: Sequence[Entry]) -> None:
        """Say on the arrivals line what just came in, unless it is history read on joining.
        A line of its own, repainted alone: a toast per arrival cost the screen two layout
        passes (mounted, then expired), two thirds of what an arrival cost a seat."""
        entries = [e for e in entries if e.t >= self._now() - FRESH_S]
        if not entries:
            return
        entry = entries[-1]
        box = next(b.title for b in BOXES if b.id == entry.box)
        asks = entry.inject is not None and entry.kind == "inject" and entry.inject.must_answer
        line = Text(f"New in {box} {self.brief.clock(entry.t)[-5:]}: ", style="bold")
        if entry.kind == "inject" and entry.inject:
            line.append(f"{entry.inject.id} ")
        line.append(entry.title)
        if entry.sender:
            line.append(f" - {entry.sender}", style="dim")
        if asks:
            line.append("  (to answer: press a)", style="bold")
        if len(entries) > 1:
            line.append(f"  and {len(entries) - 1} more")
        update_static(self.query_one("#arrivals", Static), line, layout=False)

    # -- rendering ----------------------------------------------------------------------------

    def _now(self) -> int:
        now = self.source.now()
        return self.status.t if now is None else max(now, self.status.t)

    def _render_status(self) -> None:
        clock = self.brief.clock(self._now())
        line = status_line(self.brief.title, clock, self.status, speed=False)
        todo = len(self.inbox.awaiting())
        if todo:
            line.append(f" | {todo} to answer", style="bold")
        update_static(self.query_one("#status-line", Static), line, layout=False)

    def _views(self) -> Iterable[tuple[str, str]]:
        inbox = self.inbox
        todo = len(inbox.awaiting())
        yield TODO, f"To answer {todo}" if todo else "To answer"
        for box in BOXES:
            unread = inbox.unread(box.id)
            yield box.id, f"{box.title} {unread}" if unread else box.title
        yield DECISIONS, f"Decision log {len(inbox.decisions)}"
        yield BRIEF, "Brief & mandate"

    def _render_views(self) -> None:
        views = self.query_one("#views", OptionList)
        items = list(self._views())
        if set_options(views, items):
            views.highlighted = [v for v, _ in items].index(self.view)

    def _items(self) -> list[tuple[str, Text]]:
        """(item id, line) for the current view, newest first where time matters."""
        inbox, clock, now = self.inbox, self.brief.clock, self._now()
        if self.view == TODO:
            out = []
            for card in inbox.awaiting():
                entry = self._entry_of(card.id)
                if entry is None:
                    continue
                line = Text(f"{_due_words(card, now, clock, card.id in inbox.overdue)}  ")
                line.append(f"{card.id} ", style="bold")
                line.append(card.title)
                out.append((f"e{entry.seq}", line))
            return out
        if self.view == DECISIONS:
            return [
                (f"d{d.inject}", _decision_line(d.inject, d, clock))
                for d in sorted(inbox.decisions.values(), key=lambda d: -d.seq)
            ]
        if self.view == BRIEF:
            return [(f"b{n}", Text(title)) for n, (title, _) in enumerate(self._brief_sections())]
        entries = sorted(inbox.entries[self.view], key=lambda e: -e.seq)
        return [(f"e{e.seq}", self._entry_line(e)) for e in entries]

    def _entry_line(self, entry: Entry) -> Text:
        unread = entry.seq not in self.inbox.read
        line = Text("* " if unread else "  ", style="bold" if unread else "")
        line.append(self.brief.clock(entry.t)[-5:] + " ")
        if entry.inject is not None and entry.kind == "inject":
            card = entry.inject
            if card.must_answer:
                answered = card.id in self.inbox.decisions
                line.append("[answered] " if answered else "[to answer] ", style="bold")
        line.append(entry.title, style="bold" if unread else "")
        if entry.sender:
            line.append(f" - {entry.sender}", style="dim")
        return line

    def _render_items(self) -> None:
        items = self.query_one("#items", OptionList)
        rows = self._items()
        title = dict(self._views())[self.view]
        if items.border_title != title:
            items.border_title = title
        rebuild, self._items_view = self._items_view != self.view, self.view
        if not set_options(items, rows, rebuild=rebuild):
            return  # the same items, their lines redrawn in place if they changed
        ids = [item_id for item_id, _ in rows]
        if self.selected in ids:
            items.highlighted = ids.index(self.selected)
        elif rows:
            items.highlighted = 0
        else:
            self._show_empty()

    def _show_empty(self) -> None:
        words = {
            TODO: "Nothing to answer right now.",
            DECISIONS: "Your role has not decided anything yet.",
        }
        meta = self.query_one("#reader-meta", Static)
        update_static(meta, words.get(self.view, "Nothing here yet."), layout=None)
        update_markdown(self.query_one("#reader-body", Markdown), "")

    @on(OptionList.OptionHighlighted, "#views")
    def _view_chosen(self, event: OptionList.OptionHighlighted) -> None:
        view = event.option.id or TODO
        if view != self.view:
            self.view = view
            self.selected = None
            self._render_items()

    @on(OptionList.OptionHighlighted, "#items")
    def _item_chosen(self, event: OptionList.OptionHighlighted) -> None:
        self.selected = event.option.id
        self._show(event.option.id or "")

    @on(OptionList.OptionSelected, "#views")
    def _enter_view(self) -> None:
        self.query_one("#items", OptionList).focus()

    @on(OptionList.OptionSelected, "#items")
    def _enter_item(self) -> None:
        self.query_one("#reader", VerticalScroll).focus()

    # -- the reader ---------------------------------------------------------------------------

    def _show(self, item_id: str) -> None:
        meta = self.query_one("#reader-meta", Static)
        body = self.query_one("#reader-body", Markdown)
        kind, key = item_id[:1], item_id[1:]
        if kind == "e":
            entry = self.inbox.entry(int(key))
            if entry is None:
                return
            was_unread = entry.seq not in self.inbox.read
            self.inbox.read.add(entry.seq)
            update_static(meta, self._meta(entry), layout=None)
            update_markdown(body, _entry_markdown(entry))
            if was_unread:  # its line loses its unread mark; its box's count goes down
                self._render_views()
                self._render_items()
        elif kind == "d":
            decision = self.inbox.decisions.get(key)
            card = self.inbox.cards.get(key)
            line = _decision_line(key, decision, self.brief.clock) if decision else ""
            update_static(meta, line, layout=None)
            update_markdown(body, _decision_markdown(decision, card) if decision else "")
        elif kind == "b":
            sections = self._brief_sections()
            title, text = sections[int(key)]
            update_static(meta, Text(title, style="bold"), layout=None)
            update_markdown(body, text)

    def _meta(self, entry: Entry) -> Text:
        clock = self.brief.clock
        meta = Text()
        if entry.inject is not None and entry.kind == "inject":
            card = entry.inject
            meta.append(f"{card.id}  ", style="bold")
            meta.append(f"{CHANNEL_NAMES.get(card.channel, card.channel)}")
            if card.sender:
                meta.append(f" from {card.sender}")
            meta.append(f"\n{clock(entry.t)}")
            if card.must_answer:
                decision = self.inbox.decisions.get(card.id)
                if decision is not None:
                    meta.append(f"  answered at {clock(decision.t)}", style="bold")
                else:
                    words = _due_words(card, self._now(), clock, card.id in self.inbox.overdue)
                    meta.append(f"  {words}; press a to answer", style="bold")
            return meta
        who = "you" if entry.mine else entry.sender
        meta.append(f"{entry.kind.capitalize()} from {who}", style="bold")
        if entry.to:
            meta.append(" to " + ", ".join(self.brief.name(r) for r in entry.to))
        meta.append(f"\n{clock(entry.t)}")
        return meta

    def _brief_sections(self) -> list[tuple[str, str]]:
        brief = self.brief
        sections = [("Your role: " + brief.role_name, brief.mandate or "")]
        if brief.principles:
            sections.append(("Principles", "\n".join(f"- {p}" for p in brief.principles)))
        if brief.constraints:
            sections.append(("Constraints", "\n".join(f"- {c}" for c in brief.constraints)))
        if brief.tools:
            sections.append(("Tools", "\n".join(f"- `{t}`" for t in brief.tools)))
        sections.append(("Situation: " + brief.title, brief.summary))
        sections.extend((f"Setting: {title}", text) for title, text in brief.setting)
        for phase, text in self.phase_briefs.items():
            sections.append((f"Phase brief: {phase}", text))
        return sections

    # -- actions ------------------------------------------------------------------------------

    def _entry_of(self, inject_id: str) -> Entry | None:
        for entries in self.inbox.entries.values():
            for entry in entries:
                if entry.kind == "inject" and entry.inject and entry.inject.id == inject_id:
                    return entry
        return None

    def _selected_entry(self) -> Entry | None:
        if self.selected and self.selected.startswith("e"):
            return self.inbox.entry(int(self.selected[1:]))
        return None

    def _others(self) -> dict[str, str]:
        return {r: n for r, n in self.brief.roles.items() if r != self.brief.role}

    def action_answer(self) -> None:
        entry = self._selected_entry()
        card = entry.inject if entry is not None and entry.kind == "inject" else None
        if card is None or not card.must_answer:
            waiting = self.inbox.awaiting()
            if not waiting:
                self.notify("Nothing to answer right now.", title="Answer")
                return
            card = waiting[0]
        if card.id in self.inbox.decisions:
            self.notify(f"Your role has already answered {card.id}.", title="Answer")
            return
        due = _due_words(card, self._now(), self.brief.clock, card.id in self.inbox.overdue)
        self.app.push_screen(AnswerForm(card, due, self.source.submit), self._sent("Answer"))

    def action_message(self) -> None:
        entry = self._selected_entry()
        to: tuple[str, ...] = ()
        subject, inject = "", None
        if entry is not None and entry.kind == "message" and not entry.mine:
            to = (entry.from_role,) if entry.from_role else ()
            subject = entry.title if entry.title.startswith("Re: ") else f"Re: {entry.title}"
        elif entry is not None and entry.inject is not None:
            inject = entry.inject.id
        form = MessageForm(
            self._others(), self.source.submit, to=to, subject=subject, inject=inject
        )
        self.app.push_screen(form, self._sent("Message"))

    def action_share(self) -> None:
        entry = self._selected_entry()
        if entry is None or entry.inject is None or entry.kind != "inject":
            self.notify("Select an inject your role received, then share it.", title="Share")
            return
        form = ShareForm(entry.inject, self._others(), self.source.submit)
        self.app.push_screen(form, self._sent("Share"))

    def _sent(self, what: str):
        def done(accepted: bool | None) -> None:
            if accepted:
                self.notify(f"{what} accepted.", title=what)

        return done

    def action_next_unread(self) -> None:
        for box in BOXES:
            for entry in sorted(self.inbox.entries[box.id], key=lambda e: e.seq):
                if entry.seq not in self.inbox.read:
                    self.action_show_view(box.id, f"e{entry.seq}")
                    return
        self.notify("Everything has been read.", title="Inbox")

    def action_show_view(self, view: str, item: str | None = None) -> None:
        self.view = view
        self.selected = item
        views = self.query_one("#views", OptionList)
        ids = [o.id for o in views._options]
        with views.prevent(OptionList.OptionHighlighted):
            views.highlighted = ids.index(view)
        self._render_items()
        self.query_one("#items", OptionList).focus()

    def palette(self) -> Iterable[PaletteCommand]:
        yield from super().palette()
        for view, label in self._views():
            yield PaletteCommand(
                f"Go to: {label}",
                "show this part of the inbox",
                partial(self.action_show_view, view),
            )
        for card in self.inbox.awaiting():
            entry = self._entry_of(card.id)
            if entry is not None:
                yield PaletteCommand(
                    f"Open: {card.id} {card.title}",
                    "an inject your role must answer",
                    partial(self.action_show_view, TODO, f"e{entry.seq}"),
                    discover=False,
                )


def _due_words(card: InjectCard, now: int, clock, overdue: bool) -> str:
    if card.due_at is None:
        return "no deadline"
    if overdue or card.due_at < now:
        return f"OVERDUE since {clock(card.due_at)[-5:]}"
    return f"due {clock(card.due_at)[-5:]} (in {format_wait(card.due_at - now)})"


def _decision_line(inject: str, decision, clock) -> Text:
    line = Text(f"{clock(decision.t)[-5:]} ")
    line.append(f"{inject} ", style="bold")
    if decision.option:
        line.append(f"option {decision.option}")
    elif decision.text:
        line.append("own course of action")
    if decision.confidence:
        line.append(f", confidence {decision.confidence}/5")
    if decision.late:
        line.append("  LATE", style="bold")
    return line


def _decision_markdown(decision, card: InjectCard | None) -> str:
    parts = []
    if card is not None:
        parts.append(f"**{card.title}**")
        chosen = next((o for o in card.options if o.id == decision.option), None)
        if chosen is not None:
            parts.append(f"Option {chosen.id}: {chosen.text}")
    if decision.text:
        parts.append(f"Own course of action: {decision.text}")
    if decision.rationale:
        parts.append(f"Rationale: {decision.rationale}")
    if decision.seat:
        parts.append(f"Answered from seat `{decision.seat}`.")
    return "\n\n".join(parts)


def _entry_markdown(entry: Entry) -> str:
    parts = []
    if entry.kind == "share" and entry.note:
        parts.append(f"> {entry.note}")
    if entry.kind != "inject" or entry.inject is None:
        parts.append(entry.body)
        return "\n\n".join(parts)
    card = entry.inject
    parts.append(card.body or "_(no text)_")
    if card.prompt:
        parts.append(f"**{card.prompt}**")
    for option in card.options:
        parts.append(f"- **{option.id}.** {option.text}")
    return "\n\n".join(parts)
