"""The statutory clock: a worked example for every rule, and properties across year ends.

Worked examples are counted by hand from the regulations and guidance (research/send-law.md),
on the England and Wales bank holidays of 2026-27: Good Friday 3 April and Easter Monday
6 April 2026; Christmas Day (Fri) 25 December and the Boxing Day substitute (Mon) 28 December
2026; New Year's Day (Fri) 1 January 2027; the summer bank holiday (Mon) 30 August 2027.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseledger.domain.statutory_clock import (
    EVENTS,
    MILESTONES,
    RULES,
    RULES_BY_ID,
    DayKind,
    Rollover,
    add_months,
    deadlines,
    due_date,
)
from caseledger.domain.working_days import ENGLAND_AND_WALES, WorkingDays, working_days_between

D = date


def due(events: dict[str, date], milestone: str) -> tuple[str, date]:
    found = [item for item in deadlines(events, ENGLAND_AND_WALES) if item.milestone == milestone]
    assert len(found) == 1, found
    return found[0].rule.id, found[0].due


# --- Worked examples, one or more per rule ------------------------------------------------


WORKED_EXAMPLES = [
    # EHC needs assessment: calendar weeks from the day the request was received (day 0).
    ("ehc_request_received", D(2026, 1, 12), "decision_to_assess", D(2026, 2, 23)),
    ("ehc_request_received", D(2026, 1, 12), "no_plan_notice", D(2026, 5, 4)),
    ("ehc_request_received", D(2026, 1, 12), "final_plan", D(2026, 6, 1)),
    # Holidays do not stop a calendar-week clock: received on Christmas Eve.
    ("ehc_request_received", D(2026, 12, 24), "decision_to_assess", D(2027, 2, 4)),
    ("advice_requested", D(2026, 3, 2), "advice_due", D(2026, 4, 13)),
    # 15 days beginning with the day of service: served 1 May, day 15 is 15 May.
    ("draft_plan_served", D(2026, 5, 1), "draft_comments_end", D(2026, 5, 15)),
    # Appeal: 2 months from the decision letter.
    # 10 May 2026 is a Sunday: HESC Rules 2008, rule 12(2), the next working day.
    ("decision_letter", D(2026, 3, 10), "appeal_deadline", D(2026, 5, 11)),
    ("decision_letter", D(2026, 3, 12), "appeal_deadline", D(2026, 5, 12)),
    # ... ending 27 December: the next working day in January (1 Jan 2027 is a bank
    # holiday, 2-3 January a weekend).
    ("decision_letter", D(2026, 10, 27), "appeal_deadline", D(2027, 1, 4)),
    # ... ending on 1 January itself.
    ("decision_letter", D(2026, 11, 1), "appeal_deadline", D(2027, 1, 4)),
    # ... ending on Saturday 23 December 2028, outside the Christmas period: rule 12(2) alone,
    # the next working day, Wednesday 27 December (25 and 26 are bank holidays).
    ("decision_letter", D(2028, 10, 23), "appeal_deadline", D(2028, 12, 27)),
    # ... ending on Saturday 31 July 2027: rule 12(2) alone, Monday 2 August.
    ("decision_letter", D(2027, 5, 31), "appeal_deadline", D(2027, 8, 2)),
    # ... ending in August: the first working day of September.
    ("decision_letter", D(2026, 6, 15), "appeal_deadline", D(2026, 9, 1)),
    # ... ending on the August bank holiday 2027: still the first working day of September.
    ("decision_letter", D(2027, 6, 30), "appeal_deadline", D(2027, 9, 1)),
    # ... from 30 December: 29 February 2028 (a Tuesday), the last day of the shorter month.
    ("decision_letter", D(2027, 12, 30), "appeal_deadline", D(2028, 2, 29)),
    # ... from 31 December 2026: 28 February 2027 is a Sunday, so Monday 1 March.
    ("decision_letter", D(2026, 12, 31), "appeal_deadline", D(2027, 3, 1)),
    ("mediation_certificate", D(2026, 5, 1), "appeal_deadline", D(2026, 6, 1)),
    # Mediation certificate: 3 working days, over Christmas 2026.
    (
        "mediation_adviser_contacted",
        D(2026, 12, 24),
        "mediation_certificate_due",
        D(2026, 12, 31),
    ),
    # Annual review: 12 months, to the corresponding day or the end of a shorter month.
    ("plan_issued", D(2026, 2, 28), "annual_review_due", D(2027, 2, 28)),
    ("plan_issued", D(2024, 2, 29), "annual_review_due", D(2025, 2, 28)),
    ("review_concluded", D(2026, 2, 10), "annual_review_due", D(2027, 2, 10)),
    ("review_meeting", D(2026, 11, 23), "review_report_due", D(2026, 12, 7)),
    ("review_meeting", D(2026, 11, 23), "review_decision_due", D(2026, 12, 21)),
    ("amendment_proposed", D(2026, 11, 30), "amended_plan_final", D(2027, 1, 25)),
    # Working Together 2023: working days.
    ("referral_received", D(2026, 12, 24), "referral_decision", D(2026, 12, 29)),
    # Received on Good Friday: the next working day is the Tuesday after Easter Monday.
    ("referral_received", D(2026, 4, 3), "referral_decision", D(2026, 4, 7)),
    # 45 working days from Monday 2 November 2026: nine weeks, plus the three bank
    # holidays inside them (25 and 28 December, 1 January).
    ("referral_received", D(2026, 11, 2), "assessment_complete", D(2027, 1, 7)),
    ("strategy_discussion", D(2026, 12, 17), "initial_cp_conference", D(2027, 1, 12)),
    # Subject access: a month to the corresponding day (or the last day of a shorter
    # month), moved to the next working day.
    ("sar_received", D(2026, 1, 31), "sar_response", D(2026, 3, 2)),  # Sat 28 Feb
    ("sar_received", D(2026, 3, 5), "sar_response", D(2026, 4, 7)),  # Sun 5, Mon 6 Apr BH
    ("sar_received", D(2026, 6, 10), "sar_response", D(2026, 7, 10)),
    ("sar_received", D(2026, 1, 31), "sar_response_extended", D(2026, 4, 30)),
]


@pytest.mark.parametrize(("event", "on", "milestone", "expected"), WORKED_EXAMPLES)
def test_worked_example(event: str, on: date, milestone: str, expected: date) -> None:
    _rule, found = due({event: on}, milestone)
    assert found == expected


def test_every_rule_has_a_worked_example_above() -> None:
    covered = {(event, milestone) for event, _on, milestone, _expected in WORKED_EXAMPLES}
    assert {(rule.event, rule.milestone) for rule in RULES} <= covered


def test_the_later_appeal_deadline_governs() -> None:
    """2 months from the decision letter or 1 month from the certificate, whichever is later."""
    events = {"decision_letter": D(2026, 3, 10), "mediation_certificate": D(2026, 5, 1)}
    assert due(events, "appeal_deadline") == ("send-appeal-mediation", D(2026, 6, 1))
    earlier_certificate = {
        "decision_letter": D(2026, 3, 10),
        "mediation_certificate": D(2026, 3, 20),
    }
    assert due(earlier_certificate, "appeal_deadline") == ("send-appeal-decision", D(2026, 5, 11))


def test_the_last_review_resets_the_annual_review_clock() -> None:
    events = {"plan_issued": D(2025, 3, 1), "review_concluded": D(2026, 2, 10)}
    assert due(events, "annual_review_due") == ("cfa-44-review", D(2027, 2, 10))


def test_a_one_off_bank_holiday_moves_a_working_day_deadline() -> None:
    """A holiday added by proclamation (as for the 2022 State Funeral) counts at once."""
    closed = WorkingDays(extra_holidays=frozenset({D(2026, 12, 29)}))
    rule = RULES_BY_ID["wt-2023-referral"]
    assert due_date(rule, D(2026, 12, 24), ENGLAND_AND_WALES) == D(2026, 12, 29)
    assert due_date(rule, D(2026, 12, 24), closed) == D(2026, 12, 30)


def test_deadlines_are_in_date_order_and_unknown_events_are_refused() -> None:
    found = deadlines({"ehc_request_received": D(2026, 1, 12)}, ENGLAND_AND_WALES)
    assert [item.due for item in found] == sorted(item.due for item in found)
    with pytest.raises(ValueError, match="unknown event: nonsense"):
        deadlines({"nonsense": D(2026, 1, 1)}, ENGLAND_AND_WALES)


def test_every_rule_is_named_cited_and_listed() -> None:
    assert len(RULES_BY_ID) == len(RULES)
    for rule in RULES:
        assert rule.citation and rule.description
        assert rule.event in EVENTS and rule.milestone in MILESTONES


# --- Properties, across year ends and bank holidays ----------------------------------------

dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31))


@given(dates)
def test_calendar_week_rules_are_exact(start: date) -> None:
    for rule in RULES:
        if rule.day_kind is DayKind.WEEKS:
            assert due_date(rule, start, ENGLAND_AND_WALES) - start == timedelta(weeks=rule.amount)


@given(dates)
def test_working_day_rules_land_on_a_working_day_the_right_distance_away(start: date) -> None:
    for rule in RULES:
        if rule.day_kind is DayKind.WORKING_DAYS:
            found = due_date(rule, start, ENGLAND_AND_WALES)
            assert ENGLAND_AND_WALES.is_working_day(found)
            assert working_days_between(start, found) == rule.amount


@given(dates)
def test_a_subject_access_deadline_is_the_first_working_day_from_the_month_end(start: date) -> None:
    rule = RULES_BY_ID["uk-gdpr-12-3"]
    found = due_date(rule, start, ENGLAND_AND_WALES)
    month_on = add_months(start, 1)
    assert found >= month_on
    assert ENGLAND_AND_WALES.is_working_day(found)
    assert all(
        not ENGLAND_AND_WALES.is_working_day(month_on + timedelta(days=offset))
        for offset in range((found - month_on).days)
    )


def in_tribunal_holidays(day: date) -> bool:
    return day.month == 8 or (day.month, day.day) >= (12, 25) or (day.month, day.day) == (1, 1)


@given(dates)
def test_an_appeal_time_ending_in_august_or_over_christmas_moves_past_it(start: date) -> None:
    """HESC Rules 2008, rule 12(3) applies where the time *ends* in August or from 25 December
    to 1 January; otherwise rule 12(2) alone moves a weekend or bank holiday to the next
    working day, even when that is 27 December or 2 August (Saturday 23 December 2028 gives
    Wednesday 27 December: the earlier date, and the one the rules set)."""
    for rule in RULES:
        if rule.rollover is Rollover.TRIBUNAL_HOLIDAYS:
            found = due_date(rule, start, ENGLAND_AND_WALES)
            plain = add_months(start, rule.amount)
            assert found >= plain
            assert ENGLAND_AND_WALES.is_working_day(found)
            if in_tribunal_holidays(plain):
                assert not in_tribunal_holidays(found)
            else:
                assert found == ENGLAND_AND_WALES.on_or_after(plain)


@given(dates, st.integers(min_value=0, max_value=36))
def test_add_months_keeps_the_day_or_takes_the_last_of_a_shorter_month(
    start: date, months: int
) -> None:
    found = add_months(start, months)
    assert (found.year * 12 + found.month) - (start.year * 12 + start.month) == months
    if found.day != start.day:
        assert found.day < start.day
        assert (found + timedelta(days=1)).month != found.month  # the last day of its month
