"""Recording settings: an organisation admin's types of contact, topics and recording limit,
through the services (`configuration.py`) and through the pages (`settings_views.py`).

Priya Shah is Northmoor's organisation admin. The demo has no other admin, so the tests that
need an admin of another organisation make one for Eastvale (`eastvale_admin`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from caseledger.accounts.models import Organisation, User
from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.models import Case
from caseledger.domain.chain import first_break
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.domain.working_days import add_working_days
from caseledger.ledger import configuration, services
from caseledger.ledger.configuration import (
    CONTACT_TYPE_NAME_LENGTH,
    TAG_NAME_LENGTH,
    add_contact_type,
    add_tag,
    change_contact_type,
    change_tag,
    set_recording_limit,
)
from caseledger.ledger.models import ContactType, Entry, Tag
from caseledger.ledger.tests.test_services import audit_chain, chain_of
from caseledger.ledger.timeliness import deadline_for

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]

SETTINGS = "/settings/recording/"
ADD_TYPE = "/settings/recording/contact-types/new/"
ADD_TOPIC = "/settings/recording/topics/new/"
LIMIT = "/settings/recording/limit/"

# Everyone in the demo who is not an admin: a role in each kind of organisation.
NOT_ADMINS = [
    "worker",
    "manager",
    "other_team_manager",
    "outsider",
    "senco",
    "teacher",
    "parent",
    "advocate",
]


# --- Helpers -----------------------------------------------------------------------------------


@pytest.fixture
def northmoor(org_admin: User) -> Organisation:
    assert org_admin.organisation is not None
    return org_admin.organisation


@pytest.fixture
def eastvale_admin(db: None) -> User:
    """An admin of another council: as much a stranger to Northmoor's settings as anyone."""
    return User.objects.create_user(
        "kit.morrow@eastvale.example",
        "caseledger-demo",
        full_name="Kit Morrow",
        organisation=Organisation.objects.get(reference_prefix="EVC"),
        role=User.Role.ORGANISATION_ADMIN,
    )


def type_named(organisation: Organisation, name: str) -> ContactType:
    return ContactType.objects.get(organisation=organisation, name=name)


def tag_named(organisation: Organisation, name: str) -> Tag:
    return Tag.objects.get(organisation=organisation, name=name)


def final_note(
    author: User, case: Case, contact_type: ContactType, tags: tuple[Tag, ...] = ()
) -> Entry:
    draft = services.start_draft(
        actor=author,
        case=case,
        content=services.NoteContent(
            occurred_at=timezone.now() - timedelta(hours=2),
            title="Call with Stacey",
            body="Stacey said the week went well.",
            contact_type=contact_type,
            tags=list(tags),
            # A visit's answers, for a type that asks them.
            visit_statutory=True if contact_type.is_visit else None,
            visit_announcement="announced" if contact_type.is_visit else "",
            children=[services.ChildVisit(case.id, seen=True, alone=True)]
            if contact_type.visit_to_child
            else [],
        ),
    )
    return services.finalise_note(actor=author, draft=draft)[0]


def the_event(action: Action) -> AuditEvent:
    found = AuditEvent.objects.filter(action=action).order_by("-sequence").first()
    assert found is not None, f"no {action} event"
    return found


def settings_writes() -> int:
    """Audit events of every kind this feature writes."""
    return AuditEvent.objects.filter(
        action__in=[
            Action.CONTACT_TYPE_ADDED,
            Action.CONTACT_TYPE_CHANGED,
            Action.TAG_ADDED,
            Action.TAG_CHANGED,
            Action.RECORDING_LIMIT_CHANGED,
        ]
    ).count()


def options_of(body: str, field: str) -> list[str]:
    """The labels of a select's options, or of a group of checkboxes, on a page."""
    if f'<select class="govuk-select" id="id_{field}"' in body:
        select = body.split(f'id="id_{field}"', 1)[1].split("</select>", 1)[0]
        return re.findall(r"<option [^>]*>([^<]*)</option>", select)
    return re.findall(rf'for="id_{field}_\d+">([^<]*)</label>', body)


