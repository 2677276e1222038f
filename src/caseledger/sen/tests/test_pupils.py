"""A pupil's page, the parents a school shares the pupil's SEN records with, and a parent's
way in: staff who see the pupil and parents with live access get the page; everyone else a
404, and a revoked parent from their next click."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.people.models import RelatedAdult
from caseledger.sen import parents
from caseledger.sen.access import access_pupil
from caseledger.sen.models import ParentAccess
from caseledger.sen.tests import factories

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
BLANK_FORM = {"csrfmiddlewaretoken": "x"}
MY_CHILDREN = "/school-support/"


def hub(child_id: object) -> str:
    return f"/pupils/{child_id}/"


# --- Giving and revoking access ------------------------------------------------------------


def test_the_senco_gives_a_parent_access_by_email(senco: User, parent: User) -> None:
    bennett = factories.pupil("Bennett")
    with pytest.raises(Http404):
        access_pupil(parent, bennett.id)
    access = parents.give_parent_access(
        actor=senco, child=bennett, email="  JO.Morgan@Family.example "
    )
    assert access.grantee == parent and access.organisation == bennett.organisation
    assert access_pupil(parent, bennett.id) == bennett
    event = AuditEvent.objects.filter(action=Action.PARENT_ACCESS_GIVEN).latest("sequence")
    assert event.actor == senco and event.object_id == str(access.id)
    assert event.detail == {"child": str(bennett.id), "grantee": str(parent.id)}


@pytest.mark.parametrize(
    "email",
    [
        "nobody@family.example",  # no account
        "tom.barnes@riverside.example",  # an account, but a teacher's
        "amira.khan@northmoor.example",  # a council's social worker
        "ruth.ellis@sendvoices.example",  # an advocate
    ],
)
def test_only_a_parents_account_can_be_given_access_and_the_message_says_no_more(
    senco: User, email: str
) -> None:
    grants = ParentAccess.objects.count()  # the demo shares Freddie's records with Jo Morgan
    with pytest.raises(DomainError) as error:
        parents.give_parent_access(actor=senco, child=factories.pupil("Bennett"), email=email)
    assert (error.value.message, error.value.field) == (parents.NO_PARENT_ACCOUNT, "email")
    assert ParentAccess.objects.count() == grants


def test_an_inactive_parent_cannot_be_given_access(senco: User, parent: User) -> None:
    parent.is_active = False
    parent.save()
    with pytest.raises(DomainError, match=parents.NO_PARENT_ACCOUNT):
        factories.share_with(senco, factories.pupil("Bennett"), parent)


def test_a_parent_is_given_access_once(senco: User, parent: User) -> None:
    bennett = factories.pupil("Bennett")
    factories.share_with(senco, bennett, parent)
    with pytest.raises(DomainError, match="That parent can already see Isla Bennett's records"):
        factories.share_with(senco, bennett, parent)


def test_an_empty_email_is_an_error(senco: User) -> None:
    with pytest.raises(DomainError, match="Enter the parent's email address"):
        parents.give_parent_access(actor=senco, child=factories.pupil("Bennett"), email=" ")


def test_checking_an_address_gives_nothing_and_audits_nothing(senco: User, parent: User) -> None:
    bennett = factories.pupil("Bennett")
    factories.record_adult(senco, bennett, "Jo Morgan")
    events, grants = AuditEvent.objects.count(), ParentAccess.objects.count()
    check = parents.check_parent_access(
        actor=senco, child=bennett, email=" Jo.Morgan@family.example"
    )
    assert check.grantee == parent and check.name_is_recorded
    assert [adult.full_name for adult in check.adults] == ["Jo Morgan"]
    assert (AuditEvent.objects.count(), ParentAccess.objects.count()) == (events, grants)


@pytest.mark.parametrize("email", ["nobody@family.example", "tom.barnes@riverside.example"])
def test_checking_an_address_that_is_not_a_parents_says_no_more(senco: User, email: str) -> None:
    with pytest.raises(DomainError) as error:
        parents.check_parent_access(actor=senco, child=factories.pupil("Bennett"), email=email)
    assert (error.value.message, error.value.field) == (parents.NO_PARENT_ACCOUNT, "email")


def test_the_adults_are_this_schools_record_of_the_pupil(senco: User) -> None:
    """Jo Morgan is recorded as Freddie's mother on the council's record of him, not on the
    school's: the school's check sees only its own record."""
    check = parents.check_parent_access(
        actor=senco, child=factories.pupil("Morgan"), email="anil.patel@family.example"
    )
    assert check.adults == [] and not check.name_is_recorded


@pytest.mark.parametrize(
    ("name", "recorded", "matches"),
    [
        ("Jo Morgan", ["Jo Morgan"], True),
        ("jo  MORGAN", ["Jo Morgan"], True),
        ("Siân O'Neil-Jones", ["Sian O Neil Jones"], True),
        ("Chidi Emeka Nwosu", ["Chidi Nwosu"], True),  # a middle name on one side only
        ("Karen Hart", ["Karen and Phil Hart"], True),
        ("Jo Morgan", ["Joanne Morgan"], False),  # the SENCO is asked to check
        ("Jo Morgan", ["Sarah Bennett", "Ray Bennett"], False),
        ("Jo Morgan", [], False),
        ("Morgan", ["Jo Morgan"], False),
        ("", [""], False),
    ],
)
def test_an_account_holders_name_is_matched_to_the_recorded_adults(
    name: str, recorded: list[str], matches: bool
) -> None:
    assert parents.name_is_among(name, recorded) is matches


@pytest.mark.parametrize("persona", ["teacher", "head", "parent", "worker", "other_school_senco"])
def test_only_the_schools_keepers_give_and_revoke_access(
    persona: str, request: pytest.FixtureRequest, senco: User, other_parent: User
) -> None:
    actor = request.getfixturevalue(persona)
    bennett = factories.pupil("Bennett")
    access = factories.share_with(senco, bennett, other_parent)
    events = AuditEvent.objects.count()
    with pytest.raises(NotPermittedError):
        parents.check_parent_access(actor=actor, child=bennett, email="jo.morgan@family.example")
    with pytest.raises(NotPermittedError):
        parents.give_parent_access(actor=actor, child=bennett, email="jo.morgan@family.example")
    with pytest.raises(NotPermittedError):
        parents.revoke_parent_access(actor=actor, access=access)
    assert AuditEvent.objects.count() == events
    access.refresh_from_db()
    assert access.is_live


def test_revoking_refuses_the_parent_at_once_and_is_audited(senco: User, parent: User) -> None:
    bennett = factories.pupil("Bennett")
    access = factories.share_with(senco, bennett, parent)
    parents.revoke_parent_access(actor=senco, access=access)
    with pytest.raises(Http404):
        access_pupil(parent, bennett.id)
    access.refresh_from_db()
    assert access.revoked_by == senco and access.revoked_at is not None
    event = AuditEvent.objects.filter(action=Action.PARENT_ACCESS_REVOKED).latest("sequence")
    assert event.object_id == str(access.id) and event.actor == senco
    with pytest.raises(DomainError, match="already been revoked"):
        parents.revoke_parent_access(actor=senco, access=access)
    # Access can be given again; the revoked grant stays in the history.
    factories.share_with(senco, bennett, parent)
    assert ParentAccess.objects.filter(child=bennett, grantee=parent).count() == 2


# --- The parents page ----------------------------------------------------------------------


def parents_page(child_id: object) -> str:
    return reverse("sen:parents", kwargs={"child_id": child_id})


def confirm_post(grantee: User, email: str | None = None) -> dict[str, str]:
    """What the check page's "Give access" button sends."""
    return {"email": email or grantee.email, "account": str(grantee.id), "confirm": "yes"}


