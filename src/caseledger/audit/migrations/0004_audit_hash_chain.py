"""Chain every audit event to the one before it, including the events already recorded.

Existing rows get their place in the chain in the order they were written (occurred_at,
id). The append-only triggers are lifted only inside this migration's transaction, and put
back at the end, after SQLite's table rebuild for the new NOT NULL columns (a rebuilt table
loses its triggers).

The hashing comes from `caseledger.domain.chain`, a plain module with no Django import: the
canonical form is fixed for the life of the product, so the migration and the running code
must use the one definition, not copies that could drift.
"""

from django.db import migrations, models

from caseledger.domain.chain import AUDIT_COLUMN_NAMES, GENESIS, audit_values, link_hash

TRIGGERS = {
    "sqlite": (
        [
            "DROP TRIGGER IF EXISTS audit_event_no_update",
            "DROP TRIGGER IF EXISTS audit_event_no_delete",
        ],
        [
            """
            CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
            BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END
            """,
            """
            CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
            BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END
            """,
        ],
    ),
    "postgresql": (
        [
            "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent",
            "DROP TRIGGER IF EXISTS audit_event_no_update_or_delete ON audit_auditevent",
        ],
        [
            """
            CREATE TRIGGER audit_event_no_update_or_delete
            BEFORE UPDATE OR DELETE ON audit_auditevent
            FOR EACH ROW EXECUTE FUNCTION caseledger_refuse_change()
            """,
            """
            CREATE TRIGGER audit_event_no_truncate
            BEFORE TRUNCATE ON audit_auditevent
            FOR EACH STATEMENT EXECUTE FUNCTION caseledger_refuse_change()
            """,
        ],
    ),
}


def _execute(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)


def lift_triggers(apps, schema_editor):
    drop, _ = TRIGGERS.get(schema_editor.connection.vendor, ([], []))
    _execute(schema_editor, drop)


def restore_triggers(apps, schema_editor):
    drop, create = TRIGGERS.get(schema_editor.connection.vendor, ([], []))
    _execute(schema_editor, drop)
    _execute(schema_editor, create)


def chain_existing_events(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    previous = GENESIS
    events = AuditEvent.objects.using(schema_editor.connection.alias).order_by("occurred_at", "id")
    for sequence, event in enumerate(events.iterator(chunk_size=2000), start=1):
        event.sequence = sequence
        event.previous_hash = previous
        values = [getattr(event, column) for column in AUDIT_COLUMN_NAMES]
        event.event_hash = link_hash(previous, audit_values(values))
        event.save(update_fields=["sequence", "previous_hash", "event_hash"])
        previous = event.event_hash


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_audit_household_changed_action")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="event_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(lift_triggers, restore_triggers),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(editable=False, unique=True),
        ),
        migrations.AlterModelOptions(name="auditevent", options={"ordering": ["sequence"]}),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["case_id", "action", "occurred_at"], name="audit_case_action"
            ),
        ),
        migrations.RunPython(restore_triggers, lift_triggers),
    ]
