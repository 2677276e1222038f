"""One-off holidays (WorkingDays(extra_holidays=...)): counted like bank holidays, by `add`,
`between` and `on_or_after`, and never leaking into the plain England and Wales calendar.

The naive count below shares none of the module's code (only the `holidays` data), so that
`between`'s whole-week shortcut is checked against walking day by day.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import holidays
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from caseledger.domain.working_days import (
    ENGLAND_AND_WALES,
    WorkingDays,
    add_working_days,
    is_working_day,
    working_days_between,
)

D = date
# A Monday made a one-off bank holiday by proclamation, as the coronation's was in 2023.
CORONATION_STYLE = D(2027, 6, 7)


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]))


def naive_between(start: date, end: date, extra: frozenset[date]) -> int:
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in _bank_holidays(day.year) and day not in extra:
            count += 1
    return count


DAYS = st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31))
# Extra holidays of every kind: weekdays, weekends, days that are already bank holidays,
# clustered round the year ends the ranges cross.
EXTRAS = st.frozensets(
    st.one_of(
        DAYS,
        st.builds(
            lambda year, offset: D(year, 12, 20) + timedelta(days=offset),
            st.integers(2020, 2034),
            st.integers(0, 20),
        ),
    ),
    max_size=30,
)


@given(start=DAYS, length=st.integers(0, 800), extra=EXTRAS)
@example(start=D(2026, 12, 18), length=21, extra=frozenset({D(2026, 12, 24), D(2026, 12, 31)}))
@example(start=D(2026, 12, 18), length=21, extra=frozenset({D(2026, 12, 25), D(2026, 12, 26)}))
@example(start=D(2027, 12, 24), length=7, extra=frozenset({D(2027, 12, 31)}))
def test_between_agrees_with_a_day_by_day_count(start, length, extra):
    end = start + timedelta(days=length)
    days = WorkingDays(extra_holidays=extra)
    assert days.between(start, end) == naive_between(start, end, extra)
    # Backwards and empty ranges are nothing.
    assert days.between(end, start) == 0


@given(start=DAYS, amount=st.integers(0, 300), extra=EXTRAS)
@example(start=D(2026, 12, 23), amount=3, extra=frozenset({D(2026, 12, 24), D(2026, 12, 29)}))
def test_add_skips_extra_holidays_and_is_the_inverse_of_between(start, amount, extra):
    days = WorkingDays(extra_holidays=extra)
    end = days.add(start, amount)
    assert days.between(start, end) == amount
    if amount:
        assert days.is_working_day(end)
        assert end not in extra
        # The day before the answer would not have been enough.
        assert days.between(start, end - timedelta(days=1)) == amount - 1


@given(day=DAYS, extra=EXTRAS)
def test_on_or_after_lands_on_the_first_working_day(day, extra):
    days = WorkingDays(extra_holidays=extra)
    found = days.on_or_after(day)
    assert found >= day and days.is_working_day(found)
    assert all(not days.is_working_day(day + timedelta(days=n)) for n in range((found - day).days))


def test_add_skips_a_one_off_holiday():
    # Thursday 3 June 2027 + 2 working days: Monday 7 June, or Tuesday 8 June once Monday
    # 7 June is a one-off holiday.
    one_off = WorkingDays(extra_holidays=frozenset({CORONATION_STYLE}))
    assert ENGLAND_AND_WALES.add(D(2027, 6, 3), 2) == D(2027, 6, 7)
    assert one_off.add(D(2027, 6, 3), 2) == D(2027, 6, 8)
    # Across Christmas 2026 with Christmas Eve made a holiday too.
    christmas_eve = WorkingDays(extra_holidays=frozenset({D(2026, 12, 24)}))
    assert ENGLAND_AND_WALES.add(D(2026, 12, 23), 1) == D(2026, 12, 24)
    assert christmas_eve.add(D(2026, 12, 23), 1) == D(2026, 12, 29)


def test_between_counts_a_one_off_holiday_once():
    one_off = WorkingDays(extra_holidays=frozenset({CORONATION_STYLE}))
    assert ENGLAND_AND_WALES.between(D(2027, 6, 1), D(2027, 6, 15)) == 10
    assert one_off.between(D(2027, 6, 1), D(2027, 6, 15)) == 9
    # An extra holiday on a weekend or a bank holiday changes nothing.
    weekend_and_bank = WorkingDays(extra_holidays=frozenset({D(2027, 6, 5), D(2027, 5, 31)}))
    assert weekend_and_bank.between(D(2027, 5, 25), D(2027, 6, 15)) == ENGLAND_AND_WALES.between(
        D(2027, 5, 25), D(2027, 6, 15)
    )


def test_a_one_off_holiday_is_not_a_working_day_only_in_its_own_calendar():
    one_off = WorkingDays(extra_holidays=frozenset({CORONATION_STYLE}))
    assert not one_off.is_working_day(CORONATION_STYLE)
    assert one_off.on_or_after(CORONATION_STYLE) == D(2027, 6, 8)
    # The plain England and Wales calendar and its helpers are unaffected, before and after
    # a calendar with extra holidays has been used.
    assert ENGLAND_AND_WALES.extra_holidays == frozenset()
    assert ENGLAND_AND_WALES.is_working_day(CORONATION_STYLE)
    assert is_working_day(CORONATION_STYLE)
    assert add_working_days(D(2027, 6, 4), 1) == CORONATION_STYLE
    assert working_days_between(D(2027, 6, 4), D(2027, 6, 8)) == 2
    assert WorkingDays().is_working_day(CORONATION_STYLE)


def test_add_refuses_a_negative_count():
    with pytest.raises(ValueError, match="must not be negative"):
        WorkingDays(extra_holidays=frozenset({CORONATION_STYLE})).add(D(2027, 6, 1), -1)
