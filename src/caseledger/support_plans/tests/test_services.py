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
from caseledger.provision.tests import factories as provision
from caseledger.sen.tests import factories as sen
from caseledger.support_plans import services
from caseledger.support_plans.access import plans_visible_to
from caseledger.support_plans.models import ParentView, PlanCycle, Target
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


def test_only_a_parent_with_access_adds_views_and_only_to_the_latest_cycle(
    senco: User, parent: User, other_parent: User
) -> None:
    child = sen.pupil("Bennett")
    cycle = factories.cycle_of(factories.start(senco, child))
    with pytest.raises(NotPermittedError):
        services.add_parent_views(actor=parent, cycle=cycle, views="Hello")
    sen.share_with(senco, child, parent)
    with pytest.raises(NotPermittedError):
        services.add_parent_views(actor=other_parent, cycle=cycle, views="Hello")
    factories.target(senco, cycle)
    factories.review(senco, cycle)
    with pytest.raises(DomainError, match="latest review"):
        services.add_parent_views(actor=parent, cycle=cycle, views="Too late for this one")
    with pytest.raises(DomainError, match="Enter your views"):
        services.add_parent_views(actor=parent, cycle=factories.cycle_of(cycle.plan, 2), views="  ")


def test_only_the_senco_and_named_staff_see_a_confidential_plan(
    senco: User, teacher: User, head: User, school_admin: User, other_school_senco: User
) -> None:
    child = sen.pupil("Bennett")
    plan = factories.start(senco, child)
    sen.school_class(senco, "5B", teachers=[teacher], pupils=[child])
    assert {plan} == set(plans_visible_to(teacher)) == set(plans_visible_to(head))
    services.change_access(actor=senco, plan=plan, confidential=True, named_staff=[])
    assert list(plans_visible_to(senco)) == [plan]
    for user in (teacher, head, school_admin, other_school_senco):
        assert not plans_visible_to(user).exists()
    services.change_access(actor=senco, plan=plan, confidential=True, named_staff=[head])
    assert list(plans_visible_to(head)) == [plan]
    assert not plans_visible_to(teacher).exists()
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


def test_the_summary_counts_each_places_cost_once_hand_computed(senco: User) -> None:
    freddie, isla = sen.pupil("Morgan"), sen.pupil("Bennett")
    start = date(2025, 9, 8)
    # 30 minutes at £20 an hour: £10 a session, shared by the group; £90 a year other costs,
    # shared by the intervention's places that year.
    reading = provision.intervention(senco)
    # 45 minutes at £24 an hour: £18 a session; no other costs.
    talk = provision.intervention(
        senco,
        name="Talk Boost",
        session_minutes=45,
        staff_cost_per_hour=Decimal("24.00"),
        other_costs_per_year=Decimal("0.00"),
    )
    reading_group = provision.group(senco, reading, "Reading group", start)
    talk_group = provision.group(senco, talk, "Talk group", start)
    freddie_reading = provision.place(senco, reading_group, freddie, start)
    provision.place(senco, reading_group, isla, start)
    freddie_talk = provision.place(senco, talk_group, freddie, start)
    provision.session(senco, reading_group, date(2025, 9, 9))  # £5 each
    provision.session(senco, reading_group, date(2025, 9, 10), absent=(freddie_reading,))
    provision.session(senco, reading_group, date(2025, 9, 11), held=False, reason="Trip")
    provision.session(senco, talk_group, date(2025, 9, 15))  # £18, Freddie alone
    provision.session(senco, talk_group, date(2025, 9, 16))

    plan = factories.start(senco, freddie, started_on=start, review_due=date(2025, 10, 20))
    cycle = factories.cycle_of(plan)
    services.change_cycle(
        actor=senco,
        cycle=cycle,
        assessment=services.Assessment("Decoding", "Screening", "Phonics"),
        review_due=cycle.review_due,
        places=[freddie_reading, freddie_talk],
    )
    services.add_target(
        actor=senco,
        cycle=cycle,
        details=services.TargetDetails("Read 30 words", "Word list", date(2025, 10, 17)),
    )
    factories.review(senco, cycle, reviewed_on=date(2025, 10, 20))

    result = graduated_summary(plan, date(2025, 10, 21))
    first, second = result.cycles
    # Freddie's reading: staff £5 + £5 = £10.00, other £90 / 2 places = £45.00: £55.00;
    # held 2, attended 1 (absent on the 10th), planned 3, 30 minutes.
    reading_delivery, talk_delivery = first.deliveries
    assert (reading_delivery.staff_cost, reading_delivery.other_cost) == (
        Decimal("10.00"),
        Decimal("45.00"),
    )
    assert (
        reading_delivery.sessions_planned,
        reading_delivery.sessions_held,
        reading_delivery.sessions_attended,
        reading_delivery.minutes_attended,
    ) == (3, 2, 1, 30)
    # Talk Boost: 2 × £18 = £36.00, 90 minutes.
    assert talk_delivery.cost == Decimal("36.00") and talk_delivery.minutes_attended == 90
    assert first.cost == Decimal("91.00")
    # Cycle 2 carries both places on: shown, not counted again.
    assert all(delivery.carried_over for delivery in second.deliveries)
    assert second.cost == Decimal("0.00")
    assert result.cost == Decimal("91.00")
    assert [(total.intervention, total.cost) for total in result.by_intervention()] == [
        ("Reading recovery", Decimal("55.00")),
        ("Talk Boost", Decimal("36.00")),
    ]
    assert (result.sessions_held, result.sessions_attended) == (4, 3)
