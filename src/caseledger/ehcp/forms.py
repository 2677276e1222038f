"""The forms of EHCP tracking (a status change, a plan version and its sections), in GOV.UK
wording. The services check every rule again."""

from __future__ import annotations

from typing import Any

from django import forms

from caseledger.domain.ehcp import SECTIONS
from caseledger.ehcp.annotations import COMMENT_LENGTH, CONCERN_LENGTH, WORDING_LENGTH
from caseledger.ehcp.models import AnnotationStatus, EhcpStatus, FlagDecision, PlanKind
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


class ItemNeedsForm(GovukForm):
    """The Section B needs one provision item meets; the choices are the version's needs."""

    needs = forms.MultipleChoiceField(
        label="Which needs in Section B does this provision meet?",
        help_text="Select all that apply. Leave them all unselected if it meets none",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select needs from Section B of this version"},
    )


class AnnotationForm(GovukForm):
    """The family's concern about a section or a passage, what they propose, their evidence."""

    section = forms.ChoiceField(
        label="Which section is it about?",
        choices=[("", "Select a section")]
        + [(key, f"Section {key}: {title}") for key, title in SECTIONS.items()],
        error_messages={
            "required": "Select the section",
            "invalid_choice": "Select the section",
        },
    )
    passage = forms.CharField(
        label="The words in the plan it is about (optional)",
        help_text=(
            "Copy them from the section, word for word. Leave this empty if the concern is "
            "about the whole section"
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    concern = forms.CharField(
        label="What is your concern?",
        help_text="For example, what is missing, vague or wrong, and why it matters",
        max_length=CONCERN_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter your concern",
            "max_length": f"Your concern must be {CONCERN_LENGTH:,} characters or fewer",
        },
    )
    proposed_wording = forms.CharField(
        label="The wording you propose instead (optional)",
        help_text=(
            "In the working document, the words above are struck through and this wording "
            "is shown in bold"
        ),
        required=False,
        max_length=WORDING_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": f"The proposed wording must be {WORDING_LENGTH:,} characters or fewer"
        },
    )
    evidence = forms.MultipleChoiceField(
        label="Evidence (optional)",
        help_text="Documents on the case that support what you propose, such as a report",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select documents from this case"},
    )
    status = forms.ChoiceField(
        label="Where does it stand?",
        choices=AnnotationStatus.choices,
        initial=AnnotationStatus.OPEN,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select where the concern stands",
            "invalid_choice": "Select where the concern stands",
        },
    )


class CommentForm(GovukForm):
    body = forms.CharField(
        label="Your comment",
        max_length=COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter your comment",
            "max_length": f"Your comment must be {COMMENT_LENGTH:,} characters or fewer",
        },
    )


class ReportsForm(GovukForm):
    reports = forms.MultipleChoiceField(
        label="Which documents are professional reports this plan should follow?",
        help_text=(
            "For example, advice from a speech and language therapist or an educational "
            "psychologist. Their recommendations are checked against Section F"
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select documents from this case"},
    )
