"""State for the support plans' tests, made through the services as a SENCO would make it."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.people.models import Child
from caseledger.support_plans import services
from caseledger.support_plans.models import PlanCycle, SupportPlan, Target


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def start(
    actor: User, child: Child, *, started_on: date | None = None, review_due: date | None = None
) -> SupportPlan:
    return services.start_plan(
        actor=actor,
        child=child,
        started_on=started_on or days_ago(30),
        review_due=review_due or days_ago(-30),
        assessment=services.Assessment(
            "Finds decoding hard", "Phonics screening: 20 of 40", "Pre-teach vocabulary"
        ),
    )


def cycle_of(plan: SupportPlan, number: int = 1) -> PlanCycle:
    return PlanCycle.objects.select_related("plan").get(plan=plan, number=number)


def target(actor: User, cycle: PlanCycle, description: str = "Read 30 CVC words") -> Target:
    return services.add_target(
        actor=actor,
        cycle=cycle,
        details=services.TargetDetails(description, "Checked with a word list", days_ago(-20)),
    )


def review(
    actor: User, cycle: PlanCycle, *, reviewed_on: date | None = None, rating: str = "met"
) -> PlanCycle:
    return services.record_review(
        actor=actor,
        cycle=cycle,
        review=services.Review(
            reviewed_on=reviewed_on or timezone.localdate(),
            ratings={
                target.pk: services.TargetRating(rating, "Read 32 words")
                for target in cycle.targets.all()
            },
            pupil_views="I like the word games",
            parent_views="Reading more at home",
            next_steps="Move on to CCVC words",
            next_review_due=days_ago(-60),
        ),
    )
