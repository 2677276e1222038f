"""Date arithmetic for the dashboards, tested directly (no database)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from caseledger.compliance.reckoning import (
    default_period,
    default_trend_period,
    latest_overdue_start,
    months_back,
    months_in,
    spreadsheet_safe,
)
from caseledger.domain.working_days import ENGLAND_AND_WALES


def test_a_draft_is_overdue_once_its_deadline_has_passed():
    # Monday 16 March 2026: a Monday 9 March event is due today (5 working days), not late;
    # anything on or before Sunday 8 March was due by Friday 13 March.
    assert latest_overdue_start(date(2026, 3, 16), 5, ENGLAND_AND_WALES) == date(2026, 3, 8)


@pytest.mark.parametrize("limit", [1, 3, 5, 10])
@pytest.mark.parametrize(
    "today",
    [date(2026, 1, 2), date(2026, 4, 7), date(2026, 5, 26), date(2026, 12, 29), date(2027, 3, 1)],
)
def test_the_overdue_cut_off_agrees_with_each_drafts_own_deadline(today, limit):
    """Across bank holidays (Easter, Christmas, the May bank holidays) and weekends."""
    cut_off = latest_overdue_start(today, limit, ENGLAND_AND_WALES)
    for offset in range(60):
        started = today - timedelta(days=offset)
        overdue = ENGLAND_AND_WALES.add(started, limit) < today
        assert (started <= cut_off) is overdue, started


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 5, 31), 3, date(2026, 2, 28)),
        (date(2028, 5, 31), 3, date(2028, 2, 29)),
        (date(2026, 3, 15), 3, date(2025, 12, 15)),
        (date(2026, 1, 1), 12, date(2025, 1, 1)),
    ],
)
def test_months_back_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert months_back(day, months) == expected


def test_the_default_periods():
    assert default_period(date(2026, 6, 10)) == (date(2026, 3, 10), date(2026, 6, 10))
    start, end = default_trend_period(date(2026, 6, 10))
    assert (start, end) == (date(2025, 7, 1), date(2026, 6, 10))
    assert len(months_in(start, end)) == 12


def test_months_in_a_period():
    assert months_in(date(2025, 11, 20), date(2026, 2, 3)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 7700", "'+44 7700"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("Kayden Walker", "Kayden Walker"),
        (-3, -3),
        (12.5, 12.5),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(cell, expected):
    assert spreadsheet_safe(cell) == expected
