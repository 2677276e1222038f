"""What a document's family shares, and what citations and search may show (issue 5).

An email and its attachments, and every version of a document, go where the document goes:
none is left on a case it has been moved off. A note moved to the right child (rule 6) is not
listed as citing anything. A final note never cites a document its readers cannot open. One
upload stores a bounded number of documents, and damaged emails are refusals, not errors.
"""

from __future__ import annotations

import contextlib
import io
import random
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.models import Case
from caseledger.domain.emails import EmailUnreadableError, parse_msg
from caseledger.domain.errors import DomainError
from caseledger.ledger.models import ContactType, Entry
from caseledger.ledger.services import (
    NoteContent,
    finalise_note,
    move_to_right_child,
    report_wrong_child,
    start_draft,
)
from caseledger.search.indexing import MAX_INDEXED_BYTES
from caseledger.search.models import SearchEntry
from caseledger.search.services import Filters, search
from caseledger.vault import services
from caseledger.vault.models import Document, DocumentCategory
from caseledger.vault.services import (
    DocumentDetails,
    change_document_details,
    store_document,
    store_new_version,
)
from caseledger.vault.tests import samples

pytestmark = pytest.mark.django_db


def store(actor: User, cases: list[Case], name: str, data: bytes, title: str = "") -> Document:
    category = DocumentCategory.objects.filter(organisation=cases[0].organisation).first()
    assert category is not None
    document = store_document(
        actor=actor,
        source=io.BytesIO(data),
        file_name=name,
        size=len(data),
        details=DocumentDetails(title=title, category=category, cases=cases),
    )
    return Document.objects.get(pk=document.pk)


def move(actor: User, document: Document, cases: list[Case]) -> None:
    change_document_details(
        actor=actor,
        document=document,
        details=DocumentDetails(
            title=document.title,
            category=document.category,
            cases=cases,
            document_date=document.document_date,
            source=document.source,
        ),
    )


def note_citing(actor: User, case: Case, document: Document, title: str = "About it") -> Entry:
    draft = start_draft(
        actor=actor,
        case=case,
        content=NoteContent(
            occurred_at=timezone.now() - timedelta(hours=1),
            title=title,
            body="See the document.",
            contact_type=ContactType.objects.get(organisation=case.organisation, name="Email"),
            document_ids=[document.id],
        ),
    )
    return finalise_note(actor=actor, draft=draft)[0]


def test_moving_an_email_moves_its_attachments_too(
    worker: User, parent: User, kayden_case: Case, freddie_la_case: Case, client_for: Any
) -> None:
    """Filed on Freddie's case by mistake, then moved to Kayden's: Jo, who sees only
    Freddie's case, can no longer open, list or find its attachment."""
    data = samples.eml(
        attachments=[("camhs.pdf", "application/pdf", samples.pdf("Zebracode CAMHS referral"))]
    )
    email = store(worker, [freddie_la_case], "mail.eml", data)
    (attachment,) = email.attachments.all()
    move(worker, email, [kayden_case])
    assert list(Document.objects.get(pk=attachment.pk).cases.all()) == [kayden_case]
    jo = client_for(parent)
    assert jo.get(f"/documents/{attachment.id}/").status_code == 404
    assert jo.get(f"/documents/{attachment.id}/file/").status_code == 404
    assert "camhs" not in jo.get(f"/cases/{freddie_la_case.id}/documents/").content.decode()
    assert search(actor=parent, query="camhs", filters=Filters()).total == 0
    assert search(actor=worker, query="camhs", filters=Filters()).total == 1
    (event,) = AuditEvent.objects.filter(
        action=Action.DOCUMENT_DETAILS_CHANGED, object_id=str(email.id)
    )
    assert event.detail["family"] == [str(attachment.id)]


def test_moving_a_document_moves_its_earlier_versions_too(
    worker: User, parent: User, kayden_case: Case, freddie_la_case: Case, client_for: Any
) -> None:
    first = store(worker, [freddie_la_case], "plan.pdf", samples.pdf("v1"), title="Plan")
    second = store_new_version(
        actor=worker,
        document=first,
        source=io.BytesIO(samples.pdf("v2")),
        file_name="plan.pdf",
        size=len(samples.pdf("v2")),
    )
    move(worker, Document.objects.get(pk=second.pk), [kayden_case])
    jo = client_for(parent)
    for document in (first, second):
        assert jo.get(f"/documents/{document.id}/").status_code == 404
        assert jo.get(f"/documents/{document.id}/file/").status_code == 404
    page = client_for(worker).get(f"/documents/{first.id}/").content.decode()
    assert f'href="/documents/{second.id}/"' in page


def test_a_document_cited_by_a_draft_stays_on_the_drafts_case(
    worker: User, kayden_case: Case, noah_case: Case, manager: User
) -> None:
    document = store(worker, [kayden_case], "letter.pdf", samples.pdf("Letter"), title="Letter")
    start_draft(
        actor=worker,
        case=kayden_case,
        content=NoteContent(title="Draft about the letter", document_ids=[document.id]),
    )
    with pytest.raises(DomainError) as refused:
        move(manager, document, [noah_case])
    assert refused.value.message.startswith("A draft note on ")


def test_a_draft_cannot_be_finalised_citing_a_document_moved_off_its_case(
    worker: User, kayden_case: Case, noah_case: Case, manager: User
) -> None:
    """Moved by someone who could not see the draft's citation being made at the time: the
    check is made again when the note becomes final."""
    document = store(worker, [kayden_case], "letter.pdf", samples.pdf("Letter"), title="Letter")
    draft = start_draft(
        actor=worker,
        case=kayden_case,
        content=NoteContent(
            occurred_at=timezone.now() - timedelta(hours=1),
            title="About the letter",
            body="See it.",
            contact_type=ContactType.objects.get(
                organisation=kayden_case.organisation, name="Email"
            ),
            document_ids=[document.id],
        ),
    )
    # As a move that raced the draft would leave it (the service refuses the move itself).
    from caseledger.vault.models import DocumentCase

    DocumentCase.objects.filter(document=document).update(case=noah_case)
    with pytest.raises(DomainError) as refused:
        finalise_note(actor=worker, draft=draft)
    assert refused.value.field == "documents"
    assert Entry.objects.get(pk=draft.pk).is_draft


