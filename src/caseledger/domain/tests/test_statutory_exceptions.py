"""Lawful exceptions to statutory time limits, and the tribunal's rules for deadlines that end
on a day the tribunal is closed.

Which exceptions each limit allows is the law's list, not ours (research/send-law.md §2.1):
SEND Regulations 2014 regs 5(4), 10(4) and 13(3) for the assessment and plan, reg 8(2) for
advice, UK GDPR Art. 12(3) for a subject access request. Everything else allows none.
Bank holidays counted by hand: Christmas Day (Sat) 25 December 2027 with substitutes on
27 and 28 December; New Year's Day (Sat) 1 January 2028 with its substitute on Monday 3 January;
the spring bank holiday (Mon) 31 May 2027; Boxing Day (Tue) 26 December 2028.
"""

from __future__ import annotations

from datetime import date

import pytest

from caseledger.domain.statutory_clock import (
    CONDITIONAL_RULES,
    EXCEPTION_KINDS,
    EXCEPTION_LIMIT_RULE,
    EXCEPTIONS,
    RULES,
    RULES_BY_ID,
    DayKind,
    Rollover,
    add_months,
    due_date,
)
from caseledger.domain.working_days import ENGLAND_AND_WALES, WorkingDays

D = date
ASSESSMENT_KINDS = {
    "school_closure",
    "early_years_closure",
    "exceptional_personal",
    "absent_from_area",
}


def allowed(rule_id: str) -> set[str]:
    kinds, _citation = EXCEPTIONS.get(rule_id, ((), ""))
    return set(kinds)


# --- The table of exceptions is well formed -----------------------------------------------------


def test_exceptions_name_only_known_kinds_and_known_rules():
    for rule_id, (kinds, citation) in EXCEPTIONS.items():
        assert rule_id in RULES_BY_ID, rule_id
        assert kinds, f"{rule_id} lists no exceptions: leave it out instead"
        assert set(kinds) <= set(EXCEPTION_KINDS), rule_id
        assert len(kinds) == len(set(kinds)), rule_id
        assert citation.strip(), rule_id
    # Every kind is allowed somewhere, and described.
    used = {kind for kinds, _ in EXCEPTIONS.values() for kind in kinds}
    assert used == set(EXCEPTION_KINDS)
    assert all(text.strip() for text in EXCEPTION_KINDS.values())


def test_the_lawful_exception_model_offers_exactly_the_known_kinds():
    from caseledger.actions.models import LawfulException

    assert dict(LawfulException.Kind.choices) == EXCEPTION_KINDS


def test_limit_rules_and_conditional_rules_are_known_rules():
    for rule_id, limit_id in EXCEPTION_LIMIT_RULE.items():
        assert rule_id in EXCEPTIONS
        rule, limit = RULES_BY_ID[rule_id], RULES_BY_ID[limit_id]
        # The limit runs from the same event, for the same kind of day, and ends later.
        assert limit.event == rule.event
        assert limit.day_kind == rule.day_kind
        assert limit.amount > rule.amount
    assert CONDITIONAL_RULES.issubset(RULES_BY_ID)
    # A conditional rule is never one of the clocks an exception is recorded against.
    assert not CONDITIONAL_RULES & set(EXCEPTIONS)


@pytest.mark.parametrize(
    ("rule_id", "citation"),
    [
        ("send-regs-5-1", "reg 5(4)"),
        ("send-regs-10-1", "reg 10(4)"),
        ("send-regs-13-2", "reg 13(3)"),
    ],
)
def test_the_assessment_and_plan_limits_allow_the_four_regulation_exceptions(rule_id, citation):
    assert allowed(rule_id) == ASSESSMENT_KINDS
    assert citation in EXCEPTIONS[rule_id][1]
    assert "missed_appointment" not in allowed(rule_id)
    assert "sar_extension" not in allowed(rule_id)


def test_advice_allows_a_missed_appointment_but_not_a_school_closure():
    kinds = allowed("send-regs-8-1")
    assert kinds == {"exceptional_personal", "absent_from_area", "missed_appointment"}
    assert "school_closure" not in kinds
    assert "early_years_closure" not in kinds
    assert "reg 8(2)" in EXCEPTIONS["send-regs-8-1"][1]


def test_a_subject_access_request_allows_only_an_extension_up_to_three_months():
    assert allowed("uk-gdpr-12-3") == {"sar_extension"}
    assert EXCEPTION_LIMIT_RULE["uk-gdpr-12-3"] == "uk-gdpr-12-3-extended"
    extended = RULES_BY_ID["uk-gdpr-12-3-extended"]
    assert (extended.amount, extended.day_kind) == (3, DayKind.MONTHS)
    assert "uk-gdpr-12-3-extended" in CONDITIONAL_RULES
    # Received 31 January 2026: due Saturday 28 February, so Monday 2 March; extended at
    # most to 30 April.
    assert due_date(RULES_BY_ID["uk-gdpr-12-3"], D(2026, 1, 31), ENGLAND_AND_WALES) == D(2026, 3, 2)
    assert due_date(extended, D(2026, 1, 31), ENGLAND_AND_WALES) == D(2026, 4, 30)
    # sar_extension belongs to the SAR alone.
    assert [rule_id for rule_id in EXCEPTIONS if "sar_extension" in allowed(rule_id)] == [
        "uk-gdpr-12-3"
    ]


