"""Next actions: what must happen on a case, who is responsible, by when, and on what basis."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from caseledger.domain.statutory_clock import EXCEPTION_KINDS, EXCEPTIONS, RULES_BY_ID


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

    # Where it came from: the timeline event that started a statutory clock, or the
    # interaction whose promise it is.
    source_entry = models.ForeignKey(
        "ledger.Entry", on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    # Set by the statutory clock: the milestone, and the date the law sets as last worked
    # out. `due_on` differs from it only through a recorded lawful exception (a trigger
    # refuses anything else).
    milestone = models.CharField(max_length=40, blank=True)
    statutory_due_on = models.DateField(null=True, blank=True)
    # The last recalculation, in words ("The request date was corrected from ... to ...").
    recalculated_note = models.TextField(blank=True)
    recalculated_at = models.DateTimeField(null=True, blank=True)

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
            models.Index(fields=["source_entry"], name="action_source_entry"),
            # My actions and the calendar feed: the actions a person added for a party.
            models.Index(
                fields=["created_by", "status", "due_on"],
                condition=Q(responsible_user__isnull=True),
                name="action_followed_due",
            ),
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
    def is_statutory_clock(self) -> bool:
        """Set by the statutory clock: its due date moves only by recalculation or a lawful
        exception."""
        return self.statutory_due_on is not None

    @property
    def exception_kinds(self) -> list[tuple[str, str]]:
        kinds, _ = EXCEPTIONS.get(self.statutory_rule, ((), ""))
        return [(kind, EXCEPTION_KINDS[kind]) for kind in kinds] if self.is_statutory_clock else []

    @property
    def responsible_label(self) -> str:
        if self.responsible_user is not None:
            return self.responsible_user.full_name
        return Party(self.responsible_party).label


class LawfulException(models.Model):
    """A lawful reason a statutory time limit need not be met, with its evidence and who
    approved it (SEND Regulations 2014, regs 5(4), 8(2), 10(4), 13(3); UK GDPR Art. 12(3)).

    The only way a statutory clock's due date moves other than by recalculation: the action
    keeps the date the law set beside the new one. Append-only: a trigger refuses UPDATE and
    DELETE.
    """

    class Kind(models.TextChoices):
        SCHOOL_CLOSURE = "school_closure", EXCEPTION_KINDS["school_closure"]
        EARLY_YEARS_CLOSURE = "early_years_closure", EXCEPTION_KINDS["early_years_closure"]
        EXCEPTIONAL_PERSONAL = "exceptional_personal", EXCEPTION_KINDS["exceptional_personal"]
        ABSENT_FROM_AREA = "absent_from_area", EXCEPTION_KINDS["absent_from_area"]
        MISSED_APPOINTMENT = "missed_appointment", EXCEPTION_KINDS["missed_appointment"]
        SAR_EXTENSION = "sar_extension", EXCEPTION_KINDS["sar_extension"]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.ForeignKey(NextAction, on_delete=models.PROTECT, related_name="exceptions")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    evidence = models.TextField()
    # Who approved it: a manager or admin of the organisation, or, for a family tracking the
    # council's deadlines, the named officer who told them.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by_name = models.CharField(max_length=200, blank=True)
    previous_due_on = models.DateField()
    revised_due_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=False) | ~Q(approved_by_name=""),
                name="exception_names_approver",
            ),
            models.CheckConstraint(
                condition=Q(revised_due_on__gt=models.F("previous_due_on")),
                name="exception_moves_date_later",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="exception_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def approver_label(self) -> str:
        return self.approved_by.full_name if self.approved_by else self.approved_by_name


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
