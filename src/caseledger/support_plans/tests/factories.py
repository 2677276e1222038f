"""State for the support plans' tests, made through the services as a SENCO would make it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.people.models import Child
from caseledger.provision.tests import factories as provision
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


def two_cycles_of_provision(actor: User, child: Child, group_mate: Child) -> SupportPlan:
    """A plan started on 8 September 2025 and reviewed on 20 October 2025, its second cycle
    under way, with two places running across both cycles:

    - Reading recovery (30 minutes at £20 an hour: £10 a session shared by the group; £90 a
      year of other costs) with `group_mate`: sessions on 9 September, 10 September (`child`
      absent), 11 September (missed: trip), 20 October, 3 November (`group_mate` absent) and
      7 September 2026 (the 2026/27 year);
    - Talk Boost (45 minutes at £24 an hour: £18 a session; no other costs), `child` alone:
      sessions on 15 and 16 September and 21 October.
    """
    start = date(2025, 9, 8)
    reading = provision.intervention(actor)
    talk = provision.intervention(
        actor,
        name="Talk Boost",
        session_minutes=45,
        staff_cost_per_hour=Decimal("24.00"),
        other_costs_per_year=Decimal("0.00"),
    )
    reading_group = provision.group(actor, reading, "Reading group", start)
    talk_group = provision.group(actor, talk, "Talk group", start)
    reading_place = provision.place(actor, reading_group, child, start)
    mate_place = provision.place(actor, reading_group, group_mate, start)
    talk_place = provision.place(actor, talk_group, child, start)
    provision.session(actor, reading_group, date(2025, 9, 9))
    provision.session(actor, reading_group, date(2025, 9, 10), absent=(reading_place,))
    provision.session(actor, reading_group, date(2025, 9, 11), held=False, reason="Trip")
    provision.session(actor, talk_group, date(2025, 9, 15))
    provision.session(actor, talk_group, date(2025, 9, 16))
    provision.session(actor, reading_group, date(2025, 10, 20))
    provision.session(actor, talk_group, date(2025, 10, 21))
    provision.session(actor, reading_group, date(2025, 11, 3), absent=(mate_place,))
    provision.session(actor, reading_group, date(2026, 9, 7))

    plan = services.start_plan(
        actor=actor,
        child=child,
        started_on=start,
        review_due=date(2025, 10, 20),
        assessment=services.Assessment("Decoding", "Screening", "Phonics"),
    )
    cycle = cycle_of(plan)
    services.change_cycle(
        actor=actor,
        cycle=cycle,
        assessment=services.Assessment("Decoding", "Screening", "Phonics"),
        review_due=cycle.review_due,
        places=[reading_place, talk_place],
    )
    services.add_target(
        actor=actor,
        cycle=cycle,
        details=services.TargetDetails("Read 30 words", "Word list", date(2025, 10, 17)),
    )
    review(actor, cycle, reviewed_on=date(2025, 10, 20))
    return plan
