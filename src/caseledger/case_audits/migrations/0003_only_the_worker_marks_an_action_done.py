"""An action from a case audit is marked done by the person it is for, and by nobody else.

Migration 0002 lets exactly one change through on a completed audit's action: recording it as
done. This says who may be recorded as having done it, so a raw UPDATE cannot credit the work
to someone else.
"""

from django.db import migrations

SQLITE_CREATE = [
    """
    CREATE TRIGGER case_audit_action_done_by_worker BEFORE UPDATE ON case_audits_auditaction
    WHEN NEW.completed_at IS NOT NULL AND OLD.completed_at IS NULL
        AND NEW.completed_by_id IS NOT OLD.worker_id
    BEGIN SELECT RAISE(ABORT, 'an action is marked done by the person it is for'); END
    """,
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS case_audit_action_done_by_worker"]
POSTGRES_CREATE = [
    """
    CREATE FUNCTION caseledger_case_audit_action_done_by_worker() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.completed_at IS NOT NULL AND OLD.completed_at IS NULL
            AND NEW.completed_by_id IS DISTINCT FROM OLD.worker_id THEN
            RAISE EXCEPTION 'an action is marked done by the person it is for'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER case_audit_action_done_by_worker BEFORE UPDATE ON case_audits_auditaction
    FOR EACH ROW EXECUTE FUNCTION caseledger_case_audit_action_done_by_worker()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS case_audit_action_done_by_worker ON case_audits_auditaction",
    "DROP FUNCTION IF EXISTS caseledger_case_audit_action_done_by_worker()",
]


def _run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("case_audits", "0002_completed_audits_immutable")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
