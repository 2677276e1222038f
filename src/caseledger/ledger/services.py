"""Every write to the ledger: drafts, finalising, corrections, amendments, re-indexing, reads.

Each function takes the acting user, runs in one transaction, checks the rule it implements
(named in its docstring, from PRODUCT.md "The recording rules") and writes its audit event
in the same transaction. Views have already checked access and answer 404; these functions
check again so that no other caller can skip a rule.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.actions.clocks import recalculate_after_correction
from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.cases.access import can_work_on_case, cases_visible_to
from caseledger.cases.models import Case, CaseType
from caseledger.domain.chain import ENTRY_COLUMN_NAMES, GENESIS, entry_values, link_hash, values_of
from caseledger.domain.ehcp.sections import SECTIONS
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.ledger.access import (
    can_amend_entry,
    can_move_entry,
    can_report_wrong_child,
)
from caseledger.ledger.models import (
    ContactType,
    CorrectionReason,
    Entry,
    EntryDocument,
    EntryKind,
    EntryStatus,
    EntryTag,
    SignificantCategory,
    Tag,
    VisitAnnouncement,
    WrongChildReport,
)
from caseledger.quality import services as quality
from caseledger.search.indexing import index_entry
from caseledger.workdays.calendar import working_days


@dataclass(frozen=True)
class ChildVisit:
    """One child's part of a visit: were they seen, seen alone, and if not seen, why."""

    case_id: UUID
    seen: bool | None = None
    alone: bool | None = None
    reason: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "case": str(self.case_id),
            "seen": self.seen,
            "alone": self.alone,
            "reason": self.reason,
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> ChildVisit:
        return cls(
            case_id=UUID(value["case"]),
            seen=value.get("seen"),
            alone=value.get("alone"),
            reason=value.get("reason") or "",
        )


@dataclass(frozen=True)
class NoteContent:
    """What the author writes in a case note. A draft may leave any of it blank."""

    occurred_at: datetime | None = None
    title: str = ""
    body: str = ""
    contact_type: ContactType | None = None
    visit_statutory: bool | None = None
    visit_announcement: str = ""
    significant: bool = False
    significant_category: str = ""
    tags: Sequence[Tag] = ()
    linked_entry_ids: Sequence[UUID] = ()
    external_reference: str = ""
    children: Sequence[ChildVisit] = field(default_factory=tuple)
    # Documents in the evidence vault on this case that the note cites (rules 10 and 11).
    document_ids: Sequence[UUID] = ()
    # On an EHCP tracking case, the section (A to K) of the child's plan it is about (issue 7).
    ehcp_section: str = ""


CONTENT_FIELDS = (
    "occurred_at",
    "title",
    "body",
    "contact_type",
    "visit_statutory",
    "visit_announcement",
    "significant",
    "significant_category",
    "external_reference",
)


def content_of(entry: Entry) -> NoteContent:
    """A note's content, to fill the form for its next edit or amendment."""
    tags = list(Tag.objects.filter(id__in=entry.tag_ids)) if entry.tag_ids else []
    children: list[ChildVisit]
    if entry.visit_children:
        children = [ChildVisit.from_json(item) for item in entry.visit_children]
    elif entry.child_seen is not None:
        children = [
            ChildVisit(entry.case_id, entry.child_seen, entry.seen_alone, entry.not_seen_reason)
        ]
    else:
        children = []
    return NoteContent(
        occurred_at=entry.occurred_at,
        title=entry.title,
        body=entry.body,
        contact_type=entry.contact_type,
        visit_statutory=entry.visit_statutory,
        visit_announcement=entry.visit_announcement,
        significant=entry.significant,
        significant_category=entry.significant_category,
        tags=tags,
        linked_entry_ids=[UUID(str(value)) for value in entry.linked_entry_ids],
        external_reference=entry.external_reference,
        children=children,
        document_ids=[UUID(str(value)) for value in entry.document_ids],
        ehcp_section=entry.ehcp_section,
    )


# --- Rules a note must meet to be finalised ---------------------------------------------------


