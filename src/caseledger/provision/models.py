"""A school's provision map (issue 8): its intervention library, the groups that run each
intervention and the pupils placed in them, every session held or missed, and each pupil's
entry and exit measure on a scale the school chooses.

The arithmetic — cost, attendance, gains, ranking — lives in `caseledger.domain.sen.impact`;
these tables hold what it reads. Money is kept in pounds and pence (`DecimalField`), scores as
whole numbers on the intervention's scale.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from caseledger.domain.sen.areas import BroadArea, Wave
from caseledger.domain.sen.impact import Scale, ScaleKind

AREA_CHOICES = [(area.value, area.label) for area in BroadArea]
WAVE_CHOICES = [(wave.value, wave.label) for wave in Wave]  # the label says "Wave 1: …"
SCALE_KIND_CHOICES = [(kind.value, kind.label) for kind in ScaleKind]


class MeasureScale(models.Model):
    """A scale the school records entry and exit measures on: a standardised score, a
    reading age in months or a −2..+2 judgement, with the range the school uses."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="measure_scales"
    )
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=30, choices=SCALE_KIND_CHOICES)
    minimum = models.IntegerField()
    maximum = models.IntegerField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="scale_name_unique"),
            models.CheckConstraint(
                condition=models.Q(minimum__lt=models.F("maximum")), name="scale_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def as_domain(self) -> Scale:
        return Scale(ScaleKind(self.kind), self.minimum, self.maximum)


class Intervention(models.Model):
    """An intervention in the school's library: additional to or different from the
    curriculum (Code of Practice 6.76), with what it costs and what it is meant to achieve."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="interventions"
    )
    name = models.CharField(max_length=150)
    area = models.CharField("Area of need", max_length=40, choices=AREA_CHOICES)
    description = models.TextField(blank=True)
    intended_outcome = models.TextField(blank=True)
    wave = models.PositiveSmallIntegerField(choices=WAVE_CHOICES)
    group_size = models.PositiveSmallIntegerField()
    staff_role = models.CharField(max_length=100)
    session_minutes = models.PositiveSmallIntegerField()
    sessions_per_week = models.PositiveSmallIntegerField()
    staff_cost_per_hour = models.DecimalField(max_digits=8, decimal_places=2)
    other_costs_per_year = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    scale = models.ForeignKey(MeasureScale, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="intervention_name_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "area", "wave"], name="intervention_area")]

    def __str__(self) -> str:
        return self.name


class InterventionGroup(models.Model):
    """A group running an intervention: who leads it, when it started and ended."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(max_length=100)
    led_by = models.CharField(max_length=150, blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-started_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="group_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Place(models.Model):
    """A pupil's place in a group, from a start to an end date, with the entry and exit
    measures and the target set for it (a gain, or an exit score)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(InterventionGroup, on_delete=models.PROTECT, related_name="places")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    entry_score = models.IntegerField(null=True, blank=True)
    entry_measured_on = models.DateField(null=True, blank=True)
    exit_score = models.IntegerField(null=True, blank=True)
    exit_measured_on = models.DateField(null=True, blank=True)
    target_gain = models.IntegerField(null=True, blank=True)
    target_exit = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="place_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(target_gain__isnull=True) | models.Q(target_exit__isnull=True),
                name="place_one_kind_of_target",
            ),
        ]
        indexes = [
            models.Index(fields=["child", "started_on"], name="place_child"),
            models.Index(fields=["group", "started_on"], name="place_group"),
        ]

    def __str__(self) -> str:
        return f"{self.child} in {self.group}"


class DeliverySession(models.Model):
    """A timetabled session of a group: held (with any pupils absent) or missed, with the
    reason. One per group per day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(InterventionGroup, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField()
    held = models.BooleanField(default=True)
    reason = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["held_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "held_on"], name="session_one_a_day"),
            models.CheckConstraint(
                condition=models.Q(held=True) | ~models.Q(reason=""),
                name="missed_session_has_reason",
            ),
        ]
        # The provision map counts a group's sessions, held and logged, between two dates
        # (`queries.load_tallied`): with `held` in the index the count never reads the table.
        indexes = [models.Index(fields=["group", "held_on", "held"], name="session_held")]

    def __str__(self) -> str:
        return f"{self.group} on {self.held_on}"


class SessionAbsence(models.Model):
    """A pupil with a place who missed a session that was held."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(DeliverySession, on_delete=models.PROTECT, related_name="absences")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="absences")
    # The session's date, copied when the absence is recorded (a session's date never
    # changes), so the provision map counts a place's absences in a year from an index on
    # (place, date, session) instead of reading every absence's session
    # (`queries.load_tallied`).
    held_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "place"], name="absence_once")]
        indexes = [models.Index(fields=["place", "held_on", "session"], name="absence_place_day")]

    def __str__(self) -> str:
        return f"Absent: {self.place}"
