"""A seat's inbox from the events its role reads: boxes by channel, unread counts, what must be
answered, the decision log; and an inject as a role sees it (options only where it answers)."""

from __future__ import annotations

from exercise_engine.engine import events as ev
from exercise_engine.engine.events import Recorded
from exercise_engine.model.bundle import Bundle
from exercise_engine.tui.cards import brief, feed_event
from exercise_engine.tui.inbox import Inbox


def delivered(inject: str, to: list[str], answer: list[str], due_at: int | None = None):
    return ev.InjectDelivered(
        t=60, inject=inject, to=to, answer=answer, due_at=due_at, cause=ev.Scheduled()
    )


def test_options_reach_only_a_role_asked_to_answer(harbour: Bundle) -> None:
    event = delivered("I-01", ["un_mission", "humanitarian"], ["un_mission"], 3600)
    asked = feed_event(harbour, Recorded(5, event), "un_mission").inject
    told = feed_event(harbour, Recorded(5, event), "humanitarian").inject
    assert asked is not None and told is not None
    assert [o.id for o in asked.options] == ["A", "B"]
    assert (asked.must_answer, asked.due_at, asked.rationale) == (True, 3600, "required")
    assert (told.options, told.must_answer, told.due_at, told.prompt) == ((), False, None, "")
    assert told.title == asked.title == "Leaflets in the market"


def test_an_adhoc_inject_is_read_as_the_controller_wrote_it(harbour: Bundle) -> None:
    adhoc = ev.AdhocInject("Roadblock", "At the bridge.", "radio", "Sector HQ", "What now?")
    event = ev.InjectDelivered(
        t=60,
        inject="ADHOC-1",
        to=["police"],
        answer=["police"],
        due_at=660,
        cause=ev.SentByController(),
        adhoc=adhoc,
    )
    card = feed_event(harbour, Recorded(3, event), "police").inject
    assert card is not None
    assert (card.title, card.channel, card.sender, card.prompt) == (
        "Roadblock",
        "radio",
        "Sector HQ",
        "What now?",
    )
    assert card.free_text and card.must_answer and card.options == ()


def test_the_inbox_files_by_channel_counts_unread_and_keeps_the_decisions(harbour) -> None:
    names = dict(brief(harbour, "un_mission").roles)
    inbox = Inbox("un_mission")
    log = [
        Recorded(4, delivered("I-01", ["un_mission"], ["un_mission"], 3600)),  # a report
        Recorded(5, delivered("I-06", ["un_mission"], [])),  # news
        Recorded(
            6,
            ev.MessageSent(
                t=70,
                role="police",
                to=["un_mission"],
                subject="",
                body="Roadblock at the bridge\nsecond line",
            ),
        ),
    ]
    for recorded in log:
        inbox.add(feed_event(harbour, recorded, "un_mission"), names)
    assert [e.inject.id for e in inbox.entries["cables"] if e.inject] == ["I-01"]
    assert [e.inject.id for e in inbox.entries["news"] if e.inject] == ["I-06"]
    [message] = inbox.entries["messages"]
    assert (message.title, message.from_role) == ("Roadblock at the bridge", "police")
    assert message.sender == names["police"]
    assert [inbox.unread(b) for b in ("cables", "news", "messages", "radio")] == [1, 1, 1, 0]
    assert [c.id for c in inbox.awaiting()] == ["I-01"]
    inbox.read.add(4)
    assert inbox.unread("cables") == 0
    answer = ev.ResponseRecorded(
        t=80,
        role="un_mission",
        seat="s1",
        inject="I-01",
        option="A",
        text="",
        rationale="leaflets",
        late=False,
        delay=20,
        confidence=4,
    )
    inbox.add(feed_event(harbour, Recorded(7, answer), "un_mission"), names)
    assert inbox.awaiting() == []
    assert (inbox.decisions["I-01"].option, inbox.decisions["I-01"].confidence) == ("A", 4)


def test_a_message_a_role_sent_is_filed_as_read(harbour: Bundle) -> None:
    inbox = Inbox("police")
    sent = ev.MessageSent(t=70, role="police", to=["un_mission"], subject="Hold", body="b")
    inbox.add(feed_event(harbour, Recorded(6, sent), "police"))
    assert inbox.unread("messages") == 0
    assert inbox.entries["messages"][0].mine
