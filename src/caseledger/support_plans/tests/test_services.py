"""Support plan services: the cycle rules, the frozen review (enforced by the database),
confidentiality and parents' views."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.domain.sen.graduated_approach import Period
from caseledger.provision import services as provision_services
from caseledger.provision.models import Intervention, InterventionGroup
from caseledger.provision.tests import factories as provision
from caseledger.sen.tests import factories as sen
from caseledger.support_plans import services
from caseledger.support_plans.access import plans_visible_to
from caseledger.support_plans.models import (
    CycleDelivery,
    ParentView,
    PlanCycle,
    SupportPlan,
    Target,
)
from caseledger.support_plans.queries import graduated_summary
from caseledger.support_plans.tests import factories

pytestmark = pytest.mark.django_db

# Isla Bennett: in no class Tom Barnes (teacher) teaches, her records shared with no parent
# (demo data), so each test gives the access it is about.


def _last_action(action: Action) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("sequence")


def test_starting_a_plan_opens_its_first_cycle(senco: User) -> None:
    plan = factories.start(senco, sen.pupil("Bennett"))
    (cycle,) = plan.cycles.all()
    assert cycle.number == 1 and cycle.needs == "Finds decoding hard"
    assert _last_action(Action.SUPPORT_PLAN_STARTED).detail["plan"] == str(plan.pk)
    with pytest.raises(DomainError, match="already has a support plan"):
        factories.start(senco, sen.pupil("Bennett"))


def test_a_teacher_may_not_start_a_plan(teacher: User) -> None:
    with pytest.raises(NotPermittedError):
        factories.start(teacher, sen.pupil("Bennett"))


def test_the_review_date_must_be_after_the_start(senco: User) -> None:
    with pytest.raises(DomainError) as error:
        factories.start(
            senco,
            sen.pupil("Bennett"),
            started_on=factories.days_ago(5),
            review_due=factories.days_ago(5),
        )
    assert error.value.field == "review_due"


def test_the_review_needs_a_rating_for_every_target(senco: User) -> None:
    cycle = factories.cycle_of(factories.start(senco, sen.pupil("Bennett")))
    with pytest.raises(DomainError, match="Add at least one target"):
        factories.review(senco, cycle)
    first = factories.target(senco, cycle)
    second = factories.target(senco, cycle, "Write a sentence")
    with pytest.raises(DomainError) as error:
        services.record_review(
            actor=senco,
            cycle=cycle,
            review=services.Review(
                reviewed_on=factories.days_ago(0),
                ratings={first.pk: services.TargetRating("met")},
                pupil_views="",
                parent_views="",
                next_steps="Carry on",
                next_review_due=factories.days_ago(-40),
            ),
        )
    assert error.value.field == f"rating_{second.pk}"
    assert not PlanCycle.objects.get(pk=cycle.pk).is_reviewed


def test_the_review_closes_the_cycle_and_opens_the_next_from_its_next_steps(
    senco: User,
) -> None:
    child = sen.pupil("Bennett")
    plan = factories.start(senco, child)
    cycle = factories.cycle_of(plan)
    reading = provision.intervention(senco)
    group = provision.group(senco, reading, "Monday group", factories.days_ago(25))
    place = provision.place(senco, group, child, factories.days_ago(25))
    services.change_cycle(
        actor=senco,
        cycle=cycle,
        assessment=services.Assessment("Decoding", "Screening", "Phonics"),
        review_due=cycle.review_due,
        places=[place],
    )
    factories.target(senco, cycle)
    following = factories.review(senco, cycle, reviewed_on=factories.days_ago(1))
    cycle.refresh_from_db()
    assert cycle.reviewed_on == factories.days_ago(1) and cycle.reviewed_by == senco
    assert [target.rating for target in cycle.targets.all()] == ["met"]
    assert following.number == 2 and following.started_on == factories.days_ago(1)
    assert following.brought_forward == "Move on to CCVC words"
    assert list(following.places.all()) == [place]  # still running: carried on
    assert services.current_cycle(plan) == following
    assert _last_action(Action.SUPPORT_PLAN_REVIEWED).detail["cycle"] == 1
    assert _last_action(Action.SUPPORT_PLAN_CYCLE_OPENED).detail["cycle"] == 2
    with pytest.raises(DomainError, match="has been reviewed"):
        factories.target(senco, cycle)


def test_the_database_refuses_to_change_a_reviewed_cycle(senco: User) -> None:
    child = sen.pupil("Bennett")
    cycle = factories.cycle_of(factories.start(senco, child))
    target = factories.target(senco, cycle)
    reading = provision.intervention(senco)
    group = provision.group(senco, reading, "Monday group", factories.days_ago(25))
    place = provision.place(senco, group, child, factories.days_ago(25))
    factories.review(senco, cycle)
    with pytest.raises(DatabaseError), transaction.atomic():
        Target.objects.filter(pk=target.pk).update(rating="exceeded")
    with pytest.raises(DatabaseError), transaction.atomic():
        Target.objects.filter(pk=target.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        Target.objects.create(
            cycle=cycle,
            position=9,
            description="x",
            success_criteria="y",
            due_on=factories.days_ago(-5),
        )
    with pytest.raises(DatabaseError), transaction.atomic():
        PlanCycle.objects.filter(pk=cycle.pk).update(next_steps="Something else")
    with pytest.raises(DatabaseError), transaction.atomic():
        cycle.places.add(place)
    assert Target.objects.get(pk=target.pk).rating == "met"


def test_the_database_keeps_parents_views_as_written(senco: User, parent: User) -> None:
    child = sen.pupil("Bennett")
    cycle = factories.cycle_of(factories.start(senco, child))
    sen.share_with(senco, child, parent)
    view = services.add_parent_views(actor=parent, cycle=cycle, views="He is happier")
    with pytest.raises(DatabaseError), transaction.atomic():
        ParentView.objects.filter(pk=view.pk).update(views="Changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        ParentView.objects.filter(pk=view.pk).delete()
    assert _last_action(Action.SUPPORT_PLAN_VIEW_ADDED).actor == parent


def test_only_a_parent_with_access_adds_views_and_only_to_the_current_cycle(
    senco: User, parent: User, other_parent: User
) -> None:
    child = sen.pupil("Bennett")
    plan = factories.start(senco, child)
    cycle = factories.cycle_of(plan)
    with pytest.raises(NotPermittedError):
        services.add_parent_views(actor=parent, cycle=cycle, views="Hello")
    sen.share_with(senco, child, parent)
    with pytest.raises(NotPermittedError):
        services.add_parent_views(actor=other_parent, cycle=cycle, views="Hello")
    assert services.cycle_for_views(plan) == cycle
    factories.target(senco, cycle)
    factories.review(senco, cycle)
    # Recording the review opened cycle 2: views go to it, for its coming review.
    following = factories.cycle_of(plan, 2)
    assert services.cycle_for_views(plan) == following
    with pytest.raises(DomainError, match="coming review"):
        services.add_parent_views(actor=parent, cycle=cycle, views="Too late for this one")
    with pytest.raises(DomainError, match="Enter your views"):
        services.add_parent_views(actor=parent, cycle=following, views="  ")
    view = services.add_parent_views(actor=parent, cycle=following, views="Better at home")
    assert view.cycle == following


def test_only_the_senco_and_named_staff_see_a_confidential_plan(
    senco: User, teacher: User, head: User, school_admin: User, other_school_senco: User
) -> None:
    # The demo's plan for Freddie (in Tom's Oak class) stays open to the school throughout.
    freddies = SupportPlan.objects.get(child=sen.pupil("Morgan"))
    child = sen.pupil("Bennett")
    plan = factories.start(senco, child)
    sen.school_class(senco, "5B", teachers=[teacher], pupils=[child])
    assert {plan, freddies} == set(plans_visible_to(teacher)) == set(plans_visible_to(head))
    services.change_access(actor=senco, plan=plan, confidential=True, named_staff=[])
    assert set(plans_visible_to(senco)) == {plan, freddies}
    for user in (teacher, head, school_admin):
        assert list(plans_visible_to(user)) == [freddies]
    assert not plans_visible_to(other_school_senco).exists()
    services.change_access(actor=senco, plan=plan, confidential=True, named_staff=[head])
    assert set(plans_visible_to(head)) == {plan, freddies}
    assert list(plans_visible_to(teacher)) == [freddies]
    event = _last_action(Action.SUPPORT_PLAN_ACCESS_CHANGED)
    assert event.detail["changes"]["named_staff"]["new"] == [str(head.pk)]
    with pytest.raises(DomainError, match="Choose the staff"):
        services.change_access(
            actor=senco, plan=plan, confidential=True, named_staff=[other_school_senco]
        )


def test_a_keeper_not_named_may_not_change_a_confidential_plan(
    senco: User, school_admin: User
) -> None:
    plan = factories.start(senco, sen.pupil("Bennett"))
    services.change_access(actor=senco, plan=plan, confidential=True, named_staff=[])
    with pytest.raises(NotPermittedError):
        services.record_meeting(
            actor=school_admin,
            plan=plan,
            held_on=factories.days_ago(1),
            purpose="Review",
            attendees="Everyone",
            notes="",
        )


def test_each_cycle_counts_the_provision_delivered_in_it_hand_computed(senco: User) -> None:
    # Amara (no plan or places in the demo) shares a reading group with Isla and has Talk
    # Boost alone; both places run across both cycles (factories.two_cycles_of_provision).
    plan = factories.two_cycles_of_provision(senco, sen.pupil("Nwosu"), sen.pupil("Bennett"))
    result = graduated_summary(plan, date(2026, 12, 1))
    first, second = result.cycles
    assert first.period == Period(date(2025, 9, 8), date(2025, 10, 19))
    assert second.period == Period(date(2025, 10, 20), date(2026, 12, 1))

    # Cycle 1. Reading: £5 + £5 of staff time (shared with Isla), 2025/26's £90 of other
    # costs shared by the two places: £45; held 2, attended 1 (absent on the 10th), planned 3
    # (the trip), 30 minutes. Talk Boost: 2 × £18 (45 minutes at £24 an hour), 90 minutes.
    reading, talk = first.deliveries
    assert (reading.intervention, reading.staff_cost, reading.other_cost) == (
        "Reading recovery",
        Decimal("10.00"),
        Decimal("45.00"),
    )
    assert (
        reading.sessions_planned,
        reading.sessions_held,
        reading.sessions_attended,
        reading.minutes_attended,
    ) == (3, 2, 1, 30)
    assert (talk.cost, talk.sessions_held, talk.minutes_attended) == (Decimal("36.00"), 2, 90)
    assert first.cost == Decimal("91.00")

    # Cycle 2, from the review day: reading on 20 October, 3 November and 7 September 2026,
    # £5 each, and 2026/27's £90 shared with Isla: £45; Talk Boost on 21 October: £18.
    reading, talk = second.deliveries
    assert (reading.staff_cost, reading.other_cost) == (Decimal("15.00"), Decimal("45.00"))
    assert (
        reading.sessions_planned,
        reading.sessions_held,
        reading.sessions_attended,
        reading.minutes_attended,
    ) == (3, 3, 3, 90)
    assert (talk.cost, talk.sessions_held, talk.minutes_attended) == (Decimal("18.00"), 1, 45)
    assert second.cost == Decimal("78.00")

    # The plan is the sum of its cycles.
    assert result.cost == Decimal("169.00")
    assert [
        (total.intervention, total.staff_cost, total.other_cost, total.cost)
        for total in result.by_intervention()
    ] == [
        ("Reading recovery", Decimal("25.00"), Decimal("90.00"), Decimal("115.00")),
        ("Talk Boost", Decimal("54.00"), Decimal("0.00"), Decimal("54.00")),
    ]
    assert (result.sessions_held, result.sessions_attended) == (8, 7)


def _words_in_audit() -> str:
    return " ".join(str(event.detail) for event in AuditEvent.objects.all())


def test_the_plans_words_are_never_logged_only_which_fields_changed(senco: User) -> None:
    # The audit trail is read outside the confidential-plan rule: dates, ratings, counts and
    # the names of the fields changed only.
    child = sen.pupil("Bennett")
    plan = factories.start(senco, child)
    cycle = factories.cycle_of(plan)
    services.change_cycle(
        actor=senco,
        cycle=cycle,
        assessment=services.Assessment(
            "Secret needs: anxious since the divorce",
            "Secret evidence: the CAMHS letter",
            "Secret strategy: a quiet room",
        ),
        review_due=cycle.review_due,
        places=[],
    )
    event = _last_action(Action.SUPPORT_PLAN_CHANGED)
    assert event.detail["fields"] == ["evidence", "needs", "strategies"]
    assert "changes" not in event.detail  # no date, no provision changed
    target = services.add_target(
        actor=senco,
        cycle=cycle,
        details=services.TargetDetails(
            "Secret target: talk about home",
            "Secret criteria: a named adult",
            factories.days_ago(-20),
        ),
    )
    event = _last_action(Action.SUPPORT_PLAN_CHANGED)
    assert event.detail["fields"] == ["due_on", "success_criteria", "target"]
    assert event.detail["changes"] == {
        "due_on": {"old": None, "new": factories.days_ago(-20).isoformat()}
    }
    services.change_target(
        actor=senco,
        target=target,
        details=services.TargetDetails(
            "Secret target changed", "Secret criteria: a named adult", factories.days_ago(-21)
        ),
    )
    event = _last_action(Action.SUPPORT_PLAN_CHANGED)
    assert event.detail["fields"] == ["due_on", "target"] and event.detail["target"] == 1
    assert set(event.detail["changes"]) == {"due_on"}
    services.record_review(
        actor=senco,
        cycle=cycle,
        review=services.Review(
            reviewed_on=factories.days_ago(0),
            ratings={target.pk: services.TargetRating("met", "Secret comment")},
            pupil_views="Secret pupil views",
            parent_views="Secret parent views",
            next_steps="Secret next steps",
            next_review_due=factories.days_ago(-60),
        ),
    )
    event = _last_action(Action.SUPPORT_PLAN_REVIEWED)
    assert event.detail["changes"]["ratings"]["new"] == {str(target.pk): "met"}
    assert event.detail["fields"] == [
        "comment_1",
        "next_steps",
        "parent_views",
        "pupil_views",
        "ratings",
        "reviewed_on",
    ]
    services.record_meeting(
        actor=senco,
        plan=plan,
        held_on=factories.days_ago(1),
        purpose="Secret purpose: the child protection plan",
        attendees="Secret attendees",
        notes="",
    )
    event = _last_action(Action.SUPPORT_PLAN_MEETING)
    assert event.detail["fields"] == ["attendees", "held_on", "purpose"]
    assert event.detail["changes"] == {
        "held_on": {"old": None, "new": factories.days_ago(1).isoformat()}
    }
    assert "Secret" not in _words_in_audit()


def test_a_reviewed_cycles_delivery_is_as_recorded_at_its_review(senco: User) -> None:
    # Evidence integrity (Code of Practice 6.63): after the review the provision map
    # changes — the intervention's cost goes up (costs apply to past sessions too), a
    # session is back-dated into the reviewed cycle, an exit score is recorded — and the
    # reviewed cycle's figures stay as the review saw them; the current cycle's are live.
    plan = factories.two_cycles_of_provision(senco, sen.pupil("Nwosu"), sen.pupil("Bennett"))
    before = graduated_summary(plan, date(2026, 12, 1))
    first = factories.cycle_of(plan)
    rows = list(CycleDelivery.objects.filter(cycle=first))
    assert [(row.intervention, row.staff_cost, row.other_cost) for row in rows] == [
        ("Reading recovery", Decimal("10.00"), Decimal("45.00")),
        ("Talk Boost", Decimal("36.00"), Decimal("0.00")),
    ]
    assert (rows[0].counted_from, rows[0].counted_to) == (date(2025, 9, 8), date(2025, 10, 19))

    reading = Intervention.objects.get(name="Reading recovery")
    provision_services.change_intervention(
        actor=senco,
        intervention=reading,
        details=provision.details(
            reading.scale, "Reading recovery", staff_cost_per_hour=Decimal("40.00")
        ),
    )
    reading_group = InterventionGroup.objects.get(name="Reading group")
    provision.session(senco, reading_group, date(2025, 9, 12))  # back-dated into cycle 1
    after = graduated_summary(plan, date(2026, 12, 1))

    assert after.cycles[0] == before.cycles[0]
    assert after.cycles[0].recorded_at_review and not after.cycles[1].recorded_at_review
    assert after.cycles[0].cost == Decimal("91.00")
    # Cycle 2 is live: reading's three sessions now cost £10 each to Amara (£40 an hour).
    assert after.cycles[1].cost == before.cycles[1].cost + Decimal("15.00")


def test_the_database_refuses_to_change_a_recorded_delivery(senco: User) -> None:
    plan = factories.two_cycles_of_provision(senco, sen.pupil("Nwosu"), sen.pupil("Bennett"))
    row = CycleDelivery.objects.filter(cycle__plan=plan).first()
    assert row is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        CycleDelivery.objects.filter(pk=row.pk).update(staff_cost=Decimal("1.00"))
    with pytest.raises(DatabaseError), transaction.atomic():
        CycleDelivery.objects.filter(pk=row.pk).delete()
    # Nor is a delivery recorded for a cycle not yet reviewed.
    current = services.current_cycle(plan)
    assert current is not None
    with pytest.raises(DatabaseError), transaction.atomic():
        CycleDelivery.objects.create(
            cycle=current,
            place_id=row.place_id,
            position=1,
            intervention="x",
            group="y",
            counted_from=current.started_on,
            counted_to=current.started_on,
            sessions_planned=0,
            sessions_held=0,
            sessions_attended=0,
            minutes_attended=0,
            staff_cost=Decimal("0.00"),
            other_cost=Decimal("0.00"),
        )
    assert CycleDelivery.objects.get(pk=row.pk).staff_cost == row.staff_cost
