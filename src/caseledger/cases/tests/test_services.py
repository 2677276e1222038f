"""Opening, closing, allocating and sharing cases: the rules, and the audit each writes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from caseledger.accounts.models import Team
from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.access import access_case, cases_visible_to
from caseledger.cases.models import AccessGrant, CaseStatus, CaseType
from caseledger.cases.services import (
    allocate_case,
    close_case,
    deallocate_case,
    grant_access,
    open_case,
    reopen_case,
    revoke_access,
)
from caseledger.domain.errors import DomainError
from caseledger.ledger.models import Entry, EntryKind, EntryStatus, EventType, GeneratedBy

pytestmark = pytest.mark.django_db


def share(actor, case, email, kind, expires_on=None):
    return grant_access(
        actor=actor, case=case, grantee_email=email, kind=kind, expires_on=expires_on
    )


def last_event(case) -> AuditEvent:
    return AuditEvent.objects.filter(case_id=case.id).latest("occurred_at", "id")


def test_opening_a_case_numbers_it_and_allocates_it_to_the_opener(worker, kayden_case):
    case = open_case(
        actor=worker,
        child=kayden_case.child,
        case_type=CaseType.EARLY_HELP,
        opened_on=timezone.localdate(),
    )
    assert case.reference.startswith("NMB-")
    assert case.reference != kayden_case.reference
    assert case.allocated_worker == worker
    assert case.allocated_team is not None
    assert case.allocated_team.name == "Children in Need Team North"
    assert list(case.status_changes.values_list("status", flat=True)) == [CaseStatus.OPEN]
    event = last_event(case)
    assert (event.action, event.actor) == (Action.CASE_OPENED, worker)


def test_references_are_unique_and_sequential(worker, kayden_case):
    first = open_case(
        actor=worker,
        child=kayden_case.child,
        case_type=CaseType.EARLY_HELP,
        opened_on=timezone.localdate(),
    )
    second = open_case(
        actor=worker,
        child=kayden_case.child,
        case_type=CaseType.EARLY_HELP,
        opened_on=timezone.localdate(),
    )
    assert int(second.reference.split("-")[1]) == int(first.reference.split("-")[1]) + 1


def test_a_council_cannot_open_a_school_case_type(worker, kayden_case):
    with pytest.raises(DomainError, match="type of case"):
        open_case(
            actor=worker,
            child=kayden_case.child,
            case_type=CaseType.SEN_SUPPORT,
            opened_on=timezone.localdate(),
        )


def test_a_case_cannot_open_in_the_future(worker, kayden_case):
    with pytest.raises(DomainError, match="today or in the past"):
        open_case(
            actor=worker,
            child=kayden_case.child,
            case_type=CaseType.EARLY_HELP,
            opened_on=timezone.localdate() + timedelta(days=1),
        )


def test_nobody_opens_a_case_in_another_organisation(outsider, kayden_case):
    with pytest.raises(DomainError):
        open_case(
            actor=outsider,
            child=kayden_case.child,
            case_type=CaseType.EARLY_HELP,
            opened_on=timezone.localdate(),
        )


def test_closing_then_reopening_keeps_the_status_history(worker, kayden_case):
    close_case(
        actor=worker, case=kayden_case, closed_on=timezone.localdate(), reason="Plan completed"
    )
    assert kayden_case.status == CaseStatus.CLOSED
    actions = AuditEvent.objects.filter(case_id=kayden_case.id).order_by("-sequence")
    # The status change, then the timeline event it produced, in the same transaction.
    assert [event.action for event in actions[:2]] == [Action.EVENT_RECORDED, Action.CASE_CLOSED]
    reopen_case(actor=worker, case=kayden_case, reason="New referral from school")
    kayden_case.refresh_from_db()
    assert kayden_case.status == CaseStatus.OPEN and kayden_case.closed_on is None
    statuses = list(kayden_case.status_changes.values_list("status", "reason"))
    assert statuses[-2:] == [
        (CaseStatus.CLOSED, "Plan completed"),
        (CaseStatus.OPEN, "New referral from school"),
    ]
    # Issue 4: each status change is a timeline event in the chronology, naming its reason.
    events = list(
        Entry.objects.filter(case=kayden_case, kind=EntryKind.EVENT, status=EntryStatus.FINAL)
        .order_by("sequence")
        .values_list("event_type", "generated_by", "body", "author_id")
    )
    assert events[-2:] == [
        (EventType.CASE_CLOSED, GeneratedBy.CASE_STATUS, "Reason: Plan completed", worker.id),
        (
            EventType.CASE_REOPENED,
            GeneratedBy.CASE_STATUS,
            "Reason: New referral from school",
            worker.id,
        ),
    ]


def test_a_case_cannot_close_before_it_opened(worker, kayden_case):
    with pytest.raises(DomainError, match="on or after"):
        close_case(
            actor=worker,
            case=kayden_case,
            closed_on=kayden_case.opened_on - timedelta(days=1),
            reason="x",
        )


def test_reallocation_is_audited_with_old_and_new_worker(manager, worker, colleague, kayden_case):
    allocate_case(
        actor=manager,
        case=kayden_case,
        team=kayden_case.allocated_team,
        worker=colleague,
        manager=manager,
    )
    event = last_event(kayden_case)
    assert event.action == Action.CASE_REALLOCATED
    assert event.changes == {"allocated_worker": {"old": str(worker.id), "new": str(colleague.id)}}


def test_reallocation_moves_the_case_between_caseloads(manager, worker, colleague, kayden_case):
    allocate_case(
        actor=manager,
        case=kayden_case,
        team=kayden_case.allocated_team,
        worker=colleague,
        manager=manager,
    )
    assert kayden_case in cases_visible_to(colleague)
    assert kayden_case not in cases_visible_to(worker)


def test_a_worker_must_be_in_the_team(manager, kayden_case, other_team_manager):
    early_help = Team.objects.get(name="Early Help Team")
    ben = early_help.members.get(full_name="Ben Carter")
    with pytest.raises(DomainError, match="is not in Children in Need Team North"):
        allocate_case(
            actor=manager,
            case=kayden_case,
            team=kayden_case.allocated_team,
            worker=ben,
            manager=manager,
        )


def test_the_manager_must_manage_the_team(manager, worker, kayden_case, colleague):
    with pytest.raises(DomainError, match="does not manage"):
        allocate_case(
            actor=manager,
            case=kayden_case,
            team=kayden_case.allocated_team,
            worker=worker,
            manager=colleague,
        )


def test_a_team_from_another_council_is_refused(manager, worker, kayden_case):
    eastvale_team = Team.objects.get(name="Assessment Team")
    with pytest.raises(DomainError, match="your organisation"):
        allocate_case(
            actor=manager, case=kayden_case, team=eastvale_team, worker=None, manager=None
        )


def test_deallocation_leaves_the_case_with_its_team(manager, kayden_case):
    deallocate_case(actor=manager, case=kayden_case, reason="Worker on long-term leave")
    kayden_case.refresh_from_db()
    assert kayden_case.allocated_worker is None and kayden_case.allocated_manager is None
    assert kayden_case.allocated_team is not None
    event = last_event(kayden_case)
    assert event.action == Action.CASE_DEALLOCATED
    assert event.detail["reason"] == "Worker on long-term leave"
    # The team manager still sees it, waiting for a worker.
    assert access_case(manager, kayden_case.id) == kayden_case


def test_a_grant_gives_read_access_at_once_and_revoking_removes_it_at_once(
    worker, advocate, kayden_case
):
    assert kayden_case not in cases_visible_to(advocate)
    grant = share(worker, kayden_case, advocate.email, AccessGrant.Kind.ADVOCATE, None)
    assert kayden_case in cases_visible_to(advocate)
    revoke_access(actor=worker, grant=grant)
    assert kayden_case not in cases_visible_to(advocate)
    actions = list(
        AuditEvent.objects.filter(case_id=kayden_case.id).values_list("action", flat=True)
    )
    assert actions[-2:] == [Action.ACCESS_GRANTED, Action.ACCESS_REVOKED]


def test_a_grant_ends_after_its_expiry_date(worker, advocate, kayden_case):
    expiry = timezone.localdate() + timedelta(days=7)
    share(worker, kayden_case, advocate.email, AccessGrant.Kind.ADVOCATE, expiry)
    with time_machine.travel(expiry + timedelta(hours=12), tick=False):
        assert kayden_case in cases_visible_to(advocate)
    with time_machine.travel(expiry + timedelta(days=1, hours=12), tick=False):
        assert kayden_case not in cases_visible_to(advocate)


def test_grants_name_a_person_of_the_right_kind(worker, advocate, parent, kayden_case):
    with pytest.raises(DomainError, match="Caseledger account"):
        grant_access(
            actor=worker,
            case=kayden_case,
            grantee_email="nobody@example.com",
            kind=AccessGrant.Kind.ADVOCATE,
            expires_on=None,
        )
    with pytest.raises(DomainError, match="email address of an advocate"):
        share(worker, kayden_case, parent.email, AccessGrant.Kind.ADVOCATE, None)
    with pytest.raises(DomainError, match="email address of a parent or carer"):
        share(worker, kayden_case, advocate.email, AccessGrant.Kind.FAMILY_MEMBER, None)


def test_a_person_cannot_be_granted_twice(worker, parent, freddie_la_case):
    with pytest.raises(DomainError, match="already has access"):
        share(worker, freddie_la_case, parent.email, AccessGrant.Kind.FAMILY_MEMBER, None)


def test_a_grant_cannot_end_in_the_past(worker, advocate, kayden_case):
    with pytest.raises(DomainError, match="today or in the future"):
        share(
            worker,
            kayden_case,
            advocate.email,
            AccessGrant.Kind.ADVOCATE,
            timezone.localdate() - timedelta(days=1),
        )


def test_case_history_names_people_not_identifiers(client_for, manager, colleague, kayden_case):
    allocate_case(
        actor=manager,
        case=kayden_case,
        team=kayden_case.allocated_team,
        worker=colleague,
        manager=manager,
    )
    deallocate_case(actor=manager, case=kayden_case, reason="Lewis is on leave")
    body = client_for(manager).get(f"/cases/{kayden_case.id}/").content.decode()
    assert "Worker: Amira Khan → Lewis Grant" in body
    assert "Worker: Lewis Grant → none" in body
    assert "Reason: Lewis is on leave" in body
    assert str(colleague.id) not in body


def test_services_refuse_people_without_the_right_even_when_no_view_checked(
    colleague, advocate, teacher, outsider, parent, kayden_case, freddie_la_case
):
    from caseledger.domain.errors import NotPermittedError
    from caseledger.people.services import update_child

    today = timezone.localdate()
    attempts = [
        lambda: close_case(actor=colleague, case=kayden_case, closed_on=today, reason="x"),
        lambda: allocate_case(
            actor=colleague,
            case=kayden_case,
            team=kayden_case.allocated_team,
            worker=None,
            manager=None,
        ),
        lambda: deallocate_case(actor=outsider, case=kayden_case, reason="x"),
        # A grant is read-only: Jo can see Freddie's council case but not change it.
        lambda: close_case(actor=parent, case=freddie_la_case, closed_on=today, reason="x"),
        lambda: share(advocate, kayden_case, parent.email, AccessGrant.Kind.FAMILY_MEMBER, None),
        lambda: update_child(
            actor=parent, child=freddie_la_case.child, fields={"preferred_name": "F"}
        ),
        lambda: open_case(
            actor=teacher, child=kayden_case.child, case_type=CaseType.EARLY_HELP, opened_on=today
        ),
    ]
    before = AuditEvent.objects.count()
    for attempt in attempts:
        with pytest.raises(NotPermittedError):
            attempt()
    assert AuditEvent.objects.count() == before
    kayden_case.refresh_from_db()
    assert kayden_case.is_open


def test_opening_a_case_on_a_child_you_cannot_work_with_is_refused(worker):
    from caseledger.cases.models import Case
    from caseledger.domain.errors import NotPermittedError

    zara = Case.objects.get(child__first_names="Zara", child__last_name="Ahmed").child  # Ben's case
    with pytest.raises(NotPermittedError):
        open_case(
            actor=worker, child=zara, case_type=CaseType.EARLY_HELP, opened_on=timezone.localdate()
        )


def test_a_case_cannot_close_before_its_last_status_change(worker, kayden_case):
    today = timezone.localdate()
    close_case(actor=worker, case=kayden_case, closed_on=today, reason="Done")
    reopen_case(actor=worker, case=kayden_case, reason="New referral")
    with pytest.raises(DomainError, match="when its status last changed"):
        close_case(actor=worker, case=kayden_case, closed_on=today - timedelta(days=30), reason="x")
