"""The MSEL reader's parts on their own: headers, times, recipients, channels, cells."""

from __future__ import annotations

import datetime as dt

import pytest

from exercise_engine.msel import cells
from exercise_engine.msel.headers import map_headers, normalize, recognise
from exercise_engine.msel.recipients import RoleMatcher, channel_for
from exercise_engine.msel.times import (
    DateOrder,
    Moment,
    TimeFormatError,
    date_order,
    parse_moment,
    place,
)

ROLES = {
    "host_state": "Government of the Republic of Ardana",
    "un_mission": "UN Integrated Mission in Ardana (UNIMA)",
    "military": "UNIMA Force",
    "police": "UNIMA Police component (UNPOL)",
    "humanitarian": "Humanitarian Country Team",
    "red_cell": "Red cell",
}


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Inject No.", "id"), ("  inject\nno. ", "id"), ("Event #", "id"), ("#", "id"),
        ("Seq", "id"), ("ID", "id"), ("Control Number", "id"),
        ("Scenario Time", "time"), ("Date/Time", "time"), ("DELIVERY TIME ", "time"),
        ("Day", "time"), ("Time (Zulu)", "time"), ("T+min", "time"),
        ("Phase", "phase"), ("Move", "phase"),
        ("Inject Type", "channel"), ("Delivery Method", "channel"), ("Means", "channel"),
        ("Mode", "channel"), ("Method", "channel"),
        ("From", "from"), ("Originator", "from"), ("Sender", "from"), ("Source", "from"),
        ("To", "to"), ("Recipient(s)", "to"), ("Player", "to"), ("Audience", "to"),
        ("Players Reacting", "to"),
        ("Subject", "title"), ("Title", "title"), ("Inject", "title"),
        ("Message", "body"), ("Description", "body"), ("Activity", "body"), ("Content", "body"),
        ("Details", "body"), ("Script", "body"),
        ("Expected Action", "expected"), ("Expected Outcome", "expected"),
        ("Expected player actions", "expected"), ("Expected Reaction", "expected"),
        ("Evaluator Notes/Expected Reaction", "expected"),
        ("Notes", "notes"), ("Controller Notes", "notes"),
        ("Objective", "objective"), ("Capability", "objective"), ("Core Capability", "objective"),
    ],
)  # fmt: skip
def test_header_spellings(header, field):
    found = recognise(header)
    assert found is not None and found.field == field


def test_header_units_and_unknown_headers():
    assert recognise("T+min").unit == 60
    assert recognise("Time (hours)").unit == 3600
    assert recognise("Status") is None and recognise("") is None
    assert normalize("Inject\nNo. ") == "inject no"


def test_two_inject_columns_are_number_and_message():
    mapped = map_headers(["Inject", "Time", "From", "To", "Inject"])
    assert mapped.columns["id"] == [0] and mapped.columns["body"] == [4]


def test_the_better_time_column_wins():
    mapped = map_headers(["Exercise Time", "Simulated Time", "Title"])
    assert mapped.columns["time"] == [1] and mapped.shadowed == [(0, 1)]


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("09:30", Moment(clock=34200)),
        ("0930", Moment(clock=34200)),
        ("07:29 PM", Moment(clock=70140)),
        ("12:05 am", Moment(clock=300)),
        ("14h00", Moment(clock=50400)),
        ("Day 2 14:00", Moment(day=1, clock=50400)),
        ("Day 1 (0600)", Moment(day=0, clock=21600)),
        ("D+1 06:00", Moment(day=1, clock=21600)),
        ("D-Day", Moment(day=0)),
        ("J+1 09h00", Moment(day=1, clock=32400)),
        ("J+1 H+2 M-5", Moment(day=1, shift=6900)),
        ("J-60", Moment(day=-60)),
        ("+2:35", Moment(elapsed=9300)),
        ("+2h", Moment(elapsed=7200)),
        ("T+2h30m", Moment(elapsed=9000)),
        ("T-5m", Moment(elapsed=-300)),
        ("2023-03-23T04:00:00.000Z", Moment(date=dt.date(2023, 3, 23), clock=14400)),
        ("2027-03-14 06:00", Moment(date=dt.date(2027, 3, 14), clock=21600)),
        ("Monday 9:30 AM", Moment(weekday=0, clock=34200)),
    ],
)
def test_times_as_sheets_write_them(text, moment):
    assert parse_moment(text) == moment


def test_times_from_cells_and_units():
    assert parse_moment("5", unit=60) == Moment(elapsed=300)
    assert parse_moment("T+5", unit=60) == Moment(elapsed=300)
    assert parse_moment(0.5) == Moment(clock=43200)  # an Excel time fraction
    assert parse_moment(930) == Moment(clock=34200)  # 0930 typed as a number
    assert parse_moment(46460.75) == Moment(date=dt.date(2027, 3, 14), clock=64800)
    assert parse_moment(dt.time(6, 30)) == Moment(clock=23400)
    assert parse_moment(dt.timedelta(minutes=90)) == Moment(elapsed=5400)
    assert parse_moment(dt.datetime(2027, 3, 14, 6, 0)).date == dt.date(2027, 3, 14)


