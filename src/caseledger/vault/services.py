"""Storing, describing, versioning and reading documents in the evidence vault.

Every write takes the acting user, checks they work on each case the document belongs to,
and writes its audit event in the same transaction. The file itself is checked (type by its
bytes, size, archive contents: `domain/filetypes.py`), hashed and kept before the database
transaction opens, so no database lock is held while bytes are copied; a file kept but never
recorded (the transaction failed) is harmless, because storage is by content.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any, BinaryIO

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from caseledger.accounts.models import Organisation, User
from caseledger.audit.models import Action
from caseledger.audit.services import changes_between, record_event, snapshot
from caseledger.cases.access import can_work_on_case
from caseledger.cases.models import Case
from caseledger.domain.emails import EmailUnreadableError, ParsedEmail, parse_eml, parse_msg
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.domain.filetypes import (
    FileKind,
    FileRefusedError,
    Identified,
    identify,
    identify_content,
    named_for,
    sanitise_file_name,
)
from caseledger.ledger import configuration
from caseledger.ledger.models import Tag
from caseledger.vault import storage
from caseledger.vault.models import Document, DocumentCase, DocumentCategory, StoredFile

DETAIL_FIELDS = ("title", "category", "document_date", "source")
CATEGORY_FIELDS = ("name", "is_active")
CATEGORY_NAME_LENGTH = 100


def upload_limit() -> int:
    return int(settings.VAULT_MAX_UPLOAD_BYTES)


def megabytes(size: int) -> str:
    """A file size limit in words: "25 MB", or "49 KB" below a megabyte."""
    if size < 1024 * 1024:
        return f"{size // 1024} KB"
    return f"{size / (1024 * 1024):.0f} MB"


@dataclass(frozen=True)
class DocumentDetails:
    """What people say about a document. A blank title takes the email's subject, or the
    file's name."""

    title: str
    category: DocumentCategory
    cases: Sequence[Case]
    document_date: date | None = None
    source: str = ""
    tags: Sequence[Tag] = ()


def categories_of(
    organisation: Organisation, *, keep: DocumentCategory | None = None
) -> list[DocumentCategory]:
    """The categories offered: the active ones, and a document's own even if withdrawn."""
    offered = Q(is_active=True) | Q(pk=keep.pk) if keep is not None else Q(is_active=True)
    return list(DocumentCategory.objects.filter(offered, organisation=organisation))


def cases_to_file_under(actor: User, case: Case) -> list[Case]:
    """The case, then the open cases of the child's brothers and sisters in the same
    organisation that the user works on: a letter about the family belongs to each child."""
    cases = [case]
    if case.child.household_id is not None:
        siblings = (
            Case.objects.filter(
                child__household_id=case.child.household_id,
                organisation_id=case.organisation_id,
                status="open",
            )
            .exclude(pk=case.pk)
            .select_related("child", "organisation")
            .order_by("child__date_of_birth", "id")
        )
        cases += [sibling for sibling in siblings if can_work_on_case(actor, sibling)]
    return cases


def _check_details(
    actor: User,
    organisation_id: object,
    details: DocumentDetails,
    *,
    current: Document | None = None,
) -> None:
    """The details' rules; a document being corrected keeps its own category and date even if
    the category has since been withdrawn or the date is one no person could now type."""
    if not details.cases:
        raise DomainError("Select at least one case the document belongs to", field="cases")
    for case in details.cases:
        if case.organisation_id != organisation_id or not can_work_on_case(actor, case):
            raise NotPermittedError
    kept_category = current is not None and details.category.pk == current.category_id
    if details.category.organisation_id != organisation_id or not (
        details.category.is_active or kept_category
    ):
        raise DomainError("Select a category", field="category")
    if any(tag.organisation_id != organisation_id for tag in details.tags):
        raise DomainError("Select topics from the list", field="tags")
    if len(details.title.strip()) > 200:
        raise DomainError("The title must be 200 characters or fewer", field="title")
    if len(details.source.strip()) > 200:
        raise DomainError("The author or source must be 200 characters or fewer", field="source")
    kept_date = current is not None and details.document_date == current.document_date
    if (
        details.document_date is not None
        and details.document_date > timezone.localdate()
        and not kept_date
    ):
        raise DomainError(
            "The date of the document must be today or in the past", field="document_date"
        )


@dataclass(frozen=True)
class _Checked:
    """A file that passed every check and is kept in storage."""

    sha256: str
    size: int
    name: str
    identified: Identified
    email: ParsedEmail | None


