"""The recording-quality assistant's settings and what it said about each finalised note.

The analyser itself is pure Python (`caseledger.domain.quality`); this app keeps what an
organisation chose (which checks run, which block finalising, its glossary of explained
abbreviations, its lexicon of words the spelling check accepts, its guide length) and, for
every note finalised with findings still standing, one `NoteFinding` per finding: the
"finalised notes with unresolved findings" managers monitor (recording rule 13).

A finding is advice (recording rule 12 and the council's Appendix A): a note can be finalised
with findings, except those the organisation makes blocking (by default `pasted_email`, rule
11), which the author must resolve or confirm are not what the check thinks.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class QualitySettings(models.Model):
    """One organisation's choices for the assistant. A missing row means the defaults."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="quality_settings",
    )
    # The finding codes that run (domain.quality.CODES); the defaults run them all.
    enabled_codes = models.JSONField(default=list)
    # Codes that stop a note being finalised until resolved or confirmed.
    blocking_codes = models.JSONField(default=list)
    # {"CIN": "child in need"}: abbreviations this organisation uses, with what they stand for.
    glossary = models.JSONField(default=dict, blank=True)
    # Words the spelling check accepts: local place names, service names.
    lexicon = models.JSONField(default=list, blank=True)
    # A note this many words long is about as long as a case note should be; far longer is
    # `too_long` (the guidance: "thorough and concise … not … unnecessarily lengthy").
    guide_length_words = models.PositiveIntegerField(default=400)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "quality settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(guide_length_words__gte=50), name="quality_guide_length_sensible"
            )
        ]

    def __str__(self) -> str:
        return f"Recording quality settings of {self.organisation_id}"


class NoteFinding(models.Model):
    """A finding that stood when its note was finalised: written once, in the same transaction
    as the note, and never changed (the database refuses UPDATE and DELETE, as it does for the
    note). `resolved` is true when the author confirmed the finding does not apply (for a
    blocking code, the confirmation that let the note be finalised) with their reason."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entry = models.ForeignKey("ledger.Entry", on_delete=models.PROTECT, related_name="findings")
    # Copied from the note so the managers' dashboards filter and count from this table alone.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    finalised_at = models.DateTimeField()
    code = models.CharField(max_length=30)
    # Character offsets into the note's body, as the analyser gave them.
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    message = models.TextField()
    suggestion = models.TextField(blank=True)
    resolved = models.BooleanField(default=False)
    resolution_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["entry", "start", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="finding_span"),
            models.CheckConstraint(
                condition=Q(resolved=False, resolution_reason="")
                | Q(resolved=True) & ~Q(resolution_reason=""),
                name="finding_resolution_has_reason",
            ),
        ]
        indexes = [
            # The dashboards: an organisation's (or a team's cases') unresolved findings by date.
            models.Index(
                fields=["organisation", "resolved", "finalised_at"], name="finding_org_open"
            ),
            models.Index(fields=["case", "resolved", "finalised_at"], name="finding_case_open"),
            models.Index(fields=["author", "finalised_at"], name="finding_author"),
        ]

    def __str__(self) -> str:
        return f"{self.code} on {self.entry_id}"
