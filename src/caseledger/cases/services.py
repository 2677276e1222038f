"""Every change to a case: open, close, reopen, allocate, deallocate, grant and revoke access
(one case at a time, or a family's grant to an advocate across its children).

Each function takes the acting user, runs in one transaction and writes its audit event in
that transaction. Access has already been checked by the caller (`access.py`); these
functions check the rules of the change itself and raise `DomainError` when one is broken.
"""

from __future__ import annotations

from datetime import date, datetime, time
from uuid import UUID

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from caseledger.accounts.models import Organisation, Team, TeamMembership, User
from caseledger.audit.models import Action
from caseledger.audit.services import changes_between, record_event, snapshot
from caseledger.cases.access import can_allocate_case, can_work_on_case, cases_workable_by
from caseledger.cases.models import (
    AccessGrant,
    Case,
    CaseStatus,
    CaseStatusChange,
    CaseType,
    FamilyGrant,
)
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.ledger.interactions import record_automatic_event
from caseledger.ledger.models import EventType, GeneratedBy
from caseledger.people.models import Child

# Which kinds of organisation hold which kinds of case.
CASE_TYPES_BY_ORGANISATION: dict[str, list[CaseType]] = {
    Organisation.Kind.LOCAL_AUTHORITY: [
        CaseType.EARLY_HELP,
        CaseType.CHILD_IN_NEED,
        CaseType.CHILD_PROTECTION,
        CaseType.LOOKED_AFTER,
    ],
    Organisation.Kind.SCHOOL: [CaseType.SEN_SUPPORT],
    Organisation.Kind.FAMILY: [CaseType.EHCP_TRACKING],
    Organisation.Kind.ADVOCACY: [],
}

ALLOCATION_FIELDS = ("allocated_team", "allocated_worker", "allocated_manager")

# Roles that open cases; a teacher works the SENCO's cases but does not open new ones, and an
# advocate only ever sees what a family shares.
ROLES_THAT_OPEN_CASES = frozenset(
    {
        User.Role.SOCIAL_WORKER,
        User.Role.EARLY_HELP_WORKER,
        User.Role.TEAM_MANAGER,
        User.Role.ORGANISATION_ADMIN,
        User.Role.SENCO,
        User.Role.PARENT,
    }
)


def _require_work(actor: User, case: Case) -> None:
    if not can_work_on_case(actor, case):
        raise NotPermittedError


def _require_allocation_right(actor: User, case: Case) -> None:
    if not can_allocate_case(actor, case):
        raise NotPermittedError


def _next_reference(organisation: Organisation) -> str:
    # The UPDATE takes the row lock (PostgreSQL) or the write lock (SQLite IMMEDIATE), so two
    # cases opened at once never share a number.
    Organisation.objects.filter(pk=organisation.pk).update(case_sequence=F("case_sequence") + 1)
    number = Organisation.objects.values_list("case_sequence", flat=True).get(pk=organisation.pk)
    return f"{organisation.reference_prefix}-{number:06d}"


def _default_allocation(actor: User) -> tuple[Team | None, User | None, User | None]:
    """A practitioner who opens a case holds it; their team (and its manager) take it too."""
    membership = (
        TeamMembership.objects.filter(user=actor)
        .select_related("team")
        .order_by("team__name")
        .first()
    )
    if membership is None:
        return None, None, None
    team = membership.team
    manager_membership = (
        TeamMembership.objects.filter(team=team, is_manager=True)
        .select_related("user")
        .order_by("user__full_name")
        .first()
    )
    manager = manager_membership.user if manager_membership else None
    if membership.is_manager:
        # A manager who opens a case holds it for the team until they allocate a worker.
        return team, None, actor
    return team, actor, manager


