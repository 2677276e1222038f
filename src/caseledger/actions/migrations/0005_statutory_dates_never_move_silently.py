"""A statutory due date never moves silently; a lawful exception, once recorded, stays.

Issue 4: "a due date is never moved silently". The service refuses to change a statutory
clock's due date by hand, but `QuerySet.update()` and raw SQL go around Python
(research/security-reliability.md §2.4), so the database refuses too: a clock action's due
date may only become the date the law sets (a recalculation) or the revised date of a lawful
exception recorded for it; and the exceptions themselves cannot be changed or deleted.
"""

from django.db import migrations

SQLITE_CREATE = [
    """
    CREATE TRIGGER actions_clock_due_date BEFORE UPDATE ON actions_nextaction
    WHEN (OLD.statutory_due_on IS NOT NULL AND NEW.statutory_due_on IS NULL)
        OR (NEW.statutory_due_on IS NOT NULL
            AND NEW.due_on IS NOT OLD.due_on
            AND NEW.due_on IS NOT NEW.statutory_due_on
            AND NOT EXISTS (
                SELECT 1 FROM actions_lawfulexception
                WHERE action_id = NEW.id AND revised_due_on = NEW.due_on
            ))
    BEGIN SELECT RAISE(ABORT, 'a statutory due date moves only by recalculation or a recorded lawful exception'); END
    """,
    """
    CREATE TRIGGER actions_exception_no_update BEFORE UPDATE ON actions_lawfulexception
    BEGIN SELECT RAISE(ABORT, 'lawful exceptions cannot be changed or deleted'); END
    """,
    """
    CREATE TRIGGER actions_exception_no_delete BEFORE DELETE ON actions_lawfulexception
    BEGIN SELECT RAISE(ABORT, 'lawful exceptions cannot be changed or deleted'); END
    """,
    # INSERT OR REPLACE deletes the old row without firing DELETE triggers (see ledger 0004).
    """
    CREATE TRIGGER actions_exception_no_replace BEFORE INSERT ON actions_lawfulexception
    WHEN EXISTS (SELECT 1 FROM actions_lawfulexception WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'lawful exceptions cannot be changed or deleted'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS actions_clock_due_date",
    "DROP TRIGGER IF EXISTS actions_exception_no_update",
    "DROP TRIGGER IF EXISTS actions_exception_no_delete",
    "DROP TRIGGER IF EXISTS actions_exception_no_replace",
]

POSTGRES_CREATE = [
    """
    CREATE FUNCTION caseledger_clock_due_date() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF (OLD.statutory_due_on IS NOT NULL AND NEW.statutory_due_on IS NULL)
            OR (NEW.statutory_due_on IS NOT NULL
                AND NEW.due_on IS DISTINCT FROM OLD.due_on
                AND NEW.due_on IS DISTINCT FROM NEW.statutory_due_on
                AND NOT EXISTS (
                    SELECT 1 FROM actions_lawfulexception
                    WHERE action_id = NEW.id AND revised_due_on = NEW.due_on
                )) THEN
            RAISE EXCEPTION 'a statutory due date moves only by recalculation or a recorded lawful exception';
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER actions_clock_due_date BEFORE UPDATE ON actions_nextaction
    FOR EACH ROW EXECUTE FUNCTION caseledger_clock_due_date()
    """,
    """
    CREATE FUNCTION caseledger_exception_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'lawful exceptions cannot be changed or deleted';
    END $$
    """,
    """
    CREATE TRIGGER actions_exception_guard BEFORE UPDATE OR DELETE ON actions_lawfulexception
    FOR EACH ROW EXECUTE FUNCTION caseledger_exception_guard()
    """,
    """
    CREATE TRIGGER actions_exception_no_truncate BEFORE TRUNCATE ON actions_lawfulexception
    FOR EACH STATEMENT EXECUTE FUNCTION caseledger_exception_guard()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS actions_exception_no_truncate ON actions_lawfulexception",
    "DROP TRIGGER IF EXISTS actions_exception_guard ON actions_lawfulexception",
    "DROP FUNCTION IF EXISTS caseledger_exception_guard()",
    "DROP TRIGGER IF EXISTS actions_clock_due_date ON actions_nextaction",
    "DROP FUNCTION IF EXISTS caseledger_clock_due_date()",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in SQLITE_CREATE if vendor == "sqlite" else POSTGRES_CREATE:
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in SQLITE_DROP if vendor == "sqlite" else POSTGRES_DROP:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("actions", "0004_statutory_clocks_and_lawful_exceptions")]

    operations = [migrations.RunPython(create, drop)]
