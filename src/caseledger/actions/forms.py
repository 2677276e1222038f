from __future__ import annotations

from typing import Any

from django import forms

from caseledger.accounts.models import Organisation, User
from caseledger.actions.models import Party, Priority
from caseledger.actions.services import ActionDetails
from caseledger.domain.statutory_clock import RULES
from caseledger.ui.forms import GovukDateField, GovukForm


class ActionForm(GovukForm):
    description = forms.CharField(
        label="What must happen",
        max_length=300,
        error_messages={"required": "Enter what must happen"},
    )
    responsible = forms.ChoiceField(
        label="Who is responsible", error_messages={"required": "Select who is responsible"}
    )
    due_on = GovukDateField(
        label="Due date", noun="the due date", help_text="For example, 27 3 2027"
    )
    priority = forms.ChoiceField(
        label="How urgent is it?",
        choices=Priority.choices,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        error_messages={"required": "Select how urgent this is"},
    )
    statutory_rule = forms.ChoiceField(
        label="Statutory basis (optional)",
        help_text="The rule this deadline comes from, if the law sets it",
        required=False,
        choices=[("", "None")]
        + [(rule.id, f"{rule.description} ({rule.citation})") for rule in RULES],
    )

    def __init__(self, *args: Any, organisation: Organisation, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.users = {
            str(user.id): user
            for user in User.objects.filter(organisation=organisation, is_active=True).order_by(
                "full_name"
            )
        }
        me = str(actor.id)
        self.choice_field("responsible").choices = [
            ("", "Select who is responsible"),
            (f"user:{me}", "Me"),
            *[(f"user:{key}", user.full_name) for key, user in self.users.items() if key != me],
            *[(f"party:{value}", label) for value, label in Party.choices],
        ]

    def details(self) -> ActionDetails:
        data = self.cleaned_data
        kind, _, value = data["responsible"].partition(":")
        return ActionDetails(
            description=data["description"],
            due_on=data["due_on"],
            responsible_user=self.users.get(value) if kind == "user" else None,
            responsible_party=value if kind == "party" else "",
            priority=data["priority"],
            statutory_rule=data["statutory_rule"],
        )


def initial_for(action: Any) -> dict[str, Any]:
    return {
        "description": action.description,
        "responsible": f"user:{action.responsible_user_id}"
        if action.responsible_user_id
        else f"party:{action.responsible_party}",
        "due_on": action.due_on,
        "priority": action.priority,
        "statutory_rule": action.statutory_rule,
    }


class DoneForm(GovukForm):
    done_on = GovukDateField(
        label="When was it done?", noun="the date it was done", must_not_be_future=True
    )


class CancelForm(GovukForm):
    reason = forms.CharField(
        label="Why is this action no longer needed?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the action is no longer needed"},
    )


class ReminderSettingsForm(GovukForm):
    in_app = forms.BooleanField(label="Show reminders in Caseledger", required=False)
    email = forms.BooleanField(label="Email me reminders", required=False)
