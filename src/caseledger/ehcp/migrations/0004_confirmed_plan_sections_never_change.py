"""The database refuses to change or remove a confirmed plan version or its sections.

Once a family has confirmed a version's sections they are the record of what that plan said,
and later versions are compared with them: a mistake is corrected in a new version, never by
editing this one, by any path. Unconfirmed sections may still be corrected; a confirmed
version may not be made unconfirmed again (which would free its sections).
"""

from django.db import migrations

SECTION_CONFIRMED = (
    "(SELECT confirmed_at FROM ehcp_planversion WHERE id = OLD.version_id) IS NOT NULL"
)
SQLITE_CREATE = [
    f"""
    CREATE TRIGGER ehcp_plansection_no_update BEFORE UPDATE ON ehcp_plansection
    WHEN {SECTION_CONFIRMED}
    BEGIN SELECT RAISE(ABORT, 'confirmed plan sections never change'); END
    """,
    f"""
    CREATE TRIGGER ehcp_plansection_no_delete BEFORE DELETE ON ehcp_plansection
    WHEN {SECTION_CONFIRMED}
    BEGIN SELECT RAISE(ABORT, 'confirmed plan sections never change'); END
    """,
    """
    CREATE TRIGGER ehcp_planversion_no_update BEFORE UPDATE ON ehcp_planversion
    WHEN OLD.confirmed_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'confirmed plan versions never change'); END
    """,
    """
    CREATE TRIGGER ehcp_planversion_no_delete BEFORE DELETE ON ehcp_planversion
    WHEN OLD.confirmed_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'confirmed plan versions never change'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS ehcp_plansection_no_update",
    "DROP TRIGGER IF EXISTS ehcp_plansection_no_delete",
    "DROP TRIGGER IF EXISTS ehcp_planversion_no_update",
    "DROP TRIGGER IF EXISTS ehcp_planversion_no_delete",
]
POSTGRES_CREATE = [
    f"""
    CREATE FUNCTION ehcp_refuse_confirmed_section_change() RETURNS trigger AS $$
    BEGIN
        IF {SECTION_CONFIRMED} THEN
            RAISE EXCEPTION 'confirmed plan sections never change'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE FUNCTION ehcp_refuse_confirmed_version_change() RETURNS trigger AS $$
    BEGIN
        IF OLD.confirmed_at IS NOT NULL THEN
            RAISE EXCEPTION 'confirmed plan versions never change'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER ehcp_plansection_no_change BEFORE UPDATE OR DELETE ON ehcp_plansection
    FOR EACH ROW EXECUTE FUNCTION ehcp_refuse_confirmed_section_change()
    """,
    """
    CREATE TRIGGER ehcp_planversion_no_change BEFORE UPDATE OR DELETE ON ehcp_planversion
    FOR EACH ROW EXECUTE FUNCTION ehcp_refuse_confirmed_version_change()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS ehcp_planversion_no_change ON ehcp_planversion",
    "DROP TRIGGER IF EXISTS ehcp_plansection_no_change ON ehcp_plansection",
    "DROP FUNCTION IF EXISTS ehcp_refuse_confirmed_version_change()",
    "DROP FUNCTION IF EXISTS ehcp_refuse_confirmed_section_change()",
]


def _run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("ehcp", "0003_plan_versions_and_sections")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
