"""Statutory clocks on a case (issue 4): started by timeline events, recalculated when the
event's date is corrected or a later event governs, moved otherwise only by a recorded lawful
exception, and the database refusing everything else.

Worked examples are counted by hand: an EHC needs assessment request received on Monday
12 January 2026 sets 6, 16 and 20 weeks to 23 February, 4 May and 1 June 2026 (SEND Regulations
2014, regs 5(1), 10(1), 13(2)); a decision letter of 10 March 2026 sets an appeal deadline of
Sunday 10 May, so Monday 11 May (HESC Rules 2008, rule 12(2)).

Jo Morgan (parent) records in her family's own tracking case, where the council's duties are
"the local authority"; Amira (worker) is the allocated worker on Kayden's council case, where
they are hers. The demo's own clocks (Freddie's request 38 days ago) are left alone: tests look
only at the actions their events start.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from caseledger.actions.clocks import ExceptionDetails, approvers_for, record_exception
from caseledger.actions.models import (
    ActionStatus,
    LawfulException,
    NextAction,
    Party,
    Priority,
)
from caseledger.actions.services import (
    ActionDetails,
    action_from_promise,
    add_action,
    change_action,
    complete_action,
)
from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.models import Case
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.domain.statutory_clock import RULES_BY_ID
from caseledger.ledger.interactions import (
    EventContent,
    InteractionContent,
    record_interaction,
    record_timeline_event,
)
from caseledger.ledger.models import (
    Channel,
    CorrectionReason,
    Entry,
    EventType,
    GeneratedBy,
)
from caseledger.ledger.services import add_correction

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
D = date
REQUEST_DAY = D(2026, 1, 12)  # a Monday
MOVED = "a statutory due date moves only by recalculation or a recorded lawful exception"
FROZEN = "lawful exceptions cannot be changed or deleted"
CLOCK_TRIGGERS = importlib.import_module(
    "caseledger.actions.migrations.0005_statutory_dates_never_move_silently"
)


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def record(
    actor, case: Case, event_type: str, day: date, details: str = ""
) -> tuple[Entry, list[NextAction]]:
    return record_timeline_event(
        actor=actor,
        case=case,
        content=EventContent(occurred_at=at(day), event_type=event_type, details=details),
    )


def clocks_of(entry: Entry) -> dict[str, NextAction]:
    return {
        action.statutory_rule: action for action in NextAction.objects.filter(source_entry=entry)
    }


def audit_of(action: NextAction, kind: Action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=kind, object_id=str(action.id)))


def refused(attempt: Callable[[], Any], message: str) -> None:
    """A trigger refuses the attempt, in a savepoint. SQLite's RAISE(ABORT) is an
    IntegrityError; PostgreSQL's plain RAISE EXCEPTION an InternalError: both DatabaseError."""
    with pytest.raises(DatabaseError, match=re.escape(message)), transaction.atomic():
        attempt()


