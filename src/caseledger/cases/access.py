"""Who may see and work on a case. Relationship-based: nothing here is a role alone.

A user sees a case only if they are allocated to it (worker or manager), manage the team it
is allocated to, are an admin of the organisation that owns it, are a member of the family
that owns it, or hold a live access grant. Everyone else gets a 404, on every path.
`cases_visible_to` is the single definition; `access_case` and every list, count and search
are built on it, so the page and the list can never disagree.
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.cases.models import AccessGrant, Case, FamilyGrant


def live_grants_for(user: User) -> QuerySet[AccessGrant]:
    today = timezone.localdate()
    return AccessGrant.objects.filter(grantee=user, revoked_at__isnull=True).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )


def live_family_grants_for(user: User) -> QuerySet[FamilyGrant]:
    today = timezone.localdate()
    return FamilyGrant.objects.filter(grantee=user, revoked_at__isnull=True).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )


def granted_to(user: User) -> Q:
    """Cases a live grant shows the user: one case (AccessGrant), or a family's cases for one
    child or for all its children (FamilyGrant, issue 7)."""
    family = live_family_grants_for(user)
    return (
        Q(id__in=live_grants_for(user).values("case_id"))
        | Q(organisation_id__in=family.filter(child__isnull=True).values("organisation_id"))
        | Q(child_id__in=family.filter(child__isnull=False).values("child_id"))
    )


def _working_access(user: User) -> Q | None:
    """Cases the user works on in their own organisation (not through a grant)."""
    if user.organisation_id is None:
        return None
    own = Q(organisation_id=user.organisation_id)
    if user.is_organisation_admin or user.is_family_member:
        return own
    mine = Q(allocated_worker=user) | Q(allocated_manager=user)
    if user.managed_team_ids:
        mine |= Q(allocated_team_id__in=user.managed_team_ids)
    return own & mine


def cases_workable_by(user: User) -> QuerySet[Case]:
    """Cases the user may change: their own organisation's work, never a read-only grant."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    condition = _working_access(user)
    return Case.objects.filter(condition) if condition is not None else Case.objects.none()


def cases_visible_to(user: User) -> QuerySet[Case]:
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    condition = granted_to(user)
    working = _working_access(user)
    if working is not None:
        condition |= working
    return Case.objects.filter(condition)


def access_case(user: User, case_id: UUID) -> Case:
    """The case if the user may see it; otherwise 404, whether or not it exists."""
    case = (
        cases_visible_to(user)
        .select_related(
            "child", "organisation", "allocated_team", "allocated_worker", "allocated_manager"
        )
        .filter(id=case_id)
        .first()
    )
    if case is None:
        raise Http404
    return case


def access_case_for_work(user: User, case_id: UUID) -> Case:
    """The case if the user may change it; a grantee gets the same 404 as a stranger."""
    case = access_case(user, case_id)
    if not can_work_on_case(user, case):
        raise Http404
    return case


def can_work_on_case(user: User, case: Case) -> bool:
    if not user.is_authenticated or case.organisation_id != user.organisation_id:
        return False
    if user.is_organisation_admin or user.is_family_member:
        return True
    return (
        case.allocated_worker_id == user.id
        or case.allocated_manager_id == user.id
        or (case.allocated_team_id is not None and case.allocated_team_id in user.managed_team_ids)
    )


def can_allocate_case(user: User, case: Case) -> bool:
    """Team managers allocate their team's work; organisation admins allocate any of it."""
    if not user.is_authenticated or case.organisation_id != user.organisation_id:
        return False
    if not case.organisation.uses_teams:
        return False
    if user.is_organisation_admin:
        return True
    return case.allocated_team_id is not None and case.allocated_team_id in user.managed_team_ids
