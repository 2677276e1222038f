"""Keeping the search index in step with the record, inside the writer's transaction.

The ledger calls `index_entry` whenever an entry becomes final (every path goes through its
chain append); the vault calls `index_document` when a document's text is read or its details
change, and `remove_document` when a newer version replaces it. An amended note replaces its
earlier version here, and a note moved to the right child leaves the wrong child's index with
its tombstone: search shows what the chronology shows the people it is shown to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from caseledger.search.models import SearchEntry, SearchKind, scope_words

if TYPE_CHECKING:
    from caseledger.ledger.models import Entry
    from caseledger.vault.models import Document

# The tsvector PostgreSQL builds from one row must stay under 1 MB: index at most this many
# bytes (UTF-8) of a very long document (search finds it by its first couple of hundred pages).
MAX_INDEXED_BYTES = 250_000
# Characters search uses to mark matches inside snippets: never stored.
MARKERS = str.maketrans({"\x02": " ", "\x03": " "})


def _clean(text: str, limit: int) -> str:
    """Text as indexed: no match markers, no NUL (PostgreSQL refuses it in text), and at most
    `limit` bytes of UTF-8, cut at a character's edge."""
    cleaned = text.translate(MARKERS).replace("\x00", "")
    return cleaned.encode()[:limit].decode(errors="ignore")


def _entry_text(entry: Entry) -> tuple[str, str, str]:
    """(kind, category, body) of a final entry as search shows it."""
    from caseledger.ledger.models import Channel, EntryKind, EventType

    if entry.kind == EntryKind.INTERACTION:
        parts = [
            entry.contact_role,
            entry.contact_organisation,
            entry.body,
            f"They promised: {entry.promise}" if entry.promise else "",
        ]
        category = Channel(entry.channel).label if entry.channel else ""
        return SearchKind.INTERACTION, category, "\n".join(part for part in parts if part)
    if entry.kind == EntryKind.EVENT:
        category = EventType(entry.event_type).label if entry.event_type else ""
        return SearchKind.EVENT, category, entry.body
    parts = [entry.body, entry.external_reference, entry.correction_explanation]
    if entry.document_ids:
        # A note is found by the titles of the documents it cites (an email's subject): the
        # words people remember of the email lead to the note that summarises it.
        from caseledger.vault.models import Document

        # Only documents still on the note's case: those its readers can open.
        titles = Document.objects.filter(
            id__in=entry.document_ids, case_links__case_id=entry.case_id
        ).values_list("title", flat=True)
        parts.append("Documents: " + "; ".join(sorted(titles)))
    category = entry.contact_type.name if entry.contact_type_id and entry.contact_type else ""
    return SearchKind.NOTE, category, "\n".join(part for part in parts if part)


def index_entry(entry: Entry) -> None:
    """A newly final entry: add it; an amendment replaces its earlier version; a tombstone
    takes the moved note out of the wrong child's results."""
    from caseledger.ledger.models import EntryKind

    if entry.kind == EntryKind.MOVED_OUT:
        if entry.moved_entry_id is not None:
            SearchEntry.objects.filter(object_id=entry.moved_entry_id).delete()
        return
    if entry.previous_version_id is not None:
        SearchEntry.objects.filter(object_id=entry.previous_version_id).delete()
    row = _entry_row(entry)
    if row is not None:
        row.save(force_insert=True)


def _document_body(document: Document) -> str:
    """What is searched besides the title: the file's name, its source, and its words (an
    email's own headers until the worker has read it, as they open its text after)."""
    headers = [
        f"From: {document.email_sender}" if document.email_sender else "",
        f"To: {document.email_to}" if document.email_to else "",
        document.email_subject,
    ]
    parts = [
        # The file's name split into words: PostgreSQL's parser reads "camhs.pdf" as one
        # token (a file name), SQLite's as two; both find "camhs" in "camhs pdf".
        re.sub(r"[\W_]+", " ", document.file_name),
        document.source,
        *([] if document.extracted_text else headers),
        document.extracted_text,
    ]
    return "\n".join(part for part in parts if part)


