"""The case-record ledger: everything recorded on a case, in time order, append-only.

A case note starts as its author's draft and becomes a legal record when the author
finalises it (recording rule 3, PRODUCT.md). From then on the row never changes: the
database refuses UPDATE and DELETE of a final entry on every path (triggers, migration
0002), and an error is put right by a new entry, a correction, that names the original
(rule 4). The only exceptions are also new rows: an amended version of a reopenable visit
note (rule 5), and a note re-indexed to the right child, which leaves a tombstone on the
wrong case (rule 6).

Each case's final entries form a hash chain (`sequence`, `previous_hash`, `entry_hash`);
`caseledger verify` recomputes it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ContactType(models.Model):
    """A type of contact an organisation records (recording rule 7): its own list, with defaults."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="contact_types"
    )
    name = models.CharField(max_length=100)
    # A visit asks whether it was statutory and whether it was announced.
    is_visit = models.BooleanField(default=False)
    # A visit to a child asks whether the child was seen, and seen alone; it can be recorded
    # once for every brother and sister with an open case (rule 9).
    visit_to_child = models.BooleanField(default=False)
    # Rule 5: these visit notes may be reopened for amendment by an organisation admin.
    reopenable = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="contact_type_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(visit_to_child=False) | Q(is_visit=True),
                name="contact_type_child_visit_is_visit",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """A topic an organisation files notes under ("Annual Review", "Legal")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="tags"
    )
    name = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="tag_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class EntryKind(models.TextChoices):
    CASE_NOTE = "case_note", "Case note"
    CORRECTION = "correction", "Correction"
    # Left on the wrong case when a note is re-indexed to the right child (rule 6).
    MOVED_OUT = "moved_out", "Moved to another child's case"
    # A call, email, letter or meeting with someone about the child, and what they promised.
    INTERACTION = "interaction", "Interaction"
    # A discrete moment on the case's timeline (a request made, a plan issued, an exclusion).
    EVENT = "event", "Timeline event"


class Channel(models.TextChoices):
    PHONE_CALL = "phone_call", "Phone call"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    MEETING = "meeting", "Face-to-face meeting"
    VIDEO_CALL = "video_call", "Video call"
    TEXT_MESSAGE = "text_message", "Text message"


class EventType(models.TextChoices):
    """Moments on a case's timeline. Those in `CLOCK_EVENTS` start statutory clocks."""

    EHC_REQUEST = "ehc_request", "EHC needs assessment requested"
    ADVICE_REQUESTED = "advice_requested", "Advice requested from professionals"
    DECISION_TO_ASSESS = "decision_to_assess", "Decision whether to assess received"
    DRAFT_PLAN = "draft_plan", "Draft EHC plan received"
    DECISION_LETTER = "decision_letter", "Decision letter received (can be appealed)"
    MEDIATION_CONTACTED = "mediation_contacted", "Mediation adviser contacted"
    MEDIATION_CERTIFICATE = "mediation_certificate", "Mediation certificate received"
    PLAN_ISSUED = "plan_issued", "Final EHC plan issued"
    REVIEW_MEETING = "review_meeting", "Annual review meeting held"
    REVIEW_CONCLUDED = "review_concluded", "Annual review decision received"
    AMENDMENT_PROPOSED = "amendment_proposed", "Amendments to the plan proposed"
    REFERRAL = "referral", "Referral received"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion held"
    SAR = "sar", "Subject access request made"
    MEETING = "meeting", "Meeting held"
    EXCLUSION = "exclusion", "Exclusion from school"
    HOSPITAL_ADMISSION = "hospital_admission", "Hospital admission"
    PLACEMENT_CHANGE = "placement_change", "Change of school or placement"
    OTHER = "other", "Something else"
    # Produced by the service, never chosen by hand.
    CASE_CLOSED = "case_closed", "Case closed"
    CASE_REOPENED = "case_reopened", "Case reopened"
    DEADLINE_MET = "deadline_met", "Statutory deadline met"


# The statutory clock's event (domain/statutory_clock.py EVENTS) each timeline event starts.
CLOCK_EVENTS: dict[str, str] = {
    EventType.EHC_REQUEST: "ehc_request_received",
    EventType.ADVICE_REQUESTED: "advice_requested",
    EventType.DRAFT_PLAN: "draft_plan_served",
    EventType.DECISION_LETTER: "decision_letter",
    EventType.MEDIATION_CONTACTED: "mediation_adviser_contacted",
    EventType.MEDIATION_CERTIFICATE: "mediation_certificate",
    EventType.PLAN_ISSUED: "plan_issued",
    EventType.REVIEW_MEETING: "review_meeting",
    EventType.REVIEW_CONCLUDED: "review_concluded",
    EventType.AMENDMENT_PROPOSED: "amendment_proposed",
    EventType.REFERRAL: "referral_received",
    EventType.STRATEGY_DISCUSSION: "strategy_discussion",
    EventType.SAR: "sar_received",
}
AUTOMATIC_EVENT_TYPES = frozenset(
    {EventType.CASE_CLOSED, EventType.CASE_REOPENED, EventType.DEADLINE_MET}
)


