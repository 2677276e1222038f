"""Scope words on search entries, and SQLite's full-text index over them.

On SQLite a search is narrowed to the user's cases inside the FTS5 query (`scope : (…)`),
so a common word is matched against a caseload's rows, not a million; the index gains a third
column for them. Adding a column with a default rebuilds the table on SQLite, which drops the
triggers that keep the index in step, so the index is dropped first and made again after,
from the rows. Rows written before have no scope words until `caseledger search_index`
builds the index again (an empty scope finds nothing, never too much).
"""

from django.db import migrations, models

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
SQLITE_CREATE = [
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        title, body, scope,
        content='search_searchentry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, title, body, scope)
        VALUES (new.id, new.title, new.body, new.scope);
    END
    """,
    """
    CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body, scope)
        VALUES ('delete', old.id, old.title, old.body, old.scope);
    END
    """,
    """
    CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body, scope)
        VALUES ('delete', old.id, old.title, old.body, old.scope);
        INSERT INTO search_fts(rowid, title, body, scope)
        VALUES (new.id, new.title, new.body, new.scope);
    END
    """,
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
# Back to 0002's index of two columns.
SQLITE_CREATE_OLD = [
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        title, body,
        content='search_searchentry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END
    """,
    """
    CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END
    """,
    """
    CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END
    """,
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]


def _run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_index")]

    operations = [
        migrations.RunPython(_run(SQLITE_DROP), _run(SQLITE_CREATE_OLD)),
        migrations.AddField(
            model_name="searchentry",
            name="scope",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(_run(SQLITE_CREATE), _run(SQLITE_DROP)),
    ]
