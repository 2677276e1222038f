"""EHCP status and plan pages. Thin: check access, bind a form, call one service, redirect or
render."""

from __future__ import annotations

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
from caseledger.domain.ehcp import SECTIONS
from caseledger.ehcp import services
from caseledger.ehcp.access import (
    access_case_for_plans,
    access_case_to_add_plan_versions,
    access_case_to_change_status,
    access_plan_version,
    access_plan_version_to_confirm,
    can_add_plan_versions,
)
from caseledger.ehcp.forms import (
    FlagDecisionForm,
    PlanSectionsForm,
    PlanVersionForm,
    StatusChangeForm,
)
from caseledger.ehcp.models import FlagDecision, PlanVersion
from caseledger.ui.pages import acting_user, call_service, render_form_page
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
        },
    )


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
