"""The SEN register's pages. Thin: check access, bind a form, call one service, redirect or
render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseledger.compliance.tables import csv_text
from caseledger.domain.sen.areas import year_group_label
from caseledger.domain.sen.year_groups import birth_dates, year_group
from caseledger.sen import services
from caseledger.sen.access import (
    access_register,
    access_register_entry,
    access_register_entry_to_change,
    access_register_to_change,
    keeps_sen_register,
    register_entries_for,
)
from caseledger.sen.forms import (
    AddToRegisterForm,
    ChangeEntryForm,
    RegisterFilterForm,
    RemoveFromRegisterForm,
)
from caseledger.sen.models import RegisterEntry, RegisterStatus
from caseledger.ui.pages import acting_user, call_service, render_form_page

ENTRIES_PER_PAGE = 50

ORDERS = {
    "": ("child__last_name", "child__first_names", "id"),
    # A higher year group is an earlier date of birth.
    "year": ("-child__date_of_birth", "child__last_name", "child__first_names", "id"),
    "need": ("primary_need", "child__last_name", "child__first_names", "id"),
    "started": ("started_on", "child__last_name", "child__first_names", "id"),
}

CSV_HEADER = (
    "Surname",
    "Forenames",
    "Date of birth",
    "UPN",
    "Year group",
    "SEN provision",
    "Primary need",
    "Secondary need",
    "Start date",
    "Status",
    "Removed on",
    "Personal Education Plan review",
    "Individual Healthcare Plan review",
)


def _filtered(
    request: HttpRequest,
) -> tuple[RegisterFilterForm, QuerySet[RegisterEntry], dict[str, str]]:
    user = acting_user(request)
    form = RegisterFilterForm(request.GET or None)
    entries = register_entries_for(user)
    chosen: dict[str, str] = {}
    if form.is_bound and form.is_valid():
        chosen = {name: value for name, value in form.cleaned_data.items() if value}
    if "need" in chosen:
        entries = entries.filter(Q(primary_need=chosen["need"]) | Q(secondary_need=chosen["need"]))
    if "provision" in chosen:
        entries = entries.filter(provision=chosen["provision"])
    if "year_group" in chosen:
        first, last = birth_dates(int(chosen["year_group"]), timezone.localdate())
        entries = entries.filter(child__date_of_birth__range=(first, last))
    status = chosen.get("status", "")
    if status == "removed":
        entries = entries.filter(status=RegisterStatus.REMOVED)
    elif status != "all":
        entries = entries.filter(status=RegisterStatus.ON_REGISTER)
    entries = entries.select_related("child").order_by(*ORDERS[chosen.get("sort", "")])
    return form, entries, chosen


def _year_group(entry: RegisterEntry) -> str:
    return year_group_label(year_group(entry.child.date_of_birth, timezone.localdate()))


@require_http_methods(["GET"])
def register(request: HttpRequest) -> HttpResponse:
    """The school's SEN register: filtered, sorted and a page at a time."""
    user = acting_user(request)
    access_register(user)
    form, entries, chosen = _filtered(request)
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(entry, _year_group(entry)) for entry in page.object_list]
    return render(
        request,
        "sen/register.html",
        {
            "filter_form": form,
            "page": page,
            "rows": rows,
            "query": urlencode(chosen),
            "can_keep": keeps_sen_register(user),
        },
    )


