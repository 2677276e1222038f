"""A finding is written with its note as the note is finalised, and at no other time.

Migration 0002 refuses changes to a finding; this refuses findings added to a draft, or added
to a final note afterwards with a different finalising time than the note's own.
"""

from django.db import migrations

SQLITE_CREATE = [
    """
    CREATE TRIGGER quality_notefinding_with_its_note BEFORE INSERT ON quality_notefinding
    WHEN NOT EXISTS (
        SELECT 1 FROM ledger_entry
        WHERE id = NEW.entry_id AND status = 'final' AND finalised_at = NEW.finalised_at
    )
    BEGIN SELECT RAISE(ABORT, 'findings are kept only as their note is finalised'); END
    """,
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS quality_notefinding_with_its_note"]
POSTGRES_CREATE = [
    """
    CREATE FUNCTION caseledger_finding_with_its_note() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NOT EXISTS (
            SELECT 1 FROM ledger_entry
            WHERE id = NEW.entry_id AND status = 'final' AND finalised_at = NEW.finalised_at
        ) THEN
            RAISE EXCEPTION 'findings are kept only as their note is finalised'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER quality_notefinding_with_its_note BEFORE INSERT ON quality_notefinding
    FOR EACH ROW EXECUTE FUNCTION caseledger_finding_with_its_note()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS quality_notefinding_with_its_note ON quality_notefinding",
    "DROP FUNCTION IF EXISTS caseledger_finding_with_its_note()",
]


def _run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("quality", "0002_findings_never_change"),
        ("ledger", "0007_documents_cited_by_entries"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
