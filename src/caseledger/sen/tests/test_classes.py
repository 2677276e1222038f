"""A school's classes: the SENCO sets them up, every change is audited, and a teacher sees the
SEN records of their classes' pupils and no one else's."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.domain.sen.year_groups import year_group
from caseledger.sen import classes
from caseledger.sen.access import pupils_seen_by_staff
from caseledger.sen.models import SchoolClass
from caseledger.sen.tests import factories

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
CLASSES = "/classes/"
# What a browser sends for a form left empty: the CSRF token and nothing else.
BLANK_FORM = {"csrfmiddlewaretoken": "x"}


def _table_rows(body: str) -> list[list[str]]:
    """The text of each cell of each row of the page's table body, tags stripped."""
    table_body = body.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r'<td class="govuk-table__cell[^"]*">(.*?)</td>', row, re.S)
        ]
        for row in table_body.split("</tr>")
        if "<td" in row
    ]


# --- Services ------------------------------------------------------------------------------


def test_the_senco_adds_a_class_and_its_teacher_sees_its_pupils(
    senco: User, new_teacher: User
) -> None:
    bennett, fraser = factories.pupil("Bennett"), factories.pupil("Fraser")
    assert not pupils_seen_by_staff(new_teacher).exists()
    school_class = classes.add_school_class(
        actor=senco, name="  5B  ", teachers=[new_teacher], pupils=[bennett]
    )
    assert school_class.name == "5B"
    assert list(pupils_seen_by_staff(new_teacher)) == [bennett]
    assert fraser not in pupils_seen_by_staff(new_teacher)
    event = AuditEvent.objects.filter(action=Action.SCHOOL_CLASS_ADDED).latest("sequence")
    assert event.actor == senco and event.object_id == str(school_class.id)
    assert event.detail["changes"]["name"] == {"old": None, "new": "5B"}
    assert event.detail["changes"]["teachers"] == {"old": [], "new": [str(new_teacher.id)]}
    assert event.detail["changes"]["pupils"] == {"old": [], "new": [str(bennett.id)]}


def test_changing_a_class_audits_only_what_changed(senco: User, new_teacher: User) -> None:
    bennett, fraser = factories.pupil("Bennett"), factories.pupil("Fraser")
    school_class = factories.school_class(senco, "5B", teachers=[new_teacher], pupils=[bennett])
    classes.change_school_class(
        actor=senco, school_class=school_class, name="5B", teachers=[new_teacher], pupils=[fraser]
    )
    assert list(pupils_seen_by_staff(new_teacher)) == [fraser]
    event = AuditEvent.objects.filter(action=Action.SCHOOL_CLASS_CHANGED).latest("sequence")
    assert event.detail["changes"] == {
        "pupils": {"old": [str(bennett.id)], "new": [str(fraser.id)]}
    }


def test_a_teacher_taken_off_a_class_stops_seeing_its_pupils(senco: User, teacher: User) -> None:
    oak = factories.oak_class()  # Tom's only class
    morgan, fraser = factories.pupil("Morgan"), factories.pupil("Fraser")
    assert set(pupils_seen_by_staff(teacher)) == {morgan, fraser}
    classes.change_school_class(
        actor=senco,
        school_class=oak,
        name="Year 5 Birch",
        teachers=[],
        pupils=list(oak.pupils.all()),
    )
    assert not pupils_seen_by_staff(teacher).exists()
    assert set(oak.pupils.all()) == {morgan, fraser}
    event = AuditEvent.objects.filter(action=Action.SCHOOL_CLASS_CHANGED).latest("sequence")
    assert set(event.detail["changes"]) == {"name", "teachers"}


