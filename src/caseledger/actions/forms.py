from __future__ import annotations

from typing import Any

from django import forms

from caseledger.accounts.models import Organisation, User
from caseledger.actions.clocks import ExceptionDetails, approvers_for
from caseledger.actions.models import NextAction, Party, Priority
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

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        actor: User,
        action: NextAction | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # A statutory clock's date and basis are not the user's to change (issue 4): they
        # move by recalculation or a recorded lawful exception.
        self.locked = action if action is not None and action.is_statutory_clock else None
        if self.locked is not None:
            del self.fields["due_on"]
            del self.fields["statutory_rule"]
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
            due_on=self.locked.due_on if self.locked else data["due_on"],
            responsible_user=self.users.get(value) if kind == "user" else None,
            responsible_party=value if kind == "party" else "",
            priority=data["priority"],
            statutory_rule=self.locked.statutory_rule if self.locked else data["statutory_rule"],
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


SOMEONE_ELSE = "someone-else"


class ExceptionForm(GovukForm):
    """A lawful reason a statutory time limit need not be met: which, when, the evidence,
    who approved it, and the date now worked to."""

    kind = forms.ChoiceField(
        label="Why can the time limit not be met?",
        help_text=(
            "Only these reasons are lawful. Staff shortages, panel dates, backlogs and the "
            "school holidays in general are not exceptions"
        ),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the reason the time limit cannot be met"},
    )
    starts_on = GovukDateField(
        label="When did the circumstances begin?",
        noun="the date the circumstances began",
        help_text="For example, 20 7 2026",
    )
    ends_on = GovukDateField(
        label="When did they end? (optional)",
        noun="the date the circumstances ended",
        help_text="Leave blank if they have not ended yet",
        required=False,
    )
    evidence = forms.CharField(
        label="Evidence",
        help_text=(
            "What shows the exception applies, and where it is kept: for example, the "
            "school's term dates, or a letter from the family's GP"
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the evidence for the exception"},
    )
    approved_by = forms.ChoiceField(
        label="Who approved it?",
        error_messages={"required": "Select who approved the exception"},
    )
    approved_by_name = forms.CharField(
        label="Name and role of who approved it",
        help_text="For example, Sam Jones, SEN team manager, Northshire Council",
        max_length=200,
        required=False,
    )
    revised_due_on = GovukDateField(
        label="New date it must be done by",
        noun="the new date it must be done by",
        help_text="The date the law set stays on the record beside it",
    )

    def __init__(self, *args: Any, action: NextAction, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("kind").choices = action.exception_kinds
        self.approvers = {str(user.id): user for user in approvers_for(action.case)}
        if self.approvers:
            self.choice_field("approved_by").choices = [
                ("", "Select who approved it"),
                *[(key, user.full_name) for key, user in self.approvers.items()],
                (SOMEONE_ELSE, "Someone outside this organisation"),
            ]
            self.fields[
                "approved_by_name"
            ].label = "If someone outside this organisation: their name and role"
        else:
            # A family has no managers: they name the council officer who told them.
            del self.fields["approved_by"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A family has no list to choose from, so always names the approver; otherwise the
        # name is asked for only once "someone outside" is chosen (not for a blank choice).
        chosen = data.get("approved_by") if "approved_by" in self.fields else SOMEONE_ELSE
        if chosen == SOMEONE_ELSE and not (data.get("approved_by_name") or "").strip():
            self.add_error(
                "approved_by_name", "Enter the name and role of who approved the exception"
            )
        return data

    def details(self) -> ExceptionDetails:
        data = self.cleaned_data
        approver = self.approvers.get(data.get("approved_by") or "")
        return ExceptionDetails(
            kind=data["kind"],
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
            evidence=data["evidence"],
            revised_due_on=data["revised_due_on"],
            approved_by=approver,
            approved_by_name="" if approver else data.get("approved_by_name", ""),
        )
