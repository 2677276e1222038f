from __future__ import annotations

from typing import Any

from django import forms

from caseledger.accounts.models import Organisation, Team, TeamMembership, User
from caseledger.cases.models import AccessGrant, CaseType
from caseledger.cases.services import CASE_TYPES_BY_ORGANISATION
from caseledger.people.models import Child
from caseledger.ui.forms import GovukDateField, GovukForm


class OpenCaseForm(GovukForm):
    case_type = forms.ChoiceField(
        label="Type of case",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of case"},
    )
    opened_on = GovukDateField(
        label="Date the case opened", noun="the date the case opened", must_not_be_future=True
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = CASE_TYPES_BY_ORGANISATION[organisation.kind]
        self.choice_field("case_type").choices = [(value, CaseType(value).label) for value in types]


class AllocateForm(GovukForm):
    """Team, worker and manager chosen from the case's organisation only."""

    team = forms.ChoiceField(label="Team", error_messages={"required": "Select a team"})
    worker = forms.ChoiceField(
        label="Worker",
        required=False,
        help_text="Leave as ‘No worker yet’ to hold the case in the team",
    )
    manager = forms.ChoiceField(label="Manager", required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = {str(team.id): team for team in Team.objects.filter(organisation=organisation)}
        memberships = list(
            TeamMembership.objects.filter(team__organisation=organisation, user__is_active=True)
            .select_related("user", "team")
            .order_by("user__full_name")
        )
        self.users: dict[str, User] = {str(m.user.id): m.user for m in memberships}
        self.choice_field("team").choices = [("", "Select a team")] + [
            (key, team.name) for key, team in self.teams.items()
        ]
        workers = sorted(
            {
                (str(m.user.id), m.user.full_name, m.team.name)
                for m in memberships
                if not m.is_manager
            },
            key=lambda row: row[1],
        )
        managers = sorted(
            {(str(m.user.id), m.user.full_name, m.team.name) for m in memberships if m.is_manager},
            key=lambda row: row[1],
        )
        self.choice_field("worker").choices = [("", "No worker yet")] + [
            (key, f"{name} ({team})") for key, name, team in workers
        ]
        self.choice_field("manager").choices = [("", "No manager")] + [
            (key, f"{name} ({team})") for key, name, team in managers
        ]

    def clean_team(self) -> Team:
        team = self.teams.get(self.cleaned_data["team"])
        if team is None:
            raise forms.ValidationError("Select a team")
        return team

    def clean_worker(self) -> User | None:
        value = self.cleaned_data.get("worker")
        return self.users.get(value) if value else None

    def clean_manager(self) -> User | None:
        value = self.cleaned_data.get("manager")
        return self.users.get(value) if value else None


class ReasonForm(GovukForm):
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": "3"}),
        error_messages={
            "required": "Enter the reason",
            "max_length": "Reason must be 500 characters or fewer",
        },
    )


class CloseCaseForm(ReasonForm):
    closed_on = GovukDateField(
        label="Date the case closed", noun="the date the case closed", must_not_be_future=True
    )
    field_order = ["closed_on", "reason"]


class GrantForm(GovukForm):
    email = forms.EmailField(
        label="Email address of the person",
        help_text="They must already have a Caseledger account",
        error_messages={
            "required": "Enter the email address of the person",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    kind = forms.ChoiceField(
        label="Who are they?",
        choices=AccessGrant.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who they are"},
    )
    expires_on = GovukDateField(
        label="Date access ends (optional)",
        noun="the date access ends",
        required=False,
        help_text="Leave empty for access until you revoke it. For example, 31 7 2027",
    )


# The "Which children?" answer that shares every child of the family, now and later.
ALL_CHILDREN = "all"


class FamilyGrantForm(GovukForm):
    """A family gives an advocate access to one of its children, or to all of them."""

    email = forms.EmailField(
        label="Advocate's email address",
        help_text="They must already have a Caseledger account as an advocate",
        error_messages={
            "required": "Enter the advocate's email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    child = forms.ChoiceField(
        label="Which children?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select which children they can see",
            "invalid_choice": "Select which children they can see",
        },
    )
    expires_on = GovukDateField(
        label="Date access ends (optional)",
        noun="the date access ends",
        required=False,
        help_text="Leave empty for access until you revoke it. For example, 31 7 2027",
    )

    def __init__(self, *args: Any, children: list[Child], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.children = {str(child.id): child for child in children}
        self.choice_field("child").choices = [
            (key, child.display_name) for key, child in self.children.items()
        ] + [(ALL_CHILDREN, "All children, including any added later")]

    def clean_child(self) -> Child | None:
        """The child chosen, or None for all of them (the choices allow nothing else)."""
        value = self.cleaned_data["child"]
        return None if value == ALL_CHILDREN else self.children[value]
