"""Reminders and breaches: what the daily sweep does, and the email it queues.

Reminders go to the person responsible (or, for an action on a party such as the local
authority, the person who added it and follows it up) 7, 3 and 1 days before an action is due
and on the day it becomes overdue (the issue's schedule), in the service and by email, each
switchable per person. The sweep is idempotent: a reminder is one row per action, kind and
due date, so running it twice in a day (or after a missed day) repeats nothing. Overdue open
actions are flagged as breaches the first time the sweep finds them, with an audit event: a
missed deadline is never quietly forgotten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.actions.models import (
    ActionStatus,
    NextAction,
    Notification,
    ReminderKind,
    ReminderSettings,
)
from caseledger.audit.models import Action
from caseledger.audit.services import record_event

DAYS_BEFORE = {7: ReminderKind.DUE_IN_7, 3: ReminderKind.DUE_IN_3, 1: ReminderKind.DUE_IN_1}


@dataclass(frozen=True)
class SweepResult:
    day: date
    reminders: int
    emails: int
    breaches: int

    def summary(self) -> str:
        return (
            f"Sweep for {self.day.isoformat()}: {self.reminders} reminders "
            f"({self.emails} emails queued), {self.breaches} actions newly overdue"
        )


def settings_of(user: User) -> ReminderSettings:
    found = ReminderSettings.objects.filter(user=user).first()
    return found if found is not None else ReminderSettings(user=user)


def follower_of(action: NextAction) -> User:
    """Who is reminded: the person responsible, or, for an action on a party (the local
    authority, the school …), the person who added it and follows it up."""
    return action.responsible_user or action.created_by


@transaction.atomic
def sweep(*, today: date | None = None) -> SweepResult:
    """Create the day's reminders, queue their emails, and flag new breaches."""
    day = today or timezone.localdate()
    open_actions = NextAction.objects.filter(status=ActionStatus.OPEN).select_related(
        "responsible_user", "created_by", "case", "case__organisation"
    )
    due: list[tuple[NextAction, str]] = [
        (action, kind)
        for days, kind in DAYS_BEFORE.items()
        for action in open_actions.filter(due_on=day + timedelta(days=days))
    ]
    overdue = list(open_actions.filter(due_on__lt=day))
    due += [(action, ReminderKind.OVERDUE) for action in overdue]
    # One query for everyone's preferences, not one per reminder.
    wants_email = {
        preference.user_id: preference.email
        for preference in ReminderSettings.objects.filter(
            user_id__in={follower_of(action).id for action, _ in due}
        )
    }
    reminders = emails = 0
    for action, kind in due:
        user = follower_of(action)
        if not user.is_active:
            continue
        notification, created = Notification.objects.get_or_create(
            user=user, action=action, kind=kind, due_on=action.due_on
        )
        if not created:
            continue
        reminders += 1
        if wants_email.get(user.id, True):  # email is on unless the person turned it off
            emails += 1
            transaction.on_commit(partial(send_reminder.enqueue, str(notification.id)))
    breaches = 0
    for action in overdue:
        if action.breached_on is None:
            action.breached_on = day
            action.save(update_fields=["breached_on"])
            breaches += 1
            record_event(
                actor=None,
                action=Action.ACTION_BREACHED,
                obj=action,
                organisation=action.case.organisation,
                case_id=action.case_id,
                detail={"due_on": action.due_on.isoformat(), "found_on": day.isoformat()},
            )
    return SweepResult(day=day, reminders=reminders, emails=emails, breaches=breaches)


@task
def send_reminder(notification_id: str) -> None:
    """Email one reminder (background worker). It names the case reference, never the child."""
    notification = (
        Notification.objects.select_related("user", "action", "action__case")
        .filter(id=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None or not settings_of(notification.user).email:
        return
    action = notification.action
    path = reverse("actions:case-actions", kwargs={"case_id": action.case_id})
    send_mail(
        subject=f"{notification.get_kind_display()}: an action on case {action.case.reference}",
        message=(
            f"{action.description}\n\nDue {action.due_on:%-d %B %Y}.\n\n"
            f"Open the case's actions in {settings.CASELEDGER_SERVICE_NAME}: {path}\n"
        ),
        from_email=None,
        recipient_list=[notification.user.email],
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


@transaction.atomic
def mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def change_reminder_settings(*, actor: User, in_app: bool, email: bool) -> ReminderSettings:
    current, _ = ReminderSettings.objects.get_or_create(user=actor)
    before = {"in_app": current.in_app, "email": current.email}
    current.in_app, current.email = in_app, email
    current.save()
    after = {"in_app": in_app, "email": email}
    if before != after:
        record_event(
            actor=actor,
            action=Action.REMINDER_SETTINGS_CHANGED,
            obj=current,
            organisation=actor.organisation,
            changes={
                name: {"old": before[name], "new": after[name]}
                for name in after
                if before[name] != after[name]
            },
        )
    return current
