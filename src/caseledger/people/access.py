"""Who may see and change a child's record: anyone who may see (or work on) one of their cases.

Organisation admins see every child their organisation holds. Siblings and other lists are
always filtered through `children_visible_to`, so a child page never names a child the
reader could not open.
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from caseledger.accounts.models import User
from caseledger.cases.access import cases_visible_to, cases_workable_by
from caseledger.people.models import Child


def children_visible_to(user: User) -> QuerySet[Child]:
    if not user.is_authenticated or not user.is_active:
        return Child.objects.none()
    condition = Q(id__in=cases_visible_to(user).values("child_id"))
    if user.organisation_id is not None and user.is_organisation_admin:
        condition |= Q(organisation_id=user.organisation_id)
    return Child.objects.filter(condition)


def children_workable_by(user: User) -> QuerySet[Child]:
    if not user.is_authenticated or not user.is_active:
        return Child.objects.none()
    condition = Q(id__in=cases_workable_by(user).values("child_id"))
    if user.organisation_id is not None and user.is_organisation_admin:
        condition |= Q(organisation_id=user.organisation_id)
    return Child.objects.filter(condition)


def access_child(user: User, child_id: UUID) -> Child:
    child = (
        children_visible_to(user)
        .select_related("household", "organisation")
        .filter(id=child_id)
        .first()
    )
    if child is None:
        raise Http404
    return child


def access_child_for_work(user: User, child_id: UUID) -> Child:
    child = children_workable_by(user).filter(id=child_id).first()
    if child is None:
        raise Http404
    return child
