"""`pupil_provision`, checked against figures worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseledger.accounts.models import User
from caseledger.provision import services
from caseledger.provision.queries import pupil_provision, total_cost
from caseledger.provision.tests import factories
from caseledger.sen.tests.factories import make_pupil, pupil

pytestmark = pytest.mark.django_db

START = date(2025, 9, 8)


def test_a_pupils_provision_is_their_share_of_each_intervention(senco: User) -> None:
    # New pupils: the demo school's have places of their own already.
    freddie, isla, leo = (make_pupil(senco, name) for name in ("Ames", "Bird", "Cole"))
    reading = factories.intervention(senco)  # 30 minutes at £20 an hour: £10 a session
    first = factories.group(senco, reading, "Monday group", START)
    second = factories.group(senco, reading, "Tuesday group", START)
    freddie_place = factories.place(senco, first, freddie, START, entry_score=85, target_gain=8)
    isla_place = factories.place(senco, first, isla, START, entry_score=90)
    factories.place(senco, second, leo, START)
    factories.session(senco, first, date(2025, 9, 9))  # Freddie and Isla: £5 each
    factories.session(senco, first, date(2025, 9, 10), absent=(isla_place,))  # £5 each
    factories.session(senco, first, date(2025, 9, 11), held=False, reason="Staff absence")
    services.end_place(actor=senco, place=freddie_place, ended_on=date(2025, 9, 11))
    factories.session(senco, first, date(2025, 9, 12))  # Isla alone: £10
    factories.session(senco, second, date(2025, 9, 9))  # Leo alone: £10
    services.record_exit(
        actor=senco, place=freddie_place, exit_score=95, measured_on=date(2025, 9, 12)
    )

    with CaptureQueriesContext(connection) as queries:
        (freddies,) = pupil_provision(freddie)
    few = len(queries)
    impact = freddies.impact
    assert freddies.place.pk == freddie_place.pk
    assert freddies.intervention.scale.name == "Scale for Reading recovery"
    assert (impact.sessions_planned, impact.sessions_held, impact.sessions_attended) == (3, 2, 2)
    assert impact.minutes_attended == 60
    assert impact.staff_cost == Decimal("10.00")
    # £90 of other costs in 2025/26, shared by the three places of the intervention that
    # year (two groups): £30 each.
    assert impact.other_cost == Decimal("30.00")
    assert impact.gain == 10 and impact.target_met is True
    assert total_cost([freddies]) == Decimal("40.00")

    (islas,) = pupil_provision(isla)
    assert (islas.impact.sessions_planned, islas.impact.sessions_held) == (4, 3)
    assert islas.impact.sessions_attended == 2
    assert islas.impact.staff_cost == Decimal("20.00")
    assert islas.impact.gain is None  # not yet measured

    assert pupil_provision(freddie, since=date(2025, 9, 12)) == []
    assert len(pupil_provision(freddie, since=date(2025, 9, 11))) == 1

    # More interventions and places, the same number of queries.
    other = factories.intervention(senco, name="Talk boost", area="communication_and_interaction")
    talk = factories.group(senco, other, "Talk", START)
    factories.place(senco, talk, freddie, START)
    factories.session(senco, talk, date(2025, 9, 9))
    with CaptureQueriesContext(connection) as queries:
        assert len(pupil_provision(freddie)) == 2
    assert len(queries) == few


def test_a_pupil_with_no_places_has_no_provision(senco: User) -> None:
    assert pupil_provision(pupil("Nwosu")) == []


def test_a_window_counts_only_its_sessions_and_each_years_other_costs_once(senco: User) -> None:
    ames, bird = make_pupil(senco, "Ames"), make_pupil(senco, "Bird")
    reading = factories.intervention(senco)  # £10 a session; £90 a year of other costs
    group = factories.group(senco, reading, "Monday group", START)
    factories.place(senco, group, ames, START)
    bird_place = factories.place(senco, group, bird, START)
    factories.session(senco, group, date(2025, 9, 9))  # Ames and Bird: £5 each
    factories.session(senco, group, date(2025, 9, 10), absent=(bird_place,))  # £5 each
    services.end_place(actor=senco, place=bird_place, ended_on=date(2025, 10, 10))
    factories.session(senco, group, date(2025, 10, 20))  # Ames alone: £10
    factories.session(senco, group, date(2025, 10, 21), held=False, reason="Staff training")
    factories.session(senco, group, date(2026, 9, 8))  # 2026/27: £10, and that year's £90

    def figures(since: date, until: date) -> tuple[int, int, int, int, Decimal, Decimal]:
        (provision,) = pupil_provision(ames, since=since, until=until)
        impact = provision.impact
        return (
            impact.sessions_planned,
            impact.sessions_held,
            impact.sessions_attended,
            impact.minutes_attended,
            impact.staff_cost,
            impact.other_cost,
        )

    # First cycle: £5 + £5, and 2025/26's £90 shared with Bird (his place was kept that year).
    assert figures(START, date(2025, 10, 19)) == (2, 2, 2, 60, Decimal("10.00"), Decimal("45.00"))
    # Second cycle, across two academic years: £10 + £10, the missed session, and 2026/27's
    # £90 (Ames alone); 2025/26's other costs were counted in the first cycle.
    assert figures(date(2025, 10, 20), date(2026, 10, 1)) == (
        3,
        2,
        2,
        60,
        Decimal("20.00"),
        Decimal("90.00"),
    )
    # The two add up to the whole place: £30 of staff time and £45 + £90 of other costs.
    (whole,) = pupil_provision(ames)
    assert (whole.impact.staff_cost, whole.impact.other_cost) == (
        Decimal("30.00"),
        Decimal("135.00"),
    )
    assert whole.impact.cost == Decimal("55.00") + Decimal("110.00")
    # Within one academic year (only that year is read): the 20th and the missed 21st.
    assert figures(date(2025, 10, 20), date(2025, 12, 31)) == (
        2,
        1,
        1,
        30,
        Decimal("10.00"),
        Decimal("0.00"),
    )
    # Bird's place ended before the second cycle: none of his provision is in it.
    assert pupil_provision(bird, since=date(2025, 10, 20), until=date(2026, 10, 1)) == []
    (birds,) = pupil_provision(bird, since=START, until=date(2025, 10, 19))
    assert (birds.impact.sessions_attended, birds.impact.cost) == (1, Decimal("55.00"))
    # A window opening after the place started finds it; one ending before does not.
    assert pupil_provision(ames, since=START, until=date(2025, 9, 7)) == []

    with CaptureQueriesContext(connection) as whole_queries:
        pupil_provision(ames)
    with CaptureQueriesContext(connection) as window_queries:
        pupil_provision(ames, since=date(2025, 10, 20), until=date(2025, 12, 31))
    assert len(window_queries) == len(whole_queries)
