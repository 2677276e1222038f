from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.provision import services
from caseledger.provision.models import Place
from caseledger.provision.tests import factories
from caseledger.sen.tests.factories import pupil

pytestmark = pytest.mark.django_db

START = date(2025, 9, 8)


def test_only_the_schools_keepers_write(senco: User, teacher: User, worker: User) -> None:
    scale = factories.scale(senco)
    for actor in (teacher, worker):
        with pytest.raises(NotPermittedError):
            services.add_scale(actor=actor, name="X", kind="judgement", minimum=-2, maximum=2)
        with pytest.raises(NotPermittedError):
            services.add_intervention(actor=actor, details=factories.details(scale))
    reading = factories.intervention(senco, scale)
    with pytest.raises(NotPermittedError):
        factories.group(teacher, reading, "G", START)


def test_scales_and_library_entries_are_checked(senco: User) -> None:
    with pytest.raises(DomainError, match="highest score must be more"):
        services.add_scale(actor=senco, name="Odd", kind="judgement", minimum=2, maximum=2)
    scale = factories.scale(senco)
    with pytest.raises(DomainError, match="already has a scale"):
        factories.scale(senco, "test SCORE")
    with pytest.raises(DomainError, match="group size"):
        services.add_intervention(actor=senco, details=factories.details(scale, group_size=0))
    with pytest.raises(DomainError, match="£0 or more"):
        services.add_intervention(
            actor=senco, details=factories.details(scale, staff_cost_per_hour=Decimal("-1"))
        )
    reading = factories.intervention(senco, scale)
    with pytest.raises(DomainError, match="already has an intervention"):
        factories.intervention(senco, scale)
    event = AuditEvent.objects.filter(action=Action.INTERVENTION_ADDED).latest("sequence")
    assert event.detail["changes"]["staff_cost_per_hour"]["new"] == "20.00"

    retired = services.change_intervention(
        actor=senco,
        intervention=reading,
        details=replace(factories.details(scale), is_active=False),
    )
    assert not retired.is_active
    with pytest.raises(DomainError, match="retired"):
        factories.group(senco, reading, "G", START)
    with pytest.raises(DomainError, match="Change at least one"):
        services.change_intervention(
            actor=senco,
            intervention=reading,
            details=replace(factories.details(scale), is_active=False),
        )


def test_the_scale_cannot_change_under_recorded_scores(senco: User) -> None:
    reading = factories.intervention(senco)
    group = factories.group(senco, reading, "G", START)
    factories.place(senco, group, pupil("Morgan"), START, entry_score=90)
    other = factories.scale(senco, "Another")
    with pytest.raises(DomainError, match="current scale"):
        services.change_intervention(
            actor=senco, intervention=reading, details=factories.details(other)
        )


def test_places_are_checked(senco: User) -> None:
    reading = factories.intervention(senco)
    group = factories.group(senco, reading, "G", START)
    freddie = pupil("Morgan")
    with pytest.raises(DomainError, match="between 40 and 160"):
        factories.place(senco, group, freddie, START, entry_score=30)
    with pytest.raises(DomainError, match="on or after 8 September 2025"):
        factories.place(senco, group, freddie, START - timedelta(days=1))
    with pytest.raises(DomainError, match="not both"):
        services.place_pupil(
            actor=senco,
            group=group,
            child=freddie,
            entry=services.Entry(START, None, None, target_gain=2, target_exit=100),
        )
    place = factories.place(senco, group, freddie, START)
    with pytest.raises(DomainError, match="already has a place"):
        factories.place(senco, group, freddie, START + timedelta(days=20))
    services.end_place(actor=senco, place=place, ended_on=START + timedelta(days=10))
    factories.place(senco, group, freddie, START + timedelta(days=11))  # a second place, later
    with pytest.raises(DomainError, match="between 40 and 160"):
        services.record_exit(actor=senco, place=place, exit_score=161, measured_on=START)
    with pytest.raises(DomainError, match="today or in the past"):
        services.record_exit(
            actor=senco,
            place=place,
            exit_score=100,
            measured_on=timezone.localdate() + timedelta(days=1),
        )


def test_sessions_are_checked(senco: User) -> None:
    reading = factories.intervention(senco)
    group = factories.group(senco, reading, "G", START)
    isla = factories.place(senco, group, pupil("Bennett"), START + timedelta(days=5))
    with pytest.raises(DomainError, match="today or in the past"):
        factories.session(senco, group, timezone.localdate() + timedelta(days=1))
    with pytest.raises(DomainError, match="on or after 8 September 2025"):
        factories.session(senco, group, START - timedelta(days=1))
    with pytest.raises(DomainError, match="had a place in the group that day"):
        factories.session(senco, group, START + timedelta(days=1), absent=(isla,))
    with pytest.raises(DomainError, match="no absences"):
        factories.session(
            senco, group, START + timedelta(days=6), held=False, reason="Trip", absent=(isla,)
        )
    factories.session(senco, group, START + timedelta(days=6), absent=(isla,))
    with pytest.raises(DomainError, match="already recorded"):
        factories.session(senco, group, START + timedelta(days=6))


def test_ending_a_group_ends_its_open_places(senco: User) -> None:
    reading = factories.intervention(senco)
    group = factories.group(senco, reading, "G", START)
    place = factories.place(senco, group, pupil("Morgan"), START)
    factories.session(senco, group, START + timedelta(days=3))
    with pytest.raises(DomainError, match="Sessions are recorded after"):
        services.end_group(actor=senco, group=group, ended_on=START + timedelta(days=1))
    services.end_group(actor=senco, group=group, ended_on=START + timedelta(days=30))
    assert Place.objects.get(pk=place.pk).ended_on == START + timedelta(days=30)
    with pytest.raises(DomainError, match="group ended on 8 October 2025"):
        factories.place(senco, group, pupil("Bennett"), START)
    with pytest.raises(DomainError, match="on or before 8 October 2025"):
        factories.session(senco, group, START + timedelta(days=31))


def test_a_place_cannot_end_before_what_is_recorded_for_it(senco: User) -> None:
    reading = factories.intervention(senco)
    group = factories.group(senco, reading, "G", START)
    place = factories.place(senco, group, pupil("Morgan"), START)
    factories.session(senco, group, START + timedelta(days=2), absent=(place,))
    factories.session(senco, group, START + timedelta(days=9), absent=(place,))
    with pytest.raises(DomainError, match="absent on 17 September 2025") as refused:
        services.end_place(actor=senco, place=place, ended_on=START + timedelta(days=8))
    assert refused.value.field == "ended_on"
    services.record_exit(
        actor=senco, place=place, exit_score=100, measured_on=START + timedelta(days=20)
    )
    with pytest.raises(DomainError, match="exit measure was taken on 28 September 2025"):
        services.end_place(actor=senco, place=place, ended_on=START + timedelta(days=19))
    with pytest.raises(DomainError, match="exit measure was taken on 28 September 2025"):
        services.end_group(actor=senco, group=group, ended_on=START + timedelta(days=19))
    assert Place.objects.get(pk=place.pk).ended_on is None
    services.end_place(actor=senco, place=place, ended_on=START + timedelta(days=20))
    assert Place.objects.get(pk=place.pk).ended_on == START + timedelta(days=20)
