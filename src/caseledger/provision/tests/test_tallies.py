"""The map and reports count sessions in the database (`load_tallied`); every figure must be
the one the session-by-session path (`load_delivery` and `provision_map`) gives, on SQLite and
PostgreSQL alike, including the awkward cases: places that start or end mid-year or span
years, open places, missed sessions with reasons written differently, and absences left
outside their place's dates after the place's dates changed."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from caseledger.accounts.models import User
from caseledger.domain.sen import impact as domain
from caseledger.people.models import Child
from caseledger.provision.models import (
    DeliverySession,
    Intervention,
    InterventionGroup,
    MeasureScale,
    Place,
    SessionAbsence,
)
from caseledger.provision.queries import (
    Window,
    domain_intervention,
    load_delivery,
    load_tallied,
    school_map,
)

pytestmark = pytest.mark.django_db

FIRST_DAY = date(2024, 6, 3)
DAYS = 800  # to mid-August 2026: parts of three academic years
WINDOWS = [Window(2023), Window(2024), Window(2025), Window(None)]


def _random_school(senco: User, seed: int) -> None:
    """Interventions, groups, places, sessions and absences at random, written straight to
    the tables: some of the cases (an absence outside its place's dates) are ones the
    services only leave behind when a place's dates are corrected afterwards."""
    rng = random.Random(seed)
    school = senco.organisation
    assert school is not None
    scale = MeasureScale.objects.create(
        organisation=school,
        name=f"Score {seed}",
        kind="standardised_score",
        minimum=40,
        maximum=160,
    )
    children = [
        Child.objects.create(
            organisation=school,
            first_names=f"Pupil{number}",
            last_name=f"Tally{seed}",
            date_of_birth=date(2016, 1 + number, 1),
            gender=Child.Gender.NOT_KNOWN,
        )
        for number in range(7)
    ]
    for number in range(rng.randint(1, 3)):
        intervention = Intervention.objects.create(
            organisation=school,
            name=f"Tallied {seed}-{number}",
            area="cognition_and_learning",
            wave=2,
            group_size=4,
            staff_role="Teaching assistant",
            session_minutes=rng.choice([20, 25, 30, 45]),
            sessions_per_week=3,
            staff_cost_per_hour=Decimal(rng.randint(1000, 3000)).scaleb(-2),
            other_costs_per_year=Decimal(rng.randint(0, 500)),
            scale=scale,
        )
        for group_number in range(rng.randint(1, 3)):
            group = InterventionGroup.objects.create(
                intervention=intervention, name=f"Group {group_number}", started_on=FIRST_DAY
            )
            places: list[Place] = []
            for child in rng.sample(children, rng.randint(0, 5)):
                day = rng.randint(0, 300)
                for _ in range(rng.randint(1, 3)):
                    start = FIRST_DAY + timedelta(days=day)
                    length = rng.choice([None, rng.randint(0, 400)])
                    entry = rng.choice([None, rng.randint(70, 110)])
                    places.append(
                        Place.objects.create(
                            group=group,
                            child=child,
                            started_on=start,
                            ended_on=None if length is None else start + timedelta(days=length),
                            entry_score=entry,
                            exit_score=rng.choice([None, rng.randint(70, 120)]),
                            target_gain=rng.choice([None, rng.randint(0, 10)]),
                        )
                    )
                    if length is None:
                        break
                    day += length + 1 + rng.randint(0, 40)
            for day in sorted(rng.sample(range(DAYS), rng.randint(0, 120))):
                on = FIRST_DAY + timedelta(days=day)
                held = rng.random() > 0.15
                session = DeliverySession.objects.create(
                    group=group,
                    held_on=on,
                    held=held,
                    reason="" if held else rng.choice(["Trip", " Trip ", "Staff absence"]),
                    recorded_by=senco,
                )
                for place in places:
                    if (
                        held
                        and place.started_on <= on
                        and (place.ended_on is None or on <= place.ended_on)
                        and rng.random() < 0.3
                    ):
                        SessionAbsence.objects.create(session=session, place=place, held_on=on)
            # Dates corrected after absences were recorded: some absences now fall outside
            # their place (counted against nobody, or against the pupil's other place).
            for place in places:
                if rng.random() < 0.25:
                    place.started_on += timedelta(days=rng.randint(0, 30))
                    if place.ended_on is not None and place.ended_on < place.started_on:
                        place.ended_on = place.started_on
                    place.save(update_fields=["started_on", "ended_on"])


def _session_by_session(organisation_id: UUID, window: Window) -> tuple[object, ...]:
    interventions = list(
        Intervention.objects.filter(organisation_id=organisation_id)
        .select_related("scale")
        .order_by("name", "id")
    )
    delivery = load_delivery([i.pk for i in interventions], window)
    return domain.provision_map(
        [domain_intervention(i) for i in interventions],
        delivery.groups,
        delivery.assignments,
        delivery.sessions,
        delivery.measures,
    )


@pytest.mark.parametrize("seed", range(6))
def test_the_map_from_tallies_is_the_map_from_sessions(senco: User, seed: int) -> None:
    _random_school(senco, seed)
    assert senco.organisation_id is not None
    for window in WINDOWS:
        tallied = tuple(row.impact for row in school_map(senco.organisation_id, window))
        assert tallied == _session_by_session(senco.organisation_id, window), window


@pytest.mark.parametrize("seed", range(6, 9))
def test_each_pupils_figures_from_tallies_are_those_from_sessions(senco: User, seed: int) -> None:
    _random_school(senco, seed)
    for intervention in Intervention.objects.filter(name__startswith="Tallied").select_related(
        "scale"
    ):
        for window in WINDOWS:
            delivery = load_delivery([intervention.pk], window)
            part, tallied = load_tallied([intervention.pk], window)
            assert domain.pupil_impacts_tallied(
                domain_intervention(intervention),
                part.groups,
                part.assignments,
                tallied,
                part.measures,
            ) == domain.pupil_impacts(
                domain_intervention(intervention),
                delivery.groups,
                delivery.assignments,
                delivery.sessions,
                delivery.measures,
            )


def test_an_absence_outside_its_place_counts_against_the_pupils_place_that_day(
    senco: User,
) -> None:
    """Two places of one pupil; an absence recorded against the first place on a day that
    (after its end was corrected) belongs to the second is charged to the second, once,
    even when the second has its own absence for that session."""
    _random_school(senco, 99)  # other rows around it
    scale = MeasureScale.objects.get(name="Score 99")
    assert senco.organisation is not None
    reading = Intervention.objects.create(
        organisation=senco.organisation,
        name="Stray absences",
        area="cognition_and_learning",
        wave=2,
        group_size=2,
        staff_role="Teaching assistant",
        session_minutes=30,
        sessions_per_week=1,
        staff_cost_per_hour=Decimal("20.00"),
        scale=scale,
    )
    group = InterventionGroup.objects.create(intervention=reading, name="G", started_on=FIRST_DAY)
    child = Child.objects.filter(last_name="Tally99").first()
    assert child is not None
    first = Place.objects.create(
        group=group, child=child, started_on=date(2025, 9, 1), ended_on=date(2025, 9, 30)
    )
    second = Place.objects.create(group=group, child=child, started_on=date(2025, 10, 1))
    for day in (date(2025, 9, 10), date(2025, 10, 8), date(2025, 10, 15)):
        session = DeliverySession.objects.create(group=group, held_on=day, recorded_by=senco)
        SessionAbsence.objects.create(session=session, place=first, held_on=day)
        if day == date(2025, 10, 15):
            SessionAbsence.objects.create(session=session, place=second, held_on=day)
    Place.objects.filter(pk=first.pk).update(ended_on=date(2025, 9, 5))  # corrected

    _, tallied = load_tallied([reading.pk], Window(2025))
    # 10 September: nobody's place; 8 October: the second place's; 15 October: once.
    assert tallied.absences == {second.pk.hex: 2}
    assert senco.organisation_id is not None
    rows = school_map(senco.organisation_id, Window(2025))
    (row,) = [row for row in rows if row.intervention == reading]
    assert (row.impact.attendance.part, row.impact.attendance.whole) == (0, 2)
    assert (row.impact.sessions_held, row.impact.unallocated_staff_cost) == (3, Decimal("10.00"))
    assert tuple(row.impact for row in rows) == (
        _session_by_session(senco.organisation_id, Window(2025))
    )
