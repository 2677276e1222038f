"""Keeping the search index in step with the record, inside the writer's transaction.

The ledger calls `index_entry` whenever an entry becomes final (every path goes through its
chain append); the vault calls `index_document` when a document's text is read or its details
change, and `remove_document` when a newer version replaces it. An amended note replaces its
earlier version here, and a note moved to the right child leaves the wrong child's index with
its tombstone: search shows what the chronology shows the people it is shown to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from caseledger.search.models import SearchEntry, SearchKind

if TYPE_CHECKING:
    from caseledger.ledger.models import Entry
    from caseledger.vault.models import Document

# The tsvector PostgreSQL builds from one row must stay under 1 MB: index at most this much
# of a very long document (search finds it by its first few hundred pages).
MAX_INDEXED_CHARACTERS = 300_000
# Characters search uses to mark matches inside snippets: never stored.
MARKERS = str.maketrans({"\x02": " ", "\x03": " "})


def _clean(text: str, limit: int) -> str:
    return text.translate(MARKERS)[:limit]


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
    if entry.occurred_at is None:
        return
    kind, category, body = _entry_text(entry)
    SearchEntry.objects.create(
        kind=kind,
        object_id=entry.id,
        case_id=entry.case_id,
        child_id=entry.case.child_id,
        organisation_id=entry.case.organisation_id,
        occurred_on=timezone.localdate(entry.occurred_at),
        category=category[:100],
        title=_clean(entry.heading, 300),
        body=_clean(body, MAX_INDEXED_CHARACTERS),
    )


def _document_body(document: Document) -> str:
    parts = [
        document.file_name,
        document.source,
        f"From: {document.email_sender}" if document.email_sender else "",
        f"To: {document.email_to}" if document.email_to else "",
        document.email_subject,
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
    body = _clean(_document_body(document), MAX_INDEXED_CHARACTERS)
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
        )
        for link in links
    )


def remove_document(document: Document) -> None:
    SearchEntry.objects.filter(kind=SearchKind.DOCUMENT, object_id=document.id).delete()
