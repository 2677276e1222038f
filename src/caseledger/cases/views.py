"""Case pages. Thin: check access, bind a form, call one service, redirect or render."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseledger.accounts.models import Organisation, User
from caseledger.actions.models import ActionStatus, NextAction
from caseledger.audit.models import READ_ACTIONS, Action, AuditEvent
from caseledger.cases import services
from caseledger.cases.access import (
    access_case,
    access_case_for_work,
    can_allocate_case,
    can_work_on_case,
)
from caseledger.cases.forms import (
    AllocateForm,
    CloseCaseForm,
    FamilyGrantForm,
    GrantForm,
    OpenCaseForm,
    ReasonForm,
)
from caseledger.cases.history import describe_history
from caseledger.cases.models import AccessGrant, Case, FamilyGrant
from caseledger.domain.errors import DomainError
from caseledger.ledger.access import can_see_viewers, sees_moved_entries
from caseledger.ledger.chronology import Filters, decorate, entries_for
from caseledger.ledger.models import Entry, EntryStatus
from caseledger.ledger.services import record_read
from caseledger.people.access import access_child_for_work
from caseledger.people.models import Child
from caseledger.ui.pages import acting_user, call_service, render_form_page

HISTORY_LIMIT = 50
RECENT_ENTRIES = 5
# "Who has viewed your records" on the family's sharing page: one page of reads at a time.
SHARING_VIEWS_PAGE = 50


@require_http_methods(["GET"])
def case_detail(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = acting_user(request)
    case = access_case(user, case_id)
    works_on_case = can_work_on_case(user, case)
    record_read(actor=user, action=Action.CASE_VIEWED, case=case)
    recent = entries_for([case], include_moved=sees_moved_entries(user, case), filters=Filters())
    context = {
        "case": case,
        "child": case.child,
        "status_changes": list(case.status_changes.select_related("changed_by")),
        "can_work": works_on_case,
        "can_allocate": can_allocate_case(user, case),
        "can_see_viewers": can_see_viewers(user, case),
        "recent": decorate(list(recent[:RECENT_ENTRIES]), cases=[case]),
        "open_actions": NextAction.objects.filter(case=case, status=ActionStatus.OPEN).count(),
        "drafts": [],
        "grants": [],
        "history": [],
    }
    if works_on_case:
        context["drafts"] = list(
            Entry.objects.filter(case=case, author=user, status=EntryStatus.DRAFT).order_by(
                "recorded_at"
            )
        )
        # Grants and the audit history are for the people who hold the case, not for grantees.
        context["grants"] = list(case.grants.select_related("grantee", "granted_by", "revoked_by"))
        context["history"] = describe_history(
            list(
                AuditEvent.objects.filter(case_id=case.id)
                .exclude(action__in=READ_ACTIONS)
                .select_related("actor")
                .order_by("-sequence")[:HISTORY_LIMIT]
            )
        )
    return render(request, "cases/case_detail.html", context)


@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest, child_id: UUID) -> HttpResponse:
    user = acting_user(request)
    child = access_child_for_work(user, child_id)
    if not user.has_perm("people.add_child"):
        raise Http404
    form = OpenCaseForm(
        request.POST or None,
        organisation=child.organisation,
        initial={"opened_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        case = call_service(
            form,
            lambda: services.open_case(
                actor=user,
                child=child,
                case_type=form.cleaned_data["case_type"],
                opened_on=form.cleaned_data["opened_on"],
            ),
        )
        if case is not None:
            messages.success(request, f"Case {case.reference} has been opened")
            return redirect("cases:case-detail", case_id=case.id)
    return render_form_page(request, "cases/case_open.html", form, child=child)


@require_http_methods(["GET", "POST"])
def case_allocate(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = acting_user(request)
    case = access_case(user, case_id)
    if not can_allocate_case(user, case):
        raise Http404
    initial = {
        "team": str(case.allocated_team_id or ""),
        "worker": str(case.allocated_worker_id or ""),
        "manager": str(case.allocated_manager_id or ""),
    }
    form = AllocateForm(request.POST or None, organisation=case.organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = call_service(
            form,
            lambda: services.allocate_case(
                actor=user,
                case=case,
                team=data["team"],
                worker=data["worker"],
                manager=data["manager"],
            ),
        )
        if result is not None:
            messages.success(request, f"Case {case.reference} has been allocated")
            return redirect("cases:case-detail", case_id=case.id)
    return render_form_page(request, "cases/case_allocate.html", form, case=case)


@require_http_methods(["GET", "POST"])
def case_deallocate(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = acting_user(request)
    case = access_case(user, case_id)
    if not can_allocate_case(user, case):
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = call_service(
            form,
            lambda: services.deallocate_case(
                actor=user, case=case, reason=form.cleaned_data["reason"]
            ),
        )
        if result is not None:
            messages.success(
                request, f"The worker and manager have been removed from case {case.reference}"
            )
            return redirect("cases:case-detail", case_id=case.id)
    return render_form_page(request, "cases/case_deallocate.html", form, case=case)


@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = acting_user(request)
    case = access_case_for_work(user, case_id)
    form = CloseCaseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = call_service(
            form,
            lambda: services.close_case(
                actor=user, case=case, closed_on=data["closed_on"], reason=data["reason"]
            ),
        )
        if result is not None:
            messages.success(request, f"Case {case.reference} has been closed")
            return redirect("cases:case-detail", case_id=case.id)
    return render_form_page(request, "cases/case_close.html", form, case=case)


@require_http_methods(["GET", "POST"])
def case_reopen(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = acting_user(request)
    case = access_case_for_work(user, case_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = call_service(
            form,
            lambda: services.reopen_case(actor=user, case=case, reason=form.cleaned_data["reason"]),
        )
        if result is not None:
            messages.success(request, f"Case {case.reference} has been reopened")
            return redirect("cases:case-detail", case_id=case.id)
    return render_form_page(request, "cases/case_reopen.html", form, case=case)


@require_http_methods(["GET", "POST"])
def grant_create(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = acting_user(request)
    case = access_case_for_work(user, case_id)
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        grant = call_service(
            form,
            lambda: services.grant_access(
                actor=user,
                case=case,
                grantee_email=data["email"],
                kind=data["kind"],
                expires_on=data["expires_on"],
            ),
        )
        if grant is not None:
            messages.success(
                request, f"{grant.grantee.full_name} can now see case {case.reference}"
            )
            return redirect("cases:case-detail", case_id=case.id)
    return render_form_page(request, "cases/grant_create.html", form, case=case)


@require_http_methods(["GET", "POST"])
def grant_revoke(request: HttpRequest, case_id: UUID, grant_id: UUID) -> HttpResponse:
    user = acting_user(request)
    case = access_case_for_work(user, case_id)
    grant = (
        AccessGrant.objects.filter(case=case, pk=grant_id, revoked_at__isnull=True)
        .select_related("grantee")
        .first()
    )
    if grant is None:
        raise Http404
    if request.method == "POST":
        try:
            services.revoke_access(actor=user, grant=grant)
        except DomainError as error:  # revoked by someone else a moment ago
            messages.info(request, error.message)
        else:
            messages.success(
                request, f"{grant.grantee.full_name} can no longer see case {case.reference}"
            )
        return redirect("cases:case-detail", case_id=case.id)
    return render(request, "cases/grant_revoke.html", {"case": case, "grant": grant})


# --- A family's sharing page (issue 7) --------------------------------------------------------


def _family_of(user: User) -> Organisation:
    """The family the user belongs to; anyone else (an advocate, a council's worker) gets a
    404, as for any page about records they may not know exist."""
    if not user.is_family_member or user.organisation is None:
        raise Http404
    return user.organisation


def _scope_of(grant: FamilyGrant) -> str:
    if grant.child is None:
        return "all your children's records"
    return f"{grant.child.display_name}'s records"


def _sharing_context(family: Organisation, before: str) -> dict[str, Any]:
    """The family's grants, and one page of reads of its cases by people outside it (keyset
    pagination on the audit sequence, as on a case's "who viewed this record"): the same
    queries however many grants, cases or reads there are."""
    grants = list(
        FamilyGrant.objects.filter(organisation=family).select_related(
            "grantee", "grantee__organisation", "child", "revoked_by"
        )
    )
    # Grants on one case, made from its case page, are listed too: what the family sees here
    # is everyone outside it who can read its records.
    case_grants = list(
        AccessGrant.objects.filter(case__organisation=family, revoked_at__isnull=True)
        .select_related("grantee", "case__child")
        .order_by("-granted_at")
    )
    cases = {
        case.id: case for case in Case.objects.filter(organisation=family).select_related("child")
    }
    reads = (
        AuditEvent.objects.filter(case_id__in=list(cases), action__in=READ_ACTIONS)
        .exclude(actor__organisation=family)
        .select_related("actor", "actor__organisation")
    )
    if before.isdigit():
        reads = reads.filter(sequence__lt=int(before))
    found = list(reads.order_by("-sequence")[: SHARING_VIEWS_PAGE + 1])
    rows = found[:SHARING_VIEWS_PAGE]
    return {
        "family": family,
        "live_grants": [grant for grant in grants if grant.is_live()],
        "past_grants": [grant for grant in grants if not grant.is_live()],
        "case_grants": [grant for grant in case_grants if grant.is_live()],
        # Every row is on one of these cases (the filter above); the guard is for the type.
        "views": [(event, cases[event.case_id]) for event in rows if event.case_id is not None],
        "next_before": rows[-1].sequence if len(found) > SHARING_VIEWS_PAGE else None,
        "first_page": not before,
    }


@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest) -> HttpResponse:
    """Who the family shares its children's records with, the form to give an advocate
    access, and who outside the family has viewed the records."""
    user = acting_user(request)
    family = _family_of(user)
    form = FamilyGrantForm(
        request.POST or None, children=list(Child.objects.filter(organisation=family))
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        grant = call_service(
            form,
            lambda: services.grant_family_access(
                actor=user,
                organisation=family,
                grantee_email=data["email"],
                child=data["child"],
                expires_on=data["expires_on"],
            ),
        )
        if grant is not None:
            messages.success(request, f"{grant.grantee.full_name} can now see {_scope_of(grant)}")
            return redirect("cases:sharing")
    before = request.GET.get("before", "")
    context = _sharing_context(family, before)
    if request.method == "GET":
        services.record_sharing_viewed(actor=user, organisation=family)
    return render_form_page(request, "cases/sharing.html", form, **context)


@require_http_methods(["GET", "POST"])
def sharing_revoke(request: HttpRequest, grant_id: UUID) -> HttpResponse:
    """Confirm, then revoke one of the family's grants at once."""
    user = acting_user(request)
    family = _family_of(user)
    grant = (
        FamilyGrant.objects.filter(organisation=family, pk=grant_id, revoked_at__isnull=True)
        .select_related("grantee", "child")
        .first()
    )
    if grant is None:
        raise Http404
    if request.method == "POST":
        try:
            services.revoke_family_access(actor=user, grant=grant)
        except DomainError as error:  # revoked by someone else in the family a moment ago
            messages.info(request, error.message)
        else:
            messages.success(
                request,
                f"{grant.grantee.full_name}'s access to {_scope_of(grant)} has been revoked",
            )
        return redirect("cases:sharing")
    return render(request, "cases/sharing_revoke.html", {"grant": grant, "scope": _scope_of(grant)})