def test_the_senco_gives_access_in_two_steps(
    senco: User, parent: User, client_for: ClientFor
) -> None:
    bennett = factories.pupil("Bennett")
    client = client_for(senco)
    url = parents_page(bennett.id)
    assert "No parent or carer can see these records" in client.get(url).content.decode()
    events = AuditEvent.objects.count()
    # Step 1: the address. Nothing is given yet, nothing audited; the address stays out of
    # the address bar (the check page is the answer to the POST, on the same URL).
    response = client.post(url, {"email": "jo.morgan@family.example"})
    body = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Check before you give access</h1>' in body
    assert not ParentAccess.objects.filter(child=bennett).exists()
    assert AuditEvent.objects.count() == events
    assert '<input type="hidden" name="email" value="jo.morgan@family.example">' in body
    assert f'<input type="hidden" name="account" value="{parent.id}">' in body
    assert "?email" not in body and "jo.morgan" not in response.request["PATH_INFO"]
    # Step 2: "Give access".
    response = client.post(url, confirm_post(parent))
    assert response.status_code == 302 and response["Location"] == url
    access = ParentAccess.objects.get(child=bennett, revoked_at__isnull=True)
    assert access.grantee == parent and access.granted_by == senco
    event = AuditEvent.objects.filter(action=Action.PARENT_ACCESS_GIVEN).latest("sequence")
    assert event.object_id == str(access.id)
    assert AuditEvent.objects.count() == events + 1  # the grant, and only the grant
    body = client.get(url).content.decode()
    assert "Jo Morgan can now see Isla Bennett&#x27;s SEN records" in body
    assert "jo.morgan@family.example" in body and "Revoke" in body


