"""Date arithmetic for the compliance dashboards. No Django import.

The dashboards ask the database "which drafts are past their deadline?" as one indexed
range: a draft's deadline is the organisation's limit of working days after its event
(recording rule 2), so it is overdue exactly when its event fell on or before the latest
start date whose deadline has passed. That date is worked out here once per page.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from caseledger.domain.working_days import WorkingDays

# The period the dashboards open with, and the longest the trends draw.
DEFAULT_PERIOD_MONTHS = 3
TREND_MONTHS = 12
LONGEST_TREND_MONTHS = 36


def latest_overdue_start(today: date, limit: int, working_days: WorkingDays) -> date:
    """The latest event date whose deadline (`limit` working days later) is before `today`.

    A draft whose event is on or before this date is overdue today; one after it is not.
    The deadline grows with the start date, so walking back from yesterday finds it.
    """
    candidate = today - timedelta(days=1)
    while working_days.add(candidate, limit) >= today:
        candidate -= timedelta(days=1)
    return candidate


def months_back(day: date, months: int) -> date:
    """The same day `months` months earlier, or the month's last day if it has fewer days."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_period(today: date) -> tuple[date, date]:
    """The last 3 months, today included."""
    return months_back(today, DEFAULT_PERIOD_MONTHS), today


def default_trend_period(today: date) -> tuple[date, date]:
    """The current month and the 11 before it."""
    return first_of_month(months_back(today, TREND_MONTHS - 1)), today


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def months_in(start: date, end: date) -> list[date]:
    """The first day of each month from `start`'s to `end`'s, in order."""
    months = []
    current = first_of_month(start)
    while current <= end:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def month_label(month: date) -> str:
    return f"{month:%b %Y}"


SPREADSHEET_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell a spreadsheet will not run as a formula (OWASP "CSV injection"): text that
    starts with = + - @, a tab or a carriage return gets a leading apostrophe. Numbers are
    left as numbers."""
    if isinstance(value, str) and value.startswith(SPREADSHEET_TRIGGERS):
        return "'" + value
    return value
