"""The form to change an EHCP status, in GOV.UK wording. The service checks every rule again."""

from __future__ import annotations

from django import forms

from caseledger.ehcp.models import EhcpStatus
from caseledger.ehcp.services import NOTE_LENGTH
from caseledger.ui.forms import GovukDateField, GovukForm


class StatusChangeForm(GovukForm):
    status = forms.ChoiceField(
        label="What is the new status?",
        help_text=(
            "Some changes start statutory time limits; the deadlines will be added to the "
            "case's next actions"
        ),
        choices=EhcpStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the new status",
            "invalid_choice": "Select the new status",
        },
    )
    effective_on = GovukDateField(
        label="When did it change?",
        noun="the date of the change",
        help_text="For example, 27 3 2026. For a letter, the date it was received",
        must_not_be_future=True,
    )
    note = forms.CharField(
        label="Note (optional)",
        help_text="What happened, or where the letter or email is kept",
        required=False,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"The note must be {NOTE_LENGTH} characters or fewer"},
    )
