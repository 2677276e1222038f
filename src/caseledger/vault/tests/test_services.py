"""The evidence vault through its services: storing, refusing, versioning, correcting,
citing and reading the words out of documents, and the database triggers that keep a stored
file and what a document is from ever changing (issue 5).

Every test has its own vault folder, so what is on disk is that test's alone. Each database
attempt that a trigger must refuse runs in its own `transaction.atomic()` (a savepoint), as
in ledger/tests/test_immutability.py, and the row is compared, column for column, after it.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.models import Case
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.ledger.models import ContactType, Entry, EntryDocument, Tag, VisitAnnouncement
from caseledger.ledger.services import (
    ChildVisit,
    NoteContent,
    cite_document_in_draft,
    finalise_note,
    save_draft,
    start_draft,
)
from caseledger.search.models import SearchEntry
from caseledger.vault import services, storage
from caseledger.vault.models import Document, DocumentCase, DocumentCategory, StoredFile
from caseledger.vault.services import (
    DocumentDetails,
    change_document_details,
    store_document,
    store_new_version,
)
from caseledger.vault.tasks import extract_document_text
from caseledger.vault.tests import samples

pytestmark = pytest.mark.django_db

PROGRAM = "The selected file is a program, which is not accepted"
DOCUMENT_FIXED = "the file of a document and what it says cannot be changed"
CITATIONS_FROZEN = "the documents a final ledger entry cites cannot be changed"


# --- Helpers -----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def vault(settings: Any, tmp_path: Path) -> Path:
    """This test's own vault folder (created by the first file stored)."""
    folder = tmp_path / "vault"
    settings.VAULT_DIR = folder
    return folder


@pytest.fixture
def lily_case(db: None) -> Case:
    """Kayden's sister: her case is also Amira's."""
    return Case.objects.select_related("child").get(
        child__first_names="Lily-Mae",
        child__last_name="Walker",
        organisation__reference_prefix="NMB",
        status="open",
    )


def category(case: Case, name: str = "Correspondence") -> DocumentCategory:
    return DocumentCategory.objects.get(organisation_id=case.organisation_id, name=name)


def tags_of(case: Case, *names: str) -> list[Tag]:
    found = {
        tag.name: tag
        for tag in Tag.objects.filter(organisation_id=case.organisation_id, name__in=names)
    }
    assert set(found) == set(names), f"the demo organisation should have the tags {names}"
    return [found[name] for name in names]


def details(cases: Sequence[Case], **changes: Any) -> DocumentDetails:
    values: dict[str, Any] = {
        "title": "Letter from school",
        "category": category(cases[0]),
        "cases": list(cases),
    }
    return DocumentDetails(**{**values, **changes})


def store(actor: User, cases: Sequence[Case], name: str, data: bytes, **changes: Any) -> Document:
    document = store_document(
        actor=actor,
        source=io.BytesIO(data),
        file_name=name,
        size=len(data),
        details=details(cases, **changes),
    )
    return Document.objects.get(pk=document.pk)


def new_version(actor: User, document: Document, name: str, data: bytes) -> Document:
    version = store_new_version(
        actor=actor, document=document, source=io.BytesIO(data), file_name=name, size=len(data)
    )
    return Document.objects.get(pk=version.pk)


def events(action: Action, document: Document) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(action=action, object_id=str(document.id)).order_by("sequence")
    )


