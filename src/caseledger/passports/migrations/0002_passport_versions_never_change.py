"""The database refuses to change or remove an agreed passport version.

A passport version is what the school agreed with the pupil and told the adults who work with
them (SEND Code of Practice 6.72): a change is agreed as the next version, never made by
editing or deleting one, by any path.
"""

from django.db import migrations

SQLITE_CREATE = [
    """
    CREATE TRIGGER passports_passportversion_no_update BEFORE UPDATE ON passports_passportversion
    BEGIN SELECT RAISE(ABORT, 'passports_passportversion rows are append-only'); END
    """,
    """
    CREATE TRIGGER passports_passportversion_no_delete BEFORE DELETE ON passports_passportversion
    BEGIN SELECT RAISE(ABORT, 'passports_passportversion rows are append-only'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS passports_passportversion_no_update",
    "DROP TRIGGER IF EXISTS passports_passportversion_no_delete",
]
POSTGRES_CREATE = [
    """
    CREATE TRIGGER passports_passportversion_no_change
    BEFORE UPDATE OR DELETE ON passports_passportversion
    FOR EACH ROW EXECUTE FUNCTION caseledger_refuse_change()
    """,
    """
    CREATE TRIGGER passports_passportversion_no_truncate BEFORE TRUNCATE ON passports_passportversion
    FOR EACH STATEMENT EXECUTE FUNCTION caseledger_refuse_change()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS passports_passportversion_no_truncate ON passports_passportversion",
    "DROP TRIGGER IF EXISTS passports_passportversion_no_change ON passports_passportversion",
]


def _run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("passports", "0001_passports"),
        # caseledger_refuse_change() is defined there.
        ("audit", "0002_audit_events_append_only"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
