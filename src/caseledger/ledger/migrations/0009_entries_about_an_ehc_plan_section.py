"""A note or an interaction on an EHCP tracking case says which section of the plan it is about
(issue 7).

`ehcp_section` is the chain's third extension group (domain/chain.py, ADR 3): a row's hash
covers it only when it holds something, so every existing link still verifies and the column
is added empty. Adding a column with a default rebuilds the table on SQLite, which drops its
own triggers, and SQLite will not rebuild a table that other tables' triggers name: so the
ledger's triggers, those freezing the documents an entry cites (0007) and the one keeping a
finding with its finalised note (quality 0003) are lifted first and put back after, as in 0007.
PostgreSQL adds the column in place and keeps its triggers.
"""

import importlib

from django.db import migrations, models

no_replace = importlib.import_module(
    "caseledger.ledger.migrations.0004_significant_drafts_and_no_replace"
)
cited_documents = importlib.import_module(
    "caseledger.ledger.migrations.0007_documents_cited_by_entries"
)
findings = importlib.import_module(
    "caseledger.quality.migrations.0003_findings_only_with_their_finalised_note"
)

NAMING_THE_LEDGER = [
    (cited_documents.SQLITE_CREATE, cited_documents.SQLITE_DROP),
    (findings.SQLITE_CREATE, findings.SQLITE_DROP),
]


def lift_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for _create, drop in NAMING_THE_LEDGER:
        for statement in drop:
            schema_editor.execute(statement, params=None)
    no_replace.lift_triggers(apps, schema_editor)


def restore_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    no_replace.restore_triggers(apps, schema_editor)
    for create, drop in NAMING_THE_LEDGER:
        for statement in [*drop, *create]:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0008_compliance_dashboard_indexes"),
        # Its trigger names ledger_entry, so it must exist before the table is rebuilt, to be
        # lifted and put back.
        ("quality", "0003_findings_only_with_their_finalised_note"),
    ]

    operations = [
        migrations.RunPython(lift_triggers, restore_triggers),
        migrations.AddField(
            model_name="entry",
            name="ehcp_section",
            field=models.CharField(
                blank=True,
                choices=[
                    ("A", "Section A: Views, interests and aspirations"),
                    ("B", "Section B: Special educational needs"),
                    ("C", "Section C: Health care needs"),
                    ("D", "Section D: Social care needs"),
                    ("E", "Section E: Outcomes"),
                    ("F", "Section F: Special educational provision"),
                    ("G", "Section G: Health care provision"),
                    ("H", "Section H: Social care provision"),
                    ("I", "Section I: Placement"),
                    ("J", "Section J: Personal budget"),
                    ("K", "Section K: Advice and information"),
                ],
                max_length=1,
            ),
        ),
        migrations.RunPython(restore_triggers, lift_triggers),
    ]
