"""Every change to a next action: add, change, mark done, cancel. Audited with old and new values.

The issue's rule: deadlines are impossible to miss and impossible to fudge, so a change of due
date is recorded with both dates, and nothing is deleted: an action no longer needed is
cancelled with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.actions.clocks import deadline_met_wording
from caseledger.actions.models import ActionStatus, NextAction, Party, Priority
from caseledger.audit.models import Action
from caseledger.audit.services import changes_between, record_event, snapshot
from caseledger.cases.access import can_work_on_case
from caseledger.cases.models import Case
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.domain.statutory_clock import RULES_BY_ID
from caseledger.ledger.interactions import record_automatic_event
from caseledger.ledger.models import Entry, EventType, GeneratedBy

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
def add_action(
    *, actor: User, case: Case, details: ActionDetails, source_entry: Entry | None = None
) -> NextAction:
    """Record what must happen next on a case, who is responsible and by when (and, for a
    promise made in an interaction, where it was promised)."""
    if not can_work_on_case(actor, case):
        raise NotPermittedError
    _check(case, details)
    action = NextAction(case=case, created_by=actor, source_entry=source_entry)
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
    if action.is_statutory_clock:
        # Issue 4: a statutory date is never moved silently. It moves when the event it runs
        # from is corrected, or by a recorded lawful exception; the database refuses the rest.
        if details.due_on != action.due_on:
            raise DomainError(
                "You cannot change a statutory due date. Record a lawful exception, or "
                "correct the date of the event it runs from",
                field="due_on",
            )
        if details.statutory_rule != action.statutory_rule:
            raise DomainError(
                "You cannot change the statutory basis of a statutory deadline",
                field="statutory_rule",
            )
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
    if done_on > timezone.localdate():
        raise DomainError("The date it was done must be today or in the past", field="done_on")
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
    if action.is_statutory_clock:
        # Issue 4: a statutory milestone reached goes on the case's timeline.
        title, body = deadline_met_wording(action)
        record_automatic_event(
            actor=actor,
            case=action.case,
            event_type=EventType.DEADLINE_MET,
            generated_by=GeneratedBy.STATUTORY_CLOCK,
            title=title,
            details=body,
            occurred_at=timezone.make_aware(datetime.combine(done_on, time(12, 0))),
        )
    return action


def promise_details(entry: Entry) -> ActionDetails | None:
    """What a next action made from an interaction's promise would say, or None when the
    promise lacks a date (the form then asks for one)."""
    if not entry.is_interaction or not entry.promise or entry.promise_due_on is None:
        return None
    who = ", ".join(part for part in (entry.contact_name, entry.contact_organisation) if part)
    description = f"{entry.promise} (promised by {who})" if who else entry.promise
    return ActionDetails(
        description=description[:300],
        due_on=entry.promise_due_on,
        responsible_party=entry.promise_party or Party.PROFESSIONAL,
        priority=Priority.IMPORTANT,
    )


@transaction.atomic
def action_from_promise(*, actor: User, entry: Entry) -> NextAction:
    """One click: the promise recorded in an interaction becomes a next action, due on the
    date given, linked back to the interaction. A promise already turned into an action is
    not turned into a second one."""
    if not entry.is_final or not can_work_on_case(actor, entry.case):
        raise NotPermittedError
    details = promise_details(entry)
    if details is None:
        raise DomainError("This promise has no date, so it cannot become an action in one step")
    existing = NextAction.objects.filter(source_entry=entry).first()
    if existing is not None:
        return existing
    return add_action(actor=actor, case=entry.case, details=details, source_entry=entry)


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
