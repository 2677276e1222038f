"""The one way an audit event is written."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import connection, models, transaction
from django.utils import timezone

from caseledger.audit.context import current_request_context
from caseledger.audit.models import Action, AuditEvent
from caseledger.domain.chain import AUDIT_COLUMN_NAMES, GENESIS, audit_values, link_hash, values_of

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
    describes commit or roll back together. Appends to the global hash chain are serialised
    so that two writers never both extend the same head (research/security-reliability.md
    §2.10): on PostgreSQL by a transaction-scoped advisory lock, on SQLite by the write lock
    every transaction takes at BEGIN IMMEDIATE (settings). The unique `sequence` turns any
    fork that slipped through into an error rather than a silent branch.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the service's transaction")
    context = current_request_context()
    payload: dict[str, Any] = dict(detail or {})
    if changes:
        payload["changes"] = {name: dict(values) for name, values in changes.items()}
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor,
        organisation=organisation,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        case_id=case_id,
        detail=payload,
        request_id=context.request_id,
        ip_address=_normalised_ip(context.ip_address),
    )
    lock_chain(AUDIT_CHAIN_LOCK)
    head = AuditEvent.objects.order_by("-sequence").values_list("sequence", "event_hash").first()
    event.sequence, event.previous_hash = (head[0] + 1, head[1]) if head else (1, GENESIS)
    event.event_hash = link_hash(
        event.previous_hash, audit_values(values_of(event, AUDIT_COLUMN_NAMES))
    )
    event.save(force_insert=True)
    return event


# Keys of PostgreSQL advisory locks (any 64-bit integer, fixed for the life of the product).
AUDIT_CHAIN_LOCK = 0x6361_7365_0001


def lock_chain(key: int) -> None:
    """Hold a lock on one chain until the transaction ends (PostgreSQL; SQLite already holds
    the database's single write lock for the whole transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _normalised_ip(value: str | None) -> str | None:
    """One spelling per address, so the hashed text is what PostgreSQL's inet hands back."""
    if not value:
        return None
    try:
        return ipaddress.ip_address(value).compressed
    except ValueError:
        return None
