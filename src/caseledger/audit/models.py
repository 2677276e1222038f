"""The audit trail: an append-only record of who did what to which record, when and from where.

The database refuses UPDATE and DELETE on this table (triggers, migration 0002) so not even
code with database access can quietly rewrite history. Every row is written by the same
service call, in the same transaction, as the change it describes. Reads of case records
are events too ("who viewed this record"). The rows form one global hash chain
(`sequence`, `previous_hash`, `event_hash`): `record_event` is the single writer and
serialises appends, and `caseledger verify` recomputes the chain.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class Action(models.TextChoices):
    SIGNED_IN = "signed_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGNED_OUT = "signed_out", "Signed out"
    CHILD_CREATED = "child_created", "Child record created"
    CHILD_UPDATED = "child_updated", "Child record changed"
    ADULT_ADDED = "adult_added", "Adult added"
    ADULT_UPDATED = "adult_updated", "Adult changed"
    ADULT_REMOVED = "adult_removed", "Adult removed"
    PROFESSIONAL_ADDED = "professional_added", "Professional added"
    PROFESSIONAL_UPDATED = "professional_updated", "Professional changed"
    PROFESSIONAL_REMOVED = "professional_removed", "Professional removed"
    HOUSEHOLD_CREATED = "household_created", "Household created"
    HOUSEHOLD_CHANGED = "household_changed", "Household changed"
    CASE_OPENED = "case_opened", "Case opened"
    CASE_CLOSED = "case_closed", "Case closed"
    CASE_REOPENED = "case_reopened", "Case reopened"
    CASE_ALLOCATED = "case_allocated", "Case allocated"
    CASE_REALLOCATED = "case_reallocated", "Case reallocated"
    CASE_DEALLOCATED = "case_deallocated", "Case deallocated"
    ACCESS_GRANTED = "access_granted", "Access granted"
    ACCESS_REVOKED = "access_revoked", "Access revoked"
    DEMO_LOADED = "demo_loaded", "Demo data loaded"
    NOTE_DRAFTED = "note_drafted", "Draft case note started"
    DRAFT_SAVED = "draft_saved", "Draft case note saved"
    DRAFT_DISCARDED = "draft_discarded", "Draft case note discarded"
    NOTE_FINALISED = "note_finalised", "Case note finalised"
    CORRECTION_ADDED = "correction_added", "Correction recorded"
    NOTE_REOPENED = "note_reopened", "Case note reopened and amended"
    WRONG_CHILD_REPORTED = "wrong_child_reported", "Note reported as on the wrong child"
    NOTE_MOVED_OUT = "note_moved_out", "Case note moved to another child"
    NOTE_MOVED_IN = "note_moved_in", "Case note moved here from another child"
    CASE_VIEWED = "case_viewed", "Viewed the case"
    NOTE_VIEWED = "note_viewed", "Viewed a case note"
    CHRONOLOGY_VIEWED = "chronology_viewed", "Viewed the chronology"
    VIEWERS_VIEWED = "viewers_viewed", "Viewed who viewed this record"
    CHECKPOINT_WRITTEN = "checkpoint_written", "Chain checkpoint written"
    CONTACT_TYPE_ADDED = "contact_type_added", "Type of contact added"
    CONTACT_TYPE_CHANGED = "contact_type_changed", "Type of contact changed"
    TAG_ADDED = "tag_added", "Topic added"
    TAG_CHANGED = "tag_changed", "Topic changed"
    RECORDING_LIMIT_CHANGED = "recording_limit_changed", "Recording limit changed"
    ACTION_ADDED = "action_added", "Next action added"
    ACTION_CHANGED = "action_changed", "Next action changed"
    ACTION_DONE = "action_done", "Next action done"
    ACTION_CANCELLED = "action_cancelled", "Next action cancelled"
    CALENDAR_FEED_CREATED = "calendar_feed_created", "Calendar feed address made"
    CALENDAR_FEED_REVOKED = "calendar_feed_revoked", "Calendar feed address revoked"
    ACTION_BREACHED = "action_breached", "Next action missed its due date"
    REMINDER_SETTINGS_CHANGED = "reminder_settings_changed", "Reminder settings changed"
    INTERACTION_RECORDED = "interaction_recorded", "Interaction recorded"
    EVENT_RECORDED = "event_recorded", "Timeline event recorded"
    CLOCK_STARTED = "clock_started", "Statutory deadline set"
    ACTION_RECALCULATED = "action_recalculated", "Statutory deadline recalculated"
    EXCEPTION_RECORDED = "exception_recorded", "Lawful exception recorded"
    HOLIDAY_ADDED = "holiday_added", "One-off holiday added"
    HOLIDAY_REMOVED = "holiday_removed", "One-off holiday removed"
    DOCUMENT_STORED = "document_stored", "Document stored"
    DOCUMENT_VERSION_STORED = "document_version_stored", "New version of a document stored"
    DOCUMENT_DETAILS_CHANGED = "document_details_changed", "Document details changed"
    DOCUMENTS_LISTED = "documents_listed", "Viewed the case's documents"
    DOCUMENT_VIEWED = "document_viewed", "Viewed a document's page"
    DOCUMENT_DOWNLOADED = "document_downloaded", "Opened or downloaded a document's file"
    SEARCHED = "searched", "Searched"
    DOCUMENT_CATEGORY_ADDED = "document_category_added", "Document category added"
    DOCUMENT_CATEGORY_CHANGED = "document_category_changed", "Document category changed"
    # Issue 6: the recording-quality assistant, compliance monitoring and case audits.
    QUALITY_SETTINGS_CHANGED = "quality_settings_changed", "Recording quality settings changed"
    VISIT_INTERVALS_CHANGED = "visit_intervals_changed", "Visit intervals changed"
    COMPLIANCE_VIEWED = "compliance_viewed", "Viewed a compliance dashboard"
    COMPLIANCE_EXPORTED = "compliance_exported", "Exported a compliance table"
    CASE_AUDIT_STARTED = "case_audit_started", "Case audit started"
    CASE_AUDIT_GRADED = "case_audit_graded", "Case audit question graded"
    CASE_AUDIT_COMPLETED = "case_audit_completed", "Case audit completed"
    AUDIT_ACTION_ADDED = "audit_action_added", "Action from a case audit added"
    AUDIT_ACTION_DONE = "audit_action_done", "Action from a case audit done"
    AUDIT_CHECKLIST_CHANGED = "audit_checklist_changed", "Case audit checklist changed"
    CASE_AUDITS_EXPORTED = "case_audits_exported", "Exported the case audits"
    # Issue 7: EHCP tracking.
    EHCP_STATUS_CHANGED = "ehcp_status_changed", "EHCP status changed"
    PLAN_VERSION_ADDED = "plan_version_added", "EHC plan version added"
    PLAN_SECTIONS_CONFIRMED = "plan_sections_confirmed", "EHC plan sections confirmed"
    PLAN_VERSION_VIEWED = "plan_version_viewed", "Viewed an EHC plan version"
    PLAN_VERSIONS_COMPARED = "plan_versions_compared", "Compared two EHC plan versions"
    PLAN_FLAG_CONFIRMED = "plan_flag_confirmed", "EHC plan flag confirmed"
    PLAN_FLAG_DISMISSED = "plan_flag_dismissed", "EHC plan flag dismissed"
    PLAN_REPORTS_CHOSEN = "plan_reports_chosen", "EHC plan's professional reports chosen"
    PLAN_ITEM_NEEDS_LINKED = "plan_item_needs_linked", "EHC plan provision linked to needs"
    ANNOTATION_ADDED = "annotation_added", "EHC plan annotation added"
    ANNOTATION_CHANGED = "annotation_changed", "EHC plan annotation changed"
    COMMENT_ADDED = "comment_added", "Comment added"
    WORKING_DOCUMENT_DOWNLOADED = "working_document_downloaded", "Downloaded a working document"
    FAMILY_GRANT_GIVEN = "family_grant_given", "Advocate given access to the family's children"
    FAMILY_GRANT_REVOKED = "family_grant_revoked", "Advocate's access to the family revoked"
    # Issue 8: the school's SEN register.
    SEN_REGISTER_ADDED = "sen_register_added", "Pupil added to the SEN register"
    SEN_REGISTER_CHANGED = "sen_register_changed", "SEN register entry changed"
    SEN_REGISTER_REMOVED = "sen_register_removed", "Pupil removed from the SEN register"
    SEN_REGISTER_EXPORTED = "sen_register_exported", "Exported the SEN register"
    # Issue 8: classes, parents' access, passports, support plans and the provision map.
    SCHOOL_CLASS_ADDED = "school_class_added", "School class added"
    SCHOOL_CLASS_CHANGED = "school_class_changed", "School class changed"
    PARENT_ACCESS_GIVEN = "parent_access_given", "Parent given access to a pupil's SEN records"
    PARENT_ACCESS_REVOKED = "parent_access_revoked", "Parent's access to SEN records revoked"
    PASSPORT_AGREED = "passport_agreed", "Pupil passport version agreed"
    PASSPORT_VIEWED = "passport_viewed", "Viewed a pupil passport"
    PASSPORT_DOWNLOADED = "passport_downloaded", "Downloaded a pupil passport"
    SUPPORT_PLAN_STARTED = "support_plan_started", "Support plan started"
    SUPPORT_PLAN_CHANGED = "support_plan_changed", "Support plan changed"
    SUPPORT_PLAN_ACCESS_CHANGED = "support_plan_access_changed", "Support plan's access changed"
    SUPPORT_PLAN_REVIEWED = "support_plan_reviewed", "Support plan reviewed"
    SUPPORT_PLAN_CYCLE_OPENED = "support_plan_cycle_opened", "Support plan cycle opened"
    SUPPORT_PLAN_MEETING = "support_plan_meeting", "Support plan meeting recorded"
    SUPPORT_PLAN_VIEW_ADDED = "support_plan_view_added", "Parent's view added to a review"
    SUPPORT_PLAN_VIEWED = "support_plan_viewed", "Viewed a support plan"
    SUPPORT_PLAN_SUMMARY = "support_plan_summary", "Downloaded a graduated approach summary"
    MEASURE_SCALE_ADDED = "measure_scale_added", "Measure scale added"
    INTERVENTION_ADDED = "intervention_added", "Intervention added to the library"
    INTERVENTION_CHANGED = "intervention_changed", "Intervention changed"
    INTERVENTION_GROUP_ADDED = "intervention_group_added", "Intervention group started"
    INTERVENTION_GROUP_CHANGED = "intervention_group_changed", "Intervention group changed"
    PLACE_ADDED = "place_added", "Pupil placed in an intervention group"
    PLACE_CHANGED = "place_changed", "Pupil's place in an intervention changed"
    SESSION_LOGGED = "session_logged", "Intervention session recorded"
    MEASURE_RECORDED = "measure_recorded", "Entry or exit measure recorded"
    PROVISION_EXPORTED = "provision_exported", "Exported a provision map table"


# Reads: listed under "who viewed this record", not in a case's history of changes.
READ_ACTIONS = frozenset(
    {
        Action.CASE_VIEWED,
        Action.NOTE_VIEWED,
        Action.CHRONOLOGY_VIEWED,
        Action.VIEWERS_VIEWED,
        Action.DOCUMENTS_LISTED,
        Action.DOCUMENT_VIEWED,
        Action.DOCUMENT_DOWNLOADED,
        Action.PLAN_VERSION_VIEWED,
        Action.PLAN_VERSIONS_COMPARED,
        Action.WORKING_DOCUMENT_DOWNLOADED,
        Action.PASSPORT_VIEWED,
        Action.PASSPORT_DOWNLOADED,
        Action.SUPPORT_PLAN_VIEWED,
        Action.SUPPORT_PLAN_SUMMARY,
    }
)


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for the system itself (commands, background tasks).",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=40, choices=Action.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # The case an event belongs to, if any: the case page lists its history by this.
    case_id = models.UUIDField(null=True, blank=True)
    # {"changes": {"field": {"old": ..., "new": ...}}, ...}: values, never free-text bodies.
    detail = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # The global hash chain: position, the hash before, and this row's own.
    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    previous_hash = models.CharField(max_length=64, editable=False)
    event_hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["case_id", "action", "occurred_at"], name="audit_case_action"),
            models.Index(fields=["case_id", "occurred_at"], name="audit_case_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["organisation", "occurred_at"], name="audit_org_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditEventImmutableError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditEventImmutableError("Audit events cannot be deleted.")

    @property
    def changes(self) -> dict[str, dict[str, Any]]:
        value = self.detail.get("changes", {})
        return value if isinstance(value, dict) else {}


class AuditEventImmutableError(Exception):
    """Raised in Python before the database trigger would refuse the same thing."""
