"""Reading support plans for their pages: a plan's cycles with their targets and parents'
views, the delivery of each cycle's provision (live from the provision map for the current
cycle, as recorded at the review for a reviewed one), the reviews due, and the
graduated-approach summary. Nothing here writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from caseledger.accounts.models import User
from caseledger.domain.sen import graduated_approach as summary
from caseledger.people.models import Child
from caseledger.provision.models import Place
from caseledger.provision.queries import PupilProvision, pupil_provision
from caseledger.support_plans.access import cycles_visible_to
from caseledger.support_plans.models import CycleDelivery, ParentView, PlanCycle, SupportPlan

# "Due in the next 4 weeks" on the SENCO's list (issue 8).
DUE_SOON = timedelta(weeks=4)


def cycles_of(plan: SupportPlan) -> list[PlanCycle]:
    """The plan's cycles, oldest first, with targets, linked places, parents' views and the
    delivery recorded at each review."""
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
            Prefetch("deliveries_at_review", queryset=CycleDelivery.objects.order_by("position")),
        )
    )


def _place_order(place: Place) -> tuple[date, str, str]:
    return (place.started_on, place.group.intervention.name, place.group.name)


def live_deliveries(
    cycle: PlanCycle, provisions: Sequence[PupilProvision]
) -> list[summary.Delivery]:
    """What each place linked to the cycle delivered, from the pupil's provision map figures
    for the cycle's period (`pupil_provision(child, since=, until=)`), oldest place first,
    then by intervention and group. A linked place with no figures in the period (it ran
    only outside it) shows with none, so every linked place is accounted for."""
    found = {provision.place.pk: provision for provision in provisions}
    return [
        _delivery(found[place.pk]) if place.pk in found else _nothing_delivered(place)
        for place in sorted(cycle.places.all(), key=_place_order)
    ]


@dataclass(frozen=True)
class CycleProvision:
    """A cycle with what its linked provision delivered in its period: as recorded at its
    review for a reviewed cycle (`recorded_at_review`), else live from the provision map."""

    cycle: PlanCycle
    period: summary.Period
    deliveries: list[summary.Delivery]
    recorded_at_review: bool = False

    @property
    def cost(self) -> Decimal:
        return sum((delivery.cost for delivery in self.deliveries), Decimal("0.00"))


def _recorded(cycle: PlanCycle) -> list[CycleDelivery] | None:
    """The delivery recorded at the cycle's review, or None if it has none: not reviewed,
    or reviewed before the delivery was recorded (linked places but no rows; a review
    records a row for every linked place)."""
    if not cycle.is_reviewed:
        return None
    rows = list(cycle.deliveries_at_review.all())
    if not rows and cycle.places.all():
        return None
    return rows


def provision_by_cycle(
    child: Child, cycles: Sequence[PlanCycle], today: date
) -> list[CycleProvision]:
    """Each cycle (as `cycles_of` loads them, oldest first) with the delivery and cost of its
    linked places in its period only (`graduated_approach.cycle_periods`), so a place running
    across cycles shows in each what it delivered there and the cycles add up to the plan.
    A reviewed cycle's figures are those recorded at its review (`CycleDelivery`), never
    worked out again: the provision map may have changed since. The current cycle's are live:
    `pupil_provision`'s constant number of queries."""
    periods = summary.cycle_periods(
        [(cycle.started_on, cycle.reviewed_on) for cycle in cycles], today
    )
    result: list[CycleProvision] = []
    for cycle, period in zip(cycles, periods, strict=True):
        rows = _recorded(cycle)
        if rows is not None:
            if rows:
                period = summary.Period(rows[0].counted_from, rows[0].counted_to)
            result.append(CycleProvision(cycle, period, [_from_row(row) for row in rows], True))
        elif cycle.places.all():
            provisions = pupil_provision(child, since=period.first, until=period.last)
            result.append(CycleProvision(cycle, period, live_deliveries(cycle, provisions)))
        else:
            result.append(CycleProvision(cycle, period, []))
    return result


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
    measure = impact.measure
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
        entry_score=measure.entry_score if measure is not None else None,
        exit_score=measure.exit_score if measure is not None else None,
        gain=impact.gain,
    )


def _nothing_delivered(place: Place) -> summary.Delivery:
    entry, exit_ = place.entry_score, place.exit_score
    return summary.Delivery(
        place=str(place.pk),
        intervention=place.group.intervention.name,
        group=place.group.name,
        entry_score=entry,
        exit_score=exit_,
        gain=exit_ - entry if entry is not None and exit_ is not None else None,
    )


def _from_row(row: CycleDelivery) -> summary.Delivery:
    return summary.Delivery(
        place=str(row.place_id),
        intervention=row.intervention,
        group=row.group,
        sessions_planned=row.sessions_planned,
        sessions_held=row.sessions_held,
        sessions_attended=row.sessions_attended,
        minutes_attended=row.minutes_attended,
        staff_cost=row.staff_cost,
        other_cost=row.other_cost,
        entry_score=row.entry_score,
        exit_score=row.exit_score,
        gain=row.gain,
    )


def _cycle_summary(item: CycleProvision) -> summary.CycleSummary:
    cycle = item.cycle
    return summary.CycleSummary(
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
        deliveries=tuple(item.deliveries),
        period=item.period,
        recorded_at_review=item.recorded_at_review,
    )


def graduated_summary(plan: SupportPlan, today: date) -> summary.GraduatedSummary:
    """Every cycle of the plan with the provision delivered in it and its cost."""
    return summary.GraduatedSummary(
        pupil=plan.child.legal_name,
        date_of_birth=plan.child.date_of_birth,
        school=plan.organisation.name,
        prepared_on=today,
        cycles=tuple(
            _cycle_summary(item) for item in provision_by_cycle(plan.child, cycles_of(plan), today)
        ),
    )
