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