def execute(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def pk_param(model, value) -> Any:
    return model._meta.pk.get_db_prep_value(value, connection)


def date_param(value: date) -> Any:
    return NextAction._meta.get_field("due_on").get_db_prep_value(value, connection)


@pytest.fixture
def request_clocks(parent, freddie_family_case) -> tuple[Entry, dict[str, NextAction]]:
    """Jo records her EHC needs assessment request of 12 January 2026."""
    entry, started = record(parent, freddie_family_case, EventType.EHC_REQUEST, REQUEST_DAY)
    clocks = clocks_of(entry)
    assert {action.id for action in started} == {action.id for action in clocks.values()}
    return entry, clocks


@pytest.fixture
def council_request(worker, kayden_case) -> dict[str, NextAction]:
    """An EHC request on Kayden's council case: clocks whose approvers are Northmoor's."""
    entry, _ = record(worker, kayden_case, EventType.EHC_REQUEST, REQUEST_DAY)
    return clocks_of(entry)


def exception_details(**changes: Any) -> ExceptionDetails:
    values: dict[str, Any] = {
        "kind": "exceptional_personal",
        "starts_on": D(2026, 2, 2),
        "ends_on": D(2026, 2, 20),
        "evidence": "Letter from the hospital: Freddie was an in-patient for three weeks.",
        "revised_due_on": D(2026, 3, 16),
        "approved_by": None,
        "approved_by_name": "Sam Okafor, SEN caseworker, Northmoor Council",
    }
    return ExceptionDetails(**{**values, **changes})


# --- Events start clocks ------------------------------------------------------------------------


def test_an_ehc_request_starts_three_clocks_for_the_local_authority(
    request_clocks, parent, freddie_family_case
):
    entry, clocks = request_clocks
    assert set(clocks) == {"send-regs-5-1", "send-regs-10-1", "send-regs-13-2"}
    expected = {
        "send-regs-5-1": ("decision_to_assess", D(2026, 2, 23), "reg 5(1)"),
        "send-regs-10-1": ("no_plan_notice", D(2026, 5, 4), "reg 10(1)"),
        "send-regs-13-2": ("final_plan", D(2026, 6, 1), "reg 13(2)"),
    }
    for rule_id, (milestone, due, citation) in expected.items():
        action = clocks[rule_id]
        assert action.milestone == milestone
        assert action.due_on == action.statutory_due_on == due
        assert action.is_statutory_clock and action.is_open
        assert action.statutory_citation == f"SEND Regulations 2014, {citation}"
        assert action.description == RULES_BY_ID[rule_id].description
        # In the family's own workspace the council is not a user: "the local authority".
        assert action.responsible_user is None
        assert action.responsible_party == Party.LOCAL_AUTHORITY
        assert action.priority == Priority.IMPORTANT
        assert action.source_entry_id == entry.id
        assert action.created_by == parent
        assert action.case == freddie_family_case
        (started,) = audit_of(action, Action.CLOCK_STARTED)
        assert started.detail == {
            "rule": rule_id,
            "due_on": due.isoformat(),
            "event": str(entry.id),
        }


def test_a_referral_in_the_councils_workspace_is_the_allocated_workers(worker, kayden_case):
    assert kayden_case.allocated_worker == worker
    # Received Friday 18 December 2026: the decision is due the next working day, Monday 21
    # December; the assessment 45 working days later, past Christmas and New Year.
    with time_machine.travel(at(D(2027, 1, 11), 9), tick=False):
        entry, started = record(worker, kayden_case, EventType.REFERRAL, D(2026, 12, 18))
    clocks = clocks_of(entry)
    assert set(clocks) == {"wt-2023-referral", "wt-2023-assessment"}
    decision, assessment = clocks["wt-2023-referral"], clocks["wt-2023-assessment"]
    assert decision.due_on == decision.statutory_due_on == D(2026, 12, 21)
    assert assessment.due_on == assessment.statutory_due_on == D(2027, 2, 24)
    for action in (decision, assessment):
        assert action.responsible_user == worker
        assert action.responsible_party == ""
        assert "Working Together to Safeguard Children 2023" in action.statutory_citation
    assert decision.priority == Priority.URGENT
    assert assessment.priority == Priority.IMPORTANT
    assert len(started) == 2


def test_a_referral_with_no_allocated_worker_falls_to_the_local_authority(manager):
    waiting = Case.objects.get(
        child__first_names="Ethan", organisation__reference_prefix="NMB", status="open"
    )
    assert waiting.allocated_worker is None
    entry, _ = record(manager, waiting, EventType.REFERRAL, D(2026, 11, 2))
    for action in clocks_of(entry).values():
        assert action.responsible_user is None
        assert action.responsible_party == Party.LOCAL_AUTHORITY


def test_families_and_professionals_hold_their_own_deadlines(parent, freddie_family_case):
    draft, _ = record(parent, freddie_family_case, EventType.DRAFT_PLAN, D(2026, 5, 1))
    (comments,) = clocks_of(draft).values()
    # 15 days, the day of service counting as day 1.
    assert (comments.milestone, comments.due_on) == ("draft_comments_end", D(2026, 5, 15))
    assert comments.responsible_party == Party.FAMILY
    advice, _ = record(parent, freddie_family_case, EventType.ADVICE_REQUESTED, D(2026, 3, 2))
    (due,) = clocks_of(advice).values()
    assert (due.milestone, due.due_on) == ("advice_due", D(2026, 4, 13))
    assert due.responsible_party == Party.PROFESSIONAL


def test_a_subject_access_request_starts_only_the_one_month_clock(worker, kayden_case):
    entry, started = record(worker, kayden_case, EventType.SAR, D(2026, 1, 31))
    assert [action.statutory_rule for action in started] == ["uk-gdpr-12-3"]
    assert set(clocks_of(entry)) == {"uk-gdpr-12-3"}
    assert not NextAction.objects.filter(statutory_rule="uk-gdpr-12-3-extended").exists()
    # 28 February 2026 is a Saturday: the next working day.
    assert started[0].due_on == D(2026, 3, 2)


def test_events_without_a_time_limit_start_nothing(worker, kayden_case):
    before = NextAction.objects.count()
    for event_type in (EventType.MEETING, EventType.EXCLUSION, EventType.DECISION_TO_ASSESS):
        _entry, started = record(worker, kayden_case, event_type, D(2026, 3, 2))
        assert started == []
    assert NextAction.objects.count() == before


# --- The later date governs an appeal ------------------------------------------------------------


def appeal_actions(case: Case) -> list[NextAction]:
    return list(
        NextAction.objects.filter(case=case, milestone="appeal_deadline", status="open").order_by(
            "created_at"
        )
    )


def test_a_later_mediation_certificate_moves_the_one_appeal_deadline(parent, freddie_family_case):
    letter, started = record(parent, freddie_family_case, EventType.DECISION_LETTER, D(2026, 3, 10))
    (appeal,) = started
    assert appeal.due_on == appeal.statutory_due_on == D(2026, 5, 11)
    assert appeal.statutory_rule == "send-appeal-decision"
    assert appeal.recalculated_note == ""
    certificate, moved = record(
        parent, freddie_family_case, EventType.MEDIATION_CERTIFICATE, D(2026, 4, 20)
    )
    assert [action.id for action in moved] == [appeal.id]
    (only,) = appeal_actions(freddie_family_case)
    assert only.id == appeal.id
    # One month from 20 April 2026: Wednesday 20 May, later than 11 May, so it governs.
    assert only.due_on == only.statutory_due_on == D(2026, 5, 20)
    assert only.statutory_rule == "send-appeal-mediation"
    assert only.source_entry_id == certificate.id
    assert only.responsible_party == Party.FAMILY
    assert only.recalculated_note == (
        "Mediation certificate received on 20 April 2026: the later date governs "
        f"({RULES_BY_ID['send-appeal-mediation'].citation})."
    )
    assert only.recalculated_at is not None
    (recalculated,) = audit_of(only, Action.ACTION_RECALCULATED)
    assert recalculated.detail["changes"] == {
        "statutory_due_on": {"old": "2026-05-11", "new": "2026-05-20"},
        "due_on": {"old": "2026-05-11", "new": "2026-05-20"},
    }
    assert recalculated.detail["reason"] == only.recalculated_note
    assert recalculated.detail["rule"] == "send-appeal-mediation"
    assert recalculated.actor == parent
    assert letter.id != certificate.id


def test_an_earlier_mediation_certificate_leaves_the_appeal_deadline_alone(
    parent, freddie_family_case
):
    _letter, (appeal,) = record(
        parent, freddie_family_case, EventType.DECISION_LETTER, D(2026, 3, 10)
    )
    # One month from 12 March is 12 April 2026 (a Sunday, so 13 April): earlier than 11 May.
    _certificate, moved = record(
        parent, freddie_family_case, EventType.MEDIATION_CERTIFICATE, D(2026, 3, 12)
    )
    assert moved == []
    (only,) = appeal_actions(freddie_family_case)
    assert (only.id, only.due_on, only.statutory_rule) == (
        appeal.id,
        D(2026, 5, 11),
        "send-appeal-decision",
    )
    assert only.recalculated_note == ""
    assert audit_of(only, Action.ACTION_RECALCULATED) == []


# --- A corrected event date recalculates its clocks ----------------------------------------------


def test_correcting_the_request_date_recalculates_all_three_clocks(request_clocks, parent):
    entry, clocks = request_clocks
    add_correction(
        actor=parent,
        original=entry,
        reason=CorrectionReason.WRONG_DATE_OR_TIME,
        explanation="The email went on the Monday before",
        body="The request was sent on 5 January 2026.",
        corrected_occurred_at=at(D(2026, 1, 5)),
    )
    note = (
        "The date of “EHC needs assessment requested” was corrected from 12 January 2026 "
        "to 5 January 2026."
    )
    expected = {
        "send-regs-5-1": (D(2026, 2, 23), D(2026, 2, 16)),
        "send-regs-10-1": (D(2026, 5, 4), D(2026, 4, 27)),
        "send-regs-13-2": (D(2026, 6, 1), D(2026, 5, 25)),
    }
    for rule_id, (old, new) in expected.items():
        action = NextAction.objects.get(pk=clocks[rule_id].pk)
        assert action.due_on == action.statutory_due_on == new
        assert action.recalculated_note == note
        assert action.source_entry_id == entry.id
        (recalculated,) = audit_of(action, Action.ACTION_RECALCULATED)
        assert recalculated.detail["changes"]["statutory_due_on"] == {
            "old": old.isoformat(),
            "new": new.isoformat(),
        }
        assert recalculated.detail["reason"] == note


def test_a_second_correction_counts_from_the_latest_corrected_date(request_clocks, parent):
    entry, clocks = request_clocks
    for day in (D(2026, 1, 5), D(2026, 1, 14)):
        add_correction(
            actor=parent,
            original=entry,
            reason=CorrectionReason.WRONG_DATE_OR_TIME,
            explanation="Checked the sent folder",
            body=f"Sent on {day}",
            corrected_occurred_at=at(day),
        )
    action = NextAction.objects.get(pk=clocks["send-regs-5-1"].pk)
    assert action.statutory_due_on == D(2026, 2, 25)
    assert "corrected from 12 January 2026 to 14 January 2026" in action.recalculated_note
    assert len(audit_of(action, Action.ACTION_RECALCULATED)) == 2


def test_a_correction_that_is_not_about_the_date_moves_nothing(request_clocks, parent):
    entry, clocks = request_clocks
    add_correction(
        actor=parent,
        original=entry,
        reason=CorrectionReason.OMISSION,
        explanation="Left out the attachments",
        body="The EP report was attached too.",
    )
    for action in clocks.values():
        stored = NextAction.objects.get(pk=action.pk)
        assert (stored.due_on, stored.recalculated_note) == (action.due_on, "")


def test_a_duplicate_event_has_its_open_clocks_cancelled_with_a_reason(request_clocks, parent):
    entry, clocks = request_clocks
    with time_machine.travel(at(D(2026, 11, 25), 10), tick=False):
        add_correction(
            actor=parent,
            original=entry,
            reason=CorrectionReason.DUPLICATE,
            explanation="Recorded twice",
            body="The same request as the one recorded on the 12th.",
        )
    reason = (
        "EHC needs assessment requested was recorded twice; the correction of 25 November "
        "2026 says so."
    )
    for action in clocks.values():
        stored = NextAction.objects.get(pk=action.pk)
        assert stored.status == ActionStatus.CANCELLED
        assert stored.cancelled_reason == reason
        # Cancelling leaves the statutory date as it was.
        assert stored.statutory_due_on == action.statutory_due_on
        (cancelled,) = audit_of(stored, Action.ACTION_CANCELLED)
        assert cancelled.detail == {"reason": reason}


# --- Lawful exceptions ---------------------------------------------------------------------------


def test_an_exception_moves_the_working_date_and_keeps_the_statutory_one(request_clocks, parent):
    _entry, clocks = request_clocks
    decision = clocks["send-regs-5-1"]
    changed = record_exception(actor=parent, action=decision, details=exception_details())
    stored = NextAction.objects.get(pk=decision.pk)
    assert stored.statutory_due_on == D(2026, 2, 23)
    assert stored.due_on == changed.due_on == D(2026, 3, 16)
    (exception,) = LawfulException.objects.filter(action=decision)
    assert exception.kind == "exceptional_personal"
    assert (exception.previous_due_on, exception.revised_due_on) == (
        D(2026, 2, 23),
        D(2026, 3, 16),
    )
    assert (exception.starts_on, exception.ends_on) == (D(2026, 2, 2), D(2026, 2, 20))
    assert exception.approved_by is None
    assert exception.approver_label == "Sam Okafor, SEN caseworker, Northmoor Council"
    assert exception.recorded_by == parent
    (recorded,) = audit_of(stored, Action.EXCEPTION_RECORDED)
    assert recorded.detail == {
        "changes": {"due_on": {"old": "2026-02-23", "new": "2026-03-16"}},
        "exception": str(exception.id),
        "kind": "exceptional_personal",
    }
    # The other clocks of the request are untouched.
    assert NextAction.objects.get(pk=clocks["send-regs-10-1"].pk).due_on == D(2026, 5, 4)


def test_a_manager_of_the_organisation_approves_a_council_exception(
    worker, manager, council_request
):
    decision = council_request["send-regs-5-1"]
    record_exception(
        actor=worker,
        action=decision,
        details=exception_details(approved_by=manager, approved_by_name="ignored"),
    )
    (exception,) = LawfulException.objects.filter(action=decision)
    assert exception.approved_by == manager
    assert exception.approved_by_name == ""
    assert exception.approver_label == manager.full_name


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"kind": "missed_appointment"}, "kind", "Select the reason the time limit cannot be met"),
        ({"kind": "sar_extension"}, "kind", "Select the reason the time limit cannot be met"),
        ({"kind": "staff_shortage"}, "kind", "Select the reason the time limit cannot be met"),
        ({"starts_on": None}, "starts_on", "Enter the date the circumstances began"),
        (
            {"ends_on": D(2026, 2, 1)},
            "ends_on",
            "The date the circumstances ended must be the same as or after the date they began",
        ),
        ({"evidence": "  "}, "evidence", "Describe the evidence for the exception"),
        (
            {"approved_by_name": " "},
            "approved_by",
            "Enter the name and role of who approved the exception",
        ),
        ({"revised_due_on": None}, "revised_due_on", "Enter the new date it must be done by"),
        (
            {"revised_due_on": D(2026, 2, 23)},
            "revised_due_on",
            "The new date must be after the current due date, 23 February 2026",
        ),
        (
            {"revised_due_on": D(2026, 2, 1)},
            "revised_due_on",
            "The new date must be after the current due date, 23 February 2026",
        ),
    ],
    ids=[
        "advice-only-kind",
        "sar-kind",
        "unknown-kind",
        "no-start",
        "ends-before-start",
        "no-evidence",
        "no-approver-in-a-family",
        "no-revised-date",
        "revised-same",
        "revised-earlier",
    ],
)
def test_an_exception_that_breaks_a_rule_is_refused(
    request_clocks, parent, changes, field, message
):
    _entry, clocks = request_clocks
    decision = clocks["send-regs-5-1"]
    before = (LawfulException.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as refusal:
        record_exception(actor=parent, action=decision, details=exception_details(**changes))
    assert (refusal.value.field, refusal.value.message) == (field, message)
    assert (LawfulException.objects.count(), AuditEvent.objects.count()) == before
    assert NextAction.objects.get(pk=decision.pk).due_on == D(2026, 2, 23)


def test_an_exception_ending_the_day_it_began_is_allowed(request_clocks, parent):
    _entry, clocks = request_clocks
    record_exception(
        actor=parent,
        action=clocks["send-regs-5-1"],
        details=exception_details(ends_on=D(2026, 2, 2)),
    )
    assert LawfulException.objects.filter(action=clocks["send-regs-5-1"]).count() == 1


@pytest.mark.parametrize("approver", ["worker", "senco", "outsider", "parent"])
def test_only_a_manager_admin_or_senco_of_the_organisation_approves(
    request, worker, council_request, approver
):
    person = request.getfixturevalue(approver)
    assert person not in approvers_for(council_request["send-regs-5-1"].case)
    with pytest.raises(DomainError, match="Select who approved the exception") as refusal:
        record_exception(
            actor=worker,
            action=council_request["send-regs-5-1"],
            details=exception_details(approved_by=person),
        )
    assert refusal.value.field == "approved_by"


def test_the_approvers_are_the_organisations_managers_admins_and_sencos(
    council_request, manager, org_admin, other_team_manager, senco, worker
):
    approvers = set(approvers_for(council_request["send-regs-5-1"].case))
    assert {manager, org_admin, other_team_manager} <= approvers
    assert worker not in approvers and senco not in approvers


def test_the_advice_clock_allows_a_missed_appointment_not_a_school_closure(
    parent, freddie_family_case
):
    advice, _ = record(parent, freddie_family_case, EventType.ADVICE_REQUESTED, D(2026, 3, 2))
    (action,) = clocks_of(advice).values()
    with pytest.raises(DomainError, match="Select the reason the time limit cannot be met"):
        record_exception(
            actor=parent,
            action=action,
            details=exception_details(kind="school_closure", revised_due_on=D(2026, 5, 1)),
        )
    record_exception(
        actor=parent,
        action=action,
        details=exception_details(kind="missed_appointment", revised_due_on=D(2026, 5, 1)),
    )
    assert NextAction.objects.get(pk=action.pk).due_on == D(2026, 5, 1)


def test_a_subject_access_request_extends_by_two_months_at_most(worker, manager, kayden_case):
    _entry, (response,) = record(worker, kayden_case, EventType.SAR, D(2026, 1, 31))
    assert response.due_on == D(2026, 3, 2)
    with pytest.raises(DomainError) as refusal:
        record_exception(
            actor=worker,
            action=response,
            details=exception_details(
                kind="sar_extension", approved_by=manager, revised_due_on=D(2026, 5, 1)
            ),
        )
    assert refusal.value.message == "The law allows an extension to 30 April 2026 at most"
    assert refusal.value.field == "revised_due_on"
    with pytest.raises(DomainError, match="Select the reason"):
        record_exception(
            actor=worker,
            action=response,
            details=exception_details(approved_by=manager, revised_due_on=D(2026, 4, 30)),
        )
    record_exception(
        actor=worker,
        action=response,
        details=exception_details(
            kind="sar_extension", approved_by=manager, revised_due_on=D(2026, 4, 30)
        ),
    )
    stored = NextAction.objects.get(pk=response.pk)
    assert (stored.statutory_due_on, stored.due_on) == (D(2026, 3, 2), D(2026, 4, 30))


def test_deadlines_the_law_allows_no_exception_to_refuse_one(
    worker, manager, kayden_case, parent, freddie_family_case
):
    _entry, referral = record(worker, kayden_case, EventType.REFERRAL, D(2026, 11, 2))
    _letter, (appeal,) = record(
        parent, freddie_family_case, EventType.DECISION_LETTER, D(2026, 3, 10)
    )
    manual = add_action(
        actor=worker,
        case=kayden_case,
        details=ActionDetails(
            description="Chase the advice",
            due_on=D(2026, 12, 1),
            responsible_party=Party.PROFESSIONAL,
            statutory_rule="send-regs-8-1",  # a citation only: not a running clock
        ),
    )
    for actor, action in [(worker, referral[1]), (parent, appeal), (worker, manual)]:
        with pytest.raises(DomainError, match="The law allows no exceptions to this time limit"):
            record_exception(
                actor=actor,
                action=action,
                details=exception_details(approved_by=manager if actor == worker else None),
            )


def test_an_exception_needs_an_open_action_on_a_case_one_works_on(
    request_clocks, parent, outsider, advocate
):
    _entry, clocks = request_clocks
    decision = clocks["send-regs-5-1"]
    for stranger in (outsider, advocate):
        with pytest.raises(NotPermittedError):
            record_exception(actor=stranger, action=decision, details=exception_details())
    complete_action(actor=parent, action=decision, done_on=D(2026, 2, 20))
    with pytest.raises(DomainError, match="This action has already been closed"):
        record_exception(actor=parent, action=decision, details=exception_details())


def test_a_recalculation_keeps_a_later_exception_date(request_clocks, parent):
    entry, clocks = request_clocks
    decision = clocks["send-regs-5-1"]
    record_exception(actor=parent, action=decision, details=exception_details())
    # Earlier request date: the law's date moves back, the exception's later date stands.
    add_correction(
        actor=parent,
        original=entry,
        reason=CorrectionReason.WRONG_DATE_OR_TIME,
        explanation="Sent earlier",
        body="Sent on 5 January",
        corrected_occurred_at=at(D(2026, 1, 5)),
    )
    stored = NextAction.objects.get(pk=decision.pk)
    assert (stored.statutory_due_on, stored.due_on) == (D(2026, 2, 16), D(2026, 3, 16))
    # A request date late enough that the law's own date passes the exception's: it governs.
    add_correction(
        actor=parent,
        original=entry,
        reason=CorrectionReason.WRONG_DATE_OR_TIME,
        explanation="Received later",
        body="Received on 9 February",
        corrected_occurred_at=at(D(2026, 2, 9)),
    )
    stored = NextAction.objects.get(pk=decision.pk)
    assert (stored.statutory_due_on, stored.due_on) == (D(2026, 3, 23), D(2026, 3, 23))


# --- The database refuses a date moved any other way (both databases) ----------------------------


@pytest.fixture
def decision(request_clocks) -> NextAction:
    return NextAction.objects.get(pk=request_clocks[1]["send-regs-5-1"].pk)


def raw_action(pk) -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT due_on, statutory_due_on FROM actions_nextaction WHERE id = %s",
            [pk_param(NextAction, pk)],
        )
        row = cursor.fetchone()
    assert row is not None
    return tuple(row)