def change(contact_type: ContactType, **overrides: Any) -> dict[str, Any]:
    """change_contact_type's arguments: the type as it is, with some answers changed."""
    values: dict[str, Any] = {
        name: getattr(contact_type, name) for name in configuration.CONTACT_TYPE_FIELDS
    }
    return {**values, **overrides}


def type_form(**overrides: str) -> dict[str, str]:
    """What a browser posts for a type of contact that is not a visit."""
    data = {"name": "Family group conference", "is_visit": "no", "visit_to_child": "no"}
    data["reopenable"] = "no"
    return {**data, **overrides}


# --- Types of contact: the services ------------------------------------------------------------


def test_an_admin_adds_a_type_of_contact_at_the_end_of_the_list(
    org_admin: User, northmoor: Organisation
) -> None:
    last = configuration.contact_types_of(northmoor).last()
    assert last is not None
    added = add_contact_type(
        actor=org_admin,
        organisation=northmoor,
        name="  Family   group conference ",
        is_visit=False,
        visit_to_child=False,
        reopenable=False,
    )
    assert added.name == "Family group conference"
    assert added.is_active
    assert added.position == last.position + 1
    assert configuration.contact_types_of(northmoor).last() == added
    event = the_event(Action.CONTACT_TYPE_ADDED)
    assert event.actor == org_admin
    assert event.organisation_id == northmoor.id
    assert event.object_id == str(added.id)
    assert event.changes["name"] == {"old": None, "new": "Family group conference"}
    assert event.changes["is_visit"] == {"old": None, "new": False}
    assert first_break(audit_chain()) is None


def test_a_type_of_contact_name_is_unique_in_the_organisation_whatever_its_case(
    org_admin: User, northmoor: Organisation, eastvale_admin: User
) -> None:
    before = ContactType.objects.count()
    with pytest.raises(DomainError) as error:
        add_contact_type(
            actor=org_admin,
            organisation=northmoor,
            name="phone CALL",
            is_visit=False,
            visit_to_child=False,
            reopenable=False,
        )
    assert error.value.field == "name"
    assert error.value.message == "There is already a type of contact called Phone call"
    assert ContactType.objects.count() == before
    # Another organisation's list is its own: Eastvale may have a "Family group conference"
    # when Northmoor has one too.
    for admin in (org_admin, eastvale_admin):
        assert admin.organisation is not None
        add_contact_type(
            actor=admin,
            organisation=admin.organisation,
            name="Family group conference",
            is_visit=False,
            visit_to_child=False,
            reopenable=False,
        )


def test_renaming_to_another_types_name_is_refused_but_a_type_may_change_its_own_case(
    org_admin: User, northmoor: Organisation
) -> None:
    email = type_named(northmoor, "Email")
    with pytest.raises(DomainError, match="There is already a type of contact called Letter"):
        change_contact_type(actor=org_admin, contact_type=email, **change(email, name="LETTER"))
    changed = change_contact_type(
        actor=org_admin, contact_type=email, **change(email, name="EMAIL")
    )
    assert changed.name == "EMAIL"


def test_a_clash_with_an_inactive_type_says_to_offer_it_again(
    org_admin: User, northmoor: Organisation
) -> None:
    letter = type_named(northmoor, "Letter")
    change_contact_type(actor=org_admin, contact_type=letter, **change(letter, is_active=False))
    with pytest.raises(DomainError) as error:
        add_contact_type(
            actor=org_admin,
            organisation=northmoor,
            name="Letter",
            is_visit=False,
            visit_to_child=False,
            reopenable=False,
        )
    assert error.value.message == (
        "There is already an inactive type of contact called Letter: change it to offer it again"
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", "Enter the name of the type of contact"),
        (
            "x" * (CONTACT_TYPE_NAME_LENGTH + 1),
            f"The name of the type of contact must be {CONTACT_TYPE_NAME_LENGTH} characters "
            "or fewer",
        ),
    ],
)
def test_a_type_of_contact_needs_a_name_that_fits(
    org_admin: User, northmoor: Organisation, name: str, message: str
) -> None:
    with pytest.raises(DomainError, match=re.escape(message)):
        add_contact_type(
            actor=org_admin,
            organisation=northmoor,
            name=name,
            is_visit=False,
            visit_to_child=False,
            reopenable=False,
        )


