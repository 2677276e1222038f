"""Organisations that existed before the vault get their kind's document categories.

New organisations get them when created (vault/signals.py). The lists are written out here,
frozen as they were when this migration was written, so that the migration's meaning does not
change when the application's defaults do.
"""

from django.db import migrations

FAMILY = [
    "EHCP",
    "Education",
    "Health and medical",
    "Therapy",
    "Diagnosis",
    "Social care",
    "Benefits (DLA)",
    "Correspondence",
    "Tribunal and legal",
    "Other",
]
COUNCIL = ["Assessment", "Plan", "Minutes", "Report", "Correspondence", "Court", "Other"]
CATEGORIES = {
    "local_authority": COUNCIL,
    "school": COUNCIL,
    "family": FAMILY,
    "advocacy": FAMILY,
}


def add_categories(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    DocumentCategory = apps.get_model("vault", "DocumentCategory")
    for organisation in Organisation.objects.all():
        if not DocumentCategory.objects.filter(organisation=organisation).exists():
            for position, name in enumerate(CATEGORIES[organisation.kind]):
                DocumentCategory.objects.create(
                    organisation=organisation, name=name, position=position
                )


class Migration(migrations.Migration):
    dependencies = [("vault", "0002_stored_files_and_documents_never_change")]

    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
