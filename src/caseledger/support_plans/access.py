"""Who sees and keeps a pupil's SEN support plan (issue 8).

- A plan that is not confidential: the staff who see the pupil (`pupils_seen_by_staff`: the
  SENCO, head and admins every pupil, a teacher the pupils in their classes).
- A confidential plan: the school's SENCO and the staff named on it, no one else — not other
  teachers, not the head or an admin unless named ("only the SENCO and named staff see
  confidential plans").
- A parent the school shares the pupil's records with (a live `ParentAccess`) sees the plan,
  confidential or not, in plain language, and adds their views to a review (Code of Practice
  6.64–6.71: parents are involved in planning and reviewing SEN support).
- The SENCO and admins keep (write) the plans they see.

Anyone else gets a 404, whether or not the plan or the pupil exists. `plans_visible_to` is
the single definition every page is built on.
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from caseledger.accounts.models import User
from caseledger.people.models import Child
from caseledger.sen.access import (
    access_pupil,
    is_parent_viewer,
    keeps_sen_register,
    pupils_seen_by_staff,
    pupils_shared_with_parent,
    reads_sen_register,
)
from caseledger.support_plans.models import PlanCycle, SupportPlan


def _is_senco(user: User) -> bool:
    return reads_sen_register(user) and user.role == User.Role.SENCO


def plans_visible_to(user: User) -> QuerySet[SupportPlan]:
    """The plans the user may read: as staff by the rules above, or as a parent."""
    if reads_sen_register(user):
        plans = SupportPlan.objects.filter(organisation=user.organisation)
        if _is_senco(user):
            return plans
        named = SupportPlan.named_staff.through.objects.filter(user=user).values("supportplan_id")
        return plans.filter(
            Q(confidential=False, child__in=pupils_seen_by_staff(user)) | Q(pk__in=named)
        )
    if is_parent_viewer(user):
        return SupportPlan.objects.filter(child__in=pupils_shared_with_parent(user))
    return SupportPlan.objects.none()


def cycles_visible_to(user: User) -> QuerySet[PlanCycle]:
    return PlanCycle.objects.filter(plan__in=plans_visible_to(user))


def may_keep(user: User) -> bool:
    return keeps_sen_register(user)


def access_plan_page(user: User, child_id: UUID) -> tuple[Child, SupportPlan | None]:
    """The pupil and their plan, if the user may see them. A member of staff named on a
    plan sees it even if the pupil is not in their classes; staff who see the pupil may see
    that there is no plan yet; a plan they may not see (confidential) is a 404."""
    plan = (
        plans_visible_to(user)
        .select_related("organisation", "child", "child__organisation")
        .filter(child_id=child_id)
        .first()
    )
    if plan is not None:
        return plan.child, plan
    child = access_pupil(user, child_id)
    if SupportPlan.objects.filter(child=child).exists():
        raise Http404  # there is a plan, and it is not theirs to see
    return child, None


def access_plan(user: User, child_id: UUID) -> SupportPlan:
    """The pupil's plan, if there is one and the user may read it; otherwise 404."""
    _child, plan = access_plan_page(user, child_id)
    if plan is None:
        raise Http404
    return plan


def access_plan_as_staff(user: User, child_id: UUID) -> SupportPlan:
    if not reads_sen_register(user):
        raise Http404
    return access_plan(user, child_id)


def access_plan_to_change(user: User, child_id: UUID) -> SupportPlan:
    """The plan, for the SENCO and admins who see it; otherwise 404."""
    if not may_keep(user):
        raise Http404
    return access_plan(user, child_id)


def access_pupil_to_start_plan(user: User, child_id: UUID) -> Child:
    """A pupil of the keeper's school who has no plan yet; otherwise 404."""
    if not may_keep(user):
        raise Http404
    child, plan = access_plan_page(user, child_id)
    if plan is not None:
        raise Http404
    return child


def access_plan_as_parent(user: User, child_id: UUID) -> SupportPlan:
    """The plan of a pupil shared with this parent; anyone else 404."""
    if not is_parent_viewer(user):
        raise Http404
    return access_plan(user, child_id)
