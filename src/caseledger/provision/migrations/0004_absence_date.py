"""An absence carries its session's date, so the provision map counts absences by place and
date from an index (`queries.load_tallied`). Absences already recorded take it from their
session."""

from django.db import migrations, models

BACKFILL = """
UPDATE provision_sessionabsence SET held_on = (
    SELECT held_on FROM provision_deliverysession
    WHERE provision_deliverysession.id = provision_sessionabsence.session_id
)
"""


class Migration(migrations.Migration):
    dependencies = [("provision", "0003_session_held_index")]

    operations = [
        migrations.AddField(
            model_name="sessionabsence",
            name="held_on",
            field=models.DateField(null=True),
        ),
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="sessionabsence",
            name="held_on",
            field=models.DateField(),
        ),
        migrations.AddIndex(
            model_name="sessionabsence",
            index=models.Index(fields=["place", "held_on", "session"], name="absence_place_day"),
        ),
    ]
