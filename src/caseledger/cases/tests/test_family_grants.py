"""A family's grants to an advocate (issue 7): one child or all of them, revoked at once, and
who outside the family has viewed the records.

"A family grants an advocate read-only access to one child or to all, revokes it at once, and
sees who viewed what. An advocate without a grant, or after revocation, gets 404 everywhere."
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from caseledger.accounts.models import Organisation, User
from caseledger.audit.models import Action, AuditEvent
from caseledger.audit.services import record_event
from caseledger.cases import services
from caseledger.cases.access import access_case, cases_visible_to
from caseledger.cases.models import Case, CaseType, FamilyGrant
from caseledger.cases.services import (
    grant_family_access,
    open_case,
    revoke_access,
    revoke_family_access,
)
from caseledger.domain.errors import DomainError, NotPermittedError
from caseledger.ehcp.tests.factories import aarav_case, poppy_case
from caseledger.ledger.services import record_read
from caseledger.people.models import Child
from caseledger.people.services import create_child

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
SHARING = "/cases/sharing/"
NOT_AN_ADVOCATE = (
    "Enter the email address of an advocate who has a Caseledger account outside your family"
)


# --- Helpers -------------------------------------------------------------------------------


def morgans() -> Organisation:
    return Organisation.objects.get(reference_prefix="MORGAN")


def patels() -> Organisation:
    return Organisation.objects.get(reference_prefix="PATEL")


def poppy() -> Child:
    return poppy_case().child


def give(
    actor: User,
    email: str,
    child: Child | None = None,
    expires_on: date | None = None,
    organisation: Organisation | None = None,
) -> FamilyGrant:
    return grant_family_access(
        actor=actor,
        organisation=organisation or morgans(),
        grantee_email=email,
        child=child,
        expires_on=expires_on,
    )


def revoke_url(grant: FamilyGrant) -> str:
    return reverse("cases:sharing-revoke", kwargs={"grant_id": grant.id})


def events_after(head: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=head).order_by("sequence"))


def audit_head() -> int:
    head = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    assert head is not None, "the demo world has audit events"
    return head


def text(response: Any) -> str:
    """The page's text as a reader sees it (apostrophes and all)."""
    return html.unescape(response.content.decode())


def form_data(email: str, child: str, expires_on: date | None = None) -> dict[str, str]:
    return {
        "email": email,
        "child": child,
        "expires_on-day": str(expires_on.day) if expires_on else "",
        "expires_on-month": str(expires_on.month) if expires_on else "",
        "expires_on-year": str(expires_on.year) if expires_on else "",
    }


def case_pages(case: Case) -> list[str]:
    """The case's pages an advocate with a grant reads: the case, its chronology, its
    documents, its child's record, and (an EHCP tracking case's) its plans and versions."""
    return [
        reverse("cases:case-detail", kwargs={"case_id": case.id}),
        reverse("ledger:case-chronology", kwargs={"case_id": case.id}),
        reverse("vault:case-documents", kwargs={"case_id": case.id}),
        reverse("ehcp:plan", kwargs={"case_id": case.id}),
        reverse("people:child-detail", kwargs={"child_id": case.child_id}),
    ]


def assert_sees(client: Client, case: Case) -> None:
    for page in case_pages(case):
        assert client.get(page).status_code == 200, page


def assert_sees_nothing(client: Client, case: Case) -> None:
    for page in case_pages(case):
        response = client.get(page)
        assert response.status_code == 404, page
        body = text(response)
        assert case.reference not in body, page
        assert case.child.last_name not in body, page
    assert case.reference not in text(client.get("/?show=shared"))


@pytest.fixture
def advocate_without_grants(advocate: User, parent: User, freddie_family_case: Case) -> User:
    """Ruth Ellis with the demo's grant on Freddie's case revoked: she sees nothing at all,
    so everything she sees in a test comes from the family grant it gives her."""
    revoke_access(actor=parent, grant=freddie_family_case.grants.get(grantee=advocate))
    assert not cases_visible_to(advocate).exists()
    return advocate


