from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from typing import TypedDict

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caseledger.accounts.models import Organisation, User
from caseledger.audit.models import Action, AuditEvent
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.provision import services
from caseledger.provision.models import (
    DeliverySession,
    Intervention,
    InterventionGroup,
    MeasureScale,
    Place,
)
from caseledger.provision.tests import factories
from caseledger.sen.tests.factories import pupil

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
START = date(2025, 9, 8)
YEAR = {"year": "2025"}


class World(TypedDict):
    """An intervention of the school, a group running it and Freddie's place in it."""

    intervention: Intervention
    group: InterventionGroup
    place: Place


@pytest.fixture
def world(senco: User) -> World:
    reading = factories.intervention(senco)
    group = factories.group(senco, reading, "Monday group", START)
    place = factories.place(senco, group, pupil("Morgan"), START, entry_score=85, target_gain=8)
    factories.session(senco, group, date(2025, 9, 9))
    return {"intervention": reading, "group": group, "place": place}


def test_the_senco_builds_a_provision_map_end_to_end(senco: User, client_for: ClientFor) -> None:
    client = client_for(senco)
    page = client.get("/provision-map/scales/add/").content.decode()
    assert "Add ‘Judgement (−2 to +2)’" in page
    response = client.post("/provision-map/scales/add/", {"preset": "Judgement (−2 to +2)"})
    assert response.status_code == 302
    judgement = MeasureScale.objects.get(organisation=senco.organisation, name__startswith="Judg")
    assert (judgement.minimum, judgement.maximum) == (-2, 2)
    assert "Add ‘Judgement" not in client.get("/provision-map/scales/add/").content.decode()
    scale = factories.scale(senco)

    response = client.post(
        "/provision-map/interventions/add/",
        {
            "name": "Toe by Toe",
            "area": "cognition_and_learning",
            "wave": "2",
            "group_size": "3",
            "staff_role": "Teaching assistant",
            "session_minutes": "20",
            "sessions_per_week": "5",
            "staff_cost_per_hour": "18.00",
            "other_costs_per_year": "60",
            "scale": str(scale.pk),
        },
    )
    intervention = Intervention.objects.get(name="Toe by Toe")
    assert response.status_code == 302
    body = client.get(f"/provision-map/interventions/{intervention.id}/").content.decode()
    assert "£6.00" in body  # a session: 20 minutes at £18 an hour
    assert "£10.00 in a full group" in body  # £6 × 5 a week ÷ 3

    client.post(
        f"/provision-map/interventions/{intervention.id}/groups/add/",
        {
            "name": "Year 4",
            "led_by": "Mr Ash",
            "started_on-day": "8",
            "started_on-month": "9",
            "started_on-year": "2025",
        },
    )
    group = intervention.groups.get()
    freddie = pupil("Morgan")
    response = client.post(
        f"/provision-map/groups/{group.id}/places/add/",
        {
            "child": str(freddie.pk),
            "started_on-day": "8",
            "started_on-month": "9",
            "started_on-year": "2025",
            "entry_score": "82",
            "entry_measured_on-day": "8",
            "entry_measured_on-month": "9",
            "entry_measured_on-year": "2025",
            "target_exit": "90",
        },
    )
    assert response.status_code == 302
    place = Place.objects.get(group=group)
    response = client.post(
        f"/provision-map/groups/{group.id}/sessions/add/",
        {
            "held_on-day": "9",
            "held_on-month": "9",
            "held_on-year": "2025",
            "held": "yes",
            "absent": [str(place.pk)],
        },
    )
    assert response.status_code == 302
    assert DeliverySession.objects.get(group=group).absences.count() == 1
    client.post(
        f"/provision-map/groups/{group.id}/sessions/add/",
        {"held_on-day": "10", "held_on-month": "9", "held_on-year": "2025", "held": "yes"},
    )
    client.post(
        f"/provision-map/places/{place.id}/exit/",
        {
            "exit_score": "91",
            "exit_measured_on-day": "1",
            "exit_measured_on-month": "10",
            "exit_measured_on-year": "2025",
        },
    )
    body = client.get(f"/pupils/{freddie.id}/provision/").content.decode()
    assert "Toe by Toe" in body and "1 of 2 held" in body and "£72.00" in body  # £12 + £60
    assert "Met" in body
    body = client.get("/provision-map/", YEAR).content.decode()
    assert "Toe by Toe" in body and "£72.00" in body
    body = client.get("/provision-map/reports/", YEAR).content.decode()
    assert body.count('role="img"') == 3
    assert "Toe by Toe" in body and "Interventions ranked by effectiveness" in body
    assert {
        Action.MEASURE_SCALE_ADDED,
        Action.INTERVENTION_ADDED,
        Action.PLACE_ADDED,
        Action.SESSION_LOGGED,
        Action.MEASURE_RECORDED,
        Action.INTERVENTION_GROUP_ADDED,
    } <= set(AuditEvent.objects.filter(actor=senco).values_list("action", flat=True))


