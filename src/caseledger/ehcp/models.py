"""EHCP tracking: where a family's EHC plan stands, and every change of that, in order.

A family records each change of status on its EHCP tracking case (the request, the draft,
the final plan, a review, a dispute …) with the date it happened. The history is append-only
(migration 0002 has the database refuse UPDATE and DELETE): a change recorded by mistake is
followed by another change, never edited away. The current status is the latest change.

The family also keeps each version of the plan itself (a draft, the final plan, an amended
plan): its sections A to K, read from the council's file or typed in, checked by the family
and then confirmed. Confirmed sections are what later versions are compared with, so the
database refuses to change or remove them (migration 0004).

On a confirmed version the analyser raises flags (vague or unquantified provision, needs
without provision, missing content …). The family confirms or dismisses each, with a reason;
the decisions are append-only (migration 0006): a later decision on the same flag supersedes
the earlier one, which stays as the record of what was decided before.

The family links each provision item of Sections F, G and H to the Section B needs it meets
(append-only, latest wins, migration 0008), annotates a section or a passage of it with a
concern, the wording it proposes and the evidence for it, and tracks each annotation through
raising it with the council to agreement or refusal. An advocate the family shares with reads
all of it and comments on flags, annotations and notes; the comments are the advocate's own
record, kept whole (migration 0008), and change nothing of the family's.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from caseledger.domain.ehcp.sections import SECTIONS
from caseledger.ledger.models import EventType


class EhcpStatus(models.TextChoices):
    PRE_ASSESSMENT = "pre_assessment", "Pre-assessment"
    ASSESSMENT_REQUESTED = "assessment_requested", "Assessment requested"
    ASSESSMENT_UNDERWAY = "assessment_underway", "Assessment underway"
    DRAFT_PLAN_RECEIVED = "draft_plan_received", "Draft plan received"
    FINAL_PLAN_ISSUED = "final_plan_issued", "Final plan issued"
    ANNUAL_REVIEW_PENDING = "annual_review_pending", "Annual review pending"
    ANNUAL_REVIEW_HELD = "annual_review_held", "Annual review held"
    AMENDMENT_PROPOSED = "amendment_proposed", "Amendment proposed"
    MEDIATION = "mediation", "Mediation"
    APPEAL_REGISTERED = "appeal_registered", "Appeal registered"
    TRIBUNAL_HEARING_SET = "tribunal_hearing_set", "Tribunal hearing set"
    RESOLVED = "resolved", "Resolved"
    CEASED = "ceased", "Ceased"
    CLOSED = "closed", "Closed"


# The timeline event each status is, where the ledger has one: those in the ledger's
# CLOCK_EVENTS start their statutory clocks. Every other status is recorded as
# EventType.OTHER, naming the status.
STATUS_EVENTS: dict[str, str] = {
    EhcpStatus.ASSESSMENT_REQUESTED: EventType.EHC_REQUEST,
    EhcpStatus.DRAFT_PLAN_RECEIVED: EventType.DRAFT_PLAN,
    EhcpStatus.FINAL_PLAN_ISSUED: EventType.PLAN_ISSUED,
    EhcpStatus.ANNUAL_REVIEW_HELD: EventType.REVIEW_MEETING,
    EhcpStatus.AMENDMENT_PROPOSED: EventType.AMENDMENT_PROPOSED,
    EhcpStatus.MEDIATION: EventType.MEDIATION_CONTACTED,
}

# The GOV.UK tag colour of each status: where things are waiting, settled or in dispute.
STATUS_TAG_COLOURS: dict[str, str] = {
    EhcpStatus.PRE_ASSESSMENT: "grey",
    EhcpStatus.ASSESSMENT_REQUESTED: "blue",
    EhcpStatus.ASSESSMENT_UNDERWAY: "blue",
    EhcpStatus.DRAFT_PLAN_RECEIVED: "light-blue",
    EhcpStatus.FINAL_PLAN_ISSUED: "green",
    EhcpStatus.ANNUAL_REVIEW_PENDING: "turquoise",
    EhcpStatus.ANNUAL_REVIEW_HELD: "turquoise",
    EhcpStatus.AMENDMENT_PROPOSED: "yellow",
    EhcpStatus.MEDIATION: "orange",
    EhcpStatus.APPEAL_REGISTERED: "red",
    EhcpStatus.TRIBUNAL_HEARING_SET: "red",
    EhcpStatus.RESOLVED: "green",
    EhcpStatus.CEASED: "grey",
    EhcpStatus.CLOSED: "grey",
}


class StatusChange(models.Model):
    """One change of an EHCP tracking case's status: to what, from when, why, and by whom."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="ehcp_status_changes"
    )
    status = models.CharField(max_length=30, choices=EhcpStatus.choices)
    effective_on = models.DateField()
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now, editable=False)
    # The timeline event the change recorded, which started any statutory clocks.
    timeline_entry = models.OneToOneField(
        "ledger.Entry", on_delete=models.PROTECT, related_name="ehcp_status_change"
    )

    class Meta:
        ordering = ["effective_on", "changed_at", "id"]
        indexes = [
            models.Index(fields=["case", "-effective_on", "-changed_at"], name="ehcp_status_latest")
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} from {self.effective_on}"

    @property
    def tag_colour(self) -> str:
        return STATUS_TAG_COLOURS.get(self.status, "grey")


class PlanKind(models.TextChoices):
    DRAFT = "draft", "Draft plan"
    FINAL = "final", "Final plan"
    AMENDED = "amended", "Amended plan"


