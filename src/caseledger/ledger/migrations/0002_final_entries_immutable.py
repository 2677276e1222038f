"""The database refuses to change or delete a final ledger entry, or its tags.

Recording rule 4 (PRODUCT.md): a finalised note is never changed. `Entry.save`/`delete`
refuse in Python, but `QuerySet.update()`, bulk operations and raw SQL go around Python
(research/security-reliability.md §2.4), so the rule lives in triggers on both supported
databases. A draft may be edited and discarded by its author, but who recorded it, on which
case and when (rule 2: the server's stamp) stay as first written.
"""

from django.db import migrations

SQLITE_CREATE = [
    """
    CREATE TRIGGER ledger_entry_final_no_update BEFORE UPDATE ON ledger_entry
    WHEN OLD.status = 'final'
    BEGIN SELECT RAISE(ABORT, 'final ledger entries cannot be changed'); END
    """,
    """
    CREATE TRIGGER ledger_entry_final_no_delete BEFORE DELETE ON ledger_entry
    WHEN OLD.status = 'final'
    BEGIN SELECT RAISE(ABORT, 'final ledger entries cannot be deleted'); END
    """,
    """
    CREATE TRIGGER ledger_entry_stamps_fixed BEFORE UPDATE ON ledger_entry
    WHEN NEW.id IS NOT OLD.id OR NEW.case_id IS NOT OLD.case_id
        OR NEW.author_id IS NOT OLD.author_id OR NEW.recorded_at IS NOT OLD.recorded_at
    BEGIN SELECT RAISE(ABORT, 'who recorded an entry, on which case and when is fixed'); END
    """,
    """
    CREATE TRIGGER ledger_entry_tag_frozen_insert BEFORE INSERT ON ledger_entrytag
    WHEN (SELECT status FROM ledger_entry WHERE id = NEW.entry_id) = 'final'
    BEGIN SELECT RAISE(ABORT, 'the tags of a final ledger entry cannot be changed'); END
    """,
    """
    CREATE TRIGGER ledger_entry_tag_frozen_update BEFORE UPDATE ON ledger_entrytag
    WHEN (SELECT status FROM ledger_entry WHERE id = OLD.entry_id) = 'final'
        OR (SELECT status FROM ledger_entry WHERE id = NEW.entry_id) = 'final'
    BEGIN SELECT RAISE(ABORT, 'the tags of a final ledger entry cannot be changed'); END
    """,
    """
    CREATE TRIGGER ledger_entry_tag_frozen_delete BEFORE DELETE ON ledger_entrytag
    WHEN (SELECT status FROM ledger_entry WHERE id = OLD.entry_id) = 'final'
    BEGIN SELECT RAISE(ABORT, 'the tags of a final ledger entry cannot be changed'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS ledger_entry_final_no_update",
    "DROP TRIGGER IF EXISTS ledger_entry_final_no_delete",
    "DROP TRIGGER IF EXISTS ledger_entry_stamps_fixed",
    "DROP TRIGGER IF EXISTS ledger_entry_tag_frozen_insert",
    "DROP TRIGGER IF EXISTS ledger_entry_tag_frozen_update",
    "DROP TRIGGER IF EXISTS ledger_entry_tag_frozen_delete",
]

POSTGRES_CREATE = [
    """
    CREATE FUNCTION caseledger_entry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.status = 'final' THEN
            RAISE EXCEPTION 'final ledger entries cannot be changed or deleted'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        IF NEW.id IS DISTINCT FROM OLD.id OR NEW.case_id IS DISTINCT FROM OLD.case_id
            OR NEW.author_id IS DISTINCT FROM OLD.author_id
            OR NEW.recorded_at IS DISTINCT FROM OLD.recorded_at THEN
            RAISE EXCEPTION 'who recorded an entry, on which case and when is fixed'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER ledger_entry_guard BEFORE UPDATE OR DELETE ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION caseledger_entry_guard()
    """,
    """
    CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON ledger_entry
    FOR EACH STATEMENT EXECUTE FUNCTION caseledger_refuse_change()
    """,
    """
    CREATE FUNCTION caseledger_entry_tag_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
            SELECT 1 FROM ledger_entry WHERE id = OLD.entry_id AND status = 'final'
        ) OR TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
            SELECT 1 FROM ledger_entry WHERE id = NEW.entry_id AND status = 'final'
        ) THEN
            RAISE EXCEPTION 'the tags of a final ledger entry cannot be changed'
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
    CREATE TRIGGER ledger_entry_tag_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_entrytag
    FOR EACH ROW EXECUTE FUNCTION caseledger_entry_tag_guard()
    """,
    """
    CREATE TRIGGER ledger_entry_tag_no_truncate BEFORE TRUNCATE ON ledger_entrytag
    FOR EACH STATEMENT EXECUTE FUNCTION caseledger_refuse_change()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS ledger_entry_tag_no_truncate ON ledger_entrytag",
    "DROP TRIGGER IF EXISTS ledger_entry_tag_guard ON ledger_entrytag",
    "DROP FUNCTION IF EXISTS caseledger_entry_tag_guard()",
    "DROP TRIGGER IF EXISTS ledger_entry_no_truncate ON ledger_entry",
    "DROP TRIGGER IF EXISTS ledger_entry_guard ON ledger_entry",
    "DROP FUNCTION IF EXISTS caseledger_entry_guard()",
]


def _run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            # No parameters: the PL/pgSQL bodies are not format strings.
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0001_entries_contact_types_tags"),
        # caseledger_refuse_change() is defined there.
        ("audit", "0002_audit_events_append_only"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