def files_in(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def assert_no_file_kept(folder: Path) -> None:
    """Nothing in the vault but, at most, its empty temporary folder."""
    assert files_in(folder) == []
    if folder.exists():
        assert [path.name for path in folder.iterdir()] == ["tmp"]


def counts() -> tuple[int, ...]:
    return (
        Document.objects.count(),
        DocumentCase.objects.count(),
        StoredFile.objects.count(),
        AuditEvent.objects.count(),
    )


def search_rows(document: Document) -> list[SearchEntry]:
    return list(SearchEntry.objects.filter(object_id=document.id).order_by("case_id"))


def contact_type(case: Case, name: str) -> ContactType:
    return ContactType.objects.get(organisation_id=case.organisation_id, name=name)


def phone_call(case: Case, **changes: Any) -> NoteContent:
    values: dict[str, Any] = {
        "occurred_at": timezone.now() - timedelta(hours=2),
        "title": "Phone call with the school",
        "body": "The school sent the attendance letter; summarised here.",
        "contact_type": contact_type(case, "Phone call"),
    }
    return NoteContent(**{**values, **changes})


def visit(case: Case, children: Sequence[ChildVisit], **changes: Any) -> NoteContent:
    values: dict[str, Any] = {
        "occurred_at": timezone.now() - timedelta(hours=3),
        "title": "Home visit",
        "body": "Visited the family home with the school's letter.",
        "contact_type": contact_type(case, "Home visit"),
        "visit_statutory": True,
        "visit_announcement": VisitAnnouncement.ANNOUNCED,
        "children": tuple(children),
    }
    return NoteContent(**{**values, **changes})


def final_note(actor: User, case: Case, content: NoteContent) -> Entry:
    draft = start_draft(actor=actor, case=case, content=content)
    (entry,) = finalise_note(actor=actor, draft=draft)
    return Entry.objects.get(pk=entry.pk)


def cited(entry: Entry) -> set[uuid.UUID]:
    return set(EntryDocument.objects.filter(entry=entry).values_list("document_id", flat=True))


# --- Storing -----------------------------------------------------------------------------------


def test_storing_a_pdf_writes_the_document_its_file_its_cases_and_tags(
    worker: User, kayden_case: Case, lily_case: Case, vault: Path
) -> None:
    data = samples.pdf("Attendance letter: Kayden's attendance is 96%.")
    education, health = tags_of(kayden_case, "Education", "Health")
    document = store(
        worker,
        [kayden_case, lily_case],
        "attendance.pdf",
        data,
        title="  Attendance letter  ",
        category=category(kayden_case, "Report"),
        document_date=date(2026, 11, 3),
        source=" Riverside Primary ",
        tags=[education, health],
    )
    sha = hashlib.sha256(data).hexdigest()
    assert (document.title, document.source) == ("Attendance letter", "Riverside Primary")
    assert (document.kind, document.file_name, document.stored_file_id) == (
        "pdf",
        "attendance.pdf",
        sha,
    )
    assert (document.version, document.lineage, document.previous_version_id) == (
        1,
        document.id,
        None,
    )
    assert document.is_current and document.attached_to_id is None
    assert document.uploaded_by == worker
    assert document.organisation_id == kayden_case.organisation_id
    assert document.category.name == "Report"
    assert document.document_date == date(2026, 11, 3)
    assert document.extraction_status == "pending"
    assert StoredFile.objects.get(pk=sha).size == len(data)
    assert set(
        DocumentCase.objects.filter(document=document).values_list("case_id", flat=True)
    ) == {
        kayden_case.id,
        lily_case.id,
    }
    assert set(document.tags.all()) == {education, health}


def test_the_file_is_kept_at_its_hash_with_the_exact_bytes_and_read_only(
    worker: User, kayden_case: Case, vault: Path
) -> None:
    data = samples.pdf("Kept exactly as received")
    document = store(worker, [kayden_case], "kept.pdf", data)
    path = storage.path_for(document.stored_file_id)
    assert path.parent.parent.parent == vault
    assert path.read_bytes() == data
    assert hashlib.sha256(path.read_bytes()).hexdigest() == document.stored_file_id
    assert path.stat().st_mode & 0o222 == 0
    assert files_in(vault) == [path]  # the temporary copy is gone


def test_storing_is_audited_with_the_files_hash_size_kind_and_cases(
    worker: User, kayden_case: Case, lily_case: Case
) -> None:
    data = samples.pdf("Audited")
    document = store(worker, [kayden_case, lily_case], "audited.pdf", data)
    (event,) = events(Action.DOCUMENT_STORED, document)
    assert event.actor == worker
    assert event.organisation_id == kayden_case.organisation_id
    assert event.object_type == "vault.document"
    assert event.case_id in {kayden_case.id, lily_case.id}
    assert {key: value for key, value in event.detail.items() if key != "cases"} == {
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "kind": "pdf",
        "version": 1,
    }
    assert sorted(event.detail["cases"]) == sorted([str(kayden_case.id), str(lily_case.id)])


def test_nothing_is_recorded_when_the_audit_event_cannot_be_written(
    worker: User, kayden_case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audit event is written in the same transaction as the document: if it fails, the
    document, its cases and its tags are rolled back with it."""

    def audit_unavailable(**kwargs: Any) -> None:
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(services, "record_event", audit_unavailable)
    before = counts()
    with pytest.raises(RuntimeError, match="audit unavailable"):
        store(worker, [kayden_case], "unaudited.pdf", samples.pdf("Unaudited"))
    assert not Document.objects.filter(file_name="unaudited.pdf").exists()
    assert counts() == before


def test_a_blank_title_takes_the_file_name(worker: User, kayden_case: Case) -> None:
    document = store(worker, [kayden_case], "school letter.pdf", samples.pdf("x"), title="  ")
    assert document.title == "school letter.pdf"


def test_a_blank_title_takes_an_emails_subject(worker: User, kayden_case: Case) -> None:
    data = samples.eml(subject="Exclusion meeting on Friday")
    document = store(worker, [kayden_case], "meeting.eml", data, title="")
    assert (document.kind, document.title) == ("eml", "Exclusion meeting on Friday")
    assert document.email_subject == "Exclusion meeting on Friday"


def test_an_emails_date_and_sender_fill_the_document_date_and_source(
    worker: User, kayden_case: Case
) -> None:
    document = store(worker, [kayden_case], "meeting.eml", samples.eml(), title="")
    assert document.document_date == date(2026, 11, 26)
    assert document.source == "Sam Okafor <sam.okafor@northmoor.example>"
    assert document.email_sender == "Sam Okafor <sam.okafor@northmoor.example>"
    assert document.email_to == "Amira Khan <amira.khan@northmoor.example>"
    assert document.email_text_body.strip() == (
        "The strategy meeting is booked for Thursday at 10am."
    )


def test_a_given_date_and_source_are_kept_for_an_email(worker: User, kayden_case: Case) -> None:
    document = store(
        worker,
        [kayden_case],
        "meeting.eml",
        samples.eml(),
        title="Meeting email",
        document_date=date(2026, 11, 20),
        source="Forwarded by the school",
    )
    assert (document.title, document.document_date, document.source) == (
        "Meeting email",
        date(2026, 11, 20),
        "Forwarded by the school",
    )
    assert document.email_sent_at is not None
    assert document.email_sent_at.date() == date(2026, 11, 26)


def test_an_emails_attachments_become_documents_on_the_same_cases_each_audited(
    worker: User, kayden_case: Case, lily_case: Case
) -> None:
    minutes, scan = samples.pdf("Strategy discussion minutes"), samples.png()
    data = samples.eml(
        attachments=[
            ("minutes.pdf", "application/pdf", minutes),
            ("scan.png", "image/png", scan),
        ]
    )
    (education,) = tags_of(kayden_case, "Education")
    email = store(
        worker,
        [kayden_case, lily_case],
        "meeting.eml",
        data,
        category=category(kayden_case, "Minutes"),
        tags=[education],
    )
    attachments = sorted(email.attachments.all(), key=lambda document: document.file_name)
    assert [(a.file_name, a.kind, a.title) for a in attachments] == [
        ("minutes.pdf", "pdf", "minutes.pdf"),
        ("scan.png", "png", "scan.png"),
    ]
    assert email.email_attachments_left_out == []
    for attachment, content in zip(attachments, [minutes, scan], strict=True):
        assert attachment.attached_to_id == email.id
        assert set(attachment.cases.all()) == {kayden_case, lily_case}
        assert attachment.category.name == "Minutes"
        assert list(attachment.tags.all()) == [education]
        assert (attachment.document_date, attachment.source) == (email.document_date, email.source)
        assert storage.path_for(attachment.stored_file_id).read_bytes() == content
        (event,) = events(Action.DOCUMENT_STORED, attachment)
        assert event.detail["attached_to"] == str(email.id)
        assert event.detail["sha256"] == hashlib.sha256(content).hexdigest()
    assert len(events(Action.DOCUMENT_STORED, email)) == 1


def test_a_refused_attachment_is_listed_with_its_reason_and_not_stored(
    worker: User, kayden_case: Case, vault: Path
) -> None:
    program = b"MZ" + b"\x00" * 200
    data = samples.eml(
        attachments=[
            ("setup.exe", "application/octet-stream", program),
            ("minutes.pdf", "application/pdf", samples.pdf("Minutes")),
        ]
    )
    email = store(worker, [kayden_case], "meeting.eml", data)
    (left_out,) = email.email_attachments_left_out
    assert left_out.startswith(f"setup.exe: {PROGRAM}. The file must be a PDF")
    assert [attachment.file_name for attachment in email.attachments.all()] == ["minutes.pdf"]
    assert not Document.objects.filter(file_name="setup.exe").exists()
    assert not storage.path_for(hashlib.sha256(program).hexdigest()).exists()
    assert not StoredFile.objects.filter(pk=hashlib.sha256(program).hexdigest()).exists()
    assert len(files_in(vault)) == 2  # the email and its PDF


def test_an_attachment_without_an_extension_is_kept_under_its_kinds_extension(
    worker: User, kayden_case: Case
) -> None:
    data = samples.eml(attachments=[("scan", "application/pdf", samples.pdf("Scanned form"))])
    email = store(worker, [kayden_case], "meeting.eml", data)
    assert email.email_attachments_left_out == []
    (attachment,) = email.attachments.all()
    assert (attachment.kind, attachment.title) == ("pdf", "scan.pdf")


def test_the_attachments_of_a_forwarded_email_are_kept_or_named_as_left_out(
    worker: User, kayden_case: Case
) -> None:
    inner = samples.eml(
        subject="Paediatric report",
        attachments=[("report.pdf", "application/pdf", samples.pdf("Paediatric report"))],
    )
    data = samples.eml(attachments=[("forwarded.eml", "application/octet-stream", inner)])
    email = store(worker, [kayden_case], "meeting.eml", data)
    (forwarded,) = email.attachments.all()
    assert forwarded.kind == "eml" and forwarded.email_subject == "Paediatric report"
    left_out = [*email.email_attachments_left_out, *forwarded.email_attachments_left_out]
    kept = [document.file_name for document in forwarded.attachments.all()]
    assert kept == ["report.pdf"]
    assert left_out == []


def test_an_email_dated_in_the_future_does_not_get_a_future_document_date(
    worker: User, kayden_case: Case
) -> None:
    data = samples.eml(sent_at=datetime(2030, 1, 1, 9, 0, tzinfo=UTC))
    document = store(worker, [kayden_case], "meeting.eml", data, title="Spoofed date")
    assert document.document_date is None


def test_the_title_of_an_email_dated_in_the_future_can_be_corrected(
    worker: User, kayden_case: Case
) -> None:
    data = samples.eml(sent_at=datetime(2030, 1, 1, 9, 0, tzinfo=UTC))
    document = store(worker, [kayden_case], "meeting.eml", data, title="Spoofed date")
    assert change_document_details(
        actor=worker,
        document=document,
        details=details(
            [kayden_case],
            title="Email from Sam",
            document_date=document.document_date,  # as the change form shows it
            source=document.source,
        ),
    )


# --- Who may store, and what details are accepted -----------------------------------------------


@pytest.mark.parametrize(
    ("actor_name", "case_names"),
    [
        ("outsider", ["kayden_case"]),
        ("colleague", ["kayden_case"]),
        ("parent", ["freddie_la_case"]),
        ("worker", ["kayden_case", "noah_case"]),
    ],
    ids=["another-council", "colleague-not-on-the-case", "read-only-grant", "one-case-not-theirs"],
)
def test_a_user_who_does_not_work_on_every_case_cannot_store_and_nothing_is_written(
    request: pytest.FixtureRequest, actor_name: str, case_names: list[str], vault: Path
) -> None:
    actor = request.getfixturevalue(actor_name)
    cases = [request.getfixturevalue(name) for name in case_names]
    before = counts()
    with pytest.raises(NotPermittedError):
        store(actor, cases, "refused.pdf", samples.pdf("Not theirs"), title="Not theirs")
    assert counts() == before
    assert not Document.objects.filter(title="Not theirs").exists()
    assert_no_file_kept(vault)


def foreign_category(user: User) -> DocumentCategory:
    found, _ = DocumentCategory.objects.get_or_create(
        organisation=user.organisation, name="Correspondence"
    )
    return found


@pytest.mark.parametrize(
    ("make_changes", "field"),
    [
        (lambda case, other: {"category": foreign_category(other)}, "category"),
        (
            lambda case, other: {
                "category": DocumentCategory.objects.create(
                    organisation_id=case.organisation_id, name="Retired", is_active=False
                )
            },
            "category",
        ),
        (
            lambda case, other: {
                "tags": [Tag.objects.create(organisation=other.organisation, name="Eastvale")]
            },
            "tags",
        ),
        (
            lambda case, other: {"document_date": timezone.localdate() + timedelta(days=1)},
            "document_date",
        ),
        (lambda case, other: {"title": "x" * 201}, "title"),
        (lambda case, other: {"source": "x" * 201}, "source"),
    ],
    ids=[
        "another-organisations-category",
        "inactive-category",
        "another-organisations-tag",
        "future-date",
        "long-title",
        "long-source",
    ],
)
def test_details_that_break_a_rule_are_refused_on_their_field(
    worker: User,
    outsider: User,
    kayden_case: Case,
    vault: Path,
    make_changes: Callable[[Case, User], dict[str, Any]],
    field: str,
) -> None:
    changes = make_changes(kayden_case, outsider)
    before = counts()
    with pytest.raises(DomainError) as refused:
        store(worker, [kayden_case], "letter.pdf", samples.pdf("Letter"), **changes)
    assert not isinstance(refused.value, NotPermittedError)
    assert refused.value.field == field
    assert counts() == before
    assert_no_file_kept(vault)


def test_todays_date_is_accepted(worker: User, kayden_case: Case) -> None:
    today = timezone.localdate()
    document = store(worker, [kayden_case], "today.pdf", samples.pdf("x"), document_date=today)
    assert document.document_date == today


def test_a_document_must_belong_to_a_case(worker: User, kayden_case: Case, vault: Path) -> None:
    before = counts()
    with pytest.raises(DomainError) as refused:
        store_document(
            actor=worker,
            source=io.BytesIO(samples.pdf("x")),
            file_name="letter.pdf",
            size=len(samples.pdf("x")),
            details=DocumentDetails(title="Orphan", category=category(kayden_case), cases=[]),
        )
    assert refused.value.field == "cases"
    assert counts() == before
    assert_no_file_kept(vault)


def test_a_document_is_offered_to_the_siblings_cases_the_user_works_on(
    worker: User, kayden_case: Case, lily_case: Case, noah_case: Case
) -> None:
    """Noah is Kayden's brother, but his case is Lewis's, not Amira's."""
    offered = services.cases_to_file_under(worker, kayden_case)
    assert offered[0] == kayden_case
    assert lily_case in offered and noah_case not in offered
    assert set(services.cases_to_file_under(manager_of(kayden_case), kayden_case)) >= {
        kayden_case,
        lily_case,
        noah_case,
    }


def manager_of(case: Case) -> User:
    assert case.allocated_manager is not None
    return case.allocated_manager


# --- Refused files -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("letter.pdf", b"", "The selected file is empty"),
        ("minutes.pdf", b"MZ\x90\x00" + b"\x00" * 500, PROGRAM),
        ("letter.pdf", samples.pdf("Hello")[:-30], "The PDF is incomplete or damaged"),
    ],
    ids=["empty", "program-renamed-pdf", "truncated-pdf"],
)
def test_a_refused_file_raises_on_the_file_field_and_nothing_is_kept(
    worker: User, kayden_case: Case, vault: Path, name: str, data: bytes, message: str
) -> None:
    before = counts()
    with pytest.raises(DomainError) as refused:
        store(worker, [kayden_case], name, data, title="Refused")
    assert refused.value.field == "file"
    assert refused.value.message.startswith(message)
    assert counts() == before
    assert_no_file_kept(vault)
    assert (vault / "tmp").is_dir()  # it was spooled, then removed


