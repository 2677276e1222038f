"""Who sees and changes next actions: whoever sees, or works on, the case they belong to."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.actions.models import ActionStatus, NextAction
from caseledger.cases.access import can_work_on_case, cases_visible_to, cases_workable_by


def access_action_for_work(user: User, action_id: UUID) -> NextAction:
    """An open action on a case the user works on; otherwise 404."""
    action = (
        NextAction.objects.filter(id=action_id, case__in=cases_visible_to(user))
        .select_related("case", "case__child", "case__organisation", "responsible_user")
        .first()
    )
    if action is None or not can_work_on_case(user, action.case) or not action.is_open:
        raise Http404
    return action


def followed_up_by(user: User) -> Q:
    """The actions a person follows up: those they are responsible for, and those they added
    for a party (the local authority, the school, a professional …) to do. A parent chasing
    the council's promised decision, or a worker chasing a school's report, is the one to be
    reminded: a party has no inbox here."""
    return Q(responsible_user=user) | Q(responsible_user__isnull=True, created_by=user)


def my_open_actions(user: User) -> QuerySet[NextAction]:
    """Open actions the user follows up, on cases they still work on, soonest first."""
    return (
        NextAction.objects.filter(
            followed_up_by(user),
            status=ActionStatus.OPEN,
            case__in=cases_workable_by(user),
        )
        .select_related("case", "case__child")
        .order_by("due_on", "id")
    )


def overdue_actions_for(user: User) -> QuerySet[NextAction]:
    """Open actions past their due date on the cases the user works on: for a team manager,
    the team's cases; for an organisation admin, the organisation's; oldest first."""
    return (
        NextAction.objects.filter(
            status=ActionStatus.OPEN,
            due_on__lt=timezone.localdate(),
            case__in=cases_workable_by(user),
        )
        .select_related("case", "case__child", "responsible_user")
        .order_by("due_on", "id")
    )
