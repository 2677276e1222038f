"""Support plan pages: thin views over `access`, `services` and `queries`."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseledger.audit.models import Action
from caseledger.domain.sen.graduated_approach import to_pdf
from caseledger.sen.access import is_parent_viewer, pupils_seen_by_staff, reads_sen_register
from caseledger.support_plans import queries, services
from caseledger.support_plans.access import (
    access_plan_as_parent,
    access_plan_as_staff,
    access_plan_page,
    access_plan_to_change,
    access_pupil_to_start_plan,
    may_keep,
)
from caseledger.support_plans.forms import (
    AccessForm,
    ChangeCycleForm,
    MeetingForm,
    ParentViewsForm,
    ReviewForm,
    StartPlanForm,
    TargetForm,
)
from caseledger.support_plans.models import ParentView, PlanCycle, SupportPlan
from caseledger.ui.pages import acting_user, call_service, render_form_page

REVIEWS_PER_PAGE = 25


def _posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST, even an empty one (which must show the errors)."""
    return request.POST if request.method == "POST" else None


def _to_plan(plan: SupportPlan) -> HttpResponse:
    return redirect("support_plans:plan", child_id=plan.child_id)


def _current(plan: SupportPlan) -> PlanCycle:
    cycle = services.current_cycle(plan)
    if cycle is None:
        raise Http404
    return cycle


