"""Interactions and timeline events join the ledger (issue 4).

The new columns are part of a row's hash only when one of them holds something
(domain/chain.py, ENTRY_EXTENSION_COLUMNS), so every existing link still verifies: the
migration adds them empty. Adding a column with a default rebuilds the table on SQLite,
which drops its triggers, so they are lifted first and put back at the end, as in 0004.
"""

import importlib

from django.conf import settings
from django.db import migrations, models

no_replace = importlib.import_module(
    "caseledger.ledger.migrations.0004_significant_drafts_and_no_replace"
)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_cases_status_history_grants"),
        ("ledger", "0005_chronology_author_filter_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(no_replace.lift_triggers, no_replace.restore_triggers),
        migrations.AddField(
            model_name="entry",
            name="channel",
            field=models.CharField(
                blank=True,
                choices=[
                    ("phone_call", "Phone call"),
                    ("email", "Email"),
                    ("letter", "Letter"),
                    ("meeting", "Face-to-face meeting"),
                    ("video_call", "Video call"),
                    ("text_message", "Text message"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="entry",
            name="contact_name",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="entry",
            name="contact_organisation",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="entry",
            name="contact_role",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="entry",
            name="corrected_occurred_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="entry",
            name="event_type",
            field=models.CharField(
                blank=True,
                choices=[
                    ("ehc_request", "EHC needs assessment requested"),
                    ("advice_requested", "Advice requested from professionals"),
                    ("decision_to_assess", "Decision whether to assess received"),
                    ("draft_plan", "Draft EHC plan received"),
                    ("decision_letter", "Decision letter received (can be appealed)"),
                    ("mediation_contacted", "Mediation adviser contacted"),
                    ("mediation_certificate", "Mediation certificate received"),
                    ("plan_issued", "Final EHC plan issued"),
                    ("review_meeting", "Annual review meeting held"),
                    ("review_concluded", "Annual review decision received"),
                    ("amendment_proposed", "Amendments to the plan proposed"),
                    ("referral", "Referral received"),
                    ("strategy_discussion", "Strategy discussion held"),
                    ("sar", "Subject access request made"),
                    ("meeting", "Meeting held"),
                    ("exclusion", "Exclusion from school"),
                    ("hospital_admission", "Hospital admission"),
                    ("placement_change", "Change of school or placement"),
                    ("other", "Something else"),
                    ("case_closed", "Case closed"),
                    ("case_reopened", "Case reopened"),
                    ("deadline_met", "Statutory deadline met"),
                ],
                max_length=30,
            ),
        ),
        migrations.AddField(
            model_name="entry",
            name="generated_by",
            field=models.CharField(
                blank=True,
                choices=[
                    ("case_status", "Case status change"),
                    ("statutory_clock", "Statutory clock"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="entry",
            name="in_timeline",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="entry",
            name="promise",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="entry",
            name="promise_due_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="entry",
            name="promise_party",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name="entry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("case_note", "Case note"),
                    ("correction", "Correction"),
                    ("moved_out", "Moved to another child's case"),
                    ("interaction", "Interaction"),
                    ("event", "Timeline event"),
                ],
                default="case_note",
                max_length=20,
            ),
        ),
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(
                condition=models.Q(
                    ("status", "final"),
                    models.Q(("kind", "event"), ("in_timeline", True), _connector="OR"),
                ),
                fields=["case", "occurred_at", "id"],
                name="entry_timeline",
            ),
        ),
        migrations.AddConstraint(
            model_name="entry",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "draft"),
                    models.Q(
                        models.Q(("kind", "interaction"), _negated=True),
                        models.Q(("kind", "event"), _negated=True),
                    ),
                    models.Q(("kind", "interaction"), models.Q(("channel", ""), _negated=True)),
                    models.Q(("kind", "event"), models.Q(("event_type", ""), _negated=True)),
                    _connector="OR",
                ),
                name="entry_interaction_and_event_complete",
            ),
        ),
        migrations.RunPython(no_replace.restore_triggers, no_replace.lift_triggers),
    ]
