"""The database refuses to change or remove an EHCP status change.

The status history is a record of what happened and when, and each change is on the case's
timeline and may have started statutory clocks: a mistake is followed by another change,
never edited or deleted, by any path.
"""

from django.db import migrations

SQLITE_CREATE = [
    """
    CREATE TRIGGER ehcp_statuschange_no_update BEFORE UPDATE ON ehcp_statuschange
    BEGIN SELECT RAISE(ABORT, 'ehcp_statuschange rows are append-only'); END
    """,
    """
    CREATE TRIGGER ehcp_statuschange_no_delete BEFORE DELETE ON ehcp_statuschange
    BEGIN SELECT RAISE(ABORT, 'ehcp_statuschange rows are append-only'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS ehcp_statuschange_no_update",
    "DROP TRIGGER IF EXISTS ehcp_statuschange_no_delete",
]
POSTGRES_CREATE = [
    """
    CREATE TRIGGER ehcp_statuschange_no_change BEFORE UPDATE OR DELETE ON ehcp_statuschange
    FOR EACH ROW EXECUTE FUNCTION caseledger_refuse_change()
    """,
    """
    CREATE TRIGGER ehcp_statuschange_no_truncate BEFORE TRUNCATE ON ehcp_statuschange
    FOR EACH STATEMENT EXECUTE FUNCTION caseledger_refuse_change()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS ehcp_statuschange_no_truncate ON ehcp_statuschange",
    "DROP TRIGGER IF EXISTS ehcp_statuschange_no_change ON ehcp_statuschange",
]


def _run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("ehcp", "0001_status_changes"),
        # caseledger_refuse_change() is defined there.
        ("audit", "0002_audit_events_append_only"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
