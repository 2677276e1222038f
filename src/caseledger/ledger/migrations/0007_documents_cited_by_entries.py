"""Entries cite documents in the evidence vault (issue 5).

`document_ids` is the chain's second extension group (domain/chain.py): a row's hash covers it
only when it holds something, so every existing link still verifies and the column is added
empty. `EntryDocument` indexes the citations for a document's page; like an entry's tags, the
triggers freeze them once the entry is final. Adding a column with a default rebuilds the table
on SQLite, which drops its triggers, so they are lifted first and put back after, as in 0006.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

no_replace = importlib.import_module(
    "caseledger.ledger.migrations.0004_significant_drafts_and_no_replace"
)

SQLITE_CREATE = [
    """
    CREATE TRIGGER ledger_entry_document_frozen_insert BEFORE INSERT ON ledger_entrydocument
    WHEN (SELECT status FROM ledger_entry WHERE id = NEW.entry_id) = 'final'
    BEGIN SELECT RAISE(ABORT, 'the documents a final ledger entry cites cannot be changed'); END
    """,
    """
    CREATE TRIGGER ledger_entry_document_frozen_update BEFORE UPDATE ON ledger_entrydocument
    WHEN (SELECT status FROM ledger_entry WHERE id = OLD.entry_id) = 'final'
        OR (SELECT status FROM ledger_entry WHERE id = NEW.entry_id) = 'final'
    BEGIN SELECT RAISE(ABORT, 'the documents a final ledger entry cites cannot be changed'); END
    """,
    """
    CREATE TRIGGER ledger_entry_document_frozen_delete BEFORE DELETE ON ledger_entrydocument
    WHEN (SELECT status FROM ledger_entry WHERE id = OLD.entry_id) = 'final'
    BEGIN SELECT RAISE(ABORT, 'the documents a final ledger entry cites cannot be changed'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS ledger_entry_document_frozen_insert",
    "DROP TRIGGER IF EXISTS ledger_entry_document_frozen_update",
    "DROP TRIGGER IF EXISTS ledger_entry_document_frozen_delete",
]
POSTGRES_CREATE = [
    """
    CREATE FUNCTION caseledger_entry_document_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
            SELECT 1 FROM ledger_entry WHERE id = OLD.entry_id AND status = 'final'
        ) OR TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
            SELECT 1 FROM ledger_entry WHERE id = NEW.entry_id AND status = 'final'
        ) THEN
            RAISE EXCEPTION 'the documents a final ledger entry cites cannot be changed'
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
    CREATE TRIGGER ledger_entry_document_guard
    BEFORE INSERT OR UPDATE OR DELETE ON ledger_entrydocument
    FOR EACH ROW EXECUTE FUNCTION caseledger_entry_document_guard()
    """,
    """
    CREATE TRIGGER ledger_entry_document_no_truncate BEFORE TRUNCATE ON ledger_entrydocument
    FOR EACH STATEMENT EXECUTE FUNCTION caseledger_refuse_change()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS ledger_entry_document_no_truncate ON ledger_entrydocument",
    "DROP TRIGGER IF EXISTS ledger_entry_document_guard ON ledger_entrydocument",
    "DROP FUNCTION IF EXISTS caseledger_entry_document_guard()",
]


def _run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0006_interactions_and_timeline_events"),
        ("vault", "0003_document_categories_for_existing_organisations"),
    ]

    operations = [
        migrations.RunPython(no_replace.lift_triggers, no_replace.restore_triggers),
        migrations.AddField(
            model_name="entry",
            name="document_ids",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.CreateModel(
            name="EntryDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entry_links",
                        to="vault.document",
                    ),
                ),
                (
                    "entry",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="entry_documents",
                        to="ledger.entry",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["document", "entry"], name="entry_document_by_document")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("entry", "document"), name="entry_document_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(no_replace.restore_triggers, no_replace.lift_triggers),
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