def test_the_check_page_names_the_account_holder_and_the_recorded_adults(
    senco: User, parent: User, client_for: ClientFor
) -> None:
    bennett = factories.pupil("Bennett")
    factories.record_adult(senco, bennett, "Jo Morgan")
    factories.record_adult(
        senco,
        bennett,
        "Ray Bennett",
        RelatedAdult.Relationship.GRANDPARENT,
        parental_responsibility=False,
    )
    response = client_for(senco).post(
        parents_page(bennett.id), {"email": "JO.MORGAN@family.example"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        '<dt class="govuk-summary-list__key">Account holder</dt>'
        '<dd class="govuk-summary-list__value">Jo Morgan</dd>'
    ) in body
    assert '<dd class="govuk-summary-list__value">jo.morgan@family.example</dd>' in body
    born = bennett.date_of_birth.strftime("%-d %B %Y")
    assert f"Isla Bennett (born {born})" in body
    assert "read Isla Bennett's pupil passport" in body
    assert "current SEN support plan and its reviews" in body
    assert "add their views to a review" in body
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", body, re.S)
    cells = [re.findall(r'<td class="govuk-table__cell">(.*?)</td>', row) for row in rows]
    assert [cell for cell in cells if cell] == [
        ["Jo Morgan", "Mother", "Yes"],
        ["Ray Bennett", "Grandparent", "No"],
    ]
    assert "govuk-warning-text" not in body  # Jo Morgan is one of them
    assert ">Give access</button>" in body and ">Change the email address</button>" in body


def test_the_check_page_warns_when_the_name_matches_no_recorded_adult(
    senco: User, parent: User, client_for: ClientFor
) -> None:
    bennett = factories.pupil("Bennett")
    client = client_for(senco)
    body = client.post(parents_page(bennett.id), {"email": parent.email}).content.decode()
    assert "No adults are recorded for Isla Bennett" in body
    assert "There are no adults recorded to check Jo Morgan against" in body
    factories.record_adult(senco, bennett, "Sarah Bennett")
    body = client.post(parents_page(bennett.id), {"email": parent.email}).content.decode()
    warning = body.split('<div class="govuk-warning-text">')[1].split("</div>")[0]
    assert "Jo Morgan is not one of the adults recorded for Isla Bennett" in warning
    assert "Check the email address" in warning
    # A warning, not a refusal: the SENCO may know better (a name changed since, say).
    assert client.post(parents_page(bennett.id), confirm_post(parent)).status_code == 302


def test_change_the_email_address_goes_back_with_the_address_kept(
    senco: User, parent: User, client_for: ClientFor
) -> None:
    bennett = factories.pupil("Bennett")
    response = client_for(senco).post(
        parents_page(bennett.id),
        {"email": parent.email, "account": str(parent.id), "change": "yes"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Give a parent or carer access" in body
    assert f'value="{parent.email}"' in body and "govuk-error-summary" not in body
    assert not ParentAccess.objects.filter(child=bennett).exists()


def test_the_final_step_checks_everything_again(
    senco: User, parent: User, client_for: ClientFor
) -> None:
    bennett = factories.pupil("Bennett")
    client = client_for(senco)
    url = parents_page(bennett.id)
    assert client.post(url, {"email": parent.email}).status_code == 200
    # The account is closed between the two steps.
    parent.is_active = False
    parent.save()
    events = AuditEvent.objects.count()
    response = client.post(url, confirm_post(parent))
    body = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in body and parents.NO_PARENT_ACCOUNT in body
    assert f'value="{parent.email}"' in body  # kept, to correct
    assert not ParentAccess.objects.filter(child=bennett).exists()
    assert AuditEvent.objects.count() == events


def test_the_final_step_refuses_an_account_other_than_the_one_checked(
    senco: User, parent: User, other_parent: User, client_for: ClientFor
) -> None:
    bennett = factories.pupil("Bennett")
    client = client_for(senco)
    url = parents_page(bennett.id)
    # The address checked now belongs to a different account, or the step was skipped.
    for data in (
        confirm_post(other_parent, email=parent.email),
        {"email": parent.email, "confirm": "yes"},
        {"email": parent.email, "account": "not-an-id", "confirm": "yes"},
    ):
        response = client.post(url, data)
        assert response.status_code == 400
        assert "check it again" in response.content.decode()
    assert not ParentAccess.objects.filter(child=bennett).exists()


def test_the_final_step_refuses_a_parent_given_access_in_between(
    senco: User, parent: User, client_for: ClientFor
) -> None:
    bennett = factories.pupil("Bennett")
    client = client_for(senco)
    url = parents_page(bennett.id)
    assert client.post(url, {"email": parent.email}).status_code == 200
    factories.share_with(senco, bennett, parent)  # by another keeper, a moment ago
    response = client.post(url, confirm_post(parent))
    assert response.status_code == 400
    assert "That parent can already see Isla Bennett&#x27;s records" in response.content.decode()
    assert ParentAccess.objects.filter(child=bennett).count() == 1


def test_a_parent_who_can_already_see_the_records_is_not_checked_again(
    senco: User, parent: User, client_for: ClientFor
) -> None:
    bennett = factories.pupil("Bennett")
    factories.share_with(senco, bennett, parent)
    response = client_for(senco).post(parents_page(bennett.id), {"email": parent.email})
    body = response.content.decode()
    assert response.status_code == 400
    assert "That parent can already see Isla Bennett&#x27;s records" in body
    assert "Check before you give access" not in body


def test_an_empty_give_shows_the_error_summary(senco: User, client_for: ClientFor) -> None:
    bennett = factories.pupil("Bennett")
    response = client_for(senco).post(f"/pupils/{bennett.id}/parents/", BLANK_FORM)
    body = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in body and "<title>Error: " in body
    assert "Enter the parent&#x27;s email address" in body


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not an email", "Enter an email address in the correct format, like name@example.com"),
        ("tom.barnes@riverside.example", parents.NO_PARENT_ACCOUNT),
        ("nobody@family.example", parents.NO_PARENT_ACCOUNT),
    ],
)
def test_a_wrong_email_is_explained_and_kept(
    senco: User, client_for: ClientFor, email: str, message: str
) -> None:
    bennett = factories.pupil("Bennett")
    response = client_for(senco).post(f"/pupils/{bennett.id}/parents/", {"email": email})
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body and f'value="{email}"' in body


def test_revoking_from_the_page_refuses_the_parent_at_once(
    senco: User, parent: User, client_for: ClientFor
) -> None:
    bennett = factories.pupil("Bennett")
    access = factories.share_with(senco, bennett, parent)
    parent_client = client_for(parent)
    assert parent_client.get(hub(bennett.id)).status_code == 200
    client = client_for(senco)
    url = f"/pupils/{bennett.id}/parents/{access.id}/revoke/"
    assert "Revoke Jo Morgan's access?" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"/pupils/{bennett.id}/parents/"
    assert parent_client.get(hub(bennett.id)).status_code == 404
    assert "Isla Bennett" not in parent_client.get(MY_CHILDREN).content.decode()
    body = client.get(f"/pupils/{bennett.id}/parents/").content.decode()
    assert "Access revoked" in body and "Jo Morgan" in body
    # A revoked grant has no revoke page.
    assert client.get(url).status_code == 404


def test_a_grant_on_another_pupil_cannot_be_revoked_through_this_one(
    senco: User, parent: User, client_for: ClientFor
) -> None:
    access = factories.share_with(senco, factories.pupil("Fraser"), parent)
    bennett = factories.pupil("Bennett")
    url = f"/pupils/{bennett.id}/parents/{access.id}/revoke/"
    client = client_for(senco)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    access.refresh_from_db()
    assert access.is_live


# --- The pupil's page ----------------------------------------------------------------------


def test_the_senco_sees_the_pupils_page(
    senco: User, teacher: User, parent: User, client_for: ClientFor
) -> None:
    bennett = factories.pupil("Bennett")
    factories.school_class(senco, "5B", teachers=[teacher], pupils=[bennett])
    factories.share_with(senco, bennett, parent)
    body = client_for(senco).get(hub(bennett.id)).content.decode()
    assert "Isla Bennett" in body
    assert bennett.date_of_birth.strftime("%-d %B %Y") in body
    assert "SEN support since" in body and "Specific learning difficulty (SpLD)" in body
    assert "5B (Tom Barnes)" in body and "Jo Morgan" in body
    assert reverse("sen:parents", kwargs={"child_id": bennett.id}) in body
    assert '<h2 class="govuk-heading-m">Records</h2>' in body


def test_a_pupil_not_on_the_register_has_a_page(senco: User, client_for: ClientFor) -> None:
    child = factories.make_pupil(senco, "Newcomer")
    body = client_for(senco).get(hub(child.id)).content.decode()
    assert "Not on the register" in body and "Not in a class" in body


def test_a_teacher_sees_their_pupils_page_without_the_parents(
    senco: User, teacher: User, parent: User, client_for: ClientFor
) -> None:
    bennett = factories.pupil("Bennett")
    factories.school_class(senco, "5B", teachers=[teacher], pupils=[bennett])
    factories.share_with(senco, bennett, parent)
    client = client_for(teacher)
    response = client.get(hub(bennett.id))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Isla Bennett" in body and "Jo Morgan" not in body
    assert "/parents/" not in body
    assert client.get(f"/pupils/{bennett.id}/parents/").status_code == 404


def test_the_head_sees_every_pupils_page(head: User, client_for: ClientFor) -> None:
    assert client_for(head).get(hub(factories.pupil("Fraser").id)).status_code == 200


def test_a_parent_with_access_sees_a_plain_language_page(
    senco: User, parent: User, client_for: ClientFor
) -> None:
    bennett = factories.pupil("Bennett")
    factories.share_with(senco, bennett, parent)
    response = client_for(parent).get(hub(bennett.id))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Riverside Primary School" in body and "Isla Bennett" in body
    assert "extra help called SEN support" in body
    assert "The main area of need the school is helping with: Specific learning difficulty" in body
    assert "SEN register" not in body.split('id="main-content"')[1]
    assert '<h2 class="govuk-heading-m">Records</h2>' in body


# --- Outsiders -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["other_school_senco", "worker", "advocate", "parent", "other_parent", "teacher"],
)
def test_outsiders_get_a_404_on_every_pupil_page(
    persona: str,
    request: pytest.FixtureRequest,
    senco: User,
    teacher: User,
    other_parent: User,
    client_for: ClientFor,
) -> None:
    """Another school's SENCO, a council's worker, an advocate, a parent with no access, a
    parent with access to another pupil and a teacher whose classes do not include the pupil."""
    bennett, fraser = factories.pupil("Bennett"), factories.pupil("Fraser")
    factories.school_class(senco, "5B", teachers=[teacher], pupils=[fraser])
    factories.share_with(senco, fraser, other_parent)
    access = factories.share_with(
        senco, bennett, User.objects.get(email="jo.morgan@family.example")
    )
    # Jo's own access is revoked for the "parent" persona: a parent with no live access.
    parents.revoke_parent_access(actor=senco, access=access)
    client = client_for(request.getfixturevalue(persona))
    paths = [
        hub(bennett.id),
        f"/pupils/{bennett.id}/parents/",
        f"/pupils/{bennett.id}/parents/{access.id}/revoke/",
    ]
    events = AuditEvent.objects.count()
    for path in paths:
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Bennett" not in response.content.decode()
    assert client.post(paths[1], {"email": "anil.patel@family.example"}).status_code == 404
    anil = User.objects.get(email="anil.patel@family.example")
    response = client.post(paths[1], confirm_post(anil))
    assert response.status_code == 404 and "Bennett" not in response.content.decode()
    assert not ParentAccess.objects.filter(child=bennett, grantee=anil).exists()
    assert client.post(paths[2]).status_code == 404
    assert AuditEvent.objects.count() == events