def test_the_database_refuses_moving_a_clock_date_by_queryset_update(decision):
    before = raw_action(decision.pk)
    refused(lambda: NextAction.objects.filter(pk=decision.pk).update(due_on=D(2026, 4, 1)), MOVED)
    decision.due_on = D(2026, 4, 1)
    refused(lambda: decision.save(), MOVED)
    refused(lambda: NextAction.objects.bulk_update([decision], ["due_on"]), MOVED)
    assert raw_action(decision.pk) == before


def test_the_database_refuses_moving_a_clock_date_by_raw_sql(decision):
    before = raw_action(decision.pk)
    refused(
        lambda: execute(
            "UPDATE actions_nextaction SET due_on = %s WHERE id = %s",
            [date_param(D(2026, 4, 1)), pk_param(NextAction, decision.pk)],
        ),
        MOVED,
    )
    # Every clock at once, too (the demo's among them).
    refused(
        lambda: execute(
            "UPDATE actions_nextaction SET due_on = %s WHERE statutory_due_on IS NOT NULL",
            [date_param(D(2030, 1, 1))],
        ),
        MOVED,
    )
    assert raw_action(decision.pk) == before


def test_the_database_refuses_turning_a_clock_into_a_plain_action(decision):
    before = raw_action(decision.pk)
    refused(lambda: NextAction.objects.filter(pk=decision.pk).update(statutory_due_on=None), MOVED)
    refused(
        lambda: NextAction.objects.filter(pk=decision.pk).update(
            statutory_due_on=None, due_on=D(2026, 4, 1)
        ),
        MOVED,
    )
    refused(
        lambda: execute(
            "UPDATE actions_nextaction SET statutory_due_on = NULL WHERE id = %s",
            [pk_param(NextAction, decision.pk)],
        ),
        MOVED,
    )
    assert raw_action(decision.pk) == before