FORM_PAGES = [
    ("/provision-map/scales/add/", "Enter the name of the scale"),
    ("/provision-map/interventions/add/", "Enter the name of the intervention"),
    ("/provision-map/interventions/{intervention}/change/", "Enter the name of the intervention"),
    ("/provision-map/interventions/{intervention}/groups/add/", "Enter the name of the group"),
    ("/provision-map/groups/{group}/end/", "Enter the end date"),
    ("/provision-map/groups/{group}/sessions/add/", "Enter the date of the session"),
    ("/provision-map/groups/{group}/places/add/", "Select the pupil"),
    ("/provision-map/places/{place}/end/", "Enter the end date"),
    ("/provision-map/places/{place}/exit/", "Enter the exit score"),
    ("/provision-map/places/{place}/change/", "Enter the date the place started"),
]


def _paths(world: World) -> dict[str, str]:
    return {
        "intervention": str(world["intervention"].pk),
        "group": str(world["group"].pk),
        "place": str(world["place"].pk),
    }


@pytest.mark.parametrize(("path", "message"), FORM_PAGES)
def test_an_empty_form_shows_an_error_summary(
    path: str, message: str, senco: User, client_for: ClientFor, world: World
) -> None:
    url = path.format(**_paths(world))
    client = client_for(senco)
    assert client.get(url).status_code == 200
    response = client.post(url, {"exit_score": ""} if "exit" in url else {})
    body = response.content.decode()
    assert response.status_code == 400, url
    assert "govuk-error-summary" in body and message in body and "<title>Error: " in body


