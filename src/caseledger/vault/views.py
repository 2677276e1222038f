"""Pages of the evidence vault: a case's documents, storing one, its page, its file."""

from __future__ import annotations

from typing import BinaryIO, cast
from uuid import UUID

import nh3
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_http_methods

from caseledger.accounts.models import User
from caseledger.audit.models import Action
from caseledger.cases.access import access_case, access_case_for_work, can_work_on_case
from caseledger.cases.models import Case
from caseledger.domain.errors import DomainError
from caseledger.ledger import services as ledger_services
from caseledger.ledger.access import access_draft
from caseledger.ledger.models import Entry, EntryKind, EntryStatus, Tag
from caseledger.ledger.settings_views import administered_organisation
from caseledger.ui.pages import acting_user, call_service, render_form_page
from caseledger.vault import services, storage
from caseledger.vault.access import (
    access_document,
    access_document_for_work,
    case_documents,
    documents_visible_to,
    visible_cases_of,
)
from caseledger.vault.forms import (
    CHOOSE_AGAIN,
    CategoryEditForm,
    CategoryForm,
    DetailsForm,
    FileForm,
    UploadForm,
)
from caseledger.vault.models import Document, DocumentCategory
from caseledger.vault.uploads import TOO_LARGE

DOCUMENTS_SHOWN = 200
# What an email's HTML body may keep when shown: text formatting and links, nothing that
# runs, loads from elsewhere (no images: a remote image tells the sender it was opened) or
# styles the page.
EMAIL_TAGS = {
    "a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "hr", "i",
    "li", "ol", "p", "pre", "span", "strong", "table", "tbody", "td", "th", "thead", "tr",
    "u", "ul",
}  # fmt: skip


