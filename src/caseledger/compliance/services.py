"""The compliance app's writes: an organisation's visiting intervals, and the audit of exports.

Each runs in one transaction with its audit event (Zulip's pattern; STYLE.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from caseledger.accounts.models import Organisation, User
from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.cases.models import CaseType
from caseledger.compliance.access import monitors_organisation
from caseledger.compliance.models import FEWEST_DAYS, MOST_DAYS, VisitInterval
from caseledger.compliance.reports import intervals_for
from caseledger.domain.errors import DomainError, NotPermittedError


def interval_message(case_type: str) -> str:
    label = CaseType(case_type).label.lower()
    return (
        f"Enter the number of days between visits for {label} cases, "
        f"from {FEWEST_DAYS} to {MOST_DAYS}, or 0 if they are not monitored"
    )


@transaction.atomic
def set_visit_intervals(
    *, actor: User, organisation: Organisation, intervals: Mapping[str, int | None]
) -> dict[str, int | None]:
    """Rule 13: how often a child on each type of case must be seen, in days (empty: visits
    on that type of case are not monitored). Only the organisation's admin sets them.

    Returns the intervals as they now are. One audit event names every change.
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if actor.organisation_id != organisation.pk or not monitors_organisation(actor):
        raise NotPermittedError
    for case_type, days in intervals.items():
        if case_type not in CaseType.values:
            raise DomainError("Select a type of case")
        if days is not None and not FEWEST_DAYS <= days <= MOST_DAYS:
            raise DomainError(interval_message(case_type), field=case_type)
    before = intervals_for(organisation)
    changes: dict[str, dict[str, Any]] = {}
    now = timezone.now()
    for case_type, days in intervals.items():
        if before.get(case_type) == days:
            continue
        VisitInterval.objects.update_or_create(
            organisation=organisation,
            case_type=case_type,
            defaults={"interval_days": days, "updated_at": now, "updated_by": actor},
        )
        changes[f"visit_interval_{case_type}"] = {"old": before.get(case_type), "new": days}
    if changes:
        record_event(
            actor=actor,
            action=Action.VISIT_INTERVALS_CHANGED,
            organisation=organisation,
            changes=changes,
        )
    return intervals_for(organisation)


@transaction.atomic
def record_view(
    *,
    actor: User,
    organisation: Organisation,
    page: str,
    scope: str,
    filters: Mapping[str, str],
    case_ids: Iterable[UUID] = (),
) -> None:
    """ASVS 16.3.2: a dashboard lists children by name and what was recorded about them, so
    viewing one is a read: which page, of which team, for which dates, and the cases shown."""
    record_event(
        actor=actor,
        action=Action.COMPLIANCE_VIEWED,
        organisation=organisation,
        detail={
            "page": page,
            "scope": scope,
            "filters": dict(filters),
            "cases": sorted({str(case_id) for case_id in case_ids}),
        },
    )


@transaction.atomic
def record_export(
    *,
    actor: User,
    organisation: Organisation,
    table: str,
    scope: str,
    filters: Mapping[str, str],
    rows: int | None = None,
) -> None:
    """ASVS 16.3.2: an export of case records is a read, logged with what was asked for —
    which table, of which team, for which dates — never the data itself."""
    record_event(
        actor=actor,
        action=Action.COMPLIANCE_EXPORTED,
        organisation=organisation,
        detail={
            "compliance_export": table,
            "scope": scope,
            "filters": dict(filters),
            **({"rows": rows} if rows is not None else {}),
        },
    )
