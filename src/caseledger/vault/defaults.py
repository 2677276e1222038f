"""The document categories an organisation starts with (issue 5); it can change them later.

Families file by the subjects an EHCP case turns on; councils by the kind of record. Schools
file like councils.
"""

from __future__ import annotations

from caseledger.accounts.models import Organisation

FAMILY_CATEGORIES = (
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
)
COUNCIL_CATEGORIES = (
    "Assessment",
    "Plan",
    "Minutes",
    "Report",
    "Correspondence",
    "Court",
    "Other",
)
CATEGORIES_BY_KIND: dict[str, tuple[str, ...]] = {
    Organisation.Kind.LOCAL_AUTHORITY: COUNCIL_CATEGORIES,
    Organisation.Kind.SCHOOL: COUNCIL_CATEGORIES,
    Organisation.Kind.FAMILY: FAMILY_CATEGORIES,
    Organisation.Kind.ADVOCACY: FAMILY_CATEGORIES,
}


def add_document_categories(organisation: Organisation) -> None:
    """Give an organisation its kind's default document categories (if it has none)."""
    from caseledger.vault.models import DocumentCategory

    if not DocumentCategory.objects.filter(organisation=organisation).exists():
        DocumentCategory.objects.bulk_create(
            DocumentCategory(organisation=organisation, name=name, position=position)
            for position, name in enumerate(CATEGORIES_BY_KIND[organisation.kind])
        )