def test_a_change_that_changes_nothing_is_an_error(senco: User, teacher: User) -> None:
    school_class = factories.school_class(senco, "5B", teachers=[teacher])
    with pytest.raises(DomainError, match="Change at least one of the details"):
        classes.change_school_class(
            actor=senco, school_class=school_class, name="5B", teachers=[teacher], pupils=[]
        )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter the name of the class"),
        ("   ", "Enter the name of the class"),
        ("x" * 101, "The name of the class must be 100 characters or fewer"),
        ("5b", "There is already a class called 5b: enter a different name"),
    ],
)
def test_a_class_needs_a_name_of_its_own(senco: User, name: str, message: str) -> None:
    factories.school_class(senco, "5B")
    with pytest.raises(DomainError) as error:
        classes.add_school_class(actor=senco, name=name, teachers=[], pupils=[])
    assert (error.value.message, error.value.field) == (message, "name")


def test_another_school_may_use_the_same_name(senco: User, other_school_senco: User) -> None:
    factories.school_class(senco, "5B")
    assert factories.school_class(other_school_senco, "5B").name == "5B"


def test_another_schools_senco_may_not_change_a_class(
    senco: User, other_school_senco: User
) -> None:
    school_class = factories.school_class(senco, "5B")
    with pytest.raises(NotPermittedError):
        classes.change_school_class(
            actor=other_school_senco, school_class=school_class, name="6C", teachers=[], pupils=[]
        )


def test_teachers_and_pupils_must_belong_to_the_school(
    senco: User, other_school_senco: User, worker: User, school_admin: User
) -> None:
    outsider_pupil = factories.make_pupil(other_school_senco, "Hillpupil")
    for teachers, pupils, field in (
        ([worker], [], "teachers"),  # a council's social worker
        ([other_school_senco], [], "teachers"),  # another school's staff
        ([school_admin], [], "teachers"),  # an admin keeps records but does not teach
        ([], [outsider_pupil], "pupils"),
    ):
        with pytest.raises(DomainError) as error:
            classes.add_school_class(actor=senco, name="5B", teachers=teachers, pupils=pupils)
        assert error.value.field == field
    assert not SchoolClass.objects.filter(name="5B").exists()


@pytest.mark.parametrize("persona", ["teacher", "head", "worker", "parent"])
def test_only_the_people_who_keep_the_register_set_up_classes(
    persona: str, request: pytest.FixtureRequest, senco: User
) -> None:
    actor = request.getfixturevalue(persona)
    school_class = factories.school_class(senco, "5B")
    events = AuditEvent.objects.count()
    with pytest.raises(NotPermittedError):
        classes.add_school_class(actor=actor, name="6C", teachers=[], pupils=[])
    with pytest.raises(NotPermittedError):
        classes.change_school_class(
            actor=actor, school_class=school_class, name="6C", teachers=[], pupils=[]
        )
    assert AuditEvent.objects.count() == events


def test_an_organisation_admin_sets_up_classes(school_admin: User, teacher: User) -> None:
    school_class = factories.school_class(school_admin, "5B", teachers=[teacher])
    assert list(school_class.teachers.all()) == [teacher]


# --- Pages ---------------------------------------------------------------------------------


def test_the_list_shows_classes_with_teachers_and_pupil_counts(
    senco: User, teacher: User, client_for: ClientFor
) -> None:
    factories.school_class(
        senco,
        "5B",
        teachers=[teacher, senco],
        pupils=[factories.pupil("Bennett"), factories.pupil("Fraser"), factories.pupil("Morgan")],
    )
    factories.school_class(senco, "6C")
    body = client_for(senco).get(CLASSES).content.decode()
    assert "4 classes" in body  # with the demo's Oak and Willow classes
    # Name, teachers (by name) and pupil count of each row, in name order.
    assert [row[:3] for row in _table_rows(body)] == [
        ["5B", "Helen Price, Tom Barnes", "3"],
        ["6C", "None yet", "0"],
        ["Oak class", "Tom Barnes", "2"],
        ["Willow class", "None yet", "2"],
    ]
    assert reverse("sen:class-add") in body


