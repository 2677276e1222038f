"""The database refuses to change or remove a stored file, or what a document is.

Evidence must be provably unaltered (PRODUCT.md: "every record can be exported with proof it
was not altered"). A stored file's row (its SHA-256 and size) is never updated or deleted; a
document is never deleted, and the columns that say which file it is, where it came from,
which version it is and what an email said are fixed once written. Only the details people
give it (title, category, date, source), which version is current, and the text read from it
may change, and the services audit each change. Enforced here, not only in Python, so that
`QuerySet.update()`, bulk operations and raw SQL cannot go around it.
"""

from django.db import migrations

FIXED = (
    "id",
    "organisation_id",
    "lineage",
    "version",
    "previous_version_id",
    "stored_file_id",
    "file_name",
    "kind",
    "active_content",
    "uploaded_by_id",
    "uploaded_at",
    "attached_to_id",
    "email_sender",
    "email_to",
    "email_cc",
    "email_sent_at",
    "email_subject",
    "email_text_body",
    "email_html_body",
)
# email_attachments_left_out is written once, just after the document (its attachments are
# stored after it): it may go from empty to filled, never back or to something else.

SQLITE_CREATE = [
    """
    CREATE TRIGGER vault_storedfile_no_update BEFORE UPDATE ON vault_storedfile
    BEGIN SELECT RAISE(ABORT, 'stored files cannot be changed'); END
    """,
    """
    CREATE TRIGGER vault_storedfile_no_delete BEFORE DELETE ON vault_storedfile
    BEGIN SELECT RAISE(ABORT, 'stored files cannot be deleted'); END
    """,
    """
    CREATE TRIGGER vault_document_no_delete BEFORE DELETE ON vault_document
    BEGIN SELECT RAISE(ABORT, 'documents cannot be deleted'); END
    """,
    f"""
    CREATE TRIGGER vault_document_file_fixed BEFORE UPDATE ON vault_document
    WHEN {" OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in FIXED)}
        OR (OLD.email_attachments_left_out != '[]'
            AND NEW.email_attachments_left_out IS NOT OLD.email_attachments_left_out)
    BEGIN SELECT RAISE(ABORT, 'the file of a document and what it says cannot be changed'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS vault_storedfile_no_update",
    "DROP TRIGGER IF EXISTS vault_storedfile_no_delete",
    "DROP TRIGGER IF EXISTS vault_document_no_delete",
    "DROP TRIGGER IF EXISTS vault_document_file_fixed",
]

POSTGRES_CREATE = [
    """
    CREATE TRIGGER vault_storedfile_no_change BEFORE UPDATE OR DELETE ON vault_storedfile
    FOR EACH ROW EXECUTE FUNCTION caseledger_refuse_change()
    """,
    """
    CREATE TRIGGER vault_storedfile_no_truncate BEFORE TRUNCATE ON vault_storedfile
    FOR EACH STATEMENT EXECUTE FUNCTION caseledger_refuse_change()
    """,
    f"""
    CREATE FUNCTION caseledger_document_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'documents cannot be deleted'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF {" OR ".join(f"NEW.{column} IS DISTINCT FROM OLD.{column}" for column in FIXED)}
            OR (OLD.email_attachments_left_out::text <> '[]'
                AND NEW.email_attachments_left_out::text
                    IS DISTINCT FROM OLD.email_attachments_left_out::text) THEN
            RAISE EXCEPTION 'the file of a document and what it says cannot be changed'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END
    $$
    """,
    """
    CREATE TRIGGER vault_document_guard BEFORE UPDATE OR DELETE ON vault_document
    FOR EACH ROW EXECUTE FUNCTION caseledger_document_guard()
    """,
    """
    CREATE TRIGGER vault_document_no_truncate BEFORE TRUNCATE ON vault_document
    FOR EACH STATEMENT EXECUTE FUNCTION caseledger_refuse_change()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS vault_document_no_truncate ON vault_document",
    "DROP TRIGGER IF EXISTS vault_document_guard ON vault_document",
    "DROP FUNCTION IF EXISTS caseledger_document_guard()",
    "DROP TRIGGER IF EXISTS vault_storedfile_no_truncate ON vault_storedfile",
    "DROP TRIGGER IF EXISTS vault_storedfile_no_change ON vault_storedfile",
]


def _run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            # No parameters: the PL/pgSQL bodies are not format strings.
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("vault", "0001_documents_and_stored_files"),
        # caseledger_refuse_change() is defined there.
        ("audit", "0002_audit_events_append_only"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