@pytest.mark.parametrize("declared", ["honestly", "understated"])
def test_a_file_over_the_limit_is_refused_on_the_file_field_and_nothing_is_kept(
    worker: User, kayden_case: Case, vault: Path, settings: Any, declared: str
) -> None:
    """Refused from its declared size, and also when the size given is smaller than the bytes
    (the copy stops past the limit)."""
    settings.VAULT_MAX_UPLOAD_BYTES = 50_000
    data = samples.pdf("Big", padding=200_000)
    before = counts()
    with pytest.raises(DomainError) as refused:
        store_document(
            actor=worker,
            source=io.BytesIO(data),
            file_name="big.pdf",
            size=len(data) if declared == "honestly" else 1_000,
            details=details([kayden_case], title="Too big"),
        )
    assert refused.value.field == "file"
    assert refused.value.message == "The selected file must be smaller than 48 KB"
    assert counts() == before
    assert_no_file_kept(vault)


def test_a_file_exactly_at_the_limit_is_stored(
    worker: User, kayden_case: Case, settings: Any
) -> None:
    data = samples.pdf("At the limit", padding=10_000)
    settings.VAULT_MAX_UPLOAD_BYTES = len(data)
    document = store(worker, [kayden_case], "limit.pdf", data)
    assert document.stored_file.size == len(data)


# --- New versions --------------------------------------------------------------------------------