def test_the_name_lengths_are_the_models() -> None:
    assert ContactType._meta.get_field("name").max_length == CONTACT_TYPE_NAME_LENGTH
    assert Tag._meta.get_field("name").max_length == TAG_NAME_LENGTH


@pytest.mark.parametrize(
    ("flags", "field"),
    [
        ({"is_visit": False, "visit_to_child": True, "reopenable": False}, "visit_to_child"),
        ({"is_visit": False, "visit_to_child": False, "reopenable": True}, "reopenable"),
    ],
    ids=["visit-to-child-not-a-visit", "reopenable-not-a-visit"],
)
def test_only_a_visit_is_a_visit_to_a_child_or_reopenable(
    org_admin: User, northmoor: Organisation, flags: dict[str, bool], field: str
) -> None:
    """The model's check constraint refuses the first; rule 5 reopens visit notes only."""
    events = settings_writes()
    with pytest.raises(DomainError) as error:
        add_contact_type(actor=org_admin, organisation=northmoor, name="Drop-in", **flags)
    assert error.value.field == field
    phone = type_named(northmoor, "Phone call")
    with pytest.raises(DomainError) as error:
        change_contact_type(actor=org_admin, contact_type=phone, **change(phone, **flags))
    assert error.value.field == field
    assert not ContactType.objects.filter(name="Drop-in").exists()
    phone.refresh_from_db()
    assert not phone.visit_to_child
    assert not phone.reopenable
    assert settings_writes() == events


def test_a_change_records_only_what_changed(org_admin: User, northmoor: Organisation) -> None:
    text = type_named(northmoor, "Text message")
    events = settings_writes()
    change_contact_type(actor=org_admin, contact_type=text, **change(text))
    assert settings_writes() == events, "nothing changed, so nothing is recorded"
    change_contact_type(
        actor=org_admin, contact_type=text, **change(text, name="Text or WhatsApp", is_active=False)
    )
    event = the_event(Action.CONTACT_TYPE_CHANGED)
    assert event.changes == {
        "name": {"old": "Text message", "new": "Text or WhatsApp"},
        "is_active": {"old": True, "new": False},
    }
    text.refresh_from_db()
    assert (text.name, text.is_active) == ("Text or WhatsApp", False)


def test_whether_a_type_is_a_visit_is_fixed_once_a_final_note_has_it(
    org_admin: User, worker: User, kayden_case: Case, northmoor: Organisation
) -> None:
    """A final note reads by its type's visit answers ("Was Kayden seen?"); changing them
    would change how the record reads. Its name, reopening and offering may still change."""
    meeting = type_named(northmoor, "Meeting")
    final_note(worker, kayden_case, meeting)
    home_visit = type_named(northmoor, "Home visit")
    final_note(worker, kayden_case, home_visit)
    attempts = [
        (meeting, {"is_visit": True}, "is_visit"),
        (meeting, {"is_visit": True, "visit_to_child": True}, "is_visit"),
        (home_visit, {"visit_to_child": False}, "visit_to_child"),
        (home_visit, {"is_visit": False, "visit_to_child": False}, "is_visit"),
    ]
    for contact_type, answers, field in attempts:
        with pytest.raises(DomainError) as error:
            change_contact_type(
                actor=org_admin, contact_type=contact_type, **change(contact_type, **answers)
            )
        assert error.value.field == field
        assert "Add a new type of contact instead" in error.value.message
    home_visit.refresh_from_db()
    assert (home_visit.is_visit, home_visit.visit_to_child) == (True, True)
    change_contact_type(
        actor=org_admin, contact_type=meeting, **change(meeting, name="Meeting with family")
    )
    # A type no final note has yet may still become a visit.
    fresh = add_contact_type(
        actor=org_admin,
        organisation=northmoor,
        name="Walk and talk",
        is_visit=False,
        visit_to_child=False,
        reopenable=False,
    )
    changed = change_contact_type(
        actor=org_admin,
        contact_type=fresh,
        **change(fresh, is_visit=True, visit_to_child=True, reopenable=True),
    )
    assert (changed.is_visit, changed.visit_to_child, changed.reopenable) == (True, True, True)


