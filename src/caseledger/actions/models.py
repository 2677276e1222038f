"""Next actions: what must happen on a case, who is responsible, by when, and on what basis."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from caseledger.domain.statutory_clock import RULES_BY_ID


class Party(models.TextChoices):
    """Someone responsible who is not a user of this organisation."""

    LOCAL_AUTHORITY = "local_authority", "The local authority"
    SCHOOL = "school", "The school"
    PROFESSIONAL = "professional", "A professional"
    ADVOCATE = "advocate", "The advocate"
    FAMILY = "family", "The family"


class Priority(models.TextChoices):
    ROUTINE = "routine", "Routine"
    IMPORTANT = "important", "Important"
    URGENT = "urgent", "Urgent"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class NextAction(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="next_actions")
    description = models.CharField(max_length=300)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_actions",
    )
    responsible_party = models.CharField(max_length=20, choices=Party.choices, blank=True)
    due_on = models.DateField()
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.ROUTINE)
    # A rule id of the statutory clock (domain/statutory_clock.py); its citation is shown.
    statutory_rule = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default="open")
    done_on = models.DateField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)
    # The first day the daily sweep found it open past its due date: a breach, kept even if
    # the action is done later.
    breached_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(responsible_user__isnull=False, responsible_party="")
                | Q(responsible_user__isnull=True) & ~Q(responsible_party=""),
                name="action_one_responsible",
            ),
            models.CheckConstraint(
                condition=Q(status="open", done_on__isnull=True, cancelled_reason="")
                | Q(status="done", done_on__isnull=False)
                | Q(status="cancelled", done_on__isnull=True) & ~Q(cancelled_reason=""),
                name="action_status_is_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["case", "status", "due_on"], name="action_case_due"),
            models.Index(fields=["responsible_user", "status", "due_on"], name="action_mine_due"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()

    @property
    def statutory_citation(self) -> str:
        rule = RULES_BY_ID.get(self.statutory_rule)
        return rule.citation if rule is not None else ""

    @property
    def responsible_label(self) -> str:
        if self.responsible_user is not None:
            return self.responsible_user.full_name
        return Party(self.responsible_party).label


class CalendarFeed(models.Model):
    """A secret, revocable address from which a calendar app reads a person's open actions.

    Only a hash of the token is stored: the address is shown once, when it is made, and a lost
    or leaked one is replaced (which revokes the old one).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"


class ReminderKind(models.TextChoices):
    DUE_IN_7 = "due_in_7", "Due in 7 days"
    DUE_IN_3 = "due_in_3", "Due in 3 days"
    DUE_IN_1 = "due_in_1", "Due tomorrow"
    OVERDUE = "overdue", "Overdue"


class Notification(models.Model):
    """A reminder about an action, for the person responsible. One per action, kind and due
    date, so the daily sweep can run any number of times without repeating itself."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    action = models.ForeignKey(NextAction, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    due_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "action", "kind", "due_on"], name="notification_once"
            )
        ]
        indexes = [
            models.Index(fields=["user", "read_at", "created_at"], name="notification_inbox")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.action}"


class ReminderSettings(models.Model):
    """How a person wants reminders: in the service, by email, both or neither."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"Reminder settings of {self.user}"