def test_a_broken_rule_shows_the_error_and_keeps_what_was_typed(
    senco: User, client_for: ClientFor, world: World
) -> None:
    ids = _paths(world)
    client = client_for(senco)
    response = client.post(
        f"/provision-map/places/{ids['place']}/exit/",
        {
            "exit_score": "200",
            "exit_measured_on-day": "1",
            "exit_measured_on-month": "10",
            "exit_measured_on-year": "2025",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter a score between 40 and 160" in body and 'value="200"' in body
    response = client.post(
        f"/provision-map/groups/{ids['group']}/sessions/add/",
        {"held_on-day": "1", "held_on-month": "9", "held_on-year": "2025", "held": "yes"},
    )
    assert "must be on or after 8 September 2025" in response.content.decode()
    response = client.post(
        f"/provision-map/groups/{ids['group']}/sessions/add/",
        {"held_on-day": "2", "held_on-month": "10", "held_on-year": "2025", "held": "no"},
    )
    assert "Enter why the session was missed" in response.content.decode()
    response = client.post(
        f"/provision-map/groups/{ids['group']}/places/add/",
        {
            "child": str(pupil("Morgan").pk),
            "started_on-day": "9",
            "started_on-month": "9",
            "started_on-year": "2025",
        },
    )
    assert "already has a place in this group" in response.content.decode()


def test_a_teacher_reads_the_map_but_sees_only_their_pupils_and_cannot_write(
    teacher: User, client_for: ClientFor, world: World
) -> None:
    ids = _paths(world)
    client = client_for(teacher)
    assert client.get("/provision-map/").status_code == 200
    assert client.get("/provision-map/reports/").status_code == 200
    assert client.get(f"/provision-map/interventions/{ids['intervention']}/").status_code == 200
    assert client.get(f"/provision-map/groups/{ids['group']}/").status_code == 200
    for path, _ in FORM_PAGES:
        assert client.get(path.format(**ids)).status_code == 404


def test_lists_map_and_reports_take_a_constant_number_of_queries(
    senco: User, client_for: ClientFor, world: World
) -> None:
    client = client_for(senco)
    ids = _paths(world)
    pages = [
        "/provision-map/?year=2025",
        "/provision-map/reports/?year=2025",
        "/provision-map/interventions/",
        "/provision-map/scales/",
        f"/provision-map/groups/{ids['group']}/",
        f"/provision-map/interventions/{ids['intervention']}/?year=2025",
        f"/pupils/{pupil('Morgan').pk}/provision/",
    ]

    def counts() -> list[int]:
        found = []
        for path in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200, path
            found.append(len(queries))
        return found

    before = counts()
    group = world["group"]
    for number, name in enumerate(("Bennett", "Fraser", "Nwosu")):
        factories.place(senco, group, pupil(name), START, entry_score=80 + number)
        factories.session(senco, group, date(2025, 10, 1 + number))
        other = factories.intervention(senco, name=f"Extra {number}", area="sensory_and_physical")
        factories.place(senco, factories.group(senco, other, "G", START), pupil("Morgan"), START)
    assert counts() == before


def test_the_csvs_neutralise_formulas_and_are_audited(
    senco: User, client_for: ClientFor, world: World
) -> None:
    factories.intervention(senco, name="=HYPERLINK(1)")
    client = client_for(senco)
    response = client.get("/provision-map/export.csv", YEAR)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Intervention" and "'=HYPERLINK(1)" in {row[0] for row in rows}
    for table in ("patterns-of-need", "provision-by-area-and-wave", "interventions-ranked"):
        response = client.get(f"/provision-map/reports/{table}.csv", YEAR)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK(1)" in response.content.decode()
    events = AuditEvent.objects.filter(action=Action.PROVISION_EXPORTED)
    assert events.count() == 4
    assert events.latest("sequence").detail["filters"] == YEAR
    assert client.get("/provision-map/reports/nothing.csv").status_code == 404


# --- Outsiders ------------------------------------------------------------------------------


@pytest.fixture
def other_school_senco(db) -> User:
    school = Organisation.objects.create(
        name="Hillside Academy", kind=Organisation.Kind.SCHOOL, reference_prefix="HSA"
    )
    return User.objects.create_user(
        "sam@hillside.example", full_name="Sam Hill", organisation=school, role=User.Role.SENCO
    )


@pytest.mark.parametrize("persona", ["other_school_senco", "worker", "parent", "other_parent"])
def test_outsiders_get_a_404_on_every_route(
    persona: str, request: pytest.FixtureRequest, client_for: ClientFor, world: World
) -> None:
    user = request.getfixturevalue(persona)
    ids = _paths(world)
    client = client_for(user)
    own = [
        f"/provision-map/interventions/{ids['intervention']}/",
        f"/provision-map/groups/{ids['group']}/",
        f"/pupils/{pupil('Morgan').pk}/provision/",
        *(path.format(**ids) for path, _ in FORM_PAGES if "{" in path),
    ]
    school_wide = [
        "/provision-map/",
        "/provision-map/export.csv",
        "/provision-map/reports/",
        "/provision-map/reports/patterns-of-need.csv",
        "/provision-map/scales/",
        "/provision-map/scales/add/",
        "/provision-map/interventions/",
        "/provision-map/interventions/add/",
    ]
    events = AuditEvent.objects.count()
    paths = own if persona == "other_school_senco" else own + school_wide
    for path in paths:
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Reading recovery" not in response.content.decode()
    for path, _ in FORM_PAGES:
        if "{" in path or persona != "other_school_senco":
            assert client.post(path.format(**ids), {"name": "x"}).status_code == 404, path
    assert AuditEvent.objects.count() == events
    if persona == "other_school_senco":  # their own school's pages show nothing of Riverside's
        for path in school_wide:
            assert "Reading recovery" not in client.get(path).content.decode(), path


def test_a_teacher_outside_the_pupils_classes_gets_a_404_on_their_provision(
    teacher: User, client_for: ClientFor, world: World
) -> None:
    from caseledger.sen.access import pupils_seen_by_staff

    seen = set(pupils_seen_by_staff(teacher).values_list("pk", flat=True))
    client = client_for(teacher)
    for name in ("Morgan", "Bennett", "Fraser", "Nwosu"):
        child = pupil(name)
        expected = 200 if child.pk in seen else 404
        assert client.get(f"/pupils/{child.pk}/provision/").status_code == expected
    assert len(seen) < 4
    body = client.get(f"/provision-map/groups/{_paths(world)['group']}/").content.decode()
    assert ("Freddie" in body) == (pupil("Morgan").pk in seen)


def test_an_interventions_page_shows_its_impact_worked_out_by_hand(
    senco: User, client_for: ClientFor
) -> None:
    reading = factories.intervention(senco)  # 30 minutes at £20 an hour, £90 a year
    group = factories.group(senco, reading, "G", START)
    freddie = factories.place(senco, group, pupil("Morgan"), START, entry_score=85, target_gain=8)
    isla = services.place_pupil(
        actor=senco,
        group=group,
        child=pupil("Bennett"),
        entry=services.Entry(START, 90, START, target_exit=100),
    )
    factories.session(senco, group, date(2025, 9, 9))
    factories.session(senco, group, date(2025, 9, 10), absent=(isla,))
    factories.session(senco, group, date(2025, 9, 11), held=False, reason="Staff absence")
    services.record_exit(actor=senco, place=freddie, exit_score=95, measured_on=date(2025, 9, 12))
    services.record_exit(actor=senco, place=isla, exit_score=96, measured_on=date(2025, 9, 12))

    body = client_for(senco).get(f"/provision-map/interventions/{reading.id}/", YEAR)
    text = " ".join(body.content.decode().split())
    assert "2 of 3 planned" in text
    assert "3 of 4 (75.0%)" in text  # attendance: four place-sessions held, one absence
    assert "Staff absence: 1" in text
    assert '<td class="govuk-table__cell">Staff absence</td>' in text
    # £10 × 2 sessions + £90 for the year = £110, over two places.
    assert "£110.00 (staff £20.00, other £90.00)" in text
    assert "£55.00" in text
    assert "8 over 2 pupils measured" in text  # gains of 10 and 6: a whole number, as "8"
    assert "1 of 2 (50.0%)" in text  # Isla's 96 is short of her target of 100
    assert "£6.88" in text  # £55 ÷ 8, a half penny up


# --- Correcting a place ---------------------------------------------------------------------


def _place_form(started: date, **values: str) -> dict[str, str]:
    form = {
        "started_on-day": str(started.day),
        "started_on-month": str(started.month),
        "started_on-year": str(started.year),
        "entry_score": "",
        "entry_measured_on-day": "",
        "entry_measured_on-month": "",
        "entry_measured_on-year": "",
        "target_gain": "",
        "target_exit": "",
    }
    form.update(values)
    return form


def test_a_keeper_corrects_a_places_start_entry_measure_and_target(
    senco: User, client_for: ClientFor, world: World
) -> None:
    place = world["place"]
    assert isinstance(place, Place)
    url = f"/provision-map/places/{place.pk}/change/"
    client = client_for(senco)
    page = client.get(url).content.decode()
    # The form starts from the place as it is: 8 September 2025, entry 85, a gain of 8.
    assert 'value="85"' in page and 'value="8"' in page and 'value="2025"' in page
    assert "/change/" in client.get(f"/provision-map/groups/{place.group_id}/").content.decode()

    response = client.post(
        url,
        _place_form(
            date(2025, 9, 9),
            entry_score="82",
            **{
                "entry_measured_on-day": "9",
                "entry_measured_on-month": "9",
                "entry_measured_on-year": "2025",
            },
            target_exit="95",
        ),
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert (place.started_on, place.entry_score, place.entry_measured_on) == (
        date(2025, 9, 9),
        82,
        date(2025, 9, 9),
    )
    assert (place.target_gain, place.target_exit) == (None, 95)
    event = AuditEvent.objects.filter(action=Action.PLACE_CHANGED).latest("sequence")
    assert event.actor == senco and event.object_id == str(place.pk)
    assert event.changes == {
        "started_on": {"old": "2025-09-08", "new": "2025-09-09"},
        "entry_score": {"old": 85, "new": 82},
        "entry_measured_on": {"old": "2025-09-08", "new": "2025-09-09"},
        "target_gain": {"old": 8, "new": None},
        "target_exit": {"old": None, "new": 95},
    }
    # The map follows the corrected figures.
    body = client.get(f"/provision-map/interventions/{place.group.intervention_id}/?year=2025")
    assert body.status_code == 200


@pytest.mark.parametrize(
    ("values", "message", "kept"),
    [
        ({"entry_score": "300"}, "Enter a score between 40 and 160", 'value="300"'),
        (
            {"target_gain": "5", "target_exit": "99"},
            "Enter a target gain or a target exit score, not both",
            'value="99"',
        ),
        (
            {"started_on-day": "1", "started_on-month": "8"},
            "The place must start on or after 8 September 2025, when the group started",
            'value="8"',
        ),
        (
            {"started_on-day": "11"},
            "is recorded as absent on 10 September 2025: the place must start on or before then",
            'value="11"',
        ),
        ({"started_on-day": "x"}, "Date the place started must be a real date", 'value="x"'),
        ({}, "The place already has these details", 'value="85"'),
    ],
)
def test_a_broken_rule_on_a_places_correction_keeps_what_was_typed(
    values: dict[str, str],
    message: str,
    kept: str,
    senco: User,
    client_for: ClientFor,
    world: World,
) -> None:
    place = world["place"]
    assert isinstance(place, Place)
    factories.session(senco, place.group, date(2025, 9, 10), absent=(place,))
    form = _place_form(
        START,
        entry_score="85",
        target_gain="8",
        **{
            "entry_measured_on-day": "8",
            "entry_measured_on-month": "9",
            "entry_measured_on-year": "2025",
        },
    )
    form.update(values)
    client = client_for(senco)  # signing in is audited
    events = AuditEvent.objects.count()
    response = client.post(f"/provision-map/places/{place.pk}/change/", form)
    body = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in body and message in body and kept in body
    assert AuditEvent.objects.count() == events
    place.refresh_from_db()
    assert (place.started_on, place.entry_score, place.target_gain) == (START, 85, 8)


def test_a_correction_cannot_overlap_the_pupils_other_place_in_the_group(
    senco: User, world: World
) -> None:
    place, group = world["place"], world["group"]
    assert isinstance(place, Place)
    services.end_place(actor=senco, place=place, ended_on=date(2025, 9, 30))
    later = factories.place(senco, group, pupil("Morgan"), date(2025, 10, 6))
    with pytest.raises(DomainError, match="has another place in this group") as error:
        services.change_place(
            actor=senco, place=later, entry=services.Entry(date(2025, 9, 29), None, None)
        )
    assert error.value.field == "started_on"
    with pytest.raises(DomainError, match="on or before 30 September 2025, when it ended"):
        services.change_place(
            actor=senco, place=place, entry=services.Entry(date(2025, 10, 1), None, None)
        )
    changed = services.change_place(
        actor=senco, place=later, entry=services.Entry(date(2025, 10, 1), None, None)
    )
    assert changed.started_on == date(2025, 10, 1)


def test_only_a_keeper_may_correct_a_place(teacher: User, world: World) -> None:
    place = world["place"]
    assert isinstance(place, Place)
    with pytest.raises(NotPermittedError):
        services.change_place(
            actor=teacher, place=place, entry=services.Entry(date(2025, 9, 9), None, None)
        )


# --- Review fixes: the session form's pupils, ending a place, Back, gains, the Code --------


def _session_form(on: date, **values: object) -> dict[str, object]:
    form: dict[str, object] = {
        "held_on-day": str(on.day),
        "held_on-month": str(on.month),
        "held_on-year": str(on.year),
    }
    form.update(values)
    return form


def test_the_session_form_offers_the_places_open_on_the_sessions_date(
    senco: User, client_for: ClientFor
) -> None:
    group = factories.group(senco, factories.intervention(senco), "G", START)
    freddie = factories.place(senco, group, pupil("Morgan"), START)
    services.end_place(actor=senco, place=freddie, ended_on=date(2025, 9, 20))
    leo = factories.place(senco, group, pupil("Fraser"), START)
    isla = factories.place(senco, group, pupil("Bennett"), date(2025, 10, 1))
    url = f"/provision-map/groups/{group.id}/sessions/add/"
    client = client_for(senco)

    # Before a date is given: the places open today (Freddie's ended in September).
    page = client.get(url).content.decode()
    today = timezone.localdate()
    assert str(leo.pk) in page and str(isla.pk) in page and str(freddie.pk) not in page
    assert f"with a place in the group on {today.day} {today:%B %Y}" in page
    assert f'name="offered_on" value="{today.isoformat()}"' in page

    # Re-rendered for an error: the places open on the date posted, Isla's not yet begun.
    response = client.post(url, _session_form(date(2025, 9, 15), offered_on=today.isoformat()))
    page = response.content.decode()
    assert response.status_code == 400 and "Select whether the session was held" in page
    assert str(freddie.pk) in page and str(leo.pk) in page and str(isla.pk) not in page
    assert "with a place in the group on 15 September 2025" in page
    assert 'name="offered_on" value="2025-09-15"' in page

    # Held on a day Freddie had a place, but the page showed today's pupils: not saved until
    # Freddie has been offered as absent.
    response = client.post(
        url, _session_form(date(2025, 9, 15), held="yes", offered_on=today.isoformat())
    )
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page
    assert "Select the pupils absent on 15 September 2025, if any" in page
    assert str(freddie.pk) in page
    assert not DeliverySession.objects.filter(group=group).exists()

    # A pupil with no place that day is refused by the form, not offered.
    response = client.post(
        url,
        _session_form(date(2025, 9, 15), held="yes", offered_on="2025-09-15", absent=[isla.pk]),
    )
    assert response.status_code == 400
    assert "Select pupils who had a place in the group that day" in response.content.decode()

    response = client.post(
        url,
        _session_form(date(2025, 9, 15), held="yes", offered_on="2025-09-15", absent=[freddie.pk]),
    )
    assert response.status_code == 302
    session = DeliverySession.objects.get(group=group)
    assert [absence.place_id for absence in session.absences.all()] == [freddie.pk]


def test_the_session_form_of_an_ended_group_offers_its_last_days_places(
    senco: User, client_for: ClientFor
) -> None:
    group = factories.group(senco, factories.intervention(senco), "G", START)
    freddie = factories.place(senco, group, pupil("Morgan"), START)
    leo = factories.place(senco, group, pupil("Fraser"), START)
    services.end_place(actor=senco, place=leo, ended_on=date(2025, 9, 20))
    services.end_group(actor=senco, group=group, ended_on=date(2025, 10, 3))
    page = client_for(senco).get(f"/provision-map/groups/{group.id}/sessions/add/")
    text = page.content.decode()
    assert str(freddie.pk) in text and str(leo.pk) not in text
    assert "with a place in the group on 3 October 2025" in text


@pytest.mark.parametrize(
    ("ended", "message"),
    [
        (date(2025, 9, 9), "is recorded as absent on 10 September 2025: the place must end"),
        (date(2025, 9, 30), "The exit measure was taken on 1 October 2025: the place must end"),
    ],
)
def test_a_place_cannot_end_before_its_absences_or_exit_measure(
    ended: date,
    message: str,
    senco: User,
    client_for: ClientFor,
    world: World,
) -> None:
    place = world["place"]
    assert isinstance(place, Place)
    factories.session(senco, place.group, date(2025, 9, 10), absent=(place,))
    services.record_exit(actor=senco, place=place, exit_score=95, measured_on=date(2025, 10, 1))
    client = client_for(senco)  # signing in is audited
    events = AuditEvent.objects.count()
    response = client.post(
        f"/provision-map/places/{place.pk}/end/",
        {
            "ended_on-day": str(ended.day),
            "ended_on-month": str(ended.month),
            "ended_on-year": str(ended.year),
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in body and message in body
    assert f'value="{ended.day}"' in body
    assert AuditEvent.objects.count() == events
    place.refresh_from_db()
    assert place.ended_on is None


def test_a_pupils_provision_page_goes_back_to_the_pupils_page(
    teacher: User, senco: User, client_for: ClientFor
) -> None:
    from caseledger.sen.access import pupils_seen_by_staff

    for user in (senco, teacher):
        client = client_for(user)
        seen = list(pupils_seen_by_staff(user))
        assert seen
        for child in seen:
            page = client.get(f"/pupils/{child.pk}/provision/").content.decode()
            back = f'<a href="/pupils/{child.pk}/" class="govuk-back-link">Back</a>'
            assert back in page
            assert client.get(f"/pupils/{child.pk}/").status_code == 200


def _csv_cell(client: Client, path: str, column: str) -> str:
    """The `column` of the Reading recovery row of a CSV export."""
    rows = list(csv.reader(io.StringIO(client.get(path, YEAR).content.decode())))
    (row,) = (row for row in rows[1:] if "Reading recovery" in row)
    return row[rows[0].index(column)]


def test_gains_read_alike_on_every_page(senco: User, client_for: ClientFor) -> None:
    reading = factories.intervention(senco)
    group = factories.group(senco, reading, "G", START)
    freddie = factories.place(senco, group, pupil("Morgan"), START, entry_score=85)
    services.record_exit(actor=senco, place=freddie, exit_score=93, measured_on=date(2025, 10, 1))
    client = client_for(senco)

    def shown(path: str) -> str:
        return " ".join(client.get(path, YEAR).content.decode().split())

    cell = '<td class="govuk-table__cell govuk-table__cell--numeric">8</td>'
    assert cell in shown(f"/pupils/{pupil('Morgan').pk}/provision/")
    assert "8 over 1 pupil measured" in shown(f"/provision-map/interventions/{reading.id}/")
    assert cell in shown("/provision-map/")
    assert "8.0" not in shown("/provision-map/")

    # Another pupil gains 7: the average of 8 and 7 has a decimal, so shows one place.
    isla = factories.place(senco, group, pupil("Bennett"), START, entry_score=90)
    services.record_exit(actor=senco, place=isla, exit_score=97, measured_on=date(2025, 10, 1))
    assert "7.5 over 2 pupils measured" in shown(f"/provision-map/interventions/{reading.id}/")
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">7.5</td>' in shown(
        "/provision-map/"
    )
    assert _csv_cell(client, "/provision-map/export.csv", "Average gain") == "7.5"


def test_a_zero_average_gain_is_shown_as_zero_not_left_blank(
    senco: User, client_for: ClientFor
) -> None:
    reading = factories.intervention(senco)
    group = factories.group(senco, reading, "G", START)
    freddie = factories.place(senco, group, pupil("Morgan"), START, entry_score=85)
    factories.session(senco, group, date(2025, 9, 9))  # a cost, so the gain per £100 is worked out
    services.record_exit(actor=senco, place=freddie, exit_score=85, measured_on=date(2025, 10, 1))
    client = client_for(senco)
    assert _csv_cell(client, "/provision-map/export.csv", "Average gain") == "0"
    ranked = "/provision-map/reports/interventions-ranked.csv"
    assert _csv_cell(client, ranked, "Average gain") == "0"
    assert _csv_cell(client, ranked, "Gain per £100") == "0.00"


def test_the_provision_map_cites_the_codes_paragraph_on_provision_maps(
    senco: User, client_for: ClientFor
) -> None:
    """SEND Code of Practice 2015, 6.76: "Provision maps are an efficient way of showing all
    the provision that the school makes which is additional to and different from that which
    is offered through the school's curriculum" (6.72–6.73 are on recording SEN support)."""
    client = client_for(senco)
    for path in ("/provision-map/", "/provision-map/interventions/add/"):
        page = client.get(path).content.decode()
        assert "Code of Practice" in page and "6.76" in page, path
        assert "6.72" not in page and "6.73" not in page and "6.52" not in page, path
