"""The database refuses to change or delete a completed case audit, its answers or actions.

Recording rule 13 (PRODUCT.md): the outcome of a compliance audit is itself an audited
record. Once an audit is completed nothing about it changes, except that an action from it
is recorded as done (once: when and by whom). The services refuse in Python first, but
`QuerySet.update()`, bulk operations and raw SQL go around Python
(research/security-reliability.md §2.4), so the rule lives in triggers on both supported
databases, as for final ledger entries (ledger migration 0002). While an audit is in
progress it is graded and given actions freely, but who audited which case, how it was
sampled and when it started stay as first written.
"""

from django.db import migrations

TABLES = ("case_audits_caseaudit", "case_audits_auditanswer", "case_audits_auditaction")

SQLITE_CREATE = [
    """
    CREATE TRIGGER case_audit_completed_no_update BEFORE UPDATE ON case_audits_caseaudit
    WHEN OLD.completed_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'a completed case audit cannot be changed'); END
    """,
    """
    CREATE TRIGGER case_audit_completed_no_delete BEFORE DELETE ON case_audits_caseaudit
    WHEN OLD.completed_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'a completed case audit cannot be deleted'); END
    """,
    """
    CREATE TRIGGER case_audit_stamps_fixed BEFORE UPDATE ON case_audits_caseaudit
    WHEN NEW.id IS NOT OLD.id OR NEW.organisation_id IS NOT OLD.organisation_id
        OR NEW.case_id IS NOT OLD.case_id OR NEW.auditor_id IS NOT OLD.auditor_id
        OR NEW.sampling IS NOT OLD.sampling OR NEW.sample_id IS NOT OLD.sample_id
        OR NEW.started_at IS NOT OLD.started_at
    BEGIN SELECT RAISE(ABORT, 'who audited which case, how it was sampled and when is fixed'); END
    """,
    """
    CREATE TRIGGER case_audit_answer_frozen_insert BEFORE INSERT ON case_audits_auditanswer
    WHEN (SELECT completed_at FROM case_audits_caseaudit WHERE id = NEW.audit_id) IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'the answers of a completed case audit cannot be changed'); END
    """,
    """
    CREATE TRIGGER case_audit_answer_frozen_update BEFORE UPDATE ON case_audits_auditanswer
    WHEN (SELECT completed_at FROM case_audits_caseaudit WHERE id = OLD.audit_id) IS NOT NULL OR (SELECT completed_at FROM case_audits_caseaudit WHERE id = NEW.audit_id) IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'the answers of a completed case audit cannot be changed'); END
    """,
    """
    CREATE TRIGGER case_audit_answer_frozen_delete BEFORE DELETE ON case_audits_auditanswer
    WHEN (SELECT completed_at FROM case_audits_caseaudit WHERE id = OLD.audit_id) IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'the answers of a completed case audit cannot be changed'); END
    """,
    """
    CREATE TRIGGER case_audit_action_frozen_insert BEFORE INSERT ON case_audits_auditaction
    WHEN (SELECT completed_at FROM case_audits_caseaudit WHERE id = NEW.audit_id) IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'the actions of a completed case audit cannot be changed'); END
    """,
    """
    CREATE TRIGGER case_audit_action_frozen_delete BEFORE DELETE ON case_audits_auditaction
    WHEN (SELECT completed_at FROM case_audits_caseaudit WHERE id = OLD.audit_id) IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'the actions of a completed case audit cannot be changed'); END
    """,
    # The one change allowed: an open action is recorded as done. Everything else stays.
    """
    CREATE TRIGGER case_audit_action_frozen_update BEFORE UPDATE ON case_audits_auditaction
    WHEN ((SELECT completed_at FROM case_audits_caseaudit WHERE id = OLD.audit_id) IS NOT NULL OR (SELECT completed_at FROM case_audits_caseaudit WHERE id = NEW.audit_id) IS NOT NULL)
        AND (OLD.completed_at IS NOT NULL OR NEW.id IS NOT OLD.id
            OR NEW.audit_id IS NOT OLD.audit_id OR NEW.worker_id IS NOT OLD.worker_id
            OR NEW.description IS NOT OLD.description OR NEW.due_on IS NOT OLD.due_on
            OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by_id IS NOT OLD.created_by_id)
    BEGIN SELECT RAISE(ABORT, 'the actions of a completed case audit cannot be changed'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS case_audit_action_frozen_update",
    "DROP TRIGGER IF EXISTS case_audit_action_frozen_delete",
    "DROP TRIGGER IF EXISTS case_audit_action_frozen_insert",
    "DROP TRIGGER IF EXISTS case_audit_answer_frozen_delete",
    "DROP TRIGGER IF EXISTS case_audit_answer_frozen_update",
    "DROP TRIGGER IF EXISTS case_audit_answer_frozen_insert",
    "DROP TRIGGER IF EXISTS case_audit_stamps_fixed",
    "DROP TRIGGER IF EXISTS case_audit_completed_no_delete",
    "DROP TRIGGER IF EXISTS case_audit_completed_no_update",
]

POSTGRES_CREATE = [
    """
    CREATE FUNCTION caseledger_case_audit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.completed_at IS NOT NULL THEN
            RAISE EXCEPTION 'a completed case audit cannot be changed or deleted'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        IF NEW.id IS DISTINCT FROM OLD.id
            OR NEW.organisation_id IS DISTINCT FROM OLD.organisation_id
            OR NEW.case_id IS DISTINCT FROM OLD.case_id
            OR NEW.auditor_id IS DISTINCT FROM OLD.auditor_id
            OR NEW.sampling IS DISTINCT FROM OLD.sampling
            OR NEW.sample_id IS DISTINCT FROM OLD.sample_id
            OR NEW.started_at IS DISTINCT FROM OLD.started_at THEN
            RAISE EXCEPTION 'who audited which case, how it was sampled and when is fixed'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER case_audit_guard BEFORE UPDATE OR DELETE ON case_audits_caseaudit
    FOR EACH ROW EXECUTE FUNCTION caseledger_case_audit_guard()
    """,
    """
    CREATE FUNCTION caseledger_case_audit_answer_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
            SELECT 1 FROM case_audits_caseaudit WHERE id = OLD.audit_id AND completed_at IS NOT NULL
        ) OR TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
            SELECT 1 FROM case_audits_caseaudit WHERE id = NEW.audit_id AND completed_at IS NOT NULL
        ) THEN
            RAISE EXCEPTION 'the answers of a completed case audit cannot be changed'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER case_audit_answer_guard BEFORE INSERT OR UPDATE OR DELETE ON case_audits_auditanswer
    FOR EACH ROW EXECUTE FUNCTION caseledger_case_audit_answer_guard()
    """,
    """
    CREATE FUNCTION caseledger_case_audit_action_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        frozen boolean;
    BEGIN
        frozen := TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
            SELECT 1 FROM case_audits_caseaudit WHERE id = OLD.audit_id AND completed_at IS NOT NULL
        ) OR TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
            SELECT 1 FROM case_audits_caseaudit WHERE id = NEW.audit_id AND completed_at IS NOT NULL
        );
        -- The one change allowed: an open action is recorded as done.
        IF frozen AND (TG_OP <> 'UPDATE' OR OLD.completed_at IS NOT NULL
            OR NEW.id IS DISTINCT FROM OLD.id
            OR NEW.audit_id IS DISTINCT FROM OLD.audit_id
            OR NEW.worker_id IS DISTINCT FROM OLD.worker_id
            OR NEW.description IS DISTINCT FROM OLD.description
            OR NEW.due_on IS DISTINCT FROM OLD.due_on
            OR NEW.created_at IS DISTINCT FROM OLD.created_at
            OR NEW.created_by_id IS DISTINCT FROM OLD.created_by_id) THEN
            RAISE EXCEPTION 'the actions of a completed case audit cannot be changed'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER case_audit_action_guard BEFORE INSERT OR UPDATE OR DELETE ON case_audits_auditaction
    FOR EACH ROW EXECUTE FUNCTION caseledger_case_audit_action_guard()
    """,
    *(
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION caseledger_refuse_change()"
        for table in TABLES
    ),
]
POSTGRES_DROP = [
    *(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}" for table in reversed(TABLES)),
    "DROP TRIGGER IF EXISTS case_audit_action_guard ON case_audits_auditaction",
    "DROP FUNCTION IF EXISTS caseledger_case_audit_action_guard()",
    "DROP TRIGGER IF EXISTS case_audit_answer_guard ON case_audits_auditanswer",
    "DROP FUNCTION IF EXISTS caseledger_case_audit_answer_guard()",
    "DROP TRIGGER IF EXISTS case_audit_guard ON case_audits_caseaudit",
    "DROP FUNCTION IF EXISTS caseledger_case_audit_guard()",
]


def _run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            # No parameters: the PL/pgSQL bodies are not format strings.
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("case_audits", "0001_audits_checklist_answers_actions"),
        # caseledger_refuse_change() is defined there.
        ("audit", "0002_audit_events_append_only"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