@pytest.mark.parametrize("text", ["25:99", "T+5", "5", "soon", "31/02/2024", "13:00 PM"])
def test_unreadable_times_say_what_was_expected(text):
    with pytest.raises(TimeFormatError):
        parse_moment(text, order=DateOrder(True, True))


def test_date_order_is_decided_by_the_column():
    assert date_order(["7/5/2022", "26/06/2024"]) == DateOrder(True, True)
    assert date_order(["7/5/2022", "7/25/2022"]) == DateOrder(False, True)
    assert date_order(["7/5/2022"]) == DateOrder(False, False)


def test_place_counts_from_the_earliest_inject():
    moments = [parse_moment(t) for t in ("J+1", "J-1", "J 09h00")]
    assert place(moments).offsets == [2 * 86400, 0, 86400]
    elapsed = place([Moment(elapsed=600), Moment(elapsed=0)])
    assert elapsed.offsets == [600, 0] and elapsed.start is None
    dated = place([parse_moment("2027-03-14 08:00"), parse_moment("09:30")])
    assert dated.offsets == [0, 5400] and dated.start == dt.datetime(2027, 3, 14, 8, 0)
    start = dt.datetime(2027, 3, 14, 6, 0)
    assert place([parse_moment("08:00")], start, True).offsets == [7200]


def test_weekdays_count_from_the_first_weekday_written():
    moments = [parse_moment(t) for t in ("Monday 9:30 AM", "Tuesday 08:00", "Sunday 10:00")]
    assert place(moments).offsets == [0, 86400 - 5400, 6 * 86400 + 1800]


@pytest.mark.parametrize(
    ("cell", "roles", "unknown"),
    [
        ("Host State, Police", ["host_state", "police"], []),
        ("un_mission;humanitarian", ["un_mission", "humanitarian"], []),
        ("All", ["all"], []),
        ("UNMISS", ["un_mission"], []),
        ("UN Police", ["police"], []),
        ("Force HQ / OCHA", ["military", "humanitarian"], []),
        ("Government", ["host_state"], []),
        ("team1", [], ["team1"]),
        ("Ridge Electric Company", [], ["Ridge Electric Company"]),  # no loose aliases
        ("Secretary of State", [], ["Secretary of State"]),
        ("UN and Sim Cell", ["un_mission"], ["Sim Cell"]),
    ],
)
def test_recipients_to_roles(cell, roles, unknown):
    assert RoleMatcher(ROLES).recipients(cell) == (roles, unknown)


def test_recipients_given_by_the_designer_win():
    matcher = RoleMatcher(ROLES, {"sim cell": "red_cell", "team1": "un_mission"})
    assert matcher.recipients("Sim Cell") == (["red_cell"], [])
    assert matcher.recipients("team1, Force") == (["un_mission", "military"], [])
    assert matcher.used == {"team1": "un_mission", "Force": "military"}


@pytest.mark.parametrize(
    ("method", "channel"),
    [
        ("Verbal", "meeting"), ("Email printout", "email"), ("Chat message", "email"),
        ("Phone call", "phone"), ("Radio", "radio"), ("Media", "news"), ("Send an SMS", "phone"),
        ("Send a mail", "email"), ("Social media", "social"), ("SITREP", "report"),
        ("Code cable", "cable"), ("INTSUM", "intel"), ("cable", "cable"), ("Carrier pigeon", None),
    ],
)  # fmt: skip
def test_delivery_methods_to_channels(method, channel):
    assert channel_for(method) == channel


def test_cells_read_back_what_export_writes():
    assert cells.pairs("violence -1, access +2; SHP-3: 4") == {
        "violence": -1, "access": 2, "SHP-3": 4
    }  # fmt: skip
    assert (
        cells.write_pairs({"violence": -1, "access": 2.5}, signed=True)
        == "violence -1, access +2.5"
    )
    assert cells.trigger("after INJ-001 +3h") == {"after": {"inject": "INJ-001", "delay": "3h"}}
    assert cells.trigger("when access < 4") == {"when": "access < 4"}
    assert cells.write_trigger({"inject": "INJ-001", "delay": 10800}, None) == "after INJ-001 +3h"
    assert cells.yes_no("x") is True and cells.yes_no("") is False
    with pytest.raises(cells.CellError):
        cells.pairs("violence lots")
    with pytest.raises(cells.CellError):
        cells.trigger("sometime")
    assert cells.merge({"respond": {"due": 1, "options": [1]}}, {"respond": {"due": 2}}) == {
        "respond": {"due": 2, "options": [1]}
    }
