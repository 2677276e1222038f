"""The evidence vault through its pages: storing, refusing, reading, downloading, correcting,
versioning, and an email saved from the note editor (issue 5)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.models import Case
from caseledger.ledger.models import Entry, EntryDocument
from caseledger.vault.models import Document, DocumentCategory, StoredFile
from caseledger.vault.tests import samples

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def category(case: Case, name: str = "Correspondence") -> DocumentCategory:
    return DocumentCategory.objects.get(organisation=case.organisation, name=name)


def upload_form(case: Case, name: str, data: bytes, **overrides: Any) -> dict[str, Any]:
    # In the order a browser sends them: the file is the form's last question.
    form: dict[str, Any] = {
        "title": "",
        "category": str(category(case).id),
        "document_date-day": "",
        "document_date-month": "",
        "document_date-year": "",
        "source": "",
        "cases": [str(case.id)],
    }
    form.update(overrides)
    form["file"] = SimpleUploadedFile(name, data)
    return form


def store(client: Client, case: Case, name: str, data: bytes, **overrides: Any) -> Any:
    return client.post(
        f"/cases/{case.id}/documents/new/", upload_form(case, name, data, **overrides)
    )


def stored_files() -> set[Path]:
    root = Path(settings.VAULT_DIR)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


# --- Storing -----------------------------------------------------------------------------------


def test_a_worker_stores_a_pdf_and_sees_its_page(
    worker: User, kayden_case: Case, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(worker)
    data = samples.pdf("Core group minutes: Kayden's attendance is 96%.")
    with django_capture_on_commit_callbacks(execute=True):
        response = store(
            client,
            kayden_case,
            "core group minutes.pdf",
            data,
            title="Core group minutes",
            category=str(category(kayden_case, "Minutes").id),
            source="Northmoor Council",
            **{"document_date-day": "3", "document_date-month": "11", "document_date-year": "2026"},
        )
    document = Document.objects.get(title="Core group minutes")
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{document.id}/"
    assert (document.kind, document.file_name) == ("pdf", "core group minutes.pdf")
    assert document.version == 1
    assert document.stored_file.size == len(data)
    assert document.extraction_status == "extracted"
    assert "attendance is 96%" in document.extracted_text
    page = text(client.get(response["Location"]))
    assert "The document has been stored" in page
    assert "Core group minutes" in page and "3 November 2026" in page
    assert document.stored_file_id in page  # the SHA-256 fingerprint
    assert f'src="/documents/{document.id}/file/?inline=1"' in page  # previewed in the page
    assert "Search can find the words in it" in page
    stored = AuditEvent.objects.get(action=Action.DOCUMENT_STORED, object_id=str(document.id))
    assert stored.detail["sha256"] == document.stored_file_id
    assert stored.case_id == kayden_case.id
    listing = text(client.get(f"/cases/{kayden_case.id}/documents/"))
    assert "Core group minutes" in listing


def test_an_email_is_read_and_its_attachments_become_documents(
    worker: User, kayden_case: Case, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(worker)
    data = samples.eml(
        html="<p>Hello <script>alert('x')</script><img src='https://tracker.example/p.gif'>"
        "<a href='javascript:alert(1)'>click</a></p>",
        body="",
        attachments=[
            ("minutes.pdf", "application/pdf", samples.pdf("Strategy discussion minutes")),
            ("setup.exe", "application/octet-stream", b"MZ" + b"\x00" * 200),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = store(client, kayden_case, "meeting.eml", data)
    email = Document.objects.get(kind="eml", title="Strategy meeting on Thursday")
    assert response["Location"] == f"/documents/{email.id}/"
    assert email.email_sender == "Sam Okafor <sam.okafor@northmoor.example>"
    assert email.document_date is not None and email.document_date.isoformat() == "2026-11-26"
    (attachment,) = email.attachments.all()
    assert (attachment.kind, attachment.file_name) == ("pdf", "minutes.pdf")
    assert list(attachment.cases.all()) == [kayden_case]
    assert "Strategy discussion minutes" in Document.objects.get(pk=attachment.pk).extracted_text
    page = client.get(f"/documents/{email.id}/").content.decode()
    assert "sam.okafor@northmoor.example" in html.unescape(page)
    shown = page.split('app-email-body">')[1].split("</div>")[0]
    assert "Hello" in shown and "click" in shown
    assert "<script" not in shown and "alert" not in shown
    assert "tracker.example" not in shown and "javascript:" not in shown
    assert "setup.exe: The selected file is a program, which is not accepted" in html.unescape(page)
    assert f'href="/documents/{attachment.id}/"' in page


def test_an_outlook_message_is_read_like_an_eml(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    data = samples.outlook_msg(attachments=[("report.pdf", samples.pdf("Paediatric report"))])
    response = store(client_for(worker), kayden_case, "Strategy meeting.msg", data)
    assert response.status_code == 302
    email = Document.objects.get(kind="msg")
    assert email.title == "Strategy meeting on Thursday"
    assert email.email_sender == "Sam Okafor <sam.okafor@northmoor.example>"
    assert email.email_to == "Amira Khan"
    assert email.email_sent_at is not None and email.email_sent_at.isoformat().startswith(
        "2026-11-26T09:15"
    )
    assert email.attachments.get().file_name == "report.pdf"


HOSTILE: list[tuple[str, str, bytes, str]] = [
    ("wrong type", "photo.gif", b"GIF89a" + b"\x00" * 50, "This type of file is not accepted"),
    ("right bytes, wrong name", "letter.gif", samples.pdf("x"), "‘.gif’ files are not accepted"),
    (
        "renamed executable",
        "minutes.pdf",
        b"MZ\x90\x00" + b"\x00" * 500,
        "The selected file is a program, which is not accepted",
    ),
    (
        "zip bomb inside a Word file",
        "report.docx",
        samples.zip_bomb_docx(),
        "The Word document unpacks to far more than a document needs",
    ),
    (
        "zip bomb that lies about its size",
        "report.docx",
        samples.lying_zip_bomb_docx(),
        "The Word document is damaged or password-protected",
    ),
    ("empty", "letter.pdf", b"", "The selected file is empty"),
    (
        "path-traversal name, and a program",
        "../../etc/passwd.txt",
        b"#!/bin/sh\nrm -rf /\n",
        "The selected file is a program, which is not accepted",
    ),
    (
        "script-bearing SVG",
        "drawing.txt",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
        b"<script>alert(2)</script></svg>",
        "Web pages, SVG images and other markup files are not accepted",
    ),
    (
        "SVG by name",
        "drawing.svg",
        b"<svg></svg>",
        "Web pages, SVG images and other markup files are not accepted",
    ),
    (
        "HTML renamed as a PDF",
        "letter.pdf",
        b"<html><body><script>alert(1)</script></body></html>",
        "Web pages, SVG images and other markup files are not accepted",
    ),
    (
        "Word with macros",
        "report.docx",
        samples.docx("Hello", parts={"word/vbaProject.bin": b"macro"}),
        "Word documents with macros are not accepted",
    ),
    (
        "truncated PDF",
        "letter.pdf",
        samples.pdf("Hello")[:-30],
        "The PDF is incomplete or damaged",
    ),
    (
        "pixel flood",
        "scan.png",
        samples.png(60_000, 60_000),
        "The image is too large (60,000 × 60,000 pixels)",
    ),
    (
        "old Word file as an email",
        "letter.msg",
        samples.old_word_document(),
        "Word 97-2003 (.doc), Excel and other older Office files are not accepted",
    ),
]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [(name, data, message) for _, name, data, message in HOSTILE],
    ids=[label for label, *_ in HOSTILE],
)
def test_hostile_uploads_are_refused_with_a_clear_message_and_nothing_is_stored(
    worker: User, kayden_case: Case, client_for: Any, name: str, data: bytes, message: str
) -> None:
    client = client_for(worker)
    files_before = stored_files()
    rows = (Document.objects.count(), StoredFile.objects.count(), AuditEvent.objects.count())
    response = store(client, kayden_case, name, data, title="Kept title")
    assert response.status_code == 400
    body = text(response)
    assert message in body
    assert 'href="#id_file"' in body  # the error summary points at the file question
    assert 'value="Kept title"' in body  # what was typed is kept
    assert "Choose the file again" in body
    after = (Document.objects.count(), StoredFile.objects.count(), AuditEvent.objects.count())
    assert after == rows
    assert stored_files() == files_before


def test_an_oversized_upload_is_stopped_and_refused(
    worker: User, kayden_case: Case, client_for: Any, settings: Any
) -> None:
    settings.VAULT_MAX_UPLOAD_BYTES = 50_000
    files_before = stored_files()
    data = samples.pdf("Big", padding=2_000_000)
    response = store(client_for(worker), kayden_case, "big.pdf", data, title="Too big")
    assert response.status_code == 400
    assert "The selected file must be smaller than 48 KB" in text(response)
    assert 'value="Too big"' in text(response)
    assert not Document.objects.filter(title="Too big").exists()
    assert stored_files() == files_before


def test_a_file_name_is_sanitised(worker: User, kayden_case: Case, client_for: Any) -> None:
    name = "..\\..\\Windows\\system32\\re\u202eport\x00 CON.pdf"
    store(client_for(worker), kayden_case, name, samples.pdf("x"), title="Sanitised")
    document = Document.objects.get(title="Sanitised")
    # No folders, no control or right-to-left override characters: only the name is kept.
    assert document.file_name.startswith("report") and document.file_name.endswith("CON.pdf")
    assert not set(document.file_name) & {"/", "\\", "\x00", "\u202e", "."} - {"."}
    assert document.file_name.count(".") == 1


def test_an_empty_form_says_what_to_fix(worker: User, kayden_case: Case, client_for: Any) -> None:
    response = client_for(worker).post(
        f"/cases/{kayden_case.id}/documents/new/", {"cases": [str(kayden_case.id)]}
    )
    assert response.status_code == 400
    body = text(response)
    assert ">Select a file</a>" in body
    assert ">Select a category</a>" in body


def test_the_same_bytes_are_stored_once_and_never_overwritten(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    client = client_for(worker)
    data = samples.pdf("Same letter")
    store(client, kayden_case, "one.pdf", data, title="First copy")
    path = next(path for path in stored_files() if path.name != "tmp")
    before = path.stat().st_mtime_ns
    store(client, kayden_case, "two.pdf", data, title="Second copy")
    first, second = Document.objects.filter(title__in=["First copy", "Second copy"])
    assert first.stored_file_id == second.stored_file_id
    assert path.stat().st_mtime_ns == before
    assert path.stat().st_mode & 0o222 == 0  # read-only


# --- Reading and downloading --------------------------------------------------------------------


def test_the_file_is_served_as_an_audited_download_never_cached(
    worker: User, kayden_case: Case, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(worker)
    data = samples.pdf("Download me")
    with django_capture_on_commit_callbacks(execute=True):  # the worker checks it for scripts
        store(client, kayden_case, "letter ‘draft’.pdf", data, title="Letter")
    document = Document.objects.get(title="Letter")
    response = client.get(f"/documents/{document.id}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    disposition = response["Content-Disposition"]
    assert "filename*=utf-8''letter%20%E2%80%98draft%E2%80%99.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    read = AuditEvent.objects.filter(action=Action.DOCUMENT_DOWNLOADED, actor=worker).latest(
        "sequence"
    )
    assert read.object_id == str(document.id) and read.case_id == kayden_case.id
    inline = client.get(f"/documents/{document.id}/file/?inline=1")
    assert inline["Content-Disposition"].startswith("inline;")
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in inline["Content-Security-Policy"]


def test_a_pdf_with_scripts_is_kept_but_only_downloaded(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    client = client_for(worker)
    data = samples.pdf("Form", extra=b"<< /S /JavaScript /JS (app.alert(1)) >>")
    store(client, kayden_case, "form.pdf", data, title="Scripted form")
    document = Document.objects.get(title="Scripted form")
    assert document.active_content
    page = text(client.get(f"/documents/{document.id}/"))
    assert "This PDF contains scripts or actions, so it is not shown here" in page
    assert "?inline=1" not in page
    response = client.get(f"/documents/{document.id}/file/?inline=1")
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_scanned_pdf_says_no_text_was_found(
    worker: User, kayden_case: Case, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(worker)
    with django_capture_on_commit_callbacks(execute=True):
        store(client, kayden_case, "scan.pdf", samples.pdf(""), title="Scanned letter")
    document = Document.objects.get(title="Scanned letter")
    assert document.extraction_status == "no_text"
    page = text(client.get(f"/documents/{document.id}/"))
    assert "No text found — is it a scanned image?" in page


def test_a_document_that_cannot_be_read_keeps_the_upload(
    worker: User, kayden_case: Case, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A PDF whose structure is broken past its end marker: stored, downloadable, and its
    page says the text could not be read."""
    broken = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\n%%EOF\n"
    client = client_for(worker)
    with django_capture_on_commit_callbacks(execute=True):
        store(client, kayden_case, "broken.pdf", broken, title="Broken letter")
    document = Document.objects.get(title="Broken letter")
    assert document.extraction_status in ("failed", "no_text")
    page = text(client.get(f"/documents/{document.id}/"))
    assert ("Could not be read" in page) or ("No text found" in page)
    assert client.get(f"/documents/{document.id}/file/").status_code == 200


