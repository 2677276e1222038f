"""Working days in England and Wales: weekdays that are not bank holidays. No Django import.

The council recording policy (PRODUCT.md, recording rule 2) asks that a case note be
finalised within 5 working days of the event. Bank holidays come from the `holidays`
package's England subdivision, which England and Wales share (the Banking and Financial
Dealings Act 1971, Schedule 1, and the annual royal proclamations).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]).keys())


class WorkingDays:
    """Working days on England and Wales bank holidays, plus any one-off closures added
    (a new bank holiday announced by proclamation before the `holidays` package has it)."""

    def __init__(self, extra_holidays: frozenset[date] = frozenset()) -> None:
        self.extra_holidays = extra_holidays

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() < 5
            and day not in _bank_holidays(day.year)
            and day not in self.extra_holidays
        )

    def add(self, start: date, days: int) -> date:
        """The date `days` working days after `start` (`start` itself never counts)."""
        if days < 0:
            raise ValueError("days must not be negative")
        current = start
        remaining = days
        while remaining:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`; 0 when `end` is not later."""
        if end <= start:
            return 0
        count = 0
        current = start
        # Whole weeks first: each holds 5 weekdays, less its holidays.
        while (end - current).days >= 7:
            count += 5 - sum(
                1
                for offset in range(1, 8)
                if (day := current + timedelta(days=offset)).weekday() < 5
                and (day in _bank_holidays(day.year) or day in self.extra_holidays)
            )
            current += timedelta(days=7)
        while current < end:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count

    def on_or_after(self, day: date) -> date:
        """`day` if it is a working day, otherwise the next one."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day


ENGLAND_AND_WALES = WorkingDays()


def is_working_day(day: date) -> bool:
    return ENGLAND_AND_WALES.is_working_day(day)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (`start` itself never counts)."""
    return ENGLAND_AND_WALES.add(start, days)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`; 0 when `end` is not later.

    An event on Monday finalised the same Monday is 0 days late; finalised on the
    following Monday (no bank holiday) it took 5 working days.
    """
    return ENGLAND_AND_WALES.between(start, end)
