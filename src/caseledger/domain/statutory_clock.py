"""The statutory clock: events in, due dates out, each with its rule and where the law says so.

Pure Python, no Django. Each rule names its kind of day, because mixing calendar and working
days is the commonest way to get a statutory deadline wrong (research/send-law.md §10):

* SEND Regulations limits are calendar weeks from the day the request was received (day 0);
* "15 days beginning with the day on which the draft was served" counts the day of service as
  day 1, so the last day is 14 days later;
* tribunal appeals run in calendar months, with the Christmas and August rules;
* Working Together 2023 timescales are working days (England and Wales bank holidays);
* a subject access request is due on the corresponding day a month later (or the last day of a
  shorter month), moved to the next working day if that is not one.

Lawful exceptions and corrections of the triggering event are recorded by the services that
use this clock; nothing here ever moves a date quietly.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from caseledger.domain.working_days import WorkingDays


class DayKind(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    WEEKS = "weeks"
    MONTHS = "months"
    WORKING_DAYS = "working_days"


class Rollover(StrEnum):
    NONE = "none"  # the due date is a calendar date, whatever day it falls on
    NEXT_WORKING_DAY = "next_working_day"
    # SEND appeals: ending 25 December-1 January -> the next working day in January; ending in
    # August -> the first working day of September (HESC Rules 2008, rule 12(3)); otherwise
    # ending on a weekend or bank holiday -> the next working day (rule 12(2)).
    TRIBUNAL_HOLIDAYS = "tribunal_holidays"


@dataclass(frozen=True)
class Rule:
    id: str
    event: str
    milestone: str
    amount: int
    day_kind: DayKind
    citation: str
    description: str
    # "Beginning with the day on which…": the event's own day is day 1, not day 0.
    event_day_counts: bool = False
    rollover: Rollover = Rollover.NONE


RULES: tuple[Rule, ...] = (
    Rule(
        "send-regs-5-1",
        "ehc_request_received",
        "decision_to_assess",
        6,
        DayKind.WEEKS,
        "SEND Regulations 2014, reg 5(1)",
        "Decide whether to carry out an EHC needs assessment, and tell the family",
    ),
    Rule(
        "send-regs-8-1",
        "advice_requested",
        "advice_due",
        6,
        DayKind.WEEKS,
        "SEND Regulations 2014, reg 8(1)",
        "Advice and information from those the local authority asked",
    ),
    Rule(
        "send-regs-10-1",
        "ehc_request_received",
        "no_plan_notice",
        16,
        DayKind.WEEKS,
        "SEND Regulations 2014, reg 10(1)",
        "Notice of a decision not to issue an EHC plan, after assessment",
    ),
    Rule(
        "send-regs-13-2",
        "ehc_request_received",
        "final_plan",
        20,
        DayKind.WEEKS,
        "SEND Regulations 2014, reg 13(2)",
        "The final EHC plan is issued",
    ),
    Rule(
        "send-regs-13-1",
        "draft_plan_served",
        "draft_comments_end",
        15,
        DayKind.CALENDAR_DAYS,
        "SEND Regulations 2014, reg 13(1)",
        "Last day to comment on the draft plan and ask for a school (15 days, the day of "
        "service counting as day 1)",
        event_day_counts=True,
    ),
    Rule(
        "send-appeal-decision",
        "decision_letter",
        "appeal_deadline",
        2,
        DayKind.MONTHS,
        "SEND Regulations 2014, reg 43(2); Tribunal Procedure (First-tier Tribunal) (HESC) "
        "Rules 2008, rule 20",
        "Last day for the tribunal to receive an appeal: 2 months from the decision letter",
        rollover=Rollover.TRIBUNAL_HOLIDAYS,
    ),
    Rule(
        "send-appeal-mediation",
        "mediation_certificate",
        "appeal_deadline",
        1,
        DayKind.MONTHS,
        "SEND Regulations 2014, reg 43(2); Tribunal Procedure (First-tier Tribunal) (HESC) "
        "Rules 2008, rule 20",
        "Last day for the tribunal to receive an appeal: 1 month from the mediation certificate",
        rollover=Rollover.TRIBUNAL_HOLIDAYS,
    ),
    Rule(
        "send-regs-mediation-certificate",
        "mediation_adviser_contacted",
        "mediation_certificate_due",
        3,
        DayKind.WORKING_DAYS,
        "SEND Regulations 2014, regs 33-34",
        "The mediation adviser issues a certificate (mediation declined or only about the "
        "school named)",
    ),
    Rule(
        "cfa-44-plan",
        "plan_issued",
        "annual_review_due",
        12,
        DayKind.MONTHS,
        "Children and Families Act 2014, s.44(1); SEND Regulations 2014, reg 18",
        "First annual review: within 12 months of the plan being issued",
    ),
    Rule(
        "cfa-44-review",
        "review_concluded",
        "annual_review_due",
        12,
        DayKind.MONTHS,
        "Children and Families Act 2014, s.44(1); SEND Regulations 2014, reg 18",
        "Next annual review: within 12 months of the last one (concluded by the decision letter)",
    ),
    Rule(
        "send-regs-20-7",
        "review_meeting",
        "review_report_due",
        2,
        DayKind.WEEKS,
        "SEND Regulations 2014, reg 20(7)-(8)",
        "The review report is sent to everyone invited to the meeting",
    ),
    Rule(
        "send-regs-20-10",
        "review_meeting",
        "review_decision_due",
        4,
        DayKind.WEEKS,
        "SEND Regulations 2014, reg 20(10)",
        "The local authority decides to keep, amend or cease the plan, and tells the family",
    ),
    Rule(
        "send-regs-22-3",
        "amendment_proposed",
        "amended_plan_final",
        8,
        DayKind.WEEKS,
        "SEND Regulations 2014, reg 22(3)",
        "The amended final plan is issued",
    ),
    Rule(
        "wt-2023-referral",
        "referral_received",
        "referral_decision",
        1,
        DayKind.WORKING_DAYS,
        "Working Together to Safeguard Children 2023, chapter 2",
        "Decide what response a referral needs, and tell the referrer",
    ),
    Rule(
        "wt-2023-assessment",
        "referral_received",
        "assessment_complete",
        45,
        DayKind.WORKING_DAYS,
        "Working Together to Safeguard Children 2023, chapter 2",
        "The child and family assessment is complete (at most 45 working days from referral)",
    ),
    Rule(
        "wt-2023-icpc",
        "strategy_discussion",
        "initial_cp_conference",
        15,
        DayKind.WORKING_DAYS,
        "Working Together to Safeguard Children 2023, chapter 2",
        "Initial child protection conference (15 working days from the strategy discussion)",
    ),
    Rule(
        "uk-gdpr-12-3",
        "sar_received",
        "sar_response",
        1,
        DayKind.MONTHS,
        "UK GDPR, Article 12(3); ICO guidance on the right of access",
        "Respond to the subject access request",
        rollover=Rollover.NEXT_WORKING_DAY,
    ),
    Rule(
        "uk-gdpr-12-3-extended",
        "sar_received",
        "sar_response_extended",
        3,
        DayKind.MONTHS,
        "UK GDPR, Article 12(3) (extension by up to 2 further months)",
        "Respond to a complex subject access request, if the requester was told of the "
        "extension within the first month",
        rollover=Rollover.NEXT_WORKING_DAY,
    ),
)

RULES_BY_ID = {rule.id: rule for rule in RULES}

# Lawful exceptions: the only reasons a time limit need not be met (research/send-law.md §2.1).
# Not exceptions: staff shortages, panel dates, backlogs, or the summer holiday in general.
EXCEPTION_KINDS: dict[str, str] = {
    "school_closure": "Advice was asked of a school or college during its closure of 4 weeks "
    "or more",
    "early_years_closure": "Advice was asked of an early years provider during its closure of "
    "4 weeks or more",
    "exceptional_personal": "Exceptional personal circumstances of the child, young person or "
    "parent",
    "absent_from_area": "The child, young person or parent was away from the area for 4 weeks "
    "or more in a row",
    "missed_appointment": "The child or young person did not keep an appointment for an "
    "examination or test",
    "sar_extension": "The request is complex, or one of a number from the same person: the "
    "time limit is extended by up to 2 months",
}
_ASSESSMENT_EXCEPTIONS = (
    "school_closure",
    "early_years_closure",
    "exceptional_personal",
    "absent_from_area",
)
# Rule id -> (the exceptions the law allows, where it says so).
EXCEPTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "send-regs-5-1": (_ASSESSMENT_EXCEPTIONS, "SEND Regulations 2014, reg 5(4)"),
    "send-regs-10-1": (_ASSESSMENT_EXCEPTIONS, "SEND Regulations 2014, reg 10(4)"),
    "send-regs-13-2": (_ASSESSMENT_EXCEPTIONS, "SEND Regulations 2014, reg 13(3)"),
    "send-regs-8-1": (
        ("exceptional_personal", "absent_from_area", "missed_appointment"),
        "SEND Regulations 2014, reg 8(2)",
    ),
    "uk-gdpr-12-3": (("sar_extension",), "UK GDPR, Article 12(3)"),
}
# An exception moves a due date no later than this rule's (a SAR extension: 3 months in all).
EXCEPTION_LIMIT_RULE = {"uk-gdpr-12-3": "uk-gdpr-12-3-extended"}
# Deadlines the clock sets only when something else happens (an extension is an exception).
CONDITIONAL_RULES = frozenset({"uk-gdpr-12-3-extended"})
EVENTS = tuple(dict.fromkeys(rule.event for rule in RULES))
MILESTONES = tuple(dict.fromkeys(rule.milestone for rule in RULES))
# Two triggers for one milestone: the later due date governs (an appeal: 2 months from the
# decision or 1 month from the mediation certificate, "whichever is later").
LATER_GOVERNS = frozenset({"appeal_deadline", "annual_review_due"})


@dataclass(frozen=True)
class Deadline:
    rule: Rule
    event_date: date
    due: date

    @property
    def milestone(self) -> str:
        return self.rule.milestone


def add_months(start: date, months: int) -> date:
    """The corresponding day `months` later, or the last day of a shorter month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_date(rule: Rule, event_date: date, days: WorkingDays) -> date:
    if rule.day_kind is DayKind.WORKING_DAYS:
        due = days.add(event_date, rule.amount)
    elif rule.day_kind is DayKind.MONTHS:
        due = add_months(event_date, rule.amount)
    else:
        length = rule.amount * 7 if rule.day_kind is DayKind.WEEKS else rule.amount
        due = event_date + timedelta(days=length - (1 if rule.event_day_counts else 0))
    return _rolled(rule.rollover, due, days)