def test_a_note_moved_to_the_right_child_is_not_listed_as_citing_the_document(
    worker: User,
    manager: User,
    org_admin: User,
    parent: User,
    kayden_case: Case,
    freddie_la_case: Case,
    client_for: Any,
) -> None:
    document = store(worker, [freddie_la_case], "plan.pdf", samples.pdf("Plan"), title="Plan")
    note = note_citing(worker, freddie_la_case, document, title="Call about Kayden Walker")
    report = report_wrong_child(actor=manager, entry=note, explanation="About Kayden")
    move_to_right_child(actor=org_admin, report=report, target_reference=kayden_case.reference)
    page = client_for(parent).get(f"/documents/{document.id}/").content.decode()
    assert "Call about Kayden Walker" not in page
    hits = search(actor=parent, query="plan", filters=Filters()).hits
    (hit,) = [hit for hit in hits if hit.object_id == document.id]
    assert hit.cited_by == ()


def test_a_corrected_title_finds_the_citing_note_by_the_new_words_only(
    worker: User, kayden_case: Case
) -> None:
    document = store(worker, [kayden_case], "l.pdf", samples.pdf("x"), title="Wombatword letter")
    note = note_citing(worker, kayden_case, document)
    assert {
        hit.object_id for hit in search(actor=worker, query="wombatword", filters=Filters()).hits
    } == {
        note.id,
        document.id,
    }
    change_document_details(
        actor=worker,
        document=document,
        details=DocumentDetails(
            title="Numbatword letter", category=document.category, cases=[kayden_case]
        ),
    )
    assert search(actor=worker, query="wombatword", filters=Filters()).total == 0
    assert {
        hit.object_id for hit in search(actor=worker, query="numbatword", filters=Filters()).hits
    } == {
        note.id,
        document.id,
    }


def test_one_upload_stores_a_bounded_number_of_documents(
    worker: User, kayden_case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "MAX_DOCUMENTS_PER_UPLOAD", 3)
    inner = samples.eml(
        subject="Inner",
        attachments=[(f"inner-{n}.txt", "text/plain", f"inner {n}".encode()) for n in range(3)],
    )
    data = samples.eml(
        attachments=[
            ("forwarded.eml", "message/rfc822", inner),
            ("outer.txt", "text/plain", b"outer"),
        ]
    )
    email = store(worker, [kayden_case], "mail.eml", data)
    stored = Document.objects.filter(
        organisation=kayden_case.organisation, uploaded_at__gte=email.uploaded_at
    )
    assert stored.count() == 3
    left_out = [
        *email.email_attachments_left_out,
        *[
            reason
            for child in email.attachments.all()
            for reason in child.email_attachments_left_out
        ],
    ]
    assert any("more than this service keeps from one upload" in reason for reason in left_out)


def test_a_mangled_outlook_message_is_unreadable_never_an_error() -> None:
    """Random damage to a real .msg: either still read, or refused as unreadable."""
    original = samples.outlook_msg(attachments=[("a.pdf", samples.pdf("A"))])
    rng = random.Random(7)
    for _ in range(300):
        damaged = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(512, len(damaged))] = rng.randrange(256)
        with contextlib.suppress(EmailUnreadableError):
            parse_msg(io.BytesIO(bytes(damaged)))


def test_a_nul_in_an_email_header_is_dropped_not_stored(worker: User, kayden_case: Case) -> None:
    data = (
        b"From: Sam <sam@northmoor.example>\r\nTo: Amira <amira@northmoor.example>\r\n"
        b"Subject: =?utf-8?q?Hi=00there?=\r\nDate: Thu, 26 Nov 2026 09:15:00 +0000\r\n\r\n"
        b"Hello\r\n"
    )
    email = store(worker, [kayden_case], "mail.eml", data)
    assert "\x00" not in email.email_subject and "Hi" in email.email_subject


def test_a_very_long_text_is_indexed_up_to_a_byte_limit(worker: User, kayden_case: Case) -> None:
    """Four-byte characters: a character count would let the tsvector overflow."""
    words = " ".join(["\U00020000\U00020001" + str(n) for n in range(60_000)])
    document = store(
        worker,
        [kayden_case],
        "mail.eml",
        samples.eml(subject="Long", body=words),
        title="Long email",
    )
    from caseledger.vault.tasks import extract_document_text

    extract_document_text.call(str(document.id))
    row = SearchEntry.objects.get(object_id=document.id)
    assert len(row.body.encode()) <= MAX_INDEXED_BYTES


def test_a_document_read_is_audited_on_each_of_its_cases_the_reader_sees(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    household = kayden_case.child.household_id
    assert household is not None
    sibling = (
        Case.objects.filter(child__household_id=household, status="open")
        .exclude(pk=kayden_case.pk)
        .filter(allocated_worker=worker)
        .first()
    )
    assert sibling is not None
    document = store(worker, [kayden_case, sibling], "f.pdf", samples.pdf("F"), title="Family")
    client_for(worker).get(f"/documents/{document.id}/")
    viewed = AuditEvent.objects.filter(action=Action.DOCUMENT_VIEWED, object_id=str(document.id))
    assert {event.case_id for event in viewed} == {kayden_case.id, sibling.id}
