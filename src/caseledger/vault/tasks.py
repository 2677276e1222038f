"""Background work for the vault: reading the text out of a stored document for search.

Run by the worker (`caseledger db_worker`, started by `make run`), never in a web request.
The outcome is written on the document, so its page says whether the text was read, that
there was none (a scanned image), or why it could not be: the upload is kept in every case.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from caseledger.domain.filetypes import FileKind
from caseledger.domain.text_extraction import (
    Extracted,
    ExtractionStatus,
    extract_text,
    pdf_has_scripts,
)
from caseledger.vault import storage
from caseledger.vault.models import Document

log = logging.getLogger(__name__)


def read_document_text(document: Document) -> tuple[Extracted, bool | None]:
    """The document's words, and for a PDF whether it holds scripts or actions."""
    try:
        with storage.open_stored(document.stored_file_id) as stored:
            outcome = extract_text(document.file_kind, stored)
            scripts = None
            if document.file_kind is FileKind.PDF:
                stored.seek(0)
                scripts = pdf_has_scripts(stored)
            return outcome, scripts
    except OSError:
        # Never log the file's name or contents: ids only (ASVS 16.2.5).
        log.exception("Stored file for document %s could not be read", document.id)
        failed = Extracted(ExtractionStatus.FAILED, problem="The stored file could not be read")
        return failed, (True if document.file_kind is FileKind.PDF else None)


@task
def extract_document_text(document_id: str) -> None:
    """Read the document's words (outside any transaction), then record them and index the
    document in one short transaction."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return
    outcome, scripts = read_document_text(document)
    with transaction.atomic():
        document = (
            Document.objects.select_for_update().select_related("category").get(pk=document_id)
        )
        document.extraction_status = outcome.status
        document.extracted_text = outcome.text
        document.extraction_problem = outcome.problem[:300]
        document.extracted_at = timezone.now()
        document.scripts_found = scripts
        document.save(
            update_fields=[
                "extraction_status",
                "extracted_text",
                "extraction_problem",
                "extracted_at",
                "scripts_found",
            ]
        )
        from caseledger.search.indexing import index_document

        index_document(document)