def test_the_database_allows_the_exceptions_date_and_the_laws_date(decision, parent):
    record_exception(actor=parent, action=decision, details=exception_details())
    assert raw_action(decision.pk) == (D(2026, 3, 16), D(2026, 2, 23))
    # Back to the date the law sets, and again to the exception's: both allowed.
    assert NextAction.objects.filter(pk=decision.pk).update(due_on=D(2026, 2, 23)) == 1
    execute(
        "UPDATE actions_nextaction SET due_on = %s WHERE id = %s",
        [date_param(D(2026, 3, 16)), pk_param(NextAction, decision.pk)],
    )
    assert NextAction.objects.get(pk=decision.pk).due_on == D(2026, 3, 16)
    # A date no exception names is still refused.
    refused(lambda: NextAction.objects.filter(pk=decision.pk).update(due_on=D(2026, 3, 17)), MOVED)
    # Other columns of a clock action change freely.
    assert NextAction.objects.filter(pk=decision.pk).update(description="Decision due") == 1


def test_a_plain_actions_date_moves_freely(worker, kayden_case):
    action = add_action(
        actor=worker,
        case=kayden_case,
        details=ActionDetails(
            description="Book the review", due_on=D(2026, 12, 1), responsible_user=worker
        ),
    )
    assert NextAction.objects.filter(pk=action.pk).update(due_on=D(2026, 12, 8)) == 1


