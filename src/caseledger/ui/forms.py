"""GOV.UK Frontend markup for Django forms: our own renderer templates and a GOV.UK date input.

Django keeps doing validation, `aria-describedby` wiring is ours, and upgrading GOV.UK
Frontend is a template diff (research/style-and-ecosystem.md, "Forms").
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils import timezone

# No date this service records (a child's birth, a case opening) is earlier than this.
EARLIEST_YEAR = 1900


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "ui/forms/form.html"
    field_template_name = "ui/forms/field.html"


class GovukDateWidget(forms.Widget):
    """Three text boxes — day, month, year — as the GOV.UK date input pattern asks."""

    template_name = "ui/forms/date_widget.html"
    parts = ("day", "month", "year")

    def value_from_datadict(self, data: Any, files: Any, name: str) -> tuple[str, str, str] | None:
        values = tuple(str(data.get(f"{name}-{part}", "")).strip() for part in self.parts)
        if not any(values):
            return None
        return values  # type: ignore[return-value]  # three parts; Widget types it as str

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in self.parts)

    def format_value(self, value: Any) -> dict[str, str]:
        if isinstance(value, date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        if isinstance(value, tuple | list) and len(value) == 3:
            return dict(zip(self.parts, (str(part) for part in value), strict=True))
        return {"day": "", "month": "", "year": ""}


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with the GOV.UK date input error messages.

    `noun` names the date in messages ("the date of birth"); `must_be_past` and
    `must_not_be_future` add the checks GOV.UK's pattern describes.
    """

    widget = GovukDateWidget

    def __init__(
        self,
        *,
        noun: str,
        must_be_past: bool = False,
        must_not_be_future: bool = False,
        **kwargs: Any,
    ) -> None:
        self.noun = noun
        self.must_be_past = must_be_past
        self.must_not_be_future = must_not_be_future
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", f"Enter {noun}")
        super().__init__(**kwargs)

    def _capitalised(self) -> str:
        noun = self.noun.removeprefix("the ")
        return noun[:1].upper() + noun[1:]

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        day, month, year = value
        label = self._capitalised()
        missing = [
            part for part, text in zip(("day", "month", "year"), value, strict=True) if not text
        ]
        if missing:
            raise forms.ValidationError(f"{label} must include a {' and a '.join(missing)}")
        if not all(re.fullmatch("[0-9]+", part) for part in (day, month, year)):
            raise forms.ValidationError(f"{label} must be a real date")
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers")
        if int(year) < EARLIEST_YEAR:
            raise forms.ValidationError(f"{label} must be after {EARLIEST_YEAR}")
        try:
            result = date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{label} must be a real date") from None
        today = timezone.localdate()
        if self.must_be_past and result >= today:
            raise forms.ValidationError(f"{label} must be in the past")
        if self.must_not_be_future and result > today:
            raise forms.ValidationError(f"{label} must be today or in the past")
        return result


def yes_no_field(
    *, label: str, required_message: str, help_text: str = ""
) -> forms.TypedChoiceField:
    """A Yes/No question as GOV.UK radios; the answer is a bool."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        error_messages={"required": required_message},
    )


class GovukForm(forms.Form):
    """Base form: no Django label suffix, since GOV.UK labels never end in a colon."""

    label_suffix = ""

    def choice_field(self, name: str) -> forms.ChoiceField:
        """A choice field whose options are set per request (teams, case types, siblings)."""
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field