class GeneratedBy(models.TextChoices):
    """What wrote an entry the user did not type: blank when they did."""

    CASE_STATUS = "case_status", "Case status change"
    STATUTORY_CLOCK = "statutory_clock", "Statutory clock"


class EntryStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"


class VisitAnnouncement(models.TextChoices):
    ANNOUNCED = "announced", "Announced"
    UNANNOUNCED = "unannounced", "Unannounced"


class SignificantCategory(models.TextChoices):
    POLICE_INVOLVEMENT = "police_involvement", "Police involvement"
    PROTECTION_ORDER = "protection_order", "Protection order"
    DEATH_IN_FAMILY = "death_in_family", "Death in the family"
    HOSPITAL_ADMISSION = "hospital_admission", "Hospital admission"
    MISSING_EPISODE = "missing_episode", "Missing episode"
    ALLEGATION = "allegation", "Allegation"
    OTHER = "other", "Other"


class CorrectionReason(models.TextChoices):
    WRONG_DATE_OR_TIME = "wrong_date_or_time", "Wrong date or time"
    FACTUAL_ERROR = "factual_error", "Factual error"
    OMISSION = "omission", "Something was missed out"
    WRONG_CHILD = "wrong_child", "Recorded on the wrong child"
    DUPLICATE = "duplicate", "Duplicate"
    OTHER = "other", "Other"


class EhcpSection(models.TextChoices):
    """The lettered sections of an EHC plan (SEND Regulations 2014 reg 12; the statutory titles
    are `domain.ehcp.SECTIONS`), named as plans head them, for a note that is about one."""

    SECTION_A = "A", "Section A: Views, interests and aspirations"
    SECTION_B = "B", "Section B: Special educational needs"
    SECTION_C = "C", "Section C: Health care needs"
    SECTION_D = "D", "Section D: Social care needs"
    SECTION_E = "E", "Section E: Outcomes"
    SECTION_F = "F", "Section F: Special educational provision"
    SECTION_G = "G", "Section G: Health care provision"
    SECTION_H = "H", "Section H: Social care provision"
    SECTION_I = "I", "Section I: Placement"
    SECTION_J = "J", "Section J: Personal budget"
    SECTION_K = "K", "Section K: Advice and information"


