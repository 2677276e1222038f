"""Cases: one piece of work about one child in one organisation, who holds it, who may see it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class CaseType(models.TextChoices):
    EARLY_HELP = "early_help", "Early help"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION = "child_protection", "Child protection"
    LOOKED_AFTER = "looked_after", "Looked after"
    SEN_SUPPORT = "sen_support", "SEN support"
    EHCP_TRACKING = "ehcp_tracking", "EHCP tracking"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="cases"
    )
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="cases")
    case_type = models.CharField(max_length=30, choices=CaseType.choices)
    reference = models.CharField(max_length=30)
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    allocated_team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    allocated_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="worker_cases",
    )
    allocated_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_cases",
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"], name="case_reference_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="case_closed_after_opened",
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", closed_on__isnull=True)
                | models.Q(status="closed", closed_on__isnull=False),
                name="case_closed_has_date",
            ),
        ]
        # Each caseload view filters on one of these columns and pages by (opened_on, id).
        indexes = [
            models.Index(
                fields=["allocated_worker", "status", "-opened_on", "-id"], name="case_worker_load"
            ),
            models.Index(
                fields=["allocated_team", "status", "-opened_on", "-id"], name="case_team_load"
            ),
            models.Index(
                fields=["organisation", "status", "-opened_on", "-id"], name="case_org_load"
            ),
            models.Index(fields=["allocated_manager", "status"], name="case_manager_load"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class CaseStatusChange(models.Model):
    """The status history of a case: opened, closed, reopened — when, by whom and why."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="status_changes")
    status = models.CharField(max_length=10, choices=CaseStatus.choices)
    effective_on = models.DateField()
    reason = models.CharField(max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {self.effective_on}"


class AccessGrant(models.Model):
    """Read-only access to one case for a family member or an advocate, revocable at once."""

    class Kind(models.TextChoices):
        FAMILY_MEMBER = "family_member", "Family member"
        ADVOCATE = "advocate", "Advocate"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="grants")
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grants"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["grantee", "case"], name="grant_grantee_case")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} access for {self.grantee}"

    def is_live(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_on is None or self.expires_on >= timezone.localdate()


class FamilyGrant(models.Model):
    """A family's read-only access for an advocate to one of its children's cases, or to every
    child's (now and later), revocable at once (issue 7).

    Unlike an AccessGrant, which names one case, it follows the child: the advocate sees each
    case the family holds for that child, or for any of its children when `child` is empty."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="family_grants"
    )
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="family_grants"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-granted_at"]
        indexes = [
            models.Index(fields=["grantee", "revoked_at"], name="family_grant_grantee"),
            models.Index(fields=["organisation", "-granted_at"], name="family_grant_family"),
        ]

    def __str__(self) -> str:
        return f"Advocate access for {self.grantee}"

    def is_live(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_on is None or self.expires_on >= timezone.localdate()