def _check_and_keep(
    source: BinaryIO, *, name: str, size: int, named_by_sender: bool = False
) -> _Checked:
    """Refuse the file with a message on the file field, or keep it and say what it is.

    An email's attachment was named by its sender, not the person uploading: its content
    decides, and its name is given the extension that content has ("scan" that is a PDF is
    kept as "scan.pdf")."""
    limit = upload_limit()
    if size > limit:
        raise DomainError(
            f"The selected file must be smaller than {megabytes(limit)}", field="file"
        )
    name = sanitise_file_name(name)
    try:
        with storage.spooled(source, limit=limit) as spool:
            with spool.path.open("rb") as copy:
                if named_by_sender:
                    identified = identify_content(copy, size=spool.size)
                    name = named_for(identified.kind, name)
                else:
                    identified = identify(copy, name=name, size=spool.size)
                email = _read_email(identified.kind, copy)
            storage.keep(spool)
    except storage.FileTooLargeError as error:
        raise DomainError(
            f"The selected file must be smaller than {megabytes(limit)}", field="file"
        ) from error
    except FileRefusedError as error:
        raise DomainError(error.message, field="file") from error
    return _Checked(spool.sha256, spool.size, name, identified, email)


def _read_email(kind: FileKind, stream: BinaryIO) -> ParsedEmail | None:
    if kind not in (FileKind.EML, FileKind.MSG):
        return None
    try:
        stream.seek(0)
        return parse_eml(stream.read()) if kind is FileKind.EML else parse_msg(stream)
    except EmailUnreadableError as error:
        raise FileRefusedError(
            "The email is damaged, so it cannot be read. Save it again"
        ) from error


def _document_from(
    checked: _Checked, *, actor: User, organisation: Organisation, details: DocumentDetails
) -> Document:
    StoredFile.objects.get_or_create(sha256=checked.sha256, defaults={"size": checked.size})
    email = checked.email
    title = details.title.strip() or (email.subject if email else "") or checked.name
    document = Document(
        organisation=organisation,
        stored_file_id=checked.sha256,
        file_name=checked.name,
        kind=checked.identified.kind,
        active_content=checked.identified.active_content,
        uploaded_by=actor,
        title=title[:200],
        category=details.category,
        document_date=details.document_date or _sent_on(email),
        source=details.source.strip() or (email.sender[:200] if email else ""),
    )
    document.lineage = document.id
    if email is not None:
        document.email_sender = email.sender
        document.email_to = email.to
        document.email_cc = email.cc
        document.email_sent_at = email.sent_at
        document.email_subject = email.subject
        document.email_text_body = email.text_body
        document.email_html_body = email.html_body
    return document


def _sent_on(email: ParsedEmail | None) -> date | None:
    """The day an email was sent, as its document's date; none if its date is in the future
    (a sender's clock, or a forged header, is not evidence of when it was written)."""
    if email is None or email.sent_at is None:
        return None
    day = timezone.localdate(email.sent_at)
    return day if day <= timezone.localdate() else None


def _link(document: Document, details: DocumentDetails) -> None:
    DocumentCase.objects.bulk_create(
        DocumentCase(document=document, case=case) for case in details.cases
    )
    if details.tags:
        document.tags.set(details.tags)


def _audit_stored(actor: User, document: Document, action: Action, **detail: object) -> None:
    record_event(
        actor=actor,
        action=action,
        obj=document,
        organisation=document.organisation,
        case_id=document.case_links.order_by("id").values_list("case_id", flat=True).first(),
        detail={
            "sha256": document.stored_file_id,
            "size": document.stored_file.size,
            "kind": document.kind,
            "version": document.version,
            "cases": [
                str(case_id) for case_id in document.case_links.values_list("case_id", flat=True)
            ],
            **detail,
        },
    )


def _extract_later(document: Document) -> None:
    """Findable by its title and details now; by its words once the worker has read them."""
    from caseledger.search.indexing import index_document
    from caseledger.vault.tasks import extract_document_text

    index_document(document)
    transaction.on_commit(partial(extract_document_text.enqueue, str(document.id)))


# A forwarded email's attachments are kept too, to this depth (an email in an email in an
# email); deeper ones are named as not kept. One upload keeps at most this many documents and
# this many times the upload limit in bytes: a small email of emails of emails must not fill
# the vault or hold the database for long.
MAX_NESTED_EMAILS = 3
MAX_DOCUMENTS_PER_UPLOAD = 100
ATTACHMENT_BYTES_PER_UPLOAD_LIMIT = 2


