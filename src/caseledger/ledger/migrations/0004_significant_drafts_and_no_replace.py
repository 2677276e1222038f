"""A half-written significant draft can be saved; SQLite's INSERT OR REPLACE cannot replace rows.

1. `entry_significant_has_category` now binds final entries only: a draft may be incomplete,
   and finalising is what insists on a category (recording rule 8).
2. SQLite resolves `INSERT OR REPLACE` by deleting the conflicting row without firing DELETE
   triggers (unless `recursive_triggers` is on for that connection), which would let a final
   entry be swapped for a rewritten one. A BEFORE INSERT trigger fires before conflict
   resolution, so it refuses any insert that collides with an existing row, whoever runs it.
   PostgreSQL's upsert fires the UPDATE trigger and was already refused.

Changing a check constraint rebuilds the table on SQLite, which drops its triggers, so the
triggers of migration 0002 are put back here too.
"""

import importlib

from django.db import migrations, models

immutable = importlib.import_module("caseledger.ledger.migrations.0002_final_entries_immutable")

SQLITE_NO_REPLACE = """
    CREATE TRIGGER ledger_entry_no_replace BEFORE INSERT ON ledger_entry
    WHEN EXISTS (
        SELECT 1 FROM ledger_entry
        WHERE id = NEW.id
            OR (case_id = NEW.case_id AND sequence = NEW.sequence)
            OR (lineage_id = NEW.lineage_id AND version = NEW.version)
            OR (NEW.status = 'final' AND status = 'final'
                AND case_id = NEW.case_id AND previous_hash = NEW.previous_hash)
    )
    BEGIN SELECT RAISE(ABORT, 'a ledger entry cannot replace another'); END
"""


def lift_triggers(apps, schema_editor):
    # SQLite cannot rebuild a table that other tables' triggers name, so they go first.
    if schema_editor.connection.vendor == "sqlite":
        for statement in [*immutable.SQLITE_DROP, "DROP TRIGGER IF EXISTS ledger_entry_no_replace"]:
            schema_editor.execute(statement, params=None)


def restore_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in [*immutable.SQLITE_DROP, *immutable.SQLITE_CREATE, SQLITE_NO_REPLACE]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_recording_defaults_for_existing_organisations")]

    operations = [
        migrations.RunPython(lift_triggers, restore_triggers),
        migrations.RemoveConstraint(model_name="entry", name="entry_significant_has_category"),
        migrations.AddConstraint(
            model_name="entry",
            constraint=models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(significant=False, significant_category="")
                | models.Q(significant=True) & ~models.Q(significant_category=""),
                name="entry_significant_has_category",
            ),
        ),
        migrations.RunPython(restore_triggers, lift_triggers),
    ]
