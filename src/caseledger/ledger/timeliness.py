"""When an author's drafts must be finalised (recording rule 2), for their home page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.domain.working_days import add_working_days, working_days_between
from caseledger.ledger.access import drafts_of
from caseledger.ledger.models import Entry

# Drafts this close to their deadline (in working days) are flagged as nearly due.
NEARLY_DUE = 1
HOME_PAGE_DRAFTS = 20


@dataclass(frozen=True)
class DraftDeadline:
    draft: Entry
    due_on: date
    working_days_left: int  # 0 on the day it is due
    overdue: bool

    @property
    def nearly_due(self) -> bool:
        return not self.overdue and self.working_days_left <= NEARLY_DUE


def deadline_for(draft: Entry, today: date) -> DraftDeadline:
    """Due the organisation's limit of working days after the event (or, for a draft with no
    event date yet, after it was started: the clock does not wait for the date)."""
    started = timezone.localdate(draft.occurred_at or draft.recorded_at)
    due_on = add_working_days(started, draft.case.organisation.recording_limit_working_days)
    return DraftDeadline(
        draft=draft,
        due_on=due_on,
        working_days_left=working_days_between(today, due_on),
        overdue=today > due_on,
    )


def draft_deadlines(user: User) -> tuple[list[DraftDeadline], int]:
    """The user's drafts, most urgent first, and how many there are in all."""
    drafts = drafts_of(user)
    today = timezone.localdate()
    found = [deadline_for(draft, today) for draft in drafts[:HOME_PAGE_DRAFTS]]
    total = len(found) if len(found) < HOME_PAGE_DRAFTS else drafts.count()
    return sorted(found, key=lambda item: (item.due_on, item.draft.recorded_at)), total
