"""The CSVs of an intervention's tables and of a pupil's provision: the rows the page shows,
worked out by hand; the same access as the page; audited; safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caseledger.accounts.models import Organisation, User
from caseledger.audit.models import Action, AuditEvent
from caseledger.provision import services, views
from caseledger.provision.models import Intervention, Place
from caseledger.provision.tests import factories
from caseledger.sen.access import pupils_seen_by_staff
from caseledger.sen.tests.factories import pupil

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
START = date(2025, 9, 8)
YEAR = {"year": "2025"}

PUPILS_HEADER = [
    "Pupil",
    "Group",
    "Place started",
    "Place ended",
    "Sessions planned",
    "Sessions held",
    "Sessions attended",
    "Cost (£)",
    "Entry score",
    "Exit score",
    "Gain",
    "Target",
    "Target met",
]


def _rows(response: HttpResponseBase) -> list[list[str]]:
    assert isinstance(response, HttpResponse)
    return list(csv.reader(io.StringIO(response.content.decode())))


def _text(response: HttpResponseBase) -> str:
    assert isinstance(response, HttpResponse)
    return " ".join(response.content.decode().split())


@pytest.fixture
def reading(senco: User) -> Intervention:
    """Two places in a group of a 30-minute, £20-an-hour, £90-a-year intervention: Freddie
    (85 to 95, target a gain of 8) at every session, Isla (90 to 96, target an exit of 100)
    absent from one; two sessions held and one missed for staff absence."""
    reading = factories.intervention(senco)
    group = factories.group(senco, reading, "Monday group", START)
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
    return reading


def _export(intervention: Intervention, table: str) -> str:
    return f"/provision-map/interventions/{intervention.pk}/{table}.csv"


def test_an_interventions_pupils_and_missed_sessions_worked_out_by_hand(
    senco: User, client_for: ClientFor, reading: Intervention
) -> None:
    client = client_for(senco)
    page = _text(client.get(f"/provision-map/interventions/{reading.pk}/", YEAR))
    # Each place: £10 a session (30 minutes at £20) shared by the two places on the day, so
    # £5 × 2 sessions, and the year's £90 shared by the two places: £55.00 each.
    assert "Isla Bennett" in page and "Freddie Morgan" in page
    assert page.index("Isla Bennett") < page.index("Freddie Morgan")  # by pupil's last name
    assert "1 of 2 held (3 planned)" in page and "2 of 2 held (3 planned)" in page
    assert '<strong class="govuk-tag govuk-tag--green">Met</strong>' in page  # 10 ≥ 8
    assert '<strong class="govuk-tag govuk-tag--orange">Not met</strong>' in page  # 96 < 100
    assert '<td class="govuk-table__cell">Staff absence</td>' in page
    assert "Staff absence: 1" in page  # in the impact's summary, too
    assert "Download the pupils table (CSV)" in page
    assert "Download the sessions missed table (CSV)" in page
    assert f'href="{_export(reading, "pupils")}?year=2025"' in page

    response = client.get(_export(reading, "pupils"), YEAR)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert _rows(response) == [
        PUPILS_HEADER,
        [
            "Isla Bennett",
            "Monday group",
            "2025-09-08",
            "",
            "3",
            "2",
            "1",
            "55.00",
            "90",
            "96",
            "6",
            "Exit score 100",
            "Not met",
        ],
        [
            "Freddie Morgan",
            "Monday group",
            "2025-09-08",
            "",
            "3",
            "2",
            "2",
            "55.00",
            "85",
            "95",
            "10",
            "Gain of 8",
            "Met",
        ],
    ]
    assert response["Cache-Control"].startswith("no-store")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="intervention-pupils-')
    for name in ("Morgan", "Freddie", "Bennett", "Isla", "Reading"):
        assert name not in disposition

    response = client.get(_export(reading, "sessions-missed"), YEAR)
    assert _rows(response) == [["Reason", "Sessions missed"], ["Staff absence", "1"]]
    assert 'filename="intervention-sessions-missed-' in response["Content-Disposition"]
    assert response["Cache-Control"].startswith("no-store")

    # Every year: the same, as nothing was logged in another.
    every = {"year": "all"}
    assert _rows(client.get(_export(reading, "pupils"), every)) == _rows(
        client.get(_export(reading, "pupils"), YEAR)
    )
    assert _rows(client.get(_export(reading, "sessions-missed"), every))[1:] == [
        ["Staff absence", "1"]
    ]


def test_the_exports_are_audited_with_what_was_asked_for(
    senco: User, client_for: ClientFor, reading: Intervention
) -> None:
    client = client_for(senco)
    events = AuditEvent.objects.filter(action=Action.PROVISION_EXPORTED)
    client.get(_export(reading, "pupils"), YEAR)
    event = events.latest("sequence")
    assert event.actor == senco and event.organisation == senco.organisation
    assert (event.object_type, event.object_id) == ("provision.intervention", str(reading.pk))
    assert event.detail == {"table": "intervention-pupils", "filters": YEAR, "rows": 2}
    client.get(_export(reading, "sessions-missed"), {"year": "all"})
    assert events.latest("sequence").detail == {
        "table": "intervention-sessions-missed",
        "filters": {"year": "all"},
        "rows": 1,
    }
    freddie = pupil("Morgan")
    client.get(f"/pupils/{freddie.pk}/provision/export.csv")
    event = events.latest("sequence")
    assert (event.object_type, event.object_id) == ("people.child", str(freddie.pk))
    places = Place.objects.filter(child=freddie).count()  # the demo's and this test's
    assert event.detail == {"table": "pupil-provision", "filters": {}, "rows": places}
    assert events.count() == 3
    # Reading the pages is not an export.
    client.get(f"/provision-map/interventions/{reading.pk}/")
    client.get(f"/pupils/{freddie.pk}/provision/")
    assert events.count() == 3


def test_a_pupils_provision_worked_out_by_hand(
    senco: User, client_for: ClientFor, reading: Intervention
) -> None:
    """Freddie also has a place, not yet measured, in a group that met once with him alone."""
    maths = factories.intervention(senco, name="Number sense", other_costs_per_year=0)
    group = factories.group(senco, maths, "Friday group", date(2025, 10, 3))
    factories.place(senco, group, pupil("Morgan"), date(2025, 10, 3), entry_score=70)
    factories.session(senco, group, date(2025, 10, 3))
    client = client_for(senco)
    freddie = pupil("Morgan")
    page = _text(client.get(f"/pupils/{freddie.pk}/provision/"))
    assert "Download this table (CSV)" in page and "Not yet measured" in page
    response = client.get(f"/pupils/{freddie.pk}/provision/export.csv")
    assert response.status_code == 200 and response["Cache-Control"].startswith("no-store")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="pupil-provision-')
    assert "Morgan" not in disposition and "Freddie" not in disposition
    rows = _rows(response)
    assert len(rows) == 1 + Place.objects.filter(child=freddie).count()
    # The demo gives Freddie a place from August 2026: the oldest places are this test's.
    assert rows[:3] == [
        ["Pupil", "Intervention", "Group", "Scale", *PUPILS_HEADER[2:]],
        [
            "Freddie Morgan",
            "Reading recovery",
            "Monday group",
            "Scale for Reading recovery",
            "2025-09-08",
            "",
            "3",
            "2",
            "2",
            "55.00",
            "85",
            "95",
            "10",
            "Gain of 8",
            "Met",
        ],
        # One £10 session with no one else there, and no other costs.
        [
            "Freddie Morgan",
            "Number sense",
            "Friday group",
            "Scale for Number sense",
            "2025-10-03",
            "",
            "1",
            "1",
            "1",
            "10.00",
            "70",
            "",
            "",
            "",
            "Not yet measured",
        ],
    ]


def test_a_measured_place_without_a_target_says_so(senco: User, client_for: ClientFor) -> None:
    reading = factories.intervention(senco)
    group = factories.group(senco, reading, "G", START)
    leo = factories.place(senco, group, pupil("Fraser"), START, entry_score=80)
    services.record_exit(actor=senco, place=leo, exit_score=80, measured_on=date(2025, 10, 1))
    client = client_for(senco)
    (row,) = _rows(client.get(_export(reading, "pupils"), YEAR))[1:]
    assert (row[-3], row[-2], row[-1]) == ("0", "", "No target")
    assert ">No target</td>" in _text(client.get(f"/pupils/{pupil('Fraser').pk}/provision/"))


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(
    senco: User, client_for: ClientFor
) -> None:
    risky = factories.intervention(senco, name="=HYPERLINK(1)")
    group = factories.group(senco, risky, "+SUM(A1)", START)
    factories.place(senco, group, pupil("Morgan"), START)
    factories.session(senco, group, date(2025, 9, 9), held=False, reason="@cmd")
    client = client_for(senco)
    text = client.get(_export(risky, "pupils"), YEAR).content.decode()
    assert "'+SUM(A1)" in text and "\n+SUM" not in text and ",+SUM" not in text
    text = client.get(_export(risky, "sessions-missed"), YEAR).content.decode()
    assert "'@cmd" in text and ",@cmd" not in text and "\n@cmd" not in text
    text = client.get(f"/pupils/{pupil('Morgan').pk}/provision/export.csv").content.decode()
    assert "'=HYPERLINK(1)" in text and ",=HYPERLINK" not in text
    assert "'+SUM(A1)" in text


def test_a_teacher_gets_only_their_classes_pupils_on_the_page_and_in_the_csv(
    teacher: User, client_for: ClientFor, reading: Intervention
) -> None:
    seen = set(pupils_seen_by_staff(teacher).values_list("pk", flat=True))
    assert pupil("Morgan").pk in seen and pupil("Bennett").pk not in seen
    client = client_for(teacher)
    page = _text(client.get(f"/provision-map/interventions/{reading.pk}/", YEAR))
    assert "Freddie Morgan" in page and "Isla Bennett" not in page
    assert "1 other place belongs to pupils not in your classes" in page
    rows = _rows(client.get(_export(reading, "pupils"), YEAR))
    assert [row[0] for row in rows[1:]] == ["Freddie Morgan"]
    assert (
        AuditEvent.objects.filter(action=Action.PROVISION_EXPORTED)
        .latest("sequence")
        .detail["rows"]
        == 1
    )
    # Sessions missed are the group's, not any pupil's: the teacher sees them all.
    assert _rows(client.get(_export(reading, "sessions-missed"), YEAR))[1:] == [
        ["Staff absence", "1"]
    ]
    for name in ("Morgan", "Bennett", "Fraser", "Nwosu"):
        child = pupil(name)
        response = client.get(f"/pupils/{child.pk}/provision/export.csv")
        assert response.status_code == (200 if child.pk in seen else 404), name


@pytest.fixture
def other_school_senco(db: None) -> User:
    school = Organisation.objects.create(
        name="Hillside Academy", kind=Organisation.Kind.SCHOOL, reference_prefix="HSA"
    )
    return User.objects.create_user(
        "sam@hillside.example", full_name="Sam Hill", organisation=school, role=User.Role.SENCO
    )


@pytest.mark.parametrize("persona", ["other_school_senco", "worker", "parent", "other_parent"])
def test_outsiders_get_a_404_on_every_export(
    persona: str,
    request: pytest.FixtureRequest,
    client_for: ClientFor,
    reading: Intervention,
) -> None:
    client = client_for(request.getfixturevalue(persona))
    events = AuditEvent.objects.count()
    for path in (
        _export(reading, "pupils"),
        _export(reading, "sessions-missed"),
        _export(reading, "nothing"),
        f"/pupils/{pupil('Morgan').pk}/provision/export.csv",
    ):
        response = client.get(path, YEAR)
        assert response.status_code == 404, path
        assert "Freddie" not in response.content.decode()
    assert AuditEvent.objects.count() == events


def test_an_unknown_table_is_a_404_and_not_audited(
    senco: User, client_for: ClientFor, reading: Intervention
) -> None:
    client = client_for(senco)
    events = AuditEvent.objects.count()
    assert client.get(_export(reading, "nothing")).status_code == 404
    assert client.post(_export(reading, "pupils")).status_code == 405
    assert AuditEvent.objects.count() == events


def test_the_pupils_table_is_paged_and_the_csv_has_every_row(
    senco: User, client_for: ClientFor, reading: Intervention, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PER_PAGE", 1)
    client = client_for(senco)
    path = f"/provision-map/interventions/{reading.pk}/"
    first = _text(client.get(path, YEAR))
    assert "Isla Bennett" in first and "Freddie Morgan" not in first
    assert 'href="?year=2025&amp;page=2"' in first
    second = _text(client.get(path, {**YEAR, "page": "2"}))
    assert "Freddie Morgan" in second and "Isla Bennett" not in second
    assert len(_rows(client.get(_export(reading, "pupils"), YEAR))) == 3


def test_the_page_and_exports_take_a_constant_number_of_queries(
    senco: User, client_for: ClientFor, reading: Intervention
) -> None:
    client = client_for(senco)
    freddie = pupil("Morgan")
    paths = [
        f"/provision-map/interventions/{reading.pk}/?year=2025",
        f"{_export(reading, 'pupils')}?year=2025",
        f"{_export(reading, 'sessions-missed')}?year=2025",
        f"/pupils/{freddie.pk}/provision/export.csv",
    ]

    def counts() -> list[int]:
        found = []
        for path in paths:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200, path
            found.append(len(queries))
        return found

    before = counts()
    places = len(_rows(client.get(paths[3])))
    group = reading.groups.get()
    for number, name in enumerate(("Fraser", "Nwosu")):
        factories.place(senco, group, pupil(name), START, entry_score=80 + number)
        factories.session(senco, group, date(2025, 10, 1 + number))
        factories.session(senco, group, date(2025, 11, 3 + number), held=False, reason=name)
        other = factories.intervention(senco, name=f"Extra {number}")
        factories.place(senco, factories.group(senco, other, "G", START), freddie, START)
    assert len(_rows(client.get(paths[1]))) == 5
    assert len(_rows(client.get(paths[3]))) == places + 2
    assert counts() == before
