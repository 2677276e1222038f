"""Organisations that existed before the ledger get their kind's contact types and tags.

New organisations get them when created (ledger/signals.py). The lists are written out here,
frozen as they were when this migration was written, because a data migration must not
change meaning when the application's defaults change later.
"""

from django.db import migrations

VISIT_TO_CHILD = {"is_visit": True, "visit_to_child": True}
REOPENABLE = {"is_visit": True, "visit_to_child": True, "reopenable": True}
COUNCIL = [
    ("Home visit", VISIT_TO_CHILD),
    ("CIN visit", REOPENABLE),
    ("CP plan visit", REOPENABLE),
    ("CLA placement visit", REOPENABLE),
    ("IRO visit to child", REOPENABLE),
    ("Office visit", VISIT_TO_CHILD),
    ("School visit", VISIT_TO_CHILD),
    ("Virtual visit", VISIT_TO_CHILD),
    ("Phone call", {}),
    ("Email", {}),
    ("Letter", {}),
    ("Text message", {}),
    ("Meeting", {}),
    ("Case discussion", {}),
    ("Management oversight", {}),
    ("Did not attend", {}),
]
SCHOOL = [
    ("Observation in class", VISIT_TO_CHILD),
    ("Meeting with pupil", VISIT_TO_CHILD),
    ("Meeting with parents", {}),
    ("Phone call", {}),
    ("Email", {}),
    ("Letter", {}),
    ("Multi-agency meeting", {}),
    ("Did not attend", {}),
]
FAMILY = [
    ("Note to self", {}),
    ("Phone call", {}),
    ("Email", {}),
    ("Letter", {}),
    ("Meeting", {}),
    ("Home visit", {"is_visit": True}),
    ("School visit", {"is_visit": True}),
]
FAMILY_TAGS = ["Annual Review", "Correspondence", "Legal", "Evidence", "Provision"]
CONTACT_TYPES = {"local_authority": COUNCIL, "school": SCHOOL, "family": FAMILY, "advocacy": FAMILY}
TAGS = {
    "local_authority": [
        "Assessment",
        "Child protection",
        "Education",
        "Health",
        "Housing",
        "Legal",
        "Placement",
    ],
    "school": ["Attainment", "Behaviour", "Communication", "Provision", "Wellbeing"],
    "family": FAMILY_TAGS,
    "advocacy": FAMILY_TAGS,
}


def add_defaults(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    ContactType = apps.get_model("ledger", "ContactType")
    Tag = apps.get_model("ledger", "Tag")
    for organisation in Organisation.objects.all():
        if not ContactType.objects.filter(organisation=organisation).exists():
            for position, (name, flags) in enumerate(CONTACT_TYPES[organisation.kind]):
                ContactType.objects.create(
                    organisation=organisation, name=name, position=position, **flags
                )
        if not Tag.objects.filter(organisation=organisation).exists():
            for position, name in enumerate(TAGS[organisation.kind]):
                Tag.objects.create(organisation=organisation, name=name, position=position)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_final_entries_immutable")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
