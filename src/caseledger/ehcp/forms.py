"""The forms of EHCP tracking (a status change, a plan version and its sections), in GOV.UK
wording. The services check every rule again."""

from __future__ import annotations

from typing import Any

from django import forms

from caseledger.domain.ehcp import SECTIONS
from caseledger.ehcp.models import EhcpStatus, FlagDecision, PlanKind
from caseledger.ehcp.services import FLAG_REASON_LENGTH, NOTE_LENGTH, SECTION_LENGTH
from caseledger.ui.forms import GovukDateField, GovukForm
from caseledger.vault.services import megabytes, upload_limit


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


class PlanVersionForm(GovukForm):
    """A new version of the plan: what it is, when it was issued, and its file if there is one.
    The file comes last so that, if an upload is stopped for its size, the rest is kept."""

    kind = forms.ChoiceField(
        label="What kind of plan is it?",
        choices=PlanKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what kind of plan it is",
            "invalid_choice": "Select what kind of plan it is",
        },
    )
    issued_on = GovukDateField(
        label="When was it issued?",
        noun="the date the plan was issued",
        help_text="For example, 27 3 2026. The date on the plan, or of the letter it came with",
        must_not_be_future=True,
    )
    file = forms.FileField(
        label="Upload the plan (optional)",
        help_text=(
            "A PDF, Word document (.docx) or text file. It is kept with the case's documents and "
            "its sections are read for you to check. Leave it empty to type the sections in"
        ),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.txt"}),
        allow_empty_file=True,  # the service says why an empty file is refused
    )

    def refuse_too_large(self) -> None:
        self.add_error(
            "file", f"The selected file must be smaller than {megabytes(upload_limit())}"
        )


class PlanSectionsForm(GovukForm):
    """One box per lettered section, filled with what was read from the file (or empty)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, title in SECTIONS.items():
            self.fields[f"section_{key}"] = forms.CharField(
                label=f"Section {key}",
                help_text=title,
                required=False,
                strip=False,
                max_length=SECTION_LENGTH,
                widget=forms.Textarea(attrs={"rows": 6}),
                error_messages={
                    "max_length": f"Section {key} must be {SECTION_LENGTH:,} characters or fewer"
                },
            )

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"section_{key}", "") for key in SECTIONS}


class FlagDecisionForm(GovukForm):
    """The family's decision on one flag: confirmed or dismissed, and why."""

    decision = forms.ChoiceField(
        label="Do you confirm or dismiss this flag?",
        help_text=(
            "Confirm it if the plan should change. Dismiss it if the plan is right as it is"
        ),
        choices=FlagDecision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you confirm or dismiss the flag",
            "invalid_choice": "Select whether you confirm or dismiss the flag",
        },
    )
    reason = forms.CharField(
        label="Reason",
        help_text="Optional if you confirm the flag. If you dismiss it, say why",
        required=False,
        max_length=FLAG_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"The reason must be {FLAG_REASON_LENGTH} characters or fewer"
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == FlagDecision.DISMISS and not data.get("reason", "").strip():
            self.add_error("reason", "Enter why you are dismissing the flag")
        return data