# --- Giving access --------------------------------------------------------------------------


def test_a_family_gives_an_advocate_access_to_all_its_children(
    parent: User, advocate_without_grants: User
) -> None:
    head = audit_head()
    grant = give(parent, "  Ruth.Ellis@SENDVoices.example ")
    assert (grant.organisation, grant.child, grant.grantee, grant.granted_by) == (
        morgans(),
        None,
        advocate_without_grants,
        parent,
    )
    assert grant.expires_on is None and grant.is_live()
    [event] = events_after(head)
    assert (event.action, event.actor, event.organisation) == (
        Action.FAMILY_GRANT_GIVEN,
        parent,
        morgans(),
    )
    assert (event.object_type, event.object_id, event.case_id) == (
        "cases.familygrant",
        str(grant.id),
        None,
    )
    assert event.detail == {
        "grantee": str(advocate_without_grants.id),
        "child": None,
        "expires_on": None,
    }


def test_a_grant_for_one_child_records_the_child_and_when_it_ends(
    parent: User, advocate: User
) -> None:
    ends = timezone.localdate() + timedelta(days=30)
    head = audit_head()
    grant = give(parent, advocate.email, child=poppy(), expires_on=ends)
    assert (grant.child, grant.expires_on) == (poppy(), ends)
    [event] = events_after(head)
    assert event.detail == {
        "grantee": str(advocate.id),
        "child": str(poppy().id),
        "expires_on": ends.isoformat(),
    }


@pytest.mark.parametrize("persona", ["worker", "org_admin", "advocate", "other_parent", "senco"])
def test_only_a_member_of_the_family_may_give_access(
    persona: str, advocate: User, request: pytest.FixtureRequest
) -> None:
    actor: User = request.getfixturevalue(persona)
    head = audit_head()
    with pytest.raises(NotPermittedError):
        give(actor, advocate.email)
    assert not FamilyGrant.objects.exists()
    assert events_after(head) == []


def test_a_grant_names_an_active_advocate_outside_the_family_with_one_message(
    parent: User, advocate: User, other_parent: User, worker: User
) -> None:
    inactive = User.objects.create_user(
        "gone@sendvoices.example",
        full_name="Gone Advocate",
        role=User.Role.ADVOCATE,
        organisation=advocate.organisation,
        is_active=False,
    )
    inside = User.objects.create_user(
        "inside@sendvoices.example",
        full_name="Inside Advocate",
        role=User.Role.ADVOCATE,
        organisation=advocate.organisation,
    )
    # No family has an advocate among its members; the service is checked all the same.
    User.objects.filter(pk=inside.pk).update(organisation=morgans())
    head = audit_head()
    for email in [
        "nobody@example.com",
        other_parent.email,  # a parent, not an advocate
        worker.email,  # a social worker
        inactive.email,
        inside.email,  # an advocate, but inside the family
    ]:
        with pytest.raises(DomainError) as refused:
            give(parent, email)
        assert (refused.value.message, refused.value.field) == (NOT_AN_ADVOCATE, "email")
    assert not FamilyGrant.objects.exists()
    assert events_after(head) == []


def test_a_child_of_another_family_is_refused(parent: User, advocate: User) -> None:
    with pytest.raises(DomainError) as refused:
        give(parent, advocate.email, child=aarav_case().child)
    assert refused.value.field == "child"
    assert not FamilyGrant.objects.exists()
    # Nor can the other family share the Morgans' children, even naming its own organisation.
    with pytest.raises(DomainError):
        give(
            User.objects.get(email="anil.patel@family.example"),
            advocate.email,
            child=poppy(),
            organisation=patels(),
        )
    assert not FamilyGrant.objects.exists()


def test_access_cannot_end_in_the_past(parent: User, advocate: User) -> None:
    with pytest.raises(DomainError, match="today or in the future") as refused:
        give(parent, advocate.email, expires_on=timezone.localdate() - timedelta(days=1))
    assert refused.value.field == "expires_on"
    give(parent, advocate.email, expires_on=timezone.localdate())  # today is fine