def save_rewritten(exception: LawfulException) -> None:
    exception.evidence = "Rewritten"
    exception.save()


@pytest.fixture
def exception(decision, parent) -> LawfulException:
    record_exception(actor=parent, action=decision, details=exception_details())
    return LawfulException.objects.get(action=decision)


def raw_exception(pk) -> tuple[Any, ...] | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM actions_lawfulexception WHERE id = %s", [pk_param(LawfulException, pk)]
        )
        row: tuple[Any, ...] | None = cursor.fetchone()
    return row


@pytest.mark.parametrize(
    "attempt",
    [
        lambda e: LawfulException.objects.filter(pk=e.pk).update(evidence="Rewritten"),
        lambda e: LawfulException.objects.filter(pk=e.pk).update(revised_due_on=D(2026, 6, 1)),
        lambda e: LawfulException.objects.filter(pk=e.pk).delete(),
        lambda e: e.delete(),
        lambda e: save_rewritten(e),
        lambda e: execute(
            "UPDATE actions_lawfulexception SET evidence = 'x' WHERE id = %s",
            [pk_param(LawfulException, e.pk)],
        ),
        lambda e: execute(
            "DELETE FROM actions_lawfulexception WHERE id = %s", [pk_param(LawfulException, e.pk)]
        ),
        lambda e: execute("DELETE FROM actions_lawfulexception", []),
    ],
    ids=[
        "update",
        "update-date",
        "queryset-delete",
        "delete",
        "save",
        "raw-update",
        "raw-delete",
        "delete-all",
    ],
)
def test_a_lawful_exception_cannot_be_changed_or_deleted(exception, attempt):
    before = raw_exception(exception.pk)
    assert before is not None
    refused(lambda: attempt(exception), FROZEN)
    assert raw_exception(exception.pk) == before