def test_a_new_version_joins_the_lineage_and_both_files_stay_intact(
    worker: User, kayden_case: Case, lily_case: Case
) -> None:
    first_bytes, second_bytes = samples.pdf("Draft report"), samples.pdf("Final report")
    (education,) = tags_of(kayden_case, "Education")
    first = store(
        worker,
        [kayden_case, lily_case],
        "report.pdf",
        first_bytes,
        title="EP report",
        category=category(kayden_case, "Report"),
        document_date=date(2026, 10, 1),
        source="Dr Shah",
        tags=[education],
    )
    second = new_version(worker, first, "report final.pdf", second_bytes)
    first.refresh_from_db()
    assert (second.version, second.lineage, second.previous_version_id) == (2, first.id, first.id)
    assert second.is_current and not first.is_current
    assert second.file_name == "report final.pdf"
    assert (second.title, second.category.name, second.document_date, second.source) == (
        "EP report",
        "Report",
        date(2026, 10, 1),
        "Dr Shah",
    )
    assert list(second.tags.all()) == [education]
    assert set(second.cases.all()) == {kayden_case, lily_case}
    assert set(first.cases.all()) == {kayden_case, lily_case}
    assert storage.path_for(first.stored_file_id).read_bytes() == first_bytes
    assert storage.path_for(second.stored_file_id).read_bytes() == second_bytes
    (event,) = events(Action.DOCUMENT_VERSION_STORED, second)
    assert event.detail["previous"] == str(first.id)
    assert event.detail["version"] == 2
    assert event.detail["sha256"] == hashlib.sha256(second_bytes).hexdigest()


def test_a_third_version_follows_the_second(worker: User, kayden_case: Case) -> None:
    first = store(worker, [kayden_case], "plan.pdf", samples.pdf("Plan v1"))
    second = new_version(worker, first, "plan.pdf", samples.pdf("Plan v2"))
    third = new_version(worker, second, "plan.pdf", samples.pdf("Plan v3"))
    assert (third.version, third.lineage, third.previous_version_id) == (3, first.id, second.id)
    assert list(
        Document.objects.filter(lineage=first.id, is_current=True).values_list("id", flat=True)
    ) == [third.id]


def test_a_new_version_of_an_earlier_version_is_refused(worker: User, kayden_case: Case) -> None:
    first = store(worker, [kayden_case], "plan.pdf", samples.pdf("Plan v1"))
    stale = Document.objects.get(pk=first.pk)  # read before the new version was added
    new_version(worker, first, "plan.pdf", samples.pdf("Plan v2"))
    with pytest.raises(DomainError, match="Only the latest version can be changed"):
        new_version(worker, Document.objects.get(pk=first.pk), "plan.pdf", samples.pdf("v3"))
    with pytest.raises(DomainError, match="A newer version was added meanwhile"):
        new_version(worker, stale, "plan.pdf", samples.pdf("Plan v3"))
    assert Document.objects.filter(lineage=first.id).count() == 2


def test_a_colleague_who_does_not_work_on_the_case_cannot_add_a_version(
    worker: User, colleague: User, kayden_case: Case
) -> None:
    first = store(worker, [kayden_case], "plan.pdf", samples.pdf("Plan v1"))
    with pytest.raises(NotPermittedError):
        new_version(colleague, first, "plan.pdf", samples.pdf("Plan v2"))
    assert Document.objects.filter(lineage=first.id).count() == 1


def test_search_shows_only_the_new_version(
    worker: User, kayden_case: Case, lily_case: Case
) -> None:
    first = store(worker, [kayden_case, lily_case], "plan.pdf", samples.pdf("Plan v1"))
    assert [(row.kind, row.case_id) for row in search_rows(first)] == sorted(
        [("document", kayden_case.id), ("document", lily_case.id)], key=lambda row: row[1]
    )
    second = new_version(worker, first, "plan v2.pdf", samples.pdf("Plan v2"))
    assert search_rows(first) == []
    rows = search_rows(second)
    assert {(row.kind, row.case_id) for row in rows} == {
        ("document", kayden_case.id),
        ("document", lily_case.id),
    }
    assert all("plan v2 pdf" in row.body for row in rows)  # the file name, in words


# --- Changing the details ------------------------------------------------------------------------


def test_changed_details_are_audited_with_old_and_new_values(
    worker: User, kayden_case: Case, lily_case: Case
) -> None:
    education, health = tags_of(kayden_case, "Education", "Health")
    document = store(worker, [kayden_case], "report.pdf", samples.pdf("x"), title="Reprot")
    document.tags.set([education])
    correspondence, report = category(kayden_case), category(kayden_case, "Report")
    changed = change_document_details(
        actor=worker,
        document=document,
        details=details(
            [kayden_case, lily_case],
            title=" Report ",
            category=report,
            document_date=date(2026, 10, 1),
            source="Dr Shah",
            tags=[health],
        ),
    )
    assert changed is True
    document.refresh_from_db()
    assert (document.title, document.category, document.document_date, document.source) == (
        "Report",
        report,
        date(2026, 10, 1),
        "Dr Shah",
    )
    assert list(document.tags.all()) == [health]
    assert set(document.cases.all()) == {kayden_case, lily_case}
    (event,) = events(Action.DOCUMENT_DETAILS_CHANGED, document)
    assert event.actor == worker
    assert event.detail["changes"] == {
        "title": {"old": "Reprot", "new": "Report"},
        "category": {"old": str(correspondence.id), "new": str(report.id)},
        "document_date": {"old": None, "new": "2026-10-01"},
        "source": {"old": "", "new": "Dr Shah"},
        "tags": {"old": [str(education.id)], "new": [str(health.id)]},
        "cases": {
            "old": [str(kayden_case.id)],
            "new": sorted([str(kayden_case.id), str(lily_case.id)]),
        },
    }
    rows = search_rows(document)
    assert {row.case_id for row in rows} == {kayden_case.id, lily_case.id}
    assert {(row.title, row.category) for row in rows} == {("Report", "Report")}


def test_removing_a_case_is_audited_and_takes_the_document_out_of_its_search(
    worker: User, kayden_case: Case, lily_case: Case
) -> None:
    document = store(worker, [kayden_case, lily_case], "letter.pdf", samples.pdf("x"))
    assert change_document_details(actor=worker, document=document, details=details([lily_case]))
    assert list(document.cases.all()) == [lily_case]
    (event,) = events(Action.DOCUMENT_DETAILS_CHANGED, document)
    assert event.detail["changes"] == {
        "cases": {
            "old": sorted([str(kayden_case.id), str(lily_case.id)]),
            "new": [str(lily_case.id)],
        }
    }
    assert [row.case_id for row in search_rows(document)] == [lily_case.id]


def test_nothing_changed_returns_false_and_is_not_audited(worker: User, kayden_case: Case) -> None:
    (education,) = tags_of(kayden_case, "Education")
    same = {"document_date": date(2026, 9, 1), "source": "School", "tags": [education]}
    document = store(worker, [kayden_case], "letter.pdf", samples.pdf("x"), **same)
    before = counts()
    changed = change_document_details(
        actor=worker, document=document, details=details([kayden_case], **same)
    )
    assert changed is False
    assert events(Action.DOCUMENT_DETAILS_CHANGED, document) == []
    assert counts() == before


