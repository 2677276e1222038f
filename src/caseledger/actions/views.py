"""Next actions pages. Thin: check access, bind a form, call one service, redirect or render."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseledger.actions import calendar, clocks, reminders, services
from caseledger.actions.access import (
    access_action_for_work,
    my_open_actions,
    overdue_actions_for,
)
from caseledger.actions.forms import (
    ActionForm,
    CancelForm,
    DoneForm,
    ExceptionForm,
    ReminderSettingsForm,
    initial_for,
)
from caseledger.actions.models import ActionStatus, NextAction, Notification
from caseledger.cases.access import access_case, access_case_for_work, can_work_on_case
from caseledger.ledger.access import access_entry_for_work
from caseledger.ui.pages import acting_user, call_service, render_form_page

CLOSED_SHOWN = 50
MY_ACTIONS_SHOWN = 200
NOTIFICATIONS_SHOWN = 100


@require_http_methods(["GET"])
def case_actions(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = acting_user(request)
    case = access_case(user, case_id)
    actions = NextAction.objects.filter(case=case).select_related("responsible_user")
    return render(
        request,
        "actions/case_actions.html",
        {
            "case": case,
            "child": case.child,
            "open_actions": list(actions.filter(status=ActionStatus.OPEN).order_by("due_on", "id")),
            "closed_actions": list(
                actions.exclude(status=ActionStatus.OPEN).order_by("-due_on", "-id")[:CLOSED_SHOWN]
            ),
            "can_work": can_work_on_case(user, case),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET"])
def my_actions(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    return render(
        request,
        "actions/my_actions.html",
        {"actions": list(my_open_actions(user)[:MY_ACTIONS_SHOWN])},
    )


@require_http_methods(["GET"])
def overdue_actions(request: HttpRequest) -> HttpResponse:
    """Overdue actions on every case the user works on (a manager: the team's cases)."""
    user = acting_user(request)
    actions = overdue_actions_for(user)
    return render(
        request,
        "actions/overdue_actions.html",
        {"actions": list(actions[:MY_ACTIONS_SHOWN]), "total": actions.count()},
    )


@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = acting_user(request)
    case = access_case_for_work(user, case_id)
    form = ActionForm(
        request.POST or None,
        organisation=case.organisation,
        actor=user,
        initial={"responsible": f"user:{user.id}", "priority": "routine"},
    )
    if request.method == "POST" and form.is_valid():
        action = call_service(
            form, lambda: services.add_action(actor=user, case=case, details=form.details())
        )
        if action is not None:
            messages.success(request, "The action has been added")
            return redirect("actions:case-actions", case_id=case.id)
    return render_form_page(request, "actions/action_form.html", form, case=case, action=None)


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, action_id: UUID) -> HttpResponse:
    user = acting_user(request)
    action = access_action_for_work(user, action_id)
    form = ActionForm(
        request.POST or None,
        organisation=action.case.organisation,
        actor=user,
        action=action,
        initial=initial_for(action),
    )
    if request.method == "POST" and form.is_valid():
        changed = call_service(
            form,
            lambda: services.change_action(actor=user, action=action, details=form.details()),
        )
        if changed is not None:
            messages.success(request, "The action has been changed")
            return redirect("actions:case-actions", case_id=action.case_id)
    return render_form_page(
        request, "actions/action_form.html", form, case=action.case, action=action
    )


@require_http_methods(["GET", "POST"])
def action_exception(request: HttpRequest, action_id: UUID) -> HttpResponse:
    """Record a lawful exception to a statutory time limit (the only way its date moves)."""
    user = acting_user(request)
    action = access_action_for_work(user, action_id)
    if not action.exception_kinds:
        raise Http404
    form = ExceptionForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        recorded = call_service(
            form,
            lambda: clocks.record_exception(actor=user, action=action, details=form.details()),
        )
        if recorded is not None:
            messages.success(
                request,
                f"The exception has been recorded. The action is now due "
                f"{recorded.due_on:%-d %B %Y}",
            )
            return redirect("actions:case-actions", case_id=action.case_id)
    return render_form_page(
        request,
        "actions/action_exception.html",
        form,
        action=action,
        case=action.case,
        exceptions=list(action.exceptions.select_related("approved_by", "recorded_by")),
    )


