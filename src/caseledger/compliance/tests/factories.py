"""Compliance test data, made through the real services (the ledger's and the settings')."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from caseledger.accounts.models import Team, User
from caseledger.cases.models import Case
from caseledger.compliance.reckoning import default_period
from caseledger.compliance.reports import Period, Reckoner, Scope
from caseledger.ledger import configuration
from caseledger.ledger.models import ContactType, Entry, VisitAnnouncement
from caseledger.ledger.services import ChildVisit, NoteContent, finalise_note, start_draft
from caseledger.quality.models import NoteFinding

CLEAN_BODY = "Spoke with Stacey Walker. Kayden is sleeping well and going to school each day."


def contact_type(case: Case, name: str) -> ContactType:
    return ContactType.objects.get(organisation_id=case.organisation_id, name=name)


def content(case: Case, *, days_ago: float = 0, **changes: Any) -> NoteContent:
    values: dict[str, Any] = {
        "occurred_at": timezone.now() - timedelta(days=days_ago, hours=2),
        "title": "Phone call with Stacey Walker",
        "body": CLEAN_BODY,
        "contact_type": contact_type(case, "Phone call"),
    }
    values.update(changes)
    return NoteContent(**values)


def final_note(author: User, case: Case, *, days_ago: float = 0, **changes: Any) -> Entry:
    draft = start_draft(
        actor=author, case=case, content=content(case, days_ago=days_ago, **changes)
    )
    return finalise_note(actor=author, draft=draft)[0]


def draft(author: User, case: Case, *, days_ago: float = 0, **changes: Any) -> Entry:
    return start_draft(actor=author, case=case, content=content(case, days_ago=days_ago, **changes))


def visit_note(
    author: User,
    case: Case,
    *,
    seen: bool | None,
    days_ago: float = 0,
    type_name: str = "Home visit",
) -> Entry:
    children = (
        ()
        if seen is None
        else (ChildVisit(case.id, seen=seen, alone=seen or None, reason="" if seen else "Asleep"),)
    )
    return final_note(
        author,
        case,
        days_ago=days_ago,
        title="Home visit",
        contact_type=contact_type(case, type_name),
        visit_statutory=True,
        visit_announcement=VisitAnnouncement.ANNOUNCED,
        children=children,
    )


def visit_type_not_to_child(admin: User) -> ContactType:
    """A type of visit that does not ask whether the child was seen."""
    assert admin.organisation is not None
    return configuration.add_contact_type(
        actor=admin,
        organisation=admin.organisation,
        name="Visit to the school",
        is_visit=True,
        visit_to_child=False,
        reopenable=False,
    )


def finding(entry: Entry, *, code: str = "jargon", resolved: bool = False) -> NoteFinding:
    """As the quality assistant writes it when the note is finalised."""
    assert entry.finalised_at is not None
    return NoteFinding.objects.create(
        entry=entry,
        organisation_id=entry.case.organisation_id,
        case=entry.case,
        author=entry.author,
        finalised_at=entry.finalised_at,
        code=code,
        start=0,
        end=5,
        message="Explain the abbreviation",
        resolved=resolved,
        resolution_reason="Explained later in the note" if resolved else "",
    )


def team_of(case: Case) -> Team:
    assert case.allocated_team is not None
    return case.allocated_team


def scope_of(case: Case) -> Scope:
    return Scope(case.organisation, team_of(case))


def this_period() -> Period:
    return Period(*default_period(timezone.localdate()))


def reckoner_for(case: Case) -> Reckoner:
    return Reckoner.for_organisation(case.organisation)