class Entry(models.Model):
    """One entry in a case's ledger. Final rows are immutable (enforced by the database)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=EntryKind.choices, default=EntryKind.CASE_NOTE)
    status = models.CharField(max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ledger_entries"
    )

    # What happened. A draft may be incomplete; finalising checks every rule.
    occurred_at = models.DateTimeField(null=True, blank=True)
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    contact_type = models.ForeignKey(
        ContactType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    visit_statutory = models.BooleanField(null=True, blank=True)
    visit_announcement = models.CharField(
        max_length=12, choices=VisitAnnouncement.choices, blank=True
    )
    child_seen = models.BooleanField(null=True, blank=True)
    seen_alone = models.BooleanField(null=True, blank=True)
    not_seen_reason = models.TextField(blank=True)
    significant = models.BooleanField(default=False)
    significant_category = models.CharField(
        max_length=30, choices=SignificantCategory.choices, blank=True
    )
    # Tag ids as recorded (hashed with the row); `EntryTag` indexes them for filtering.
    tag_ids = models.JSONField(default=list, blank=True)
    # Link, don't copy (rule 10): other entries on the record, or a reference to elsewhere.
    linked_entry_ids = models.JSONField(default=list, blank=True)
    external_reference = models.CharField(max_length=500, blank=True)
    # A draft family visit's plan: [{"case": id, "seen": bool, "alone": bool, "reason": str}]
    # for each child it is about. Finalising turns it into one entry per child.
    visit_children = models.JSONField(default=list, blank=True)
    # The entries written together for one family visit share this (rule 9).
    group_id = models.UUIDField(null=True, blank=True)

    # Corrections (rule 4).
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    correction_reason = models.CharField(
        max_length=30, choices=CorrectionReason.choices, blank=True
    )
    correction_explanation = models.TextField(blank=True)

    # Versions of a reopened visit note (rule 5): every version is its own final row.
    lineage_id = models.UUIDField(default=uuid.uuid4)
    version = models.PositiveIntegerField(default=1)
    previous_version = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_versions"
    )
    amendment_reason = models.TextField(blank=True)

    # Re-indexing (rule 6): the copy on the right case names the original; the tombstone
    # left on the wrong case names it too.
    reindexed_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reindexed_copies"
    )
    moved_entry = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="tombstones"
    )

    # Stamped by the server; no form or service argument sets them (rule 2).
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    finalised_at = models.DateTimeField(null=True, blank=True, editable=False)
    working_days_to_finalise = models.PositiveSmallIntegerField(null=True, blank=True)
    finalised_late = models.BooleanField(null=True, blank=True)

    # Interactions (kind "interaction"): how, with whom, and what they promised in their own
    # words; the date they gave and who made the promise, so one click makes it an action.
    channel = models.CharField(max_length=20, choices=Channel.choices, blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_role = models.CharField(max_length=200, blank=True)
    contact_organisation = models.CharField(max_length=200, blank=True)
    promise = models.TextField(blank=True)
    promise_due_on = models.DateField(null=True, blank=True)
    promise_party = models.CharField(max_length=20, blank=True)
    # An interaction or note the author wants on the case's timeline (events always are).
    in_timeline = models.BooleanField(default=False)
    # Timeline events (kind "event").
    event_type = models.CharField(max_length=30, choices=EventType.choices, blank=True)
    generated_by = models.CharField(max_length=20, choices=GeneratedBy.choices, blank=True)
    # A correction of when something happened gives the right moment here; the statutory
    # clocks the original started are recalculated from it.
    corrected_occurred_at = models.DateTimeField(null=True, blank=True)
    # Issue 5: the documents in the evidence vault the entry cites (recording rules 10 and 11:
    # link, don't copy; an email is stored as a document and the note summarises it).
    document_ids = models.JSONField(default=list, blank=True)
    # Issue 7: on an EHCP tracking case, the section of the child's EHC plan a note or an
    # interaction is about (blank when it is not about one section).
    ehcp_section = models.CharField(max_length=1, choices=EhcpSection.choices, blank=True)

    # The case's hash chain over its final entries.
    sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name_plural = "entries"
        constraints = [
            # A second writer that read the same chain head fails instead of forking the chain.
            models.UniqueConstraint(fields=["case", "sequence"], name="entry_case_sequence"),
            models.UniqueConstraint(
                fields=["case", "previous_hash"],
                condition=Q(status="final"),
                name="entry_case_previous_hash",
            ),
            models.UniqueConstraint(fields=["lineage_id", "version"], name="entry_lineage_version"),
            models.CheckConstraint(
                condition=(
                    Q(status="draft", finalised_at__isnull=True, sequence__isnull=True)
                    | Q(
                        status="final",
                        finalised_at__isnull=False,
                        occurred_at__isnull=False,
                        sequence__isnull=False,
                        occurred_at__lte=models.F("finalised_at"),
                    )
                ),
                name="entry_final_is_complete",
            ),
            # A draft may be half-written; a final significant entry says why (rule 8).
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(significant=False, significant_category="")
                | Q(significant=True) & ~Q(significant_category=""),
                name="entry_significant_has_category",
            ),
            models.CheckConstraint(
                condition=Q(kind="correction", corrects__isnull=False)
                | ~Q(kind="correction") & Q(corrects__isnull=True),
                name="entry_correction_names_original",
            ),
            # A final interaction says how it happened; a final event says what happened.
            models.CheckConstraint(
                condition=Q(status="draft")
                | ~Q(kind="interaction") & ~Q(kind="event")
                | Q(kind="interaction") & ~Q(channel="")
                | Q(kind="event") & ~Q(event_type=""),
                name="entry_interaction_and_event_complete",
            ),
        ]
        indexes = [
            # The chronology: one case's final entries in event order, paged by (time, id).
            models.Index(fields=["case", "status", "occurred_at", "id"], name="entry_chronology"),
            # "Recorded by" in the chronology's filters: the case's authors, from the index alone.
            models.Index(fields=["case", "status", "author"], name="entry_case_authors"),
            # An author's drafts on their home page.
            models.Index(fields=["author", "status", "occurred_at"], name="entry_author_drafts"),
            models.Index(fields=["group_id"], name="entry_group"),
            # The case's timeline: its events and the entries the author put on it, in order.
            models.Index(
                fields=["case", "occurred_at", "id"],
                condition=Q(status="final") & (Q(kind="event") | Q(in_timeline=True)),
                name="entry_timeline",
            ),
            # The compliance dashboards (compliance/reports.py). Each is partial: only the rows
            # its table counts, in the order of the event, so a page reads a small range.
            # "Notes finalised late" (`late_notes`): final entries stamped late, by event.
            models.Index(
                fields=["occurred_at", "id"],
                condition=Q(status="final", finalised_late=True),
                name="entry_late_by_event",
            ),
            # "Significant events" (`significant_events`): final significant entries, by event.
            models.Index(
                fields=["occurred_at", "id"],
                condition=Q(status="final", significant=True),
                name="entry_significant_by_event",
            ),
            # "Visits without a child-seen answer" (`visits_without_answer`): final case notes
            # with no answer, by type of contact (the visit types) and event.
            models.Index(
                fields=["contact_type", "occurred_at"],
                condition=Q(status="final", kind="case_note", child_seen__isnull=True),
                name="entry_unanswered_by_type",
            ),
            # "Drafts past the recording limit" (`overdue_drafts`, `overdue_drafts_by_author`):
            # every draft, by author and start.
            models.Index(
                fields=["author", "occurred_at", "recorded_at"],
                condition=Q(status="draft"),
                name="entry_drafts_by_start",
            ),
            # "Children not seen within their visiting interval" (`last_time_seen`): a case's
            # visits where the child was seen, latest first (status and child_seen as columns
            # too, so a planner without statistics prefers it to `entry_chronology`).
            models.Index(
                fields=["case", "status", "child_seen", "occurred_at"],
                condition=Q(status="final", child_seen=True),
                name="entry_child_seen_by_event",
            ),
            # The trends (`trends`): notes stamped on time or late, per case by event, with
            # the stamp and the author, so the counts come from the index alone.
            models.Index(
                fields=["case", "status", "occurred_at", "finalised_late", "author"],
                condition=Q(status="final", finalised_late__isnull=False),
                name="entry_timeliness_trend",
            ),
        ]

    _loaded_status: str | None = None

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._loaded_status == EntryStatus.FINAL:
            raise FinalEntryError("A final entry cannot be changed; record a correction instead.")
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.status == EntryStatus.FINAL or (self._loaded_status == EntryStatus.FINAL):
            raise FinalEntryError("A final entry cannot be deleted.")
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> Entry:
        instance = super().from_db(*args, **kwargs)
        # Remember the status as loaded: a row read as final is never saved again.
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    @property
    def is_final(self) -> bool:
        return self.status == EntryStatus.FINAL

    @property
    def is_draft(self) -> bool:
        return self.status == EntryStatus.DRAFT

    @property
    def is_correction(self) -> bool:
        return self.kind == EntryKind.CORRECTION

    @property
    def is_interaction(self) -> bool:
        return self.kind == EntryKind.INTERACTION

    @property
    def is_event(self) -> bool:
        return self.kind == EntryKind.EVENT

    @property
    def starts_clock(self) -> bool:
        return self.is_event and self.event_type in CLOCK_EVENTS

    @property
    def heading(self) -> str:
        """What the chronology calls an entry with no title of its own."""
        if self.title:
            return self.title
        if self.is_interaction and self.channel:
            who = ", ".join(part for part in (self.contact_name, self.contact_organisation) if part)
            label = Channel(self.channel).label
            return f"{label} with {who}" if who else label
        if self.is_event and self.event_type:
            return EventType(self.event_type).label
        return self.get_kind_display()


class FinalEntryError(Exception):
    """Raised in Python before the database trigger would refuse the same thing."""


class EntryTag(models.Model):
    """The tags of an entry, for filtering; the triggers freeze them with a final entry."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="entry_tags")
    tag = models.ForeignKey(Tag, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "tag"], name="entry_tag_unique")]
        indexes = [models.Index(fields=["tag", "entry"], name="entry_tag_by_tag")]

    def __str__(self) -> str:
        return f"{self.tag_id} on {self.entry_id}"


class EntryDocument(models.Model):
    """The documents an entry cites, for the document's page ("cited by"); the triggers freeze
    them with a final entry, as they do its tags."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="entry_documents")
    document = models.ForeignKey(
        "vault.Document", on_delete=models.PROTECT, related_name="entry_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "document"], name="entry_document_unique")
        ]
        indexes = [models.Index(fields=["document", "entry"], name="entry_document_by_document")]

    def __str__(self) -> str:
        return f"{self.document_id} cited by {self.entry_id}"


class WrongChildReport(models.Model):
    """Rule 6: a note recorded on the wrong child, reported by a manager, moved by an admin."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting to be moved"
        MOVED = "moved", "Moved"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="wrong_child_reports")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now, editable=False)
    explanation = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    moved_at = models.DateTimeField(null=True, blank=True)
    moved_to = models.ForeignKey(
        Entry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["reported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"], condition=Q(status="open"), name="wrong_child_one_open_report"
            )
        ]

    def __str__(self) -> str:
        return f"Wrong child report on {self.entry_id}"
