"""The case page's EHCP panel: the status, its history and the next three deadlines with the
days left, on EHCP tracking cases only, in the same number of queries however long the
history."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.actions.models import NextAction
from caseledger.cases.models import Case
from caseledger.ehcp.models import EhcpStatus
from caseledger.ehcp.tests.factories import change, poppy_case

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User | None], Client]
CHANGE_LINK = "Change status</a>"
LONDON = ZoneInfo("Europe/London")


def case_page(client: Client, case: Case) -> str:
    response = client.get(reverse("cases:case-detail", kwargs={"case_id": case.id}))
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_family_sees_the_status_history_and_next_three_deadlines(
    parent: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    change(parent, freddie_family_case, EhcpStatus.ASSESSMENT_UNDERWAY, 1, "The EP visits soon")
    body = case_page(client_for(parent), freddie_family_case)
    text = text_of(body)
    assert "EHCP status" in text
    assert 'govuk-tag--blue">Assessment underway</strong>' in body
    assert CHANGE_LINK in body
    history = text[text.index("EHCP status history") :]
    assert history.index("Assessment underway") < history.index("Assessment requested")
    assert "The EP visits soon" in history
    assert "Sent by email to the SEN team" in history
    assert "Jo Morgan" in history
    today = timezone.localdate()
    soonest = NextAction.objects.filter(case=freddie_family_case, status="open").order_by(
        "due_on", "id"
    )[:3]
    deadlines = text[text.index("Next deadlines") : text.index("EHCP status history")]
    for action in soonest:
        left = (action.due_on - today).days
        assert f"{action.due_on.day} {action.due_on:%b %Y}" in deadlines
        assert f"{left} days left" in deadlines or f"{left} day left" in deadlines
    decision = NextAction.objects.get(case=freddie_family_case, statutory_rule="send-regs-5-1")
    assert decision.description in deadlines
    assert "SEND Regulations 2014, reg 5(1)" in deadlines
    assert len(re.findall(r"\d+ days? (?:left|overdue)|due today", deadlines)) == 3


def test_overdue_deadlines_and_those_due_today_say_so(
    parent: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    decision = NextAction.objects.get(case=freddie_family_case, statutory_rule="send-regs-5-1")
    # Midday in London, signed in then (a session from weeks earlier would have expired).
    with time_machine.travel(datetime.combine(decision.due_on, time(12), LONDON), tick=False):
        assert "due today" in text_of(case_page(client_for(parent), freddie_family_case))
    overdue = decision.due_on + timedelta(days=3)
    with time_machine.travel(datetime.combine(overdue, time(12), LONDON), tick=False):
        assert "3 days overdue" in text_of(case_page(client_for(parent), freddie_family_case))


def test_an_advocate_sees_the_status_but_cannot_change_it(
    advocate: User, freddie_family_case: Case, client_for: ClientFor
) -> None:
    body = case_page(client_for(advocate), freddie_family_case)
    assert "Assessment requested</strong>" in body
    assert "EHCP status history" in body
    assert CHANGE_LINK not in body
    assert reverse("ehcp:status-change", kwargs={"case_id": freddie_family_case.id}) not in body


def test_a_case_with_no_status_yet_says_so(parent: User, client_for: ClientFor) -> None:
    text = text_of(case_page(client_for(parent), poppy_case()))
    assert "No status has been recorded yet." in text
    assert "There are no open deadlines on this case." in text


@pytest.mark.parametrize(
    ("persona", "case_key"),
    [("worker", "freddie_la_case"), ("parent", "freddie_la_case"), ("worker", "kayden_case")],
)
def test_only_ehcp_tracking_cases_have_the_panel(
    persona: str, case_key: str, request: pytest.FixtureRequest, client_for: ClientFor
) -> None:
    body = case_page(
        client_for(request.getfixturevalue(persona)), request.getfixturevalue(case_key)
    )
    assert "EHCP status" not in body
    assert "Next deadlines" not in body


def test_the_case_page_costs_the_same_queries_however_long_the_history(
    parent: User, client_for: ClientFor
) -> None:
    case = poppy_case()
    client = client_for(parent)
    change(parent, case, EhcpStatus.PRE_ASSESSMENT, 15)
    case_page(client, case)  # warm the session and caches
    with CaptureQueriesContext(connection) as short:
        case_page(client, case)
    for days, status in enumerate(
        [
            EhcpStatus.ASSESSMENT_REQUESTED,
            EhcpStatus.ASSESSMENT_UNDERWAY,
            EhcpStatus.DRAFT_PLAN_RECEIVED,
            EhcpStatus.FINAL_PLAN_ISSUED,
            EhcpStatus.MEDIATION,
        ]
    ):
        change(parent, case, status, 10 - days)
    with CaptureQueriesContext(connection) as long:
        body = case_page(client, case)
    assert "Draft plan received" in body
    assert len(long) == len(short), [q["sql"] for q in long.captured_queries]