def index_document(document: Document) -> None:
    """The current version of a document, once per case it is on; anything else removed."""
    SearchEntry.objects.filter(kind=SearchKind.DOCUMENT, object_id=document.id).delete()
    if not document.is_current:
        return
    links = list(document.case_links.select_related("case"))
    day = document.document_date or timezone.localdate(document.uploaded_at)
    body = _clean(_document_body(document), MAX_INDEXED_BYTES)
    SearchEntry.objects.bulk_create(
        SearchEntry(
            kind=SearchKind.DOCUMENT,
            object_id=document.id,
            case_id=link.case_id,
            child_id=link.case.child_id,
            organisation_id=document.organisation_id,
            occurred_on=day,
            category=document.category.name[:100],
            title=_clean(document.title, 300),
            body=body,
            scope=scope_words(link.case_id, document.organisation_id),
        )
        for link in links
    )


def reindex_citing_entries(document: Document) -> None:
    """The final notes citing any version of the document, indexed again (their rows hold
    the titles of what they cite)."""
    from caseledger.ledger.models import Entry, EntryStatus

    citing = Entry.objects.filter(
        entry_documents__document__lineage=document.lineage,
        status=EntryStatus.FINAL,
        id__in=SearchEntry.objects.values("object_id"),
    ).select_related("case", "contact_type")
    for entry in citing.distinct():
        SearchEntry.objects.filter(object_id=entry.id).delete()
        row = _entry_row(entry)
        if row is not None:
            row.save(force_insert=True)


def remove_document(document: Document) -> None:
    SearchEntry.objects.filter(kind=SearchKind.DOCUMENT, object_id=document.id).delete()


def _entry_row(entry: Entry) -> SearchEntry | None:
    if entry.occurred_at is None:
        return None
    kind, category, body = _entry_text(entry)
    return SearchEntry(
        kind=kind,
        object_id=entry.id,
        case_id=entry.case_id,
        child_id=entry.case.child_id,
        organisation_id=entry.case.organisation_id,
        occurred_on=timezone.localdate(entry.occurred_at),
        category=category[:100],
        title=_clean(entry.heading, 300),
        body=_clean(body, MAX_INDEXED_BYTES),
        scope=scope_words(entry.case_id, entry.case.organisation_id),
    )


def rebuild_index(*, batch: int = 5_000, progress: Callable[[str], None] | None = None) -> int:
    """Index everything again from the record: for a database written before search existed,
    or after restoring one. Returns how many rows were written."""
    from caseledger.ledger.models import Entry, EntryKind, EntryStatus
    from caseledger.vault.models import Document

    say = progress or (lambda _message: None)
    with transaction.atomic():
        SearchEntry.objects.all().delete()
    final = Entry.objects.filter(status=EntryStatus.FINAL)
    superseded = set(
        final.filter(previous_version__isnull=False).values_list("previous_version_id", flat=True)
    )
    moved = set(
        final.filter(kind=EntryKind.MOVED_OUT, moved_entry__isnull=False).values_list(
            "moved_entry_id", flat=True
        )
    )
    written = 0
    rows: list[SearchEntry] = []
    entries = (
        final.exclude(kind=EntryKind.MOVED_OUT)
        .select_related("case", "contact_type")
        .order_by("id")
        .iterator(chunk_size=batch)
    )
    for entry in entries:
        if entry.id in superseded or entry.id in moved:
            continue
        row = _entry_row(entry)
        if row is not None:
            rows.append(row)
        if len(rows) >= batch:
            written += _write(rows)
            rows = []
            say(f"{written} rows indexed…")
    written += _write(rows)
    documents = Document.objects.filter(is_current=True).select_related("category")
    for document in documents.iterator(chunk_size=batch):
        with transaction.atomic():
            index_document(document)
    written += SearchEntry.objects.filter(kind=SearchKind.DOCUMENT).count()
    return written


def _write(rows: list[SearchEntry]) -> int:
    if rows:
        with transaction.atomic():
            SearchEntry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