@dataclass
class _Budget:
    documents: int
    size: int


@dataclass
class _Prepared:
    """A file checked and kept, with its attachments (checked and kept too) and the names
    and reasons of those not kept: everything done before the database transaction opens."""

    checked: _Checked
    attachments: list[_Prepared]
    left_out: list[str]


def _prepare(source: BinaryIO, *, name: str, size: int) -> _Prepared:
    checked = _check_and_keep(source, name=name, size=size)
    if checked.email is None:
        return _Prepared(checked, [], [])
    budget = _Budget(
        MAX_DOCUMENTS_PER_UPLOAD - 1, upload_limit() * ATTACHMENT_BYTES_PER_UPLOAD_LIMIT
    )
    attachments, left_out = _prepare_attachments(checked.email, depth=1, budget=budget)
    return _Prepared(checked, attachments, left_out)


def _prepare_attachments(
    email: ParsedEmail, *, depth: int, budget: _Budget
) -> tuple[list[_Prepared], list[str]]:
    """Each attachment is checked as an upload is; one that fails is named with the reason.
    A forwarded email's own attachments are prepared the same way."""
    left_out = [
        f"{sanitise_file_name(name)}: more attachments than this service keeps"
        for name in email.attachments_left_out
    ]
    prepared: list[_Prepared] = []
    for attachment in email.attachments:
        shown = sanitise_file_name(attachment.name)
        if budget.documents <= 0 or len(attachment.content) > budget.size:
            left_out.append(f"{shown}: more than this service keeps from one upload")
            continue
        try:
            checked = _check_and_keep(
                io.BytesIO(attachment.content),
                name=attachment.name,
                size=len(attachment.content),
                named_by_sender=True,
            )
        except DomainError as error:
            left_out.append(f"{shown}: {error.message}")
            continue
        budget.documents -= 1
        budget.size -= checked.size
        inner: list[_Prepared] = []
        inner_left_out: list[str] = []
        if checked.email is not None:
            if depth < MAX_NESTED_EMAILS:
                inner, inner_left_out = _prepare_attachments(
                    checked.email, depth=depth + 1, budget=budget
                )
            else:
                inner_left_out = [
                    f"{sanitise_file_name(item.name)}: attached to an email within emails "
                    f"{MAX_NESTED_EMAILS} deep, so not kept"
                    for item in checked.email.attachments
                ]
        prepared.append(_Prepared(checked, inner, inner_left_out))
    return prepared, left_out


def _insert(
    prepared: _Prepared,
    *,
    actor: User,
    organisation: Organisation,
    details: DocumentDetails,
    parent: Document | None = None,
    previous: Document | None = None,
) -> Document:
    """The rows for a prepared file and its attachments, in the caller's transaction."""
    checked = prepared.checked
    if parent is not None:
        details = DocumentDetails(
            title=named_for(checked.identified.kind, checked.name),
            category=details.category,
            cases=details.cases,
            document_date=parent.document_date,
            source=parent.source,
            tags=details.tags,
        )
    document = _document_from(checked, actor=actor, organisation=organisation, details=details)
    document.attached_to = parent
    document.email_attachments_left_out = prepared.left_out
    if previous is not None:
        document.lineage = previous.lineage
        document.version = previous.version + 1
        document.previous_version = previous
    document.save(force_insert=True)
    _link(document, details)
    for attachment in prepared.attachments:
        _insert(
            attachment, actor=actor, organisation=organisation, details=details, parent=document
        )
    if previous is not None:
        _audit_stored(actor, document, Action.DOCUMENT_VERSION_STORED, previous=str(previous.id))
    elif parent is not None:
        _audit_stored(actor, document, Action.DOCUMENT_STORED, attached_to=str(parent.id))
    else:
        _audit_stored(actor, document, Action.DOCUMENT_STORED)
    _extract_later(document)
    return document


def store_document(
    *, actor: User, source: BinaryIO, file_name: str, size: int, details: DocumentDetails
) -> Document:
    """Keep an uploaded file as evidence, with its details, on the cases it belongs to; an
    email's attachments become documents linked to it. Audited with the file's SHA-256.

    Every file is checked and kept before the transaction opens, so it holds the database
    only to write rows. Should the transaction fail, the kept files have no rows: harmless,
    since storage is by content and a later upload of the same bytes uses them."""
    organisation = actor.organisation
    if organisation is None:
        raise NotPermittedError
    _check_details(actor, organisation.id, details)
    prepared = _prepare(source, name=file_name, size=size)
    with transaction.atomic():
        return _insert(prepared, actor=actor, organisation=organisation, details=details)


