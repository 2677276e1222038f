"""The database refuses to change or remove what the assistant said about a finalised note.

A `NoteFinding` is written in the transaction that finalises its note and is part of what
managers audit (recording rule 13): whether a note went out with unresolved findings, and what
its author confirmed. Like the note, it is never changed or deleted, by any path.
"""

from django.db import migrations

SQLITE_CREATE = [
    """
    CREATE TRIGGER quality_notefinding_no_update BEFORE UPDATE ON quality_notefinding
    BEGIN SELECT RAISE(ABORT, 'findings on a finalised note cannot be changed'); END
    """,
    """
    CREATE TRIGGER quality_notefinding_no_delete BEFORE DELETE ON quality_notefinding
    BEGIN SELECT RAISE(ABORT, 'findings on a finalised note cannot be deleted'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS quality_notefinding_no_update",
    "DROP TRIGGER IF EXISTS quality_notefinding_no_delete",
]
POSTGRES_CREATE = [
    """
    CREATE TRIGGER quality_notefinding_no_change BEFORE UPDATE OR DELETE ON quality_notefinding
    FOR EACH ROW EXECUTE FUNCTION caseledger_refuse_change()
    """,
    """
    CREATE TRIGGER quality_notefinding_no_truncate BEFORE TRUNCATE ON quality_notefinding
    FOR EACH STATEMENT EXECUTE FUNCTION caseledger_refuse_change()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS quality_notefinding_no_truncate ON quality_notefinding",
    "DROP TRIGGER IF EXISTS quality_notefinding_no_change ON quality_notefinding",
]


def _run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("quality", "0001_settings_and_findings"),
        # caseledger_refuse_change() is defined there.
        ("audit", "0002_audit_events_append_only"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
