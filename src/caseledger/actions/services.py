"""Every change to a next action: add, change, mark done, cancel. Audited with old and new values.

The issue's rule: deadlines are impossible to miss and impossible to fudge, so a change of due
date is recorded with both dates, and nothing is deleted: an action no longer needed is
cancelled with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from caseledger.accounts.models import User
from caseledger.actions.models import ActionStatus, NextAction, Party, Priority
from caseledger.audit.models import Action
from caseledger.audit.services import changes_between, record_event, snapshot
from caseledger.cases.access import can_work_on_case
from caseledger.cases.models import Case
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.domain.statutory_clock import RULES_BY_ID

FIELDS = (
    "description",
    "responsible_user",
    "responsible_party",
    "due_on",
    "priority",
    "statutory_rule",
)


@dataclass(frozen=True)
class ActionDetails:
    description: str
    due_on: date
    responsible_user: User | None = None
    responsible_party: str = ""
    priority: str = Priority.ROUTINE
    statutory_rule: str = ""


def _check(case: Case, details: ActionDetails) -> None:
    if not details.description.strip():
        raise DomainError("Enter what must happen", field="description")
    if (details.responsible_user is None) == (not details.responsible_party):
        raise DomainError("Select who is responsible", field="responsible")
    if details.responsible_user is not None and (
        details.responsible_user.organisation_id != case.organisation_id
        or not details.responsible_user.is_active
    ):
        raise DomainError("Select who is responsible", field="responsible")
    if details.responsible_party and details.responsible_party not in Party.values:
        raise DomainError("Select who is responsible", field="responsible")
    if details.priority not in Priority.values:
        raise DomainError("Select how urgent this is", field="priority")
    if details.statutory_rule and details.statutory_rule not in RULES_BY_ID:
        raise DomainError("Select a statutory basis from the list", field="statutory_rule")


def _apply(action: NextAction, details: ActionDetails) -> None:
    action.description = details.description.strip()
    action.due_on = details.due_on
    action.responsible_user = details.responsible_user
    action.responsible_party = details.responsible_party
    action.priority = details.priority
    action.statutory_rule = details.statutory_rule


@transaction.atomic
def add_action(*, actor: User, case: Case, details: ActionDetails) -> NextAction:
    """Record what must happen next on a case, who is responsible and by when."""
    if not can_work_on_case(actor, case):
        raise NotPermittedError
    _check(case, details)
    action = NextAction(case=case, created_by=actor)
    _apply(action, details)
    action.save(force_insert=True)
    record_event(
        actor=actor,
        action=Action.ACTION_ADDED,
        obj=action,
        organisation=case.organisation,
        case_id=case.id,
        changes=changes_between({}, snapshot(action, FIELDS), FIELDS),
    )
    return action


def _locked(actor: User, action: NextAction) -> NextAction:
    current = (
        NextAction.objects.select_for_update(of=("self",))
        .select_related("case", "case__organisation", "responsible_user")
        .get(pk=action.pk)
    )
    if not can_work_on_case(actor, current.case):
        raise NotPermittedError
    if not current.is_open:
        raise DomainError("This action has already been closed")
    return current


@transaction.atomic
def change_action(*, actor: User, action: NextAction, details: ActionDetails) -> NextAction:
    """Change an open action; the audit event keeps each old and new value (a moved due date
    is never silent)."""
    action = _locked(actor, action)
    _check(action.case, details)
    before = snapshot(action, FIELDS)
    _apply(action, details)
    changes = changes_between(before, snapshot(action, FIELDS), FIELDS)
    if not changes:
        return action
    action.save()
    record_event(
        actor=actor,
        action=Action.ACTION_CHANGED,
        obj=action,
        organisation=action.case.organisation,
        case_id=action.case_id,
        changes=changes,
    )
    return action


@transaction.atomic
def complete_action(*, actor: User, action: NextAction, done_on: date) -> NextAction:
    action = _locked(actor, action)
    action.status = ActionStatus.DONE
    action.done_on = done_on
    action.save()
    record_event(
        actor=actor,
        action=Action.ACTION_DONE,
        obj=action,
        organisation=action.case.organisation,
        case_id=action.case_id,
        detail={"done_on": done_on.isoformat(), "due_on": action.due_on.isoformat()},
    )
    return action


@transaction.atomic
def cancel_action(*, actor: User, action: NextAction, reason: str) -> NextAction:
    action = _locked(actor, action)
    if not reason.strip():
        raise DomainError("Enter why the action is no longer needed", field="reason")
    action.status = ActionStatus.CANCELLED
    action.cancelled_reason = reason.strip()
    action.save()
    record_event(
        actor=actor,
        action=Action.ACTION_CANCELLED,
        obj=action,
        organisation=action.case.organisation,
        case_id=action.case_id,
        detail={"reason": action.cancelled_reason},
    )
    return action
