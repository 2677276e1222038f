"""The date a promise's words name: worked examples, and a property across years.

Counted by hand on the England and Wales bank holidays: Christmas Day (Fri) 25 December and
the Boxing Day substitute (Mon) 28 December 2026; New Year's Day (Fri) 1 January 2027; Good
Friday 26 March and Easter Monday 29 March 2027.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from caseledger.domain.promise_dates import date_from_words
from caseledger.domain.working_days import ENGLAND_AND_WALES, WorkingDays

D = date


def words(text: str, spoken_on: date, days: WorkingDays = ENGLAND_AND_WALES) -> date | None:
    return date_from_words(text, spoken_on, days)


# --- Worked examples --------------------------------------------------------------------------

WORKED_EXAMPLES = [
    # Today and tomorrow, however they are put.
    ("I'll ring you back today", D(2026, 11, 23), D(2026, 11, 23)),
    ("She will email this afternoon", D(2026, 11, 23), D(2026, 11, 23)),
    ("by the end of the day", D(2026, 11, 23), D(2026, 11, 23)),
    ("will ring back tomorrow", D(2026, 11, 23), D(2026, 11, 24)),
    ("TOMORROW", D(2026, 12, 31), D(2027, 1, 1)),
    # "End of day" names no day of its own: the day it qualifies wins.
    ("by end of day tomorrow", D(2026, 11, 23), D(2026, 11, 24)),
    ("by end of day Friday", D(2026, 11, 23), D(2026, 11, 27)),
    # The end of next week is its Friday...
    ("a decision by the end of next week", D(2026, 11, 23), D(2026, 12, 4)),
    ("sometime next week", D(2026, 11, 27), D(2026, 12, 4)),
    # ... or the working day before it when that Friday is a bank holiday (Good Friday).
    ("a decision by the end of next week", D(2027, 3, 17), D(2027, 3, 25)),
    # ... and Christmas Day.
    ("by the end of next week", D(2026, 12, 16), D(2026, 12, 24)),
    # Said at the weekend, "next week" is the coming one.
    ("end of next week", D(2026, 11, 28), D(2026, 12, 4)),
    ("end of next week", D(2026, 11, 29), D(2026, 12, 4)),
    # This week's end: its Friday; said at the weekend, the coming week's.
    ("by the end of this week", D(2026, 11, 23), D(2026, 11, 27)),
    ("end of the week", D(2026, 11, 27), D(2026, 11, 27)),
    ("by the end of the week", D(2026, 11, 28), D(2026, 12, 4)),
    ("this week", D(2026, 11, 29), D(2026, 12, 4)),
    # Good Friday: this week's last working day is the Thursday ...
    ("end of this week", D(2027, 3, 24), D(2027, 3, 25)),
    # ... so said on Good Friday itself, its end has passed: next week's (never yesterday).
    ("end of this week", D(2027, 3, 26), D(2027, 4, 2)),
    ("by the end of this week", D(2026, 12, 25), D(2026, 12, 31)),
    # The end of the month, and of next month, including from December.
    ("by the end of the month", D(2026, 11, 3), D(2026, 11, 30)),
    ("end of this month", D(2027, 2, 10), D(2027, 2, 28)),
    ("end of this month", D(2028, 2, 10), D(2028, 2, 29)),
    ("by the end of next month", D(2026, 11, 3), D(2026, 12, 31)),
    ("by the end of next month", D(2026, 12, 15), D(2027, 1, 31)),
    ("end of next month", D(2027, 1, 31), D(2027, 2, 28)),
    # Working days skip weekends and bank holidays: from Friday 18 December 2026, Christmas
    # Day, the Boxing Day substitute and New Year's Day are not counted.
    ("within 10 working days", D(2026, 12, 18), D(2027, 1, 6)),
    ("ten working days", D(2026, 12, 18), D(2027, 1, 6)),
    ("5 business days", D(2026, 12, 18), D(2026, 12, 29)),
    ("in one working day", D(2026, 12, 24), D(2026, 12, 29)),
    # Calendar days and weeks count every day.
    ("within 14 days", D(2026, 12, 18), D(2027, 1, 1)),
    ("in 2 weeks", D(2026, 12, 18), D(2027, 1, 1)),
    ("within a week", D(2026, 11, 23), D(2026, 11, 30)),
    ("in the next three days", D(2026, 11, 23), D(2026, 11, 26)),
    ("within twenty-eight days", D(2026, 11, 23), D(2026, 12, 21)),
    ("within six weeks", D(2026, 11, 23), D(2027, 1, 4)),
    # A weekday is the next one after the day it was said (never that day itself), even
    # with "next" in front of it.
    ("on Friday", D(2026, 11, 23), D(2026, 11, 27)),
    ("by Monday", D(2026, 11, 23), D(2026, 11, 30)),
    ("next Tuesday", D(2026, 11, 23), D(2026, 11, 24)),
    ("this wednesday", D(2026, 11, 28), D(2026, 12, 2)),
    ("on Friday", D(2026, 11, 27), D(2026, 12, 4)),
    # A date given in words: this year's, or next year's once it has passed.
    ("by 3 March", D(2026, 11, 23), D(2027, 3, 3)),
    ("by 3 March", D(2027, 3, 2), D(2027, 3, 3)),
    ("by 3 March", D(2027, 3, 3), D(2027, 3, 3)),
    ("by 3 March", D(2027, 3, 4), D(2028, 3, 3)),
    ("by March 3rd", D(2026, 11, 23), D(2027, 3, 3)),
    ("on the 3rd of March 2027", D(2026, 11, 23), D(2027, 3, 3)),
    ("by 21st Dec.", D(2026, 11, 23), D(2026, 12, 21)),
    ("by 3 Sept", D(2027, 6, 1), D(2027, 9, 3)),
    ("by 3 September", D(2027, 6, 1), D(2027, 9, 3)),
    ("by December 1, 2027", D(2026, 11, 23), D(2027, 12, 1)),
    # A year given is kept, even if it has passed (the person checks before saving).
    ("3rd of March 2026", D(2026, 11, 23), D(2026, 3, 3)),
    # 29 February: the next one, when it is within a year.
    ("by 29 February", D(2027, 6, 1), D(2028, 2, 29)),
    ("by 29 February", D(2028, 1, 10), D(2028, 2, 29)),
    # Numbers: day/month/year, the British way, with a two- or four-digit year.
    ("letter sent on 04/12/2026", D(2026, 11, 23), D(2026, 12, 4)),
    ("by 4/12/27", D(2026, 11, 23), D(2027, 12, 4)),
    # An explicit date beats any other words.
    ("tomorrow, or 04/12/2026 at the latest", D(2026, 11, 23), D(2026, 12, 4)),
    # Punctuation, capitals and curly apostrophes do not matter.
    ("She’ll   call   TOMORROW.", D(2026, 11, 23), D(2026, 11, 24)),
]


@pytest.mark.parametrize(("text", "spoken_on", "expected"), WORKED_EXAMPLES)
def test_worked_examples(text, spoken_on, expected):
    assert words(text, spoken_on) == expected


@pytest.mark.parametrize(
    ("text", "spoken_on"),
    [
        # Impossible dates give no date rather than a guess.
        ("by 31/02/2027", D(2026, 11, 23)),
        ("by 31 April", D(2026, 11, 23)),
        ("by 30 February 2027", D(2026, 11, 23)),
        ("13/13/2027", D(2026, 11, 23)),
        # A three-digit year is a typing slip, not the year 202.
        ("by 04/12/202", D(2026, 11, 23)),
        # The next 29 February is more than a year away.
        ("by 29 February", D(2028, 3, 1)),
        # Nothing it recognises.
        ("as soon as she can", D(2026, 11, 23)),
        ("", D(2026, 11, 23)),
        ("   ", D(2026, 11, 23)),
        ("she may call", D(2026, 11, 23)),
        ("after the panel", D(2026, 11, 23)),
        ("soon-ish", D(2026, 11, 23)),
    ],
)
def test_words_that_name_no_date_give_none(text, spoken_on):
    assert words(text, spoken_on) is None


def test_a_one_off_holiday_counts_like_a_bank_holiday():
    # Friday 4 December 2026 made a one-off holiday: the end of that week is the Thursday,
    # and 5 working days from Monday 30 November is Monday 7 December.
    days = WorkingDays(extra_holidays=frozenset({D(2026, 12, 4)}))
    assert words("end of next week", D(2026, 11, 23), days) == D(2026, 12, 3)
    assert words("end of next week", D(2026, 11, 23)) == D(2026, 12, 4)
    assert words("5 working days", D(2026, 11, 30), days) == D(2026, 12, 8)
    assert words("5 working days", D(2026, 11, 30)) == D(2026, 12, 7)


def test_calendar_counts_ignore_holidays():
    days = WorkingDays(extra_holidays=frozenset({D(2026, 12, 4)}))
    assert words("within 14 days", D(2026, 11, 20), days) == D(2026, 12, 4)
    assert words("by the end of the month", D(2026, 12, 1), days) == D(2026, 12, 31)


# --- A property: forward-looking words never name a day before they were said -----------------

FORWARD = st.one_of(
    st.sampled_from(
        [
            "today",
            "this afternoon",
            "by the end of the day",
            "tomorrow",
            "by end of day tomorrow",
            "end of this week",
            "by the end of the week",
            "this week",
            "end of next week",
            "next week",
            "by the end of the month",
            "end of next month",
        ]
    ),
    st.builds(
        "within {} working days".format,
        st.one_of(st.integers(0, 90).map(str), st.sampled_from(["one", "ten", "twenty"])),
    ),
    st.builds(
        "{} {} {}".format,
        st.sampled_from(["within", "in", "next"]),
        st.one_of(st.integers(0, 90).map(str), st.sampled_from(["a", "two", "fourteen"])),
        st.sampled_from(["day", "days", "week", "weeks"]),
    ),
    st.builds(
        "{}{}".format,
        st.sampled_from(["", "by ", "on ", "next ", "this "]),
        st.sampled_from(
            ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        ),
    ),
    st.builds(
        "by {} {}".format,
        st.integers(1, 31),
        st.sampled_from(["january", "feb", "March", "apr", "may", "June", "sept", "december"]),
    ),
)


@given(
    text=FORWARD,
    spoken_on=st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)),
    extra=st.frozensets(st.dates(min_value=D(2019, 12, 1), max_value=D(2036, 3, 1)), max_size=20),
)
@example(text="end of this week", spoken_on=D(2027, 3, 26), extra=frozenset())
@example(text="end of this week", spoken_on=D(2026, 12, 25), extra=frozenset())
@example(text="by end of day tomorrow", spoken_on=D(2026, 11, 23), extra=frozenset())
@example(
    text="this week", spoken_on=D(2026, 11, 25), extra=frozenset({D(2026, 11, 26), D(2026, 11, 27)})
)
def test_forward_looking_words_never_name_a_day_before_they_were_said(text, spoken_on, extra):
    found = words(text, spoken_on, WorkingDays(extra_holidays=extra))
    assert found is None or found >= spoken_on


@given(
    spoken_on=st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)),
    extra=st.frozensets(st.dates(min_value=D(2019, 12, 1), max_value=D(2036, 3, 1)), max_size=20),
)
def test_the_end_of_a_week_is_a_working_day_in_that_week(spoken_on, extra):
    days = WorkingDays(extra_holidays=extra)
    for text in ("end of this week", "end of next week"):
        found = words(text, spoken_on, days)
        assert found is not None and found >= spoken_on
        assert found.weekday() < 5
        assert found - spoken_on <= timedelta(days=13)