def problems_with(
    case: Case, content: NoteContent, *, now: datetime, kept_type: ContactType | None = None
) -> list[tuple[str, str]]:
    """Every rule the content breaks, as (form field, GOV.UK error message), in form order.

    Recording rules 2 (a real event date, never in the future), 7 (a typed contact; a visit
    says whether it was statutory and announced, and whether each child was seen, and seen
    alone) and 8 (a significant note says why). `kept_type` is an amended note's own type of
    contact, which stays valid even if the organisation has since stopped offering it.
    """
    problems: list[tuple[str, str]] = []
    if content.occurred_at is None:
        problems.append(("occurred_on", "Enter the date of the contact"))
    elif content.occurred_at > now:
        problems.append(("occurred_on", "The date and time of the contact must be in the past"))
    contact_type = content.contact_type
    if (
        contact_type is None
        or contact_type.organisation_id != case.organisation_id
        or not (contact_type.is_active or contact_type == kept_type)
    ):
        problems.append(("contact_type", "Select the type of contact"))
    if not content.title.strip():
        problems.append(("title", "Enter a title"))
    if not content.body.strip():
        problems.append(("body", "Enter what happened"))
    if contact_type is not None and contact_type.is_visit:
        if content.visit_statutory is None:
            problems.append(("visit_statutory", "Select yes if this was a statutory visit"))
        if content.visit_announcement not in VisitAnnouncement.values:
            problems.append(
                ("visit_announcement", "Select whether the visit was announced or unannounced")
            )
    if contact_type is not None and contact_type.visit_to_child:
        problems.extend(_child_visit_problems(case, content.children))
    if content.significant and content.significant_category not in SignificantCategory.values:
        problems.append(("significant_category", "Select why this is significant"))
    for tag in content.tags:
        if tag.organisation_id != case.organisation_id:
            problems.append(("tags", "Select topics from the list"))
            break
    problems.extend(ehcp_section_problems(case, content.ehcp_section))
    return problems


def ehcp_section_problems(case: Case, section: str) -> list[tuple[str, str]]:
    """Issue 7: a note or an interaction may say which section of the child's EHC plan it is
    about (A to K, SEND Regulations 2014 reg 12), and only on an EHCP tracking case, the one
    kind of case that follows a plan; blank means it is not about one section."""
    if not section:
        return []
    if case.case_type != CaseType.EHCP_TRACKING:
        return [
            (
                "ehcp_section",
                "Only notes and interactions on an EHCP tracking case can be about a "
                "section of an EHC plan",
            )
        ]
    if section not in SECTIONS:
        return [("ehcp_section", "Select a section of the EHC plan from the list")]
    return []


