"""Interactions and timeline events: written to the ledger as final entries, in one step.

An interaction (a call, an email, a letter, a meeting) is recorded by the person who had it,
with what the other side promised in their own words. A timeline event marks a moment on the
case (a request made, a plan issued, an exclusion); some start statutory clocks
(actions/clocks.py). Both follow the ledger's rules: the server stamps when they were
recorded, they join the case's hash chain, they are never changed, and a mistake is put right
by a correction (recording rules 2-4, PRODUCT.md).

Some events are written by the service itself: a case closed or reopened, a statutory deadline
met. Each names the user whose act produced it and says what produced it (`generated_by`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.actions.clocks import start_clocks
from caseledger.actions.models import NextAction, Party
from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.cases.access import can_work_on_case
from caseledger.cases.models import Case
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.ledger.models import (
    AUTOMATIC_EVENT_TYPES,
    Channel,
    Entry,
    EntryKind,
    EntryStatus,
    EventType,
    GeneratedBy,
    Tag,
)
from caseledger.ledger.services import (
    _append_to_chain,
    _insert_with_tags,
    _stamp_timeliness,
    ehcp_section_problems,
)


@dataclass(frozen=True)
class InteractionContent:
    occurred_at: datetime | None
    channel: str
    contact_name: str
    contact_role: str = ""
    contact_organisation: str = ""
    summary: str = ""
    promise: str = ""
    promise_due_on: date | None = None
    promise_party: str = ""
    in_timeline: bool = False
    tags: Sequence[Tag] = ()
    # On an EHCP tracking case, the section (A to K) of the child's plan it was about (issue 7).
    ehcp_section: str = ""


def interaction_problems(
    case: Case, content: InteractionContent, *, now: datetime
) -> list[tuple[str, str]]:
    """Every rule the interaction breaks, as (form field, GOV.UK error message), in form order."""
    problems: list[tuple[str, str]] = []
    if content.occurred_at is None:
        problems.append(("occurred_on", "Enter the date of the interaction"))
    elif content.occurred_at > now:
        problems.append(("occurred_on", "The date of the interaction must be in the past"))
    if content.channel not in Channel.values:
        problems.append(("channel", "Select how you were in contact"))
    if not content.contact_name.strip():
        problems.append(("contact_name", "Enter the name of who you were in contact with"))
    if not content.summary.strip():
        problems.append(("summary", "Enter a summary of what was said"))
    if content.promise.strip():
        if content.promise_party not in Party.values:
            problems.append(("promise_party", "Select who made the promise"))
    elif content.promise_due_on is not None or content.promise_party:
        problems.append(("promise", "Enter what they promised, in their own words"))
    for tag in content.tags:
        if tag.organisation_id != case.organisation_id:
            problems.append(("tags", "Select topics from the list"))
            break
    problems.extend(ehcp_section_problems(case, content.ehcp_section))
    return problems


def _finalise(actor: User, entry: Entry, *, now: datetime, action: Action, **detail: Any) -> None:
    """Insert the entry and make it final at once, with its timeliness, chain link and audit
    event."""
    entry.lineage_id = entry.id
    _insert_with_tags(entry)
    _stamp_timeliness(entry, finalised_at=now)
    _append_to_chain(entry, finalised_at=now)
    record_event(
        actor=actor,
        action=action,
        obj=entry,
        organisation=entry.case.organisation,
        case_id=entry.case_id,
        detail={"sequence": entry.sequence, **detail},
    )


@transaction.atomic
def record_interaction(*, actor: User, case: Case, content: InteractionContent) -> Entry:
    """Record a call, email, letter or meeting and what was promised in it."""
    if not can_work_on_case(actor, case):
        raise NotPermittedError
    now = timezone.now()
    problems = interaction_problems(case, content, now=now)
    if problems:
        field_name, message = problems[0]
        raise DomainError(message, field=field_name)
    promise = content.promise.strip()
    entry = Entry(
        case=case,
        author=actor,
        kind=EntryKind.INTERACTION,
        occurred_at=content.occurred_at,
        body=content.summary.strip(),
        channel=content.channel,
        contact_name=content.contact_name.strip(),
        contact_role=content.contact_role.strip(),
        contact_organisation=content.contact_organisation.strip(),
        promise=promise,
        promise_due_on=content.promise_due_on if promise else None,
        promise_party=content.promise_party if promise else "",
        in_timeline=content.in_timeline,
        tag_ids=sorted(str(tag.id) for tag in content.tags),
        ehcp_section=content.ehcp_section,
        recorded_at=now,
        updated_at=now,
    )
    _finalise(
        actor,
        entry,
        now=now,
        action=Action.INTERACTION_RECORDED,
        channel=entry.channel,
        promise=bool(promise),
        in_timeline=entry.in_timeline,
    )
    return entry


@dataclass(frozen=True)
class EventContent:
    occurred_at: datetime | None
    event_type: str
    details: str = ""
    # A heading for the timeline where the type alone says too little ("Something else").
    title: str = ""


def event_problems(content: EventContent, *, now: datetime) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if content.event_type not in EventType.values or content.event_type in AUTOMATIC_EVENT_TYPES:
        problems.append(("event_type", "Select what happened"))
    if content.occurred_at is None:
        problems.append(("occurred_on", "Enter the date it happened"))
    elif content.occurred_at > now:
        problems.append(("occurred_on", "The date it happened must be today or in the past"))
    if content.event_type == EventType.OTHER and not content.details.strip():
        problems.append(("details", "Describe what happened"))
    return problems


@transaction.atomic
def record_timeline_event(
    *, actor: User, case: Case, content: EventContent
) -> tuple[Entry, list[NextAction]]:
    """Mark a moment on the case's timeline; one the law attaches a time limit to starts its
    statutory clocks, as next actions with their legal basis."""
    if not can_work_on_case(actor, case):
        raise NotPermittedError
    now = timezone.now()
    problems = event_problems(content, now=now)
    if problems:
        field_name, message = problems[0]
        raise DomainError(message, field=field_name)
    entry = Entry(
        case=case,
        author=actor,
        kind=EntryKind.EVENT,
        occurred_at=content.occurred_at,
        title=content.title.strip(),
        body=content.details.strip(),
        event_type=content.event_type,
        in_timeline=True,
        recorded_at=now,
        updated_at=now,
    )
    _finalise(actor, entry, now=now, action=Action.EVENT_RECORDED, event_type=entry.event_type)
    return entry, start_clocks(actor=actor, event=entry)


def record_automatic_event(
    *,
    actor: User,
    case: Case,
    event_type: str,
    generated_by: str,
    title: str = "",
    details: str = "",
    occurred_at: datetime | None = None,
) -> Entry:
    """An event the service writes because of something the actor did (closing a case,
    meeting a statutory deadline). Runs inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_automatic_event must run inside the service's transaction")
    assert event_type in AUTOMATIC_EVENT_TYPES and generated_by in GeneratedBy.values
    now = timezone.now()
    entry = Entry(
        case=case,
        author=actor,
        kind=EntryKind.EVENT,
        occurred_at=min(occurred_at or now, now),
        title=title[:200],
        body=details,
        event_type=event_type,
        generated_by=generated_by,
        in_timeline=True,
        recorded_at=now,
        updated_at=now,
    )
    _finalise(
        actor,
        entry,
        now=now,
        action=Action.EVENT_RECORDED,
        event_type=event_type,
        generated_by=generated_by,
    )
    return entry


def timeline_entries(case: Case) -> QuerySet[Entry]:
    """The case's timeline: its events and the entries put on it, oldest first (the
    `entry_timeline` partial index)."""
    return (
        Entry.objects.filter(case=case, status=EntryStatus.FINAL)
        .filter(Q(kind=EntryKind.EVENT) | Q(in_timeline=True))
        .select_related("author")
        .order_by("occurred_at", "id")
    )
