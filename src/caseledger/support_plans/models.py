"""A pupil's SEN support plan (issue 8): one plan per pupil at their school, run as
assess-plan-do-review cycles (SEND Code of Practice 6.44–6.56).

Each cycle holds its assessment (the needs and the evidence for them), its plan (strategies,
SMART targets, the provision assigned as places in the school's intervention groups, the
review date) and its review (progress per target, the pupil's and the parents' views, the
next steps). "Do" comes from the provision map's delivery records for the linked places: live
while the cycle is under way, and as recorded at its review once it is reviewed
(`CycleDelivery`), because the provision map can still change afterwards. Once a cycle is
reviewed the database refuses any change to it, its targets, its linked provision or its
recorded delivery (migrations 0002 and 0004): the plan's history is the school's evidence of
the graduated approach (Code of Practice 6.63), attached to a request for an EHC needs
assessment. Parents' views are appended, never changed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from caseledger.domain.sen.reviews import Cycle as CycleRules


class Rating(models.TextChoices):
    """How far a target was met at the review, in words a parent reads as they are."""

    NOT_YET_MET = "not_yet_met", "Not yet met"
    PARTLY_MET = "partly_met", "Partly met"
    MET = "met", "Met"
    EXCEEDED = "exceeded", "Exceeded"


class SupportPlan(models.Model):
    """A pupil's SEN support plan at their school. A confidential plan is seen by the
    school's SENCO and the staff named on it only (issue 8); otherwise by the staff who see
    the pupil. Parents the school shares the pupil's records with see it either way."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="support_plans"
    )
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    confidential = models.BooleanField(default=False)
    named_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="named_support_plans", blank=True
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "child"], name="support_plan_one_per_pupil"
            )
        ]

    def __str__(self) -> str:
        return f"Support plan for {self.child}"


class PlanCycle(models.Model):
    """One assess-plan-do-review cycle. Frozen by the database once `reviewed_on` is set."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="cycles")
    number = models.PositiveSmallIntegerField()
    started_on = models.DateField()
    review_due = models.DateField()
    # The previous review's next steps, which this cycle's assessment starts from.
    brought_forward = models.TextField(blank=True)
    # Assess
    needs = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    # Plan (the targets are `Target` rows)
    strategies = models.TextField(blank=True)
    places = models.ManyToManyField("provision.Place", related_name="+", blank=True)
    # Review
    reviewed_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pupil_views = models.TextField(blank=True)
    parent_views = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_cycle_number_unique"),
            models.CheckConstraint(
                condition=models.Q(review_due__gt=models.F("started_on")),
                name="plan_cycle_review_after_start",
            ),
        ]
        indexes = [models.Index(fields=["reviewed_on", "review_due"], name="plan_cycle_due")]

    def __str__(self) -> str:
        return f"Cycle {self.number} of {self.plan}"

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_on is not None

    def as_rules(self) -> CycleRules:
        """The cycle as the domain's rules see it (`caseledger.domain.sen.reviews`)."""
        return CycleRules(
            pupil=str(self.plan.child_id),
            number=self.number,
            started_on=self.started_on,
            review_due=self.review_due,
            reviewed_on=self.reviewed_on,
            next_steps=self.next_steps,
            brought_forward=self.brought_forward,
        )


class Target(models.Model):
    """A SMART target of a cycle: what, how success is measured, by when; rated at the
    review."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(PlanCycle, on_delete=models.PROTECT, related_name="targets")
    position = models.PositiveSmallIntegerField()
    description = models.TextField()
    success_criteria = models.TextField()
    due_on = models.DateField()
    rating = models.CharField(max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["cycle", "position"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "position"], name="target_position_unique")
        ]

    def __str__(self) -> str:
        return self.description[:60]


class Meeting(models.Model):
    """A meeting about the plan (Code of Practice 6.65–6.71: parents are met at least three
    times a year): when, who came, why, and what was said."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField()
    purpose = models.CharField(max_length=200)
    attendees = models.TextField()
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.purpose} on {self.held_on}"


class ParentView(models.Model):
    """A parent's views on a cycle's review, in their own words. Append-only: the database
    refuses UPDATE and DELETE (migration 0002)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(
        PlanCycle, on_delete=models.PROTECT, related_name="parent_views_added"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    views = models.TextField()
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"Views of {self.author}"


class CycleDelivery(models.Model):
    """What one place linked to a cycle delivered in the cycle, as the provision map showed
    it when the cycle's review was recorded. Written in the review's transaction, one row for
    each linked place; append-only (migration 0004 refuses UPDATE and DELETE).

    The provision map goes on changing after a review — an intervention's cost is changed
    (its costs apply to past sessions too), a session is back-dated into the cycle, an exit
    score is corrected — and a reviewed cycle's "Do" must stay what the review looked at:
    the graduated-approach summary attached to a request for an EHC needs assessment is the
    school's record of the action taken as part of SEN support (Code of Practice 6.63, 9.14).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(
        PlanCycle, on_delete=models.PROTECT, related_name="deliveries_at_review"
    )
    place = models.ForeignKey("provision.Place", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    intervention = models.CharField(max_length=150)
    group = models.CharField(max_length=100)
    # The days the figures were counted over (`graduated_approach.cycle_periods`).
    counted_from = models.DateField()
    counted_to = models.DateField()
    sessions_planned = models.PositiveIntegerField()
    sessions_held = models.PositiveIntegerField()
    sessions_attended = models.PositiveIntegerField()
    minutes_attended = models.PositiveIntegerField()
    staff_cost = models.DecimalField(max_digits=12, decimal_places=2)
    other_cost = models.DecimalField(max_digits=12, decimal_places=2)
    entry_score = models.IntegerField(null=True, blank=True)
    exit_score = models.IntegerField(null=True, blank=True)
    gain = models.IntegerField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["cycle", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "position"], name="cycle_delivery_position_unique"
            ),
            models.UniqueConstraint(fields=["cycle", "place"], name="cycle_delivery_place_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.intervention} ({self.group}) in {self.cycle}"
