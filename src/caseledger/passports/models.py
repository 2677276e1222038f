"""Pupil passports (issue 8): one per pupil at their school, kept as agreed versions.

A passport is written with the pupil and agreed; a change is a new version, and every
version stays readable, so the school can show what each adult was told and when (SEND Code
of Practice 6.72). The database refuses to change or delete a version (migration 0002). The
photo's bytes are kept in the evidence vault's content-addressed storage (`StoredFile`),
never at a public address: they are served only through the passport's own access check.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone

from caseledger.domain.filetypes import MEDIA_TYPES, FileKind
from caseledger.domain.sen.passport import AccessArrangement, arrangements_text

# The passport's written parts, in the order the local offers give them (seeds 001, 002):
# the model's field, and the heading the pupil's words go under.
TEXT_PARTS: tuple[tuple[str, str], ...] = (
    ("like_you_to_know", "I would like you to know that…"),
    ("this_means", "This means that…"),
    ("find_difficult", "I find it difficult to…"),
    ("would_help_me", "It would help me if you could…"),
    ("help_myself", "I will help myself by…"),
    ("additional_support", "Additional support I receive"),
)
ACCESS_HEADING = "Access arrangements"
KEY_SUMMARY_HEADING = "Key summary"
ARRANGEMENT_CHOICES = [(arrangement.value, arrangement.label) for arrangement in AccessArrangement]


@dataclass(frozen=True)
class ShownPart:
    """A part as a page shows it: its heading, the words, and who wrote them with the pupil."""

    name: str
    heading: str
    text: str
    written_with: str


class Passport(models.Model):
    """A pupil's passport at their school: the versions hang off it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="passports"
    )
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="passports")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "child"], name="passport_one_per_pupil")
        ]

    def __str__(self) -> str:
        return f"Passport of {self.child}"


class PassportVersion(models.Model):
    """One agreed version of a passport. Never changed or deleted (migration 0002): a change
    is agreed as the next version."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    passport = models.ForeignKey(Passport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()

    photo = models.ForeignKey(
        "vault.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    photo_kind = models.CharField(
        max_length=10,
        blank=True,
        choices=[(FileKind.JPEG.value, "JPEG image"), (FileKind.PNG.value, "PNG image")],
    )

    like_you_to_know = models.TextField(blank=True)
    like_you_to_know_with = models.CharField(max_length=100, blank=True)
    this_means = models.TextField(blank=True)
    this_means_with = models.CharField(max_length=100, blank=True)
    find_difficult = models.TextField(blank=True)
    find_difficult_with = models.CharField(max_length=100, blank=True)
    would_help_me = models.TextField(blank=True)
    would_help_me_with = models.CharField(max_length=100, blank=True)
    help_myself = models.TextField(blank=True)
    help_myself_with = models.CharField(max_length=100, blank=True)
    additional_support = models.TextField(blank=True)
    additional_support_with = models.CharField(max_length=100, blank=True)
    access_arrangements = models.JSONField(default=list, blank=True)
    access_other = models.CharField(max_length=200, blank=True)
    access_with = models.CharField(max_length=100, blank=True)
    key_summary = models.TextField()
    key_summary_with = models.CharField(max_length=100, blank=True)

    agreed_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["passport", "number"], name="passport_version_unique")
        ]

    def __str__(self) -> str:
        return f"Passport version {self.number}"

    @property
    def photo_media_type(self) -> str:
        return MEDIA_TYPES[FileKind(self.photo_kind)]

    @property
    def arrangements_text(self) -> str:
        return arrangements_text(self.access_arrangements, self.access_other)

    @property
    def arrangement_labels(self) -> list[str]:
        return [
            arrangement.label
            for arrangement in AccessArrangement
            if arrangement in self.access_arrangements
        ]

    @property
    def parts(self) -> list[ShownPart]:
        """The written parts, then the access arrangements, as pages and the PDF show them."""
        shown = [
            ShownPart(name, heading, str(getattr(self, name)), str(getattr(self, f"{name}_with")))
            for name, heading in TEXT_PARTS
        ]
        shown.append(ShownPart("access", ACCESS_HEADING, self.arrangements_text, self.access_with))
        return shown
