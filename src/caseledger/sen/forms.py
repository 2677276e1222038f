"""The SEN register's forms, in GOV.UK wording. The services check every rule again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms

from caseledger.accounts.models import User
from caseledger.domain.sen.areas import NeedCode, SenProvision, year_group_label
from caseledger.domain.sen.year_groups import year_group
from caseledger.people.models import Child
from caseledger.sen.classes import NAME_LENGTH
from caseledger.sen.models import NEED_CHOICES, PROVISION_CHOICES
from caseledger.sen.services import REASON_LENGTH
from caseledger.ui.forms import GovukDateField, GovukForm
from caseledger.vault.models import Document

YEAR_GROUPS = range(-1, 14)  # Nursery, Reception, Years 1 to 13


def _provision_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="What SEN provision does the pupil have?",
        choices=PROVISION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the pupil's SEN provision",
            "invalid_choice": "Select the pupil's SEN provision",
        },
    )


def _primary_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Primary need",
        help_text="The type of need ranked 1 in the school census",
        choices=[("", "Select the primary need"), *NEED_CHOICES],
        error_messages={
            "required": "Select the pupil's primary need",
            "invalid_choice": "Select the pupil's primary need",
        },
    )


def _secondary_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Secondary need (optional)",
        help_text="The type of need ranked 2, if there is one",
        required=False,
        choices=[("", "None"), *((code, label) for code, label in NEED_CHOICES if code != "NSA")],
        error_messages={"invalid_choice": "Select the pupil's secondary need, or none"},
    )


def _reason_field(*, required: bool, label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the reason",
            "max_length": f"The reason must be {REASON_LENGTH} characters or fewer",
        },
    )


class AddToRegisterForm(GovukForm):
    child = forms.ChoiceField(
        label="Pupil",
        error_messages={"required": "Select the pupil", "invalid_choice": "Select the pupil"},
    )
    provision = _provision_field()
    primary_need = _primary_field()
    secondary_need = _secondary_field()
    started_on = GovukDateField(
        label="When did the SEN provision start?",
        noun="the date the SEN provision started",
        help_text="For example, 3 9 2025",
        must_not_be_future=True,
    )
    reason = _reason_field(required=False, label="Note (optional)")

    def __init__(self, *args: Any, children: list[Child], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("child").choices = [("", "Select a pupil")] + [
            (str(child.pk), f"{child.display_name} (born {child.date_of_birth:%d/%m/%Y})")
            for child in children
        ]


class ChangeEntryForm(GovukForm):
    provision = _provision_field()
    primary_need = _primary_field()
    secondary_need = _secondary_field()
    education_plan = forms.ChoiceField(
        label="Personal Education Plan (optional)",
        help_text="For a looked-after pupil: the plan, kept in the pupil's documents",
        required=False,
        error_messages={"invalid_choice": "Select the Personal Education Plan from the list"},
    )
    education_plan_review_on = GovukDateField(
        label="When is the Personal Education Plan next reviewed? (optional)",
        noun="the review date of the Personal Education Plan",
        help_text="For example, 27 3 2027",
        required=False,
    )
    healthcare_plan = forms.ChoiceField(
        label="Individual Healthcare Plan (optional)",
        help_text="For a pupil with medical needs: the plan, kept in the pupil's documents",
        required=False,
        error_messages={"invalid_choice": "Select the Individual Healthcare Plan from the list"},
    )
    healthcare_plan_review_on = GovukDateField(
        label="When is the Individual Healthcare Plan next reviewed? (optional)",
        noun="the review date of the Individual Healthcare Plan",
        help_text="For example, 27 3 2027",
        required=False,
    )
    reason = _reason_field(required=False, label="Why has it changed? (optional)")

    def __init__(self, *args: Any, documents: list[Document], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "None")] + [(str(document.pk), document.title) for document in documents]
        self.choice_field("education_plan").choices = choices
        self.choice_field("healthcare_plan").choices = choices


class RemoveFromRegisterForm(GovukForm):
    removed_on = GovukDateField(
        label="When did the pupil leave the register?",
        noun="the date the pupil left the register",
        help_text="For example, 27 3 2026",
        must_not_be_future=True,
    )
    reason = _reason_field(
        required=True, label="Why is the pupil no longer receiving SEN provision?"
    )


class RegisterFilterForm(GovukForm):
    """The list's filters and order, read from the address so a filtered list can be shared."""

    need = forms.ChoiceField(
        label="Need",
        required=False,
        choices=[("", "All needs")]
        + [(code.value, f"{code.abbreviation}: {code.name_in_full}") for code in NeedCode],
    )
    provision = forms.ChoiceField(
        label="Provision",
        required=False,
        choices=[("", "All"), *((p.value, p.label) for p in SenProvision)],
    )
    year_group = forms.ChoiceField(
        label="Year group",
        required=False,
        choices=[("", "All year groups")]
        + [(str(year), year_group_label(year)) for year in YEAR_GROUPS],
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "On the register"), ("removed", "Removed"), ("all", "All")],
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("", "Name"),
            ("year", "Year group"),
            ("need", "Primary need"),
            ("started", "Start date"),
        ],
    )


