"""A school's SEN register (issue 8): one entry per pupil, and the append-only history of
every change to it.

The codes are the census's (`caseledger.domain.sen.areas`): provision K (SEN support) or E
(EHC plan), and the types of need ranked 1 and 2. A pupil's year group is not stored: it is
worked out from the date of birth on the day it is shown (`year_groups.py`), so it is never
out of date after the summer.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from caseledger.domain.sen.areas import NeedCode, SenProvision

NEED_CHOICES = [(code.value, f"{code.abbreviation}: {code.name_in_full}") for code in NeedCode]
PROVISION_CHOICES = [(provision.value, provision.label) for provision in SenProvision]


class RegisterStatus(models.TextChoices):
    ON_REGISTER = "on_register", "On the register"
    REMOVED = "removed", "Removed from the register"


class RegisterEntry(models.Model):
    """A pupil's place on their school's SEN register; changed only through sen.services,
    each change written to `RegisterChange`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="sen_register"
    )
    child = models.OneToOneField(
        "people.Child", on_delete=models.PROTECT, related_name="sen_register_entry"
    )
    provision = models.CharField(max_length=1, choices=PROVISION_CHOICES)
    primary_need = models.CharField(max_length=4, choices=NEED_CHOICES)
    secondary_need = models.CharField(max_length=4, choices=NEED_CHOICES, blank=True)
    started_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=RegisterStatus.choices, default=RegisterStatus.ON_REGISTER
    )
    removed_on = models.DateField(null=True, blank=True)
    # A looked-after pupil's Personal Education Plan, and a pupil with medical needs'
    # Individual Healthcare Plan: documents in the vault, each with its next review.
    education_plan = models.ForeignKey(
        "vault.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    education_plan_review_on = models.DateField(null=True, blank=True)
    healthcare_plan = models.ForeignKey(
        "vault.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    healthcare_plan_review_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name_plural = "register entries"
        indexes = [
            models.Index(fields=["organisation", "status", "primary_need"], name="sen_entry_need")
        ]

    def __str__(self) -> str:
        return f"{self.child} on the SEN register"

    @property
    def is_on_register(self) -> bool:
        return self.status == RegisterStatus.ON_REGISTER

    @property
    def primary_need_code(self) -> NeedCode:
        return NeedCode(self.primary_need)

    @property
    def secondary_need_code(self) -> NeedCode | None:
        return NeedCode(self.secondary_need) if self.secondary_need else None

    @property
    def provision_label(self) -> str:
        return SenProvision(self.provision).label


class RegisterChange(models.Model):
    """One change to a register entry: who made it, when, what changed and why. Append-only:
    the database refuses UPDATE and DELETE (migration 0002)."""

    class Kind(models.TextChoices):
        ADDED = "added", "Added to the register"
        CHANGED = "changed", "Changed"
        REMOVED = "removed", "Removed from the register"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now, editable=False)
    effective_on = models.DateField()
    # The entry as it stood after the change, for counting the register on a past date.
    provision = models.CharField(max_length=1, choices=PROVISION_CHOICES)
    primary_need = models.CharField(max_length=4, choices=NEED_CHOICES)
    secondary_need = models.CharField(max_length=4, choices=NEED_CHOICES, blank=True)
    # What changed, as people read it ("Primary need: SpLD to ASD").
    what_changed = models.TextField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["made_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.entry.child}"


class SchoolClass(models.Model):
    """A class (or teaching set) in a school: its teachers see its pupils' SEN records —
    register entry, passport, support plan, provision (issue 8: "teachers see pupils in
    their classes"). The SENCO, head (team manager) and admins see every pupil."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="school_classes"
    )
    name = models.CharField(max_length=100)
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="school_classes", blank=True
    )
    pupils = models.ManyToManyField("people.Child", related_name="school_classes", blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "school classes"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="school_class_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ParentAccess(models.Model):
    """A school's read access for a parent or carer to their child's SEN support records —
    passport, current plan and reviews — with the right to add their views to a review.

    The school holds its own record of the child and the family holds its own (nothing is
    shared across organisations): this is the explicit, audited, revocable grant that lets
    one parent account read the school's records of one pupil (PRODUCT.md)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="parent_accesses"
    )
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="school_accesses"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-granted_at"]
        indexes = [
            models.Index(fields=["grantee", "revoked_at"], name="parent_access_grantee"),
            models.Index(fields=["child", "revoked_at"], name="parent_access_child"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "grantee"],
                condition=models.Q(revoked_at__isnull=True),
                name="parent_access_one_live",
            )
        ]

    def __str__(self) -> str:
        return f"Parent access for {self.grantee}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
