"""Case notes and the chronology. Thin: check access, bind a form, call one service, respond.

Every page that shows a case record logs the read (who viewed this record).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseledger.accounts.models import User
from caseledger.actions.models import ActionStatus, NextAction
from caseledger.audit.models import READ_ACTIONS, Action, AuditEvent
from caseledger.cases.access import (
    access_case,
    access_case_for_work,
    can_allocate_case,
    can_work_on_case,
    cases_visible_to,
)
from caseledger.cases.models import Case
from caseledger.domain.errors import DomainError
from caseledger.domain.promise_dates import date_from_words
from caseledger.domain.quality import CODE_NAMES, CODES
from caseledger.ehcp.access import can_comment
from caseledger.ehcp.annotations import comments_on
from caseledger.ledger import services
from caseledger.ledger.access import (
    access_draft,
    access_entry,
    access_entry_for_work,
    can_amend_entry,
    can_move_entry,
    can_report_wrong_child,
    can_see_viewers,
    manages_case,
    sees_moved_entries,
    visible_entries,
)
from caseledger.ledger.chronology import (
    OLDEST_FIRST,
    Filters,
    chronology_page,
    decorate,
    entries_for,
    filter_choices,
    printable,
)
from caseledger.ledger.forms import (
    ChronologyFilterForm,
    CorrectionForm,
    EventForm,
    InteractionForm,
    MoveForm,
    NoteForm,
    ReasonForm,
    WrongChildReportForm,
    initial_from,
)
from caseledger.ledger.interactions import (
    record_interaction,
    record_timeline_event,
    timeline_entries,
)
from caseledger.ledger.models import Entry, EntryKind, EntryStatus, WrongChildReport
from caseledger.ledger.templatetags.ledger import marked_note_body
from caseledger.people.access import access_child
from caseledger.quality import services as quality
from caseledger.quality.pasted_emails import store_pasted_email
from caseledger.ui.pages import acting_user, call_service, render_form_page
from caseledger.vault.access import citable_documents, documents_visible_to
from caseledger.workdays.calendar import working_days

LINKABLE_ENTRIES = 15
VIEWERS_PAGE = 50


# --- Writing a note ---------------------------------------------------------------------------


def _note_form(
    user: User,
    case: Case,
    *,
    data: QueryDict | None,
    initial: dict[str, Any] | None = None,
    exclude: Entry | None = None,
    for_amendment: bool = False,
) -> NoteForm:
    linkable = visible_entries(user, case).order_by("-occurred_at", "-id")
    if exclude is not None:
        linkable = linkable.exclude(lineage_id=exclude.lineage_id)
    siblings = [] if for_amendment else services.sibling_cases_for_visit(user, case)
    cited = set((initial or {}).get("documents", []))
    if initial is None:
        # Rule 9: a visit is to every brother and sister with an open case unless unticked.
        initial = {"children": [str(case.id)] + [str(sibling.id) for sibling in siblings]}
    return NoteForm(
        data,
        case=case,
        sibling_cases=siblings,
        linkable=list(linkable.select_related("case")[:LINKABLE_ENTRIES]),
        documents=citable_documents(case, cited),
        contact_type_locked=for_amendment,
        # An amended note keeps its type of contact even if it is no longer offered.
        kept_type=exclude.contact_type if for_amendment and exclude is not None else None,
        initial=initial,
    )


def _form_data(form: NoteForm, initial: dict[str, Any]) -> QueryDict:
    """A draft's saved content as the POST data that would produce it, so a GET can show the
    note form bound — with the rule-by-rule errors of a note not yet ready to finalise."""
    data = QueryDict(mutable=True)
    for name, value in initial.items():
        if name not in form.fields:
            continue
        if name == "occurred_on":
            data[f"{name}-day"], data[f"{name}-month"] = str(value.day), str(value.month)
            data[f"{name}-year"] = str(value.year)
        elif isinstance(value, list):
            data.setlist(name, value)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value not in (None, ""):
            data[name] = str(value)
    return data


def _attach_email(draft: Entry) -> HttpResponse:
    """Rule 11: from the note editor to the vault, to store the email the note is about."""
    return redirect(
        reverse("vault:document-new", kwargs={"case_id": draft.case_id}) + f"?for_draft={draft.id}"
    )


def _note_page(
    request: HttpRequest, form: NoteForm, *, case: Case, draft: Entry | None
) -> HttpResponse:
    # The recording assistant reads what is in the box now (issue 6), with the browser's line
    # endings, so its offsets select the right words in the text area.
    text = str(form["body"].value() or "").replace("\r\n", "\n")
    review = quality.review_note(case, text, author=acting_user(request)) if text.strip() else None
    return render_form_page(
        request,
        "ledger/note_form.html",
        form,
        case=case,
        child=case.child,
        draft=draft,
        visit_type_ids=form.visit_type_ids,
        child_visit_type_ids=form.child_visit_type_ids,
        findings=[
            (shown, _utf16(text, shown.finding.start), _utf16(text, shown.finding.end))
            for shown in (quality.shown(review, text) if review is not None else [])
        ],
    )


def _utf16(text: str, offset: int) -> int:
    """A character offset as the browser's text box counts it (UTF-16 code units), so a finding
    after an emoji still selects the right words."""
    return len(text[:offset].encode("utf-16-le")) // 2


def _autosaved(draft: Entry) -> JsonResponse:
    saved_at = timezone.localtime(draft.updated_at)
    return JsonResponse(
        {
            "saved": True,
            "url": reverse("ledger:note-edit", kwargs={"entry_id": draft.id}),
            "message": f"Draft saved at {saved_at:%H:%M}",
        }
    )


def _not_autosaved() -> JsonResponse:
    return JsonResponse(
        {"saved": False, "message": "Your draft could not be saved: check the answers marked"},
        status=400,
    )


@require_http_methods(["GET", "POST"])
def note_new(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = acting_user(request)
    case = access_case_for_work(user, case_id)
    form = _note_form(user, case, data=request.POST or None)
    action = request.POST.get("action", "save")
    if request.method == "POST":
        if not form.is_valid():
            return (
                _not_autosaved()
                if action == "autosave"
                else _note_page(request, form, case=case, draft=None)
            )
        draft = call_service(
            form, lambda: services.start_draft(actor=user, case=case, content=form.content())
        )
        if draft is not None:
            if action == "autosave":
                return _autosaved(draft)
            if action == "continue":
                return redirect("ledger:note-finalise", entry_id=draft.id)
            if action == "attach_email":
                return _attach_email(draft)
            messages.success(request, "Your draft has been saved")
            return redirect("cases:case-detail", case_id=case.id)
    return _note_page(request, form, case=case, draft=None)


@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    user = acting_user(request)
    draft = access_draft(user, entry_id)
    case = draft.case
    initial = initial_from(services.content_of(draft), case)
    if request.method == "GET" and request.GET.get("check"):
        # Sent back from finalising: show the draft with what still needs doing.
        form = _note_form(user, case, data=None, initial=initial, exclude=draft)
        form = _note_form(user, case, data=_form_data(form, initial), exclude=draft)
        if form.is_valid():
            form.add_problems(
                services.problems_with(case, form.content(), now=timezone.now()), finalising=True
            )
        return _note_page(request, form, case=case, draft=draft)
    form = _note_form(user, case, data=request.POST or None, initial=initial, exclude=draft)
    action = request.POST.get("action", "save")
    if request.method == "POST":
        if not form.is_valid():
            return (
                _not_autosaved()
                if action == "autosave"
                else _note_page(request, form, case=case, draft=draft)
            )
        content = form.content()
        saved = call_service(
            form,
            lambda: services.save_draft(
                actor=user, draft=draft, content=content, autosave=action == "autosave"
            ),
        )
        if saved is not None:
            if action == "autosave":
                draft.refresh_from_db(fields=["updated_at"])
                return _autosaved(draft)
            if action == "attach_email":
                return _attach_email(draft)
            if action == "continue":
                problems = services.problems_with(case, content, now=timezone.now())
                if not problems:
                    return redirect("ledger:note-finalise", entry_id=draft.id)
                form.add_problems(problems, finalising=True)
                return _note_page(request, form, case=case, draft=draft)
            messages.success(request, "Your draft has been saved")
            return redirect("cases:case-detail", case_id=case.id)
    return _note_page(request, form, case=case, draft=draft)


def _findings_context(draft: Entry, review: quality.Review) -> dict[str, Any]:
    """The assistant's findings as the check page shows them: a summary linking to each
    finding's mark in the note, the whole-note ones (length) to the note itself."""
    rows = quality.shown(review, draft.body)
    spans = [
        (row.finding.start, row.finding.end, row.anchor)
        for row in rows
        if row.finding.code not in quality.WHOLE_NOTE_CODES
    ]
    body, target = marked_note_body(draft.body, spans)
    links = {row.anchor: target.get(row.anchor, "note-body") for row in rows}
    blocking_codes = list(dict.fromkeys(row.finding.code for row in rows if row.blocking))
    return {
        "findings": [(row, links[row.anchor]) for row in rows],
        "marked_body": body,
        "confirmations": [(code, quality.CONFIRMATIONS[code]) for code in blocking_codes],
        "blocking_count": sum(row.blocking for row in rows),
    }