@require_http_methods(["GET"])
def plan(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """The pupil's plan: the current cycle (assess, plan, do, review), earlier cycles and
    meetings for staff; a plain-language version for a parent."""
    user = acting_user(request)
    child, support_plan = access_plan_page(user, child_id)
    if support_plan is None:
        return render(
            request,
            "support_plans/no_plan.html",
            {"child": child, "can_keep": may_keep(user), "parent": is_parent_viewer(user)},
        )
    cycles = queries.cycles_of(support_plan)
    # Each cycle's "Do": what its linked provision delivered in that cycle's period.
    by_cycle = queries.provision_by_cycle(child, cycles, timezone.localdate())
    current = by_cycle[-1] if cycles and not cycles[-1].is_reviewed else None
    services.record_plan_read(actor=user, plan=support_plan, action=Action.SUPPORT_PLAN_VIEWED)
    earlier = [item for item in reversed(by_cycle) if item is not current]
    context = {
        "child": child,
        "plan": support_plan,
        "current": current.cycle if current else None,
        "current_provision": current,
        "earlier": earlier,
    }
    if is_parent_viewer(user):
        # A parent sees only the views they added themselves, never another parent's
        # (separated parents; safeguarding). Staff see them all.
        def own(cycle: PlanCycle) -> list[ParentView]:
            return [view for view in cycle.parent_views_added.all() if view.author_id == user.pk]

        return render(
            request,
            "support_plans/parent_plan.html",
            {
                **context,
                "own_views": own(current.cycle) if current else [],
                "history": [(item, own(item.cycle)) for item in earlier if item.cycle.is_reviewed],
                "views_form": ParentViewsForm(),
            },
        )
    return render(
        request,
        "support_plans/plan.html",
        {
            **context,
            "meetings": list(support_plan.meetings.select_related("recorded_by")),
            "named_staff": list(support_plan.named_staff.order_by("full_name")),
            "can_keep": may_keep(user),
            # Staff named on a confidential plan may not teach the pupil: the pupil's page
            # would be a 404 to them, so Back goes to the reviews list instead.
            "sees_pupil": pupils_seen_by_staff(user).filter(pk=child.pk).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Start a pupil's plan with its first cycle's assessment (keepers)."""
    user = acting_user(request)
    child = access_pupil_to_start_plan(user, child_id)
    form = StartPlanForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        started = call_service(
            form,
            lambda: services.start_plan(
                actor=user,
                child=child,
                started_on=data["started_on"],
                review_due=data["review_due"],
                assessment=services.Assessment(data["needs"], data["evidence"], data["strategies"]),
            ),
        )
        if started is not None:
            messages.success(request, f"{child.display_name}'s support plan has been started")
            return _to_plan(started)
    return render_form_page(request, "support_plans/start.html", form, child=child)


@require_http_methods(["GET", "POST"])
def change(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Change the current cycle's assessment, plan and linked provision (keepers)."""
    user = acting_user(request)
    support_plan = access_plan_to_change(user, child_id)
    cycle = _current(support_plan)
    places = services.pupil_places(support_plan.child)
    form = ChangeCycleForm(
        _posted(request),
        places=places,
        initial={
            "needs": cycle.needs,
            "evidence": cycle.evidence,
            "strategies": cycle.strategies,
            "places": [str(pk) for pk in cycle.places.values_list("pk", flat=True)],
            "review_due": cycle.review_due,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_id = {str(place.pk): place for place in places}
        changed = call_service(
            form,
            lambda: services.change_cycle(
                actor=user,
                cycle=cycle,
                assessment=services.Assessment(data["needs"], data["evidence"], data["strategies"]),
                review_due=data["review_due"],
                places=[by_id[key] for key in data["places"]],
            ),
        )
        if changed is not None:
            messages.success(request, f"Cycle {cycle.number} has been changed")
            return _to_plan(support_plan)
    return render_form_page(
        request, "support_plans/change.html", form, plan=support_plan, cycle=cycle
    )


@require_http_methods(["GET", "POST"])
def target_add(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Add a SMART target to the current cycle (keepers)."""
    user = acting_user(request)
    support_plan = access_plan_to_change(user, child_id)
    cycle = _current(support_plan)
    form = TargetForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = call_service(
            form,
            lambda: services.add_target(
                actor=user,
                cycle=cycle,
                details=services.TargetDetails(
                    data["description"], data["success_criteria"], data["due_on"]
                ),
            ),
        )
        if target is not None:
            messages.success(request, f"Target {target.position} has been added")
            return _to_plan(support_plan)
    return render_form_page(
        request, "support_plans/target.html", form, plan=support_plan, cycle=cycle, target=None
    )


@require_http_methods(["GET", "POST"])
def target_change(request: HttpRequest, child_id: UUID, target_id: UUID) -> HttpResponse:
    """Change a target of the current cycle (keepers)."""
    user = acting_user(request)
    support_plan = access_plan_to_change(user, child_id)
    cycle = _current(support_plan)
    target = cycle.targets.filter(pk=target_id).first()
    if target is None:
        raise Http404
    form = TargetForm(
        _posted(request),
        initial={
            "description": target.description,
            "success_criteria": target.success_criteria,
            "due_on": target.due_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = call_service(
            form,
            lambda: services.change_target(
                actor=user,
                target=target,
                details=services.TargetDetails(
                    data["description"], data["success_criteria"], data["due_on"]
                ),
            ),
        )
        if changed is not None:
            messages.success(request, f"Target {target.position} has been changed")
            return _to_plan(support_plan)
    return render_form_page(
        request, "support_plans/target.html", form, plan=support_plan, cycle=cycle, target=target
    )


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Record the current cycle's review, which opens the next cycle (keepers)."""
    user = acting_user(request)
    support_plan = access_plan_to_change(user, child_id)
    cycle = _current(support_plan)
    targets = list(cycle.targets.order_by("position"))
    form = ReviewForm(_posted(request), targets=targets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        opened = call_service(
            form,
            lambda: services.record_review(
                actor=user,
                cycle=cycle,
                review=services.Review(
                    reviewed_on=data["reviewed_on"],
                    ratings={
                        target.pk: services.TargetRating(
                            data[f"rating_{target.pk}"], data[f"comment_{target.pk}"]
                        )
                        for target in targets
                    },
                    pupil_views=data["pupil_views"],
                    parent_views=data["parent_views"],
                    next_steps=data["next_steps"],
                    next_review_due=data["next_review_due"],
                ),
            ),
        )
        if opened is not None:
            messages.success(
                request, f"The review has been recorded and cycle {opened.number} has started"
            )
            return _to_plan(support_plan)
    return render_form_page(
        request,
        "support_plans/review.html",
        form,
        plan=support_plan,
        cycle=cycle,
        has_targets=bool(targets),
    )


@require_http_methods(["GET", "POST"])
def meeting_add(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Record a meeting about the plan (keepers)."""
    user = acting_user(request)
    support_plan = access_plan_to_change(user, child_id)
    form = MeetingForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = call_service(
            form,
            lambda: services.record_meeting(
                actor=user,
                plan=support_plan,
                held_on=data["held_on"],
                purpose=data["purpose"],
                attendees=data["attendees"],
                notes=data["notes"],
            ),
        )
        if meeting is not None:
            messages.success(request, "The meeting has been recorded")
            return _to_plan(support_plan)
    return render_form_page(request, "support_plans/meeting.html", form, plan=support_plan)


@require_http_methods(["GET", "POST"])
def access(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Make the plan confidential or not, and name the staff who see it (keepers)."""
    user = acting_user(request)
    support_plan = access_plan_to_change(user, child_id)
    staff = services.staff_to_name(support_plan)
    form = AccessForm(
        _posted(request),
        staff=staff,
        initial={
            "confidential": "yes" if support_plan.confidential else "no",
            "named_staff": [
                str(pk) for pk in support_plan.named_staff.values_list("pk", flat=True)
            ],
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_id = {str(member.pk): member for member in staff}
        changed = call_service(
            form,
            lambda: services.change_access(
                actor=user,
                plan=support_plan,
                confidential=data["confidential"],
                named_staff=[by_id[key] for key in data["named_staff"]],
            ),
        )
        if changed is not None:
            messages.success(request, "Who sees the plan has been changed")
            return _to_plan(support_plan)
    return render_form_page(request, "support_plans/access.html", form, plan=support_plan)


@require_http_methods(["GET", "POST"])
def add_views(request: HttpRequest, child_id: UUID, cycle_id: UUID) -> HttpResponse:
    """A parent adds their views to the current cycle, for its coming review (parents with
    access only)."""
    user = acting_user(request)
    support_plan = access_plan_as_parent(user, child_id)
    cycle = services.cycle_for_views(support_plan)
    if cycle is None or cycle.pk != cycle_id:
        raise Http404
    form = ParentViewsForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        added = call_service(
            form,
            lambda: services.add_parent_views(
                actor=user, cycle=cycle, views=form.cleaned_data["views"]
            ),
        )
        if added is not None:
            messages.success(request, "Thank you: your views have been added")
            return _to_plan(support_plan)
    return render_form_page(
        request, "support_plans/add_views.html", form, plan=support_plan, cycle=cycle
    )


@require_http_methods(["GET"])
def summary(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """The graduated-approach summary as a printable page (staff who see the plan)."""
    user = acting_user(request)
    support_plan = access_plan_as_staff(user, child_id)
    result = queries.graduated_summary(support_plan, timezone.localdate())
    services.record_plan_read(actor=user, plan=support_plan, action=Action.SUPPORT_PLAN_SUMMARY)
    return render(request, "support_plans/summary.html", {"plan": support_plan, "summary": result})


@require_http_methods(["GET"])
def summary_pdf(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """The graduated-approach summary as a PDF download (staff who see the plan)."""
    user = acting_user(request)
    support_plan = access_plan_as_staff(user, child_id)
    today = timezone.localdate()
    content = to_pdf(queries.graduated_summary(support_plan, today))
    services.record_plan_read(actor=user, plan=support_plan, action=Action.SUPPORT_PLAN_SUMMARY)
    response = HttpResponse(content, content_type="application/pdf")
    # The file name gives what it is and the date, never the pupil's name: file names end up
    # in download folders, email attachments and logs.
    name = f"sen-support-graduated-approach-summary-{today:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET"])
def reviews(request: HttpRequest) -> HttpResponse:
    """Reviews overdue and due in the next 4 weeks, soonest first (school staff; each sees
    the plans they may see)."""
    user = acting_user(request)
    if not reads_sen_register(user):
        raise Http404
    today = timezone.localdate()
    page = Paginator(queries.reviews_due(user, today), REVIEWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [queries.due_review(cycle, today) for cycle in page.object_list]
    return render(request, "support_plans/reviews.html", {"page": page, "rows": rows})
