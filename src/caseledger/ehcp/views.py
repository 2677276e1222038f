"""EHCP status and plan pages. Thin: check access, bind a form, call one service, redirect or
render."""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO, cast
from uuid import UUID

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods

from caseledger.audit.models import Action
from caseledger.cases.models import Case
from caseledger.domain.ehcp import SECTIONS
from caseledger.domain.ehcp.working_document import to_docx, to_pdf
from caseledger.ehcp import annotations as annotating
from caseledger.ehcp import services
from caseledger.ehcp.access import (
    access_annotation,
    access_annotation_to_change,
    access_case_for_plans,
    access_case_to_add_plan_versions,
    access_case_to_change_status,
    access_plan_version,
    access_plan_version_to_confirm,
    can_add_plan_versions,
    can_comment,
)
from caseledger.ehcp.forms import (
    AnnotationForm,
    CommentForm,
    FlagDecisionForm,
    ItemNeedsForm,
    PlanSectionsForm,
    PlanVersionForm,
    ReportsForm,
    StatusChangeForm,
)
from caseledger.ehcp.models import AnnotationStatus, Comment, FlagDecision, PlanVersion
from caseledger.ledger.access import access_entry
from caseledger.ui.pages import acting_user, call_service, render_form_page
from caseledger.vault.access import documents_visible_to
from caseledger.vault.forms import CHOOSE_AGAIN
from caseledger.vault.uploads import TOO_LARGE


