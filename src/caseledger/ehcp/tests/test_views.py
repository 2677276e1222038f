"""The change-status page: who gets it (404, never 403), a change made, bad input kept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.audit.models import AuditEvent
from caseledger.cases.models import Case
from caseledger.ehcp.models import EhcpStatus, StatusChange
from caseledger.ehcp.services import current_status
from caseledger.ehcp.tests.factories import days_ago, poppy_case

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]


def url_of(case: Case) -> str:
    return reverse("ehcp:status-change", kwargs={"case_id": case.id})


def form_data(status: str, day: int, month: int, year: int, note: str = "") -> dict[str, str]:
    return {
        "status": status,
        "effective_on-day": str(day),
        "effective_on-month": str(month),
        "effective_on-year": str(year),
        "note": note,
    }


def test_a_family_member_gets_the_form(
    parent: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    response = client_for(parent).get(url_of(freddie_family_case))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Change the EHCP status" in body
    assert "The status is Assessment requested" in body
    for label in EhcpStatus.labels:
        assert label in body


def test_a_family_member_changes_the_status_and_sees_the_deadlines_it_started(
    parent: User, client_for: ClientFor
) -> None:
    case = poppy_case()
    day = days_ago(3)
    client = client_for(parent)
    response = client.post(
        url_of(case),
        form_data("assessment_requested", day.day, day.month, day.year, "Emailed the SEN team"),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case-detail", kwargs={"case_id": case.id})
    change = current_status(case)
    assert change is not None
    assert (change.status, change.effective_on, change.note, change.changed_by) == (
        EhcpStatus.ASSESSMENT_REQUESTED,
        day,
        "Emailed the SEN team",
        parent,
    )
    page = client.get(response["Location"]).content.decode()
    assert "The status is now Assessment requested. Deadlines started:" in page
    assert "Decide whether to carry out an EHC needs assessment" in page
    assert "(39 days left)" in page  # 6 weeks from 3 days ago
    assert "(137 days left)" in page  # 20 weeks from 3 days ago


@pytest.mark.parametrize(
    ("persona", "case_key"),
    [
        ("advocate", "freddie_family_case"),  # read-only grant: the form is a 404
        ("other_parent", "freddie_family_case"),  # another family
        ("worker", "freddie_family_case"),  # council staff on a family's case
        ("org_admin", "freddie_family_case"),
        ("parent", "freddie_la_case"),  # the council's case, shared with the family
        ("worker", "freddie_la_case"),  # works on it, but it has no EHCP status
    ],
)
def test_everyone_else_gets_a_404_that_names_nothing_and_changes_nothing(
    persona: str, case_key: str, request: pytest.FixtureRequest, client_for: ClientFor
) -> None:
    case: Case = request.getfixturevalue(case_key)
    client = client_for(request.getfixturevalue(persona))
    changes, events = StatusChange.objects.count(), AuditEvent.objects.count()
    today = timezone.localdate()
    for response in (
        client.get(url_of(case)),
        client.post(url_of(case), form_data("mediation", today.day, today.month, today.year)),
    ):
        assert response.status_code == 404
        body = response.content.decode()
        assert case.reference not in body
        assert case.child.display_name not in body
    assert (StatusChange.objects.count(), AuditEvent.objects.count()) == (changes, events)


def test_signed_out_people_are_sent_to_sign_in(freddie_family_case: Case) -> None:
    response = Client().get(url_of(freddie_family_case))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_bad_input_is_refused_with_govuk_errors_and_keeps_what_was_typed(
    parent: User, client_for: ClientFor
) -> None:
    case = poppy_case()
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(parent).post(
        url_of(case),
        form_data("mediation", tomorrow.day, tomorrow.month, tomorrow.year, "Rang the mediator"),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Date of the change must be today or in the past" in body
    assert 'value="mediation" checked' in body or 'checked value="mediation"' in body
    assert f'value="{tomorrow.day}"' in body
    assert "Rang the mediator" in body
    assert StatusChange.objects.filter(case=case).count() == 0


def test_a_date_before_the_case_opened_is_refused_by_the_service_on_the_form(
    parent: User, client_for: ClientFor
) -> None:
    case = poppy_case()
    early = case.opened_on - timedelta(days=1)
    response = client_for(parent).post(
        url_of(case), form_data("pre_assessment", early.day, early.month, early.year)
    )
    assert response.status_code == 400
    assert "when the case was opened" in response.content.decode()


def test_no_status_chosen_is_refused(parent: User, client_for: ClientFor) -> None:
    today = timezone.localdate()
    response = client_for(parent).post(
        url_of(poppy_case()), form_data("", today.day, today.month, today.year)
    )
    assert response.status_code == 400
    assert "Select the new status" in response.content.decode()
