"""The database refuses to change or remove a change to the SEN register.

The register's history is the school's evidence of when each pupil received SEN provision and
why it ended: a change made by mistake is put right by another change, never edited or
deleted, by any path.
"""

from django.db import migrations

SQLITE_CREATE = [
    """
    CREATE TRIGGER sen_registerchange_no_update BEFORE UPDATE ON sen_registerchange
    BEGIN SELECT RAISE(ABORT, 'sen_registerchange rows are append-only'); END
    """,
    """
    CREATE TRIGGER sen_registerchange_no_delete BEFORE DELETE ON sen_registerchange
    BEGIN SELECT RAISE(ABORT, 'sen_registerchange rows are append-only'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS sen_registerchange_no_update",
    "DROP TRIGGER IF EXISTS sen_registerchange_no_delete",
]
POSTGRES_CREATE = [
    """
    CREATE TRIGGER sen_registerchange_no_change
    BEFORE UPDATE OR DELETE ON sen_registerchange
    FOR EACH ROW EXECUTE FUNCTION caseledger_refuse_change()
    """,
    """
    CREATE TRIGGER sen_registerchange_no_truncate BEFORE TRUNCATE ON sen_registerchange
    FOR EACH STATEMENT EXECUTE FUNCTION caseledger_refuse_change()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS sen_registerchange_no_truncate ON sen_registerchange",
    "DROP TRIGGER IF EXISTS sen_registerchange_no_change ON sen_registerchange",
]


def _run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("sen", "0001_register"),
        # caseledger_refuse_change() is defined there.
        ("audit", "0002_audit_events_append_only"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
