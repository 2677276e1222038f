"""Case audit pages. Thin: check access, bind a form, call one service, redirect or render.

Everyone the access rules (`access.py`) leave out gets a 404 for every page here, exactly
as if the audit, the action or the page did not exist.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import partial
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from caseledger.accounts.models import Team, User
from caseledger.case_audits import services
from caseledger.case_audits.access import (
    access_answer,
    access_audit,
    access_audit_to_manage,
    access_my_action,
    administered_organisation,
    audits_managed_by,
    can_audit,
    can_audit_case,
    has_case_audits,
    my_audit_actions,
)
from caseledger.case_audits.forms import (
    WHOLE_ORGANISATION,
    AuditActionForm,
    AuditFilterForm,
    CompleteForm,
    GradeForm,
    QuestionEditForm,
    QuestionForm,
    SampleForm,
)
from caseledger.case_audits.models import AuditAnswer, AuditQuestion, CaseAudit
from caseledger.domain.errors import DomainError
from caseledger.ui.pages import acting_user, call_service, render_form_page

AUDITS_PER_PAGE = 25
DONE_ACTIONS_SHOWN = 50


def _auditor(request: HttpRequest) -> User:
    """The signed-in user if they audit cases (an admin or a team manager), else 404."""
    user = acting_user(request)
    if not can_audit(user):
        raise Http404
    return user


def _teams_of(user: User) -> list[Team]:
    """The teams whose cases the user audits: all of an admin's organisation's, or a
    manager's own."""
    if user.is_organisation_admin:
        return list(Team.objects.filter(Q(organisation_id=user.organisation_id)).order_by("name"))
    return list(Team.objects.filter(pk__in=user.managed_team_ids).order_by("name"))


def _filtered(
    user: User, request: HttpRequest
) -> tuple[AuditFilterForm, QuerySet[CaseAudit], dict[str, str]]:
    form = AuditFilterForm(request.GET or None, teams=_teams_of(user))
    audits = audits_managed_by(user)
    chosen: dict[str, str] = {}
    if form.is_bound and form.is_valid():
        chosen = {name: value for name, value in form.cleaned_data.items() if value}
        if "team" in chosen:
            audits = audits.filter(case__allocated_team_id=UUID(chosen["team"]))
        if chosen.get("status") == "in_progress":
            audits = audits.filter(completed_at__isnull=True)
        elif chosen.get("status") == "completed":
            audits = audits.filter(completed_at__isnull=False)
    audits = audits.select_related(
        "case", "case__child", "case__allocated_team", "case__allocated_worker", "auditor"
    ).order_by("-started_at", "-id")
    return form, audits, chosen


@require_http_methods(["GET"])
def audit_list(request: HttpRequest) -> HttpResponse:
    """Audits in progress and completed, of every case the user audits, newest first."""
    user = _auditor(request)
    form, audits, chosen = _filtered(user, request)
    page = Paginator(audits, AUDITS_PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode(chosen)
    return render(
        request,
        "case_audits/audit_list.html",
        {
            "filter_form": form,
            "page": page,
            "audits": list(page.object_list),
            "query": query,
            "can_change_checklist": user.is_organisation_admin,
        },
    )


# A cell starting with one of these is a formula to a spreadsheet (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


@require_http_methods(["GET"])
def audit_export(request: HttpRequest) -> HttpResponse:
    """The list's table, every row the filters match, as CSV."""
    user = _auditor(request)
    _form, audits, chosen = _filtered(user, request)
    rows = [
        [
            audit.case.reference,
            audit.case.child.display_name,
            audit.case.allocated_team.name if audit.case.allocated_team else "",
            audit.case.allocated_worker.full_name if audit.case.allocated_worker else "",
            audit.auditor.full_name,
            audit.get_sampling_display(),
            str(audit.sample_id),
            timezone.localtime(audit.started_at).strftime("%Y-%m-%d %H:%M"),
            audit.status_label,
            timezone.localtime(audit.completed_at).strftime("%Y-%m-%d %H:%M")
            if audit.completed_at
            else "",
            audit.get_overall_grade_display(),
        ]
        for audit in audits.iterator(chunk_size=500)
    ]
    services.record_export(actor=user, rows=len(rows), filters=chosen)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="case-audits.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "Case reference",
            "Child",
            "Team",
            "Worker",
            "Auditor",
            "How chosen",
            "Sample",
            "Started",
            "Status",
            "Completed",
            "Overall grade",
        ]
    )
    writer.writerows([_cell(value) for value in row] for row in rows)
    return response


