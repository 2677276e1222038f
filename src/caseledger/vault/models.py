"""The evidence vault: files kept as they were received, with what is known about them.

A file's bytes are stored once, under their SHA-256 (`StoredFile`), outside the web root, and
never overwritten or removed. A `Document` is one version of one piece of evidence: its file,
the name it came with, what kind of file it is (decided by its bytes), and the details people
give it (title, category, date, source, topics, the cases it belongs to). The details may be
corrected, with old and new values audited; the file never changes. A new version is a new
`Document` in the same lineage, and every version stays downloadable. The database refuses
any change to what a document *is* (triggers, migration 0002).

An email (.eml, .msg) is a document too, with its sender, recipients, date, subject and body
read out of it; each of its attachments is a document of its own, linked to the email
(recording rule 11: emails are stored as documents, never pasted into notes).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from caseledger.domain.filetypes import LABELS, MEDIA_TYPES, FileKind
from caseledger.domain.text_extraction import ExtractionStatus


class DocumentCategory(models.Model):
    """A category an organisation files documents under: its own list, with defaults."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="document_categories"
    )
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "document categories"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="document_category_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class StoredFile(models.Model):
    """Bytes as received, named by their SHA-256. Rows are never changed or deleted."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return self.sha256


class Document(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="documents"
    )
    # Versions: every version of one document shares its first version's id as `lineage`.
    lineage = models.UUIDField(db_index=True)
    version = models.PositiveIntegerField(default=1)
    previous_version = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    is_current = models.BooleanField(default=True)

    # The file: fixed once stored.
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=10, choices=[(kind.value, LABELS[kind]) for kind in FileKind]
    )
    active_content = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    attached_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )

    # What people say about it: may be corrected (audited with old and new values).
    title = models.CharField(max_length=200)
    category = models.ForeignKey(DocumentCategory, on_delete=models.PROTECT, related_name="+")
    document_date = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)
    tags = models.ManyToManyField("ledger.Tag", blank=True, related_name="+")
    cases = models.ManyToManyField("cases.Case", through="DocumentCase", related_name="documents")

    # An email's facts, read from the file when it was stored: fixed with it.
    email_sender = models.TextField(blank=True)
    email_to = models.TextField(blank=True)
    email_cc = models.TextField(blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    email_subject = models.TextField(blank=True)
    email_text_body = models.TextField(blank=True)
    # As sent: untrusted. Shown only after sanitising (nh3), never stored sanitised.
    email_html_body = models.TextField(blank=True)
    email_attachments_left_out = models.JSONField(default=list, blank=True)

    # The words in it, for search: read by the background worker.
    extraction_status = models.CharField(
        max_length=20,
        choices=[(status.value, status.value) for status in ExtractionStatus],
        default=ExtractionStatus.PENDING,
    )
    extracted_text = models.TextField(blank=True)
    extraction_problem = models.CharField(max_length=300, blank=True)
    extracted_at = models.DateTimeField(null=True, blank=True)
    # A PDF's every object checked for script and launch actions by the worker (None: not yet);
    # only a PDF found clean is shown in the page.
    scripts_found = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lineage", "version"], name="document_version_unique"),
            models.CheckConstraint(
                condition=Q(version=1, previous_version__isnull=True)
                | Q(version__gt=1, previous_version__isnull=False),
                name="document_version_has_previous",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "-uploaded_at"], name="document_org_recent"),
            models.Index(fields=["extraction_status"], name="document_extraction"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def file_kind(self) -> FileKind:
        return FileKind(self.kind)

    @property
    def kind_label(self) -> str:
        return LABELS[self.file_kind]

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.file_kind]

    @property
    def is_email(self) -> bool:
        return self.kind in (FileKind.EML, FileKind.MSG)

    @property
    def previewable(self) -> bool:
        """Shown in the page: images, and PDFs the worker has checked and found without
        scripts or actions (others are only downloaded)."""
        if self.kind == FileKind.PDF:
            return not self.active_content and self.scripts_found is False
        return self.kind in (FileKind.JPEG, FileKind.PNG)


class DocumentCase(models.Model):
    """Which cases a document belongs to (and so which children, and who may see it)."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="case_links")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "case"], name="document_case_unique")
        ]
        indexes = [models.Index(fields=["case", "document"], name="document_case_by_case")]

    def __str__(self) -> str:
        return f"{self.document_id} on {self.case_id}"