def test_a_blank_title_keeps_the_title_and_is_no_change(worker: User, kayden_case: Case) -> None:
    document = store(worker, [kayden_case], "letter.pdf", samples.pdf("x"))
    assert not change_document_details(
        actor=worker, document=document, details=details([kayden_case], title=" ")
    )
    document.refresh_from_db()
    assert document.title == "Letter from school"


def test_a_case_linked_by_someone_else_stays_linked(
    worker: User, manager: User, kayden_case: Case, noah_case: Case, lily_case: Case
) -> None:
    """Dan files a letter on Kayden's and Noah's cases; Amira, who does not work on Noah's,
    corrects it seeing only her cases: Noah's link stays."""
    document = store(manager, [kayden_case, noah_case], "family.pdf", samples.pdf("Family"))
    assert change_document_details(
        actor=worker,
        document=document,
        details=details([kayden_case], title="Letter to the family"),
    )
    assert set(document.cases.all()) == {kayden_case, noah_case}
    (event,) = events(Action.DOCUMENT_DETAILS_CHANGED, document)
    assert set(event.detail["changes"]) == {"title"}
    assert change_document_details(
        actor=worker,
        document=document,
        details=details([lily_case], title="Letter to the family"),
    )
    assert set(document.cases.all()) == {lily_case, noah_case}
    last = events(Action.DOCUMENT_DETAILS_CHANGED, document)[-1]
    assert last.detail["changes"] == {
        "cases": {
            "old": sorted([str(kayden_case.id), str(noah_case.id)]),
            "new": sorted([str(lily_case.id), str(noah_case.id)]),
        }
    }


def test_only_the_current_version_may_be_changed(worker: User, kayden_case: Case) -> None:
    first = store(worker, [kayden_case], "plan.pdf", samples.pdf("v1"), title="Plan")
    new_version(worker, first, "plan.pdf", samples.pdf("v2"))
    with pytest.raises(DomainError, match="Only the latest version can be changed"):
        change_document_details(
            actor=worker, document=first, details=details([kayden_case], title="Old plan")
        )
    first.refresh_from_db()
    assert first.title == "Plan"
    assert events(Action.DOCUMENT_DETAILS_CHANGED, first) == []


def test_someone_who_works_on_none_of_its_cases_cannot_change_it(
    worker: User, colleague: User, kayden_case: Case, noah_case: Case
) -> None:
    document = store(worker, [kayden_case], "letter.pdf", samples.pdf("x"), title="Letter")
    with pytest.raises(NotPermittedError):
        change_document_details(
            actor=colleague, document=document, details=details([noah_case], title="Moved")
        )
    document.refresh_from_db()
    assert document.title == "Letter"
    assert list(document.cases.all()) == [kayden_case]


def test_a_case_the_actor_does_not_work_on_cannot_be_added(
    worker: User, kayden_case: Case, noah_case: Case
) -> None:
    document = store(worker, [kayden_case], "letter.pdf", samples.pdf("x"))
    with pytest.raises(NotPermittedError):
        change_document_details(
            actor=worker, document=document, details=details([kayden_case, noah_case])
        )
    assert list(document.cases.all()) == [kayden_case]


# --- The database refuses to change a stored file or what a document is -------------------------


def db_id(value: Any) -> Any:
    """A UUID as this database's raw cursor takes it (SQLite: 32 hex digits)."""
    return Document._meta.pk.get_db_prep_value(value, connection)


def db_value(model: type[models.Model], name: str, value: Any) -> Any:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{name} is a column of {model.__name__}"
    return field.get_db_prep_save(value, connection)


def execute(sql: str, params: Sequence[Any] = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return int(cursor.rowcount)


def raw_row(table: str, column: str, value: Any) -> tuple[Any, ...] | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE {column} = %s", [value])
        row: tuple[Any, ...] | None = cursor.fetchone()
        return row


def raw_document(document: Document) -> tuple[Any, ...] | None:
    return raw_row("vault_document", "id", db_id(document.pk))


def raw_citations(entry: Entry) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM ledger_entrydocument WHERE entry_id = %s ORDER BY id",
            [db_id(entry.pk)],
        )
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def refused_by_the_database(attempt: Callable[[], Any], message: str) -> None:
    """A trigger refuses the attempt (SQLite's RAISE(ABORT), PostgreSQL's
    integrity_constraint_violation: IntegrityError on both), in a savepoint."""
    with pytest.raises(IntegrityError, match=re.escape(message)), transaction.atomic():
        attempt()


def stored_file_message(operation: str) -> str:
    if connection.vendor == "postgresql":
        return "vault_storedfile rows are append-only"
    return f"stored files cannot be {operation}"


@pytest.fixture
def email(worker: User, kayden_case: Case) -> Document:
    """An email document whose attachments were all kept (nothing left out)."""
    data = samples.eml(attachments=[("minutes.pdf", "application/pdf", samples.pdf("Minutes"))])
    document = store(worker, [kayden_case], "meeting.eml", data)
    assert document.email_attachments_left_out == []
    return document


@pytest.fixture
def other(worker: User, kayden_case: Case) -> Document:
    return store(worker, [kayden_case], "other.pdf", samples.pdf("Another letter"))


@pytest.mark.parametrize(
    "attempt",
    [
        lambda sha: StoredFile.objects.filter(pk=sha).update(size=1),
        lambda sha: execute("UPDATE vault_storedfile SET size = size + 1 WHERE sha256 = %s", [sha]),
        lambda sha: execute(
            "UPDATE vault_storedfile SET sha256 = %s WHERE sha256 = %s", ["0" * 64, sha]
        ),
        lambda sha: execute("UPDATE vault_storedfile SET size = 0"),
    ],
    ids=["queryset-update", "raw-update", "raw-rename", "raw-update-all"],
)
def test_a_stored_files_row_cannot_be_changed(
    other: Document, attempt: Callable[[str], Any]
) -> None:
    sha = other.stored_file_id
    before = raw_row("vault_storedfile", "sha256", sha)
    refused_by_the_database(lambda: attempt(sha), stored_file_message("changed"))
    assert raw_row("vault_storedfile", "sha256", sha) == before


def test_a_stored_files_row_cannot_be_saved_again(other: Document) -> None:
    stored = StoredFile.objects.get(pk=other.stored_file_id)
    before = raw_row("vault_storedfile", "sha256", stored.pk)
    stored.size += 1
    refused_by_the_database(stored.save, stored_file_message("changed"))
    assert raw_row("vault_storedfile", "sha256", stored.pk) == before


@pytest.mark.parametrize(
    "attempt",
    [
        lambda sha: execute("DELETE FROM vault_storedfile WHERE sha256 = %s", [sha]),
        lambda sha: execute("DELETE FROM vault_storedfile"),
    ],
    ids=["raw-delete", "raw-delete-all"],
)
def test_a_stored_files_row_cannot_be_deleted(
    other: Document, attempt: Callable[[str], Any]
) -> None:
    sha = other.stored_file_id
    before = raw_row("vault_storedfile", "sha256", sha)
    refused_by_the_database(lambda: attempt(sha), stored_file_message("deleted"))
    assert raw_row("vault_storedfile", "sha256", sha) == before


def test_even_an_unused_stored_files_row_cannot_be_deleted_through_the_orm() -> None:
    """No document protects this row in Python, so only the trigger can refuse."""
    sha = hashlib.sha256(b"kept bytes").hexdigest()
    StoredFile.objects.create(sha256=sha, size=10)
    refused_by_the_database(
        lambda: StoredFile.objects.filter(pk=sha).delete(), stored_file_message("deleted")
    )
    assert StoredFile.objects.filter(pk=sha).exists()


