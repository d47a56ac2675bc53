"""A seat's inbox from the lines its role reads (as the live layer hands them): boxes by
channel, unread counts, what must be answered, the decision log."""

from __future__ import annotations

import json

from exercise_engine.engine.visibility import adhoc_view, inject_view, role_brief
from exercise_engine.model.bundle import Bundle
from exercise_engine.store.live import Line
from exercise_engine.tui.inbox import Inbox
from exercise_engine.tui.sources import feed_event
from exercise_engine.tui.sources import role_brief as brief_of


def delivery(seq: int, inject: dict, to: list[str]) -> Line:
    payload = {"inject": inject["id"], "to": to, "answer": [], "due_at": inject.get("due_at"),
               "cause": {"kind": "at"}, "adhoc": None}  # fmt: skip
    return Line(
        seq, "InjectDelivered", 60, None, json.dumps(payload), json.dumps({"inject": inject})
    )


def test_an_inject_reads_with_its_options_only_where_the_role_answers(harbour: Bundle) -> None:
    asked = feed_event(delivery(4, inject_view(harbour, "I-01", 3600, True), ["un_mission"]))
    told = feed_event(delivery(4, inject_view(harbour, "I-01", None, False), ["humanitarian"]))
    assert asked.inject is not None and told.inject is not None
    assert [o.id for o in asked.inject.options] == ["A", "B"]
    assert (asked.inject.must_answer, asked.inject.due_at, asked.inject.rationale) == (
        True, 3600, "required"
    )  # fmt: skip
    assert (told.inject.options, told.inject.must_answer) == ((), False)
    adhoc = {"title": "Roadblock", "body": "At the bridge.", "channel": "radio",
             "from": "Sector HQ", "prompt": "What now?"}  # fmt: skip
    card = feed_event(delivery(5, adhoc_view("ADHOC-1", adhoc, 660, True), ["police"])).inject
    assert card is not None
    assert (card.title, card.sender, card.prompt, card.free_text, card.must_answer) == (
        "Roadblock", "Sector HQ", "What now?", True, True
    )  # fmt: skip


def test_a_roles_brief_reads_as_the_seat_shows_it(harbour: Bundle) -> None:
    brief = brief_of(role_brief(harbour, "un_mission"))
    assert brief.role == "un_mission"
    assert brief.title == "Harbour test scenario"
    assert brief.roles["police"] == harbour.roles["police"].name
    assert brief.clock(3600) == "2030-01-01 07:00"


def test_the_inbox_files_by_channel_counts_unread_and_keeps_the_decisions(harbour) -> None:
    names = brief_of(role_brief(harbour, "un_mission")).roles
    inbox = Inbox("un_mission")
    message = {"to": ["un_mission"], "subject": "", "body": "Roadblock at the bridge\nmore",
               "inject": None}  # fmt: skip
    lines = [
        delivery(4, inject_view(harbour, "I-01", 3600, True), ["un_mission"]),  # a report
        delivery(5, inject_view(harbour, "I-06", None, False), ["un_mission"]),  # news
        Line(6, "MessageSent", 70, "police", json.dumps(message)),
    ]
    for line in lines:
        inbox.add(feed_event(line), dict(names))
    assert [e.inject.id for e in inbox.entries["cables"] if e.inject] == ["I-01"]
    assert [e.inject.id for e in inbox.entries["news"] if e.inject] == ["I-06"]
    [sent] = inbox.entries["messages"]
    assert (sent.title, sent.from_role, sent.sender) == (
        "Roadblock at the bridge", "police", names["police"]
    )  # fmt: skip
    assert [inbox.unread(b) for b in ("cables", "news", "messages", "radio")] == [1, 1, 1, 0]
    assert [c.id for c in inbox.awaiting()] == ["I-01"]
    inbox.read.add(4)
    assert inbox.unread("cables") == 0
    answer = {"inject": "I-01", "option": "A", "text": "", "rationale": "leaflets",
              "late": False, "delay": 20, "confidence": 4}  # fmt: skip
    inbox.add(feed_event(Line(7, "ResponseRecorded", 80, "un_mission", json.dumps(answer))))
    assert inbox.awaiting() == []
    assert (inbox.decisions["I-01"].option, inbox.decisions["I-01"].confidence) == ("A", 4)


def test_a_message_a_role_sent_is_filed_as_read() -> None:
    inbox = Inbox("police")
    sent = {"to": ["un_mission"], "subject": "Hold", "body": "b", "inject": None}
    inbox.add(feed_event(Line(6, "MessageSent", 70, "police", json.dumps(sent))))
    assert inbox.unread("messages") == 0
    assert inbox.entries["messages"][0].mine