def test_a_lawful_exception_cannot_be_replaced_by_an_upsert(exception):
    before = raw_exception(exception.pk)
    columns = [str(field.column) for field in LawfulException._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM actions_lawfulexception WHERE id = %s",
            [pk_param(LawfulException, exception.pk)],
        )
        values = list(cursor.fetchone())
    values[columns.index("evidence")] = "Rewritten by an upsert"
    placeholders = ", ".join(["%s"] * len(columns))
    if connection.vendor == "sqlite":
        sql = (
            f"INSERT OR REPLACE INTO actions_lawfulexception ({', '.join(columns)}) "
            f"VALUES ({placeholders})"
        )
    else:
        updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in columns if column != "id")
        sql = (
            f"INSERT INTO actions_lawfulexception ({', '.join(columns)}) VALUES ({placeholders}) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}"
        )
    refused(lambda: execute(sql, values), FROZEN)
    assert raw_exception(exception.pk) == before


def test_the_lawful_exceptions_cannot_be_truncated(exception):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; DELETE without WHERE is refused above")
    execute("SET CONSTRAINTS ALL IMMEDIATE", [])
    refused(lambda: execute("TRUNCATE actions_lawfulexception", []), FROZEN)
    assert raw_exception(exception.pk) is not None


def test_the_triggers_are_the_migrations(exception):
    """The refusals above come from migration 0005's triggers, on this database."""
    names = (
        CLOCK_TRIGGERS.SQLITE_CREATE
        if connection.vendor == "sqlite"
        else CLOCK_TRIGGERS.POSTGRES_CREATE
    )
    assert any("actions_clock_due_date" in statement for statement in names)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        found = {row[0] for row in cursor.fetchall()}
    assert "actions_clock_due_date" in found


