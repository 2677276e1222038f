"""How often a child on each type of case must be visited, per organisation (rule 13).

A missing row means the default in `DEFAULT_VISIT_INTERVALS`; a row with no number means
the organisation does not monitor visits for that type of case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from caseledger.cases.models import CaseType

FEWEST_DAYS = 1
MOST_DAYS = 365

# Days between visits to the child when an organisation has set nothing.
DEFAULT_VISIT_INTERVALS: dict[str, int | None] = {
    # The Care Planning, Placement and Case Review (England) Regulations 2010, reg. 28(2):
    # a looked-after child is visited at least every 6 weeks in the first year of a placement.
    CaseType.LOOKED_AFTER: 42,
    # Not set in regulation: 10 working days (about 2 weeks) is a common local standard for
    # visits under a child protection plan; an organisation sets its own.
    CaseType.CHILD_PROTECTION: 14,
    # A common local standard for a child in need plan (every 4 weeks).
    CaseType.CHILD_IN_NEED: 28,
    CaseType.EARLY_HELP: 42,
    # No visiting standard: not monitored.
    CaseType.SEN_SUPPORT: None,
    CaseType.EHCP_TRACKING: None,
}


class VisitInterval(models.Model):
    """An organisation's own interval between visits to a child on one type of case."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="visit_intervals"
    )
    case_type = models.CharField(max_length=30, choices=CaseType.choices)
    # Empty: visits on this type of case are not monitored.
    interval_days = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "case_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "case_type"], name="visit_interval_unique"
            ),
            models.CheckConstraint(
                condition=Q(interval_days__isnull=True)
                | Q(interval_days__gte=FEWEST_DAYS, interval_days__lte=MOST_DAYS),
                name="visit_interval_sensible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_case_type_display()} every {self.interval_days} days"
