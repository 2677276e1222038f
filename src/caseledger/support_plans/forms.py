"""Support plan forms, in GOV.UK wording. The services check every rule again."""

from __future__ import annotations

from typing import Any

from django import forms

from caseledger.accounts.models import User
from caseledger.provision.models import Place
from caseledger.support_plans.models import Rating, Target
from caseledger.support_plans.services import TEXT_LENGTH
from caseledger.ui.forms import GovukDateField, GovukForm, yes_no_field


def _text(
    label: str, *, required_message: str = "", help_text: str = "", rows: int = 4
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=bool(required_message),
        max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required_message,
            "max_length": f"Enter {TEXT_LENGTH} characters or fewer",
        },
    )


def _needs() -> forms.CharField:
    return _text(
        "Assess: what are the pupil's needs?",
        required_message="Enter the pupil's needs",
        help_text="What the assessment found, in words the pupil's parents will understand",
    )


def _evidence() -> forms.CharField:
    return _text(
        "What is the evidence for them?",
        required_message="Enter the evidence of the needs",
        help_text="For example, assessments, observations, the views of the pupil, parents "
        "and specialists",
    )


def _strategies() -> forms.CharField:
    return _text(
        "Plan: what strategies will staff use? (optional)",
        help_text="The teaching approaches and adjustments agreed",
    )


def _review_due(label: str = "When will the plan be reviewed?") -> GovukDateField:
    return GovukDateField(
        label=label, noun="the date of the review", help_text="For example, 1 12 2026"
    )


class StartPlanForm(GovukForm):
    started_on = GovukDateField(
        label="When did the plan start?",
        noun="the date the plan started",
        help_text="For example, 3 9 2026",
        must_not_be_future=True,
    )
    needs = _needs()
    evidence = _evidence()
    strategies = _strategies()
    review_due = _review_due()


class ChangeCycleForm(GovukForm):
    needs = _needs()
    evidence = _evidence()
    strategies = _strategies()
    places = forms.MultipleChoiceField(
        label="What provision is assigned? (optional)",
        help_text="The pupil's places in intervention groups on the provision map",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose the pupil's provision from the list"},
    )
    review_due = _review_due()

    def __init__(self, *args: Any, places: list[Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["places"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            (
                str(place.pk),
                f"{place.group.intervention.name} ({place.group.name}), from "
                f"{place.started_on.day} {place.started_on:%B %Y}",
            )
            for place in places
        ]


class TargetForm(GovukForm):
    description = _text("What is the target?", required_message="Enter the target", rows=3)
    success_criteria = _text(
        "How will you know it has been met?",
        required_message="Enter how you will know the target has been met",
        help_text="What will be measured or seen, and how",
        rows=3,
    )
    due_on = GovukDateField(
        label="When should it be met by?",
        noun="the date the target should be met by",
        help_text="For example, 1 12 2026",
    )


class ReviewForm(GovukForm):
    reviewed_on = GovukDateField(
        label="When was the review?",
        noun="the date of the review",
        help_text="For example, 1 12 2026",
        must_not_be_future=True,
    )

    def __init__(self, *args: Any, targets: list[Target], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for target in targets:
            message = f"Select how far target {target.position} was met"
            self.fields[f"rating_{target.pk}"] = forms.ChoiceField(
                label=f"Target {target.position}: {target.description}",
                help_text=f"Measured by: {target.success_criteria}",
                choices=Rating.choices,
                widget=forms.RadioSelect,
                error_messages={"required": message, "invalid_choice": message},
            )
            self.fields[f"comment_{target.pk}"] = _text(
                f"Progress towards target {target.position} (optional)", rows=2
            )
        self.fields["pupil_views"] = _text("What are the pupil's views? (optional)")
        self.fields["parent_views"] = _text(
            "What are the parents' views, as given at the meeting? (optional)"
        )
        self.fields["next_steps"] = _text(
            "What are the next steps?",
            required_message="Enter the next steps agreed at the review",
            help_text="They open the next cycle",
        )
        self.fields["next_review_due"] = GovukDateField(
            label="When will the next cycle be reviewed?",
            noun="the date of the next review",
            help_text="For example, 1 3 2027",
        )


class MeetingForm(GovukForm):
    held_on = GovukDateField(
        label="When was the meeting?",
        noun="the date of the meeting",
        help_text="For example, 1 12 2026",
        must_not_be_future=True,
    )
    purpose = forms.CharField(
        label="What was the meeting for?",
        max_length=200,
        error_messages={
            "required": "Enter what the meeting was for",
            "max_length": "Enter 200 characters or fewer",
        },
    )
    attendees = _text("Who came?", required_message="Enter who came to the meeting", rows=2)
    notes = _text("Notes (optional)", rows=5)


class AccessForm(GovukForm):
    confidential = yes_no_field(
        label="Is the plan confidential?",
        required_message="Select yes if the plan is confidential",
        help_text="A confidential plan is seen only by the SENCO and the staff named below",
    )
    named_staff = forms.MultipleChoiceField(
        label="Named staff (optional)",
        help_text="They see the plan even when it is confidential",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose the staff from the list"},
    )

    def __init__(self, *args: Any, staff: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["named_staff"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            (str(user.pk), f"{user.full_name} ({user.get_role_display()})") for user in staff
        ]


class ParentViewsForm(GovukForm):
    views = _text(
        "Your views",
        required_message="Enter your views",
        help_text="What is going well, what worries you, and what you would like to happen next",
        rows=6,
    )
