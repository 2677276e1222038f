"""The audit trail cannot be rewritten: not through the model, the ORM, bulk paths or raw SQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from caseledger.audit.context import RequestContext, reset_request_context, set_request_context
from caseledger.audit.models import Action, AuditEvent, AuditEventImmutableError
from caseledger.audit.services import record_event

pytestmark = pytest.mark.django_db

REFUSED = (DatabaseError, IntegrityError)


@pytest.fixture
def event(worker):
    with transaction.atomic():
        return record_event(actor=worker, action=Action.SIGNED_IN, obj=worker)


def test_model_save_of_an_existing_event_is_refused(event):
    event.action = Action.SIGNED_OUT
    with pytest.raises(AuditEventImmutableError):
        event.save()


def test_model_delete_is_refused(event):
    with pytest.raises(AuditEventImmutableError):
        event.delete()


def test_queryset_update_is_refused_by_the_database(event):
    with pytest.raises(REFUSED), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action=Action.SIGNED_OUT)
    event.refresh_from_db()
    assert event.action == Action.SIGNED_IN


def test_queryset_delete_is_refused_by_the_database(event):
    with pytest.raises(REFUSED), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_bulk_update_is_refused_by_the_database(event):
    event.action = Action.SIGNED_OUT
    with pytest.raises(REFUSED), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["action"])


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'signed_out' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_raw_sql_is_refused_by_the_database(event, sql):
    with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == Action.SIGNED_IN


def test_truncate_is_refused_on_postgresql(event):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; DELETE without WHERE is covered by the delete trigger")
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # Deferred constraint checks from this test's own inserts would otherwise refuse the
        # TRUNCATE first ("pending trigger events"), and our trigger would never be tested.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE audit_auditevent")


def test_delete_of_every_row_is_refused(event):
    with pytest.raises(REFUSED), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() > 0


def test_event_records_the_request_id_and_address(worker):
    token = set_request_context(RequestContext("req-1234abcd", "192.0.2.10"))
    try:
        with transaction.atomic():
            event = record_event(actor=worker, action=Action.SIGNED_IN, obj=worker)
    finally:
        reset_request_context(token)
    event.refresh_from_db()
    assert (event.request_id, event.ip_address) == ("req-1234abcd", "192.0.2.10")
    assert event.object_type == "accounts.user"
    assert event.object_id == str(worker.pk)


def test_recording_outside_a_transaction_is_a_programming_error(worker, django_db_blocker):
    with pytest.raises(RuntimeError):
        # pytest-django wraps each test in a transaction, so step out of it for this check.
        connection.in_atomic_block, saved = False, connection.in_atomic_block
        try:
            record_event(actor=worker, action=Action.SIGNED_IN)
        finally:
            connection.in_atomic_block = saved


def test_every_request_gets_a_request_id_header(client):
    response = client.get("/accounts/sign-in/")
    assert len(response["X-Request-ID"]) == 32


def test_a_safe_upstream_request_id_is_kept_and_an_unsafe_one_replaced(client):
    assert (
        client.get("/accounts/sign-in/", HTTP_X_REQUEST_ID="abc-12345678")["X-Request-ID"]
        == "abc-12345678"
    )
    replaced = client.get("/accounts/sign-in/", HTTP_X_REQUEST_ID="bad\nvalue")["X-Request-ID"]
    assert replaced != "bad\nvalue" and len(replaced) == 32