def open_case(*, actor: User, child: Child, case_type: str, opened_on: date) -> Case:
    """Open a case on a child in the actor's organisation, allocated to the actor's team."""
    organisation = child.organisation
    if actor.organisation_id != organisation.pk or actor.role not in ROLES_THAT_OPEN_CASES:
        raise NotPermittedError
    # A new child's first case is opened by create_child in the same transaction; any other
    # child must already be one the actor works with, or opening a case would grant access.
    has_cases = child.cases.exists()
    if (
        has_cases
        and not cases_workable_by(actor).filter(child=child).exists()
        and not (actor.is_organisation_admin)
    ):
        raise NotPermittedError
    if case_type not in CASE_TYPES_BY_ORGANISATION[organisation.kind]:
        raise DomainError("Select a type of case your organisation holds", field="case_type")
    if opened_on > timezone.localdate():
        raise DomainError(
            "The date the case opened must be today or in the past", field="opened_on"
        )
    if opened_on < child.date_of_birth:
        raise DomainError(
            "The date the case opened must be on or after the child's date of birth",
            field="opened_on",
        )
    with transaction.atomic():
        team, worker, manager = (
            _default_allocation(actor) if organisation.uses_teams else (None, None, None)
        )
        case = Case.objects.create(
            organisation=organisation,
            child=child,
            case_type=case_type,
            reference=_next_reference(organisation),
            opened_on=opened_on,
            allocated_team=team,
            allocated_worker=worker,
            allocated_manager=manager,
            allocated_at=timezone.now() if team else None,
        )
        CaseStatusChange.objects.create(
            case=case, status=CaseStatus.OPEN, effective_on=opened_on, changed_by=actor
        )
        record_event(
            actor=actor,
            action=Action.CASE_OPENED,
            obj=case,
            organisation=organisation,
            case_id=case.id,
            detail={
                "reference": case.reference,
                "case_type": case_type,
                "opened_on": opened_on.isoformat(),
                **{"allocation": snapshot(case, ALLOCATION_FIELDS)},
            },
        )
    return case


def _locked(case: Case) -> Case:
    """The case row re-read under a lock, so two people acting at once cannot both pass a
    check (PostgreSQL row lock; SQLite's IMMEDIATE transaction already holds the write lock)."""
    return Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)


def close_case(*, actor: User, case: Case, closed_on: date, reason: str) -> Case:
    _require_work(actor, case)
    with transaction.atomic():
        _close_locked(actor=actor, case=_locked(case), closed_on=closed_on, reason=reason)
    case.refresh_from_db(fields=["status", "closed_on"])
    return case


def _close_locked(*, actor: User, case: Case, closed_on: date, reason: str) -> Case:
    if not case.is_open:
        raise DomainError("This case is already closed")
    if closed_on > timezone.localdate():
        raise DomainError(
            "The date the case closed must be today or in the past", field="closed_on"
        )
    if closed_on < case.opened_on:
        raise DomainError(
            "The date the case closed must be on or after the date it opened", field="closed_on"
        )
    last_change = (
        case.status_changes.order_by("-effective_on").values_list("effective_on", flat=True).first()
    )
    if last_change is not None and closed_on < last_change:
        raise DomainError(
            f"The date the case closed must be on or after {last_change:%-d %B %Y}, "
            "when its status last changed",
            field="closed_on",
        )
    with transaction.atomic():
        case.status = CaseStatus.CLOSED
        case.closed_on = closed_on
        case.save(update_fields=["status", "closed_on"])
        CaseStatusChange.objects.create(
            case=case,
            status=CaseStatus.CLOSED,
            effective_on=closed_on,
            reason=reason,
            changed_by=actor,
        )
        record_event(
            actor=actor,
            action=Action.CASE_CLOSED,
            obj=case,
            organisation=case.organisation,
            case_id=case.id,
            changes={"status": {"old": "open", "new": "closed"}},
            detail={"closed_on": closed_on.isoformat(), "reason": reason},
        )
        _status_event(actor, case, EventType.CASE_CLOSED, closed_on, reason)
    return case


def _status_event(
    actor: User, case: Case, event_type: str, effective_on: date, reason: str
) -> None:
    """Issue 4: a status change puts a timeline event in the case's chronology."""
    now = timezone.now()
    moment = (
        now
        if effective_on >= timezone.localdate(now)
        else timezone.make_aware(datetime.combine(effective_on, time.min))
    )
    record_automatic_event(
        actor=actor,
        case=case,
        event_type=event_type,
        generated_by=GeneratedBy.CASE_STATUS,
        details=f"Reason: {reason}" if reason else "",
        occurred_at=moment,
    )


def reopen_case(*, actor: User, case: Case, reason: str) -> Case:
    _require_work(actor, case)
    with transaction.atomic():
        locked = _locked(case)
        if locked.is_open:
            raise DomainError("This case is already open")
        locked.status = CaseStatus.OPEN
        locked.closed_on = None
        locked.save(update_fields=["status", "closed_on"])
        CaseStatusChange.objects.create(
            case=locked,
            status=CaseStatus.OPEN,
            effective_on=timezone.localdate(),
            reason=reason,
            changed_by=actor,
        )
        record_event(
            actor=actor,
            action=Action.CASE_REOPENED,
            obj=locked,
            organisation=locked.organisation,
            case_id=locked.id,
            changes={"status": {"old": "closed", "new": "open"}},
            detail={"reason": reason},
        )
        _status_event(actor, locked, EventType.CASE_REOPENED, timezone.localdate(), reason)
    case.refresh_from_db(fields=["status", "closed_on"])
    return case