@pytest.mark.parametrize(
    "attempt",
    [
        lambda document: execute("DELETE FROM vault_document WHERE id = %s", [db_id(document.pk)]),
        lambda document: execute("DELETE FROM vault_document"),
        lambda document: Document.objects.filter(pk=document.pk)._raw_delete(connection.alias),
    ],
    ids=["raw-delete", "raw-delete-all", "queryset-raw-delete"],
)
def test_a_document_cannot_be_deleted(other: Document, attempt: Callable[[Document], Any]) -> None:
    before = raw_document(other)
    refused_by_the_database(lambda: attempt(other), "documents cannot be deleted")
    assert raw_document(other) == before


def test_a_document_cannot_be_deleted_through_the_orm_even_without_its_cases(
    other: Document,
) -> None:
    """Its case links protect it in Python; with them gone, the trigger still refuses."""
    DocumentCase.objects.filter(document=other).delete()
    before = raw_document(other)
    refused_by_the_database(
        lambda: Document.objects.filter(pk=other.pk).delete(), "documents cannot be deleted"
    )
    refused_by_the_database(
        lambda: Document.objects.get(pk=other.pk).delete(), "documents cannot be deleted"
    )
    assert raw_document(other) == before


def fixed_value(column: str, document: Document, other: Document, colleague: User) -> Any:
    """A different, well-formed value for each column fixed once a document is stored."""
    return {
        "id": uuid.uuid4(),
        "lineage": uuid.uuid4(),
        "version": 2,
        "previous_version_id": other.id,
        "stored_file_id": other.stored_file_id,
        "file_name": "renamed.eml",
        "kind": "pdf",
        "active_content": True,
        "uploaded_by_id": colleague.id,
        "uploaded_at": document.uploaded_at - timedelta(days=3),
        "attached_to_id": other.id,
        "email_sender": "Someone Else <someone@example.com>",
        "email_to": "Nobody <nobody@example.com>",
        "email_cc": "Cc <cc@example.com>",
        "email_sent_at": timezone.now() - timedelta(days=40),
        "email_subject": "A different subject",
        "email_text_body": "A different body",
        "email_html_body": "<p>A different body</p>",
    }[column]


FIXED_COLUMNS = [
    "id",
    "lineage",
    "version",
    "previous_version_id",
    "stored_file_id",
    "file_name",
    "kind",
    "active_content",
    "uploaded_by_id",
    "uploaded_at",
    "attached_to_id",
    "email_sender",
    "email_to",
    "email_cc",
    "email_sent_at",
    "email_subject",
    "email_text_body",
    "email_html_body",
]


@pytest.mark.parametrize("column", FIXED_COLUMNS)
@pytest.mark.parametrize("path", ["queryset-update", "raw-sql"])
def test_what_a_document_is_cannot_be_changed(
    email: Document, other: Document, colleague: User, column: str, path: str
) -> None:
    value = fixed_value(column, email, other, colleague)
    before = raw_document(email)

    def attempt() -> None:
        if path == "queryset-update":
            Document.objects.filter(pk=email.pk).update(**{column: value})
        else:
            execute(
                f"UPDATE vault_document SET {column} = %s WHERE id = %s",
                [db_value(Document, column, value), db_id(email.pk)],
            )

    refused_by_the_database(attempt, DOCUMENT_FIXED)
    assert raw_document(email) == before


def test_a_documents_organisation_cannot_be_changed(email: Document, outsider: User) -> None:
    assert outsider.organisation_id != email.organisation_id
    before = raw_document(email)
    refused_by_the_database(
        lambda: Document.objects.filter(pk=email.pk).update(
            organisation_id=outsider.organisation_id
        ),
        DOCUMENT_FIXED,
    )
    assert raw_document(email) == before


def test_saving_a_document_with_another_file_name_is_refused(email: Document) -> None:
    before = raw_document(email)
    email.file_name = "renamed.eml"
    refused_by_the_database(email.save, DOCUMENT_FIXED)
    assert raw_document(email) == before


def test_every_document_at_once_cannot_be_renamed(email: Document, other: Document) -> None:
    before = (raw_document(email), raw_document(other))
    refused_by_the_database(
        lambda: execute("UPDATE vault_document SET file_name = 'x.pdf'"), DOCUMENT_FIXED
    )
    assert (raw_document(email), raw_document(other)) == before


def allowed_changes(document: Document) -> dict[str, dict[str, Any]]:
    report = category(document.cases.get(), "Report")
    return {
        "title": {"title": "Corrected title"},
        "category": {"category_id": report.id},
        "document_date": {"document_date": date(2026, 1, 2)},
        "source": {"source": "Corrected source"},
        "is_current": {"is_current": False},
        "extraction": {
            "extraction_status": "extracted",
            "extracted_text": "the words",
            "extraction_problem": "",
            "extracted_at": timezone.now(),
        },
    }


@pytest.mark.parametrize(
    "name", ["title", "category", "document_date", "source", "is_current", "extraction"]
)
@pytest.mark.parametrize("path", ["queryset-update", "raw-sql"])
def test_what_people_say_about_a_document_may_be_changed(
    email: Document, name: str, path: str
) -> None:
    changes = allowed_changes(email)[name]
    if path == "queryset-update":
        assert Document.objects.filter(pk=email.pk).update(**changes) == 1
    else:
        columns = ", ".join(f"{column} = %s" for column in changes)
        values = [db_value(Document, column, value) for column, value in changes.items()]
        execute(f"UPDATE vault_document SET {columns} WHERE id = %s", [*values, db_id(email.pk)])
    changed = Document.objects.get(pk=email.pk)
    for column, value in changes.items():
        assert getattr(changed, column) == value
    assert (changed.file_name, changed.stored_file_id) == (email.file_name, email.stored_file_id)


def test_attachments_left_out_may_be_filled_once_then_never_changed(email: Document) -> None:
    listed = ["setup.exe: " + PROGRAM]
    assert Document.objects.filter(pk=email.pk).update(email_attachments_left_out=listed) == 1
    assert Document.objects.get(pk=email.pk).email_attachments_left_out == listed
    before = raw_document(email)

    def by_queryset(value: list[str]) -> None:
        Document.objects.filter(pk=email.pk).update(email_attachments_left_out=value)

    def by_raw_sql(value: list[str]) -> None:
        execute(
            "UPDATE vault_document SET email_attachments_left_out = %s WHERE id = %s",
            [db_value(Document, "email_attachments_left_out", value), db_id(email.pk)],
        )

    for value in (["other.exe: " + PROGRAM], [], [*listed, "more.exe: " + PROGRAM]):
        for attempt in (by_queryset, by_raw_sql):
            refused_by_the_database(partial(attempt, value), DOCUMENT_FIXED)
            assert raw_document(email) == before
    # Its other details may still be corrected.
    assert Document.objects.filter(pk=email.pk).update(title="Still correctable") == 1