def safe_email_html(markup: str) -> str:
    """An email's HTML body, sanitised with nh3 (Ammonia) on output: never trusted."""
    return nh3.clean(
        markup,
        tags=EMAIL_TAGS,
        attributes={"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        clean_content_tags={"script", "style", "head", "title"},
    )


def _tags_of(case: Case) -> list[Tag]:
    return list(Tag.objects.filter(organisation_id=case.organisation_id, is_active=True))


def _upload(request: HttpRequest) -> tuple[BinaryIO, str, int] | None:
    """The uploaded file as a binary stream, with its name and size."""
    upload = request.FILES.get("file")
    if not isinstance(upload, UploadedFile):
        return None
    return cast(BinaryIO, upload), upload.name or "", upload.size or 0


# --- The organisation's document categories (with the recording settings) ---------------------


def _access_category(user: User, category_id: UUID) -> DocumentCategory:
    """A category of the organisation the user administers; otherwise 404."""
    organisation = administered_organisation(user)
    category = DocumentCategory.objects.filter(pk=category_id, organisation=organisation).first()
    if category is None:
        raise Http404
    return category


@require_http_methods(["GET", "POST"])
def category_add(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organisation = administered_organisation(user)
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added = call_service(
            form,
            lambda: services.add_category(
                actor=user, organisation=organisation, name=form.cleaned_data["name"]
            ),
        )
        if added is not None:
            messages.success(request, f"{added.name} has been added to the document categories")
            return redirect("ledger:settings")
    return render_form_page(
        request, "vault/settings_category.html", form, heading="Add a document category"
    )


@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, category_id: UUID) -> HttpResponse:
    user = acting_user(request)
    category = _access_category(user, category_id)
    form = CategoryEditForm(
        request.POST or None,
        initial={"name": category.name, "is_active": "yes" if category.is_active else "no"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = call_service(
            form,
            lambda: services.change_category(
                actor=user, category=category, name=data["name"], is_active=data["is_active"]
            ),
        )
        if changed is not None:
            messages.success(request, f"{changed.name} has been saved")
            return redirect("ledger:settings")
    return render_form_page(
        request,
        "vault/settings_category.html",
        form,
        heading=f"Change {category.name}",
        category=category,
    )


@require_http_methods(["GET"])
def case_documents_page(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = acting_user(request)
    case = access_case(user, case_id)
    documents = list(case_documents(case)[:DOCUMENTS_SHOWN])
    ledger_services.record_read(
        actor=user,
        action=Action.DOCUMENTS_LISTED,
        case=case,
        detail={"documents": [str(document.id) for document in documents]},
    )
    return render(
        request,
        "vault/case_documents.html",
        {
            "case": case,
            "child": case.child,
            "documents": documents,
            "can_work": can_work_on_case(user, case),
            "truncated": len(documents) == DOCUMENTS_SHOWN,
        },
    )


def _for_draft(request: HttpRequest, user: User, case: Case) -> Entry | None:
    """The author's draft note that will cite the stored email (rule 11), if one is named."""
    value = request.GET.get("for_draft")
    if not value:
        return None
    try:
        draft = access_draft(user, UUID(value))
    except ValueError as error:
        raise Http404 from error
    if draft.case_id != case.id:
        raise Http404
    return draft


@require_http_methods(["GET", "POST"])
def document_new(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = acting_user(request)
    case = access_case_for_work(user, case_id)
    draft = _for_draft(request, user, case)
    cases = services.cases_to_file_under(user, case)
    posted = request.method == "POST"
    form = UploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        categories=services.categories_of(case.organisation),
        tags=_tags_of(case),
        cases=cases,
        initial={"cases": [str(case.id)]},
    )
    if request.method == "POST":
        too_large = bool(request.META.get(TOO_LARGE))
        valid = form.is_valid()
        if too_large:
            form.errors.pop("file", None)
            form.refuse_too_large()
        upload = _upload(request)
        if valid and not too_large and upload is not None:
            document = call_service(
                form,
                lambda: services.store_document(
                    actor=user,
                    source=upload[0],
                    file_name=upload[1],
                    size=upload[2],
                    details=form.details(),
                ),
            )
            if document is not None:
                return _stored(request, user, document, draft)
    return render_form_page(
        request,
        "vault/document_new.html",
        form,
        case=case,
        child=case.child,
        draft=draft,
        choose_again=CHOOSE_AGAIN if request.method == "POST" else "",
    )


def _stored(
    request: HttpRequest, user: User, document: Document, draft: Entry | None
) -> HttpResponse:
    kept = "The email has been stored" if document.is_email else "The document has been stored"
    if draft is not None:
        try:
            ledger_services.cite_document_in_draft(actor=user, draft=draft, document_id=document.id)
        except DomainError:
            messages.success(
                request,
                f"{kept}. Your draft was finalised or deleted meanwhile, so it does not link to it",
            )
            return redirect("vault:document-detail", document_id=document.id)
        messages.success(
            request,
            f"{kept} and your note links to it. Say in the note what it means, in your own words",
        )
        return redirect("ledger:note-edit", entry_id=draft.id)
    messages.success(request, kept)
    return redirect("vault:document-detail", document_id=document.id)


@require_http_methods(["GET"])
def document_detail(request: HttpRequest, document_id: UUID) -> HttpResponse:
    user = acting_user(request)
    document = access_document(user, document_id)
    cases = visible_cases_of(user, document)
    visible = documents_visible_to(user)
    versions = list(
        visible.filter(lineage=document.lineage).select_related("uploaded_by").order_by("-version")
    )
    # Notes moved to the right child (rule 6), and their tombstones, are not listed: their
    # readers are no longer those of this document's cases.
    citing = list(
        Entry.objects.filter(
            entry_documents__document__lineage=document.lineage,
            status=EntryStatus.FINAL,
            case__in=cases,
            tombstones__isnull=True,
        )
        .exclude(kind=EntryKind.MOVED_OUT)
        .select_related("author", "case__child")
        .order_by("-occurred_at", "-id")
        .distinct()[:100]
    )
    services.record_document_read(
        actor=user, document=document, cases=cases, action=Action.DOCUMENT_VIEWED
    )
    can_work = any(can_work_on_case(user, case) for case in cases)
    return render(
        request,
        "vault/document_detail.html",
        {
            "document": document,
            "cases": cases,
            "case": cases[0],
            "child": cases[0].child,
            "versions": versions if len(versions) > 1 else [],
            "attachments": list(visible.filter(attached_to=document).order_by("file_name", "id")),
            "parent": visible.filter(pk=document.attached_to_id).first()
            if document.attached_to_id
            else None,
            "citing": citing,
            "tags": list(document.tags.all()),
            "email_html": safe_email_html(document.email_html_body)
            if document.email_html_body and not document.email_text_body
            else "",
            "can_work": can_work and document.is_current,
            # Only a newer version this reader may open (versions share their cases).
            "newer": visible.filter(previous_version=document).first()
            if not document.is_current
            else None,
        },
    )


def _file_response(document: Document, *, inline: bool) -> FileResponse:
    response = FileResponse(
        storage.open_stored(document.stored_file_id),
        as_attachment=not inline,
        filename=document.file_name,
        content_type=document.media_type,
    )
    # Special category data: never kept by a browser or proxy (ASVS 14.3.2).
    response["Cache-Control"] = "no-store, private"
    return response


# The preview is framed by the document's own page (same origin) and nothing else; what is
# shown in it may load nothing at all.
@xframe_options_sameorigin
@csp_override({"default-src": [CSP.NONE], "img-src": [CSP.SELF], "frame-ancestors": [CSP.SELF]})
@require_http_methods(["GET"])
def document_file(request: HttpRequest, document_id: UUID) -> HttpResponseBase:
    """The file itself: downloaded, or shown in the page for a PDF or image. Audited."""
    user = acting_user(request)
    document = access_document(user, document_id)
    cases = visible_cases_of(user, document)
    inline = request.GET.get("inline") == "1" and document.previewable
    services.record_document_read(
        actor=user, document=document, cases=cases, action=Action.DOCUMENT_DOWNLOADED
    )
    return _file_response(document, inline=inline)


@require_http_methods(["GET", "POST"])
def document_change(request: HttpRequest, document_id: UUID) -> HttpResponse:
    user = acting_user(request)
    document, cases = access_document_for_work(user, document_id)
    if not document.is_current:
        raise Http404
    case = cases[0]
    workable = [item for item in cases if can_work_on_case(user, item)]
    offered = {item.id: item for item in workable}
    for item in services.cases_to_file_under(user, workable[0]):
        offered.setdefault(item.id, item)
    form = DetailsForm(
        request.POST or None,
        categories=services.categories_of(document.organisation, keep=document.category),
        tags=_tags_of(case),
        cases=list(offered.values()),
        initial=DetailsForm.initial_for(document, list(offered.values())),
    )
    if request.method == "POST" and form.is_valid():
        changed = call_service(
            form,
            lambda: services.change_document_details(
                actor=user, document=document, details=form.details()
            ),
        )
        if changed is not None:
            messages.success(
                request,
                "The document's details have been changed" if changed else "Nothing was changed",
            )
            return redirect("vault:document-detail", document_id=document.id)
    return render_form_page(
        request,
        "vault/document_change.html",
        form,
        document=document,
        case=case,
        child=case.child,
    )


@require_http_methods(["GET", "POST"])
def document_version(request: HttpRequest, document_id: UUID) -> HttpResponse:
    user = acting_user(request)
    document, cases = access_document_for_work(user, document_id)
    if not document.is_current:
        raise Http404
    posted = request.method == "POST"
    form = FileForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST":
        too_large = bool(request.META.get(TOO_LARGE))
        valid = form.is_valid()
        if too_large:
            form.errors.pop("file", None)
            form.refuse_too_large()
        upload = _upload(request)
        if valid and not too_large and upload is not None:
            version = call_service(
                form,
                lambda: services.store_new_version(
                    actor=user,
                    document=document,
                    source=upload[0],
                    file_name=upload[1],
                    size=upload[2],
                ),
            )
            if version is not None:
                messages.success(
                    request,
                    f"Version {version.version} has been stored. Earlier versions are kept",
                )
                return redirect("vault:document-detail", document_id=version.id)
    return render_form_page(
        request,
        "vault/document_version.html",
        form,
        document=document,
        case=cases[0],
        child=cases[0].child,
    )