def test_a_keepers_live_grant_cannot_be_revoked_by_a_teacher(
    senco: User, teacher: User, parent: User, client_for: ClientFor
) -> None:
    bennett = factories.pupil("Bennett")
    factories.school_class(senco, "5B", teachers=[teacher], pupils=[bennett])
    access = factories.share_with(senco, bennett, parent)
    client = client_for(teacher)
    url = f"/pupils/{bennett.id}/parents/{access.id}/revoke/"
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    access.refresh_from_db()
    assert access.is_live


# --- A parent's landing page and the menu ---------------------------------------------------


def test_a_parent_sees_the_pupils_schools_share_with_them(
    senco: User, other_school_senco: User, parent: User, client_for: ClientFor
) -> None:
    bennett = factories.pupil("Bennett")
    factories.share_with(senco, bennett, parent)
    elsewhere = factories.make_pupil(other_school_senco, "Morgan")
    factories.share_with(other_school_senco, elsewhere, parent)
    body = client_for(parent).get(MY_CHILDREN).content.decode()
    assert "Freddie Morgan</a> at Riverside Primary School" in body  # the demo's grant
    assert "Isla Bennett</a> at Riverside Primary School" in body
    assert "Test Morgan</a> at Hillside Academy" in body
    assert reverse("sen:pupil", kwargs={"child_id": bennett.id}) in body


