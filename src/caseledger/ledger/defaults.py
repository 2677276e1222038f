"""The contact types and topic tags an organisation starts with; it can change them later.

The council list follows the recording policy in the seeds (PRODUCT.md rule 7: every
contact, visit, call, meeting, decision and non-attendance is recorded). The four visit
types rule 5 names are reopenable. The family list follows the family workspace wording.
"""

from __future__ import annotations

from typing import NamedTuple

from caseledger.accounts.models import Organisation


class ContactTypeDefault(NamedTuple):
    name: str
    is_visit: bool = False
    visit_to_child: bool = False
    reopenable: bool = False


COUNCIL_CONTACT_TYPES = (
    ContactTypeDefault("Home visit", is_visit=True, visit_to_child=True),
    ContactTypeDefault("CIN visit", is_visit=True, visit_to_child=True, reopenable=True),
    ContactTypeDefault("CP plan visit", is_visit=True, visit_to_child=True, reopenable=True),
    ContactTypeDefault("CLA placement visit", is_visit=True, visit_to_child=True, reopenable=True),
    ContactTypeDefault("IRO visit to child", is_visit=True, visit_to_child=True, reopenable=True),
    ContactTypeDefault("Office visit", is_visit=True, visit_to_child=True),
    ContactTypeDefault("School visit", is_visit=True, visit_to_child=True),
    ContactTypeDefault("Virtual visit", is_visit=True, visit_to_child=True),
    ContactTypeDefault("Phone call"),
    ContactTypeDefault("Email"),
    ContactTypeDefault("Letter"),
    ContactTypeDefault("Text message"),
    ContactTypeDefault("Meeting"),
    ContactTypeDefault("Case discussion"),
    ContactTypeDefault("Management oversight"),
    ContactTypeDefault("Did not attend"),
)

SCHOOL_CONTACT_TYPES = (
    ContactTypeDefault("Observation in class", is_visit=True, visit_to_child=True),
    ContactTypeDefault("Meeting with pupil", is_visit=True, visit_to_child=True),
    ContactTypeDefault("Meeting with parents"),
    ContactTypeDefault("Phone call"),
    ContactTypeDefault("Email"),
    ContactTypeDefault("Letter"),
    ContactTypeDefault("Multi-agency meeting"),
    ContactTypeDefault("Did not attend"),
)

FAMILY_CONTACT_TYPES = (
    ContactTypeDefault("Note to self"),
    ContactTypeDefault("Phone call"),
    ContactTypeDefault("Email"),
    ContactTypeDefault("Letter"),
    ContactTypeDefault("Meeting"),
    ContactTypeDefault("Home visit", is_visit=True),
    ContactTypeDefault("School visit", is_visit=True),
)

CONTACT_TYPES_BY_KIND: dict[str, tuple[ContactTypeDefault, ...]] = {
    Organisation.Kind.LOCAL_AUTHORITY: COUNCIL_CONTACT_TYPES,
    Organisation.Kind.SCHOOL: SCHOOL_CONTACT_TYPES,
    Organisation.Kind.FAMILY: FAMILY_CONTACT_TYPES,
    Organisation.Kind.ADVOCACY: FAMILY_CONTACT_TYPES,
}

TAGS_BY_KIND: dict[str, tuple[str, ...]] = {
    Organisation.Kind.LOCAL_AUTHORITY: (
        "Assessment",
        "Child protection",
        "Education",
        "Health",
        "Housing",
        "Legal",
        "Placement",
    ),
    Organisation.Kind.SCHOOL: (
        "Attainment",
        "Behaviour",
        "Communication",
        "Provision",
        "Wellbeing",
    ),
    Organisation.Kind.FAMILY: ("Annual Review", "Correspondence", "Legal", "Evidence", "Provision"),
    Organisation.Kind.ADVOCACY: (
        "Annual Review",
        "Correspondence",
        "Legal",
        "Evidence",
        "Provision",
    ),
}


def add_recording_defaults(organisation: Organisation) -> None:
    """Give an organisation its kind's default contact types and tags (if it has none)."""
    from caseledger.ledger.models import ContactType, Tag

    if not organisation.contact_types.exists():
        ContactType.objects.bulk_create(
            ContactType(organisation=organisation, position=position, **default._asdict())
            for position, default in enumerate(CONTACT_TYPES_BY_KIND[organisation.kind])
        )
    if not organisation.tags.exists():
        Tag.objects.bulk_create(
            Tag(organisation=organisation, name=name, position=position)
            for position, name in enumerate(TAGS_BY_KIND[organisation.kind])
        )