@require_http_methods(["GET"])
def register_export(request: HttpRequest) -> HttpResponse:
    """Every row the filters match, as CSV (text cells made safe for spreadsheets)."""
    user = acting_user(request)
    organisation = access_register(user)
    _form, entries, chosen = _filtered(request)
    rows: list[list[Any]] = [
        [
            entry.child.last_name,
            entry.child.first_names,
            entry.child.date_of_birth.isoformat(),
            entry.child.upn,
            _year_group(entry),
            entry.provision_label,
            entry.primary_need_code.abbreviation,
            entry.secondary_need_code.abbreviation if entry.secondary_need_code else "",
            entry.started_on.isoformat(),
            entry.get_status_display(),
            entry.removed_on.isoformat() if entry.removed_on else "",
            entry.education_plan_review_on.isoformat() if entry.education_plan_review_on else "",
            entry.healthcare_plan_review_on.isoformat() if entry.healthcare_plan_review_on else "",
        ]
        for entry in entries
    ]
    services.record_export(actor=user, organisation=organisation, filters=chosen, rows=len(rows))
    response = HttpResponse(csv_text(CSV_HEADER, rows), content_type="text/csv; charset=utf-8")
    name = f"sen-register-{timezone.localdate().isoformat()}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def entry_add(request: HttpRequest) -> HttpResponse:
    """Put a pupil of the school on the register (or back on it)."""
    user = acting_user(request)
    organisation = access_register_to_change(user)
    children = list(services.pupils_to_add(organisation))
    form = AddToRegisterForm(request.POST or None, children=children)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        child = next(child for child in children if str(child.pk) == data["child"])
        entry = call_service(
            form,
            lambda: services.add_to_register(
                actor=user,
                child=child,
                needs=services.Needs(
                    data["provision"], data["primary_need"], data["secondary_need"]
                ),
                started_on=data["started_on"],
                reason=data["reason"],
            ),
        )
        if entry is not None:
            messages.success(request, f"{child.display_name} has been added to the SEN register")
            return redirect("sen:entry-detail", entry_id=entry.id)
    return render_form_page(request, "sen/entry_add.html", form, has_pupils=bool(children))


@require_http_methods(["GET"])
def entry_detail(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    """A pupil's entry, its linked plans and its history of changes."""
    user = acting_user(request)
    entry = access_register_entry(user, entry_id)
    return render(
        request,
        "sen/entry_detail.html",
        {
            "entry": entry,
            "year_group": _year_group(entry),
            "changes": services.history(entry),
            "can_keep": keeps_sen_register(user),
        },
    )


@require_http_methods(["GET", "POST"])
def entry_change(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    """Change a pupil's provision, needs or linked plans."""
    user = acting_user(request)
    entry = access_register_entry_to_change(user, entry_id)
    if not entry.is_on_register:
        return redirect("sen:entry-detail", entry_id=entry.id)
    documents = list(services.plan_documents(entry))
    form = ChangeEntryForm(
        request.POST or None,
        documents=documents,
        initial={
            "provision": entry.provision,
            "primary_need": entry.primary_need,
            "secondary_need": entry.secondary_need,
            "education_plan": str(entry.education_plan_id or ""),
            "education_plan_review_on": entry.education_plan_review_on,
            "healthcare_plan": str(entry.healthcare_plan_id or ""),
            "healthcare_plan_review_on": entry.healthcare_plan_review_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_id = {str(document.pk): document for document in documents}
        change = call_service(
            form,
            lambda: services.change_entry(
                actor=user,
                entry=entry,
                needs=services.Needs(
                    data["provision"], data["primary_need"], data["secondary_need"]
                ),
                plans=services.Plans(
                    education_plan=by_id.get(data["education_plan"]),
                    education_plan_review_on=data["education_plan_review_on"],
                    healthcare_plan=by_id.get(data["healthcare_plan"]),
                    healthcare_plan_review_on=data["healthcare_plan_review_on"],
                ),
                reason=data["reason"],
            ),
        )
        if change is not None:
            messages.success(request, f"{entry.child.display_name}'s entry has been changed")
            return redirect("sen:entry-detail", entry_id=entry.id)
    return render_form_page(request, "sen/entry_change.html", form, entry=entry)


@require_http_methods(["GET", "POST"])
def entry_remove(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    """Take a pupil off the register, with the date and the reason (a confirmation page)."""
    user = acting_user(request)
    entry = access_register_entry_to_change(user, entry_id)
    if not entry.is_on_register:
        return redirect("sen:entry-detail", entry_id=entry.id)
    form = RemoveFromRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = call_service(
            form,
            lambda: services.remove_from_register(
                actor=user, entry=entry, removed_on=data["removed_on"], reason=data["reason"]
            ),
        )
        if change is not None:
            messages.success(
                request, f"{entry.child.display_name} has been removed from the SEN register"
            )
            return redirect("sen:entry-detail", entry_id=entry.id)
    return render_form_page(request, "sen/entry_remove.html", form, entry=entry)