def store_new_version(
    *, actor: User, document: Document, source: BinaryIO, file_name: str, size: int
) -> Document:
    """A new file for a document: a new version in the same lineage, with the same details
    and cases. The earlier versions are kept and stay downloadable."""
    current = _current_for_work(actor, document)
    prepared = _prepare(source, name=file_name, size=size)
    with transaction.atomic():
        current = Document.objects.select_for_update().get(pk=current.pk)
        if not current.is_current:
            raise DomainError("A newer version was added meanwhile: open it, then try again")
        details = DocumentDetails(
            title=current.title,
            category=current.category,
            cases=[link.case for link in current.case_links.select_related("case")],
            document_date=current.document_date,
            source=current.source,
            tags=list(current.tags.all()),
        )
        Document.objects.filter(pk=current.pk).update(is_current=False)
        version = _insert(
            prepared,
            actor=actor,
            organisation=current.organisation,
            details=details,
            previous=current,
        )
        from caseledger.search.indexing import remove_document

        remove_document(current)
    return version


def _current_for_work(actor: User, document: Document) -> Document:
    if not document.is_current:
        raise DomainError("Only the latest version can be changed")
    cases = list(Case.objects.filter(pk__in=document.case_links.values("case_id")))
    if not any(can_work_on_case(actor, case) for case in cases):
        raise NotPermittedError
    return document


def family_of(document: Document) -> list[Document]:
    """Every document that goes where this one goes: all versions of the email (or file) it
    belongs to, and every attachment of those, however deep. They share their cases: an
    attachment, an earlier version, is never left on a case the document has been moved off."""
    root = document
    while root.attached_to_id is not None:
        parent = Document.objects.filter(pk=root.attached_to_id).first()
        if parent is None:
            break
        root = parent
    members = {member.pk: member for member in Document.objects.filter(lineage=root.lineage)}
    frontier = list(members)
    while frontier:
        children = [
            child
            for child in Document.objects.filter(attached_to_id__in=frontier)
            if child.pk not in members
        ]
        members.update({child.pk: child for child in children})
        frontier = [child.pk for child in children]
    return list(members.values())


def _check_citations_kept(family: Sequence[Document], removed: Sequence[Case]) -> None:
    """A document cited by a note (final, or a draft about to be) stays on that note's case:
    the record would otherwise cite evidence its readers can no longer open (rule 4: a final
    note never changes)."""
    from caseledger.ledger.models import EntryDocument, EntryKind

    if not removed:
        return
    cited = (
        EntryDocument.objects.filter(
            document__in=[member.pk for member in family], entry__case__in=removed
        )
        .exclude(entry__kind=EntryKind.MOVED_OUT)
        .select_related("entry__case__child")
        .first()
    )
    if cited is not None:
        case = cited.entry.case
        kind = "A note" if cited.entry.is_final else "A draft note"
        raise DomainError(
            f"{kind} on {case.child.display_name}'s case ({case.reference}) cites this "
            "document, so it stays on that case",
            field="cases",
        )


