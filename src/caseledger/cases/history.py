"""A case's audit history in words: "Worker: Amira Khan → Lewis Grant", not identifiers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from caseledger.accounts.models import Team, User
from caseledger.audit.models import AuditEvent
from caseledger.cases.models import CaseStatus

FIELD_LABELS = {
    "allocated_team": "Team",
    "allocated_worker": "Worker",
    "allocated_manager": "Manager",
    "status": "Status",
    "description": "What",
    "due_on": "Due",
    "priority": "Priority",
    "responsible_user": "Responsible",
    "responsible_party": "Responsible",
    "statutory_rule": "Statutory basis",
}
USER_FIELDS = {"allocated_worker", "allocated_manager", "responsible_user"}


@dataclass(frozen=True)
class HistoryRow:
    occurred_at: datetime
    action: str
    actor: str
    changes: list[str]
    reason: str


def describe_history(events: list[AuditEvent]) -> list[HistoryRow]:
    """Name every person and team the events refer to, with two queries whatever their number."""
    user_ids: set[str] = set()
    team_ids: set[str] = set()
    for event in events:
        for name, values in event.changes.items():
            target = (
                user_ids if name in USER_FIELDS else team_ids if name == "allocated_team" else None
            )
            if target is not None:
                target.update(str(value) for value in values.values() if value)
        if event.detail.get("grantee"):
            user_ids.add(str(event.detail["grantee"]))
    names = {
        str(pk): name
        for pk, name in User.objects.filter(pk__in=user_ids).values_list("pk", "full_name")
    }
    names |= {
        str(pk): name for pk, name in Team.objects.filter(pk__in=team_ids).values_list("pk", "name")
    }

    def show(name: str, value: Any) -> str:
        if value in (None, ""):
            return "none"
        if name == "status" and value in CaseStatus.values:
            return str(CaseStatus(value).label)
        if name in USER_FIELDS or name == "allocated_team":
            return names.get(str(value), "unknown")
        return str(value)

    rows = []
    for event in events:
        changes = [
            f"{FIELD_LABELS.get(name, name)}: "
            f"{show(name, values.get('old'))} → {show(name, values.get('new'))}"
            for name, values in event.changes.items()
        ]
        if event.detail.get("grantee"):
            changes.append(f"Person: {names.get(str(event.detail['grantee']), 'unknown')}")
        rows.append(
            HistoryRow(
                occurred_at=event.occurred_at,
                action=event.get_action_display(),
                actor=event.actor.full_name if event.actor else "the system",
                changes=changes,
                reason=str(event.detail.get("reason") or ""),
            )
        )
    return rows