def test_renaming_and_deactivating_leaves_final_notes_and_their_chain_as_they_were(
    org_admin: User, worker: User, kayden_case: Case, northmoor: Organisation
) -> None:
    phone = type_named(northmoor, "Phone call")
    note = final_note(worker, kayden_case, phone)
    stored_hash = note.entry_hash
    change_contact_type(
        actor=org_admin,
        contact_type=phone,
        **change(phone, name="Telephone call", is_active=False),
    )
    note.refresh_from_db()
    assert note.entry_hash == stored_hash
    assert note.contact_type_id == phone.id
    assert first_break(chain_of(kayden_case)) is None
    assert first_break(audit_chain()) is None


# --- Topics: the services ----------------------------------------------------------------------


def test_an_admin_adds_renames_and_deactivates_a_topic(
    org_admin: User, northmoor: Organisation
) -> None:
    added = add_tag(actor=org_admin, organisation=northmoor, name=" Youth  justice ")
    assert added.name == "Youth justice"
    assert added.is_active
    assert the_event(Action.TAG_ADDED).changes == {
        "name": {"old": None, "new": "Youth justice"},
        "is_active": {"old": None, "new": True},
    }
    change_tag(actor=org_admin, tag=added, name="Youth offending", is_active=False)
    assert the_event(Action.TAG_CHANGED).changes == {
        "name": {"old": "Youth justice", "new": "Youth offending"},
        "is_active": {"old": True, "new": False},
    }
    events = settings_writes()
    change_tag(actor=org_admin, tag=added, name="Youth offending", is_active=False)
    assert settings_writes() == events


def test_a_topic_name_is_unique_in_the_organisation_whatever_its_case(
    org_admin: User, northmoor: Organisation
) -> None:
    with pytest.raises(DomainError) as error:
        add_tag(actor=org_admin, organisation=northmoor, name="HEALTH")
    assert (error.value.field, error.value.message) == (
        "name",
        "There is already a topic called Health",
    )
    legal = tag_named(northmoor, "Legal")
    with pytest.raises(DomainError, match="There is already a topic called Housing"):
        change_tag(actor=org_admin, tag=legal, name="housing", is_active=True)
    with pytest.raises(DomainError, match="Enter the name of the topic"):
        change_tag(actor=org_admin, tag=legal, name="", is_active=True)


# --- The recording limit: the service ---------------------------------------------------------


@pytest.mark.parametrize("days", [0, 21, -5])
def test_the_recording_limit_is_a_number_of_working_days_from_1_to_20(
    org_admin: User, northmoor: Organisation, days: int
) -> None:
    with pytest.raises(DomainError) as error:
        set_recording_limit(actor=org_admin, organisation=northmoor, working_days=days)
    assert (error.value.field, error.value.message) == (
        "working_days",
        "Enter the number of working days, from 1 to 20",
    )
    northmoor.refresh_from_db()
    assert northmoor.recording_limit_working_days == 5


@pytest.mark.parametrize("days", [1, 10, 20])
def test_an_admin_sets_the_recording_limit(
    org_admin: User, northmoor: Organisation, days: int
) -> None:
    set_recording_limit(actor=org_admin, organisation=northmoor, working_days=days)
    northmoor.refresh_from_db()
    assert northmoor.recording_limit_working_days == days
    assert the_event(Action.RECORDING_LIMIT_CHANGED).changes == {
        "recording_limit_working_days": {"old": 5, "new": days}
    }


def test_a_new_limit_moves_drafts_deadlines_and_is_not_recorded_when_unchanged(
    org_admin: User, worker: User, kayden_case: Case, northmoor: Organisation
) -> None:
    draft = services.start_draft(
        actor=worker,
        case=kayden_case,
        content=services.NoteContent(
            occurred_at=timezone.now() - timedelta(hours=1), title="Half written"
        ),
    )
    today = timezone.localdate()
    started = timezone.localdate(draft.occurred_at)
    assert deadline_for(draft, today).due_on == add_working_days(started, 5)
    set_recording_limit(actor=org_admin, organisation=northmoor, working_days=10)
    draft = Entry.objects.select_related("case__organisation").get(pk=draft.pk)
    assert deadline_for(draft, today).due_on == add_working_days(started, 10)
    events = settings_writes()
    set_recording_limit(actor=org_admin, organisation=northmoor, working_days=10)
    assert settings_writes() == events


