from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.domain.sen.year_groups import year_group
from caseledger.sen.models import RegisterStatus
from caseledger.sen.services import Needs
from caseledger.sen.tests import factories

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
REGISTER = "/sen-register/"


def test_the_register_lists_pupils_on_it_with_their_needs(
    senco: User, client_for: ClientFor
) -> None:
    body = client_for(senco).get(REGISTER).content.decode()
    for name in ("Freddie Morgan", "Isla Bennett", "Leo Fraser"):
        assert name in body
    assert "Amara Nwosu" not in body  # removed
    assert ">SLCN<" in body and "3 pupils" in body


def test_the_register_filters_and_sorts(senco: User, client_for: ClientFor) -> None:
    client = client_for(senco)
    body = client.get(REGISTER, {"need": "SLCN"}).content.decode()
    assert "Freddie Morgan" in body and "Leo Fraser" in body  # primary or secondary
    assert "Isla Bennett" not in body
    body = client.get(REGISTER, {"status": "removed"}).content.decode()
    assert "Amara Nwosu" in body and "Isla Bennett" not in body
    body = client.get(REGISTER, {"provision": "E"}).content.decode()
    assert "There are no pupils on the register that match these filters" in body
    year = factories.entry_of("Fraser").child.date_of_birth
    group = year_group(year, timezone.localdate())
    body = client.get(REGISTER, {"year_group": str(group)}).content.decode()
    assert "Leo Fraser" in body and "Isla Bennett" not in body
    body = client.get(REGISTER, {"sort": "year"}).content.decode()
    # Leo (6) is in a lower year than Freddie (8), who is below Isla (9).
    assert body.index("Leo Fraser") < body.index("Freddie Morgan") < body.index("Isla Bennett")


def test_the_register_takes_a_constant_number_of_queries(
    senco: User, client_for: ClientFor
) -> None:
    client = client_for(senco)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(REGISTER).status_code == 200
        return len(queries)

    before = count()
    for number in range(5):
        factories.put_on_register(senco, factories.make_pupil(senco, f"Extra{number}"))
    assert count() == before


