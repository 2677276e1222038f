"""Flags on the version page: shown to everyone who sees the case, with their state; decided
by the family only (404 for everyone else); bad input kept with GOV.UK errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseledger.accounts.models import User
from caseledger.cases.models import Case
from caseledger.domain.ehcp import PlanFlag
from caseledger.ehcp.models import PlanFlagDecision, PlanVersion
from caseledger.ehcp.services import decide_flag, flag_key, plan_flags, plan_versions
from caseledger.ehcp.tests.test_plan_services import typed

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]


def demo_draft(case: Case) -> PlanVersion:
    (version,) = plan_versions(case)
    return version


def detail_url(version: PlanVersion) -> str:
    return reverse("ehcp:version-detail", kwargs={"version_id": version.id})


def decide_url(version: PlanVersion, key: str) -> str:
    return reverse("ehcp:flag-decide", kwargs={"version_id": version.id, "flag_key": key})


def unquantified_key(version: PlanVersion) -> str:
    return next(state.key for state in plan_flags(version) if state.flag.code == "unquantified")


def test_the_version_page_shows_each_flag_with_its_passage_reason_and_standard(
    parent: User, advocate: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    key = unquantified_key(version)
    for user in (parent, advocate):
        body = client_for(user).get(detail_url(version)).content.decode()
        assert 'id="flags"' in body and f'id="flag-{key}"' in body
        assert "Visual timetable and warnings before changes of routine" in body
        assert "The provision does not say who delivers it" in body
        assert "Code of Practice 9.69" in body
        assert "Open" in body
    assert decide_url(version, key) in client_for(parent).get(detail_url(version)).content.decode()
    assert (
        "Confirm or dismiss" not in client_for(advocate).get(detail_url(version)).content.decode()
    )


def test_an_unconfirmed_version_shows_no_flags(
    parent: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = typed(parent, freddie_family_case, days=0)
    body = client_for(parent).get(detail_url(version)).content.decode()
    assert "checked for flags once its sections are confirmed" in body
    assert "Confirm or dismiss" not in body


def test_the_family_dismisses_a_flag_and_sees_it_dismissed_with_the_reason(
    parent: User, advocate: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    key = unquantified_key(version)
    client = client_for(parent)
    page = client.get(decide_url(version, key))
    assert page.status_code == 200
    assert "Confirm or dismiss the flag" in page.content.decode()
    response = client.post(
        decide_url(version, key), {"decision": "dismiss", "reason": "The SENCo delivers it"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(version)}#flag-{key}"
    (decision,) = PlanFlagDecision.objects.all()
    assert (decision.decision, decision.reason, decision.decided_by) == (
        "dismiss",
        "The SENCo delivers it",
        parent,
    )
    for user in (parent, advocate):
        body = client_for(user).get(detail_url(version)).content.decode()
        assert "Dismissed</strong>: The SENCo delivers it" in body


def test_a_confirmation_needs_no_reason(
    parent: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    key = unquantified_key(version)
    response = client_for(parent).post(decide_url(version, key), {"decision": "confirm"})
    assert response.status_code == 302
    body = client_for(parent).get(detail_url(version)).content.decode()
    assert "Confirmed</strong>" in body


def test_bad_input_is_refused_in_govuk_words_and_what_was_typed_is_kept(
    parent: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    url = decide_url(version, unquantified_key(version))
    client = client_for(parent)
    response = client.post(url, {"reason": "Typed before choosing"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Select whether you confirm or dismiss the flag" in body
    assert "Typed before choosing" in body
    response = client.post(url, {"decision": "dismiss", "reason": "  "})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter why you are dismissing the flag" in body
    assert 'value="dismiss" checked' in body
    response = client.post(url, {"decision": "dismiss", "reason": "x" * 2001})
    assert response.status_code == 400
    assert "The reason must be 2000 characters or fewer" in response.content.decode()
    assert not PlanFlagDecision.objects.exists()


@pytest.mark.parametrize("persona", ["advocate", "outsider", "other_parent", "worker"])
def test_everyone_but_the_family_gets_404_for_deciding(
    persona: str,
    request: pytest.FixtureRequest,
    freddie_family_case: Case,
    client_for: ClientFor,
) -> None:
    version = demo_draft(freddie_family_case)
    url = decide_url(version, unquantified_key(version))
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "dismiss", "reason": "Not mine"}).status_code == 404
    assert not PlanFlagDecision.objects.exists()


def test_a_key_that_is_not_a_current_flag_gets_404(
    parent: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    stale = flag_key(PlanFlag("unquantified", "F", "Not in this plan.", ""))
    client = client_for(parent)
    assert client.get(decide_url(version, stale)).status_code == 404
    assert client.post(decide_url(version, stale), {"decision": "confirm"}).status_code == 404
    unconfirmed = typed(parent, freddie_family_case, days=0)
    key = unquantified_key(version)
    assert client.get(decide_url(unconfirmed, key)).status_code == 404
    assert not PlanFlagDecision.objects.exists()


def test_the_version_page_takes_the_same_queries_however_many_decisions(
    parent: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    version = demo_draft(freddie_family_case)
    client = client_for(parent)
    client.get(detail_url(version))
    with CaptureQueriesContext(connection) as none_decided:
        client.get(detail_url(version))
    for state in plan_flags(version):
        decide_flag(
            actor=parent, version=version, flag_key=state.key, decision="dismiss", reason="No"
        )
    with CaptureQueriesContext(connection) as all_decided:
        assert client.get(detail_url(version)).status_code == 200
    assert len(all_decided) == len(none_decided)