def test_a_teacher_reads_the_list_and_opens_only_their_classes(
    senco: User, teacher: User, client_for: ClientFor
) -> None:
    mine = factories.school_class(senco, "5B", teachers=[teacher])
    other = factories.school_class(senco, "6C")
    willow = SchoolClass.objects.get(name="Willow class")  # the demo's, with no teacher
    client = client_for(teacher)
    body = client.get(CLASSES).content.decode()
    assert "5B" in body and "6C" in body and "Willow class" in body
    assert reverse("sen:class", kwargs={"class_id": mine.id}) in body
    assert reverse("sen:class", kwargs={"class_id": factories.oak_class().id}) in body
    assert reverse("sen:class", kwargs={"class_id": other.id}) not in body
    assert reverse("sen:class", kwargs={"class_id": willow.id}) not in body
    assert "Add a class" not in body and "/change/" not in body
    assert client.get(f"/classes/{mine.id}/").status_code == 200
    assert client.get(f"/classes/{other.id}/").status_code == 404
    for path in ("/classes/add/", f"/classes/{mine.id}/change/"):
        assert client.get(path).status_code == 404
        assert client.post(path, {"name": "Hacked"}).status_code == 404
    mine.refresh_from_db()
    assert mine.name == "5B"


def test_the_list_takes_a_constant_number_of_queries(
    senco: User, teacher: User, client_for: ClientFor
) -> None:
    client = client_for(senco)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(CLASSES).status_code == 200
        return len(queries)

    factories.school_class(senco, "Class 0", teachers=[teacher], pupils=[factories.pupil("Fraser")])
    before = count()
    for number in range(1, 6):
        factories.school_class(
            senco,
            f"Class {number}",
            teachers=[teacher, senco],
            pupils=[factories.make_pupil(senco, f"Extra{number}")],
        )
    assert count() == before


def test_the_list_is_paginated(senco: User, client_for: ClientFor) -> None:
    for number in range(51):
        factories.school_class(senco, f"Class {number:02}")
    client = client_for(senco)
    body = client.get(CLASSES).content.decode()
    # With the demo's Oak and Willow classes, which sort after "Class 50".
    assert "53 classes" in body and "Class 49" in body and "Class 50" not in body
    assert [row[0] for row in _table_rows(client.get(CLASSES, {"page": 2}).content.decode())] == [
        "Class 50",
        "Oak class",
        "Willow class",
    ]


def test_the_class_page_lists_its_pupils_linked_to_their_pages(
    senco: User, teacher: User, client_for: ClientFor
) -> None:
    bennett = factories.pupil("Bennett")
    school_class = factories.school_class(senco, "5B", teachers=[teacher], pupils=[bennett])
    body = client_for(teacher).get(f"/classes/{school_class.id}/").content.decode()
    assert "Isla Bennett" in body and "Tom Barnes" in body and "Leo Fraser" not in body
    assert reverse("sen:pupil", kwargs={"child_id": bennett.id}) in body


def test_the_senco_adds_a_class_through_the_form(
    senco: User, teacher: User, client_for: ClientFor
) -> None:
    bennett = factories.pupil("Bennett")
    client = client_for(senco)
    body = client.get("/classes/add/").content.decode()
    assert "Tom Barnes (Teacher)" in body and "Isla Bennett" in body
    response = client.post(
        "/classes/add/", {"name": "5B", "teachers": [str(teacher.id)], "pupils": [str(bennett.id)]}
    )
    school_class = SchoolClass.objects.get(name="5B")
    assert response.status_code == 302
    assert response["Location"] == reverse("sen:class", kwargs={"class_id": school_class.id})
    assert list(school_class.pupils.all()) == [bennett]


def test_an_empty_add_shows_the_error_summary(senco: User, client_for: ClientFor) -> None:
    response = client_for(senco).post("/classes/add/", BLANK_FORM)
    body = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in body and "<title>Error: " in body
    assert "Enter the name of the class" in body


