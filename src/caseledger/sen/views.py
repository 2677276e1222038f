"""The SEN register's pages. Thin: check access, bind a form, call one service, redirect or
render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Model, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseledger.accounts.models import User
from caseledger.compliance.tables import csv_text
from caseledger.domain.errors import DomainError
from caseledger.domain.sen.areas import year_group_label
from caseledger.domain.sen.year_groups import birth_dates, year_group
from caseledger.people.models import Child
from caseledger.sen import classes, parents, services
from caseledger.sen.access import (
    access_pupil,
    access_pupil_to_change,
    access_register,
    access_register_entry,
    access_register_entry_to_change,
    access_register_to_change,
    is_parent_viewer,
    keeps_sen_register,
    live_parent_accesses,
    reads_sen_register,
    register_entries_for,
    sees_whole_school,
)
from caseledger.sen.forms import (
    AddToRegisterForm,
    ChangeEntryForm,
    ClassPupilsFilterForm,
    ParentAccessForm,
    RegisterFilterForm,
    RemoveFromRegisterForm,
    SchoolClassForm,
)
from caseledger.sen.models import RegisterEntry, RegisterStatus, SchoolClass
from caseledger.support_plans.access import plans_visible_to
from caseledger.support_plans.models import SupportPlan
from caseledger.ui.pages import acting_user, call_service, render_form_page

ENTRIES_PER_PAGE = 50
CLASSES_PER_PAGE = 50

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


# --- Classes ---------------------------------------------------------------------------------


@require_http_methods(["GET"])
def class_list(request: HttpRequest) -> HttpResponse:
    """The school's classes, their teachers and how many pupils each has, a page at a time."""
    user = acting_user(request)
    organisation = access_register(user)
    page = Paginator(classes.classes_of(organisation), CLASSES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    whole_school = sees_whole_school(user)
    # A teacher opens the classes they teach; the teachers are prefetched, so no query here.
    rows = [
        (school_class, whole_school or user in school_class.teachers.all())
        for school_class in page.object_list
    ]
    return render(
        request,
        "sen/classes.html",
        {"page": page, "rows": rows, "can_keep": keeps_sen_register(user)},
    )


@require_http_methods(["GET"])
def class_detail(request: HttpRequest, class_id: UUID) -> HttpResponse:
    """A class's teachers and pupils, each pupil linked to their page."""
    user = acting_user(request)
    school_class = classes.access_school_class(user, class_id)
    today = timezone.localdate()
    pupils = [
        (child, year_group_label(year_group(child.date_of_birth, today)))
        for child in school_class.pupils.order_by("last_name", "first_names", "id")
    ]
    return render(
        request,
        "sen/class_detail.html",
        {
            "school_class": school_class,
            "teachers": list(school_class.teachers.order_by("full_name", "id")),
            "pupils": pupils,
            "can_keep": keeps_sen_register(user),
        },
    )


def _class_form(
    request: HttpRequest, user: User, school_class: SchoolClass | None
) -> tuple[SchoolClassForm, ClassPupilsFilterForm, list[User], list[Child]]:
    """The class form, showing the pupils of one year group (if one is chosen) or all.

    "Show pupils" (a button named `filter`) posts the whole form and shows it again unsaved,
    with everything typed and ticked so far: the form is then unbound, so an unfinished form
    shows no errors. Pupils ticked in other year groups go along as hidden inputs."""
    assert user.organisation is not None
    today = timezone.localdate()
    posted = request.POST if request.method == "POST" else None
    filter_form = ClassPupilsFilterForm(posted)
    chosen_year = filter_form.cleaned_data["year_group"] if filter_form.is_valid() else ""
    pupils = list(classes.school_pupils(user.organisation))
    teachers = list(classes.teaching_staff(user.organisation))
    initial: dict[str, Any] = {}
    if posted is not None and "filter" in posted:
        initial = {
            "name": posted.get("name", ""),
            "teachers": posted.getlist("teachers"),
            "pupils": posted.getlist("pupils"),
        }
        posted = None
    elif school_class is not None:
        initial = {
            "name": school_class.name,
            "teachers": [str(pk) for pk in school_class.teachers.values_list("pk", flat=True)],
            "pupils": [str(pk) for pk in school_class.pupils.values_list("pk", flat=True)],
        }
    form = SchoolClassForm(
        posted,
        teachers=teachers,
        pupils=pupils,
        today=today,
        year=int(chosen_year) if chosen_year else None,
        initial=initial,
    )
    return form, filter_form, teachers, pupils


def _chosen[M: Model](objects: list[M], ids: list[str]) -> list[M]:
    wanted = set(ids)
    return [item for item in objects if str(item.pk) in wanted]


@require_http_methods(["GET", "POST"])
def class_add(request: HttpRequest) -> HttpResponse:
    """Set up a class: its name, teachers and pupils."""
    user = acting_user(request)
    access_register_to_change(user)
    form, filter_form, teachers, pupils = _class_form(request, user, None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        school_class = call_service(
            form,
            lambda: classes.add_school_class(
                actor=user,
                name=data["name"],
                teachers=_chosen(teachers, data["teachers"]),
                pupils=_chosen(pupils, data["pupils"]),
            ),
        )
        if school_class is not None:
            messages.success(request, f"Class {school_class.name} has been added")
            return redirect("sen:class", class_id=school_class.id)
    return render_form_page(request, "sen/class_form.html", form, filter_form=filter_form)


@require_http_methods(["GET", "POST"])
def class_change(request: HttpRequest, class_id: UUID) -> HttpResponse:
    """Rename a class or change its teachers and pupils."""
    user = acting_user(request)
    school_class = classes.access_school_class_to_change(user, class_id)
    form, filter_form, teachers, pupils = _class_form(request, user, school_class)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        changed = call_service(
            form,
            lambda: classes.change_school_class(
                actor=user,
                school_class=school_class,
                name=data["name"],
                teachers=_chosen(teachers, data["teachers"]),
                pupils=_chosen(pupils, data["pupils"]),
            ),
        )
        if changed is not None:
            messages.success(request, f"Class {changed.name} has been changed")
            return redirect("sen:class", class_id=changed.id)
    return render_form_page(
        request, "sen/class_form.html", form, filter_form=filter_form, school_class=school_class
    )


# --- A pupil's page and their parents' access -------------------------------------------------


@require_http_methods(["GET"])
def pupil(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """A pupil's page: for staff who see them, who they are, their place on the register and
    their classes; for a parent the school shares them with, the same in plain language."""
    user = acting_user(request)
    child = access_pupil(user, child_id)
    entry = RegisterEntry.objects.filter(child=child).first()
    year = year_group_label(year_group(child.date_of_birth, timezone.localdate()))
    # The support plan's link: a confidential plan is for the SENCO and named staff only, so
    # anyone else is told there is one rather than sent to a 404.
    plans = SupportPlan.objects.filter(child=child)
    records = {
        "plan_visible": plans_visible_to(user).filter(child=child).exists(),
        "plan_exists": plans.exists(),
    }
    if not reads_sen_register(user):
        access = live_parent_accesses(user).filter(child=child).first()
        return render(
            request,
            "sen/pupil_for_parent.html",
            {"child": child, "entry": entry, "year_group": year, "access": access, **records},
        )
    can_keep = keeps_sen_register(user)
    return render(
        request,
        "sen/pupil.html",
        {
            "child": child,
            "entry": entry,
            "year_group": year,
            "school_classes": list(
                child.school_classes.filter(organisation_id=child.organisation_id)
                .prefetch_related(
                    Prefetch("teachers", queryset=User.objects.order_by("full_name", "id"))
                )
                .order_by("name", "id")
            ),
            "parents": (
                list(parents.accesses_to(child).filter(revoked_at__isnull=True)) if can_keep else []
            ),
            "can_keep": can_keep,
            **records,
        },
    )


def _posted_uuid(value: str | None) -> UUID | None:
    try:
        return UUID(value or "")
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
def parent_access(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Who among the pupil's parents can read their SEN records, and giving a parent access in
    two steps: the address, then "Check before you give access" (`parents.check_parent_access`)
    whose "Give access" grants. The address goes from step to step in the POST body, never in
    the address bar (where it would be kept in the browser's history and the server's logs)."""
    user = acting_user(request)
    child = access_pupil_to_change(user, child_id)
    form = ParentAccessForm(request.POST or None)
    if request.method == "POST" and "change" in request.POST:
        # "Change the email address": back to the first step with the address as typed.
        form = ParentAccessForm(initial={"email": request.POST.get("email", "")})
    elif request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if "confirm" not in request.POST:
            check = call_service(
                form, lambda: parents.check_parent_access(actor=user, child=child, email=email)
            )
            if check is not None:
                return render(
                    request,
                    "sen/parent_confirm.html",
                    {"child": child, "check": check, "email": email},
                )
        else:
            # Everything is checked again: the account may have been closed, or given access
            # by someone else, since the check page was shown.
            confirmed = _posted_uuid(request.POST.get("account"))
            access = None
            if confirmed is None:  # not from the check page: check it first
                form.add_error("email", parents.ACCOUNT_CHANGED)
            else:
                access = call_service(
                    form,
                    lambda: parents.give_parent_access(
                        actor=user, child=child, email=email, confirmed_account=confirmed
                    ),
                )
            if access is not None:
                messages.success(
                    request,
                    f"{access.grantee.full_name} can now see {child.display_name}'s SEN records",
                )
                return redirect("sen:parents", child_id=child.id)
    accesses = list(parents.accesses_to(child))
    return render_form_page(
        request,
        "sen/parents.html",
        form,
        child=child,
        live=[access for access in accesses if access.is_live],
        revoked=[access for access in accesses if not access.is_live],
    )


@require_http_methods(["GET", "POST"])
def parent_revoke(request: HttpRequest, child_id: UUID, access_id: UUID) -> HttpResponse:
    """Stop a parent reading the pupil's records, after a confirmation page."""
    user = acting_user(request)
    child, access = parents.access_parent_access_to_revoke(user, child_id, access_id)
    if request.method == "POST":
        try:
            parents.revoke_parent_access(actor=user, access=access)
        except DomainError as error:  # revoked by someone else a moment ago
            messages.info(request, error.message)
        else:
            messages.success(
                request,
                f"{access.grantee.full_name} can no longer see {child.display_name}'s SEN records",
            )
        return redirect("sen:parents", child_id=child.id)
    return render(request, "sen/parent_revoke.html", {"child": child, "access": access})


@require_http_methods(["GET"])
def my_children(request: HttpRequest) -> HttpResponse:
    """A parent's way in: each pupil a school shares with them, linked to the pupil's page."""
    user = acting_user(request)
    if not is_parent_viewer(user):
        raise Http404
    accesses = list(
        live_parent_accesses(user)
        .select_related("child", "organisation")
        .order_by("child__last_name", "child__first_names", "organisation__name", "id")
    )
    return render(request, "sen/my_children.html", {"accesses": accesses})