@require_http_methods(["GET", "POST"])
def audit_sample(request: HttpRequest) -> HttpResponse:
    """Start audits: a random sample of open cases, or cases chosen by reference."""
    user = _auditor(request)
    form = SampleForm(
        request.POST or None,
        user=user,
        teams=_teams_of(user),
        initial={"scope": WHOLE_ORGANISATION if user.is_organisation_admin else ""},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start: Callable[[], services.Sample]
        if data["method"] == "random":
            start = partial(
                services.start_random_sample, actor=user, number=data["number"], team=form.team()
            )
        else:
            start = partial(
                services.start_chosen_sample,
                actor=user,
                references=services.parse_references(data["references"]),
            )
        sample = call_service(form, start)
        if sample is not None:
            started = len(sample.audits)
            message = f"{started} case{'s' if started != 1 else ''} sampled for audit"
            if started < sample.asked_for:
                message += f": only {started} open case{'s were' if started != 1 else ' was'} "
                message += "not already being audited"
            messages.success(request, message)
            return redirect("case_audits:audit-list")
    return render_form_page(request, "case_audits/audit_sample.html", form)


@require_http_methods(["GET"])
def audit_detail(request: HttpRequest, audit_id: UUID) -> HttpResponse:
    user = acting_user(request)
    audit = access_audit(user, audit_id)
    answers = list(AuditAnswer.objects.filter(audit=audit).select_related("graded_by"))
    actions = list(audit.actions.select_related("worker", "completed_by"))
    can_change = not audit.is_completed and can_audit_case(user, audit.case)
    return render(
        request,
        "case_audits/audit_detail.html",
        {
            "audit": audit,
            "case": audit.case,
            "answers": answers,
            "graded": sum(1 for answer in answers if answer.grade),
            "next_answer": next((answer for answer in answers if not answer.grade), None),
            "actions": actions,
            "can_change": can_change,
            "user_id": user.pk,
        },
    )


def _completed_redirect(audit: CaseAudit) -> HttpResponse | None:
    """A completed audit has nothing left to change: its page instead of a form."""
    if audit.is_completed:
        return redirect("case_audits:audit-detail", audit_id=audit.pk)
    return None


@require_http_methods(["GET", "POST"])
def audit_grade(request: HttpRequest, audit_id: UUID, question_id: UUID) -> HttpResponse:
    user = acting_user(request)
    answer = access_answer(user, audit_id, question_id)
    audit = answer.audit
    if (done := _completed_redirect(audit)) is not None:
        return done
    form = GradeForm(
        request.POST or None, initial={"grade": answer.grade or None, "comment": answer.comment}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        graded = call_service(
            form,
            lambda: services.grade_answer(
                actor=user, answer=answer, grade=data["grade"], comment=data["comment"]
            ),
        )
        if graded is not None:
            following = (
                AuditAnswer.objects.filter(audit=audit, grade="").order_by("position", "id").first()
            )
            if following is not None:
                return redirect(
                    "case_audits:audit-grade", audit_id=audit.pk, question_id=following.question_id
                )
            messages.success(request, "Every question has been graded")
            return redirect("case_audits:audit-detail", audit_id=audit.pk)
    return render_form_page(
        request, "case_audits/audit_grade.html", form, audit=audit, case=audit.case, answer=answer
    )


@require_http_methods(["GET", "POST"])
def audit_action_add(request: HttpRequest, audit_id: UUID) -> HttpResponse:
    user = acting_user(request)
    audit = access_audit_to_manage(user, audit_id)
    if (done := _completed_redirect(audit)) is not None:
        return done
    candidates = list(services.action_candidates(audit.case))
    worker_id = audit.case.allocated_worker_id
    form = AuditActionForm(
        request.POST or None,
        candidates=candidates,
        initial={"worker": str(worker_id) if worker_id else ""},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        added = call_service(
            form,
            lambda: services.add_audit_action(
                actor=user,
                audit=audit,
                worker=form.chosen_worker(),
                description=data["description"],
                due_on=data["due_on"],
            ),
        )
        if added is not None:
            messages.success(request, f"The action for {added.worker.full_name} has been added")
            return redirect("case_audits:audit-detail", audit_id=audit.pk)
    return render_form_page(
        request, "case_audits/audit_action_form.html", form, audit=audit, case=audit.case
    )


@require_http_methods(["GET", "POST"])
def audit_complete(request: HttpRequest, audit_id: UUID) -> HttpResponse:
    user = acting_user(request)
    audit = access_audit_to_manage(user, audit_id)
    if (done := _completed_redirect(audit)) is not None:
        return done
    form = CompleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        completed = call_service(
            form,
            lambda: services.complete_audit(
                actor=user,
                audit=audit,
                overall_grade=data["overall_grade"],
                summary=data["summary"],
            ),
        )
        if completed is not None:
            messages.success(request, "The audit has been completed")
            return redirect("case_audits:audit-detail", audit_id=audit.pk)
    return render_form_page(
        request,
        "case_audits/audit_complete.html",
        form,
        audit=audit,
        case=audit.case,
        ungraded=AuditAnswer.objects.filter(audit=audit, grade="").count(),
    )


@require_http_methods(["GET"])
def my_actions(request: HttpRequest) -> HttpResponse:
    """The user's actions from completed case audits: open ones soonest first."""
    user = acting_user(request)
    if not has_case_audits(user):
        raise Http404
    actions = my_audit_actions(user).select_related("audit", "audit__case", "audit__case__child")
    return render(
        request,
        "case_audits/my_audit_actions.html",
        {
            "open_actions": list(
                actions.filter(completed_at__isnull=True).order_by("due_on", "id")
            ),
            "done_actions": list(
                actions.filter(completed_at__isnull=False).order_by("-completed_at")[
                    :DONE_ACTIONS_SHOWN
                ]
            ),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def action_done(request: HttpRequest, action_id: UUID) -> HttpResponse:
    """Confirm, then record, that the user has done an action from a case audit. The POST
    is the one click: it carries nothing but its token."""
    user = acting_user(request)
    action = access_my_action(user, action_id)
    if action.is_done:
        return redirect("case_audits:my-audit-actions")
    if request.method == "POST":
        try:
            services.mark_audit_action_done(actor=user, action=action)
        except DomainError:
            # Marked done a moment ago (another tab): the list shows it done.
            return redirect("case_audits:my-audit-actions")
        messages.success(request, "The action has been marked as done")
        return redirect("case_audits:my-audit-actions")
    return render(request, "case_audits/audit_action_done.html", {"action": action})


# --- The checklist (organisation admins) -------------------------------------------------------


@require_http_methods(["GET"])
def checklist(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organisation = administered_organisation(user)
    services.ensure_checklist(actor=user, organisation=organisation)
    return render(
        request,
        "case_audits/checklist.html",
        {
            "organisation": organisation,
            "questions": list(services.checklist_of(organisation)),
        },
    )


def _access_question(user: User, question_id: UUID) -> AuditQuestion:
    organisation = administered_organisation(user)
    found = AuditQuestion.objects.filter(organisation=organisation, pk=question_id).first()
    if found is None:
        raise Http404
    return found


@require_http_methods(["GET", "POST"])
def question_add(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organisation = administered_organisation(user)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        added = call_service(
            form,
            lambda: services.add_question(
                actor=user, organisation=organisation, text=data["text"], guidance=data["guidance"]
            ),
        )
        if added is not None:
            messages.success(request, "The question has been added to the checklist")
            return redirect("case_audits:checklist")
    return render_form_page(
        request, "case_audits/question_form.html", form, heading="Add a question"
    )


@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, question_id: UUID) -> HttpResponse:
    user = acting_user(request)
    question = _access_question(user, question_id)
    form = QuestionEditForm(
        request.POST or None,
        initial={
            "text": question.text,
            "guidance": question.guidance,
            "is_active": "yes" if question.is_active else "no",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = call_service(
            form,
            lambda: services.change_question(
                actor=user,
                question=question,
                text=data["text"],
                guidance=data["guidance"],
                is_active=data["is_active"],
            ),
        )
        if changed is not None:
            messages.success(request, "The question has been saved")
            return redirect("case_audits:checklist")
    return render_form_page(
        request,
        "case_audits/question_form.html",
        form,
        heading="Change a question",
        question=question,
    )
