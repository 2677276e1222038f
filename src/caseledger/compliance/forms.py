"""The dashboards' period (a GET form: dates only in the address, never a child's details)
and the visiting intervals settings form."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from caseledger.cases.models import CaseType
from caseledger.compliance.models import MOST_DAYS
from caseledger.compliance.reckoning import months_in
from caseledger.compliance.services import interval_message
from caseledger.ui.forms import GovukDateField, GovukForm


class PeriodForm(GovukForm):
    """From and to dates, read from the query string. A bad date is reported, keeps what
    was typed, and the default stands in for it."""

    date_from = GovukDateField(
        label="From", noun="the from date", help_text="For example, 27 3 2026", required=False
    )
    date_to = GovukDateField(
        label="To", noun="the to date", help_text="For example, 27 6 2026", required=False
    )

    def __init__(
        self, *args: Any, default: tuple[date, date], longest_months: int = 0, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.default = default
        self.longest_months = longest_months

    def clean(self) -> dict[str, Any]:
        """Checks the period the page would show: a date left out is the default's, so one
        date alone is checked with the other (`?date_from=1/1/1900` alone is too long)."""
        data = super().clean() or {}
        if self.errors:
            return data  # a wrong date is reported as it is; the default stands in
        start = data.get("date_from") or self.default[0]
        end = data.get("date_to") or self.default[1]
        blamed = "date_to" if data.get("date_to") or not data.get("date_from") else "date_from"
        if start > end:
            if data.get("date_from") and data.get("date_to"):
                message = "The to date must be the same as or after the from date"
            elif data.get("date_from"):
                message = f"The from date must be on or before {end.day} {end:%B %Y}"
            else:
                message = f"The to date must be on or after {start.day} {start:%B %Y}"
            self.add_error(blamed, message)
        elif self.longest_months and len(months_in(start, end)) > self.longest_months:
            self.add_error(blamed, f"The period must be {self.longest_months} months or shorter")
        return data

    def period(self) -> tuple[date, date]:
        """The dates asked for; the default for any that is missing or wrong."""
        if not self.is_bound or not self.is_valid():
            return self.default
        data = self.cleaned_data
        return (data.get("date_from") or self.default[0], data.get("date_to") or self.default[1])


class VisitIntervalsForm(GovukForm):
    """One box per type of case: the days between visits, or 0 for not monitored. Every box
    must be answered, so a form sent empty by mistake never stops the monitoring."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        initial = kwargs.get("initial") or {}
        kwargs["initial"] = {name: value or 0 for name, value in initial.items()}
        super().__init__(*args, **kwargs)
        for case_type, label in CaseType.choices:
            message = interval_message(case_type)
            self.fields[case_type] = forms.IntegerField(
                label=f"{label} cases",
                help_text="Number of days. Enter 0 if visits are not monitored.",
                min_value=0,
                max_value=MOST_DAYS,
                widget=forms.TextInput(
                    attrs={
                        "class": "govuk-input--width-3",
                        "inputmode": "numeric",
                        "spellcheck": "false",
                    }
                ),
                error_messages={
                    "required": message,
                    "invalid": message,
                    "min_value": message,
                    "max_value": message,
                },
            )

    def intervals(self) -> dict[str, int | None]:
        return {
            case_type: self.cleaned_data.get(case_type) or None for case_type in CaseType.values
        }
