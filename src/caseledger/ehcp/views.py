"""EHCP status pages. Thin: check access, bind a form, call one service, redirect or render."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods

from caseledger.ehcp import services
from caseledger.ehcp.access import access_case_to_change_status
from caseledger.ehcp.forms import StatusChangeForm
from caseledger.ui.pages import acting_user, call_service, render_form_page


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
