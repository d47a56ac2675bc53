"""A role's inbox, sorted the way exercise staff sort injects: by the channel they come in on.

Trainees do not read "events": they watch a news wall, keep a radio log, scroll a social feed,
file cables and reports, take phone calls and sit in meetings, and trade messages with other
roles. This module folds the events a seat may read into those boxes, with what has been read,
what must be answered and by when, and the role's own decision log. It holds no rule of the
exercise: every fact in it comes from an event.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from exercise_engine.tui.feed import FeedEvent, InjectCard


@dataclass(frozen=True)
class Box:
    id: str
    title: str
    channels: tuple[str, ...]


BOXES: tuple[Box, ...] = (
    Box("news", "News wall", ("news",)),
    Box("radio", "Radio log", ("radio",)),
    Box("social", "Social feed", ("social",)),
    Box("cables", "Cables & reports", ("cable", "report", "intel", "email")),
    Box("phone", "Phone & meetings", ("phone", "meeting")),
    Box("messages", "Messages", ()),
)
BOX_OF_CHANNEL = {channel: box.id for box in BOXES for channel in box.channels}


@dataclass
class Entry:
    """One item in a box: an inject, a message from another role, or a share."""

    seq: int
    box: str
    kind: str  # inject | message | share
    t: int
    title: str
    sender: str
    body: str
    inject: InjectCard | None = None
    to: tuple[str, ...] = ()
    note: str = ""
    mine: bool = False
    """Sent by this role (messages and shares keep a copy in the sender's box)."""
    from_role: str | None = None


@dataclass
class Decision:
    """One of the role's recorded answers, as its decision log shows it."""

    seq: int
    inject: str
    t: int
    option: str | None
    text: str
    rationale: str
    late: bool
    seat: str | None
    confidence: int | None = None


@dataclass
class Inbox:
    role: str
    entries: dict[str, list[Entry]] = field(default_factory=lambda: {b.id: [] for b in BOXES})
    read: set[int] = field(default_factory=set)
    cards: dict[str, InjectCard] = field(default_factory=dict)
    decisions: dict[str, Decision] = field(default_factory=dict)
    overdue: set[str] = field(default_factory=set)
    last_seq: int = 0

    def add(self, event: FeedEvent, names: dict[str, str] | None = None) -> Entry | None:
        """Fold one event in; returns the new inbox entry, if the event made one."""
        self.last_seq = max(self.last_seq, event.seq)
        names = names or {}
        payload = event.payload
        if event.type == "InjectDelivered" and event.inject is not None:
            card = event.inject
            self.cards[card.id] = card
            return self._file(
                Entry(
                    event.seq,
                    BOX_OF_CHANNEL.get(card.channel, "cables"),
                    "inject",
                    event.t,
                    card.title,
                    card.sender,
                    card.body,
                    inject=card,
                )
            )
        if event.type == "MessageSent":
            subject = str(payload.get("subject") or "")
            body = str(payload.get("body") or "")
            return self._file(
                Entry(
                    event.seq,
                    "messages",
                    "message",
                    event.t,
                    subject or _first_line(body),
                    names.get(event.role or "", event.role or "Exercise control"),
                    body,
                    to=tuple(payload.get("to") or ()),
                    mine=event.role == self.role,
                    from_role=event.role,
                )
            )
        if event.type == "InformationShared":
            inject_id = str(payload.get("inject") or "")
            shared = event.inject or self.cards.get(inject_id)
            title = shared.title if shared is not None else inject_id
            return self._file(
                Entry(
                    event.seq,
                    "messages",
                    "share",
                    event.t,
                    f"Shared: {title}",
                    names.get(event.role or "", event.role or ""),
                    shared.body if shared is not None else "",
                    inject=shared,
                    to=tuple(payload.get("to") or ()),
                    note=str(payload.get("note") or ""),
                    mine=event.role == self.role,
                    from_role=event.role,
                )
            )
        if event.type == "ResponseRecorded" and event.role == self.role:
            inject_id = str(payload.get("inject"))
            self.decisions[inject_id] = Decision(
                event.seq,
                inject_id,
                event.t,
                payload.get("option"),
                str(payload.get("text") or ""),
                str(payload.get("rationale") or ""),
                bool(payload.get("late")),
                event.seat,
                payload.get("confidence"),
            )
            self.overdue.discard(inject_id)
        elif event.type == "ResponseOverdue" and event.role == self.role:
            self.overdue.add(str(payload.get("inject")))
        return None

    def _file(self, entry: Entry) -> Entry:
        self.entries[entry.box].append(entry)
        if entry.mine:
            self.read.add(entry.seq)
        return entry

    def unread(self, box: str) -> int:
        return sum(1 for e in self.entries[box] if e.seq not in self.read)

    def awaiting(self) -> list[InjectCard]:
        """Injects this role must answer and has not, oldest due first."""
        cards = [c for c in self.cards.values() if c.must_answer and c.id not in self.decisions]
        return sorted(cards, key=lambda c: (c.due_at is None, c.due_at or 0, c.id))

    def entry(self, seq: int) -> Entry | None:
        for entries in self.entries.values():
            for entry in entries:
                if entry.seq == seq:
                    return entry
        return None


def _first_line(text: str, width: int = 60) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"