# --- Nobody else changes them ------------------------------------------------------------------


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_nobody_but_an_admin_changes_their_organisations_settings(
    request: pytest.FixtureRequest, persona: str
) -> None:
    user: User = request.getfixturevalue(persona)
    organisation = user.organisation
    assert organisation is not None
    contact_type = configuration.contact_types_of(organisation).first()
    tag = configuration.tags_of(organisation).first()
    assert contact_type is not None
    assert tag is not None
    events = settings_writes()
    attempts: list[Callable[[], object]] = [
        lambda: add_contact_type(
            actor=user,
            organisation=organisation,
            name="Anything",
            is_visit=False,
            visit_to_child=False,
            reopenable=False,
        ),
        lambda: change_contact_type(
            actor=user, contact_type=contact_type, **change(contact_type, is_active=False)
        ),
        lambda: add_tag(actor=user, organisation=organisation, name="Anything"),
        lambda: change_tag(actor=user, tag=tag, name="Anything", is_active=True),
        lambda: set_recording_limit(actor=user, organisation=organisation, working_days=7),
    ]
    for attempt in attempts:
        with pytest.raises(NotPermittedError):
            attempt()
    assert settings_writes() == events
    contact_type.refresh_from_db()
    assert contact_type.is_active


def test_an_admin_cannot_change_another_organisations_settings(
    eastvale_admin: User, northmoor: Organisation
) -> None:
    phone = type_named(northmoor, "Phone call")
    health = tag_named(northmoor, "Health")
    attempts: list[Callable[[], object]] = [
        lambda: add_contact_type(
            actor=eastvale_admin,
            organisation=northmoor,
            name="Anything",
            is_visit=False,
            visit_to_child=False,
            reopenable=False,
        ),
        lambda: change_contact_type(
            actor=eastvale_admin, contact_type=phone, **change(phone, name="Hijacked")
        ),
        lambda: add_tag(actor=eastvale_admin, organisation=northmoor, name="Anything"),
        lambda: change_tag(actor=eastvale_admin, tag=health, name="Hijacked", is_active=True),
        lambda: set_recording_limit(actor=eastvale_admin, organisation=northmoor, working_days=9),
    ]
    for attempt in attempts:
        with pytest.raises(NotPermittedError):
            attempt()
    phone.refresh_from_db()
    health.refresh_from_db()
    northmoor.refresh_from_db()
    assert (phone.name, health.name) == ("Phone call", "Health")
    assert northmoor.recording_limit_working_days == 5


def test_a_deactivated_admin_changes_nothing(org_admin: User, northmoor: Organisation) -> None:
    org_admin.is_active = False
    org_admin.save(update_fields=["is_active"])
    with pytest.raises(NotPermittedError):
        set_recording_limit(actor=org_admin, organisation=northmoor, working_days=7)


# --- The pages ---------------------------------------------------------------------------------


def test_the_settings_page_lists_types_topics_and_the_limit(
    org_admin: User, northmoor: Organisation, client_for: ClientFor
) -> None:
    letter = type_named(northmoor, "Letter")
    change_contact_type(actor=org_admin, contact_type=letter, **change(letter, is_active=False))
    response = client_for(org_admin).get(SETTINGS)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<h1 class="govuk-heading-l">Recording settings</h1>' in body
    assert "5 working days of the event" in body
    for contact_type in configuration.contact_types_of(northmoor):
        assert f"/settings/recording/contact-types/{contact_type.id}/" in body
    for tag in configuration.tags_of(northmoor):
        assert f"/settings/recording/topics/{tag.id}/" in body
    row = body.split(">Letter</th>", 1)[1].split("</tr>", 1)[0]
    assert "Inactive" in row
    cin = body.split(">CIN visit</th>", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'<td class="govuk-table__cell">(Yes|No)</td>', cin) == ["Yes"] * 3
    for href in (ADD_TYPE, ADD_TOPIC, LIMIT):
        assert f'href="{href}"' in body
    # Another organisation's types are not listed (Eastvale's have their own ids).
    eastvale_type = ContactType.objects.filter(organisation__reference_prefix="EVC").first()
    assert eastvale_type is not None
    assert str(eastvale_type.id) not in body


