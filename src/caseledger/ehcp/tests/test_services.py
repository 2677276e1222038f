"""Changing an EHCP status: each rule, the timeline event and the statutory clocks it starts,
the history's order, the audit event, and the database refusing to change the history."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.actions.models import NextAction
from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.models import Case
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.ehcp.models import STATUS_EVENTS, EhcpStatus, StatusChange
from caseledger.ehcp.services import (
    NOTE_LENGTH,
    current_status,
    days_left,
    deadlines_started_by,
    next_deadlines,
    status_history,
)
from caseledger.ehcp.tests.factories import aarav_case, change, days_ago, poppy_case
from caseledger.ledger.models import Entry, EntryKind, EventType

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int]:
    return (
        StatusChange.objects.count(),
        Entry.objects.count(),
        NextAction.objects.count(),
        AuditEvent.objects.count(),
    )


# --- The timeline event and the clocks it starts -----------------------------------------------


def test_assessment_requested_starts_the_6_and_20_week_deadlines_with_their_legal_basis(
    parent: User,
) -> None:
    case = poppy_case()
    requested = days_ago(5)
    made = change(parent, case, EhcpStatus.ASSESSMENT_REQUESTED, 5, "Emailed the SEN team")

    entry = made.timeline_entry
    assert entry.kind == EntryKind.EVENT
    assert entry.event_type == EventType.EHC_REQUEST
    assert entry.heading == "EHC needs assessment requested"
    assert timezone.localdate(entry.occurred_at) == requested
    assert entry.body == "Emailed the SEN team"
    deadlines = {action.statutory_rule: action for action in deadlines_started_by(made)}
    decision = deadlines["send-regs-5-1"]
    assert decision.due_on == requested + timedelta(weeks=6)
    assert decision.statutory_citation == "SEND Regulations 2014, reg 5(1)"
    assert decision.milestone == "decision_to_assess"
    final_plan = deadlines["send-regs-13-2"]
    assert final_plan.due_on == requested + timedelta(weeks=20)
    assert final_plan.statutory_citation == "SEND Regulations 2014, reg 13(2)"
    assert all(action.case_id == case.id and action.is_open for action in deadlines.values())


def test_final_plan_issued_starts_the_annual_review_deadline(other_parent: User) -> None:
    case = aarav_case()
    made = change(other_parent, case, EhcpStatus.FINAL_PLAN_ISSUED, 3)
    assert made.timeline_entry.event_type == EventType.PLAN_ISSUED
    (review,) = [a for a in deadlines_started_by(made) if a.statutory_rule == "cfa-44-plan"]
    assert "Children and Families Act 2014, s.44(1)" in review.statutory_citation


@pytest.mark.parametrize(("status", "event_type"), sorted(STATUS_EVENTS.items()))
def test_each_status_with_a_ledger_event_is_recorded_as_that_event(
    parent: User, status: str, event_type: str
) -> None:
    made = change(parent, poppy_case(), status, 1)
    assert made.timeline_entry.event_type == event_type
    assert made.timeline_entry.in_timeline


@pytest.mark.parametrize(
    "status", [status for status in EhcpStatus.values if status not in STATUS_EVENTS]
)
def test_every_other_status_is_an_event_naming_the_status_and_starts_no_clock(
    parent: User, status: str
) -> None:
    made = change(parent, poppy_case(), status, 1, "Letter from the council")
    entry = made.timeline_entry
    assert entry.event_type == EventType.OTHER
    label = EhcpStatus(status).label
    assert entry.body == f"EHCP status changed to {label}.\n\nLetter from the council"
    # The timeline's heading names the status, not "Something else".
    assert entry.heading == f"EHCP status: {label}"
    assert deadlines_started_by(made) == []


def test_the_same_status_again_is_a_new_change_with_new_clocks(
    parent: User, freddie_family_case: Case
) -> None:
    """A fresh request (after a refusal, say) is a new legal event, with its own deadlines."""
    before = current_status(freddie_family_case)
    assert before is not None and before.status == EhcpStatus.ASSESSMENT_REQUESTED
    again = change(parent, freddie_family_case, EhcpStatus.ASSESSMENT_REQUESTED, 2)
    assert current_status(freddie_family_case) == again
    assert {a.statutory_rule for a in deadlines_started_by(again)} >= {
        "send-regs-5-1",
        "send-regs-13-2",
    }


# --- The history -----------------------------------------------------------------------------


def test_history_is_newest_first_and_the_latest_change_is_the_status(parent: User) -> None:
    case = poppy_case()
    assert current_status(case) is None
    assert status_history(case) == []
    first = change(parent, case, EhcpStatus.PRE_ASSESSMENT, 10)
    second = change(parent, case, EhcpStatus.ASSESSMENT_REQUESTED, 4)
    # Back a step, the same day: recorded later, so it is the status now.
    third = change(parent, case, EhcpStatus.PRE_ASSESSMENT, 4, "The request was sent back")
    assert status_history(case) == [third, second, first]
    assert current_status(case) == third


def test_the_demo_families_have_a_status_history_matching_their_timelines(
    freddie_family_case: Case,
) -> None:
    freddie = status_history(freddie_family_case)
    assert [c.status for c in freddie] == [EhcpStatus.ASSESSMENT_REQUESTED]
    assert freddie[0].effective_on == days_ago(38)
    assert freddie[0].timeline_entry.event_type == EventType.EHC_REQUEST
    aarav = status_history(aarav_case())
    assert [c.status for c in aarav] == [EhcpStatus.FINAL_PLAN_ISSUED]
    assert aarav[0].effective_on == days_ago(330)
    assert aarav[0].timeline_entry.event_type == EventType.PLAN_ISSUED


def test_a_change_writes_one_audit_event_with_the_old_and_new_status(parent: User) -> None:
    case = poppy_case()
    change(parent, case, EhcpStatus.PRE_ASSESSMENT, 6)
    made = change(parent, case, EhcpStatus.ASSESSMENT_REQUESTED, 3)
    event = AuditEvent.objects.filter(action=Action.EHCP_STATUS_CHANGED).order_by("-sequence")[0]
    assert event.actor == parent
    assert event.case_id == case.id
    assert event.object_id == str(made.id)
    assert event.changes == {"status": {"old": "Pre-assessment", "new": "Assessment requested"}}
    assert event.detail["effective_on"] == days_ago(3).isoformat()
    assert event.detail["event"] == str(made.timeline_entry_id)
    assert len(event.detail["deadlines"]) == len(deadlines_started_by(made))


# --- The rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "case_key"),
    [
        ("advocate", "freddie_family_case"),  # a read-only grant
        ("other_parent", "freddie_family_case"),  # another family
        ("worker", "freddie_family_case"),  # council staff, on a family's case
        ("parent", "freddie_la_case"),  # the council's case, shared with the family
        ("org_admin", "kayden_case"),  # works on it, but it is no EHCP tracking case
    ],
)
def test_only_people_who_work_on_an_ehcp_tracking_case_change_its_status(
    persona: str, case_key: str, request: pytest.FixtureRequest
) -> None:
    actor: User = request.getfixturevalue(persona)
    case: Case = request.getfixturevalue(case_key)
    before = counts()
    with pytest.raises(NotPermittedError):
        change(actor, case, EhcpStatus.ASSESSMENT_UNDERWAY, 1)
    assert counts() == before


@pytest.mark.parametrize(
    ("status", "days", "note", "field", "message"),
    [
        ("", 1, "", "status", "Select the new status"),
        ("appealed", 1, "", "status", "Select the new status"),
        (EhcpStatus.MEDIATION, -1, "", "effective_on", "must be today or in the past"),
        (EhcpStatus.MEDIATION, 21, "", "effective_on", "on or after .*, when the case was opened"),
        (EhcpStatus.MEDIATION, 1, "x" * (NOTE_LENGTH + 1), "note", "2000 characters or fewer"),
    ],
)
def test_a_broken_rule_is_refused_in_govuk_words_and_changes_nothing(
    parent: User, status: str, days: int, note: str, field: str, message: str
) -> None:
    case = poppy_case()  # opened 20 days ago
    before = counts()
    with pytest.raises(DomainError, match=message) as refused:
        change(parent, case, status, days, note)
    assert refused.value.field == field
    assert counts() == before


def test_a_change_cannot_be_dated_before_the_last_one(parent: User) -> None:
    case = poppy_case()
    change(parent, case, EhcpStatus.ASSESSMENT_REQUESTED, 5)
    with pytest.raises(DomainError, match="the date of the last change") as refused:
        change(parent, case, EhcpStatus.PRE_ASSESSMENT, 6)
    assert refused.value.field == "effective_on"


def test_today_and_the_day_the_case_opened_are_allowed(parent: User) -> None:
    case = poppy_case()
    opened = change(
        parent, case, EhcpStatus.PRE_ASSESSMENT, (timezone.localdate() - case.opened_on).days
    )
    assert opened.effective_on == case.opened_on
    assert change(parent, case, EhcpStatus.ASSESSMENT_REQUESTED, 0).effective_on == days_ago(0)


# --- The deadlines the case page shows -------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (12, "12 days left"),
        (1, "1 day left"),
        (0, "due today"),
        (-1, "1 day overdue"),
        (-3, "3 days overdue"),
    ],
)
def test_days_left_in_words(days: int, words: str) -> None:
    assert days_left(days) == words


def test_next_deadlines_are_the_three_soonest_open_actions(
    parent: User, freddie_family_case: Case
) -> None:
    change(parent, freddie_family_case, EhcpStatus.ASSESSMENT_REQUESTED, 2)
    deadlines = next_deadlines(freddie_family_case)
    assert len(deadlines) == 3
    open_actions = NextAction.objects.filter(case=freddie_family_case, status="open")
    soonest = list(open_actions.order_by("due_on", "id")[:3])
    assert [d.action for d in deadlines] == soonest
    today = timezone.localdate()
    assert [d.days for d in deadlines] == [(a.due_on - today).days for a in soonest]


# --- The database keeps the history as it was ------------------------------------------------


def refused_by_the_database(attempt: object) -> None:
    assert callable(attempt)
    with pytest.raises(IntegrityError, match=re.compile("append-only")), transaction.atomic():
        attempt()


def test_the_database_refuses_to_change_or_delete_a_status_change(parent: User) -> None:
    made = change(parent, poppy_case(), EhcpStatus.ASSESSMENT_REQUESTED, 2, "Sent by email")
    rows = StatusChange.objects.filter(pk=made.pk)
    refused_by_the_database(lambda: rows.update(note="Sent by post"))
    refused_by_the_database(lambda: rows.update(status=EhcpStatus.RESOLVED))
    refused_by_the_database(lambda: rows.delete())
    db_id = StatusChange._meta.pk.get_db_prep_value(made.pk, connection)

    def raw_update() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE ehcp_statuschange SET effective_on = %s WHERE id = %s",
                [days_ago(9), db_id],
            )

    refused_by_the_database(raw_update)
    made.refresh_from_db()
    assert (made.status, made.note, made.effective_on) == (
        EhcpStatus.ASSESSMENT_REQUESTED,
        "Sent by email",
        days_ago(2),
    )
