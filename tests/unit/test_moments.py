"""Moments a controller types (reschedule, ad-hoc due times) read as scenario seconds."""

import datetime as dt
import re

import pytest

from exercise_engine.model.durations import DurationError, parse_moment

START = dt.datetime(2027, 3, 14, 5, 0)


def test_a_delay_counts_from_now() -> None:
    assert parse_moment("+30m", 600, None) == 2400
    assert parse_moment(" +1h30m ", 0, START) == 5400


def test_a_time_of_day_is_the_next_one_on_the_scenario_clock() -> None:
    assert parse_moment("07:15", 0, START) == 2 * 3600 + 15 * 60
    # at 08:00 on the scenario clock, 07:15 is tomorrow's
    assert parse_moment("07:15", 3 * 3600, START) == (26 * 60 + 15) * 60


def test_a_full_date_and_time() -> None:
    assert parse_moment("2027-03-15 05:00", 0, START) == 86400


@pytest.mark.parametrize(
    ("text", "start", "words"),
    [
        ("07:15", None, "has no date; type a delay like +30m"),
        ("25:00", START, "is not a time of day like 07:15"),
        ("soon", START, "is not a scenario date and time"),
        ("+soon", START, "is not a duration"),
    ],
)
def test_what_cannot_be_read_says_what_to_type(text, start, words) -> None:
    with pytest.raises(DurationError, match=re.escape(words)):
        parse_moment(text, 0, start)