def test_the_settings_page_costs_the_same_queries_however_long_the_lists(
    org_admin: User, northmoor: Organisation, client_for: ClientFor
) -> None:
    client = client_for(org_admin)
    client.get(SETTINGS)
    with CaptureQueriesContext(connection) as before:
        client.get(SETTINGS)
    for number in range(5):
        add_tag(actor=org_admin, organisation=northmoor, name=f"Topic {number}")
        add_contact_type(
            actor=org_admin,
            organisation=northmoor,
            name=f"Type {number}",
            is_visit=False,
            visit_to_child=False,
            reopenable=False,
        )
    with CaptureQueriesContext(connection) as after:
        client.get(SETTINGS)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_settings_is_in_the_navigation_of_admins_only(
    org_admin: User, worker: User, manager: User, client_for: ClientFor
) -> None:
    link = f'href="{SETTINGS}"'
    priya = client_for(org_admin)
    assert link in priya.get("/").content.decode()
    # Current on every settings page, not only the first.
    settings_item = priya.get(ADD_TYPE).content.decode().split(link, 1)[1].split("</a>", 1)[0]
    assert 'aria-current="page"' in settings_item
    for user in (worker, manager):
        assert link not in client_for(user).get("/").content.decode()


def test_adding_a_type_of_contact_through_the_page(
    org_admin: User, northmoor: Organisation, client_for: ClientFor
) -> None:
    client = client_for(org_admin)
    form = client.get(ADD_TYPE)
    assert form.status_code == 200
    assert "Add a type of contact" in form.content.decode()
    response = client.post(ADD_TYPE, type_form(), follow=True)
    assert response.redirect_chain == [(SETTINGS, 302)]
    assert "Family group conference has been added to the types of contact" in (
        response.content.decode()
    )
    assert type_named(northmoor, "Family group conference").is_active


def test_a_refused_type_of_contact_keeps_what_was_typed(
    org_admin: User, northmoor: Organisation, client_for: ClientFor
) -> None:
    client = client_for(org_admin)
    count = ContactType.objects.filter(organisation=northmoor).count()

    duplicate = client.post(ADD_TYPE, type_form(name="phone call"))
    assert duplicate.status_code == 400
    body = duplicate.content.decode()
    assert "<title>Error: Add a type of contact" in body
    assert "There is already a type of contact called Phone call" in body
    assert 'value="phone call"' in body

    not_a_visit = client.post(ADD_TYPE, type_form(name="Doorstep", visit_to_child="yes"))
    assert not_a_visit.status_code == 400
    body = not_a_visit.content.decode()
    assert "A visit to a child must be a visit" in body
    assert 'href="#id_visit_to_child_0"' in body  # the summary links to the question
    assert 'value="Doorstep"' in body

    empty = client.post(ADD_TYPE, {"name": ""})
    body = empty.content.decode()
    for message in (
        "Enter the name of the type of contact",
        "Select yes if it is a visit",
        "Select yes if it is a visit to a child",
        "Select yes if an organisation admin can reopen a note of this type",
    ):
        assert message in body
    assert ContactType.objects.filter(organisation=northmoor).count() == count


def test_changing_a_type_of_contact_through_the_page(
    org_admin: User, northmoor: Organisation, client_for: ClientFor
) -> None:
    client = client_for(org_admin)
    email = type_named(northmoor, "Email")
    url = f"/settings/recording/contact-types/{email.id}/"
    page = client.get(url).content.decode()
    assert 'value="Email"' in page
    assert 'name="is_active" type="radio" value="yes" checked' in page
    data = type_form(name="Email (secure)", is_active="no")
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == SETTINGS
    email.refresh_from_db()
    assert (email.name, email.is_active) == ("Email (secure)", False)
    clash = client.post(url, {**data, "name": "LETTER"})
    assert clash.status_code == 400
    assert "There is already a type of contact called Letter" in clash.content.decode()
    assert 'value="LETTER"' in clash.content.decode()