class PlanVersion(models.Model):
    """One version of a child's EHC plan as the council issued it, with the file it came in.

    Its sections are provisional (read from the file, or empty to type in) until the family
    confirms them; from then on they are fixed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="plan_versions")
    kind = models.CharField(max_length=10, choices=PlanKind.choices)
    issued_on = models.DateField()
    # The file the council sent, kept in the evidence vault; none when typed in.
    document = models.ForeignKey(
        "vault.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The professional reports (in the vault) the plan should follow: their recommendations
    # are checked against Section F (the recommendation_missing flag).
    reports = models.ManyToManyField("vault.Document", blank=True, related_name="+")

    class Meta:
        ordering = ["-issued_on", "-created_at", "id"]
        indexes = [
            models.Index(fields=["case", "-issued_on", "-created_at"], name="ehcp_plan_versions")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} issued {self.issued_on:%-d %B %Y}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def section_texts(self) -> dict[str, str]:
        """The version's text of each section A..K, in order."""
        texts = dict(self.sections.values_list("key", "text"))
        return {key: texts.get(key, "") for key in SECTIONS}


class PlanSection(models.Model):
    """The text of one lettered section (A to K) of a plan version."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="sections")
    key = models.CharField(max_length=1, choices=[(key, f"Section {key}") for key in SECTIONS])
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="ehcp_plan_section_unique")
        ]

    def __str__(self) -> str:
        return f"Section {self.key}"


class FlagDecision(models.TextChoices):
    CONFIRM = "confirm", "Confirm"
    DISMISS = "dismiss", "Dismiss"


class PlanFlagDecision(models.Model):
    """The family's decision on one flag the analyser raised on a confirmed plan version.

    The flag is named by its key, a hash of its code, section and passage, so the decision
    stays with the same flag whenever the version's flags are worked out again. Each decision
    on a flag has the next number; the highest number is the one that stands."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, related_name="flag_decisions"
    )
    flag_key = models.CharField(max_length=64)
    number = models.PositiveIntegerField()
    code = models.CharField(max_length=30)
    section = models.CharField(max_length=1)
    decision = models.CharField(max_length=10, choices=FlagDecision.choices)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["version", "flag_key", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "flag_key", "number"], name="ehcp_plan_flag_decision_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} flag {self.flag_key[:8]} in section {self.section}"


# The sections whose provision is held as items, each linkable to the needs it meets.
PROVISION_SECTIONS = ("F", "G", "H")


class ItemNeedLinks(models.Model):
    """The Section B needs one provision item meets, as the family linked them.

    The item and the needs are named by keys (hashes of their text, as with flags) because
    they are worked out from the confirmed section text. Each save of an item's links has the
    next number; the highest stands, the earlier stay as the record."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="item_links")
    section = models.CharField(max_length=1)
    item_key = models.CharField(max_length=64)
    number = models.PositiveIntegerField()
    need_keys = models.JSONField(default=list)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["version", "section", "item_key", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "section", "item_key", "number"],
                name="ehcp_item_need_links_order",
            )
        ]

    def __str__(self) -> str:
        return f"Needs met by item {self.item_key[:8]} in section {self.section}"


class AnnotationStatus(models.TextChoices):
    OPEN = "open", "Open"
    RAISED = "raised", "Raised with the council"
    AGREED = "agreed", "Agreed"
    REFUSED = "refused", "Refused"


ANNOTATION_TAG_COLOURS: dict[str, str] = {
    AnnotationStatus.OPEN: "grey",
    AnnotationStatus.RAISED: "blue",
    AnnotationStatus.AGREED: "green",
    AnnotationStatus.REFUSED: "red",
}


class Annotation(models.Model):
    """The family's concern about a section of a plan version, or a passage in it, with the
    wording they propose instead and the documents that prove their point."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="annotations")
    section = models.CharField(max_length=1, choices=[(key, f"Section {key}") for key in SECTIONS])
    # Where the passage sits in the confirmed section text; both empty for the whole section.
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    passage = models.TextField(blank=True)
    concern = models.TextField()
    proposed_wording = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=AnnotationStatus.choices, default=AnnotationStatus.OPEN
    )
    evidence = models.ManyToManyField("vault.Document", blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["section", "start", "created_at", "id"]
        indexes = [models.Index(fields=["version", "section"], name="ehcp_annotations")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(start__isnull=True, end__isnull=True)
                    | models.Q(start__isnull=False, end__isnull=False, end__gt=models.F("start"))
                ),
                name="ehcp_annotation_passage_span",
            )
        ]

    def __str__(self) -> str:
        return f"Annotation on section {self.section}"

    @property
    def tag_colour(self) -> str:
        return ANNOTATION_TAG_COLOURS.get(self.status, "grey")

    @property
    def is_whole_section(self) -> bool:
        return self.start is None


class Comment(models.Model):
    """A comment by an advocate (or the family) on a flag, an annotation or a case note.

    Exactly one of the three is what it is about. Comments are never edited or removed
    (migration 0008): what an advocate advised, and when, stays on record."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="comments"
    )
    flag_key = models.CharField(max_length=64, blank=True)
    annotation = models.ForeignKey(
        Annotation, on_delete=models.PROTECT, null=True, blank=True, related_name="comments"
    )
    entry = models.ForeignKey(
        "ledger.Entry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["version", "flag_key"], name="ehcp_comments_on_flags"),
            models.Index(fields=["entry", "created_at"], name="ehcp_comments_on_notes"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        version__isnull=False,
                        annotation__isnull=True,
                        entry__isnull=True,
                    )
                    & ~models.Q(flag_key="")
                )
                | models.Q(annotation__isnull=False, version__isnull=True, entry__isnull=True)
                | models.Q(entry__isnull=False, version__isnull=True, annotation__isnull=True),
                name="ehcp_comment_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"Comment by {self.author} at {self.created_at:%Y-%m-%d %H:%M}"
