"""Child record pages. Thin: check access, bind a form, call one service, redirect or render."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from caseledger.cases.access import cases_visible_to
from caseledger.domain.errors import DomainError
from caseledger.people import services
from caseledger.people.access import (
    access_child,
    access_child_for_work,
    children_visible_to,
    children_workable_by,
)
from caseledger.people.forms import (
    AdultEditForm,
    AdultForm,
    ChildForm,
    LinkSiblingForm,
    NewChildForm,
    ProfessionalEditForm,
    ProfessionalForm,
)
from caseledger.people.models import Child, Professional, RelatedAdult
from caseledger.people.services import ADULT_FIELDS, CHILD_FIELDS, PROFESSIONAL_FIELDS
from caseledger.ui.pages import acting_user, call_service, render_form_page


@require_http_methods(["GET", "POST"])
def child_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not user.has_perm("people.add_child"):
        raise Http404
    siblings = list(children_workable_by(user).order_by("last_name", "first_names")[:200])
    form = NewChildForm(request.POST or None, user=user, siblings=siblings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = call_service(
            form,
            lambda: services.create_child(
                actor=user,
                fields={name: data[name] for name in CHILD_FIELDS},
                case_type=data["case_type"],
                opened_on=data["opened_on"],
                sibling=data["sibling"],
            ),
        )
        if result is not None:
            child, case = result
            messages.success(
                request, f"{child.display_name} has been added and case {case.reference} opened"
            )
            return redirect("people:child-detail", child_id=child.id)
    return render_form_page(request, "people/child_create.html", form)


@require_http_methods(["GET"])
def child_detail(request: HttpRequest, child_id: UUID) -> HttpResponse:
    user = acting_user(request)
    child = access_child(user, child_id)
    visible_cases = (
        cases_visible_to(user)
        .filter(child=child)
        .select_related("allocated_worker", "allocated_team")
        .order_by("-opened_on")
    )
    can_change = user.has_perm("people.change_child", child)
    context = {
        "child": child,
        "cases": list(visible_cases),
        "can_change": can_change,
        "can_open_case": can_change and user.has_perm("people.add_child"),
    }
    if can_change:
        # Identifiers, address, household and the people around the child are for those who
        # work with the child. Someone who holds only a read-only grant on a case sees the
        # child's name, age and the shared case (PRODUCT.md: advocates see what is granted).
        siblings = (
            children_visible_to(user).filter(household_id=child.household_id).exclude(pk=child.pk)
            if child.household_id
            else Child.objects.none()
        )
        context |= {
            "siblings": list(siblings.order_by("date_of_birth")),
            "adults": list(child.adults.all()),
            "professionals": list(child.professionals.all()),
        }
    return render(request, "people/child_detail.html", context)


@require_http_methods(["GET", "POST"])
def child_edit(request: HttpRequest, child_id: UUID) -> HttpResponse:
    user = acting_user(request)
    child = access_child_for_work(user, child_id)
    initial = {name: getattr(child, name) for name in CHILD_FIELDS}
    form = ChildForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        updated = call_service(
            form, lambda: services.update_child(actor=user, child=child, fields=form.cleaned_data)
        )
        if updated is not None:
            messages.success(request, "The child's details have been updated")
            return redirect("people:child-detail", child_id=child.id)
    return render_form_page(request, "people/child_edit.html", form, child=child)


@require_http_methods(["GET", "POST"])
def adult_add(request: HttpRequest, child_id: UUID) -> HttpResponse:
    user = acting_user(request)
    child = access_child_for_work(user, child_id)
    form = AdultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, lambda: services.add_adult(actor=user, child=child, fields=form.cleaned_data)
        )
        if saved is not None:
            messages.success(request, f"{form.cleaned_data['full_name']} has been added")
            return redirect("people:child-detail", child_id=child.id)
    return render_form_page(
        request, "people/adult_form.html", form, child=child, heading="Add an adult"
    )


@require_http_methods(["GET", "POST"])
def adult_edit(request: HttpRequest, child_id: UUID, adult_id: UUID) -> HttpResponse:
    user = acting_user(request)
    child = access_child_for_work(user, child_id)
    adult = RelatedAdult.objects.filter(child=child, pk=adult_id).first()
    if adult is None:
        raise Http404
    form = AdultEditForm(
        request.POST or None, initial={name: getattr(adult, name) for name in ADULT_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, lambda: services.update_adult(actor=user, adult=adult, fields=form.cleaned_data)
        )
        if saved is not None:
            messages.success(request, f"{adult.full_name}'s details have been updated")
            return redirect("people:child-detail", child_id=child.id)
    return render_form_page(
        request,
        "people/adult_form.html",
        form,
        child=child,
        heading=f"Change {adult.full_name}'s details",
    )


@require_http_methods(["GET", "POST"])
def professional_add(request: HttpRequest, child_id: UUID) -> HttpResponse:
    user = acting_user(request)
    child = access_child_for_work(user, child_id)
    form = ProfessionalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: services.add_professional(actor=user, child=child, fields=form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, f"{form.cleaned_data['full_name']} has been added")
            return redirect("people:child-detail", child_id=child.id)
    return render_form_page(
        request, "people/professional_form.html", form, child=child, heading="Add a professional"
    )


@require_http_methods(["GET", "POST"])
def professional_edit(request: HttpRequest, child_id: UUID, professional_id: UUID) -> HttpResponse:
    user = acting_user(request)
    child = access_child_for_work(user, child_id)
    professional = Professional.objects.filter(child=child, pk=professional_id).first()
    if professional is None:
        raise Http404
    form = ProfessionalEditForm(
        request.POST or None,
        initial={name: getattr(professional, name) for name in PROFESSIONAL_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: services.update_professional(
                actor=user, professional=professional, fields=form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, f"{professional.full_name}'s details have been updated")
            return redirect("people:child-detail", child_id=child.id)
    return render_form_page(
        request,
        "people/professional_form.html",
        form,
        child=child,
        heading=f"Change {professional.full_name}'s details",
    )


@require_http_methods(["GET", "POST"])
def household_link(request: HttpRequest, child_id: UUID) -> HttpResponse:
    user = acting_user(request)
    child = access_child_for_work(user, child_id)
    candidates = (
        children_workable_by(user)
        .filter(organisation_id=child.organisation_id)
        .exclude(pk=child.pk)
    )
    if child.household_id:
        candidates = candidates.exclude(household_id=child.household_id)
    form = LinkSiblingForm(
        request.POST or None, candidates=list(candidates.order_by("last_name", "first_names")[:500])
    )
    if request.method == "POST" and form.is_valid():
        sibling = form.cleaned_data["sibling"]
        linked = call_service(
            form, lambda: services.link_siblings(actor=user, child=child, sibling=sibling)
        )
        if linked is not None:
            messages.success(
                request, f"{child.display_name} and {sibling.display_name} are now in one household"
            )
            return redirect("people:child-detail", child_id=child.id)
    return render_form_page(request, "people/household_link.html", form, child=child)


@require_http_methods(["GET", "POST"])
def household_leave(request: HttpRequest, child_id: UUID) -> HttpResponse:
    user = acting_user(request)
    child = access_child_for_work(user, child_id)
    if request.method == "POST" and child.household_id is not None:
        try:
            services.leave_household(actor=user, child=child)
        except DomainError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, f"{child.display_name} is no longer linked to a household")
        return redirect("people:child-detail", child_id=child.id)
    return render(request, "people/household_leave.html", {"child": child})