# --- Changing details, versions --------------------------------------------------------------


def test_details_are_corrected_with_old_and_new_values_audited(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    client = client_for(worker)
    store(client, kayden_case, "report.pdf", samples.pdf("Report"), title="Reprot")
    document = Document.objects.get(title="Reprot")
    form = client.get(f"/documents/{document.id}/change/")
    assert 'value="Reprot"' in text(form)
    response = client.post(
        f"/documents/{document.id}/change/",
        {
            "title": "Report",
            "category": str(category(kayden_case, "Report").id),
            "document_date-day": "1",
            "document_date-month": "10",
            "document_date-year": "2026",
            "source": "Dr Shah",
            "cases": [str(kayden_case.id)],
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.source, document.category.name) == (
        "Report",
        "Dr Shah",
        "Report",
    )
    event = AuditEvent.objects.get(
        action=Action.DOCUMENT_DETAILS_CHANGED, object_id=str(document.id)
    )
    assert event.detail["changes"]["title"] == {"old": "Reprot", "new": "Report"}
    assert event.detail["changes"]["document_date"] == {"old": None, "new": "2026-10-01"}


def test_a_new_version_keeps_every_version_downloadable(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    client = client_for(worker)
    first_bytes = samples.pdf("Draft report")
    store(client, kayden_case, "report.pdf", first_bytes, title="EP report")
    first = Document.objects.get(title="EP report")
    response = client.post(
        f"/documents/{first.id}/new-version/",
        {"file": SimpleUploadedFile("report final.pdf", samples.pdf("Final report"))},
    )
    second = Document.objects.get(previous_version=first)
    assert response["Location"] == f"/documents/{second.id}/"
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert (second.version, second.lineage, second.title) == (2, first.lineage, "EP report")
    page = text(client.get(f"/documents/{second.id}/"))
    assert "Version 2 has been stored. Earlier versions are kept" in page
    assert f'href="/documents/{first.id}/file/"' in page
    old_page = text(client.get(f"/documents/{first.id}/"))
    assert "See the newer version" in old_page
    assert "Change the details" not in old_page
    assert b"".join(client.get(f"/documents/{first.id}/file/").streaming_content) == first_bytes
    assert client.get(f"/documents/{first.id}/change/").status_code == 404
    listing = text(client.get(f"/cases/{kayden_case.id}/documents/"))
    assert listing.count("EP report") == 1


# --- Emails from the note editor, and citations --------------------------------------------------


def test_an_email_saved_from_a_draft_is_cited_by_the_note_and_the_document_lists_it(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    client = client_for(worker)
    response = client.post(
        f"/cases/{kayden_case.id}/notes/new/",
        {"title": "Email from Sam about the strategy meeting", "action": "attach_email"},
    )
    draft = Entry.objects.get(title="Email from Sam about the strategy meeting")
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{kayden_case.id}/documents/new/?for_draft={draft.id}"
    page = text(client.get(response["Location"]))
    assert "Add the email as a document" in page
    response = client.post(response["Location"], upload_form(kayden_case, "sam.eml", samples.eml()))
    assert response["Location"] == f"/notes/{draft.id}/edit/"
    email = Document.objects.get(kind="eml", title="Strategy meeting on Thursday")
    draft.refresh_from_db()
    assert draft.document_ids == [str(email.id)]
    edit = text(client.get(response["Location"]))
    assert "The email has been stored and your note links to it" in edit
    assert re.search(rf'value="{email.id}"[^>]*checked', edit)

    from django.utils import timezone

    today = timezone.localdate()
    finalised = client.post(
        f"/notes/{draft.id}/edit/",
        {
            "occurred_on-day": str(today.day),
            "occurred_on-month": str(today.month),
            "occurred_on-year": str(today.year),
            "occurred_time": "00:01",
            "contact_type": str(kayden_case.organisation.contact_types.get(name="Email").id),
            "title": "Email from Sam about the strategy meeting",
            "body": "Sam confirmed the strategy meeting for Thursday at 10am.",
            "documents": [str(email.id)],
            "children": [str(kayden_case.id)],
            "action": "continue",
        },
    )
    assert finalised.status_code == 302, text(finalised)
    client.post(f"/notes/{draft.id}/finalise/")
    note = Entry.objects.get(pk=draft.pk)
    assert note.is_final
    assert list(EntryDocument.objects.filter(entry=note).values_list("document_id", flat=True)) == [
        email.id
    ]
    note_page = text(client.get(f"/notes/{note.id}/"))
    assert f'href="/documents/{email.id}/"' in note_page
    document_page = text(client.get(f"/documents/{email.id}/"))
    assert f'href="/notes/{note.id}/"' in document_page


def test_a_note_cannot_cite_a_document_from_another_case(
    worker: User, kayden_case: Case, client_for: Any
) -> None:
    from caseledger.cases.models import Case as CaseModel

    client = client_for(worker)
    other = CaseModel.objects.filter(allocated_worker=worker).exclude(pk=kayden_case.pk).first()
    assert other is not None
    store(client, other, "other.pdf", samples.pdf("Other"), title="Other child's letter")
    document = Document.objects.get(title="Other child's letter")
    response = client.post(
        f"/cases/{kayden_case.id}/notes/new/",
        {"title": "Tries to cite it", "documents": [str(document.id)], "action": "save"},
    )
    assert response.status_code == 400
    assert not Entry.objects.filter(title="Tries to cite it").exists()


# --- Who may ---------------------------------------------------------------------------------


def test_an_outsider_can_neither_open_nor_download_nor_change_a_document(
    worker: User,
    outsider: User,
    colleague: User,
    parent: User,
    kayden_case: Case,
    client_for: Any,
) -> None:
    store(client_for(worker), kayden_case, "secret.pdf", samples.pdf("Secret"), title="Secret")
    document = Document.objects.get(title="Secret")
    for user in (outsider, colleague, parent, None):
        client = client_for(user)
        for path in ("", "file/", "file/?inline=1", "change/", "new-version/"):
            response = client.get(f"/documents/{document.id}/{path}")
            assert response.status_code in (302, 404), (user, path)
            if user is not None:
                assert response.status_code == 404
                assert b"Secret" not in response.content
        assert client.get(f"/cases/{kayden_case.id}/documents/").status_code in (302, 404)
        assert client.post(
            f"/cases/{kayden_case.id}/documents/new/",
            upload_form(kayden_case, "x.pdf", samples.pdf("x")),
        ).status_code in (302, 404)
    assert Document.objects.filter(title="x.pdf").count() == 0


def test_a_read_only_grant_reads_the_shared_case_documents_but_cannot_add(
    worker: User, parent: User, freddie_la_case: Case, client_for: Any
) -> None:
    client = client_for(worker)
    store(client, freddie_la_case, "plan.pdf", samples.pdf("Plan"), title="Child in need plan")
    document = Document.objects.get(title="Child in need plan")
    reader = client_for(parent)
    page = text(reader.get(f"/documents/{document.id}/"))
    assert "Child in need plan" in page
    assert "Change the details" not in page
    assert reader.get(f"/documents/{document.id}/file/").status_code == 200
    assert reader.get(f"/cases/{freddie_la_case.id}/documents/new/").status_code == 404
    assert reader.get(f"/documents/{document.id}/change/").status_code == 404


# --- Categories (recording settings) -------------------------------------------------------------


def test_an_admin_adds_and_withdraws_a_category_and_documents_keep_theirs(
    org_admin: User, worker: User, kayden_case: Case, client_for: Any
) -> None:
    admin = client_for(org_admin)
    settings_page = text(admin.get("/settings/recording/"))
    assert "Document categories" in settings_page and "Correspondence" in settings_page
    response = admin.post("/settings/document-categories/add/", {"name": " Occupational  therapy "})
    assert response["Location"] == "/settings/recording/"
    added = DocumentCategory.objects.get(
        organisation=kayden_case.organisation, name="Occupational therapy"
    )
    assert AuditEvent.objects.filter(
        action=Action.DOCUMENT_CATEGORY_ADDED, object_id=str(added.id)
    ).exists()
    clash = admin.post("/settings/document-categories/add/", {"name": "occupational therapy"})
    assert clash.status_code == 400
    assert "There is already a category called Occupational therapy" in text(clash)

    store(
        client_for(worker),
        kayden_case,
        "ot.pdf",
        samples.pdf("OT"),
        category=str(added.id),
        title="OT report",
    )
    response = admin.post(
        f"/settings/document-categories/{added.id}/",
        {"name": "Occupational therapy", "is_active": "no"},
    )
    assert response.status_code == 302
    form = text(client_for(worker).get(f"/cases/{kayden_case.id}/documents/new/"))
    assert "Occupational therapy" not in form
    document = Document.objects.get(title="OT report")
    assert document.category == added
    change = text(client_for(worker).get(f"/documents/{document.id}/change/"))
    assert "Occupational therapy" not in change or "selected" in change
    event = AuditEvent.objects.get(action=Action.DOCUMENT_CATEGORY_CHANGED, object_id=str(added.id))
    assert event.detail["changes"]["is_active"] == {"old": True, "new": False}


def test_only_an_admin_of_the_organisation_changes_its_categories(
    worker: User, outsider: User, org_admin: User, kayden_case: Case, client_for: Any
) -> None:
    category = category_of(kayden_case)
    for user in (worker, outsider):
        client = client_for(user)
        assert client.get("/settings/document-categories/add/").status_code == 404
        assert client.get(f"/settings/document-categories/{category.id}/").status_code == 404
        assert (
            client.post(
                f"/settings/document-categories/{category.id}/",
                {"name": "Hacked", "is_active": "yes"},
            ).status_code
            == 404
        )
    category.refresh_from_db()
    assert category.name != "Hacked"


def category_of(case: Case) -> DocumentCategory:
    return category(case)


def test_a_pdf_is_previewed_only_once_the_worker_has_found_no_scripts_in_it(
    worker: User, kayden_case: Case, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(worker)
    store(client, kayden_case, "letter.pdf", samples.pdf("Not yet checked"), title="Unchecked")
    document = Document.objects.get(title="Unchecked")
    assert document.scripts_found is None
    page = text(client.get(f"/documents/{document.id}/"))
    assert "The preview appears once the file has been checked for scripts" in page
    assert client.get(f"/documents/{document.id}/file/?inline=1")["Content-Disposition"].startswith(
        "attachment;"
    )
    from caseledger.vault.tasks import extract_document_text

    extract_document_text.call(str(document.id))
    document.refresh_from_db()
    assert document.scripts_found is False
    assert "?inline=1" in text(client.get(f"/documents/{document.id}/"))
