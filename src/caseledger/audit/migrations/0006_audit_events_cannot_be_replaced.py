"""SQLite's INSERT OR REPLACE cannot replace an audit event.

SQLite resolves REPLACE by deleting the conflicting row without firing DELETE triggers, so
an event could be swapped for a rewritten one with the same id or place in the chain. A
BEFORE INSERT trigger fires before conflict resolution and refuses any colliding insert.
PostgreSQL's upsert fires the UPDATE trigger and was already refused.
"""

from django.db import migrations

CREATE = """
    CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON audit_auditevent
    WHEN EXISTS (
        SELECT 1 FROM audit_auditevent WHERE id = NEW.id OR sequence = NEW.sequence
    )
    BEGIN SELECT RAISE(ABORT, 'an audit event cannot replace another'); END
"""
DROP = "DROP TRIGGER IF EXISTS audit_event_no_replace"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_audit_ledger_actions")]

    operations = [migrations.RunPython(create, drop)]
