"""Who may see and write which ledger entries. Built on the case rules in `cases.access`.

* A final entry is seen by everyone who may see its case (read-only grantees included:
  a grant shares the case record).
* A draft is its author's alone (recording rule 3): nobody else, not even a manager, sees it.
* A note re-indexed away from the wrong child (rule 6) and the tombstone left in its place
  are seen only by the organisation's admins.
* Writing needs `can_work_on_case`; the exceptions to immutability need more: a manager
  reports a note on the wrong child, an organisation admin moves it or amends a reopenable
  visit note (rules 5 and 6).
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404

from caseledger.accounts.models import User
from caseledger.cases.access import can_work_on_case, cases_visible_to, cases_workable_by
from caseledger.cases.models import Case
from caseledger.ledger.models import Entry, EntryKind, EntryStatus


def sees_moved_entries(user: User, case: Case) -> bool:
    """Organisation admins (the council's auditors) see where a misfiled note was."""
    return user.is_organisation_admin and user.organisation_id == case.organisation_id


def manages_case(user: User, case: Case) -> bool:
    if not user.is_authenticated or user.organisation_id != case.organisation_id:
        return False
    return case.allocated_manager_id == user.id or (
        case.allocated_team_id is not None and case.allocated_team_id in user.managed_team_ids
    )


def can_see_viewers(user: User, case: Case) -> bool:
    """'Who viewed this record': the case's managers, organisation admins, and a family of
    its own case (a family has no managers; it decides who it shares with)."""
    if not can_work_on_case(user, case):
        return False
    return user.is_organisation_admin or user.is_family_member or manages_case(user, case)


def can_report_wrong_child(user: User, entry: Entry) -> bool:
    case = entry.case
    return (
        entry.is_final
        and entry.kind == EntryKind.CASE_NOTE
        and (manages_case(user, case) or sees_moved_entries(user, case))
    )


def can_move_entry(user: User, entry: Entry) -> bool:
    return (
        entry.is_final
        and entry.kind == EntryKind.CASE_NOTE
        and sees_moved_entries(user, entry.case)
    )


def can_amend_entry(user: User, entry: Entry) -> bool:
    """Rule 5: an organisation admin may reopen a reopenable visit note's latest version."""
    return (
        entry.is_final
        and entry.kind == EntryKind.CASE_NOTE
        and entry.contact_type is not None
        and entry.contact_type.reopenable
        and sees_moved_entries(user, entry.case)
    )


def visible_entries(user: User, case: Case) -> QuerySet[Entry]:
    """Final entries of one case that this user may read (the case is already visible)."""
    entries = Entry.objects.filter(case=case, status=EntryStatus.FINAL)
    if not sees_moved_entries(user, case):
        entries = entries.exclude(kind=EntryKind.MOVED_OUT).exclude(
            Exists(Entry.objects.filter(moved_entry=OuterRef("pk")))
        )
    return entries


def access_entry(user: User, entry_id: UUID) -> Entry:
    """A final entry on a case the user may see, or the user's own draft; otherwise 404."""
    entry = (
        Entry.objects.filter(id=entry_id, case__in=cases_visible_to(user))
        .filter(Q(status=EntryStatus.FINAL) | Q(status=EntryStatus.DRAFT, author=user))
        .select_related(
            "case",
            "case__child",
            "case__organisation",
            "author",
            "contact_type",
            "corrects",
            "previous_version",
        )
        .first()
    )
    if entry is None:
        raise Http404
    if entry.is_draft and not can_work_on_case(user, entry.case):
        raise Http404  # a grant that has become read-only no longer reaches one's drafts
    if not sees_moved_entries(user, entry.case) and (
        entry.kind == EntryKind.MOVED_OUT or entry.tombstones.exists()
    ):
        raise Http404
    return entry


def access_draft(user: User, entry_id: UUID) -> Entry:
    """The user's own draft on a case they still work on; a final note is a 404 here."""
    entry = access_entry(user, entry_id)
    if not entry.is_draft:
        raise Http404
    return entry


def access_entry_for_work(user: User, entry_id: UUID) -> Entry:
    """A final entry on a case the user may write to (to add a correction)."""
    entry = access_entry(user, entry_id)
    if not entry.is_final or not can_work_on_case(user, entry.case):
        raise Http404
    return entry


def drafts_of(user: User) -> QuerySet[Entry]:
    """The user's drafts on cases they still work on, oldest event first."""
    return (
        Entry.objects.filter(author=user, status=EntryStatus.DRAFT)
        .filter(case__in=cases_workable_by(user))
        .select_related("case", "case__child", "case__organisation")
        .order_by(F("occurred_at").asc(nulls_last=True), "recorded_at")
    )