def test_a_broken_rule_keeps_what_was_typed(
    senco: User, teacher: User, client_for: ClientFor
) -> None:
    factories.school_class(senco, "5B")
    bennett = factories.pupil("Bennett")
    response = client_for(senco).post(
        "/classes/add/", {"name": "5b", "teachers": [str(teacher.id)], "pupils": [str(bennett.id)]}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is already a class called 5b" in body
    assert 'value="5b"' in body
    assert f'value="{teacher.id}" checked' in body and f'value="{bennett.id}" checked' in body


def _hidden_pupil(child_id: object) -> str:
    return f'<input type="hidden" name="pupils" value="{child_id}">'


def _pupil_box(child_id: object) -> str:
    return f'type="checkbox" value="{child_id}"'


def test_the_pupils_are_grouped_by_year_group(senco: User, client_for: ClientFor) -> None:
    today = timezone.localdate()
    fraser, bennett = factories.pupil("Fraser"), factories.pupil("Bennett")
    fraser_year = year_group(fraser.date_of_birth, today)
    assert fraser_year != year_group(bennett.date_of_birth, today)
    body = client_for(senco).get("/classes/add/").content.decode()
    legend = '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">'
    assert f"{legend}Year {fraser_year}" in body
    assert f"{legend}Year {year_group(bennett.date_of_birth, today)}" in body
    # The year group filter is part of the class's own form: no separate (GET) form.
    assert 'method="get"' not in body.split('id="main-content"')[1]
    assert 'name="filter"' in body


def test_showing_a_year_group_keeps_everything_typed_and_saves_nothing(
    senco: User, teacher: User, client_for: ClientFor
) -> None:
    today = timezone.localdate()
    fraser, bennett = factories.pupil("Fraser"), factories.pupil("Bennett")
    fraser_year = year_group(fraser.date_of_birth, today)
    client = client_for(senco)
    classes_before, events = SchoolClass.objects.count(), AuditEvent.objects.count()
    typed = {
        "name": "Year 2 phonics",
        "teachers": [str(teacher.id)],
        "pupils": [str(bennett.id)],
        "year_group": str(fraser_year),
    }
    response = client.post("/classes/add/", {**typed, "filter": "yes"})
    body = response.content.decode()
    assert response.status_code == 200
    assert SchoolClass.objects.count() == classes_before
    assert AuditEvent.objects.count() == events
    # Only the chosen year group's pupils are offered; nothing is an error yet.
    assert _pupil_box(fraser.id) in body and "Freddie Morgan" not in body
    assert "govuk-error-summary" not in body
    # What was typed and ticked is kept, the pupil ticked in another year group as a hidden
    # input, named on the page.
    assert 'value="Year 2 phonics"' in body
    assert f'value="{teacher.id}" checked' in body
    assert _pupil_box(bennett.id) not in body and _hidden_pupil(bennett.id) in body
    assert "Also chosen, in other year groups: Isla Bennett" in body
    assert f'<option value="{fraser_year}" selected>' in body
    # Ticking a pupil on the narrowed page and saving keeps both.
    response = client.post("/classes/add/", {**typed, "pupils": [str(bennett.id), str(fraser.id)]})
    assert response.status_code == 302
    school_class = SchoolClass.objects.get(organisation=senco.organisation, name=typed["name"])
    assert set(school_class.pupils.all()) == {bennett, fraser}
    assert list(school_class.teachers.all()) == [teacher]


def test_showing_a_year_group_of_an_unfinished_form_shows_no_errors(
    senco: User, client_for: ClientFor
) -> None:
    fraser = factories.pupil("Fraser")
    year = str(year_group(fraser.date_of_birth, timezone.localdate()))
    response = client_for(senco).post(
        "/classes/add/", {"name": "", "year_group": year, "filter": "yes"}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" not in response.content.decode()
    # Saving it still refuses the empty name, on the same narrowed page.
    response = client_for(senco).post("/classes/add/", {"name": "", "year_group": year})
    body = response.content.decode()
    assert response.status_code == 400 and "Enter the name of the class" in body
    assert f'<option value="{year}" selected>' in body and "Freddie Morgan" not in body


def test_a_class_keeps_its_pupils_outside_the_year_group_shown(
    senco: User, client_for: ClientFor
) -> None:
    today = timezone.localdate()
    fraser, bennett, morgan = (factories.pupil(name) for name in ("Fraser", "Bennett", "Morgan"))
    fraser_year = year_group(fraser.date_of_birth, today)
    assert fraser_year not in {
        year_group(bennett.date_of_birth, today),
        year_group(morgan.date_of_birth, today),
    }
    school_class = factories.school_class(senco, "5B", pupils=[bennett, morgan])
    url = f"/classes/{school_class.id}/change/"
    client = client_for(senco)
    # The SENCO unticks Freddie, then shows Leo's year group: Freddie stays unticked.
    response = client.post(
        url,
        {"name": "5B", "pupils": [str(bennett.id)], "year_group": str(fraser_year), "filter": "1"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert _hidden_pupil(bennett.id) in body and _hidden_pupil(morgan.id) not in body
    assert "Freddie Morgan" not in body
    school_class.refresh_from_db()
    assert set(school_class.pupils.all()) == {bennett, morgan}  # nothing saved yet
    response = client.post(
        url, {"name": "5B", "pupils": [str(bennett.id), str(fraser.id)], "year_group": ""}
    )
    assert response.status_code == 302
    assert set(school_class.pupils.all()) == {bennett, fraser}


def test_the_senco_changes_a_class_through_the_form(
    senco: User, teacher: User, client_for: ClientFor
) -> None:
    school_class = factories.school_class(senco, "5B", teachers=[teacher])
    client = client_for(senco)
    url = f"/classes/{school_class.id}/change/"
    body = client.get(url).content.decode()
    assert 'value="5B"' in body and f'value="{teacher.id}" checked' in body
    assert client.post(url, {"name": "5B", "teachers": [str(teacher.id)]}).status_code == 400
    response = client.post(url, {"name": "Birch"})
    assert response.status_code == 302
    school_class.refresh_from_db()
    assert school_class.name == "Birch" and not school_class.teachers.exists()


@pytest.mark.parametrize("persona", ["worker", "parent", "advocate"])
def test_outsiders_get_a_404_on_every_class_page(
    persona: str, request: pytest.FixtureRequest, senco: User, client_for: ClientFor
) -> None:
    school_class = factories.school_class(senco, "Riverside 5B")
    client = client_for(request.getfixturevalue(persona))
    for path in (
        CLASSES,
        "/classes/add/",
        f"/classes/{school_class.id}/",
        f"/classes/{school_class.id}/change/",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Riverside 5B" not in response.content.decode()
    events = AuditEvent.objects.count()
    assert client.post("/classes/add/", {"name": "X"}).status_code == 404
    assert client.post(f"/classes/{school_class.id}/change/", {"name": "X"}).status_code == 404
    assert AuditEvent.objects.count() == events


def test_another_schools_senco_sees_only_their_own_classes(
    senco: User, other_school_senco: User, client_for: ClientFor
) -> None:
    factories.school_class(senco, "Riverside 5B")
    factories.school_class(other_school_senco, "Hillside 7H")
    riverside_class = factories.school_class(senco, "Riverside 6C")
    client = client_for(other_school_senco)
    body = client.get(CLASSES).content.decode()
    assert "Hillside 7H" in body and "Riverside 5B" not in body
    assert "Bennett" not in client.get("/classes/add/").content.decode()
    for path in (f"/classes/{riverside_class.id}/", f"/classes/{riverside_class.id}/change/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Riverside 6C" not in response.content.decode()
    response = client.post(f"/classes/{riverside_class.id}/change/", {"name": "Taken"})
    assert response.status_code == 404
    riverside_class.refresh_from_db()
    assert riverside_class.name == "Riverside 6C"


def test_the_head_opens_every_class_but_changes_none(
    senco: User, head: User, client_for: ClientFor
) -> None:
    school_class = factories.school_class(senco, "5B")
    client = client_for(head)
    assert client.get(f"/classes/{school_class.id}/").status_code == 200
    assert client.get(f"/classes/{school_class.id}/change/").status_code == 404


def test_the_menu_shows_classes_to_school_staff(
    teacher: User, worker: User, client_for: ClientFor
) -> None:
    assert ">Classes<" in client_for(teacher).get("/").content.decode()
    assert ">Classes<" not in client_for(worker).get("/").content.decode()