def test_the_csv_lists_the_register_with_formulas_neutralised(
    senco: User, client_for: ClientFor
) -> None:
    factories.put_on_register(senco, factories.make_pupil(senco, "=HYPERLINK(1)"))
    response = client_for(senco).get("/sen-register/export.csv", {"need": "SPLD"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Surname", "Forenames", "Date of birth"]
    surnames = {row[0] for row in rows[1:]}
    assert surnames == {"Bennett", "'=HYPERLINK(1)"}
    bennett = next(row for row in rows if row[0] == "Bennett")
    assert bennett[5:8] == ["SEN support", "SpLD", ""]
    event = AuditEvent.objects.filter(action=Action.SEN_REGISTER_EXPORTED).latest("sequence")
    assert event.detail["filters"] == {"need": "SPLD"} and event.detail["rows"] == 2


def test_the_senco_adds_a_pupil(senco: User, client_for: ClientFor) -> None:
    child = factories.pupil("Nwosu")
    started = timezone.localdate() - timedelta(days=2)
    response = client_for(senco).post(
        "/sen-register/add/",
        {
            "child": str(child.pk),
            "provision": "K",
            "primary_need": "MLD",
            "secondary_need": "",
            "started_on-day": started.day,
            "started_on-month": started.month,
            "started_on-year": started.year,
            "reason": "",
        },
    )
    entry = factories.entry_of("Nwosu")
    assert response.status_code == 302
    assert response["Location"] == reverse("sen:entry-detail", kwargs={"entry_id": entry.id})
    assert entry.status == RegisterStatus.ON_REGISTER and entry.started_on == started


def test_an_add_with_a_broken_rule_shows_the_error_and_keeps_the_input(
    senco: User, client_for: ClientFor
) -> None:
    child = factories.pupil("Nwosu")
    response = client_for(senco).post(
        "/sen-register/add/",
        {
            "child": str(child.pk),
            "provision": "K",
            "primary_need": "MLD",
            "secondary_need": "MLD",
            "started_on-day": "1",
            "started_on-month": "2",
            "started_on-year": "2025",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in body and "<title>Error: " in body
    assert "The secondary need must be different from the primary need" in body
    assert 'value="2025"' in body and f'value="{child.pk}" selected' in body


def test_an_empty_add_says_what_is_missing(senco: User, client_for: ClientFor) -> None:
    body = client_for(senco).post("/sen-register/add/", {"reason": ""}).content.decode()
    for message in (
        "Select the pupil",
        "Select the pupil&#x27;s SEN provision",
        "Enter the date the SEN provision started",
    ):
        assert message in body


def test_the_senco_changes_an_entry_and_sees_its_history(
    senco: User, client_for: ClientFor
) -> None:
    entry = factories.entry_of("Bennett")
    client = client_for(senco)
    response = client.post(
        f"/sen-register/{entry.id}/change/",
        {"provision": "K", "primary_need": "SPLD", "secondary_need": "VI", "reason": "Eye test"},
    )
    assert response.status_code == 302
    body = client.get(f"/sen-register/{entry.id}/").content.decode()
    assert "Secondary need: none to VI" in body and "Eye test" in body
    assert "Added to the register" in body and "Helen Price" in body


def test_a_change_that_changes_nothing_is_an_error(senco: User, client_for: ClientFor) -> None:
    entry = factories.entry_of("Bennett")
    response = client_for(senco).post(
        f"/sen-register/{entry.id}/change/",
        {"provision": "K", "primary_need": "SPLD", "secondary_need": ""},
    )
    assert response.status_code == 400
    assert "Change at least one of the details, or cancel" in response.content.decode()


def test_the_senco_removes_a_pupil_after_confirming(senco: User, client_for: ClientFor) -> None:
    entry = factories.entry_of("Bennett")
    client = client_for(senco)
    url = f"/sen-register/{entry.id}/remove/"
    assert "Remove Isla Bennett from the SEN register?" in client.get(url).content.decode()
    response = client.post(url, {"removed_on-day": "", "reason": "Caught up"})
    assert response.status_code == 400
    assert "Caught up" in response.content.decode()  # kept
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "removed_on-day": today.day,
            "removed_on-month": today.month,
            "removed_on-year": today.year,
            "reason": "Caught up",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == RegisterStatus.REMOVED


def test_a_teacher_reads_but_does_not_keep_the_register_of_their_classes_pupils(
    senco: User, teacher: User, client_for: ClientFor
) -> None:
    # The demo's Tom Barnes teaches Oak class: Freddie Morgan and Leo Fraser.
    entry = factories.entry_of("Fraser")
    client = client_for(teacher)
    body = client.get(REGISTER).content.decode()
    assert "Leo Fraser" in body and "Freddie Morgan" in body and "2 pupils" in body
    assert "Add a pupil to the register" not in body
    assert "Isla Bennett" not in body  # in Willow class, which Tom does not teach
    assert client.get(f"/sen-register/{entry.id}/").status_code == 200
    for path in ("/sen-register/add/", f"/sen-register/{entry.id}/change/"):
        assert client.get(path).status_code == 404


def test_a_teacher_gets_a_404_on_the_entry_of_a_pupil_outside_their_classes(
    senco: User, teacher: User, client_for: ClientFor
) -> None:
    # Tom teaches Oak class (Freddie and Leo); Isla is in Willow class.
    bennett = factories.entry_of("Bennett")
    client = client_for(teacher)
    response = client.get(f"/sen-register/{bennett.id}/")
    assert response.status_code == 404
    assert "Bennett" not in response.content.decode()
    export = client.get("/sen-register/export.csv").content.decode()
    assert "Fraser" in export and "Bennett" not in export


def test_the_entry_page_links_to_the_pupils_page(senco: User, client_for: ClientFor) -> None:
    entry = factories.entry_of("Bennett")
    body = client_for(senco).get(f"/sen-register/{entry.id}/").content.decode()
    assert reverse("sen:pupil", kwargs={"child_id": entry.child_id}) in body


def test_the_menu_shows_the_register_to_school_staff_only(
    senco: User, worker: User, client_for: ClientFor
) -> None:
    assert "SEN register" in client_for(senco).get("/").content.decode()
    assert "SEN register" not in client_for(worker).get("/").content.decode()


# --- Outsiders ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["worker", "org_admin", "parent", "advocate"])
def test_outsiders_get_a_404_on_every_route(
    persona: str, request: pytest.FixtureRequest, client_for: ClientFor
) -> None:
    user = request.getfixturevalue("other_school_senco" if persona == "other_school" else persona)
    entry = factories.entry_of("Bennett")
    client = client_for(user)
    gets = [
        REGISTER,
        "/sen-register/export.csv",
        "/sen-register/add/",
        f"/sen-register/{entry.id}/",
        f"/sen-register/{entry.id}/change/",
        f"/sen-register/{entry.id}/remove/",
    ]
    events = AuditEvent.objects.count()
    for path in gets:
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Bennett" not in response.content.decode()
    for path in (gets[2], gets[4], gets[5]):  # the pages with a form
        assert client.post(path, {"reason": "x"}).status_code == 404, path
    assert AuditEvent.objects.count() == events
    entry.refresh_from_db()
    assert entry.is_on_register


def test_another_schools_senco_sees_only_their_own_register(
    other_school_senco: User, client_for: ClientFor
) -> None:
    factories.put_on_register(
        other_school_senco, factories.make_pupil(other_school_senco, "Hillpupil"), Needs("K", "HI")
    )
    client = client_for(other_school_senco)
    body = client.get(REGISTER).content.decode()
    assert "Hillpupil" in body and "Bennett" not in body
    assert "Bennett" not in client.get("/sen-register/export.csv").content.decode()
    assert "Bennett" not in client.get("/sen-register/add/").content.decode()
    entry = factories.entry_of("Bennett")
    for path in ("", "change/", "remove/"):
        response = client.get(f"/sen-register/{entry.id}/{path}")
        assert response.status_code == 404
        assert "Bennett" not in response.content.decode()
    response = client.post(f"/sen-register/{entry.id}/remove/", {"reason": "x"})
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.is_on_register