def test_the_same_access_cannot_be_given_twice(parent: User, advocate: User) -> None:
    give(parent, advocate.email, child=poppy())
    with pytest.raises(DomainError, match="can already see Poppy Morgan's records"):
        give(parent, advocate.email, child=poppy())
    give(parent, advocate.email)  # all children is more than Poppy alone
    with pytest.raises(DomainError, match=r"can already see all your children's records$"):
        give(parent, advocate.email)
    freddie = Child.objects.get(organisation=morgans(), first_names="Frederick")
    with pytest.raises(DomainError, match="no need to share them again") as refused:
        give(parent, advocate.email, child=freddie)
    assert refused.value.field == "child"
    assert FamilyGrant.objects.count() == 2


def test_access_can_be_given_again_once_revoked_or_ended(parent: User, advocate: User) -> None:
    ended = give(parent, advocate.email, expires_on=timezone.localdate())
    with time_machine.travel(timezone.localdate() + timedelta(days=1, hours=12), tick=False):
        revoked = give(parent, advocate.email)  # the first one has ended
        revoke_family_access(actor=parent, grant=revoked)
        again = give(parent, advocate.email)
        assert again.is_live() and not ended.is_live()
    assert len({ended.id, revoked.id, again.id}) == 3


def test_a_grant_from_another_family_does_not_count_as_a_duplicate(
    parent: User, other_parent: User, advocate: User
) -> None:
    give(other_parent, advocate.email, organisation=patels())
    give(parent, advocate.email)
    assert FamilyGrant.objects.filter(grantee=advocate).count() == 2


class AuditFailedError(Exception):
    pass


