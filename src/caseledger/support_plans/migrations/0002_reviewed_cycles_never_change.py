"""The database refuses to change a reviewed cycle, and any parent's views once added.

A reviewed cycle is the school's record of what was planned and how far it worked: the
evidence of the graduated approach a school attaches to a request for an EHC needs
assessment (SEND Code of Practice 6.63). Once its review is recorded, the cycle, its targets
(with their ratings) and the provision linked to it are refused UPDATE, DELETE and, for
targets and links, INSERT, by any path. A parent's views are kept as they wrote them.
"""

from django.db import migrations

CYCLE = "support_plans_plancycle"
TARGET = "support_plans_target"
PLACES = "support_plans_plancycle_places"
VIEWS = "support_plans_parentview"


# Every name put into the SQL below is one of these constants: nothing comes from outside.
def _reviewed(column: str) -> str:
    return f"(SELECT reviewed_on FROM {CYCLE} WHERE id = {column}) IS NOT NULL"  # noqa: S608  # constants


def _sqlite_frozen(table: str, cycle_column: str) -> list[str]:
    message = f"'{table} rows of a reviewed cycle never change'"
    return [
        f"""
        CREATE TRIGGER {table}_frozen_insert BEFORE INSERT ON {table}
        WHEN {_reviewed("NEW." + cycle_column)}
        BEGIN SELECT RAISE(ABORT, {message}); END
        """,
        f"""
        CREATE TRIGGER {table}_frozen_update BEFORE UPDATE ON {table}
        WHEN {_reviewed("OLD." + cycle_column)} OR {_reviewed("NEW." + cycle_column)}
        BEGIN SELECT RAISE(ABORT, {message}); END
        """,
        f"""
        CREATE TRIGGER {table}_frozen_delete BEFORE DELETE ON {table}
        WHEN {_reviewed("OLD." + cycle_column)}
        BEGIN SELECT RAISE(ABORT, {message}); END
        """,
    ]


SQLITE_CREATE = [
    f"""
    CREATE TRIGGER {CYCLE}_frozen_update BEFORE UPDATE ON {CYCLE}
    WHEN OLD.reviewed_on IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'a reviewed cycle never changes'); END
    """,
    f"""
    CREATE TRIGGER {CYCLE}_frozen_delete BEFORE DELETE ON {CYCLE}
    WHEN OLD.reviewed_on IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'a reviewed cycle never changes'); END
    """,
    *_sqlite_frozen(TARGET, "cycle_id"),
    *_sqlite_frozen(PLACES, "plancycle_id"),
    f"""
    CREATE TRIGGER {VIEWS}_no_update BEFORE UPDATE ON {VIEWS}
    BEGIN SELECT RAISE(ABORT, '{VIEWS} rows are append-only'); END
    """,
    f"""
    CREATE TRIGGER {VIEWS}_no_delete BEFORE DELETE ON {VIEWS}
    BEGIN SELECT RAISE(ABORT, '{VIEWS} rows are append-only'); END
    """,
]
SQLITE_DROP = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_frozen_{event}"
        for table in (CYCLE, TARGET, PLACES)
        for event in ("insert", "update", "delete")
    ),
    f"DROP TRIGGER IF EXISTS {VIEWS}_no_update",
    f"DROP TRIGGER IF EXISTS {VIEWS}_no_delete",
]

# PostgreSQL's WHEN clause cannot look into another table, so a function does: its argument
# names the row's column holding the cycle's id.
POSTGRES_CREATE = [
    """
    CREATE FUNCTION support_plans_refuse_reviewed_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        cycle_column text := TG_ARGV[0];
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
            SELECT 1 FROM support_plans_plancycle
            WHERE id = (to_jsonb(OLD) ->> cycle_column)::uuid AND reviewed_on IS NOT NULL
        ) OR TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
            SELECT 1 FROM support_plans_plancycle
            WHERE id = (to_jsonb(NEW) ->> cycle_column)::uuid AND reviewed_on IS NOT NULL
        ) THEN
            RAISE EXCEPTION '% rows of a reviewed cycle never change', TG_TABLE_NAME
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END
    $$
    """,
    f"""
    CREATE TRIGGER {CYCLE}_frozen BEFORE UPDATE OR DELETE ON {CYCLE}
    FOR EACH ROW WHEN (OLD.reviewed_on IS NOT NULL)
    EXECUTE FUNCTION caseledger_refuse_change()
    """,
    f"""
    CREATE TRIGGER {TARGET}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {TARGET}
    FOR EACH ROW EXECUTE FUNCTION support_plans_refuse_reviewed_cycle('cycle_id')
    """,
    f"""
    CREATE TRIGGER {PLACES}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {PLACES}
    FOR EACH ROW EXECUTE FUNCTION support_plans_refuse_reviewed_cycle('plancycle_id')
    """,
    *(
        f"""
        CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION caseledger_refuse_change()
        """
        for table in (CYCLE, TARGET, PLACES, VIEWS)
    ),
    f"""
    CREATE TRIGGER {VIEWS}_no_change BEFORE UPDATE OR DELETE ON {VIEWS}
    FOR EACH ROW EXECUTE FUNCTION caseledger_refuse_change()
    """,
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS {VIEWS}_no_change ON {VIEWS}",
    *(
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}"
        for table in (CYCLE, TARGET, PLACES, VIEWS)
    ),
    f"DROP TRIGGER IF EXISTS {PLACES}_frozen ON {PLACES}",
    f"DROP TRIGGER IF EXISTS {TARGET}_frozen ON {TARGET}",
    f"DROP TRIGGER IF EXISTS {CYCLE}_frozen ON {CYCLE}",
    "DROP FUNCTION IF EXISTS support_plans_refuse_reviewed_cycle()",
]


def _run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            # No parameters: the PL/pgSQL body has % placeholders of its own.
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("support_plans", "0001_support_plans"),
        # caseledger_refuse_change() is defined there.
        ("audit", "0002_audit_events_append_only"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
