"""Reading support plans for their pages: a plan's cycles with their targets and parents'
views, the delivery of each cycle's provision from the provision map, the reviews due, and
the graduated-approach summary. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet

from caseledger.accounts.models import User
from caseledger.domain.sen import graduated_approach as summary
from caseledger.provision.models import Place
from caseledger.provision.queries import PupilProvision, pupil_provision
from caseledger.support_plans.access import cycles_visible_to
from caseledger.support_plans.models import ParentView, PlanCycle, SupportPlan

# "Due in the next 4 weeks" on the SENCO's list (issue 8).
DUE_SOON = timedelta(weeks=4)


def cycles_of(plan: SupportPlan) -> list[PlanCycle]:
    """The plan's cycles, oldest first, with targets, linked places and parents' views."""
    return list(
        plan.cycles.order_by("number").prefetch_related(
            "targets",
            Prefetch(
                "places",
                queryset=Place.objects.select_related("group", "group__intervention"),
            ),
            Prefetch(
                "parent_views_added",
                queryset=ParentView.objects.select_related("author").order_by("added_at", "id"),
            ),
        )
    )


def cycle_provision(cycle: PlanCycle, provisions: list[PupilProvision]) -> list[PupilProvision]:
    """The pupil's provision map figures for the places linked to the cycle, oldest first,
    then by intervention and group."""
    linked = {place.pk for place in cycle.places.all()}
    return sorted(
        (provision for provision in provisions if provision.place.pk in linked),
        key=lambda provision: (
            provision.place.started_on,
            provision.place.group.intervention.name,
            provision.place.group.name,
        ),
    )


def reviews_due(user: User, today: date) -> QuerySet[PlanCycle]:
    """Cycles of the plans the user sees that are not reviewed and whose review date has
    passed or falls in the next 4 weeks, soonest first (`reviews.overdue_reviews` order)."""
    return (
        cycles_visible_to(user)
        .filter(reviewed_on__isnull=True, review_due__lte=today + DUE_SOON)
        .select_related("plan", "plan__child")
        .order_by("review_due", "plan__child__last_name", "plan__child__first_names", "id")
    )


@dataclass(frozen=True)
class DueReview:
    cycle: PlanCycle
    overdue_days: int
    due_in_days: int


def due_review(cycle: PlanCycle, today: date) -> DueReview:
    rules = cycle.as_rules()
    return DueReview(
        cycle=cycle,
        overdue_days=rules.days_overdue(today),
        due_in_days=max((cycle.review_due - today).days, 0),
    )


def _delivery(provision: PupilProvision) -> summary.Delivery:
    impact = provision.impact
    return summary.Delivery(
        place=str(provision.place.pk),
        intervention=provision.place.group.intervention.name,
        group=provision.place.group.name,
        sessions_planned=impact.sessions_planned,
        sessions_held=impact.sessions_held,
        sessions_attended=impact.sessions_attended,
        minutes_attended=impact.minutes_attended,
        staff_cost=impact.staff_cost,
        other_cost=impact.other_cost,
    )


def graduated_summary(plan: SupportPlan, today: date) -> summary.GraduatedSummary:
    """Every cycle of the plan with the provision delivered in it and its cost."""
    cycles = cycles_of(plan)
    provisions = pupil_provision(plan.child)
    per_cycle = summary.mark_carried_over(
        [
            [_delivery(provision) for provision in cycle_provision(cycle, provisions)]
            for cycle in cycles
        ]
    )
    return summary.GraduatedSummary(
        pupil=plan.child.legal_name,
        date_of_birth=plan.child.date_of_birth,
        school=plan.organisation.name,
        prepared_on=today,
        cycles=tuple(
            summary.CycleSummary(
                number=cycle.number,
                started_on=cycle.started_on,
                review_due=cycle.review_due,
                reviewed_on=cycle.reviewed_on,
                brought_forward=cycle.brought_forward,
                needs=cycle.needs,
                evidence=cycle.evidence,
                strategies=cycle.strategies,
                targets=tuple(
                    summary.TargetSummary(
                        description=target.description,
                        success_criteria=target.success_criteria,
                        due_on=target.due_on,
                        rating=target.get_rating_display() if target.rating else "",
                        comment=target.rating_comment,
                    )
                    for target in cycle.targets.all()
                ),
                pupil_views=cycle.pupil_views,
                parent_views=tuple([cycle.parent_views] if cycle.parent_views else [])
                + tuple(view.views for view in cycle.parent_views_added.all()),
                next_steps=cycle.next_steps,
                deliveries=tuple(deliveries),
            )
            for cycle, deliveries in zip(cycles, per_cycle, strict=True)
        ),
    )
