"""The plan pages: who gets them (404, never 403), a version added and confirmed, bad input
kept, and two versions compared with the changes marked for everyone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent
from caseledger.cases.models import Case
from caseledger.demo.data import DEMO_DRAFT_PLAN
from caseledger.ehcp.models import PlanKind, PlanVersion
from caseledger.ehcp.services import (
    add_plan_version,
    confirm_plan_sections,
    plan_versions,
    sections_of,
)
from caseledger.ehcp.tests.factories import aarav_case, days_ago, poppy_case
from caseledger.ehcp.tests.test_plan_services import PLAN_TEXT

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]


def demo_draft(case: Case) -> PlanVersion:
    (version,) = plan_versions(case)
    return version


def unconfirmed(actor: User, case: Case) -> PlanVersion:
    return add_plan_version(
        actor=actor, case=case, kind=PlanKind.FINAL, issued_on=days_ago(1), upload=None
    )


def add_data(kind: str = "draft", day: str = "", **extra: object) -> dict[str, object]:
    issued = days_ago(2)
    return {
        "kind": kind,
        "issued_on-day": day or str(issued.day),
        "issued_on-month": str(issued.month),
        "issued_on-year": str(issued.year),
        **extra,
    }


def test_the_case_page_links_to_plans_and_versions_for_everyone_who_sees_it(
    parent: User, advocate: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    plan_url = reverse("ehcp:plan", kwargs={"case_id": freddie_family_case.id})
    case_url = reverse("cases:case-detail", kwargs={"case_id": freddie_family_case.id})
    for user in (parent, advocate):
        assert plan_url in client_for(user).get(case_url).content.decode()


def test_the_plan_page_lists_versions_and_only_the_family_may_add(
    parent: User, advocate: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    url = reverse("ehcp:plan", kwargs={"case_id": freddie_family_case.id})
    add_url = reverse("ehcp:version-add", kwargs={"case_id": freddie_family_case.id})
    detail_url = reverse(
        "ehcp:version-detail", kwargs={"version_id": demo_draft(freddie_family_case).id}
    )
    body = client_for(parent).get(url).content.decode()
    assert detail_url in body and add_url in body and "Confirmed" in body
    body = client_for(advocate).get(url).content.decode()
    assert detail_url in body and add_url not in body


@pytest.mark.parametrize("persona", ["outsider", "other_parent", "worker"])
def test_people_who_do_not_see_the_case_get_404_on_every_plan_page(
    persona: str,
    request: pytest.FixtureRequest,
    parent: User,
    freddie_family_case: Case,
    client_for: ClientFor,
) -> None:
    user = request.getfixturevalue(persona)
    draft = demo_draft(freddie_family_case)
    other = unconfirmed(parent, freddie_family_case)
    client = client_for(user)
    urls = [
        reverse("ehcp:plan", kwargs={"case_id": freddie_family_case.id}),
        reverse("ehcp:version-add", kwargs={"case_id": freddie_family_case.id}),
        reverse("ehcp:version-detail", kwargs={"version_id": draft.id}),
        reverse("ehcp:version-sections", kwargs={"version_id": other.id}),
        reverse("ehcp:version-compare", kwargs={"version_id": draft.id, "other_id": other.id}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(urls[1], add_data()).status_code == 404
    assert client.post(urls[3], {"section_A": "Hijacked"}).status_code == 404
    assert sections_of(other)["A"] == ""


def test_the_advocate_reads_versions_but_gets_404_for_adding_or_confirming(
    parent: User, advocate: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    draft = demo_draft(freddie_family_case)
    other = unconfirmed(parent, freddie_family_case)
    client = client_for(advocate)
    body = client.get(reverse("ehcp:version-detail", kwargs={"version_id": draft.id}))
    assert body.status_code == 200
    assert "Speech and language therapy" in body.content.decode()
    sections_url = reverse("ehcp:version-sections", kwargs={"version_id": other.id})
    assert (
        sections_url
        not in client.get(
            reverse("ehcp:version-detail", kwargs={"version_id": other.id})
        ).content.decode()
    )
    assert client.get(sections_url).status_code == 404
    add_url = reverse("ehcp:version-add", kwargs={"case_id": freddie_family_case.id})
    assert client.get(add_url).status_code == 404
    assert client.post(add_url, add_data()).status_code == 404


def test_a_case_of_another_type_has_no_plan_pages(
    worker: User, kayden_case: Case, client_for: ClientFor
) -> None:
    client = client_for(worker)
    assert client.get(reverse("ehcp:plan", kwargs={"case_id": kayden_case.id})).status_code == 404
    add_url = reverse("ehcp:version-add", kwargs={"case_id": kayden_case.id})
    assert client.get(add_url).status_code == 404


def test_a_family_member_uploads_a_plan_checks_corrects_and_confirms_it(
    parent: User, client_for: ClientFor
) -> None:
    case = poppy_case()
    client = client_for(parent)
    upload = SimpleUploadedFile("draft.txt", PLAN_TEXT.encode(), content_type="text/plain")
    response = client.post(
        reverse("ehcp:version-add", kwargs={"case_id": case.id}), add_data(file=upload)
    )
    (version,) = plan_versions(case)
    sections_url = reverse("ehcp:version-sections", kwargs={"version_id": version.id})
    assert response.status_code == 302 and response["Location"] == sections_url
    body = client.get(sections_url).content.decode()
    assert "Poppy has dyslexia." in body and "Confirm sections" in body
    data = {f"section_{key}": text for key, text in sections_of(version).items()}
    data["section_B"] = "Poppy has dyslexia and finds handwriting hard."
    response = client.post(sections_url, data)
    detail_url = reverse("ehcp:version-detail", kwargs={"version_id": version.id})
    assert response.status_code == 302 and response["Location"] == detail_url
    version.refresh_from_db()
    assert version.is_confirmed
    assert sections_of(version)["B"] == "Poppy has dyslexia and finds handwriting hard."
    # Confirmed: the form is gone for good.
    assert client.get(sections_url)["Location"] == detail_url
    assert "Check and confirm" not in client.get(detail_url).content.decode()


def test_a_plan_is_typed_in_when_there_is_no_file(parent: User, client_for: ClientFor) -> None:
    case = poppy_case()
    client = client_for(parent)
    response = client.post(
        reverse("ehcp:version-add", kwargs={"case_id": case.id}), add_data("amended")
    )
    (version,) = plan_versions(case)
    assert response.status_code == 302
    assert (version.kind, version.document_id) == (PlanKind.AMENDED, None)


def test_bad_input_is_refused_in_govuk_words_and_what_was_typed_is_kept(
    parent: User, client_for: ClientFor
) -> None:
    case = poppy_case()
    client = client_for(parent)
    events = AuditEvent.objects.count()
    add_url = reverse("ehcp:version-add", kwargs={"case_id": case.id})
    response = client.post(add_url, add_data(day="45"))
    body = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in body and 'value="draft" checked' in body
    response = client.post(add_url, {"issued_on-day": "3"})
    body = response.content.decode()
    assert "Select what kind of plan it is" in body and 'value="3"' in body
    image = SimpleUploadedFile("plan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    response = client.post(add_url, add_data("final", file=image))
    assert response.status_code == 400
    assert "Choose the file again" in response.content.decode()
    assert not PlanVersion.objects.filter(case=case).exists()
    assert AuditEvent.objects.count() == events

    version = unconfirmed(parent, case)
    events = AuditEvent.objects.count()
    sections_url = reverse("ehcp:version-sections", kwargs={"version_id": version.id})
    response = client.post(sections_url, {"section_A": "   ", "section_K": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter the text of at least one section" in body and "govuk-error-summary" in body
    response = client.post(sections_url, {"section_B": "x" * 50_001, "section_C": "Kept"})
    body = response.content.decode()
    assert "Section B must be 50,000 characters or fewer" in body and ">Kept</textarea>" in body
    version.refresh_from_db()
    assert not version.is_confirmed
    assert AuditEvent.objects.count() == events


def test_the_comparison_marks_added_and_removed_words_for_screen_readers_too(
    parent: User, advocate: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    draft = demo_draft(freddie_family_case)
    final = unconfirmed(parent, freddie_family_case)
    changed_f = DEMO_DRAFT_PLAN["F"].replace("20 minutes", "30 minutes")
    confirm_plan_sections(actor=parent, version=final, sections=DEMO_DRAFT_PLAN | {"F": changed_f})
    url = reverse("ehcp:version-compare", kwargs={"version_id": draft.id, "other_id": final.id})
    detail = client_for(advocate).get(
        reverse("ehcp:version-detail", kwargs={"version_id": final.id})
    )
    assert url in detail.content.decode()
    response = client_for(advocate).get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        '<del class="app-change-removed"><span class="govuk-visually-hidden">[removed: </span>20'
        in body
    )
    assert (
        '<ins class="app-change-added"><span class="govuk-visually-hidden">[added: </span>30'
        in body
    )
    assert 'Sections that changed: <a class="govuk-link" href="#section-F">F</a>.' in body
    event = AuditEvent.objects.filter(action=Action.PLAN_VERSIONS_COMPARED).latest("id")
    assert event.detail["versions"] == [str(draft.id), str(final.id)]


def test_versions_of_two_cases_are_never_compared(
    parent: User, other_parent: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    ours = demo_draft(freddie_family_case)
    theirs = unconfirmed(other_parent, aarav_case())
    for client in (client_for(parent), client_for(other_parent)):
        url = reverse("ehcp:version-compare", kwargs={"version_id": ours.id, "other_id": theirs.id})
        assert client.get(url).status_code == 404


def test_the_plan_page_takes_the_same_queries_however_many_versions(
    parent: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    client = client_for(parent)
    url = reverse("ehcp:plan", kwargs={"case_id": freddie_family_case.id})
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        unconfirmed(parent, freddie_family_case)
    with CaptureQueriesContext(connection) as four:
        assert client.get(url).status_code == 200
    assert len(four) == len(one)