@require_http_methods(["GET", "POST"])
def action_from_promise(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    """One click turns a promise recorded in an interaction into a next action. A promise
    with no date opens the action form, filled in, for the due date."""
    user = acting_user(request)
    entry = access_entry_for_work(user, entry_id)
    if not entry.is_interaction or not entry.promise:
        raise Http404
    case = entry.case
    existing = entry.actions.first()
    if existing is not None:
        return redirect(reverse("actions:case-actions", args=[case.id]) + f"#action-{existing.id}")
    details = services.promise_details(entry)
    # The button on the interaction's page posts nothing but its token: that is the one
    # click. A POST of the form (the same address opened to change the details) is the form.
    one_click = request.method == "POST" and "description" not in request.POST
    if details is not None and one_click:
        services.action_from_promise(actor=user, entry=entry)
        messages.success(request, "The promise is now a next action")
        return redirect("actions:case-actions", case_id=case.id)
    who = ", ".join(part for part in (entry.contact_name, entry.contact_organisation) if part)
    form = ActionForm(
        request.POST or None,
        organisation=case.organisation,
        actor=user,
        initial={
            "description": f"{entry.promise} (promised by {who})"[:300],
            "responsible": f"party:{entry.promise_party or 'professional'}",
            "priority": "important",
            "due_on": entry.promise_due_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        action = call_service(
            form,
            lambda: services.add_action(
                actor=user, case=case, details=form.details(), source_entry=entry
            ),
        )
        if action is not None:
            messages.success(request, "The promise is now a next action")
            return redirect("actions:case-actions", case_id=case.id)
    return render_form_page(
        request, "actions/action_form.html", form, case=case, action=None, promise=entry
    )


@require_http_methods(["GET", "POST"])
def action_done(request: HttpRequest, action_id: UUID) -> HttpResponse:
    user = acting_user(request)
    action = access_action_for_work(user, action_id)
    form = DoneForm(request.POST or None, initial={"done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            lambda: services.complete_action(
                actor=user, action=action, done_on=form.cleaned_data["done_on"]
            ),
        )
        if done is not None:
            messages.success(request, "The action has been marked as done")
            return redirect("actions:case-actions", case_id=action.case_id)
    return render_form_page(request, "actions/action_done.html", form, action=action)


@require_http_methods(["GET", "POST"])
def action_cancel(request: HttpRequest, action_id: UUID) -> HttpResponse:
    user = acting_user(request)
    action = access_action_for_work(user, action_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cancelled = call_service(
            form,
            lambda: services.cancel_action(
                actor=user, action=action, reason=form.cleaned_data["reason"]
            ),
        )
        if cancelled is not None:
            messages.success(request, "The action has been cancelled")
            return redirect("actions:case-actions", case_id=action.case_id)
    return render_form_page(request, "actions/action_cancel.html", form, action=action)


@require_http_methods(["GET", "POST"])
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """Make (or replace) and revoke the secret address of the user's calendar feed."""
    user = acting_user(request)
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if calendar.revoke_feed(actor=user):
                messages.success(request, "Your calendar feed address has been turned off")
            return redirect("actions:calendar-feed")
        token = calendar.make_feed(actor=user)
    feed_url = (
        request.build_absolute_uri(reverse("actions:calendar-ics", kwargs={"token": token}))
        if token
        else None
    )
    return render(
        request,
        "actions/calendar_feed.html",
        {"feed": calendar.live_feed_of(user), "feed_url": feed_url},
    )


@login_not_required
@require_http_methods(["GET"])
def calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: no session (calendar apps have none), the secret address is the key."""
    feed = calendar.feed_for_token(token)
    if feed is None or not feed.user.is_active:
        raise Http404
    body = calendar.calendar(my_open_actions(feed.user), now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="caseledger-actions.ics"'
    return response


@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's reminders, newest first; unread ones marked."""
    user = acting_user(request)
    if request.method == "POST":
        reminders.mark_all_read(actor=user)
        return redirect("actions:notifications")
    wanted = reminders.settings_of(user).in_app
    rows = (
        list(
            Notification.objects.filter(user=user)
            .select_related("action", "action__case")
            .order_by("-created_at")[:NOTIFICATIONS_SHOWN]
        )
        if wanted
        else []
    )
    return render(
        request,
        "actions/notifications.html",
        {"rows": rows, "in_app": wanted, "unread": any(row.read_at is None for row in rows)},
    )


@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    current = reminders.settings_of(user)
    form = ReminderSettingsForm(
        request.POST or None, initial={"in_app": current.in_app, "email": current.email}
    )
    if request.method == "POST" and form.is_valid():
        reminders.change_reminder_settings(
            actor=user, in_app=form.cleaned_data["in_app"], email=form.cleaned_data["email"]
        )
        messages.success(request, "Your reminder settings have been saved")
        return redirect("actions:notifications")
    return render_form_page(request, "actions/reminder_settings.html", form)
