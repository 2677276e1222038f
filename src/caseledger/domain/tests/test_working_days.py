"""Working days in England and Wales (recording rule 2): weekends and bank holidays don't count.

The module is pure, so these tests need no database. Known dates pin the bank holidays the
timeliness figures depend on; hypothesis checks the arithmetic against a naive day-by-day
count that shares none of the module's code (only the `holidays` data).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseledger.domain.working_days import (
    add_working_days,
    is_working_day,
    working_days_between,
)

# --- Known days ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 12, 25), "Christmas Day 2026 (a Friday)"),
        (date(2026, 12, 28), "Boxing Day 2026 substitute (Boxing Day is a Saturday)"),
        (date(2027, 1, 1), "New Year's Day 2027 (a Friday)"),
        (date(2027, 3, 26), "Good Friday 2027"),
        (date(2027, 3, 29), "Easter Monday 2027"),
        (date(2027, 5, 3), "Early May bank holiday 2027"),
        (date(2027, 5, 31), "Spring bank holiday 2027"),
        (date(2027, 8, 30), "Summer bank holiday 2027"),
        (date(2027, 12, 27), "Christmas Day 2027 substitute (Christmas is a Saturday)"),
        (date(2027, 12, 28), "Boxing Day 2027 substitute (Boxing Day is a Sunday)"),
        (date(2022, 1, 3), "New Year's Day 2022 substitute"),
        (date(2023, 5, 8), "Coronation bank holiday 2023 (a one-off, by proclamation)"),
    ],
)
def test_weekday_bank_holidays_are_not_working_days(day, name):
    assert day.weekday() < 5, f"{name} should fall on a weekday for this test to mean anything"
    assert not is_working_day(day), name


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 12, 24),  # Christmas Eve is not a bank holiday
        date(2026, 12, 29),
        date(2026, 12, 31),  # nor is New Year's Eve
        date(2027, 1, 4),
        date(2027, 3, 30),  # the Tuesday after Easter
        date(2027, 3, 17),  # St Patrick's Day: a bank holiday in Northern Ireland only
        date(2027, 8, 2),  # Scotland's summer bank holiday, not England and Wales's
        date(2026, 11, 30),  # St Andrew's Day: Scotland only
    ],
)
def test_ordinary_weekdays_and_other_nations_holidays_are_working_days(day):
    assert day.weekday() < 5
    assert is_working_day(day)


@pytest.mark.parametrize("day", [date(2026, 12, 26), date(2026, 12, 27), date(2027, 1, 2)])
def test_weekends_are_not_working_days(day):
    assert day.weekday() >= 5
    assert not is_working_day(day)


# --- add_working_days ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Monday + 5 working days, no holiday: the next Monday.
        (date(2026, 11, 23), 5, date(2026, 11, 30)),
        # The start day never counts, even a working day.
        (date(2026, 11, 23), 1, date(2026, 11, 24)),
        (date(2026, 11, 23), 0, date(2026, 11, 23)),
        # Friday + 1 skips the weekend.
        (date(2026, 11, 27), 1, date(2026, 11, 30)),
        # Thu 24 Dec 2026 + 5: Christmas, the weekend, the Boxing Day substitute and New Year's
        # Day are skipped: 29, 30, 31 Dec, 4, 5 Jan.
        (date(2026, 12, 24), 5, date(2027, 1, 5)),
        # Thu 25 Mar 2027 + 1: Good Friday, the weekend and Easter Monday are skipped.
        (date(2027, 3, 25), 1, date(2027, 3, 30)),
        # From a Saturday, the first working day is Monday.
        (date(2026, 11, 28), 1, date(2026, 11, 30)),
    ],
)
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days) == expected


def test_add_working_days_refuses_a_negative_count():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2026, 11, 23), -1)


# --- working_days_between --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # The docstring's examples: same day 0; Monday to the next Monday 5.
        (date(2026, 11, 23), date(2026, 11, 23), 0),
        (date(2026, 11, 23), date(2026, 11, 30), 5),
        # An end before the start is 0, never negative.
        (date(2026, 11, 30), date(2026, 11, 23), 0),
        # Event Thu 24 Dec 2026, finalised Mon 4 Jan 2027: 29, 30, 31 Dec and 4 Jan. Counting
        # weekdays alone would give 7, and late against the default limit of 5.
        (date(2026, 12, 24), date(2027, 1, 4), 4),
        (date(2026, 12, 24), date(2027, 1, 6), 6),
        # Across Easter 2027: Thu 25 Mar to Thu 1 Apr is 30, 31 Mar and 1 Apr.
        (date(2027, 3, 25), date(2027, 4, 1), 3),
        # Ending on a bank holiday or weekend adds nothing for that day.
        (date(2027, 3, 25), date(2027, 3, 29), 0),
        # Several whole weeks (the fast path) with bank holidays inside them: the four weeks
        # from Mon 21 Dec 2026 hold 20 weekdays, less Christmas, the Boxing Day substitute and
        # New Year's Day.
        (date(2026, 12, 21), date(2027, 1, 18), 17),
        # A whole year of 2027: 261 weekdays less 8 weekday bank holidays.
        (date(2026, 12, 31), date(2027, 12, 31), 253),
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(start, end) == expected


# --- Properties --------------------------------------------------------------------------------


@cache
def _england_and_wales(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]))


def naive_count(start: date, end: date) -> int:
    """Walk day by day: weekdays after `start` up to and including `end`, less bank holidays."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in _england_and_wales(day.year):
            count += 1
    return count


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31))


@settings(deadline=None, max_examples=200)
@given(start=days, span=st.integers(min_value=0, max_value=3 * 366))
def test_agrees_with_a_naive_day_by_day_count(start, span):
    end = start + timedelta(days=span)
    assert working_days_between(start, end) == naive_count(start, end)


@settings(deadline=None)
@given(start=days, n=st.integers(min_value=0, max_value=800))
def test_counting_back_what_was_added_gives_the_same_number(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    # And the result is the first day that reaches n: a working day unless n is 0.
    if n:
        assert is_working_day(end)
        assert working_days_between(start, end - timedelta(days=1)) == n - 1


@settings(deadline=None)
@given(start=days, a=st.integers(0, 800), b=st.integers(0, 800))
def test_later_ends_never_count_fewer_days(start, a, b):
    near, far = sorted((a, b))
    first = working_days_between(start, start + timedelta(days=near))
    second = working_days_between(start, start + timedelta(days=far))
    assert first <= second
    # At most one more working day per calendar day.
    assert second - first <= far - near


@settings(deadline=None)
@given(start=days, a=st.integers(0, 600), b=st.integers(0, 600))
def test_counts_add_up_over_consecutive_ranges(start, a, b):
    middle = start + timedelta(days=a)
    end = middle + timedelta(days=b)
    assert working_days_between(start, end) == (
        working_days_between(start, middle) + working_days_between(middle, end)
    )