# --- Changing and completing a clock action -------------------------------------------------------


def same_as(action: NextAction, **changes: Any) -> ActionDetails:
    values: dict[str, Any] = {
        "description": action.description,
        "due_on": action.due_on,
        "responsible_user": action.responsible_user,
        "responsible_party": action.responsible_party,
        "priority": action.priority,
        "statutory_rule": action.statutory_rule,
    }
    return ActionDetails(**{**values, **changes})


def test_a_clock_actions_dates_and_basis_cannot_be_changed_by_hand(worker, kayden_case):
    _entry, (decision, _assessment) = record(
        worker, kayden_case, EventType.REFERRAL, D(2026, 11, 2)
    )
    decision = NextAction.objects.get(pk=decision.pk)
    with pytest.raises(DomainError) as refusal:
        change_action(
            actor=worker, action=decision, details=same_as(decision, due_on=D(2026, 11, 10))
        )
    assert refusal.value.field == "due_on"
    assert refusal.value.message.startswith("You cannot change a statutory due date.")
    with pytest.raises(DomainError) as refusal:
        change_action(
            actor=worker,
            action=decision,
            details=same_as(decision, statutory_rule="wt-2023-assessment"),
        )
    assert refusal.value.field == "statutory_rule"
    with pytest.raises(DomainError):
        change_action(actor=worker, action=decision, details=same_as(decision, statutory_rule=""))
    assert NextAction.objects.get(pk=decision.pk).due_on == D(2026, 11, 3)


def test_a_clock_actions_wording_and_owner_can_change(worker, manager, kayden_case):
    _entry, (decision, _assessment) = record(
        worker, kayden_case, EventType.REFERRAL, D(2026, 11, 2)
    )
    decision = NextAction.objects.get(pk=decision.pk)
    change_action(
        actor=worker,
        action=decision,
        details=same_as(
            decision, description="Decide on the school's referral", responsible_user=manager
        ),
    )
    stored = NextAction.objects.get(pk=decision.pk)
    assert stored.description == "Decide on the school's referral"
    assert stored.responsible_user == manager
    assert (stored.due_on, stored.statutory_due_on) == (D(2026, 11, 3), D(2026, 11, 3))
    (changed,) = audit_of(stored, Action.ACTION_CHANGED)
    assert set(changed.detail["changes"]) == {"description", "responsible_user"}


@pytest.fixture
def today():
    with time_machine.travel(at(D(2026, 11, 25), 15), tick=False):
        yield D(2026, 11, 25)


def test_completing_a_clock_on_time_puts_deadline_met_on_the_timeline(today, worker, kayden_case):
    _entry, (_decision, assessment) = record(
        worker, kayden_case, EventType.REFERRAL, D(2026, 11, 2)
    )
    complete_action(actor=worker, action=assessment, done_on=D(2026, 11, 20))
    (met,) = Entry.objects.filter(case=kayden_case, event_type=EventType.DEADLINE_MET)
    assert met.generated_by == GeneratedBy.STATUTORY_CLOCK
    assert met.author == worker
    assert met.is_final and met.in_timeline
    assert met.title == f"Statutory deadline met: {assessment.description}"
    assert "Done on time." in met.body
    assert "Due 7 January 2027; done 20 November 2026." in met.body
    assert assessment.statutory_citation in met.body
    assert timezone.localtime(met.occurred_at) == at(D(2026, 11, 20))


