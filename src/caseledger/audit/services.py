"""The one way an audit event is written."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import models, transaction

from caseledger.audit.context import current_request_context
from caseledger.audit.models import Action, AuditEvent

if TYPE_CHECKING:
    from caseledger.accounts.models import Organisation, User


def _plain(value: Any) -> Any:
    """JSON-safe form of a field value for the old/new record of a change."""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    return value


def changes_between(
    before: Mapping[str, Any], after: Mapping[str, Any], fields: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """The fields whose value differs, as {"field": {"old": ..., "new": ...}}."""
    changed: dict[str, dict[str, Any]] = {}
    for name in fields:
        old, new = _plain(before.get(name)), _plain(after.get(name))
        if old != new:
            changed[name] = {"old": old, "new": new}
    return changed


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _plain(getattr(instance, name)) for name in fields}


def record_event(
    *,
    actor: User | None,
    action: Action,
    obj: models.Model | None = None,
    organisation: Organisation | None = None,
    case_id: UUID | None = None,
    changes: Mapping[str, Mapping[str, Any]] | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event in the caller's transaction (Zulip's RealmAuditLog pattern).

    Must be called inside the service's `transaction.atomic()` so the event and the change it
    describes commit or roll back together.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the service's transaction")
    context = current_request_context()
    payload: dict[str, Any] = dict(detail or {})
    if changes:
        payload["changes"] = {name: dict(values) for name, values in changes.items()}
    return AuditEvent.objects.create(
        actor=actor,
        organisation=organisation,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        case_id=case_id,
        detail=payload,
        request_id=context.request_id,
        ip_address=context.ip_address,
    )
