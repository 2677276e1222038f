"""Who sees a document: whoever sees one of the cases it belongs to. Everyone else gets a 404.

Built on `cases_visible_to`, the single definition of who sees which case, so a document, the
list it is in, the search that finds it and the note that cites it can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from caseledger.accounts.models import User
from caseledger.cases.access import can_work_on_case, cases_visible_to
from caseledger.cases.models import Case
from caseledger.vault.models import Document, DocumentCase


def documents_visible_to(user: User) -> QuerySet[Document]:
    return Document.objects.filter(
        Exists(
            DocumentCase.objects.filter(document=OuterRef("pk"), case__in=cases_visible_to(user))
        )
    )


def access_document(user: User, document_id: UUID) -> Document:
    document = (
        documents_visible_to(user)
        .filter(pk=document_id)
        .select_related("organisation", "category", "stored_file", "uploaded_by", "attached_to")
        .first()
    )
    if document is None:
        raise Http404
    return document


def visible_cases_of(user: User, document: Document) -> list[Case]:
    """The document's cases that the user may see (never the others' references)."""
    return list(
        cases_visible_to(user)
        .filter(pk__in=DocumentCase.objects.filter(document=document).values("case_id"))
        .select_related("child", "organisation")
        .order_by("reference")
    )


def access_document_for_work(user: User, document_id: UUID) -> tuple[Document, list[Case]]:
    """A document the user may change (on a case they work on), with its visible cases."""
    document = access_document(user, document_id)
    cases = visible_cases_of(user, document)
    if not any(can_work_on_case(user, case) for case in cases):
        raise Http404
    return document, cases


def case_documents(case: Case) -> QuerySet[Document]:
    """The current version of each document on the case, newest first."""
    return (
        Document.objects.filter(case_links__case=case, is_current=True)
        .select_related("category", "uploaded_by")
        .order_by("-uploaded_at", "-id")
    )


def citable_documents(case: Case, cited: Iterable[str] = ()) -> list[Document]:
    """What a note on the case may cite: its current documents, and any already cited."""
    documents = list(case_documents(case)[:200])
    shown = {str(document.id) for document in documents}
    missing = [value for value in cited if value not in shown]
    if missing:
        documents += list(
            Document.objects.filter(case_links__case=case, pk__in=missing).select_related(
                "category"
            )
        )
    return documents
