"""The database refuses to change or remove a decision on a plan flag.

A family's decisions on the analyser's flags are a record of what they decided and why: a
decision made by mistake is followed by another decision, which supersedes it, never edited or
deleted, by any path.
"""

from django.db import migrations

SQLITE_CREATE = [
    """
    CREATE TRIGGER ehcp_planflagdecision_no_update BEFORE UPDATE ON ehcp_planflagdecision
    BEGIN SELECT RAISE(ABORT, 'ehcp_planflagdecision rows are append-only'); END
    """,
    """
    CREATE TRIGGER ehcp_planflagdecision_no_delete BEFORE DELETE ON ehcp_planflagdecision
    BEGIN SELECT RAISE(ABORT, 'ehcp_planflagdecision rows are append-only'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS ehcp_planflagdecision_no_update",
    "DROP TRIGGER IF EXISTS ehcp_planflagdecision_no_delete",
]
POSTGRES_CREATE = [
    """
    CREATE TRIGGER ehcp_planflagdecision_no_change
    BEFORE UPDATE OR DELETE ON ehcp_planflagdecision
    FOR EACH ROW EXECUTE FUNCTION caseledger_refuse_change()
    """,
    """
    CREATE TRIGGER ehcp_planflagdecision_no_truncate BEFORE TRUNCATE ON ehcp_planflagdecision
    FOR EACH STATEMENT EXECUTE FUNCTION caseledger_refuse_change()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS ehcp_planflagdecision_no_truncate ON ehcp_planflagdecision",
    "DROP TRIGGER IF EXISTS ehcp_planflagdecision_no_change ON ehcp_planflagdecision",
]


def _run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("ehcp", "0005_plan_flag_decisions"),
        # caseledger_refuse_change() is defined there.
        ("audit", "0002_audit_events_append_only"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
