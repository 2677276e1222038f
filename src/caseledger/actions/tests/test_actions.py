"""Next actions: added, changed (old and new values kept), done, cancelled; never deleted."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from caseledger.actions.models import ActionStatus, NextAction
from caseledger.actions.services import (
    ActionDetails,
    add_action,
    cancel_action,
    change_action,
    complete_action,
)
from caseledger.audit.models import Action, AuditEvent
from caseledger.domain.errors import DomainError, NotPermittedError

pytestmark = pytest.mark.django_db


def details(**overrides: Any) -> ActionDetails:
    """A valid action for Kayden's case, with any field replaced."""
    return replace(
        ActionDetails(
            description="Chase the educational psychologist's report",
            due_on=timezone.localdate() + timedelta(days=10),
            responsible_party="local_authority",
            statutory_rule="send-regs-8-1",
        ),
        **overrides,
    )


def test_an_action_is_added_and_audited(worker, kayden_case):
    action = add_action(actor=worker, case=kayden_case, details=details())
    assert action.is_open
    assert action.statutory_citation == "SEND Regulations 2014, reg 8(1)"
    event = AuditEvent.objects.get(action=Action.ACTION_ADDED, object_id=str(action.id))
    assert event.changes["due_on"]["new"] == action.due_on.isoformat()


def test_moving_a_due_date_keeps_the_old_and_new_dates(worker, kayden_case):
    action = add_action(actor=worker, case=kayden_case, details=details())
    old = action.due_on
    later = old + timedelta(days=14)
    change_action(actor=worker, action=action, details=details(due_on=later))
    event = AuditEvent.objects.get(action=Action.ACTION_CHANGED, object_id=str(action.id))
    assert event.changes == {"due_on": {"old": old.isoformat(), "new": later.isoformat()}}


def test_a_change_that_changes_nothing_is_not_recorded(worker, kayden_case):
    action = add_action(actor=worker, case=kayden_case, details=details())
    change_action(actor=worker, action=action, details=details())
    assert not AuditEvent.objects.filter(action=Action.ACTION_CHANGED).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "  "}, "description"),
        ({"responsible_party": ""}, "responsible"),
        ({"responsible_party": "the moon"}, "responsible"),
        ({"priority": "whenever"}, "priority"),
        ({"statutory_rule": "made-up-rule"}, "statutory_rule"),
    ],
)
def test_bad_details_are_refused_on_their_field(worker, kayden_case, overrides, field):
    with pytest.raises(DomainError) as refused:
        add_action(actor=worker, case=kayden_case, details=details(**overrides))
    assert refused.value.field == field
    assert not NextAction.objects.filter(case=kayden_case).exists()


def test_someone_in_another_organisation_cannot_be_made_responsible(worker, outsider, kayden_case):
    with pytest.raises(DomainError):
        add_action(
            actor=worker,
            case=kayden_case,
            details=details(responsible_party="", responsible_user=outsider),
        )


def test_only_those_who_work_on_the_case_add_actions(parent, freddie_la_case):
    with pytest.raises(NotPermittedError):
        add_action(actor=parent, case=freddie_la_case, details=details())


def test_done_and_cancelled_actions_are_closed_for_good(worker, kayden_case):
    done = add_action(actor=worker, case=kayden_case, details=details())
    complete_action(actor=worker, action=done, done_on=timezone.localdate())
    with pytest.raises(DomainError, match="already been closed"):
        change_action(actor=worker, action=done, details=details(description="Changed"))
    cancelled = add_action(actor=worker, case=kayden_case, details=details())
    with pytest.raises(DomainError, match="Enter why"):
        cancel_action(actor=worker, action=cancelled, reason=" ")
    cancel_action(actor=worker, action=cancelled, reason="The report arrived by post")
    cancelled.refresh_from_db()
    assert cancelled.status == ActionStatus.CANCELLED


def test_the_database_refuses_an_action_with_two_responsibles(worker, kayden_case):
    action = add_action(actor=worker, case=kayden_case, details=details())
    with pytest.raises(IntegrityError), transaction.atomic():
        NextAction.objects.filter(pk=action.pk).update(responsible_user=worker)


def test_overdue_is_worked_out_from_today(worker, kayden_case):
    action = add_action(
        actor=worker,
        case=kayden_case,
        details=details(due_on=timezone.localdate() - timedelta(days=1)),
    )
    assert action.is_overdue


# --- Pages ------------------------------------------------------------------------------------


