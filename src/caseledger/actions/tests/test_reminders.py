"""Reminders 7, 3 and 1 days before the due date and when overdue; the sweep is idempotent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from caseledger.actions.models import NextAction, Notification, ReminderKind
from caseledger.actions.reminders import change_reminder_settings, sweep
from caseledger.actions.services import ActionDetails, add_action
from caseledger.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

DUE = date(2026, 12, 10)


@pytest.fixture(autouse=True)
def only_these_tests_actions(db):
    """The demo's statutory clocks (issue 4) are running too; the counts here are about the
    actions each test adds, so the demo's are set aside inside the test's transaction."""
    NextAction.objects.all().delete()


def action_for(worker, case, due=DUE):
    return add_action(
        actor=worker,
        case=case,
        details=ActionDetails(
            description="Send the draft plan comments", due_on=due, responsible_user=worker
        ),
    )


@pytest.mark.parametrize(
    ("today", "kind"),
    [
        (DUE - timedelta(days=7), ReminderKind.DUE_IN_7),
        (DUE - timedelta(days=3), ReminderKind.DUE_IN_3),
        (DUE - timedelta(days=1), ReminderKind.DUE_IN_1),
        (DUE + timedelta(days=1), ReminderKind.OVERDUE),
    ],
)
def test_a_reminder_on_each_day_of_the_schedule_and_once_only(
    worker, kayden_case, django_capture_on_commit_callbacks, today, kind
):
    action = action_for(worker, kayden_case)
    with time_machine.travel(today, tick=False), django_capture_on_commit_callbacks(execute=True):
        first = sweep()
        again = sweep()
    assert first.reminders == 1
    assert again.reminders == 0
    (notification,) = Notification.objects.filter(action=action)
    assert notification.kind == kind
    assert len(mail.outbox) == 1
    assert kayden_case.reference in mail.outbox[0].subject
    assert kayden_case.child.last_name not in mail.outbox[0].body


def test_no_reminder_on_other_days(worker, kayden_case):
    action_for(worker, kayden_case)
    assert sweep(today=DUE - timedelta(days=5)).reminders == 0
    assert sweep(today=DUE).reminders == 0


def test_an_overdue_action_is_flagged_as_a_breach_once(worker, kayden_case):
    action = action_for(worker, kayden_case)
    assert sweep(today=DUE + timedelta(days=1)).breaches == 1
    assert sweep(today=DUE + timedelta(days=2)).breaches == 0
    action.refresh_from_db()
    assert action.breached_on == DUE + timedelta(days=1)
    assert (
        AuditEvent.objects.filter(action=Action.ACTION_BREACHED, object_id=str(action.id)).count()
        == 1
    )


def test_email_can_be_switched_off(worker, kayden_case, django_capture_on_commit_callbacks):
    change_reminder_settings(actor=worker, in_app=True, email=False)
    action_for(worker, kayden_case)
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep(today=DUE - timedelta(days=3))
    assert (result.reminders, result.emails) == (1, 0)
    assert mail.outbox == []


def test_reminders_page_lists_and_marks_read(worker, kayden_case, client_for):
    action_for(worker, kayden_case)
    sweep(today=DUE - timedelta(days=1))
    client = client_for(worker)
    page = client.get("/notifications/").content.decode()
    assert "Due tomorrow" in page
    assert "Reminders (1 new)" in page
    client.post("/notifications/")
    assert "Reminders (1 new)" not in client.get("/notifications/").content.decode()


def test_the_sweep_command_prints_one_line_and_refuses_a_bad_date(worker, kayden_case, capsys):
    action_for(worker, kayden_case)
    call_command("sweep", "--date", (DUE - timedelta(days=7)).isoformat())
    assert capsys.readouterr().out.strip() == (
        f"Sweep for {(DUE - timedelta(days=7)).isoformat()}: 1 reminders (1 emails queued), "
        "0 actions newly overdue"
    )
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as refused:
        call_command("sweep", "--date", "2026-02-31")
    assert refused.value.returncode == 2


def test_an_action_on_a_party_reminds_the_person_who_added_it(
    parent, advocate, freddie_family_case, django_capture_on_commit_callbacks
):
    """The council has no inbox here: Jo, who added the council's promised decision, is the
    one reminded to chase it, and nobody else is."""
    action = add_action(
        actor=parent,
        case=freddie_family_case,
        details=ActionDetails(
            description="The council's decision on whether to assess",
            due_on=DUE,
            responsible_party="local_authority",
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep(today=DUE - timedelta(days=3))
    assert result.reminders == 1
    (notification,) = Notification.objects.filter(action=action)
    assert notification.user == parent
    assert [message.to for message in mail.outbox] == [[parent.email]]
    assert not Notification.objects.filter(user=advocate).exists()
