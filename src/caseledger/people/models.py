"""Children, their households and the adults and professionals around them.

These are mutable records (names change, families move): every edit goes through a service
that writes the old and new values to the audit trail. Each organisation holds its own
record of a child; nothing here is shared across organisations.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.db import models
from django.utils import timezone

from caseledger.domain.dates import describe_age
from caseledger.domain.identifiers import format_nhs_number


class Household(models.Model):
    """Children who live together; brothers and sisters are found through it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="households"
    )
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Child(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other gender identity"
        NOT_KNOWN = "not_known", "Not known"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="children"
    )
    first_names = models.CharField("Legal first and middle names", max_length=200)
    last_name = models.CharField("Legal last name", max_length=200)
    preferred_name = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=20, choices=Gender.choices)
    upn = models.CharField("Unique Pupil Number (UPN)", max_length=13, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    local_person_id = models.CharField("Local person ID", max_length=40, blank=True)
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField("Town or city", max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["last_name", "first_names"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "nhs_number"],
                condition=~models.Q(nhs_number=""),
                name="child_nhs_number_unique_in_organisation",
            ),
            models.UniqueConstraint(
                fields=["organisation", "upn"],
                condition=~models.Q(upn=""),
                name="child_upn_unique_in_organisation",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "last_name"], name="child_org_name")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def legal_name(self) -> str:
        return f"{self.first_names} {self.last_name}"

    @property
    def display_name(self) -> str:
        """The name the child is known by, as practitioners are asked to use it."""
        if self.preferred_name:
            return f"{self.preferred_name} {self.last_name}"
        return self.legal_name

    def age_description(self, on: date | None = None) -> str:
        return describe_age(self.date_of_birth, on or timezone.localdate())

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number)

    @property
    def address_lines(self) -> list[str]:
        parts = [self.address_line_1, self.address_line_2, self.town, self.postcode]
        return [part for part in parts if part]


class RelatedAdult(models.Model):
    """An adult in the child's life and their relationship to this child."""

    class Relationship(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        STEP_PARENT = "step_parent", "Step-parent"
        GRANDPARENT = "grandparent", "Grandparent"
        AUNT_OR_UNCLE = "aunt_or_uncle", "Aunt or uncle"
        FOSTER_CARER = "foster_carer", "Foster carer"
        SPECIAL_GUARDIAN = "special_guardian", "Special guardian"
        PARTNER_OF_PARENT = "partner_of_parent", "Partner of a parent"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="adults")
    full_name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=30, choices=Relationship.choices)
    has_parental_responsibility = models.BooleanField()
    lives_with_child = models.BooleanField(default=False)
    phone = models.CharField("Phone number", max_length=40, blank=True)
    email = models.EmailField("Email address", blank=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["-has_parental_responsibility", "full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_relationship_display()})"


class Professional(models.Model):
    """A professional involved with the child: health visitor, teacher, therapist and so on."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="professionals")
    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=200)
    organisation_name = models.CharField("Organisation", max_length=200)
    phone = models.CharField("Phone number", max_length=40, blank=True)
    email = models.EmailField("Email address", blank=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.role}"
