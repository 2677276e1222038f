"""Forms for case audits, in GOV.UK wording. The services check every rule again."""

from __future__ import annotations

from typing import Any

from django import forms

from caseledger.accounts.models import Team, User
from caseledger.case_audits import services
from caseledger.case_audits.models import OVERALL_GRADES, Grade
from caseledger.ui.forms import GovukDateField, GovukForm, yes_no_field

WHOLE_ORGANISATION = "all"


class SampleForm(GovukForm):
    method = forms.ChoiceField(
        label="How do you want to choose the cases?",
        choices=[
            ("random", "A random sample of open cases"),
            ("chosen", "Cases I choose by their case reference"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you want to choose the cases"},
    )
    scope = forms.ChoiceField(
        label="For a random sample: where from",
        required=False,
        error_messages={"invalid_choice": "Select where to sample the cases from"},
    )
    number = forms.IntegerField(
        label="For a random sample: how many cases",
        help_text=(
            f"From 1 to {services.MOST_IN_A_SAMPLE}. Cases already being audited are left out."
        ),
        required=False,
        min_value=1,
        max_value=services.MOST_IN_A_SAMPLE,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-2", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={
            "invalid": services.NUMBER_MESSAGE,
            "min_value": services.NUMBER_MESSAGE,
            "max_value": services.NUMBER_MESSAGE,
        },
    )
    references = forms.CharField(
        label="If you choose the cases: their case references",
        help_text="One on each line, for example NMB-000123",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, user: User, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = {str(team.pk): team for team in teams}
        choices = [(key, team.name) for key, team in self.teams.items()]
        if user.is_organisation_admin and user.organisation is not None:
            choices.insert(0, (WHOLE_ORGANISATION, f"All of {user.organisation.name}"))
        self.choice_field("scope").choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        method = data.get("method")
        if method == "random":
            if not data.get("scope") and "scope" not in self.errors:
                self.add_error("scope", "Select where to sample the cases from")
            if data.get("number") is None and "number" not in self.errors:
                self.add_error("number", "Enter how many cases to sample")
        elif method == "chosen" and not services.parse_references(data.get("references", "")):
            self.add_error("references", "Enter the case references of the cases to audit")
        return data

    def team(self) -> Team | None:
        """The chosen team, or None for the whole organisation."""
        return self.teams.get(self.cleaned_data["scope"])


class GradeForm(GovukForm):
    grade = forms.ChoiceField(
        label="Grade",
        help_text=(
            "Ofsted's four-point scale, or not applicable if the question does not fit the case"
        ),
        choices=Grade.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a grade"},
    )
    comment = forms.CharField(
        label="Comment",
        help_text="What you found. Needed for requires improvement and inadequate.",
        required=False,
        max_length=services.COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": f"The comment must be {services.COMMENT_LENGTH} characters or fewer"
        },
    )


class AuditActionForm(GovukForm):
    worker = forms.ChoiceField(
        label="Who is it for?",
        error_messages={
            "required": "Select who the action is for",
            "invalid_choice": "Select who the action is for",
        },
    )
    description = forms.CharField(
        label="What needs to be done?",
        max_length=services.ACTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter what needs to be done",
            "max_length": (
                f"What needs to be done must be {services.ACTION_LENGTH} characters or fewer"
            ),
        },
    )
    due_on = GovukDateField(noun="the due date", help_text="For example, 27 3 2027")

    def __init__(self, *args: Any, candidates: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {str(user.pk): user for user in candidates}
        self.choice_field("worker").choices = [("", "Choose who the action is for")] + [
            (key, user.full_name) for key, user in self.candidates.items()
        ]

    def chosen_worker(self) -> User:
        return self.candidates[self.cleaned_data["worker"]]


class CompleteForm(GovukForm):
    overall_grade = forms.ChoiceField(
        label="Overall grade",
        help_text="Ofsted's four-point scale",
        choices=[(grade.value, grade.label) for grade in OVERALL_GRADES],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the overall grade"},
    )
    summary = forms.CharField(
        label="Summary",
        help_text="What is going well, what needs to change, and why. The worker will read this.",
        max_length=services.SUMMARY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Enter a summary of the audit",
            "max_length": f"The summary must be {services.SUMMARY_LENGTH} characters or fewer",
        },
    )


class QuestionForm(GovukForm):
    text = forms.CharField(
        label="Question",
        help_text="A statement the auditor grades the case against, for example "
        "Plans are reviewed on time",
        max_length=services.QUESTION_LENGTH,
        error_messages={
            "required": "Enter the question",
            "max_length": f"The question must be {services.QUESTION_LENGTH} characters or fewer",
        },
    )
    guidance = forms.CharField(
        label="Guidance for the auditor (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QuestionEditForm(QuestionForm):
    is_active = yes_no_field(
        label="Ask it in new audits?",
        help_text="Audits already started keep the question as it was",
        required_message="Select yes if new audits should ask this question",
    )


class AuditFilterForm(GovukForm):
    """The list's filters, read from the address so a filtered list can be shared."""

    team = forms.ChoiceField(label="Team", required=False)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "All"), ("in_progress", "In progress"), ("completed", "Completed")],
    )

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("team").choices = [("", "All teams")] + [
            (str(team.pk), team.name) for team in teams
        ]
