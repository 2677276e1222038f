"""Forms for the evidence vault: storing a document, describing it, adding a version."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from caseledger.cases.models import Case
from caseledger.domain.filetypes import ACCEPTED, EXTENSIONS
from caseledger.ledger.models import Tag
from caseledger.ui.forms import GovukDateField, GovukForm, yes_no_field
from caseledger.vault.models import Document, DocumentCategory
from caseledger.vault.services import (
    CATEGORY_NAME_LENGTH,
    DocumentDetails,
    megabytes,
    upload_limit,
)

ACCEPT = ",".join(sorted(EXTENSIONS))
# Browsers never show a chosen file again: a page shown again with errors says so.
CHOOSE_AGAIN = "Choose the file again: browsers do not keep a chosen file when a page reloads"


def _file_field(label: str) -> forms.FileField:
    return forms.FileField(
        label=label,
        help_text=f"{ACCEPTED[0].upper()}{ACCEPTED[1:]}. Up to {megabytes(upload_limit())}",
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
        allow_empty_file=True,  # the vault says why an empty file is refused, on every path
    )


class CategoryForm(GovukForm):
    name = forms.CharField(
        label="Name",
        help_text="For example, Occupational therapy",
        max_length=CATEGORY_NAME_LENGTH,
        error_messages={
            "required": "Enter the name of the category",
            "max_length": (
                f"The name of the category must be {CATEGORY_NAME_LENGTH} characters or fewer"
            ),
        },
    )


class CategoryEditForm(CategoryForm):
    is_active = yes_no_field(
        label="Offer it for new documents?",
        help_text="If not, documents already filed under it keep it",
        required_message="Select yes if it should be offered for new documents",
    )


class FileForm(GovukForm):
    """A new version of a document: only the file."""

    file = forms.Field()  # replaced in __init__ (its help text depends on the settings)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field("Upload the new version")

    def refuse_too_large(self) -> None:
        self.add_error(
            "file", f"The selected file must be smaller than {megabytes(upload_limit())}"
        )


class DetailsForm(GovukForm):
    """What people say about a document: the same questions when storing and correcting."""

    title = forms.CharField(
        label="Title (optional)",
        help_text="Leave blank to use the email's subject or the file's name",
        required=False,
        max_length=200,
        error_messages={"max_length": "The title must be 200 characters or fewer"},
    )
    category = forms.ChoiceField(label="Category", error_messages={"required": "Select a category"})
    document_date = GovukDateField(
        label="Date of the document (optional)",
        noun="the date of the document",
        help_text="For example, 27 3 2026. For an email, leave blank to use the date it was sent",
        must_not_be_future=True,
        required=False,
    )
    source = forms.CharField(
        label="Who wrote it, or where it came from (optional)",
        help_text="For example, Dr Shah, community paediatrician, or Riverside Primary School",
        required=False,
        max_length=200,
        error_messages={"max_length": "The author or source must be 200 characters or fewer"},
    )
    tags = forms.MultipleChoiceField(
        label="Topics (optional)", required=False, widget=forms.CheckboxSelectMultiple
    )
    cases = forms.MultipleChoiceField(
        label="Which children is it about?",
        help_text="It is filed on each child's case you tick",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one child the document is about"},
    )

    def __init__(
        self,
        *args: Any,
        categories: Sequence[DocumentCategory],
        tags: Sequence[Tag],
        cases: Sequence[Case],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.category_options = {str(category.id): category for category in categories}
        self.choice_field("category").choices = [("", "Select a category")] + [
            (key, category.name) for key, category in self.category_options.items()
        ]
        self.tag_options = {str(tag.id): tag for tag in tags}
        self.choice_field("tags").choices = [
            (key, tag.name) for key, tag in self.tag_options.items()
        ]
        if not tags:
            del self.fields["tags"]
        self.case_options = {str(case.id): case for case in cases}
        self.choice_field("cases").choices = [
            (key, f"{case.child.display_name} (case {case.reference})")
            for key, case in self.case_options.items()
        ]
        if len(cases) == 1:
            self.fields["cases"].widget = forms.MultipleHiddenInput()

    def details(self) -> DocumentDetails:
        data = self.cleaned_data
        return DocumentDetails(
            title=data.get("title", ""),
            category=self.category_options[data["category"]],
            cases=[self.case_options[key] for key in data["cases"] if key in self.case_options],
            document_date=data.get("document_date"),
            source=data.get("source", ""),
            tags=[self.tag_options[key] for key in data.get("tags", []) if key in self.tag_options],
        )

    @staticmethod
    def initial_for(document: Document, cases: Sequence[Case]) -> dict[str, Any]:
        linked = set(document.case_links.values_list("case_id", flat=True))
        return {
            "title": document.title,
            "category": str(document.category_id),
            "document_date": document.document_date,
            "source": document.source,
            "tags": [str(tag_id) for tag_id in document.tags.values_list("id", flat=True)],
            "cases": [str(case.id) for case in cases if case.id in linked],
        }


class UploadForm(DetailsForm):
    """A new document: what it is, then the file. The file comes last so that, if an upload
    is stopped for its size, everything typed before it has already arrived and is kept."""

    field_order = ("title", "category", "document_date", "source", "tags", "cases", "file")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field("Upload a file")
        self.order_fields(self.field_order)

    def refuse_too_large(self) -> None:
        self.add_error(
            "file", f"The selected file must be smaller than {megabytes(upload_limit())}"
        )