def test_a_worker_adds_an_action_and_sees_it_with_its_citation(worker, kayden_case, client_for):
    client = client_for(worker)
    due = timezone.localdate() + timedelta(days=5)
    response = client.post(
        f"/cases/{kayden_case.id}/actions/new/",
        {
            "description": "Book the annual review meeting",
            "responsible": f"user:{worker.id}",
            "due_on-day": str(due.day),
            "due_on-month": str(due.month),
            "due_on-year": str(due.year),
            "priority": "important",
            "statutory_rule": "cfa-44-plan",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/cases/{kayden_case.id}/actions/").content.decode()
    assert "Book the annual review meeting" in page
    assert "Children and Families Act 2014, s.44(1)" in page
    mine = client.get("/actions/").content.decode()
    assert "Book the annual review meeting" in mine


def test_a_bad_form_keeps_what_was_typed(worker, kayden_case, client_for):
    response = client_for(worker).post(
        f"/cases/{kayden_case.id}/actions/new/",
        {"description": "Phone the GP", "responsible": "", "priority": "routine"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Select who is responsible" in body
    assert "Enter the due date" in body
    assert 'value="Phone the GP"' in body


def test_a_grantee_sees_actions_but_cannot_change_them(worker, parent, freddie_la_case, client_for):
    action = add_action(actor=worker, case=freddie_la_case, details=details())
    client = client_for(parent)
    page = client.get(f"/cases/{freddie_la_case.id}/actions/")
    assert page.status_code == 200
    assert "Chase the educational psychologist" in page.content.decode()
    assert f"/actions/{action.id}/edit/" not in page.content.decode()
    assert client.get(f"/actions/{action.id}/edit/").status_code == 404


def test_the_case_history_shows_a_moved_due_date(worker, kayden_case, client_for):
    action = add_action(actor=worker, case=kayden_case, details=details())
    later = action.due_on + timedelta(days=7)
    change_action(actor=worker, action=action, details=details(due_on=later))
    body = client_for(worker).get(f"/cases/{kayden_case.id}/").content.decode()
    assert f"Due: {action.due_on.isoformat()} → {later.isoformat()}" in body


def test_overdue_actions_list_the_teams_cases_for_its_manager(
    worker, manager, other_team_manager, kayden_case, client_for
):
    late = add_action(
        actor=worker,
        case=kayden_case,
        details=details(
            description="Send the assessment to the family",
            due_on=timezone.localdate() - timedelta(days=3),
        ),
    )
    add_action(actor=worker, case=kayden_case, details=details(description="Not due yet"))
    body = client_for(manager).get("/actions/overdue/").content.decode()
    assert late.description in body
    assert "Not due yet" not in body
    assert (
        late.description
        not in client_for(other_team_manager).get("/actions/overdue/").content.decode()
    )


def test_the_calendar_feed_lists_my_open_actions_without_names(worker, kayden_case, client_for):
    action = add_action(
        actor=worker,
        case=kayden_case,
        details=details(
            description="Visit, with the school nurse; bring the form",
            responsible_party="",
            responsible_user=worker,
        ),
    )
    client = client_for(worker)
    page = client.post("/actions/calendar/", {"action": "make"}).content.decode()
    start = page.index("/calendar/")
    url = page[start : page.index("</span>", start)]
    anonymous = client_for(None)
    feed = anonymous.get(url)
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    body = feed.content.decode()
    assert "BEGIN:VCALENDAR\r\n" in body
    assert f"DTSTART;VALUE=DATE:{action.due_on:%Y%m%d}" in body
    # Escaped per RFC 5545, and no child's name on a calendar server.
    assert "Visit\\, with the school nurse\\; bring the form" in body
    assert kayden_case.child.last_name not in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    # A new address revokes the old one; turning the feed off revokes it too.
    client.post("/actions/calendar/", {"action": "make"})
    assert anonymous.get(url).status_code == 404
    client.post("/actions/calendar/", {"action": "revoke"})
    assert anonymous.get("/calendar/not-a-token/actions.ics").status_code == 404
    assert AuditEvent.objects.filter(action=Action.CALENDAR_FEED_REVOKED, actor=worker).count() == 2


def test_my_actions_and_my_calendar_hold_what_i_follow_up_for_a_party(
    parent, advocate, freddie_family_case, client_for
):
    """Jo adds the council's promise as an action on the local authority: it is hers to chase,
    so it is on her list and in her calendar; not on the advocate's, who did not add it."""
    action = add_action(
        actor=parent,
        case=freddie_family_case,
        details=details(
            description="Decision on whether to assess", statutory_rule="", priority="urgent"
        ),
    )
    mine = client_for(parent).get("/actions/").content.decode()
    assert "Decision on whether to assess" in mine
    assert "The local authority" in mine
    assert "Decision on whether to assess" not in (
        client_for(advocate).get("/actions/").content.decode()
    )
    page = client_for(parent).post("/actions/calendar/", {"action": "make"}).content.decode()
    start = page.index("/calendar/")
    feed = client_for(None).get(page[start : page.index("</span>", start)]).content.decode()
    assert f"UID:{action.id}@caseledger" in feed
    assert "SUMMARY:Due: Decision on whether to assess" in feed
