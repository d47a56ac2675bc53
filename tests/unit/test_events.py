"""Events as the log stores them: logs written before typed events read back unchanged."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import msgspec
import orjson
import pytest

from exercise_engine.engine import events as ev
from exercise_engine.store.eventstore import dumps

OLD_LOG = Path(__file__).parent.parent / "fixtures" / "logs" / "events-before-issue-14.jsonl"
"""One row of each event type and cause kind, written by the engine before issue 14 (at
a2ac50b: free dicts for causes and ad-hoc injects), from simulated sessions of the shipped
scenarios, a scripted controller session and bench_report's 100,000-event session."""


def old_rows() -> list[dict[str, object]]:
    return [json.loads(line) for line in OLD_LOG.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("row", old_rows(), ids=lambda r: f"{r['type']}")
def test_a_log_written_before_typed_events_reads_and_writes_back_the_same(
    row: dict[str, object],
) -> None:
    payload = str(row["payload"])
    t, role, seat = int(str(row["t"])), row["role"], row["seat"]
    assert role is None or isinstance(role, str)
    assert seat is None or isinstance(seat, str)
    event = ev.decode_event(str(row["type"]), t, role, seat, orjson.loads(payload))
    assert event.type == row["type"]
    assert dumps(event.payload()) == payload


NEWER_TYPES = {"ControllerTookOver", "InjectRescheduled"}
"""Event types added after the old log was written (issue 11: a controller's take-over; issue
12: the controller reschedules an inject)."""
NEWER_CAUSES = {"rescheduled"}
"""Delivery causes added after it (issue 12: an inject the controller rescheduled)."""


def test_the_old_log_covers_every_event_type_and_cause() -> None:
    rows = old_rows()
    assert {r["type"] for r in rows} == set(ev.EVENT_TYPES) - NEWER_TYPES
    stored = [json.loads(str(r["payload"])).get("cause") for r in rows]
    kinds = {cause["kind"] for cause in stored if isinstance(cause, dict)}
    causes = (*typing.get_args(ev.DeliveryCause), *typing.get_args(ev.EffectCause))
    tags = {cls.__struct_config__.tag for cls in causes}
    assert kinds == tags - NEWER_CAUSES


def test_causes_are_typed_and_stored_with_their_kind() -> None:
    event = ev.VariableChanged(
        t=5, variable="violence", old=1.0, new=2.0, cause=ev.OptionChosen("I-01", "police", "B")
    )
    assert event.payload()["cause"] == {
        "kind": "option",
        "inject": "I-01",
        "role": "police",
        "option": "B",
    }
    assert ev.decode_event("VariableChanged", 5, None, None, event.payload()) == event


def test_an_adhoc_inject_keeps_its_stored_from_key() -> None:
    adhoc = ev.AdhocInject("Roadblock", "Ad-hoc.", "radio", "Sector HQ", "What now?")
    assert msgspec.to_builtins(adhoc)["from"] == "Sector HQ"


def test_a_response_without_a_seat_gives_its_payload() -> None:
    """A response recorded for a role with no seat (a bot, an import) still has a payload."""
    event = ev.ResponseRecorded(
        t=60, role="police", inject="INJ-1", option="a", text="", rationale="", late=False, delay=60
    )
    assert event.payload() == {
        "inject": "INJ-1", "option": "a", "text": "", "rationale": "", "late": False, "delay": 60
    }  # fmt: skip
