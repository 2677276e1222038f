"""Changing an EHCP tracking case's status, and what the case page shows of it.

`change_status` records the change, a timeline event for it and its audit event in one
transaction. The timeline event is of the ledger's type for the status where there is one
(an assessment requested is an EHC needs assessment request, a draft plan received a draft
plan served …), so the ledger's statutory clocks start from the date of the change, as next
actions with their legal basis: SEND Regulations 2014 regs 5(1), 10(1) and 13(2) from a
request, 13(1) from a draft, Children and Families Act 2014 s.44(1) from a final plan, reg 20
from a review meeting, reg 22(3) from proposed amendments, regs 33-34 from mediation.

The date of a change is the date it happened, never in the future (recording rule 2), never
before the case opened, and never before the last change: the history reads in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from caseledger.accounts.models import User
from caseledger.actions.models import ActionStatus, NextAction
from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.cases.models import Case
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.ehcp.access import can_change_status, has_ehcp_status
from caseledger.ehcp.models import STATUS_EVENTS, EhcpStatus, StatusChange
from caseledger.ledger.interactions import EventContent, record_timeline_event
from caseledger.ledger.models import EventType

NOTE_LENGTH = 2000
# The case page shows this many of the soonest open deadlines; the rest are a click away.
DEADLINES_SHOWN = 3


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def current_status(case: Case) -> StatusChange | None:
    """The latest change, which says where the case stands; None before the first."""
    return (
        StatusChange.objects.filter(case=case)
        .order_by("-effective_on", "-changed_at", "-id")
        .first()
    )


def _event_content(status: str, effective_on: date, note: str) -> EventContent:
    event_type = STATUS_EVENTS.get(status, EventType.OTHER)
    details = note
    if event_type == EventType.OTHER:
        # "Something else" needs words; these say which status it was.
        label = EhcpStatus(status).label
        details = f"EHCP status changed to {label}." + (f"\n\n{note}" if note else "")
    return EventContent(
        # The start of the day in London: the date is what was recorded, not a time.
        occurred_at=timezone.make_aware(datetime.combine(effective_on, time.min)),
        event_type=event_type,
        details=details,
    )


@transaction.atomic
def change_status(
    *, actor: User, case: Case, status: str, effective_on: date | None, note: str
) -> StatusChange:
    """Record that the case's EHCP status changed on a date, on its timeline, starting the
    statutory clocks the change sets (see the module docstring)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not has_ehcp_status(case) or not can_change_status(actor, case):
        raise NotPermittedError
    if status not in EhcpStatus.values:
        raise DomainError("Select the new status", field="status")
    if effective_on is None:
        raise DomainError("Enter the date of the change", field="effective_on")
    if effective_on > timezone.localdate():
        raise DomainError(
            "The date of the change must be today or in the past", field="effective_on"
        )
    if effective_on < case.opened_on:
        raise DomainError(
            f"The date of the change must be on or after {_day(case.opened_on)}, when the "
            "case was opened",
            field="effective_on",
        )
    previous = current_status(case)
    if previous is not None and effective_on < previous.effective_on:
        raise DomainError(
            f"The date of the change must be on or after {_day(previous.effective_on)}, the "
            "date of the last change",
            field="effective_on",
        )
    note = note.strip()
    if len(note) > NOTE_LENGTH:
        raise DomainError(f"The note must be {NOTE_LENGTH} characters or fewer", field="note")

    entry, started = record_timeline_event(
        actor=actor, case=case, content=_event_content(status, effective_on, note)
    )
    change = StatusChange(
        case=case,
        status=status,
        effective_on=effective_on,
        note=note,
        changed_by=actor,
        timeline_entry=entry,
    )
    change.save(force_insert=True)
    record_event(
        actor=actor,
        action=Action.EHCP_STATUS_CHANGED,
        obj=change,
        organisation=case.organisation,
        case_id=case.id,
        changes={
            "status": {
                "old": previous.get_status_display() if previous else None,
                "new": change.get_status_display(),
            }
        },
        detail={
            "status": status,
            "previous_status": previous.status if previous else None,
            "effective_on": effective_on.isoformat(),
            "event": str(entry.id),
            "deadlines": [str(action.id) for action in started],
        },
    )
    return change


def deadlines_started_by(change: StatusChange) -> list[NextAction]:
    """The statutory deadlines the change's timeline event started, soonest first."""
    return list(
        NextAction.objects.filter(source_entry_id=change.timeline_entry_id).order_by("due_on", "id")
    )


@dataclass(frozen=True)
class Deadline:
    """An open next action, with how long is left in words."""

    action: NextAction
    days: int  # days left; negative when overdue

    @property
    def days_left(self) -> str:
        return days_left(self.days)


def days_left(days: int) -> str:
    """How long is left, in words: "12 days left", "due today", "3 days overdue"."""
    if days == 0:
        return "due today"
    count = abs(days)
    plural = "day" if count == 1 else "days"
    return f"{count} {plural} left" if days > 0 else f"{count} {plural} overdue"


def next_deadlines(case: Case, *, limit: int = DEADLINES_SHOWN) -> list[Deadline]:
    """The case's soonest open next actions (each has a due date), overdue ones first."""
    today = timezone.localdate()
    actions = NextAction.objects.filter(case=case, status=ActionStatus.OPEN).order_by(
        "due_on", "id"
    )[:limit]
    return [Deadline(action=action, days=(action.due_on - today).days) for action in actions]


def status_history(case: Case) -> list[StatusChange]:
    """Every change, newest first, with who made it (one query)."""
    return list(
        StatusChange.objects.filter(case=case)
        .select_related("changed_by")
        .order_by("-effective_on", "-changed_at", "-id")
    )