def test_completing_a_clock_late_says_how_late(today, worker, kayden_case):
    _entry, (decision, _assessment) = record(
        worker, kayden_case, EventType.REFERRAL, D(2026, 11, 2)
    )
    complete_action(actor=worker, action=decision, done_on=D(2026, 11, 6))
    complete = NextAction.objects.get(pk=decision.pk)
    assert (complete.status, complete.done_on) == (ActionStatus.DONE, D(2026, 11, 6))
    (met,) = Entry.objects.filter(case=kayden_case, event_type=EventType.DEADLINE_MET)
    assert "Done 3 days after the due date." in met.body
    assert "Due 3 November 2026; done 6 November 2026." in met.body


def test_completing_a_clock_today_dates_the_event_no_later_than_now(today, worker, kayden_case):
    _entry, (decision, _assessment) = record(
        worker, kayden_case, EventType.REFERRAL, D(2026, 11, 23)
    )
    with time_machine.travel(at(today, 9), tick=False):
        complete_action(actor=worker, action=decision, done_on=today)
    (met,) = Entry.objects.filter(case=kayden_case, event_type=EventType.DEADLINE_MET)
    assert timezone.localtime(met.occurred_at) == at(today, 9)
    assert "Done 1 day after the due date." in met.body


def test_completing_a_plain_action_writes_no_timeline_event(today, worker, kayden_case):
    action = add_action(
        actor=worker,
        case=kayden_case,
        details=ActionDetails(
            description="Book the review", due_on=D(2026, 12, 1), responsible_user=worker
        ),
    )
    complete_action(actor=worker, action=action, done_on=today)
    assert not Entry.objects.filter(case=kayden_case, event_type=EventType.DEADLINE_MET).exists()


# --- A promise becomes an action in one click ----------------------------------------------------


def promise(actor, case: Case, **changes: Any) -> Entry:
    values: dict[str, Any] = {
        "occurred_at": at(D(2026, 11, 20), 10),
        "channel": Channel.PHONE_CALL,
        "contact_name": "Sam Okafor",
        "contact_organisation": "Northmoor Council",
        "summary": "Rang about the request.",
        "promise": "A decision by the end of next week",
        "promise_due_on": D(2026, 12, 4),
        "promise_party": Party.LOCAL_AUTHORITY,
    }
    return record_interaction(
        actor=actor, case=case, content=InteractionContent(**{**values, **changes})
    )


def test_a_promise_becomes_one_action_linked_to_its_interaction(parent, freddie_family_case):
    entry = promise(parent, freddie_family_case)
    action = action_from_promise(actor=parent, entry=entry)
    assert action.source_entry_id == entry.id
    assert action.due_on == D(2026, 12, 4)
    assert action.responsible_party == Party.LOCAL_AUTHORITY
    assert action.responsible_user is None
    assert action.description == (
        "A decision by the end of next week (promised by Sam Okafor, Northmoor Council)"
    )
    assert action.priority == Priority.IMPORTANT
    assert action.statutory_due_on is None and not action.is_statutory_clock
    (added,) = audit_of(action, Action.ACTION_ADDED)
    assert added.actor == parent
    again = action_from_promise(actor=parent, entry=entry)
    assert again.id == action.id
    assert NextAction.objects.filter(source_entry=entry).count() == 1
    assert len(audit_of(action, Action.ACTION_ADDED)) == 1


def test_a_promise_without_a_date_cannot_become_an_action_in_one_step(parent, freddie_family_case):
    entry = promise(parent, freddie_family_case, promise_due_on=None)
    with pytest.raises(DomainError, match="This promise has no date"):
        action_from_promise(actor=parent, entry=entry)
    no_promise = promise(
        parent, freddie_family_case, promise="", promise_due_on=None, promise_party=""
    )
    with pytest.raises(DomainError, match="This promise has no date"):
        action_from_promise(actor=parent, entry=no_promise)
    assert not NextAction.objects.filter(source_entry__in=[entry, no_promise]).exists()


def test_only_those_who_work_on_the_case_turn_a_promise_into_an_action(
    worker, parent, freddie_la_case
):
    entry = promise(worker, freddie_la_case)
    with pytest.raises(NotPermittedError):
        action_from_promise(actor=parent, entry=entry)
    assert not NextAction.objects.filter(source_entry=entry).exists()
    action = action_from_promise(actor=worker, entry=entry)
    assert action.responsible_party == Party.LOCAL_AUTHORITY


def test_an_event_is_not_a_promise(worker, kayden_case):
    event, _ = record(worker, kayden_case, EventType.MEETING, D(2026, 11, 2))
    with pytest.raises(DomainError):
        action_from_promise(actor=worker, entry=event)


def test_the_promise_due_before_today_is_still_accepted_and_overdue(
    today, parent, freddie_family_case
):
    entry = promise(parent, freddie_family_case, promise_due_on=D(2026, 11, 24))
    action = action_from_promise(actor=parent, entry=entry)
    assert action.is_overdue
    assert today - action.due_on == timedelta(days=1)