@transaction.atomic
def change_document_details(*, actor: User, document: Document, details: DocumentDetails) -> bool:
    """Correct what is said about a document (never the file). Cases the user does not work
    on stay linked as they were, and a change of cases moves the document's whole family
    (versions and attachments) with it. Audited with old and new values; False if nothing
    changed."""
    from caseledger.search.indexing import index_document, reindex_citing_entries

    document = Document.objects.select_for_update().get(pk=document.pk)
    _current_for_work(actor, document)
    linked = {link.case_id: link.case for link in document.case_links.select_related("case")}
    _check_details(actor, document.organisation_id, details, current=document)
    wanted = {case.id: case for case in details.cases}
    wanted.update({key: case for key, case in linked.items() if not can_work_on_case(actor, case)})
    family = family_of(document)
    removed = [case for key, case in linked.items() if key not in wanted]
    _check_citations_kept(family, removed)
    before = snapshot(document, DETAIL_FIELDS)
    before_tags = sorted(str(tag_id) for tag_id in document.tags.values_list("id", flat=True))
    document.title = details.title.strip() or document.title
    document.category = details.category
    document.document_date = details.document_date
    document.source = details.source.strip()
    changes = changes_between(before, snapshot(document, DETAIL_FIELDS), DETAIL_FIELDS)
    after_tags = sorted(str(tag.id) for tag in details.tags)
    if before_tags != after_tags:
        changes["tags"] = {"old": before_tags, "new": after_tags}
    before_cases = sorted(str(case_id) for case_id in linked)
    after_cases = sorted(str(case_id) for case_id in wanted)
    if before_cases != after_cases:
        changes["cases"] = {"old": before_cases, "new": after_cases}
    if not changes:
        return False
    document.save(update_fields=["title", "category", "document_date", "source"])
    document.tags.set(details.tags)
    if "cases" in changes:
        for member in family:
            _set_cases(member, wanted)
    record_event(
        actor=actor,
        action=Action.DOCUMENT_DETAILS_CHANGED,
        obj=document,
        organisation=document.organisation,
        case_id=next(iter(wanted)),
        changes=changes,
        detail={"family": [str(member.pk) for member in family if member.pk != document.pk]}
        if "cases" in changes and len(family) > 1
        else None,
    )
    index_document(document)
    for member in family:
        if member.pk != document.pk and member.is_current:
            index_document(member)  # its cases may have changed with the document's
    if "title" in changes:
        # Notes are found by the titles of what they cite: by the new title, not the old.
        reindex_citing_entries(document)
    return True


def _set_cases(document: Document, wanted: dict[Any, Case]) -> None:
    current = set(DocumentCase.objects.filter(document=document).values_list("case_id", flat=True))
    DocumentCase.objects.filter(document=document).exclude(case_id__in=list(wanted)).delete()
    DocumentCase.objects.bulk_create(
        DocumentCase(document=document, case=case)
        for case_id, case in wanted.items()
        if case_id not in current
    )


# --- The organisation's document categories (settings) -----------------------------------------


def categories_for_settings(organisation: Organisation) -> QuerySet[DocumentCategory]:
    return DocumentCategory.objects.filter(organisation=organisation).order_by("position", "name")


@transaction.atomic
def add_category(*, actor: User, organisation: Organisation, name: str) -> DocumentCategory:
    """Add a category documents can be filed under (the issue's lists are only defaults)."""
    organisation = configuration.require_admin(actor, organisation.pk)
    existing = categories_for_settings(organisation)
    name = configuration.check_name(
        name, existing=existing, noun="category", max_length=CATEGORY_NAME_LENGTH
    )
    category = DocumentCategory.objects.create(
        organisation=organisation, name=name, position=configuration.next_position(existing)
    )
    record_event(
        actor=actor,
        action=Action.DOCUMENT_CATEGORY_ADDED,
        obj=category,
        organisation=organisation,
        changes=configuration.added_values(CATEGORY_FIELDS, category),
    )
    return category


@transaction.atomic
def change_category(
    *, actor: User, category: DocumentCategory, name: str, is_active: bool
) -> DocumentCategory:
    """Rename a category, or stop (or start again) offering it; documents filed under it
    keep it."""
    organisation = configuration.require_admin(actor, category.organisation_id)
    category = DocumentCategory.objects.select_for_update().get(pk=category.pk)
    name = configuration.check_name(
        name,
        existing=categories_for_settings(organisation),
        noun="category",
        max_length=CATEGORY_NAME_LENGTH,
        exclude=category,
    )
    after = {"name": name, "is_active": is_active}
    changes = changes_between(snapshot(category, CATEGORY_FIELDS), after, CATEGORY_FIELDS)
    if not changes:
        return category
    for field, value in after.items():
        setattr(category, field, value)
    category.save(update_fields=list(changes))
    record_event(
        actor=actor,
        action=Action.DOCUMENT_CATEGORY_CHANGED,
        obj=category,
        organisation=organisation,
        changes=changes,
    )
    return category


@transaction.atomic
def record_document_read(
    *, actor: User, document: Document, cases: Sequence[Case], action: Action
) -> None:
    """A page view or download of a document (ASVS 16.3.2): who, which, when; once for each
    of its cases the reader sees, so "who viewed this record" is true on every one."""
    for case in cases:
        record_event(
            actor=actor,
            action=action,
            obj=document,
            organisation=case.organisation,
            case_id=case.id,
            detail={"sha256": document.stored_file_id},
        )
