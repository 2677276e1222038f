"""Audit migration 0004 chains the events recorded before the chain existed.

Migrating the test database back to audit 0003 and forward again is not practical here: the
demo world is loaded once per run, and on SQLite the schema editor cannot run inside the
test's transaction (foreign key checks can't be switched off mid-transaction). So these tests
run the migration's own functions, imported from the migration module, against the
historical model Django gives a migration (no custom `save`), inside the test's transaction:
lift the triggers, put the existing events back in the state the migration found them (no
chain), chain them, restore the triggers. The transaction is rolled back afterwards, on both
databases (their DDL is transactional), so the triggers and the chain are as before.
"""

from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, migrations, transaction
from django.db.migrations.loader import MigrationLoader

from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.domain.chain import (
    AUDIT_COLUMN_NAMES,
    GENESIS,
    Plain,
    audit_values,
    first_break,
)

pytestmark = pytest.mark.django_db

chain_migration = importlib.import_module("caseledger.audit.migrations.0004_audit_hash_chain")
OFFSET = 1_000_000_000


class SchemaEditor:
    """What the migration's functions use of a schema editor: its connection and execute()."""

    def __init__(self) -> None:
        self.connection = connection

    def execute(self, sql: str, params=None) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)


@pytest.fixture(scope="module")
def historical_apps():
    """The models as the migration sees them, once its new columns exist."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    state = loader.project_state(("audit", "0003_audit_household_changed_action"))
    for operation in chain_migration.Migration.operations:
        if not isinstance(operation, migrations.RunPython):
            operation.state_forwards("audit", state)
            if isinstance(operation, migrations.AddField) and operation.name == "event_hash":
                break
    return state.apps


def chain_rows() -> list[tuple[Any, ...]]:
    """(id, sequence, previous_hash, event_hash) of every event, in chain order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, sequence, previous_hash, event_hash FROM audit_auditevent ORDER BY sequence"
        )
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def links() -> list[tuple[int, str, str, list[Plain]]]:
    columns = ", ".join(AUDIT_COLUMN_NAMES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT sequence, previous_hash, event_hash, {columns} "
            "FROM audit_auditevent ORDER BY sequence"
        )
        return [(row[0], row[1], row[2], audit_values(row[3:])) for row in cursor.fetchall()]


def unchain_every_event(editor: SchemaEditor) -> None:
    """Put the rows back as the migration found them: no place in a chain, no hashes."""
    editor.execute(
        f"UPDATE audit_auditevent SET sequence = sequence + {OFFSET}, "
        "previous_hash = '', event_hash = ''"
    )


def run_the_migration(historical_apps, editor: SchemaEditor) -> None:
    chain_migration.lift_triggers(historical_apps, editor)
    unchain_every_event(editor)
    chain_migration.chain_existing_events(historical_apps, editor)
    chain_migration.restore_triggers(historical_apps, editor)


def test_chaining_existing_events_gives_the_chain_record_event_writes(worker, historical_apps):
    """The migration and the live writer share one canonical form: rebuilding the chain of
    events that `record_event` wrote gives back exactly the same sequences and hashes."""
    with transaction.atomic():
        for action in (Action.SIGNED_IN, Action.CASE_VIEWED, Action.SIGNED_OUT):
            record_event(actor=worker, action=action, obj=worker, detail={"n": 1, "a": "é"})
    written = chain_rows()
    assert len(written) > 10

    run_the_migration(historical_apps, SchemaEditor())

    assert chain_rows() == written
    assert first_break(links()) is None


def test_existing_events_are_chained_in_the_order_they_happened(historical_apps):
    """Order is (occurred_at, id), not the order rows were inserted: a row written later about
    an earlier moment takes its place in time, and a tie in time goes by id."""
    AuditEvent = historical_apps.get_model("audit", "AuditEvent")
    earliest = AuditEvent.objects.order_by("occurred_at").first().occurred_at
    before_everything = earliest - timedelta(days=1)
    late_row = AuditEvent.objects.create(
        occurred_at=before_everything,
        action=Action.SIGNED_IN,
        detail={"imported": True},
        sequence=OFFSET * 2,
        previous_hash="",
        event_hash="",
    )
    tie = AuditEvent.objects.create(
        occurred_at=before_everything,
        action=Action.SIGNED_OUT,
        sequence=OFFSET * 2 + 1,
        previous_hash="",
        event_hash="",
    )
    count = AuditEvent.objects.count()

    run_the_migration(historical_apps, SchemaEditor())

    rows = chain_rows()
    assert [row[1] for row in rows] == list(range(1, count + 1))
    assert [rows[0][0], rows[1][0]] == [late_row.pk, tie.pk]
    assert rows[0][2] == GENESIS
    assert first_break(links()) is None


def test_the_migration_puts_the_append_only_triggers_back(worker, historical_apps):
    with transaction.atomic():
        event = record_event(actor=worker, action=Action.SIGNED_IN, obj=worker)
    editor = SchemaEditor()
    update = "UPDATE audit_auditevent SET action = 'signed_out' WHERE id = %s"

    chain_migration.lift_triggers(historical_apps, editor)
    # The control: while lifted, the row can be changed (so the check below means something).
    editor.execute(update, [event.pk])
    editor.execute("UPDATE audit_auditevent SET action = 'signed_in' WHERE id = %s", [event.pk])

    chain_migration.restore_triggers(historical_apps, editor)
    chain_migration.restore_triggers(historical_apps, editor)  # safe to run twice
    for sql in (update, "DELETE FROM audit_auditevent WHERE id = %s"):
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            editor.execute(sql, [event.pk])
    if connection.vendor == "postgresql":
        # Run the deferred foreign key checks first: PostgreSQL won't truncate a table with
        # some still pending, and that refusal must not be mistaken for the trigger's.
        editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            editor.execute("TRUNCATE audit_auditevent CASCADE")


def test_the_triggers_are_restored_last_after_the_table_is_rebuilt():
    """SQLite rebuilds the table to make `sequence` NOT NULL, losing its triggers; restoring
    them must be the migration's last step, after every schema change."""
    operations = chain_migration.Migration.operations
    run_python = [op for op in operations if isinstance(op, migrations.RunPython)]
    assert [op.code for op in run_python] == [
        chain_migration.lift_triggers,
        chain_migration.chain_existing_events,
        chain_migration.restore_triggers,
    ]
    assert operations[-1].code is chain_migration.restore_triggers
    lift = operations.index(run_python[0])
    chain = operations.index(run_python[1])
    alter = next(
        i
        for i, op in enumerate(operations)
        if isinstance(op, migrations.AlterField) and op.name == "sequence"
    )
    assert lift < chain < alter < len(operations) - 1