def allocate_case(
    *, actor: User, case: Case, team: Team, worker: User | None, manager: User | None
) -> Case:
    """Allocate (or reallocate) a case to a team, a worker in it and a manager of it."""
    _require_allocation_right(actor, case)
    if team.organisation_id != case.organisation_id:
        raise DomainError("Select a team in your organisation", field="team")
    members = {
        membership.user_id: membership
        for membership in TeamMembership.objects.filter(team=team).select_related("user")
    }
    if worker is not None and (worker.id not in members or not worker.is_active):
        raise DomainError(f"{worker.full_name} is not in {team.name}", field="worker")
    if manager is not None and (
        manager.id not in members or not members[manager.id].is_manager or not manager.is_active
    ):
        raise DomainError(f"{manager.full_name} does not manage {team.name}", field="manager")
    before = snapshot(case, ALLOCATION_FIELDS)
    had_allocation = case.allocated_worker_id is not None or case.allocated_team_id is not None
    with transaction.atomic():
        case.allocated_team = team
        case.allocated_worker = worker
        case.allocated_manager = manager
        case.allocated_at = timezone.now()
        after = snapshot(case, ALLOCATION_FIELDS)
        changes = changes_between(before, after, ALLOCATION_FIELDS)
        if not changes:
            raise DomainError("The case is already allocated to this team, worker and manager")
        case.save(update_fields=[*ALLOCATION_FIELDS, "allocated_at"])
        record_event(
            actor=actor,
            action=Action.CASE_REALLOCATED if had_allocation else Action.CASE_ALLOCATED,
            obj=case,
            organisation=case.organisation,
            case_id=case.id,
            changes=changes,
        )
    return case


def deallocate_case(*, actor: User, case: Case, reason: str) -> Case:
    """Take the worker and manager off a case; it stays with its team, unallocated."""
    _require_allocation_right(actor, case)
    if case.allocated_worker_id is None and case.allocated_manager_id is None:
        raise DomainError("This case has no worker or manager to remove")
    before = snapshot(case, ALLOCATION_FIELDS)
    with transaction.atomic():
        case.allocated_worker = None
        case.allocated_manager = None
        case.allocated_at = timezone.now()
        case.save(update_fields=["allocated_worker", "allocated_manager", "allocated_at"])
        record_event(
            actor=actor,
            action=Action.CASE_DEALLOCATED,
            obj=case,
            organisation=case.organisation,
            case_id=case.id,
            changes=changes_between(before, snapshot(case, ALLOCATION_FIELDS), ALLOCATION_FIELDS),
            detail={"reason": reason},
        )
    return case


def grant_access(
    *, actor: User, case: Case, grantee_email: str, kind: str, expires_on: date | None
) -> AccessGrant:
    """Give a family member or an advocate read-only access to one case (PRODUCT.md)."""
    _require_work(actor, case)
    expected_role = (
        User.Role.PARENT if kind == AccessGrant.Kind.FAMILY_MEMBER else User.Role.ADVOCATE
    )
    grantee = User.objects.filter(
        email__iexact=grantee_email.strip(), is_active=True, role=expected_role
    ).first()
    if grantee is None or grantee.organisation_id == case.organisation_id:
        # One message whatever the reason, so the form cannot be used to find out who has an
        # account, what their role is or where they work.
        noun = "a parent or carer" if expected_role == User.Role.PARENT else "an advocate"
        raise DomainError(
            f"Enter the email address of {noun} who has a Caseledger account "
            "outside your organisation",
            field="email",
        )
    if expires_on is not None and expires_on < timezone.localdate():
        raise DomainError("The date access ends must be today or in the future", field="expires_on")
    with transaction.atomic():
        # Lock the case so two grants for the same person cannot both pass the check below.
        case = _locked(case)
        if any(
            grant.is_live()
            for grant in case.grants.filter(grantee=grantee, revoked_at__isnull=True)
        ):
            raise DomainError("That person already has access to this case", field="email")
        grant = AccessGrant.objects.create(
            case=case, grantee=grantee, kind=kind, granted_by=actor, expires_on=expires_on
        )
        record_event(
            actor=actor,
            action=Action.ACCESS_GRANTED,
            obj=grant,
            organisation=case.organisation,
            case_id=case.id,
            detail={
                "grantee": str(grantee.id),
                "kind": kind,
                "expires_on": expires_on.isoformat() if expires_on else None,
            },
        )
    return grant


def revoke_access(*, actor: User, grant: AccessGrant) -> AccessGrant:
    """Revoke at once: the next request the grantee makes is refused (ASVS 8.3.2)."""
    _require_work(actor, grant.case)
    with transaction.atomic():
        grant = (
            AccessGrant.objects.select_for_update()
            .select_related("case__organisation")
            .get(pk=grant.pk)
        )
        if grant.revoked_at is not None:
            raise DomainError("This access has already been revoked")
        grant.revoked_at = timezone.now()
        grant.revoked_by = actor
        grant.save(update_fields=["revoked_at", "revoked_by"])
        record_event(
            actor=actor,
            action=Action.ACCESS_REVOKED,
            obj=grant,
            organisation=grant.case.organisation,
            case_id=grant.case_id,
            detail={"grantee": str(grant.grantee_id)},
        )
    return grant