def _rolled(rollover: Rollover, due: date, days: WorkingDays) -> date:
    if rollover is Rollover.NEXT_WORKING_DAY:
        return days.on_or_after(due)
    if rollover is Rollover.TRIBUNAL_HOLIDAYS:
        if (due.month, due.day) >= (12, 25):
            return days.on_or_after(date(due.year + 1, 1, 2))
        if (due.month, due.day) == (1, 1):
            return days.on_or_after(date(due.year, 1, 2))
        if due.month == 8:
            return days.on_or_after(date(due.year, 9, 1))
        # HESC Rules 2008, rule 12(2): a time limit ending on a day that is not a working day
        # is met by acting on the next working day.
        return days.on_or_after(due)
    return due


def deadlines(
    events: Mapping[str, date], days: WorkingDays, rules: Iterable[Rule] = RULES
) -> list[Deadline]:
    """Every deadline the events start, in date order. Where two events set the same
    milestone and the law says the later governs, only the later is returned."""
    unknown = set(events) - set(EVENTS)
    if unknown:
        raise ValueError(f"unknown event: {', '.join(sorted(unknown))}")
    found = [
        Deadline(rule, events[rule.event], due_date(rule, events[rule.event], days))
        for rule in rules
        if rule.event in events
    ]
    governing: dict[str, Deadline] = {}
    for deadline in found:
        if deadline.milestone in LATER_GOVERNS:
            current = governing.get(deadline.milestone)
            if current is None or deadline.due > current.due:
                governing[deadline.milestone] = deadline
    kept = [
        deadline
        for deadline in found
        if deadline.milestone not in LATER_GOVERNS or governing[deadline.milestone] is deadline
    ]
    return sorted(kept, key=lambda deadline: (deadline.due, deadline.rule.id))