def test_attachments_left_out_by_the_service_cannot_be_cleared(
    worker: User, kayden_case: Case
) -> None:
    data = samples.eml(attachments=[("setup.exe", "application/octet-stream", b"MZ" + b"\0" * 99)])
    email = store(worker, [kayden_case], "meeting.eml", data)
    before = raw_document(email)
    refused_by_the_database(
        lambda: Document.objects.filter(pk=email.pk).update(email_attachments_left_out=[]),
        DOCUMENT_FIXED,
    )
    assert raw_document(email) == before


# --- A final entry's citations are frozen; a draft's are not -----------------------------------


@pytest.fixture
def letter(worker: User, kayden_case: Case) -> Document:
    return store(worker, [kayden_case], "letter.pdf", samples.pdf("School letter"), title="Letter")


@pytest.fixture
def final_citing(worker: User, kayden_case: Case, letter: Document) -> Entry:
    entry = final_note(worker, kayden_case, phone_call(kayden_case, document_ids=[letter.id]))
    assert entry.is_final and cited(entry) == {letter.id}
    return entry


@pytest.fixture
def draft_citing(worker: User, kayden_case: Case, letter: Document) -> Entry:
    draft = start_draft(
        actor=worker, case=kayden_case, content=phone_call(kayden_case, document_ids=[letter.id])
    )
    return Entry.objects.get(pk=draft.pk)


def citation_attempts(
    entry: Entry, letter: Document, other: Document
) -> dict[str, Callable[[], Any]]:
    return {
        "orm-insert": lambda: EntryDocument.objects.create(entry=entry, document=other),
        "raw-insert": lambda: execute(
            "INSERT INTO ledger_entrydocument (entry_id, document_id) VALUES (%s, %s)",
            [db_id(entry.pk), db_id(other.pk)],
        ),
        "orm-update": lambda: EntryDocument.objects.filter(entry=entry).update(document=other),
        "raw-update": lambda: execute(
            "UPDATE ledger_entrydocument SET document_id = %s WHERE entry_id = %s",
            [db_id(other.pk), db_id(entry.pk)],
        ),
        "orm-delete": lambda: EntryDocument.objects.filter(entry=entry).delete(),
        "raw-delete": lambda: execute(
            "DELETE FROM ledger_entrydocument WHERE entry_id = %s", [db_id(entry.pk)]
        ),
    }


ATTEMPTS = ["orm-insert", "raw-insert", "orm-update", "raw-update", "orm-delete", "raw-delete"]


@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_a_final_entrys_citations_cannot_be_changed(
    final_citing: Entry, letter: Document, other: Document, attempt: str
) -> None:
    before = raw_citations(final_citing)
    run = citation_attempts(final_citing, letter, other)[attempt]
    refused_by_the_database(run, CITATIONS_FROZEN)
    assert raw_citations(final_citing) == before
    assert Entry.objects.get(pk=final_citing.pk).document_ids == [str(letter.id)]


def test_a_citation_cannot_move_between_a_draft_and_a_final_entry(
    final_citing: Entry, draft_citing: Entry
) -> None:
    before = (raw_citations(final_citing), raw_citations(draft_citing))
    refused_by_the_database(
        lambda: EntryDocument.objects.filter(entry=draft_citing).update(entry=final_citing),
        CITATIONS_FROZEN,
    )
    refused_by_the_database(
        lambda: EntryDocument.objects.filter(entry=final_citing).update(entry=draft_citing),
        CITATIONS_FROZEN,
    )
    assert (raw_citations(final_citing), raw_citations(draft_citing)) == before


@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_a_drafts_citations_may_be_changed(
    draft_citing: Entry, letter: Document, other: Document, attempt: str
) -> None:
    """The control for the test above: the triggers freeze final entries' citations only."""
    expected = {
        "orm-insert": {letter.id, other.id},
        "raw-insert": {letter.id, other.id},
        "orm-update": {other.id},
        "raw-update": {other.id},
        "orm-delete": set(),
        "raw-delete": set(),
    }[attempt]
    with transaction.atomic():
        citation_attempts(draft_citing, letter, other)[attempt]()
    assert cited(draft_citing) == expected


# --- Citing documents from notes -----------------------------------------------------------------


def test_a_note_cannot_cite_a_document_of_another_case(
    worker: User, kayden_case: Case, freddie_la_case: Case
) -> None:
    elsewhere = store(worker, [freddie_la_case], "freddie.pdf", samples.pdf("Freddie"))
    with pytest.raises(DomainError) as refused:
        start_draft(
            actor=worker,
            case=kayden_case,
            content=phone_call(kayden_case, document_ids=[elsewhere.id]),
        )
    assert refused.value.field == "documents"
    assert not Entry.objects.filter(case=kayden_case, title="Phone call with the school").exists()
    draft = start_draft(actor=worker, case=kayden_case, content=phone_call(kayden_case))
    with pytest.raises(DomainError) as refused:
        save_draft(
            actor=worker,
            draft=draft,
            content=phone_call(kayden_case, document_ids=[elsewhere.id]),
        )
    assert refused.value.field == "documents"
    with pytest.raises(DomainError) as refused:
        cite_document_in_draft(actor=worker, draft=draft, document_id=elsewhere.id)
    assert refused.value.field == "documents"
    assert Entry.objects.get(pk=draft.pk).document_ids == []
    assert not EntryDocument.objects.filter(entry=draft).exists()


def test_a_note_cannot_cite_an_unknown_document(worker: User, kayden_case: Case) -> None:
    with pytest.raises(DomainError) as refused:
        start_draft(
            actor=worker,
            case=kayden_case,
            content=phone_call(kayden_case, document_ids=[uuid.uuid4()]),
        )
    assert refused.value.field == "documents"


def test_citing_a_document_in_a_draft_adds_it_once_and_is_audited(
    worker: User, kayden_case: Case, letter: Document, other: Document
) -> None:
    draft = start_draft(
        actor=worker, case=kayden_case, content=phone_call(kayden_case, document_ids=[other.id])
    )
    cite_document_in_draft(actor=worker, draft=draft, document_id=letter.id)
    draft.refresh_from_db()
    assert draft.document_ids == sorted([str(letter.id), str(other.id)])
    assert cited(draft) == {letter.id, other.id}
    saved = AuditEvent.objects.filter(action=Action.DRAFT_SAVED, object_id=str(draft.id))
    (event,) = saved
    assert event.detail == {"fields": ["document_ids"], "autosave": False}
    assert event.case_id == kayden_case.id

    cite_document_in_draft(actor=worker, draft=draft, document_id=letter.id)
    draft.refresh_from_db()
    assert draft.document_ids == sorted([str(letter.id), str(other.id)])
    assert cited(draft) == {letter.id, other.id}
    assert saved.count() == 1


def test_only_the_author_may_cite_a_document_in_their_draft(
    worker: User, manager: User, kayden_case: Case, letter: Document
) -> None:
    draft = start_draft(actor=worker, case=kayden_case, content=phone_call(kayden_case))
    with pytest.raises(NotPermittedError):
        cite_document_in_draft(actor=manager, draft=draft, document_id=letter.id)
    assert Entry.objects.get(pk=draft.pk).document_ids == []


