"""The search box and its filters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django import forms

from caseledger.cases.models import Case
from caseledger.search.models import SearchKind
from caseledger.search.services import MAX_PAGES, Filters, Order
from caseledger.ui.forms import GovukDateField, GovukForm


class SearchForm(GovukForm):
    query = forms.CharField(
        label="Search",
        help_text="Words in case notes, interactions, timeline events and documents, or a "
        "child's name",
        max_length=200,
        error_messages={
            "required": "Enter what you are looking for",
            "max_length": "Search for 200 characters or fewer",
        },
    )
    child = forms.ChoiceField(label="Child", required=False)
    case = forms.ChoiceField(label="Case", required=False)
    kinds = forms.MultipleChoiceField(
        label="Records",
        choices=SearchKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    category = forms.ChoiceField(
        label="Type of contact, channel, event or document category",
        required=False,
    )
    date_from = GovukDateField(
        label="From (optional)", noun="the date to search from", required=False
    )
    date_to = GovukDateField(label="To (optional)", noun="the date to search to", required=False)
    order = forms.ChoiceField(
        label="Order",
        choices=[(Order.RELEVANCE, "Best match first"), (Order.NEWEST, "Newest first")],
        initial=Order.RELEVANCE,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGES, widget=forms.HiddenInput
    )

    def __init__(
        self, *args: Any, cases: Sequence[Case], categories: Sequence[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.case_options = {str(case.id): case for case in cases}
        self.choice_field("case").choices = [("", "All the cases you can see")] + [
            (key, f"{case.reference}: {case.child.display_name}, {case.get_case_type_display()}")
            for key, case in self.case_options.items()
        ]
        children = {str(case.child_id): case.child for case in cases}
        self.child_options = children
        named = sorted(
            ((key, child.display_name) for key, child in children.items()),
            key=lambda option: option[1],
        )
        self.choice_field("child").choices = [("", "All the children you can see"), *named]
        self.choice_field("category").choices = [("", "Any")] + [
            (name, name) for name in categories
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to",
                "The date to search to must be the same as or after the date to search from",
            )
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        case = self.case_options.get(data.get("case") or "")
        child = self.child_options.get(data.get("child") or "")
        return Filters(
            child_id=UUID(str(child.id)) if child else None,
            case_id=UUID(str(case.id)) if case else None,
            kinds=tuple(data.get("kinds") or ()),
            category=(data.get("category") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            order=data.get("order") or Order.RELEVANCE,
        )
