"""The database keeps a reviewed cycle's delivery as recorded at its review.

`CycleDelivery` rows are the "Do" of a reviewed cycle as the review saw it: the evidence of
the graduated approach a school attaches to a request for an EHC needs assessment (SEND Code
of Practice 6.63). They are append-only: UPDATE, DELETE and (PostgreSQL) TRUNCATE are refused
by any path, and a row may only be added for a cycle whose review is recorded (the review's
own transaction writes them, after marking the cycle reviewed).
"""

from django.db import migrations

DELIVERY = "support_plans_cycledelivery"
CYCLE = "support_plans_plancycle"
MESSAGE = f"'{DELIVERY} rows are append-only'"
# Every name put into the SQL below is one of these constants: nothing comes from outside.
NOT_REVIEWED = f"(SELECT reviewed_on FROM {CYCLE} WHERE id = NEW.cycle_id) IS NULL"  # noqa: S608  # constants

SQLITE_CREATE = [
    f"""
    CREATE TRIGGER {DELIVERY}_no_update BEFORE UPDATE ON {DELIVERY}
    BEGIN SELECT RAISE(ABORT, {MESSAGE}); END
    """,
    f"""
    CREATE TRIGGER {DELIVERY}_no_delete BEFORE DELETE ON {DELIVERY}
    BEGIN SELECT RAISE(ABORT, {MESSAGE}); END
    """,
    f"""
    CREATE TRIGGER {DELIVERY}_reviewed_only BEFORE INSERT ON {DELIVERY}
    WHEN {NOT_REVIEWED}
    BEGIN SELECT RAISE(ABORT, '{DELIVERY} rows are for reviewed cycles only'); END
    """,
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {DELIVERY}_{name}"
    for name in ("no_update", "no_delete", "reviewed_only")
]

POSTGRES_CREATE = [
    """
    CREATE FUNCTION support_plans_refuse_unreviewed_delivery() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NOT EXISTS (
            SELECT 1 FROM support_plans_plancycle WHERE id = NEW.cycle_id AND reviewed_on IS NOT NULL
        ) THEN
            RAISE EXCEPTION '% rows are for reviewed cycles only', TG_TABLE_NAME
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END
    $$
    """,
    f"""
    CREATE TRIGGER {DELIVERY}_no_change BEFORE UPDATE OR DELETE ON {DELIVERY}
    FOR EACH ROW EXECUTE FUNCTION caseledger_refuse_change()
    """,
    f"""
    CREATE TRIGGER {DELIVERY}_no_truncate BEFORE TRUNCATE ON {DELIVERY}
    FOR EACH STATEMENT EXECUTE FUNCTION caseledger_refuse_change()
    """,
    f"""
    CREATE TRIGGER {DELIVERY}_reviewed_only BEFORE INSERT ON {DELIVERY}
    FOR EACH ROW EXECUTE FUNCTION support_plans_refuse_unreviewed_delivery()
    """,
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS {DELIVERY}_reviewed_only ON {DELIVERY}",
    f"DROP TRIGGER IF EXISTS {DELIVERY}_no_truncate ON {DELIVERY}",
    f"DROP TRIGGER IF EXISTS {DELIVERY}_no_change ON {DELIVERY}",
    "DROP FUNCTION IF EXISTS support_plans_refuse_unreviewed_delivery()",
]


def _run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            # No parameters: the PL/pgSQL body has % placeholders of its own.
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("support_plans", "0003_cycle_delivery_at_review"),
        # caseledger_refuse_change() is defined there.
        ("audit", "0002_audit_events_append_only"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