def _store_pasted_email(request: HttpRequest, user: User, draft: Entry) -> HttpResponse:
    """Rule 11: the pasted email goes to the vault and out of the note; the author then
    summarises it in the editor."""
    try:
        document = store_pasted_email(actor=user, draft=draft)
    except DomainError as error:
        messages.info(request, error.message)
    else:
        messages.success(
            request,
            f"The email has been stored as a document, “{document.title}”, and taken out of "
            "your note, which now links to it. Say in the note what the email means for "
            f"{draft.case.child.display_name}, in your own words.",
        )
    return redirect("ledger:note-edit", entry_id=draft.id)


@require_http_methods(["GET", "POST"])
def note_finalise(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    """Check your answers, then finalise: the author's act that makes the note a record.

    The recording-quality assistant's findings are shown here, before finalising (issue 6);
    a blocking one (by default a pasted email, rule 11) must be put right or confirmed."""
    user = acting_user(request)
    draft = access_draft(user, entry_id)
    content = services.content_of(draft)
    confirm_error: tuple[str, str] | None = None
    confirmed: list[str] = []
    if request.method == "POST" and request.POST.get("action") == "store_email":
        return _store_pasted_email(request, user, draft)
    if request.method == "POST":
        confirmed = [code for code in CODES if request.POST.get(f"confirm_{code}") == "yes"]
        try:
            entries = services.finalise_note(actor=user, draft=draft, confirmed=confirmed)
        except DomainError as error:
            if not (error.field or "").startswith("confirm_"):
                messages.info(request, error.message)
                return redirect(
                    reverse("ledger:note-edit", kwargs={"entry_id": draft.id}) + "?check=1"
                )
            confirm_error = (str(error.field), error.message)
        else:
            if len(entries) > 1:
                names = ", ".join(entry.case.child.display_name for entry in entries)
                messages.success(request, f"Your note has been finalised on the records of {names}")
            else:
                messages.success(request, "Your note has been finalised")
            return redirect("ledger:note-detail", entry_id=draft.id)
    elif services.problems_with(draft.case, content, now=timezone.now()):
        return redirect(reverse("ledger:note-edit", kwargs={"entry_id": draft.id}) + "?check=1")
    visit_cases = {
        case.id: case for case in [draft.case, *services.sibling_cases_for_visit(user, draft.case)]
    }
    children = [
        (visit_cases[child.case_id], child)
        for child in content.children
        if child.case_id in visit_cases
    ]
    review = quality.review_note(draft.case, draft.body, author=user)
    return render(
        request,
        "ledger/note_finalise.html",
        {
            "draft": draft,
            "case": draft.case,
            "content": content,
            "children": children
            if draft.contact_type and draft.contact_type.visit_to_child
            else [],
            "row": decorate([draft])[0],
            "confirm_error": confirm_error,
            "confirmed": confirmed,
            "page_has_errors": confirm_error is not None,
            **_findings_context(draft, review),
        },
        status=400 if confirm_error else 200,
    )


@require_http_methods(["GET", "POST"])
def note_discard(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    user = acting_user(request)
    draft = access_draft(user, entry_id)
    if request.method == "POST":
        case_id = draft.case_id
        try:
            services.discard_draft(actor=user, draft=draft)
        except DomainError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, "Your draft has been deleted")
        return redirect("cases:case-detail", case_id=case_id)
    return render(request, "ledger/note_discard.html", {"draft": draft, "case": draft.case})


# --- Reading a note ---------------------------------------------------------------------------


@require_http_methods(["GET"])
def note_detail(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    user = acting_user(request)
    entry = access_entry(user, entry_id)
    case = entry.case
    services.record_read(actor=user, action=Action.NOTE_VIEWED, case=case, obj=entry)
    versions = (
        list(
            Entry.objects.filter(lineage_id=entry.lineage_id, status=EntryStatus.FINAL)
            .select_related("author")
            .order_by("version")
        )
        if entry.is_final
        else []
    )
    latest = versions[-1] if versions else entry
    group = (
        list(
            Entry.objects.filter(group_id=entry.group_id, status=EntryStatus.FINAL, version=1)
            .filter(case__in=cases_visible_to(user))
            .exclude(case_id=entry.case_id)
            .select_related("case__child")
        )
        if entry.group_id
        else []
    )
    open_report = (
        entry.wrong_child_reports.filter(status=WrongChildReport.Status.OPEN)
        .select_related("reported_by")
        .first()
        if entry.is_final
        else None
    )
    is_latest = latest.pk == entry.pk
    works = entry.is_final and can_work_on_case(user, case)
    sourced = list(entry.actions.order_by("due_on", "id")) if entry.is_final else []
    moved = entry.kind == EntryKind.MOVED_OUT or entry.tombstones.exists()
    # What the recording assistant found when the note was finalised (issue 6): for its
    # author and for the managers who monitor the records (rule 13), not for everyone who
    # reads the note.
    monitors = (
        entry.author_id == user.pk
        or manages_case(user, case)
        or sees_moved_entries(user, case)
        or can_allocate_case(user, case)
    )
    findings = list(entry.findings.order_by("start", "code")) if monitors else []
    commentable = entry.is_final and can_comment(user, case)
    context = {
        "entry": entry,
        "case": case,
        "child": case.child,
        "row": decorate([entry])[0],
        "findings": [
            (
                finding,
                CODE_NAMES.get(finding.code, finding.code),
                entry.body[finding.start : finding.end],
            )
            for finding in findings
        ],
        "versions": versions if len(versions) > 1 else [],
        "latest": latest,
        "is_latest": is_latest,
        "group": group,
        "open_report": open_report if sees_moved_entries(user, case) or works else None,
        "tombstone": entry.tombstones.select_related("author").first() if moved else None,
        "can_correct": works and not moved and entry.kind != EntryKind.MOVED_OUT,
        "can_amend": is_latest and not moved and can_amend_entry(user, entry),
        "can_report": (
            not moved and open_report is None and is_latest and can_report_wrong_child(user, entry)
        ),
        "can_move": not moved and open_report is not None and can_move_entry(user, entry),
        "promise_action": sourced[0] if entry.is_interaction and sourced else None,
        "can_track_promise": works and entry.is_interaction and bool(entry.promise),
        "clock_actions": sourced if entry.is_event else [],
        # Issue 7: on an EHCP tracking case, an advocate the family shares with (and the
        # family) comment on finalised notes; the comments are their own record.
        "comments": comments_on(entry=entry) if commentable else None,
        "can_comment": commentable,
        # Rule 10: link, don't copy. Only documents the reader may open are listed.
        "documents": list(
            documents_visible_to(user)
            .filter(entry_links__entry=entry)
            .select_related("category")
            .order_by("title", "id")
        ),
    }
    return render(request, "ledger/note_detail.html", context)


# --- Putting things right ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def note_correct(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    user = acting_user(request)
    original = access_entry_for_work(user, entry_id)
    if original.kind == EntryKind.MOVED_OUT or original.tombstones.exists():
        raise Http404
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        correction = call_service(
            form,
            lambda: services.add_correction(
                actor=user,
                original=original,
                reason=data["reason"],
                explanation=data["explanation"],
                body=data["body"],
                corrected_occurred_at=form.corrected_occurred_at(),
            ),
        )
        if correction is not None:
            messages.success(request, "Your correction has been added to the record")
            return redirect("ledger:note-detail", entry_id=correction.id)
    return render_form_page(
        request, "ledger/note_correct.html", form, entry=original, case=original.case
    )


@require_http_methods(["GET", "POST"])
def note_amend(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    """Rule 5: an organisation admin reopens a reopenable visit note; a new version results."""
    user = acting_user(request)
    entry = access_entry(user, entry_id)
    if not can_amend_entry(user, entry) or services.latest_version(entry).pk != entry.pk:
        raise Http404
    case = entry.case
    initial = initial_from(services.content_of(entry), case)
    form = _note_form(
        user, case, data=request.POST or None, initial=initial, exclude=entry, for_amendment=True
    )
    reason_form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and reason_form.is_valid():
        version = call_service(
            form,
            lambda: services.amend_note(
                actor=user,
                original=entry,
                content=form.content(),
                reason=reason_form.cleaned_data["reason"],
            ),
        )
        if version is not None:
            messages.success(request, f"The note has been amended (version {version.version})")
            return redirect("ledger:note-detail", entry_id=version.id)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "ledger/note_amend.html",
        {
            "form": form,
            "reason_form": reason_form,
            "forms_to_check": [reason_form, form],
            "page_has_errors": bool(form.errors or reason_form.errors),
            "entry": entry,
            "case": case,
            "child": case.child,
            "visit_type_ids": form.visit_type_ids,
            "child_visit_type_ids": form.child_visit_type_ids,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def note_report(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    user = acting_user(request)
    entry = access_entry(user, entry_id)
    if not can_report_wrong_child(user, entry):
        raise Http404
    form = WrongChildReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = call_service(
            form,
            lambda: services.report_wrong_child(
                actor=user, entry=entry, explanation=form.cleaned_data["explanation"]
            ),
        )
        if report is not None:
            messages.success(
                request, "The note has been reported. An organisation admin will move it."
            )
            return redirect("ledger:note-detail", entry_id=entry.id)
    return render_form_page(request, "ledger/note_report.html", form, entry=entry, case=entry.case)


@require_http_methods(["GET", "POST"])
def note_move(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    user = acting_user(request)
    entry = access_entry(user, entry_id)
    report = (
        entry.wrong_child_reports.filter(status=WrongChildReport.Status.OPEN)
        .select_related("reported_by")
        .first()
    )
    if report is None or not can_move_entry(user, entry):
        raise Http404
    form = MoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        moved = call_service(
            form,
            lambda: services.move_to_right_child(
                actor=user, report=report, target_reference=form.cleaned_data["target_reference"]
            ),
        )
        if moved is not None:
            messages.success(request, f"The note has been moved to case {moved.case.reference}")
            return redirect("ledger:note-detail", entry_id=moved.id)
    return render_form_page(
        request, "ledger/note_move.html", form, entry=entry, case=entry.case, report=report
    )


# --- The chronology ---------------------------------------------------------------------------


def _filters(form: ChronologyFilterForm) -> Filters:
    form.is_valid()  # errors are shown; the valid filters still apply
    data = form.cleaned_data

    def uuid_of(name: str) -> UUID | None:
        value = data.get(name)
        return UUID(value) if value else None

    return Filters(
        kind=data.get("kind") or "",
        contact_type=uuid_of("contact_type"),
        significant_only=bool(data.get("significant")),
        tag=uuid_of("tag"),
        author=uuid_of("author"),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        order=OLDEST_FIRST if data.get("order") == OLDEST_FIRST else "newest",
    )


def _chronology(
    request: HttpRequest,
    *,
    cases: list[Case],
    include_moved: bool,
    organisation_id: UUID,
    printing: bool,
    template_context: dict[str, Any],
) -> HttpResponse:
    user = acting_user(request)
    query = request.GET.copy()
    after = query.pop("after", [""])[-1] or None
    form = ChronologyFilterForm(query, choices=filter_choices(cases, organisation_id))
    filters = _filters(form)
    entries = entries_for(cases, include_moved=include_moved, filters=filters)
    page = (
        printable(entries, cases=cases)
        if printing
        else chronology_page(entries, cases=cases, filters=filters, after=after, size=_page_size())
    )
    for case in cases:
        services.record_read(
            actor=user,
            action=Action.CHRONOLOGY_VIEWED,
            case=case,
            detail={
                "entries": [str(row.entry.id) for row in page.rows if row.entry.case_id == case.id],
                "print": printing,
            },
        )
    return render(
        request,
        "ledger/chronology_print.html" if printing else "ledger/chronology.html",
        {
            **template_context,
            "form": form,
            "forms_to_check": [form],
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "first_page": not page.previous_exists,
            "show_case": len(cases) > 1,
        },
        status=400 if form.errors else 200,
    )


def _page_size() -> int:
    return int(settings.CASELEDGER_PAGE_SIZE)


@require_http_methods(["GET"])
def case_chronology(request: HttpRequest, case_id: UUID, printing: bool = False) -> HttpResponse:
    user = acting_user(request)
    case = access_case(user, case_id)
    return _chronology(
        request,
        cases=[case],
        include_moved=sees_moved_entries(user, case),
        organisation_id=case.organisation_id,
        printing=printing,
        template_context={"case": case, "child": case.child, "scope": "case"},
    )


@require_http_methods(["GET"])
def child_chronology(request: HttpRequest, child_id: UUID, printing: bool = False) -> HttpResponse:
    user = acting_user(request)
    child = access_child(user, child_id)
    cases = list(
        cases_visible_to(user)
        .filter(child=child)
        .select_related("organisation", "child")
        .order_by("opened_on", "id")
    )
    if not cases:
        raise Http404
    organisation_id = user.organisation_id or cases[0].organisation_id
    return _chronology(
        request,
        cases=cases,
        include_moved=all(sees_moved_entries(user, case) for case in cases),
        organisation_id=organisation_id,
        printing=printing,
        template_context={"child": child, "cases": cases, "scope": "child"},
    )


@require_http_methods(["GET"])
def case_viewers(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """Who viewed this record: every logged read of the case, newest first."""
    user = acting_user(request)
    case = access_case(user, case_id)
    if not can_see_viewers(user, case):
        raise Http404
    events = AuditEvent.objects.filter(case_id=case.id, action__in=READ_ACTIONS).select_related(
        "actor", "actor__organisation"
    )
    before = request.GET.get("before", "")
    if before.isdigit():
        events = events.filter(sequence__lt=int(before))
    found = list(events.order_by("-sequence")[: VIEWERS_PAGE + 1])
    rows = found[:VIEWERS_PAGE]
    notes = {
        str(entry.id): entry
        for entry in Entry.objects.filter(
            id__in=[row.object_id for row in rows if row.action == Action.NOTE_VIEWED],
            status=EntryStatus.FINAL,
        )
    }
    services.record_read(actor=user, action=Action.VIEWERS_VIEWED, case=case)
    return render(
        request,
        "ledger/case_viewers.html",
        {
            "case": case,
            "child": case.child,
            "rows": [(row, notes.get(row.object_id)) for row in rows],
            "next_before": rows[-1].sequence if len(found) > VIEWERS_PAGE else None,
            "first_page": not before,
        },
    )


# --- Interactions, timeline events and the timeline ------------------------------------------

TIMELINE_SHOWN = 500


def _suggest_promise_date(form: InteractionForm) -> date | None:
    """The date a promise's words name, when the person gave none and has not yet been
    shown one: the form comes back with it filled in, for them to check (issue 4)."""
    data = form.cleaned_data
    if not data.get("promise") or data.get("promise_due_on") or data.get("promise_date_checked"):
        return None
    spoken_on = data.get("occurred_on")
    if spoken_on is None:
        return None
    return date_from_words(data["promise"], spoken_on, working_days())


@require_http_methods(["GET", "POST"])
def interaction_new(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = acting_user(request)
    case = access_case_for_work(user, case_id)
    form = InteractionForm(request.POST or None, case=case, initial={"in_timeline": True})
    suggested: date | None = None
    if request.method == "POST" and form.is_valid():
        suggested = _suggest_promise_date(form)
        if suggested is None:
            entry = call_service(
                form,
                lambda: record_interaction(actor=user, case=case, content=form.content()),
            )
            if entry is not None:
                messages.success(request, "The interaction has been recorded")
                return redirect("ledger:note-detail", entry_id=entry.id)
        else:
            data = request.POST.copy()
            for part, value in zip(
                ("day", "month", "year"),
                (suggested.day, suggested.month, suggested.year),
                strict=True,
            ):
                data[f"promise_due_on-{part}"] = str(value)
            data["promise_date_checked"] = "1"
            form = InteractionForm(data, case=case)
            form.is_valid()
    return render_form_page(
        request,
        "ledger/interaction_form.html",
        form,
        case=case,
        child=case.child,
        suggested=suggested,
    )


@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = acting_user(request)
    case = access_case_for_work(user, case_id)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = call_service(
            form,
            lambda: record_timeline_event(actor=user, case=case, content=form.content()),
        )
        if result is not None:
            _entry, started = result
            if started:
                count = len(started)
                messages.success(
                    request,
                    f"The event has been recorded. {count} statutory deadline"
                    f"{'s have' if count != 1 else ' has'} been added to the case's next actions",
                )
            else:
                messages.success(request, "The event has been recorded")
            return redirect("ledger:case-timeline", case_id=case.id)
    return render_form_page(request, "ledger/event_form.html", form, case=case, child=case.child)


@dataclass(frozen=True)
class TimelineItem:
    day: date
    entry: Entry | None = None
    action: NextAction | None = None
    missed: bool = False


@require_http_methods(["GET"])
def case_timeline(request: HttpRequest, case_id: UUID) -> HttpResponse:
    """The case's timeline: events, the entries put on it, its statutory deadlines and the
    promises being tracked (met, missed and to come), oldest first."""
    user = acting_user(request)
    case = access_case(user, case_id)
    entries = list(timeline_entries(case)[: TIMELINE_SHOWN + 1])
    truncated = len(entries) > TIMELINE_SHOWN
    entries = entries[:TIMELINE_SHOWN]
    # Statutory deadlines, and promises someone made in an interaction that were turned into
    # actions: the dates the case is waiting on.
    deadlines = list(
        NextAction.objects.filter(
            Q(statutory_due_on__isnull=False) | Q(source_entry__isnull=False), case=case
        )
        .exclude(status=ActionStatus.CANCELLED)
        .select_related("responsible_user")
        .order_by("due_on", "id")
    )
    today = timezone.localdate()
    items = [
        TimelineItem(day=timezone.localdate(entry.occurred_at), entry=entry)
        for entry in entries
        if entry.occurred_at is not None
    ]
    items += [
        TimelineItem(
            day=action.due_on,
            action=action,
            missed=action.breached_on is not None or (action.is_open and action.due_on < today),
        )
        for action in deadlines
        if action.is_open or action.breached_on is not None
    ]
    items.sort(key=lambda item: (item.day, item.action is not None))
    services.record_read(
        actor=user,
        action=Action.CHRONOLOGY_VIEWED,
        case=case,
        detail={"entries": [str(entry.id) for entry in entries], "timeline": True},
    )
    return render(
        request,
        "ledger/timeline.html",
        {
            "case": case,
            "child": case.child,
            "items": items,
            "truncated": truncated,
            "today": today,
            "can_work": can_work_on_case(user, case),
        },
    )