def test_a_parent_with_nothing_shared_sees_how_to_ask(
    unshared_parent: User, client_for: ClientFor
) -> None:
    response = client_for(unshared_parent).get(MY_CHILDREN)
    body = response.content.decode()
    assert response.status_code == 200
    assert "No school has shared a child's records with you yet" in body
    assert "chidi.nwosu@family.example" in body


@pytest.mark.parametrize("persona", ["senco", "teacher", "worker", "advocate", "org_admin"])
def test_only_parents_have_a_landing_page(
    persona: str, request: pytest.FixtureRequest, client_for: ClientFor
) -> None:
    assert client_for(request.getfixturevalue(persona)).get(MY_CHILDREN).status_code == 404


def test_the_landing_page_takes_a_constant_number_of_queries(
    senco: User, parent: User, client_for: ClientFor
) -> None:
    client = client_for(parent)
    factories.share_with(senco, factories.pupil("Bennett"), parent)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(MY_CHILDREN).status_code == 200
        return len(queries)

    before = count()
    for number in range(4):
        factories.share_with(senco, factories.make_pupil(senco, f"Sibling{number}"), parent)
    assert count() == before


def test_the_menu_shows_school_support_to_a_parent_with_live_access(
    senco: User, unshared_parent: User, other_parent: User, client_for: ClientFor
) -> None:
    assert ">School support<" not in client_for(unshared_parent).get("/").content.decode()
    access = factories.share_with(senco, factories.pupil("Nwosu"), unshared_parent)
    assert ">School support<" in client_for(unshared_parent).get("/").content.decode()
    assert ">School support<" not in client_for(other_parent).get("/").content.decode()
    assert ">School support<" not in client_for(senco).get("/").content.decode()
    parents.revoke_parent_access(actor=senco, access=access)
    assert ">School support<" not in client_for(unshared_parent).get("/").content.decode()