def test_a_group_visit_cites_a_document_on_a_siblings_entry_only_if_it_is_on_their_case(
    worker: User, kayden_case: Case, lily_case: Case
) -> None:
    family = store(worker, [kayden_case, lily_case], "family.pdf", samples.pdf("Family"))
    kayden_only = store(worker, [kayden_case], "school.pdf", samples.pdf("Kayden's school"))
    children = [
        ChildVisit(kayden_case.id, seen=True, alone=True),
        ChildVisit(lily_case.id, seen=True, alone=False),
    ]
    draft = start_draft(
        actor=worker,
        case=kayden_case,
        content=visit(kayden_case, children, document_ids=[family.id, kayden_only.id]),
    )
    kayden_entry, lily_entry = (
        Entry.objects.get(pk=entry.pk) for entry in finalise_note(actor=worker, draft=draft)
    )
    assert (kayden_entry.case_id, lily_entry.case_id) == (kayden_case.id, lily_case.id)
    assert kayden_entry.group_id is not None and kayden_entry.group_id == lily_entry.group_id
    assert kayden_entry.document_ids == sorted([str(family.id), str(kayden_only.id)])
    assert lily_entry.document_ids == [str(family.id)]
    assert cited(kayden_entry) == {family.id, kayden_only.id}
    assert cited(lily_entry) == {family.id}


def test_a_group_visit_citing_only_one_childs_document_leaves_the_siblings_entry_without(
    worker: User, kayden_case: Case, lily_case: Case
) -> None:
    kayden_only = store(worker, [kayden_case], "school.pdf", samples.pdf("Kayden's school"))
    children = [
        ChildVisit(kayden_case.id, seen=True, alone=True),
        ChildVisit(lily_case.id, seen=False, reason="At nursery"),
    ]
    draft = start_draft(
        actor=worker,
        case=kayden_case,
        content=visit(kayden_case, children, document_ids=[kayden_only.id]),
    )
    kayden_entry, lily_entry = (
        Entry.objects.get(pk=entry.pk) for entry in finalise_note(actor=worker, draft=draft)
    )
    assert kayden_entry.document_ids == [str(kayden_only.id)]
    assert lily_entry.document_ids == []
    assert cited(lily_entry) == set()


def run_verify(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_verify_still_passes_after_notes_citing_documents_are_finalised(
    worker: User, kayden_case: Case, lily_case: Case
) -> None:
    family = store(worker, [kayden_case, lily_case], "family.pdf", samples.pdf("Family"))
    letter = store(worker, [kayden_case], "letter.pdf", samples.pdf("Letter"))
    email = store(worker, [kayden_case], "meeting.eml", samples.eml())
    final_note(worker, kayden_case, phone_call(kayden_case, document_ids=[letter.id, email.id]))
    draft = start_draft(actor=worker, case=kayden_case, content=phone_call(kayden_case))
    cite_document_in_draft(actor=worker, draft=draft, document_id=family.id)
    finalise_note(actor=worker, draft=draft)
    children = [ChildVisit(kayden_case.id, True, True), ChildVisit(lily_case.id, True, True)]
    group = start_draft(
        actor=worker,
        case=kayden_case,
        content=visit(kayden_case, children, document_ids=[family.id, letter.id]),
    )
    finalise_note(actor=worker, draft=group)
    assert EntryDocument.objects.filter(entry__status="final").count() >= 5
    code, output = run_verify()
    assert code == 0, output
    assert output.startswith("OK: ")


# --- Reading the words out of a document --------------------------------------------------------


def test_the_text_of_a_pdf_is_read_and_made_searchable(
    worker: User, kayden_case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        document = store(
            worker,
            [kayden_case],
            "minutes.pdf",
            samples.pdf("Core group minutes: attendance improved to 96 percent."),
        )
    document.refresh_from_db()
    assert document.extraction_status == "extracted"
    assert "attendance improved to 96 percent" in document.extracted_text
    assert document.extraction_problem == ""
    assert document.extracted_at is not None
    (row,) = search_rows(document)
    assert (row.kind, row.case_id) == ("document", kayden_case.id)
    assert "attendance improved to 96 percent" in row.body


def test_an_attachments_text_is_read_too(
    worker: User, kayden_case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    data = samples.eml(
        attachments=[("minutes.pdf", "application/pdf", samples.pdf("Paediatric assessment"))]
    )
    with django_capture_on_commit_callbacks(execute=True):
        email = store(worker, [kayden_case], "meeting.eml", data)
    attachment = email.attachments.get()
    assert attachment.extraction_status == "extracted"
    assert "Paediatric assessment" in search_rows(attachment)[0].body


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [("scan.pdf", samples.pdf(""), "no_text"), ("photo.png", samples.png(), "not_applicable")],
    ids=["scanned-pdf", "image"],
)
def test_a_document_without_words_says_so(
    worker: User,
    kayden_case: Case,
    django_capture_on_commit_callbacks: Any,
    name: str,
    data: bytes,
    status: str,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        document = store(worker, [kayden_case], name, data, title="Wordless")
    document.refresh_from_db()
    assert document.extraction_status == status
    assert document.extracted_text == ""
    assert document.extracted_at is not None
    assert [row.title for row in search_rows(document)] == ["Wordless"]


def test_a_missing_stored_file_is_recorded_as_failed_without_raising(
    worker: User, kayden_case: Case, caplog: pytest.LogCaptureFixture
) -> None:
    document = store(worker, [kayden_case], "secret name.pdf", samples.pdf("Lost words"))
    assert document.extraction_status == "pending"  # its on-commit task has not run
    path = storage.path_for(document.stored_file_id)
    os.chmod(path, 0o600)
    path.unlink()
    assert extract_document_text.call(str(document.id)) is None
    document.refresh_from_db()
    assert document.extraction_status == "failed"
    assert document.extraction_problem == "The stored file could not be read"
    assert document.extracted_text == ""
    assert document.extracted_at is not None
    assert "secret name" not in caplog.text
    assert str(document.id) in caplog.text
    (row,) = search_rows(document)
    assert "Lost words" not in row.body


def test_a_missing_stored_file_does_not_fail_the_enqueued_task(
    worker: User, kayden_case: Case
) -> None:
    document = store(worker, [kayden_case], "letter.pdf", samples.pdf("Lost words"))
    path = storage.path_for(document.stored_file_id)
    os.chmod(path, 0o600)
    path.unlink()
    result = extract_document_text.enqueue(str(document.id))
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert Document.objects.get(pk=document.pk).extraction_status == "failed"


def test_the_task_for_an_unknown_document_does_nothing() -> None:
    assert extract_document_text.call(str(uuid.uuid4())) is None


def test_a_case_whose_final_note_cites_the_document_cannot_be_taken_off_it(
    worker: User, kayden_case: Case, noah_case: Case, manager: User
) -> None:
    """The note is final: the document it cites must stay where its readers can open it."""
    document = store(worker, [kayden_case], "plan.pdf", samples.pdf("Plan"), title="Plan")
    contact = ContactType.objects.get(organisation=kayden_case.organisation, name="Phone call")
    draft = start_draft(
        actor=worker,
        case=kayden_case,
        content=NoteContent(
            occurred_at=timezone.now() - timedelta(hours=1),
            title="About the plan",
            body="See the plan.",
            contact_type=contact,
            document_ids=[document.id],
        ),
    )
    finalise_note(actor=worker, draft=draft)
    with pytest.raises(DomainError) as refused:
        change_document_details(
            actor=manager, document=document, details=details([noah_case], title="Plan")
        )
    assert refused.value.field == "cases"
    assert "cites this document, so it stays on that case" in refused.value.message
    assert list(document.cases.all()) == [kayden_case]