@require_http_methods(["GET", "POST"])
def status_change(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Record a change of the case's EHCP status; the deadlines it starts are shown after."""
    user = acting_user(request)
    case = access_case_to_change_status(user, case_id)
    form = StatusChangeForm(request.POST or None, initial={"effective_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = call_service(
            form,
            lambda: services.change_status(
                actor=user,
                case=case,
                status=data["status"],
                effective_on=data["effective_on"],
                note=data["note"],
            ),
        )
        if change is not None:
            message = f"The status is now {change.get_status_display()}"
            started = services.deadlines_started_by(change)
            if started:
                today = timezone.localdate()
                message += ". Deadlines started: " + "; ".join(
                    f"{action.description}, by {date_format(action.due_on, 'j F Y')} "
                    f"({services.days_left((action.due_on - today).days)})"
                    for action in started
                )
            messages.success(request, message)
            return redirect("cases:case-detail", case_id=case.id)
    return render_form_page(
        request,
        "ehcp/status_change.html",
        form,
        case=case,
        current=services.current_status(case),
    )


# --- Plan versions (issue 7) -----------------------------------------------------------------


@require_http_methods(["GET"])
def plan(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """The case's plan versions, latest issued first."""
    user = acting_user(request)
    case = access_case_for_plans(user, case_id)
    return render(
        request,
        "ehcp/plan.html",
        {
            "case": case,
            "versions": services.plan_versions(case),
            "can_add": can_add_plan_versions(user, case),
        },
    )


def _plan_file(request: HttpRequest) -> services.PlanFile | None:
    upload = request.FILES.get("file")
    if not isinstance(upload, UploadedFile):
        return None
    return services.PlanFile(cast(BinaryIO, upload), upload.name or "", upload.size or 0)


@require_http_methods(["GET", "POST"])
def version_add(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Add a plan version from its file (its sections read for checking) or to type in."""
    user = acting_user(request)
    case = access_case_to_add_plan_versions(user, case_id)
    posted = request.method == "POST"
    form = PlanVersionForm(request.POST if posted else None, request.FILES if posted else None)
    if posted:
        too_large = bool(request.META.get(TOO_LARGE))
        valid = form.is_valid()
        if too_large:
            form.errors.pop("file", None)
            form.refuse_too_large()
        if valid and not too_large:
            data = form.cleaned_data
            version = call_service(
                form,
                lambda: services.add_plan_version(
                    actor=user,
                    case=case,
                    kind=data["kind"],
                    issued_on=data["issued_on"],
                    upload=_plan_file(request),
                ),
            )
            if version is not None:
                if version.document_id is not None:
                    messages.success(
                        request,
                        "The plan has been stored with the case's documents. Check the sections "
                        "read from it, correct anything read wrongly, then confirm them",
                    )
                return redirect("ehcp:version-sections", version_id=version.id)
    return render_form_page(
        request,
        "ehcp/version_add.html",
        form,
        case=case,
        choose_again=CHOOSE_AGAIN if posted and form.errors else "",
    )


@require_http_methods(["GET", "POST"])
def version_sections(request: HttpRequest, version_id: UUID) -> HttpResponse:
    """Check, correct and confirm a version's sections; once confirmed they never change."""
    user = acting_user(request)
    version = access_plan_version_to_confirm(user, version_id)
    if version.is_confirmed:
        messages.success(request, "These sections have been confirmed, so they cannot be changed")
        return redirect("ehcp:version-detail", version_id=version.id)
    initial = {f"section_{key}": text for key, text in services.sections_of(version).items()}
    form = PlanSectionsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        confirmed = call_service(
            form,
            lambda: services.confirm_plan_sections(
                actor=user, version=version, sections=form.sections()
            ),
        )
        if confirmed is not None:
            messages.success(request, "The sections have been confirmed")
            return redirect("ehcp:version-detail", version_id=version.id)
    return render_form_page(
        request,
        "ehcp/version_sections.html",
        form,
        case=version.case,
        version=version,
        read_from_file=version.document_id is not None,
    )


@require_http_methods(["GET"])
def version_detail(request: HttpRequest, version_id: UUID) -> HttpResponse:
    """A version's sections A to K, with links to compare it with the case's other versions."""
    user = acting_user(request)
    version = access_plan_version(user, version_id)
    services.record_plan_read(
        actor=user, action=Action.PLAN_VERSION_VIEWED, case=version.case, versions=[version]
    )
    others = [other for other in services.plan_versions(version.case) if other.id != version.id]
    flags = services.plan_flags(version)
    return render(
        request,
        "ehcp/version_detail.html",
        {
            "case": version.case,
            "version": version,
            "sections": [
                (key, SECTIONS[key], text) for key, text in services.sections_of(version).items()
            ],
            # Each comparison reads from the earlier version to the later.
            "comparisons": [(other, _in_order(version, other)) for other in others],
            "can_confirm": can_add_plan_versions(user, version.case) and not version.is_confirmed,
            "flags": flags,
            "flag_sections": _by_section(flags),
            "can_decide": can_add_plan_versions(user, version.case),
            "can_comment": can_comment(user, version.case),
            "flag_comments": _grouped(
                annotating.comments_on(version=version, flag_keys=[s.key for s in flags]),
                lambda comment: comment.flag_key,
            ),
            "reports": list(version.reports.order_by("title", "id")),
            "section_annotations": _grouped(
                annotating.annotations_of(version), lambda annotation: annotation.section
            ),
        },
    )


def _grouped[T](items: list[T], key: Callable[[T], str]) -> dict[str, list[T]]:
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups


def _by_section(
    flags: list[services.FlagState],
) -> list[tuple[str, str, list[services.FlagState]]]:
    """The flags grouped by section, in the order the analyser gives (section order)."""
    groups: dict[str, list[services.FlagState]] = {}
    for state in flags:
        groups.setdefault(state.flag.section, []).append(state)
    return [(key, SECTIONS.get(key, ""), states) for key, states in groups.items()]


@require_http_methods(["GET", "POST"])
def flag_decide(request: HttpRequest, version_id: UUID, flag_key: str) -> HttpResponse:
    """Confirm or dismiss one of a confirmed version's flags; the family's alone."""
    user = acting_user(request)
    version = access_plan_version_to_confirm(user, version_id)
    state = services.plan_flag(version, flag_key)
    if state is None:
        raise Http404
    form = FlagDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decided = call_service(
            form,
            lambda: services.decide_flag(
                actor=user,
                version=version,
                flag_key=state.key,
                decision=data["decision"],
                reason=data["reason"],
            ),
        )
        if decided is not None:
            done = "confirmed" if decided.decision == FlagDecision.CONFIRM else "dismissed"
            messages.success(request, f"The flag has been {done}")
            url = reverse("ehcp:version-detail", kwargs={"version_id": version.id})
            return redirect(f"{url}#flag-{state.key}")
    return render_form_page(
        request,
        "ehcp/flag_decide.html",
        form,
        case=version.case,
        version=version,
        state=state,
    )


def _in_order(one: PlanVersion, other: PlanVersion) -> tuple[PlanVersion, PlanVersion]:
    """The two versions, earlier issued first."""
    if (one.issued_on, one.created_at) <= (other.issued_on, other.created_at):
        return one, other
    return other, one


@require_http_methods(["GET"])
def version_compare(request: HttpRequest, version_id: UUID, other_id: UUID) -> HttpResponse:
    """Two versions of the same case's plan, section by section, word by word."""
    user = acting_user(request)
    old = access_plan_version(user, version_id)
    new = access_plan_version(user, other_id)
    if old.case_id != new.case_id:
        raise Http404
    services.record_plan_read(
        actor=user, action=Action.PLAN_VERSIONS_COMPARED, case=old.case, versions=[old, new]
    )
    sections = services.compare_plan_versions(old, new)
    return render(
        request,
        "ehcp/version_compare.html",
        {
            "case": old.case,
            "old": old,
            "new": new,
            "sections": sections,
            "changed": [section.key for section in sections if section.changed],
        },
    )


# --- Provision linked to needs, annotations, comments, the working document (issue 7) --------


@require_http_methods(["GET"])
def provision(request: HttpRequest, version_id: UUID) -> HttpResponse:
    """A confirmed version's provision items (Sections F, G and H) with the needs each meets,
    and the needs no Section F item meets."""
    user = acting_user(request)
    version = access_plan_version(user, version_id)
    if not version.is_confirmed:
        raise Http404
    services.record_plan_read(
        actor=user, action=Action.PLAN_VERSION_VIEWED, case=version.case, versions=[version]
    )
    return render(
        request,
        "ehcp/provision.html",
        {
            "case": version.case,
            "version": version,
            "provision": annotating.plan_provision(version, version.section_texts()),
            "can_link": can_add_plan_versions(user, version.case),
        },
    )


@require_http_methods(["GET", "POST"])
def item_needs(request: HttpRequest, version_id: UUID, section: str, item_key: str) -> HttpResponse:
    """Link one provision item to the Section B needs it meets; the family's alone."""
    user = acting_user(request)
    version = access_plan_version_to_confirm(user, version_id)
    if not version.is_confirmed:
        raise Http404
    found = annotating.plan_provision(version, version.section_texts())
    item = found.item(section, item_key)
    if item is None:
        raise Http404
    form = ItemNeedsForm(
        request.POST if request.method == "POST" else None,
        initial={"needs": [need.key for need in item.needs]},
    )
    form.choice_field("needs").choices = [(need.key, need.text) for need in found.needs]
    if request.method == "POST" and form.is_valid():
        linked = call_service(
            form,
            lambda: annotating.link_item_needs(
                actor=user,
                version=version,
                section=section,
                item_key=item.key,
                need_keys=form.cleaned_data["needs"],
            ),
        )
        if linked is not None:
            messages.success(request, "The needs this provision meets have been saved")
            url = reverse("ehcp:provision", kwargs={"version_id": version.id})
            return redirect(f"{url}#item-{section}-{item.key}")
    return render_form_page(
        request,
        "ehcp/item_needs.html",
        form,
        case=version.case,
        version=version,
        item=item,
        has_needs=bool(found.needs),
    )


@require_http_methods(["GET", "POST"])
def version_reports(request: HttpRequest, version_id: UUID) -> HttpResponse:
    """Choose the professional reports whose recommendations Section F should carry."""
    user = acting_user(request)
    version = access_plan_version_to_confirm(user, version_id)
    form = ReportsForm(
        request.POST if request.method == "POST" else None,
        initial={"reports": [str(pk) for pk in version.reports.values_list("id", flat=True)]},
    )
    form.choice_field("reports").choices = [
        (str(document.id), document.title)
        for document in annotating.case_documents(version.case)
        if document.id != version.document_id
    ]
    if request.method == "POST" and form.is_valid():
        chosen = call_service(
            form,
            lambda: annotating.choose_reports(
                actor=user, version=version, document_ids=form.cleaned_data["reports"]
            ),
        )
        if chosen is not None:
            messages.success(request, "The reports have been saved")
            url = reverse("ehcp:version-detail", kwargs={"version_id": version.id})
            return redirect(f"{url}#reports")
    return render_form_page(
        request, "ehcp/version_reports.html", form, case=version.case, version=version
    )


def _annotation_form(
    request: HttpRequest, version: PlanVersion, initial: dict[str, object]
) -> AnnotationForm:
    form = AnnotationForm(request.POST if request.method == "POST" else None, initial=initial)
    form.choice_field("evidence").choices = [
        (str(document.id), document.title) for document in annotating.case_documents(version.case)
    ]
    return form


def _content(form: AnnotationForm) -> annotating.AnnotationContent:
    data = form.cleaned_data
    return annotating.AnnotationContent(
        section=data["section"],
        passage=data["passage"],
        concern=data["concern"],
        proposed_wording=data["proposed_wording"],
        status=data["status"],
        evidence_ids=data["evidence"],
    )


@require_http_methods(["GET", "POST"])
def annotation_add(request: HttpRequest, version_id: UUID) -> HttpResponse:
    """Annotate a section, or a passage of it; from a flag, the flag's passage is filled in."""
    user = acting_user(request)
    version = access_plan_version_to_confirm(user, version_id)
    if not version.is_confirmed:
        raise Http404
    initial: dict[str, object] = {"status": AnnotationStatus.OPEN}
    section = request.GET.get("section", "")
    if section in SECTIONS:
        initial["section"] = section
    flag = services.plan_flag(version, request.GET.get("flag", ""))
    if flag is not None:
        initial["section"] = flag.flag.section
        if annotating.locate_passage(version.section_texts()[flag.flag.section], flag.flag.text):
            initial["passage"] = flag.flag.text
    form = _annotation_form(request, version, initial)
    if request.method == "POST" and form.is_valid():
        added = call_service(
            form,
            lambda: annotating.add_annotation(actor=user, version=version, content=_content(form)),
        )
        if added is not None:
            messages.success(request, f"Your annotation on section {added.section} has been added")
            return redirect("ehcp:annotation-detail", annotation_id=added.id)
    return render_form_page(
        request, "ehcp/annotation_form.html", form, case=version.case, version=version
    )


@require_http_methods(["GET"])
def annotation_detail(request: HttpRequest, annotation_id: UUID) -> HttpResponse:
    user = acting_user(request)
    annotation = access_annotation(user, annotation_id)
    version = annotation.version
    services.record_plan_read(
        actor=user, action=Action.PLAN_VERSION_VIEWED, case=version.case, versions=[version]
    )
    return render(
        request,
        "ehcp/annotation_detail.html",
        {
            "case": version.case,
            "version": version,
            "annotation": annotation,
            # Rule 10: only documents the reader may open are listed.
            "evidence": list(
                documents_visible_to(user)
                .filter(pk__in=annotation.evidence.values("pk"))
                .order_by("title", "id")
            ),
            "comments": annotating.comments_on(annotation_ids=[annotation.id]),
            "can_change": can_add_plan_versions(user, version.case),
            "can_comment": can_comment(user, version.case),
        },
    )


@require_http_methods(["GET", "POST"])
def annotation_edit(request: HttpRequest, annotation_id: UUID) -> HttpResponse:
    user = acting_user(request)
    annotation = access_annotation_to_change(user, annotation_id)
    version = annotation.version
    form = _annotation_form(
        request,
        version,
        {
            "section": annotation.section,
            "passage": annotation.passage,
            "concern": annotation.concern,
            "proposed_wording": annotation.proposed_wording,
            "status": annotation.status,
            "evidence": [str(pk) for pk in annotation.evidence.values_list("id", flat=True)],
        },
    )
    if request.method == "POST" and form.is_valid():
        changed = call_service(
            form,
            lambda: annotating.change_annotation(
                actor=user, annotation=annotation, content=_content(form)
            ),
        )
        if changed is not None:
            messages.success(request, "Your annotation has been saved")
            return redirect("ehcp:annotation-detail", annotation_id=annotation.id)
    return render_form_page(
        request,
        "ehcp/annotation_form.html",
        form,
        case=version.case,
        version=version,
        annotation=annotation,
    )


def _comment_page(
    request: HttpRequest,
    *,
    case: Case,
    subject: str,
    back: str,
    comments: list[Comment],
    add: Callable[[str], Comment],
    **context: object,
) -> HttpResponse:
    form = CommentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        added = call_service(form, lambda: add(form.cleaned_data["body"]))
        if added is not None:
            messages.success(request, "Your comment has been added")
            return redirect(back)
    return render_form_page(
        request,
        "ehcp/comment_form.html",
        form,
        case=case,
        subject=subject,
        back=back,
        comments=comments,
        **context,
    )


@require_http_methods(["GET", "POST"])
def flag_comment(request: HttpRequest, version_id: UUID, flag_key: str) -> HttpResponse:
    """Comments on one flag; anyone who sees the case adds one (an advocate's advice)."""
    user = acting_user(request)
    version = access_plan_version(user, version_id)
    state = services.plan_flag(version, flag_key)
    if state is None or not can_comment(user, version.case):
        raise Http404
    url = reverse("ehcp:version-detail", kwargs={"version_id": version.id})
    return _comment_page(
        request,
        case=version.case,
        subject="flag",
        back=f"{url}#flag-{state.key}",
        comments=annotating.comments_on(version=version, flag_keys=[state.key]),
        add=lambda body: annotating.add_comment(
            actor=user, case=version.case, body=body, version=version, flag_key=state.key
        ),
        version=version,
        state=state,
    )


@require_http_methods(["GET", "POST"])
def annotation_comment(request: HttpRequest, annotation_id: UUID) -> HttpResponse:
    user = acting_user(request)
    annotation = access_annotation(user, annotation_id)
    case = annotation.version.case
    if not can_comment(user, case):
        raise Http404
    return _comment_page(
        request,
        case=case,
        subject="annotation",
        back=reverse("ehcp:annotation-detail", kwargs={"annotation_id": annotation.id}),
        comments=annotating.comments_on(annotation_ids=[annotation.id]),
        add=lambda body: annotating.add_comment(
            actor=user, case=case, body=body, annotation=annotation
        ),
        version=annotation.version,
        annotation=annotation,
    )


@require_http_methods(["GET", "POST"])
def note_comment(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    """Comments on a finalised note of an EHCP tracking case."""
    user = acting_user(request)
    entry = access_entry(user, entry_id)
    if not entry.is_final or not can_comment(user, entry.case):
        raise Http404
    return _comment_page(
        request,
        case=entry.case,
        subject="note",
        back=reverse("ledger:note-detail", kwargs={"entry_id": entry.id}),
        comments=annotating.comments_on(entry=entry),
        add=lambda body: annotating.add_comment(
            actor=user, case=entry.case, body=body, entry=entry
        ),
        entry=entry,
    )


WORKING_DOCUMENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@require_http_methods(["GET"])
def working_document(request: HttpRequest, version_id: UUID, file_type: str) -> HttpResponse:
    """The version as a tribunal working document, in Word or PDF: the council's wording,
    deletions struck through, the family's proposed wording in bold."""
    user = acting_user(request)
    version = access_plan_version(user, version_id)
    if file_type not in WORKING_DOCUMENT_TYPES or not version.is_confirmed:
        raise Http404
    document = annotating.working_document(
        version, prepared_on=date_format(timezone.localdate(), "j F Y")
    )
    content = to_docx(document) if file_type == "docx" else to_pdf(document)
    services.record_plan_read(
        actor=user,
        action=Action.WORKING_DOCUMENT_DOWNLOADED,
        case=version.case,
        versions=[version],
    )
    response = HttpResponse(content, content_type=WORKING_DOCUMENT_TYPES[file_type])
    # The file name gives the kind of plan and its date, never the child or the family (a
    # family's case references carry its surname): file names end up in download folders,
    # email attachments and logs.
    name = f"ehc-{version.kind}-plan-working-document-{version.issued_on:%Y-%m-%d}.{file_type}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