def test_a_type_on_final_notes_shows_its_visit_questions_locked_and_ignores_them(
    org_admin: User, worker: User, kayden_case: Case, northmoor: Organisation, client_for: ClientFor
) -> None:
    home_visit = type_named(northmoor, "Home visit")
    final_note(worker, kayden_case, home_visit)
    client = client_for(org_admin)
    url = f"/settings/recording/contact-types/{home_visit.id}/"
    page = client.get(url).content.decode()
    assert "Finalised notes have this type of contact, so this cannot change" in page
    assert page.count(" disabled>") == 4  # yes and no, for each of the two questions
    # A forged POST cannot change a locked answer: Django cleans a disabled field from its
    # initial value, whatever was sent.
    forged = type_form(name="Home visit", is_visit="no", visit_to_child="no", is_active="yes")
    assert client.post(url, forged).status_code == 302
    home_visit.refresh_from_db()
    assert (home_visit.is_visit, home_visit.visit_to_child) == (True, True)
    assert home_visit.reopenable is False


def test_adding_and_changing_a_topic_through_the_pages(
    org_admin: User, northmoor: Organisation, client_for: ClientFor
) -> None:
    client = client_for(org_admin)
    assert client.post(ADD_TOPIC, {"name": "Youth justice"}).status_code == 302
    tag = tag_named(northmoor, "Youth justice")
    refused = client.post(ADD_TOPIC, {"name": "youth JUSTICE"})
    assert refused.status_code == 400
    assert "There is already a topic called Youth justice" in refused.content.decode()
    assert 'value="youth JUSTICE"' in refused.content.decode()
    empty = client.post(ADD_TOPIC, {"name": ""})
    assert "Enter the name of the topic" in empty.content.decode()

    url = f"/settings/recording/topics/{tag.id}/"
    assert 'value="Youth justice"' in client.get(url).content.decode()
    assert client.post(url, {"name": "Youth offending", "is_active": "no"}).status_code == 302
    tag.refresh_from_db()
    assert (tag.name, tag.is_active) == ("Youth offending", False)


@pytest.mark.parametrize("typed", ["", "0", "21", "five", "5.5", "-3"])
def test_a_recording_limit_that_is_not_1_to_20_is_refused_with_govuk_wording(
    org_admin: User, northmoor: Organisation, client_for: ClientFor, typed: str
) -> None:
    response = client_for(org_admin).post(LIMIT, {"working_days": typed})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter the number of working days, from 1 to 20" in body
    assert f'value="{typed}"' in body
    northmoor.refresh_from_db()
    assert northmoor.recording_limit_working_days == 5


def test_changing_the_recording_limit_through_the_page(
    org_admin: User, northmoor: Organisation, client_for: ClientFor
) -> None:
    client = client_for(org_admin)
    page = client.get(LIMIT).content.decode()
    assert 'value="5"' in page
    assert 'inputmode="numeric"' in page
    response = client.post(LIMIT, {"working_days": " 8 "}, follow=True)
    assert response.redirect_chain == [(SETTINGS, 302)]
    body = response.content.decode()
    assert "Case notes are now due within 8 working days" in body
    assert "8 working days of the event" in body
    northmoor.refresh_from_db()
    assert northmoor.recording_limit_working_days == 8


# --- Outsiders get a 404, whatever they ask for -------------------------------------------------


def settings_urls(organisation: Organisation) -> list[str]:
    contact_type = configuration.contact_types_of(organisation).first()
    tag = configuration.tags_of(organisation).first()
    assert contact_type is not None
    assert tag is not None
    return [
        SETTINGS,
        ADD_TYPE,
        reverse("ledger:contact-type-edit", kwargs={"contact_type_id": contact_type.id}),
        ADD_TOPIC,
        reverse("ledger:tag-edit", kwargs={"tag_id": tag.id}),
        LIMIT,
    ]


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_everyone_but_an_admin_gets_a_404_for_every_settings_page(
    request: pytest.FixtureRequest, persona: str, client_for: ClientFor
) -> None:
    user: User = request.getfixturevalue(persona)
    assert user.organisation is not None
    client = client_for(user)
    events = settings_writes()
    for url in settings_urls(user.organisation):
        assert client.get(url).status_code == 404, url
        if url != SETTINGS:  # a page with no form: a POST is refused before access is asked
            posted = client.post(url, {**type_form(), "is_active": "no", "working_days": "9"})
            assert posted.status_code == 404, url
    assert settings_writes() == events