def _child_visit_problems(case: Case, children: Sequence[ChildVisit]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if not any(child.case_id == case.id for child in children):
        problems.append(("children", f"Select {case.child.display_name} if this visit was to them"))
    names = dict(
        Case.objects.filter(id__in=[c.case_id for c in children]).values_list(
            "id", "child__first_names"
        )
    )
    for child in children:
        name = names.get(child.case_id, "the child")
        prefix = f"child-{child.case_id}"
        if child.seen is None:
            problems.append((f"{prefix}-seen", f"Select yes if {name} was seen"))
        elif child.seen and child.alone is None:
            problems.append((f"{prefix}-alone", f"Select yes if {name} was seen alone"))
        elif not child.seen and not child.reason.strip():
            problems.append((f"{prefix}-reason", f"Enter why {name} was not seen"))
    return problems


def sibling_cases_for_visit(actor: User, case: Case) -> list[Case]:
    """Open cases of the child's brothers and sisters that the author also works on (rule 9).

    A family visit is recorded once for all of them; the author can only write to cases they
    work on, so a sibling held by someone else is not offered (and the form says so).
    """
    if case.child.household_id is None:
        return []
    siblings = (
        Case.objects.filter(
            child__household_id=case.child.household_id,
            organisation_id=case.organisation_id,
            status="open",
        )
        .exclude(child_id=case.child_id)
        .select_related("child", "organisation")
        .order_by("child__date_of_birth", "id")
    )
    return [sibling for sibling in siblings if can_work_on_case(actor, sibling)]


# --- Drafts (rule 3: a draft is its author's alone) -------------------------------------------


def _require_author(actor: User, draft: Entry) -> None:
    if draft.author_id != actor.id or not draft.is_draft or not can_work_on_case(actor, draft.case):
        raise NotPermittedError


def _apply(entry: Entry, content: NoteContent) -> None:
    entry.occurred_at = content.occurred_at
    entry.title = content.title.strip()
    entry.body = content.body.strip()
    entry.contact_type = content.contact_type
    entry.visit_statutory = content.visit_statutory
    entry.visit_announcement = content.visit_announcement
    entry.significant = content.significant
    entry.significant_category = content.significant_category if content.significant else ""
    entry.tag_ids = sorted(str(tag.id) for tag in content.tags)
    entry.linked_entry_ids = sorted(str(value) for value in content.linked_entry_ids)
    entry.external_reference = content.external_reference.strip()
    entry.visit_children = [child.as_json() for child in content.children]
    entry.document_ids = sorted(str(value) for value in set(content.document_ids))
    entry.ehcp_section = content.ehcp_section


def _index_tags(entry: Entry) -> None:
    """Index an entry's tags and the documents it cites, from its own (hashed) lists."""
    EntryTag.objects.bulk_create(EntryTag(entry=entry, tag_id=tag_id) for tag_id in entry.tag_ids)
    EntryDocument.objects.bulk_create(
        EntryDocument(entry=entry, document_id=document_id) for document_id in entry.document_ids
    )


def _set_tags(entry: Entry) -> None:
    EntryTag.objects.filter(entry=entry).delete()
    EntryDocument.objects.filter(entry=entry).delete()
    _index_tags(entry)


def _insert_with_tags(entry: Entry) -> None:
    """Insert a new (still draft) entry and index its tags, before it is made final."""
    entry.save(force_insert=True)
    _index_tags(entry)


def documents_on_case(case: Case, document_ids: Sequence[UUID | str]) -> set[str]:
    """Which of these documents belong to the case (any version), as id text."""
    from caseledger.vault.models import DocumentCase

    return {
        str(value)
        for value in DocumentCase.objects.filter(
            case=case, document_id__in=list(document_ids)
        ).values_list("document_id", flat=True)
    }


def _check_documents(case: Case, content: NoteContent) -> None:
    """Cited documents must be in the evidence vault on this case."""
    wanted = {str(value) for value in content.document_ids}
    if wanted and documents_on_case(case, list(wanted)) != wanted:
        raise DomainError("Select documents from this case's evidence", field="documents")


def _check_links(actor: User, case: Case, content: NoteContent) -> None:
    """Linked entries must be final entries the author can read on this child's cases, cited
    documents must be on the case, and a section of an EHC plan only on an EHCP tracking case."""
    section_problems = ehcp_section_problems(case, content.ehcp_section)
    if section_problems:
        field_name, message = section_problems[0]
        raise DomainError(message, field=field_name)
    _check_documents(case, content)
    if not content.linked_entry_ids:
        return
    found = Entry.objects.filter(
        id__in=content.linked_entry_ids,
        status=EntryStatus.FINAL,
        case__in=cases_visible_to(actor).filter(child_id=case.child_id),
    ).count()
    if found != len(set(content.linked_entry_ids)):
        raise DomainError("Select entries from this child's record", field="linked_entries")


@transaction.atomic
def start_draft(*, actor: User, case: Case, content: NoteContent) -> Entry:
    """Rule 1: if it is not written down it did not happen. The server stamps recorded_at."""
    if not can_work_on_case(actor, case):
        raise NotPermittedError
    if not any(
        [content.occurred_at, content.contact_type, content.title.strip(), content.body.strip()]
    ):
        raise DomainError("Enter the date, type or details of the contact before saving a draft")
    _check_links(actor, case, content)
    now = timezone.now()
    draft = Entry(case=case, author=actor, recorded_at=now, updated_at=now)
    draft.lineage_id = draft.id
    _apply(draft, content)
    _insert_with_tags(draft)
    record_event(
        actor=actor,
        action=Action.NOTE_DRAFTED,
        obj=draft,
        organisation=case.organisation,
        case_id=case.id,
    )
    return draft


@transaction.atomic
def save_draft(*, actor: User, draft: Entry, content: NoteContent, autosave: bool = False) -> bool:
    """Save the author's changes to their draft; True if anything changed.

    The audit event names the fields that changed, never their text.
    """
    draft = _locked_draft(actor, draft)
    _check_links(actor, draft.case, content)
    before = [*values_of(draft, ENTRY_COLUMN_NAMES), draft.visit_children]
    _apply(draft, content)
    after = [*values_of(draft, ENTRY_COLUMN_NAMES), draft.visit_children]
    if before == after:
        return False
    changed = sorted(
        name
        for name, old, new in zip(
            [*ENTRY_COLUMN_NAMES, "visit_children"], before, after, strict=True
        )
        if old != new
    )
    draft.updated_at = timezone.now()
    draft.save()
    _set_tags(draft)
    record_event(
        actor=actor,
        action=Action.DRAFT_SAVED,
        obj=draft,
        organisation=draft.case.organisation,
        case_id=draft.case_id,
        detail={"fields": changed, "autosave": autosave},
    )
    return True


def lock_draft(*, actor: User, draft: Entry) -> Entry:
    """The author's draft as it is now, locked for the caller's transaction (a service in
    another app that changes a draft through several steps)."""
    return _locked_draft(actor, draft)


def _locked_draft(actor: User, draft: Entry) -> Entry:
    """The draft as it is now in the database, locked for this transaction."""
    current = (
        Entry.objects.select_for_update(of=("self",))
        .select_related("case", "case__organisation", "case__child", "contact_type")
        .filter(pk=draft.pk)
        .first()
    )
    if current is None:
        raise DomainError("This draft has been discarded or finalised")
    _require_author(actor, current)
    return current


@transaction.atomic
def discard_draft(*, actor: User, draft: Entry) -> None:
    """Rule 3: the author may throw away their own draft. Its text is purged, not kept; the
    audit event records that a draft existed and when, never what it said."""
    draft = _locked_draft(actor, draft)
    record_event(
        actor=actor,
        action=Action.DRAFT_DISCARDED,
        obj=draft,
        organisation=draft.case.organisation,
        case_id=draft.case_id,
        detail={"recorded_at": draft.recorded_at.isoformat()},
    )
    EntryTag.objects.filter(entry=draft).delete()
    draft.delete()


@transaction.atomic
def cite_document_in_draft(*, actor: User, draft: Entry, document_id: UUID) -> None:
    """Rule 11 from the note editor: the email just stored as a document is cited by the
    author's draft, which then summarises it instead of pasting it."""
    draft = _locked_draft(actor, draft)
    content = content_of(draft)
    if document_id in content.document_ids:
        return
    content = NoteContent(
        **{**content.__dict__, "document_ids": [*content.document_ids, document_id]}
    )
    _check_documents(draft.case, content)
    _apply(draft, content)
    draft.updated_at = timezone.now()
    draft.save()
    _set_tags(draft)
    record_event(
        actor=actor,
        action=Action.DRAFT_SAVED,
        obj=draft,
        organisation=draft.case.organisation,
        case_id=draft.case_id,
        detail={"fields": ["document_ids"], "autosave": False},
    )


# --- Finalising and the hash chain -------------------------------------------------------------


def _append_to_chain(entry: Entry, *, finalised_at: datetime) -> None:
    """Make an entry final and the next link of its case's chain.

    Appends to one case's chain are serialised by locking the case row (PostgreSQL) or the
    database (SQLite, BEGIN IMMEDIATE); the unique (case, sequence) and (case, previous hash)
    constraints turn any fork into an error.
    """
    list(Case.objects.select_for_update().filter(pk=entry.case_id).values_list("pk", flat=True))
    head = (
        Entry.objects.filter(case_id=entry.case_id, status=EntryStatus.FINAL)
        .order_by("-sequence")
        .values_list("sequence", "entry_hash")
        .first()
    )
    entry.sequence, entry.previous_hash = ((head[0] or 0) + 1, head[1]) if head else (1, GENESIS)
    entry.status = EntryStatus.FINAL
    entry.finalised_at = finalised_at
    entry.updated_at = finalised_at
    entry.visit_children = []
    entry.entry_hash = link_hash(
        entry.previous_hash, entry_values(values_of(entry, ENTRY_COLUMN_NAMES))
    )
    entry.save()
    # Searchable from the moment it is final, in the same transaction (issue 5).
    index_entry(entry)


def _stamp_timeliness(entry: Entry, *, finalised_at: datetime) -> None:
    """Rule 2: working days from the event to finalising, on England and Wales bank holidays;
    late when more than the organisation's limit."""
    assert entry.occurred_at is not None
    days = working_days().between(
        timezone.localdate(entry.occurred_at), timezone.localdate(finalised_at)
    )
    entry.working_days_to_finalise = days
    entry.finalised_late = days > entry.case.organisation.recording_limit_working_days


@transaction.atomic
def finalise_note(*, actor: User, draft: Entry, confirmed: Iterable[str] = ()) -> list[Entry]:
    """Rule 3: the author finalises their note, which makes it a legal record.

    A visit to a child that names brothers and sisters is written once and lands on every
    selected sibling's case, each with that child's own seen / seen alone answers, linked as
    one group (rule 9). Returns the final entries, the author's own case first.

    The recording-quality assistant reads the note first (rules 11 and 12, issue 6): a finding
    of a code the organisation makes blocking (by default a pasted email) stops finalising
    unless the author `confirmed` that code does not apply; the findings that stand are kept
    with the note.
    """
    draft = _locked_draft(actor, draft)
    now = timezone.now()
    content = content_of(draft)
    problems = problems_with(draft.case, content, now=now)
    if problems:
        field_name, message = problems[0]
        raise DomainError(message, field=field_name)
    confirmed = tuple(confirmed)
    review = quality.review_note(draft.case, draft.body, author=actor)
    quality.check_can_finalise(review, confirmed)
    # Checked again here: a document cited by the draft may have been moved off the case
    # since, and a final note must never cite what its readers cannot open.
    _check_documents(draft.case, content)
    children = (
        list(content.children)
        if draft.contact_type is not None and draft.contact_type.visit_to_child
        else []
    )
    others = [child for child in children if child.case_id != draft.case_id]
    sibling_cases = {sibling.id: sibling for sibling in sibling_cases_for_visit(actor, draft.case)}
    if any(child.case_id not in sibling_cases for child in others):
        raise DomainError(
            "You can only record this visit on the cases of brothers and sisters you work on",
            field="children",
        )
    group_id = uuid.uuid4() if others else None
    own = next((child for child in children if child.case_id == draft.case_id), None)
    entries = [draft]
    _set_child_answers(draft, own)
    draft.group_id = group_id
    for child in others:
        copy = Entry(
            case=sibling_cases[child.case_id],
            author=actor,
            recorded_at=draft.recorded_at,
            updated_at=now,
            group_id=group_id,
        )
        copy.lineage_id = copy.id
        for name in CONTENT_FIELDS:
            setattr(copy, name, getattr(draft, name))
        copy.tag_ids = draft.tag_ids
        copy.linked_entry_ids = []  # links point into the first child's record
        # A document cited is cited on a brother's or sister's copy only if it is on their
        # case too: nobody reading their record is shown evidence filed elsewhere.
        copy.document_ids = sorted(documents_on_case(copy.case, draft.document_ids))
        # The section is one of this child's EHC plan; a brother's or sister's plan is another
        # plan, so their copy names none.
        copy.ehcp_section = ""
        _set_child_answers(copy, child)
        _insert_with_tags(copy)
        entries.append(copy)
    for entry in entries:
        _stamp_timeliness(entry, finalised_at=now)
        _append_to_chain(entry, finalised_at=now)
        record_event(
            actor=actor,
            action=Action.NOTE_FINALISED,
            obj=entry,
            organisation=entry.case.organisation,
            case_id=entry.case_id,
            detail={
                "sequence": entry.sequence,
                "late": entry.finalised_late,
                "group": str(group_id) if group_id else None,
            },
        )
    # Kept once, with the note as its author wrote it (the copies on brothers' and sisters'
    # cases are the same words).
    quality.record_findings(actor=actor, entry=draft, review=review, confirmed=confirmed)
    return entries


def _set_child_answers(entry: Entry, child: ChildVisit | None) -> None:
    if child is None:
        entry.child_seen = entry.seen_alone = None
        entry.not_seen_reason = ""
        return
    entry.child_seen = child.seen
    entry.seen_alone = child.alone if child.seen else None
    entry.not_seen_reason = "" if child.seen else child.reason.strip()


# --- Putting things right -------------------------------------------------------------------


@transaction.atomic
def add_correction(
    *,
    actor: User,
    original: Entry,
    reason: str,
    explanation: str,
    body: str,
    corrected_occurred_at: datetime | None = None,
) -> Entry:
    """Rule 4: an error or omission is put right by a new entry that names the original and
    explains the error or why it was missing. The original is never touched.

    A correction of when something happened gives the right moment; if the original started
    statutory clocks, their deadlines are worked out again from it (issue 4), each moved
    date saying why.
    """

    original = Entry.objects.select_related("case", "case__organisation").get(pk=original.pk)
    if not original.is_final or not can_work_on_case(actor, original.case):
        raise NotPermittedError
    if reason not in CorrectionReason.values:
        raise DomainError("Select why a correction is needed", field="reason")
    if not explanation.strip():
        raise DomainError("Explain what was wrong, or why it was missing", field="explanation")
    if not body.strip():
        raise DomainError("Enter the correct information", field="body")
    now = timezone.now()
    if corrected_occurred_at is not None and reason != CorrectionReason.WRONG_DATE_OR_TIME:
        corrected_occurred_at = None
    if corrected_occurred_at is not None and corrected_occurred_at > now:
        raise DomainError("The correct date must be today or in the past", field="corrected_on")
    if (
        reason == CorrectionReason.WRONG_DATE_OR_TIME
        and original.starts_clock
        and corrected_occurred_at is None
    ):
        raise DomainError(
            "Enter the correct date, so that its deadlines can be worked out again",
            field="corrected_on",
        )
    correction = Entry(
        case=original.case,
        author=actor,
        kind=EntryKind.CORRECTION,
        corrects=original,
        correction_reason=reason,
        correction_explanation=explanation.strip(),
        title=f"Correction to: {original.heading}"[:200],
        body=body.strip(),
        corrected_occurred_at=corrected_occurred_at,
        # A correction stands in the chronology at its own time, not the original's.
        occurred_at=now,
        recorded_at=now,
        updated_at=now,
    )
    correction.lineage_id = correction.id
    correction.save(force_insert=True)
    _append_to_chain(correction, finalised_at=now)
    record_event(
        actor=actor,
        action=Action.CORRECTION_ADDED,
        obj=correction,
        organisation=original.case.organisation,
        case_id=original.case_id,
        detail={"corrects": str(original.id), "reason": reason},
    )
    recalculate_after_correction(actor=actor, original=original, correction=correction)
    return correction


def latest_version(entry: Entry) -> Entry:
    return (
        Entry.objects.filter(lineage_id=entry.lineage_id, status=EntryStatus.FINAL)
        .select_related("author", "contact_type")
        .order_by("-version")
        .first()
        or entry
    )


@transaction.atomic
def amend_note(*, actor: User, original: Entry, content: NoteContent, reason: str) -> Entry:
    """Rule 5: a reopenable visit note (CLA placement, CP plan, CIN, IRO visit to child) may be
    reopened by an organisation admin. The amendment is a new final version; every earlier
    version is kept, unchanged, and stays readable."""
    original = Entry.objects.select_related(
        "case", "case__organisation", "case__child", "contact_type"
    ).get(pk=original.pk)
    if not can_amend_entry(actor, original):
        raise NotPermittedError
    if latest_version(original).pk != original.pk:
        raise DomainError("This note has been amended since; amend the latest version")
    if not reason.strip():
        raise DomainError("Enter why the note is being reopened", field="reason")
    if content.contact_type is None or content.contact_type.pk != original.contact_type_id:
        raise DomainError(
            "The type of contact of a reopened note cannot change", field="contact_type"
        )
    now = timezone.now()
    children = [child for child in content.children if child.case_id == original.case_id]
    problems = problems_with(
        original.case,
        NoteContent(**{**content.__dict__, "children": children}),
        now=now,
        kept_type=original.contact_type,
    )
    if problems:
        field_name, message = problems[0]
        raise DomainError(message, field=field_name)
    _check_documents(original.case, content)
    version = Entry(
        case=original.case,
        author=actor,
        lineage_id=original.lineage_id,
        version=original.version + 1,
        previous_version=original,
        amendment_reason=reason.strip(),
        group_id=original.group_id,
        recorded_at=now,
        updated_at=now,
    )
    _apply(version, NoteContent(**{**content.__dict__, "children": children}))
    version.visit_children = []
    _set_child_answers(version, children[0] if children else None)
    _insert_with_tags(version)
    _append_to_chain(version, finalised_at=now)
    record_event(
        actor=actor,
        action=Action.NOTE_REOPENED,
        obj=version,
        organisation=original.case.organisation,
        case_id=original.case_id,
        detail={"amends": str(original.id), "version": version.version},
    )
    return version


@transaction.atomic
def report_wrong_child(*, actor: User, entry: Entry, explanation: str) -> WrongChildReport:
    """Rule 6: a note recorded on the wrong child is reported to (or by) a manager."""
    entry = Entry.objects.select_related("case", "case__organisation").get(pk=entry.pk)
    if not can_report_wrong_child(actor, entry):
        raise NotPermittedError
    if entry.tombstones.exists():
        raise DomainError("This note has already been moved")
    if entry.wrong_child_reports.filter(status=WrongChildReport.Status.OPEN).exists():
        raise DomainError("This note has already been reported and is waiting to be moved")
    if not explanation.strip():
        raise DomainError("Explain which child the note should be on", field="explanation")
    report = WrongChildReport.objects.create(
        entry=entry, reported_by=actor, explanation=explanation.strip()
    )
    record_event(
        actor=actor,
        action=Action.WRONG_CHILD_REPORTED,
        obj=entry,
        organisation=entry.case.organisation,
        case_id=entry.case_id,
    )
    return report


@transaction.atomic
def move_to_right_child(*, actor: User, report: WrongChildReport, target_reference: str) -> Entry:
    """Rule 6: an organisation admin re-indexes a misfiled note to the right child.

    Nothing is deleted or changed. The right case gets a new final entry with the note's
    content and its provenance (`reindexed_from`); the wrong case gets a tombstone that only
    admins see. Both are appended to their case's chain, so both chains stay valid, and both
    moves are audited.
    """
    report = (
        WrongChildReport.objects.select_for_update(of=("self",))
        .select_related("entry", "entry__case", "entry__case__organisation")
        .get(pk=report.pk)
    )
    original = report.entry
    if not can_move_entry(actor, original):
        raise NotPermittedError
    if report.status != WrongChildReport.Status.OPEN or original.tombstones.exists():
        raise DomainError("This note has already been moved")
    target = (
        Case.objects.filter(
            organisation_id=original.case.organisation_id,
            reference__iexact=target_reference.strip(),
        )
        .select_related("organisation", "child")
        .first()
    )
    if target is None:
        raise DomainError(
            "Enter the reference of a case in your organisation", field="target_reference"
        )
    if target.pk == original.case_id:
        raise DomainError("Enter the reference of the right child's case", field="target_reference")
    if target.child_id == original.case.child_id:
        raise DomainError(
            "That case is about the same child; enter the right child's case",
            field="target_reference",
        )
    now = timezone.now()
    moved = Entry(
        case=target,
        author_id=original.author_id,
        kind=original.kind,
        reindexed_from=original,
        recorded_at=now,
        updated_at=now,
    )
    moved.lineage_id = moved.id
    for name in (*CONTENT_FIELDS, "child_seen", "seen_alone", "not_seen_reason"):
        setattr(moved, name, getattr(original, name))
    moved.tag_ids = original.tag_ids
    # The note was about the right child all along, so the section is of their plan, if their
    # case follows one.
    if target.case_type == CaseType.EHCP_TRACKING:
        moved.ehcp_section = original.ehcp_section
    moved.working_days_to_finalise = original.working_days_to_finalise
    moved.finalised_late = original.finalised_late
    _insert_with_tags(moved)
    _append_to_chain(moved, finalised_at=now)
    tombstone = Entry(
        case=original.case,
        author=actor,
        kind=EntryKind.MOVED_OUT,
        moved_entry=original,
        title="Moved to another child's case",
        body=report.explanation,
        occurred_at=now,
        recorded_at=now,
        updated_at=now,
    )
    tombstone.lineage_id = tombstone.id
    tombstone.save(force_insert=True)
    _append_to_chain(tombstone, finalised_at=now)
    report.status = WrongChildReport.Status.MOVED
    report.moved_by = actor
    report.moved_at = now
    report.moved_to = moved
    report.save()
    record_event(
        actor=actor,
        action=Action.NOTE_MOVED_OUT,
        obj=original,
        organisation=original.case.organisation,
        case_id=original.case_id,
        detail={"moved_to": str(moved.id), "tombstone": str(tombstone.id)},
    )
    record_event(
        actor=actor,
        action=Action.NOTE_MOVED_IN,
        obj=moved,
        organisation=target.organisation,
        case_id=target.id,
        detail={"moved_from": str(original.id)},
    )
    return moved


# --- Reads ------------------------------------------------------------------------------------


@transaction.atomic
def record_read(
    *,
    actor: User,
    action: Action,
    case: Case,
    obj: Any | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Log a read of a case record (ASVS 16.3.2, research/security-reliability.md §3.5): who,
    what, when, from where — never the content."""
    record_event(
        actor=actor,
        action=action,
        obj=obj,
        organisation=case.organisation,
        case_id=case.id,
        detail=detail,
    )
