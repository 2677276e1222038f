"""Case audits: a manager samples cases, grades each against a checklist, records actions.

Recording rule 13 (PRODUCT.md): records are monitored and audited for compliance by managers.
An organisation keeps its own short checklist (`AuditQuestion`, seeded from the council
policy's recording rules). A manager samples cases (at random or chosen), and each sampled
case gets a `CaseAudit` with one `AuditAnswer` per question, the question's words copied when
the audit starts, so a later change to the checklist never rewrites an audit. The auditor
grades each answer, records `AuditAction`s for the worker and completes the audit with an
overall grade and a summary.

A completed audit is itself an audited record: the database refuses to change or delete it,
its answers or its actions, except to record an action as done (triggers, migration 0002).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Grade(models.TextChoices):
    """Ofsted's four-point scale, as its inspections of local authority children's services
    (ILACS) grade them, and "Not applicable" for a question that does not fit the case."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


# An audit's overall grade is always on Ofsted's scale: a whole case is never "not applicable".
OVERALL_GRADES = [Grade.OUTSTANDING, Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE]
# Grades that need a comment saying what fell short, so the worker can act on it.
GRADES_NEEDING_COMMENT = frozenset({Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE})


class Sampling(models.TextChoices):
    RANDOM = "random", "Random sample"
    CHOSEN = "chosen", "Chosen by the auditor"


class AuditQuestion(models.Model):
    """One question of an organisation's audit checklist. Never deleted: made inactive, so
    new audits stop asking it and audits already started keep their copy."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    text = models.CharField(max_length=300)
    guidance = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["position", "text"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "text"], name="audit_question_text_unique"
            )
        ]

    def __str__(self) -> str:
        return self.text


class CaseAudit(models.Model):
    """One case's audit: in progress until completed, then fixed for good."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The case's organisation, copied so the list filters on this table alone.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="audits")
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sampling = models.CharField(max_length=10, choices=Sampling.choices)
    # The audits started together share this: "this month's sample of 10".
    sample_id = models.UUIDField(default=uuid.uuid4, editable=False)
    started_at = models.DateTimeField(default=timezone.now, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    overall_grade = models.CharField(max_length=30, choices=Grade.choices, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sampling__in=Sampling.values), name="case_audit_sampling_known"
            ),
            # In progress: no grade, no summary. Completed: who, when, an Ofsted grade, a summary.
            models.CheckConstraint(
                condition=Q(
                    completed_at__isnull=True,
                    completed_by__isnull=True,
                    overall_grade="",
                    summary="",
                )
                | Q(
                    completed_at__isnull=False,
                    completed_by__isnull=False,
                    overall_grade__in=[grade.value for grade in OVERALL_GRADES],
                )
                & ~Q(summary=""),
                name="case_audit_completion_whole",
            ),
            # Two audits of one case at once would grade the same work twice.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(completed_at__isnull=True),
                name="case_audit_one_in_progress",
            ),
        ]
        indexes = [
            # The list: an organisation's audits, newest first; and a case's audits.
            models.Index(fields=["organisation", "-started_at", "-id"], name="case_audit_org"),
            models.Index(fields=["case", "-started_at"], name="case_audit_case"),
        ]

    def __str__(self) -> str:
        return f"Audit of {self.case_id} started {self.started_at:%Y-%m-%d}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    @property
    def status_label(self) -> str:
        return "Completed" if self.is_completed else "In progress"


class AuditAnswer(models.Model):
    """One checklist question on one audit, with the words it had when the audit started."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    audit = models.ForeignKey(CaseAudit, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(AuditQuestion, on_delete=models.PROTECT, related_name="+")
    question_text = models.CharField(max_length=300)
    guidance = models.TextField(blank=True)
    position = models.PositiveIntegerField()
    # Empty until graded; every question is graded before the audit is completed.
    grade = models.CharField(max_length=30, choices=Grade.choices, blank=True)
    comment = models.TextField(blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "question"], name="audit_answer_unique"),
            models.CheckConstraint(
                condition=Q(grade="", graded_at__isnull=True, graded_by__isnull=True)
                | Q(grade__in=Grade.values, graded_at__isnull=False, graded_by__isnull=False),
                name="audit_answer_graded_whole",
            ),
        ]

    def __str__(self) -> str:
        return self.question_text


class AuditAction(models.Model):
    """Something the worker is to do after the audit: by when, and whether it is done."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    audit = models.ForeignKey(CaseAudit, on_delete=models.PROTECT, related_name="actions")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_actions"
    )
    description = models.CharField(max_length=500)
    due_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["due_on", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True, completed_by__isnull=True)
                | Q(completed_at__isnull=False, completed_by__isnull=False),
                name="audit_action_done_whole",
            )
        ]
        indexes = [
            # A worker's "actions from case audits", open ones first by due date.
            models.Index(fields=["worker", "completed_at", "due_on"], name="audit_action_worker")
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None