def test_if_the_audit_event_fails_nothing_is_granted_nor_revoked(
    parent: User, advocate: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The event and the change commit or roll back together."""
    grant = give(parent, advocate.email, child=poppy())
    written: list[AuditEvent] = []

    def record_then_fail(**kwargs: Any) -> AuditEvent:
        written.append(record_event(**kwargs))
        raise AuditFailedError

    monkeypatch.setattr(services, "record_event", record_then_fail)
    with pytest.raises(AuditFailedError):
        give(parent, advocate.email)
    assert list(FamilyGrant.objects.all()) == [grant]
    with pytest.raises(AuditFailedError):
        revoke_family_access(actor=parent, grant=grant)
    grant.refresh_from_db()
    assert grant.revoked_at is None and grant.revoked_by is None
    assert len(written) == 2
    assert not AuditEvent.objects.filter(pk__in=[event.pk for event in written]).exists()


# --- Revoking -------------------------------------------------------------------------------


def test_revoking_takes_effect_at_once_and_is_audited(
    parent: User, advocate_without_grants: User
) -> None:
    grant = give(parent, advocate_without_grants.email)
    case = poppy_case()
    assert access_case(advocate_without_grants, case.id) == case
    head = audit_head()
    revoked = revoke_family_access(actor=parent, grant=grant)
    assert revoked.revoked_by == parent and revoked.revoked_at is not None
    assert not cases_visible_to(advocate_without_grants).exists()
    [event] = events_after(head)
    assert (event.action, event.actor, event.organisation, event.object_id) == (
        Action.FAMILY_GRANT_REVOKED,
        parent,
        morgans(),
        str(grant.id),
    )
    assert event.detail == {"grantee": str(advocate_without_grants.id), "child": None}


def test_revoking_twice_is_refused(parent: User, advocate: User) -> None:
    grant = give(parent, advocate.email)
    revoke_family_access(actor=parent, grant=grant)
    head = audit_head()
    with pytest.raises(DomainError, match="already been revoked"):
        revoke_family_access(actor=parent, grant=grant)
    assert events_after(head) == []


@pytest.mark.parametrize("persona", ["advocate", "other_parent", "worker", "org_admin"])
def test_only_the_family_may_revoke(
    persona: str, parent: User, advocate: User, request: pytest.FixtureRequest
) -> None:
    grant = give(parent, advocate.email)
    with pytest.raises(NotPermittedError):
        revoke_family_access(actor=request.getfixturevalue(persona), grant=grant)
    grant.refresh_from_db()
    assert grant.is_live()


# --- What a grant shows, and what it never allows ------------------------------------------


def test_an_all_children_grant_shows_every_case_of_the_family_even_one_opened_later(
    parent: User, advocate_without_grants: User, client_for: ClientFor
) -> None:
    give(parent, advocate_without_grants.email)
    family_cases = list(Case.objects.filter(organisation=morgans()))
    assert len(family_cases) == 2
    # A child the family adds after sharing is shared too.
    _, later = create_child(
        actor=parent,
        fields={
            "first_names": "Ivy",
            "last_name": "Morgan",
            "date_of_birth": date(2021, 3, 1),
            "gender": Child.Gender.FEMALE,
        },
        case_type=CaseType.EHCP_TRACKING,
        opened_on=timezone.localdate(),
    )
    visible = set(cases_visible_to(advocate_without_grants))
    assert visible == {*family_cases, later}
    client = client_for(advocate_without_grants)
    for case in [*family_cases, later]:
        assert_sees(client, case)
    # Nothing of another family's, nor of the council's record of Freddie.
    assert_sees_nothing(client, aarav_case())
    freddie_la = Case.objects.get(
        child__first_names="Frederick", organisation__reference_prefix="NMB"
    )
    assert_sees_nothing(client, freddie_la)


def test_a_one_child_grant_shows_only_that_childs_cases(
    parent: User, advocate_without_grants: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    first = poppy_case()
    give(parent, advocate_without_grants.email, child=first.child)
    # A second case on Poppy, opened after the grant: the grant follows the child.
    second = open_case(
        actor=parent,
        child=first.child,
        case_type=CaseType.EHCP_TRACKING,
        opened_on=timezone.localdate(),
    )
    assert set(cases_visible_to(advocate_without_grants)) == {first, second}
    client = client_for(advocate_without_grants)
    assert_sees(client, first)
    assert_sees(client, second)
    assert_sees_nothing(client, freddie_family_case)


def test_an_advocate_without_a_grant_sees_nothing_of_the_family(
    advocate_without_grants: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    client = client_for(advocate_without_grants)
    assert_sees_nothing(client, freddie_family_case)
    assert_sees_nothing(client, poppy_case())


def test_after_revocation_every_page_is_a_404(
    parent: User, advocate_without_grants: User, client_for: ClientFor
) -> None:
    grant = give(parent, advocate_without_grants.email)
    client = client_for(advocate_without_grants)
    assert_sees(client, poppy_case())
    revoke_family_access(actor=parent, grant=grant)
    assert_sees_nothing(client, poppy_case())


def test_after_its_end_date_every_page_is_a_404(
    parent: User, advocate_without_grants: User, client_for: ClientFor
) -> None:
    ends = timezone.localdate() + timedelta(days=7)
    give(parent, advocate_without_grants.email, expires_on=ends)
    case = poppy_case()
    # A fresh sign-in each time: a session left idle for days has ended anyway.
    with time_machine.travel(ends + timedelta(hours=12), tick=False):
        assert_sees(client_for(advocate_without_grants), case)
    with time_machine.travel(ends + timedelta(days=1, hours=12), tick=False):
        assert_sees_nothing(client_for(advocate_without_grants), case)


def test_a_grant_is_read_only(
    parent: User, advocate_without_grants: User, client_for: ClientFor
) -> None:
    give(parent, advocate_without_grants.email)
    case = poppy_case()
    client = client_for(advocate_without_grants)
    head = audit_head()
    writes = [
        reverse("ehcp:status-change", kwargs={"case_id": case.id}),
        reverse("ehcp:version-add", kwargs={"case_id": case.id}),
        reverse("ledger:note-new", kwargs={"case_id": case.id}),
        reverse("vault:document-new", kwargs={"case_id": case.id}),
        reverse("cases:case-close", kwargs={"case_id": case.id}),
        reverse("cases:grant-create", kwargs={"case_id": case.id}),
        reverse("people:child-edit", kwargs={"child_id": case.child_id}),
    ]
    for url in writes:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"status": "assessment_requested"}).status_code == 404, url
    assert events_after(head) == []


def test_the_advocates_caseload_lists_the_shared_cases(
    parent: User, advocate_without_grants: User, client_for: ClientFor
) -> None:
    client = client_for(advocate_without_grants)
    assert poppy_case().reference not in text(client.get("/?show=shared"))
    give(parent, advocate_without_grants.email)
    body = text(client.get("/?show=shared"))
    for case in Case.objects.filter(organisation=morgans()):
        assert case.reference in body
    assert 'data-count="shared">2<' in body


# --- The sharing page -----------------------------------------------------------------------


def test_the_family_sees_its_sharing_page_and_the_view_is_audited(
    parent: User, advocate: User, client_for: ClientFor
) -> None:
    give(parent, advocate.email, child=poppy())
    client = client_for(parent)
    head = audit_head()
    response = client.get(SHARING)
    assert response.status_code == 200
    body = text(response)
    assert "Sharing your children's records" in body
    assert "Ruth Ellis" in body and advocate.email in body
    assert "Poppy Morgan" in body
    # Ruth's grant on Freddie's case, made from the case page, is listed too.
    assert "Cases shared one at a time" in body
    # The form: each child, and all of them.
    assert 'value="all"' in body
    assert "All children, including any added later" in body
    assert "Freddie Morgan" in body
    [event] = events_after(head)
    assert (event.action, event.actor, event.organisation, event.case_id) == (
        Action.VIEWERS_VIEWED,
        parent,
        morgans(),
        None,
    )


def test_a_family_gives_access_from_the_sharing_page(
    parent: User, advocate_without_grants: User, client_for: ClientFor
) -> None:
    client = client_for(parent)
    ends = timezone.localdate() + timedelta(days=60)
    response = client.post(SHARING, form_data(advocate_without_grants.email, "all", ends))
    assert response.status_code == 302
    assert response["Location"] == SHARING
    grant = FamilyGrant.objects.get()
    assert (grant.child, grant.expires_on, grant.grantee) == (None, ends, advocate_without_grants)
    page = text(client.get(SHARING))
    assert "Ruth Ellis can now see all your children's records" in page
    assert "All children" in page
    assert ends.strftime("%-d %b %Y") in page
    assert revoke_url(grant) in page


def test_an_empty_form_is_refused_with_govuk_errors(parent: User, client_for: ClientFor) -> None:
    client = client_for(parent)
    head = audit_head()
    response = client.post(SHARING, form_data("", ""))
    assert response.status_code == 400
    body = text(response)
    assert "<title>Error: " in body
    assert "There is a problem" in body
    assert "Enter the advocate's email address" in body
    assert "Select which children they can see" in body
    assert events_after(head) == []


def test_a_refused_grant_keeps_what_was_typed(parent: User, client_for: ClientFor) -> None:
    ends = timezone.localdate() + timedelta(days=10)
    response = client_for(parent).post(
        SHARING, form_data("nobody@example.com", str(poppy().id), ends)
    )
    assert response.status_code == 400
    body = text(response)
    assert NOT_AN_ADVOCATE in body
    assert 'value="nobody@example.com"' in body
    assert f'value="{poppy().id}" checked' in body
    assert f'value="{ends.year}"' in body
    assert not FamilyGrant.objects.exists()


def test_bad_dates_and_other_families_children_are_form_errors(
    parent: User, advocate: User, client_for: ClientFor
) -> None:
    client = client_for(parent)
    data = form_data(advocate.email, "all")
    data.update({"expires_on-day": "31", "expires_on-month": "2", "expires_on-year": "2030"})
    body = text(client.post(SHARING, data))
    assert "Date access ends must be a real date" in body
    response = client.post(SHARING, form_data(advocate.email, str(aarav_case().child_id)))
    assert response.status_code == 400
    assert "Select which children they can see" in text(response)
    yesterday = timezone.localdate() - timedelta(days=1)
    body = text(client.post(SHARING, form_data(advocate.email, "all", yesterday)))
    assert "The date access ends must be today or in the future" in body
    assert not FamilyGrant.objects.exists()


def test_a_duplicate_is_explained_on_the_form(
    parent: User, advocate: User, client_for: ClientFor
) -> None:
    give(parent, advocate.email)
    response = client_for(parent).post(SHARING, form_data(advocate.email, str(poppy().id)))
    assert response.status_code == 400
    assert "no need to share them again" in text(response)


def test_past_grants_are_listed_apart_from_live_ones(
    parent: User, advocate: User, client_for: ClientFor
) -> None:
    revoked = give(parent, advocate.email, child=poppy())
    revoke_family_access(actor=parent, grant=revoked)
    ends = timezone.localdate() + timedelta(days=3)
    give(parent, advocate.email, expires_on=ends)
    with time_machine.travel(ends + timedelta(days=1, hours=12), tick=False):
        response = client_for(parent).get(SHARING)
    assert response.context["live_grants"] == []
    assert len(response.context["past_grants"]) == 2
    body = text(response)
    assert "Access that has ended" in body
    assert "by Jo Morgan" in body
    assert "You have not shared your children's records with an advocate." in body


def test_who_viewed_shows_reads_by_people_outside_the_family_only(
    parent: User, advocate: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    case_url = reverse("cases:case-detail", kwargs={"case_id": freddie_family_case.id})
    chronology = reverse("ledger:case-chronology", kwargs={"case_id": freddie_family_case.id})
    assert client_for(advocate).get(case_url).status_code == 200
    assert client_for(advocate).get(chronology).status_code == 200
    family = client_for(parent)
    assert family.get(case_url).status_code == 200  # the family's own read
    response = family.get(SHARING)
    rows = response.context["views"]
    assert [(event.actor, event.action) for event, _ in rows[:2]] == [
        (advocate, Action.CHRONOLOGY_VIEWED),
        (advocate, Action.CASE_VIEWED),
    ]
    assert all(event.actor.organisation_id != morgans().id for event, _ in rows)
    assert all(case == freddie_family_case for _, case in rows)
    body = text(response)
    assert "Viewed the chronology" in body
    assert "SEND Voices Advocacy" in body
    assert freddie_family_case.reference in body


def test_who_viewed_is_paged_by_audit_sequence(
    parent: User, advocate: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    from caseledger.cases import views

    for _ in range(views.SHARING_VIEWS_PAGE + 5):
        record_read(actor=advocate, action=Action.CASE_VIEWED, case=freddie_family_case)
    client = client_for(parent)
    first = client.get(SHARING)
    rows = first.context["views"]
    assert len(rows) == views.SHARING_VIEWS_PAGE
    sequences = [event.sequence for event, _ in rows]
    assert sequences == sorted(sequences, reverse=True)
    before = first.context["next_before"]
    assert before == sequences[-1]
    assert f'href="?before={before}"' in text(first)
    second = client.get(f"{SHARING}?before={before}")
    later = [event.sequence for event, _ in second.context["views"]]
    assert later and max(later) < min(sequences)
    assert "Latest views" in text(second)


def test_the_sharing_page_costs_the_same_queries_however_much_there_is(
    parent: User,
    advocate: User,
    freddie_family_case: Case,
    client_for: ClientFor,
) -> None:
    client = client_for(parent)
    client.get(SHARING)  # the session and the user, loaded once
    with CaptureQueriesContext(connection) as empty:
        assert client.get(SHARING).status_code == 200
    # The session, the user and their family; the family's children, grants, grants on one
    # case and cases; one page of reads; the audited read (with the chain's lock on
    # PostgreSQL); the menu's reminders count and whether a school shares a pupil's records
    # with the parent (issue 8); the session's idle clock saved.
    assert len(empty) <= SHARING_QUERIES
    give(parent, advocate.email, child=poppy())
    ended = give(parent, advocate.email)
    revoke_family_access(actor=parent, grant=ended)
    give(parent, advocate.email)
    for case in [freddie_family_case, poppy_case()]:
        for action in (Action.CASE_VIEWED, Action.CHRONOLOGY_VIEWED, Action.DOCUMENTS_LISTED):
            record_read(actor=advocate, action=action, case=case)
    with CaptureQueriesContext(connection) as full:
        response = client.get(SHARING)
    assert len(full) == len(empty)
    assert len(response.context["live_grants"]) == 2
    assert len(response.context["views"]) >= 6


# 18 on PostgreSQL, which takes the audit chain's lock as one more query.
SHARING_QUERIES = 18


# --- Who may open the sharing pages ---------------------------------------------------------


@pytest.mark.parametrize("persona", ["advocate", "worker", "org_admin", "outsider", "senco"])
def test_people_outside_a_family_get_a_404_on_the_sharing_page(
    persona: str, request: pytest.FixtureRequest, client_for: ClientFor
) -> None:
    client = client_for(request.getfixturevalue(persona))
    head = audit_head()
    for response in (client.get(SHARING), client.post(SHARING, form_data("x@example.com", "all"))):
        assert response.status_code == 404
        body = text(response)
        assert "Morgan" not in body and "Patel" not in body
    assert events_after(head) == []


def test_signed_out_people_are_sent_to_sign_in(client_for: ClientFor) -> None:
    response = client_for(None).get(SHARING)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_another_family_sees_its_own_page_not_the_morgans(
    parent: User, other_parent: User, advocate: User, client_for: ClientFor
) -> None:
    give(parent, advocate.email, child=poppy())
    body = text(client_for(other_parent).get(SHARING))
    assert "The Patel family" in body
    assert "Poppy" not in body and "Freddie" not in body
    assert "Aarav Patel" in body


def test_revoking_from_the_sharing_page(
    parent: User, advocate_without_grants: User, client_for: ClientFor
) -> None:
    grant = give(parent, advocate_without_grants.email)
    reader = client_for(advocate_without_grants)
    assert_sees(reader, poppy_case())
    client = client_for(parent)
    page = client.get(revoke_url(grant))
    assert page.status_code == 200
    assert "Revoke Ruth Ellis's access to all your children's records?" in text(page)
    response = client.post(revoke_url(grant))
    assert response.status_code == 302
    assert response["Location"] == SHARING
    grant.refresh_from_db()
    assert grant.revoked_by == parent
    body = text(client.get(SHARING))
    assert "govuk-notification-banner" in body
    assert "Ruth Ellis's access to all your children's records has been revoked" in body
    assert_sees_nothing(reader, poppy_case())
    # Gone for the family too: a second revoke is a 404.
    assert client.get(revoke_url(grant)).status_code == 404
    assert client.post(revoke_url(grant)).status_code == 404


@pytest.mark.parametrize(
    "persona", ["advocate", "other_parent", "worker", "org_admin", "outsider", "senco"]
)
def test_people_outside_the_granting_family_get_a_404_on_the_revoke_page(
    persona: str,
    parent: User,
    advocate: User,
    request: pytest.FixtureRequest,
    client_for: ClientFor,
) -> None:
    grant = give(parent, advocate.email, child=poppy())
    client = client_for(request.getfixturevalue(persona))
    head = audit_head()
    for response in (client.get(revoke_url(grant)), client.post(revoke_url(grant))):
        assert response.status_code == 404
        assert "Poppy" not in text(response)
    grant.refresh_from_db()
    assert grant.is_live()
    assert events_after(head) == []
