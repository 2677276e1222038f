"""EHCP test data, made through the services, on the demo world's family cases."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.cases.models import Case
from caseledger.ehcp.models import StatusChange
from caseledger.ehcp.services import change_status


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def poppy_case() -> Case:
    """The Morgans' EHCP tracking case for Poppy: opened 20 days ago, no status yet."""
    return Case.objects.select_related("child", "organisation").get(
        child__first_names="Poppy", organisation__reference_prefix="MORGAN"
    )


def aarav_case() -> Case:
    """The Patels' EHCP tracking case for Aarav, with its final plan issued 330 days ago."""
    return Case.objects.select_related("child", "organisation").get(
        child__first_names="Aarav", organisation__reference_prefix="PATEL"
    )


def change(actor: User, case: Case, status: str, days: int, note: str = "") -> StatusChange:
    return change_status(
        actor=actor, case=case, status=status, effective_on=days_ago(days), note=note
    )