# --- A family's grants to an advocate (issue 7) -----------------------------------------------


def _require_family_member(actor: User, organisation_id: UUID) -> None:
    """Only the family itself decides who sees its children's records."""
    if not actor.is_family_member or actor.organisation_id != organisation_id:
        raise NotPermittedError


def grant_family_access(
    *,
    actor: User,
    organisation: Organisation,
    grantee_email: str,
    child: Child | None,
    expires_on: date | None,
) -> FamilyGrant:
    """A family gives an advocate read-only access to one child's cases, or to every child's,
    now and later (`child` empty). PRODUCT.md: "Advocates see what the family grants,
    read-only, revocable at once"; "nothing crosses between organisations except by an
    explicit, audited, revocable grant"."""
    _require_family_member(actor, organisation.pk)
    grantee = User.objects.filter(
        email__iexact=grantee_email.strip(), is_active=True, role=User.Role.ADVOCATE
    ).first()
    if grantee is None or grantee.organisation_id == organisation.pk:
        # One message whatever the reason, as for a grant on one case: the form must not tell
        # anyone who has an account, what their role is or where they work.
        raise DomainError(
            "Enter the email address of an advocate who has a Caseledger account "
            "outside your family",
            field="email",
        )
    if child is not None and child.organisation_id != organisation.pk:
        raise DomainError("Select one of your children, or all children", field="child")
    if expires_on is not None and expires_on < timezone.localdate():
        raise DomainError("The date access ends must be today or in the future", field="expires_on")
    with transaction.atomic():
        # Lock the family's row so two grants for the same advocate cannot both pass the
        # checks below (PostgreSQL row lock; SQLite's IMMEDIATE transaction holds the write lock).
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        live = [
            grant
            for grant in FamilyGrant.objects.filter(
                organisation=organisation, grantee=grantee, revoked_at__isnull=True
            )
            if grant.is_live()
        ]
        if any(grant.child_id is None for grant in live):
            if child is None:
                raise DomainError(
                    "That advocate can already see all your children's records", field="email"
                )
            raise DomainError(
                "That advocate can already see all your children's records, including "
                f"{child.display_name}'s, so there is no need to share them again",
                field="child",
            )
        if child is not None and any(grant.child_id == child.pk for grant in live):
            raise DomainError(
                f"That advocate can already see {child.display_name}'s records", field="child"
            )
        grant = FamilyGrant.objects.create(
            organisation=organisation,
            child=child,
            grantee=grantee,
            granted_by=actor,
            expires_on=expires_on,
        )
        record_event(
            actor=actor,
            action=Action.FAMILY_GRANT_GIVEN,
            obj=grant,
            organisation=organisation,
            detail={
                "grantee": str(grantee.id),
                "child": str(child.id) if child is not None else None,
                "expires_on": expires_on.isoformat() if expires_on else None,
            },
        )
    return grant


def revoke_family_access(*, actor: User, grant: FamilyGrant) -> FamilyGrant:
    """Revoke at once: the advocate's next request is refused (ASVS 8.3.2)."""
    _require_family_member(actor, grant.organisation_id)
    with transaction.atomic():
        grant = (
            FamilyGrant.objects.select_for_update().select_related("organisation").get(pk=grant.pk)
        )
        if grant.revoked_at is not None:
            raise DomainError("This access has already been revoked")
        grant.revoked_at = timezone.now()
        grant.revoked_by = actor
        grant.save(update_fields=["revoked_at", "revoked_by"])
        record_event(
            actor=actor,
            action=Action.FAMILY_GRANT_REVOKED,
            obj=grant,
            organisation=grant.organisation,
            detail={
                "grantee": str(grant.grantee_id),
                "child": str(grant.child_id) if grant.child_id is not None else None,
            },
        )
    return grant


def record_sharing_viewed(*, actor: User, organisation: Organisation) -> None:
    """A family's look at who outside it has viewed its records is itself a read of the audit
    trail, logged as "who viewed this record" is on one case (ASVS 16.3.2). It is about no
    one case, so it names none, and no case's own list of viewers is filled with it."""
    _require_family_member(actor, organisation.pk)
    with transaction.atomic():
        record_event(
            actor=actor,
            action=Action.VIEWERS_VIEWED,
            organisation=organisation,
            detail={"scope": "family"},
        )