def test_an_admin_gets_a_404_for_another_organisations_rows(
    org_admin: User, eastvale_admin: User, northmoor: Organisation, client_for: ClientFor
) -> None:
    assert eastvale_admin.organisation is not None
    priya, kit = client_for(org_admin), client_for(eastvale_admin)
    events = settings_writes()
    for url in settings_urls(eastvale_admin.organisation)[2::2]:  # the two edit pages
        assert priya.get(url).status_code == 404, url
        assert priya.post(url, {**type_form(), "is_active": "no"}).status_code == 404, url
    for url in settings_urls(northmoor)[2::2]:
        response = kit.get(url)
        assert response.status_code == 404, url
        assert "Home visit" not in response.content.decode()
        assert kit.post(url, {**type_form(), "is_active": "no"}).status_code == 404, url
    # Her own pages show her own organisation's settings.
    own = kit.get(SETTINGS).content.decode()
    assert "Eastvale" in own
    assert "Northmoor" not in own
    missing = reverse("ledger:tag-edit", kwargs={"tag_id": UUID(int=0)})
    assert priya.get(missing).status_code == 404
    assert settings_writes() == events


# --- What the note form offers, and what old notes keep -----------------------------------------


def test_a_deactivated_type_and_topic_leave_the_note_form_but_stay_on_old_notes(
    org_admin: User,
    worker: User,
    kayden_case: Case,
    northmoor: Organisation,
    client_for: ClientFor,
) -> None:
    phone = type_named(northmoor, "Phone call")
    housing = tag_named(northmoor, "Housing")
    note = final_note(worker, kayden_case, phone, tags=(housing,))
    amira, priya = client_for(worker), client_for(org_admin)
    new_note = f"/cases/{kayden_case.id}/notes/new/"
    form = amira.get(new_note).content.decode()
    assert "Phone call" in options_of(form, "contact_type")
    assert "Housing" in options_of(form, "tags")

    type_url = f"/settings/recording/contact-types/{phone.id}/"
    assert priya.post(type_url, type_form(name="Phone call", is_active="no")).status_code == 302
    tag_url = f"/settings/recording/topics/{housing.id}/"
    assert priya.post(tag_url, {"name": "Housing", "is_active": "no"}).status_code == 302

    form = amira.get(new_note).content.decode()
    offered = options_of(form, "contact_type")
    assert "Phone call" not in offered
    assert "Email" in offered, "the other types are still offered"
    assert "Housing" not in options_of(form, "tags")
    assert "Health" in options_of(form, "tags")

    detail = amira.get(f"/notes/{note.id}/").content.decode()
    assert "Phone call" in detail
    chronology = amira.get(f"/cases/{kayden_case.id}/chronology/").content.decode()
    assert 'govuk-tag--blue">Phone call<' in chronology
    assert 'govuk-tag--grey">Housing<' in chronology
    # The chronology can still be filtered by them: old notes have them.
    assert "Phone call" in options_of(chronology, "contact_type")

    # Offered again once reactivated.
    assert priya.post(type_url, type_form(name="Phone call", is_active="yes")).status_code == 302
    assert "Phone call" in options_of(amira.get(new_note).content.decode(), "contact_type")


def test_a_renamed_type_shows_its_new_name_on_old_notes(
    org_admin: User, worker: User, kayden_case: Case, northmoor: Organisation, client_for: ClientFor
) -> None:
    phone = type_named(northmoor, "Phone call")
    note = final_note(worker, kayden_case, phone)
    change_contact_type(actor=org_admin, contact_type=phone, **change(phone, name="Telephone call"))
    detail = client_for(worker).get(f"/notes/{note.id}/").content.decode()
    assert "Telephone call" in detail
    assert "Phone call" not in detail