@pytest.mark.parametrize(
    "rule_id",
    [
        "send-regs-13-1",  # draft plan comments: the family's 15 days
        "send-appeal-decision",
        "send-appeal-mediation",
        "send-regs-mediation-certificate",
        "wt-2023-referral",
        "wt-2023-assessment",
        "wt-2023-icpc",
        "uk-gdpr-12-3-extended",
    ],
)
def test_other_limits_allow_no_exception(rule_id):
    assert rule_id in RULES_BY_ID
    assert allowed(rule_id) == set()


def test_every_rule_either_allows_exceptions_or_is_deliberately_without():
    with_exceptions = {rule.id for rule in RULES if allowed(rule.id)}
    assert with_exceptions == {
        "send-regs-5-1",
        "send-regs-10-1",
        "send-regs-13-2",
        "send-regs-8-1",
        "uk-gdpr-12-3",
    }


# --- Tribunal deadlines: HESC Rules 2008, rule 12(2) and 12(3) -----------------------------------

APPEAL = RULES_BY_ID["send-appeal-decision"]
AFTER_MEDIATION = RULES_BY_ID["send-appeal-mediation"]


@pytest.mark.parametrize(
    ("rule", "event_day", "expected"),
    [
        # Rule 12(2): 10 May 2026 is a Sunday, so Monday 11 May.
        (APPEAL, D(2026, 3, 10), D(2026, 5, 11)),
        # A weekday needs no rolling.
        (APPEAL, D(2026, 3, 12), D(2026, 5, 12)),
        # Saturday 28 November 2026: Monday 30 November.
        (AFTER_MEDIATION, D(2026, 10, 28), D(2026, 11, 30)),
        # Saturday 29 May 2027, then the spring bank holiday: Tuesday 1 June.
        (APPEAL, D(2027, 3, 29), D(2027, 6, 1)),
        # Ending on a bank holiday Monday (3 May 2027): Tuesday 4 May.
        (APPEAL, D(2027, 3, 3), D(2027, 5, 4)),
        # The corresponding day does not exist: the month's last day, Sunday 28 February
        # 2027, so Monday 1 March.
        (APPEAL, D(2026, 12, 31), D(2027, 3, 1)),
        # Rule 12(3): ending in August, the first working day of September.
        (APPEAL, D(2027, 6, 15), D(2027, 9, 1)),
        (AFTER_MEDIATION, D(2028, 7, 31), D(2028, 9, 1)),
        # ... which may itself be a weekend: 1 September 2029 is a Saturday.
        (APPEAL, D(2029, 6, 10), D(2029, 9, 3)),
        # Rule 12(3): ending 25 December-1 January, the first working day after 1 January:
        # Christmas Day 2027 is a Saturday; 2 January 2028 a Sunday, 3 January New Year's
        # Day's substitute, so Tuesday 4 January.
        (APPEAL, D(2027, 10, 25), D(2028, 1, 4)),
        (AFTER_MEDIATION, D(2027, 11, 30), D(2028, 1, 4)),
        (AFTER_MEDIATION, D(2027, 12, 1), D(2028, 1, 4)),
        # Ending on Sunday 24 December 2028 is not in the Christmas window: rule 12(2) gives
        # the next working day after Christmas Day and Boxing Day, Wednesday 27 December.
        (APPEAL, D(2028, 10, 24), D(2028, 12, 27)),
    ],
)
def test_tribunal_deadlines_roll_past_days_the_tribunal_is_closed(rule, event_day, expected):
    assert rule.rollover is Rollover.TRIBUNAL_HOLIDAYS
    assert due_date(rule, event_day, ENGLAND_AND_WALES) == expected


def test_a_one_off_holiday_rolls_a_tribunal_deadline_on():
    # 12 May 2026 made a one-off holiday: an appeal due that day is in time on 13 May.
    one_off = WorkingDays(extra_holidays=frozenset({D(2026, 5, 12)}))
    assert due_date(APPEAL, D(2026, 3, 12), one_off) == D(2026, 5, 13)
    # And a one-off holiday on 2 January 2029 pushes the Christmas rule to 3 January.
    new_year = WorkingDays(extra_holidays=frozenset({D(2029, 1, 2)}))
    assert due_date(APPEAL, D(2028, 10, 27), ENGLAND_AND_WALES) == D(2029, 1, 2)
    assert due_date(APPEAL, D(2028, 10, 27), new_year) == D(2029, 1, 3)


def test_every_rolled_tribunal_deadline_is_a_working_day_on_or_after_the_plain_date():
    day = D(2026, 1, 1)
    while day < D(2029, 1, 1):
        for rule in (APPEAL, AFTER_MEDIATION):
            plain = add_months(day, rule.amount)
            due = due_date(rule, day, ENGLAND_AND_WALES)
            assert due >= plain
            assert ENGLAND_AND_WALES.is_working_day(due)
            if plain.month == 8:
                assert due == ENGLAND_AND_WALES.on_or_after(D(plain.year, 9, 1))
            elif (plain.month, plain.day) >= (12, 25) or (plain.month, plain.day) == (1, 1):
                assert due.month == 1 and due.day >= 2
            else:
                assert due == ENGLAND_AND_WALES.on_or_after(plain)
        day = D.fromordinal(day.toordinal() + 1)