@dataclass(frozen=True)
class PupilChoice:
    """One pupil's checkbox: `index` numbers the boxes across every year group, so the error
    summary's link lands on the first one."""

    index: int
    value: str
    label: str


class SchoolClassForm(GovukForm):
    """A class's name, teachers and pupils. Every pupil of the school may be chosen; the page
    shows them a year group at a time (`pupil_groups`, for `year`, or all when it is None) so
    a school of hundreds of pupils stays usable, and carries the chosen pupils of the other
    year groups as hidden inputs (`chosen_elsewhere`) so they are not dropped."""

    name = forms.CharField(
        label="Name of the class",
        help_text="For example, 4B or Year 10 maths set 2",
        max_length=NAME_LENGTH,
        error_messages={
            "required": "Enter the name of the class",
            "max_length": f"The name of the class must be {NAME_LENGTH} characters or fewer",
        },
    )
    teachers = forms.MultipleChoiceField(
        label="Teachers (optional)",
        help_text="They will see the SEN records of the pupils in this class",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select the class's teachers from the list"},
    )
    pupils = forms.MultipleChoiceField(
        label="Pupils (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select the class's pupils from the list"},
    )

    def __init__(
        self,
        *args: Any,
        teachers: list[User],
        pupils: list[Child],
        today: date,
        year: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("teachers").choices = [
            (str(teacher.pk), f"{teacher.full_name} ({teacher.get_role_display()})")
            for teacher in teachers
        ]
        self.choice_field("pupils").choices = [
            (str(child.pk), child.display_name) for child in pupils
        ]
        chosen = {str(value) for value in self["pupils"].value() or []}
        groups: dict[int, list[Child]] = {}
        self.chosen_elsewhere: list[Child] = []
        for child in pupils:
            child_year = year_group(child.date_of_birth, today)
            if year is None or child_year == year:
                groups.setdefault(child_year, []).append(child)
            elif str(child.pk) in chosen:
                self.chosen_elsewhere.append(child)
        self.pupil_groups: list[tuple[str, list[PupilChoice]]] = []
        index = 0
        for year in sorted(groups):
            choices = []
            for child in groups[year]:
                born = child.date_of_birth.strftime("%d/%m/%Y")
                choices.append(
                    PupilChoice(index, str(child.pk), f"{child.display_name} (born {born})")
                )
                index += 1
            self.pupil_groups.append((year_group_label(year), choices))


class ClassPupilsFilterForm(GovukForm):
    """Which year group's pupils a class's form shows. Part of the class's own (POST) form,
    with its own button, so choosing a year group keeps everything typed so far."""

    year_group = forms.ChoiceField(
        label="Show pupils in",
        required=False,
        choices=[("", "Every year group")]
        + [(str(year), year_group_label(year)) for year in YEAR_GROUPS],
    )


class ParentAccessForm(GovukForm):
    email = forms.EmailField(
        label="Parent or carer's email address",
        help_text="The address they sign in to Caseledger with",
        error_messages={
            "required": "Enter the parent's email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
