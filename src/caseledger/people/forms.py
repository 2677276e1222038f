from __future__ import annotations

from typing import Any

from django import forms

from caseledger.accounts.models import User
from caseledger.cases.models import CaseType
from caseledger.cases.services import CASE_TYPES_BY_ORGANISATION
from caseledger.people.models import Child, RelatedAdult
from caseledger.ui.forms import GovukDateField, GovukForm, yes_no_field


def phone_field() -> forms.CharField:
    return forms.CharField(
        label="Phone number (optional)",
        max_length=40,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "tel", "class": "govuk-input--width-20", "autocomplete": "off"}
        ),
    )


def email_field() -> forms.EmailField:
    return forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class ChildForm(GovukForm):
    first_names = forms.CharField(
        label="Legal first and middle names",
        max_length=200,
        error_messages={"required": "Enter the child's legal first name"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    last_name = forms.CharField(
        label="Legal last name",
        max_length=200,
        error_messages={"required": "Enter the child's legal last name"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    preferred_name = forms.CharField(
        label="Preferred first name (optional)",
        help_text="The name the child likes to be called, if different",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        noun="the date of birth",
        must_not_be_future=True,
        help_text="For example, 27 3 2019",
    )
    gender = forms.ChoiceField(
        label="Gender",
        choices=Child.Gender.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child's gender"},
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)",
        help_text="A 10 digit number, like 943 476 5919",
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
    upn = forms.CharField(
        label="Unique Pupil Number (UPN) (optional)",
        help_text="13 characters, like A123456789012",
        max_length=13,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    local_person_id = forms.CharField(
        label="Local person ID (optional)",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    address_line_1 = forms.CharField(
        label="Address line 1 (optional)", max_length=200, required=False
    )
    address_line_2 = forms.CharField(
        label="Address line 2 (optional)", max_length=200, required=False
    )
    town = forms.CharField(
        label="Town or city (optional)",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-!-width-two-thirds"}),
    )
    postcode = forms.CharField(
        label="Postcode (optional)",
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )


class NewChildForm(ChildForm):
    case_type = forms.ChoiceField(
        label="Type of case",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of case"},
    )
    opened_on = GovukDateField(
        label="Date the case opened", noun="the date the case opened", must_not_be_future=True
    )
    sibling = forms.ChoiceField(
        label="Brother or sister already recorded (optional)",
        help_text="They will be linked as one household",
        required=False,
    )

    def __init__(self, *args: Any, user: User, siblings: list[Child], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert user.organisation is not None
        types = CASE_TYPES_BY_ORGANISATION[user.organisation.kind]
        self.choice_field("case_type").choices = [(value, CaseType(value).label) for value in types]
        if len(types) == 1:
            self.fields["case_type"].initial = types[0]
        self.sibling_choices = {str(child.id): child for child in siblings}
        self.choice_field("sibling").choices = [("", "None")] + [
            (str(child.id), f"{child.display_name} (born {child.date_of_birth:%-d %B %Y})")
            for child in siblings
        ]

    def clean_sibling(self) -> Child | None:
        value = self.cleaned_data.get("sibling")
        return self.sibling_choices.get(value) if value else None


class AdultForm(GovukForm):
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter the adult's full name"},
    )
    relationship = forms.ChoiceField(
        label="Relationship to the child",
        choices=[("", "Select a relationship"), *RelatedAdult.Relationship.choices],
        error_messages={"required": "Select the adult's relationship to the child"},
    )
    has_parental_responsibility = yes_no_field(
        label="Do they have parental responsibility?",
        required_message="Select yes if they have parental responsibility",
    )
    lives_with_child = yes_no_field(
        label="Does the child live with them?",
        required_message="Select yes if the child lives with them",
    )
    phone = phone_field()
    email = email_field()


class AdultEditForm(AdultForm):
    is_current = yes_no_field(
        label="Are they still involved in the child's life?",
        required_message="Select yes if they are still involved in the child's life",
    )


class ProfessionalForm(GovukForm):
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter the professional's full name"},
    )
    role = forms.CharField(
        label="Role",
        max_length=200,
        help_text="For example, health visitor or speech and language therapist",
        error_messages={"required": "Enter the professional's role"},
    )
    organisation_name = forms.CharField(
        label="Organisation",
        max_length=200,
        error_messages={"required": "Enter the professional's organisation"},
    )
    phone = phone_field()
    email = email_field()


class ProfessionalEditForm(ProfessionalForm):
    is_current = yes_no_field(
        label="Are they still involved?",
        required_message="Select yes if they are still involved",
    )


class LinkSiblingForm(GovukForm):
    sibling = forms.ChoiceField(
        label="Brother or sister",
        help_text="Children already linked to either child stay together in one household",
        error_messages={"required": "Select a brother or sister"},
    )

    def __init__(self, *args: Any, candidates: list[Child], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {str(child.id): child for child in candidates}
        self.choice_field("sibling").choices = [("", "Select a child")] + [
            (key, f"{child.display_name} (born {child.date_of_birth:%-d %B %Y})")
            for key, child in self.candidates.items()
        ]

    def clean_sibling(self) -> Child:
        child = self.candidates.get(self.cleaned_data["sibling"])
        if child is None:
            raise forms.ValidationError("Select a brother or sister")
        return child
