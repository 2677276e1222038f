"""The provision map's forms, in GOV.UK wording. The services check every rule again."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict

from caseledger.provision.models import AREA_CHOICES, SCALE_KIND_CHOICES, WAVE_CHOICES, Place
from caseledger.provision.services import NAME_LENGTH, REASON_LENGTH, TEXT_LENGTH
from caseledger.ui.forms import GovukDateField, GovukForm, yes_no_field


def _whole(
    label: str, noun: str, *, required: bool = True, help_text: str = ""
) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
        error_messages={
            "required": f"Enter {noun}",
            "invalid": f"Enter {noun} as a whole number",
        },
    )


def _money(label: str, noun: str, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={
            "required": f"Enter {noun}",
            "invalid": f"Enter {noun} as an amount, like 14.50",
            "min_value": f"Enter {noun} of £0 or more",
            "max_digits": f"Enter {noun} as an amount, like 14.50",
            "max_decimal_places": f"Enter {noun} to the penny, like 14.50",
            "max_whole_digits": f"Enter {noun} as an amount, like 14.50",
        },
    )


def _text(
    label: str, noun: str, *, length: int, required: bool = True, rows: int = 0
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=length,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
        error_messages={
            "required": f"Enter {noun}",
            "max_length": f"{noun[:1].upper()}{noun[1:]} must be {length} characters or fewer",
        },
    )


class ScaleForm(GovukForm):
    name = _text("Name", "the name of the scale", length=100)
    kind = forms.ChoiceField(
        label="Kind of scale",
        choices=SCALE_KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the kind of scale",
            "invalid_choice": "Select the kind of scale",
        },
    )
    minimum = _whole("Lowest score", "the lowest score")
    maximum = _whole("Highest score", "the highest score")


class InterventionForm(GovukForm):
    name = _text("Name", "the name of the intervention", length=NAME_LENGTH)
    area = forms.ChoiceField(
        label="Area of need",
        choices=[("", "Select the area of need"), *AREA_CHOICES],
        error_messages={
            "required": "Select the area of need",
            "invalid_choice": "Select the area of need",
        },
    )
    description = _text(
        "Description (optional)", "the description", length=TEXT_LENGTH, required=False, rows=3
    )
    intended_outcome = _text(
        "Intended outcome (optional)",
        "the intended outcome",
        length=TEXT_LENGTH,
        required=False,
        rows=3,
    )
    wave = forms.TypedChoiceField(
        label="Wave",
        choices=WAVE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the wave", "invalid_choice": "Select the wave"},
    )
    group_size = _whole("Group size", "the group size", help_text="1 for one-to-one")
    staff_role = _text("Staff role", "the role of the staff who run it", length=100)
    session_minutes = _whole("Session length in minutes", "the length of a session in minutes")
    sessions_per_week = _whole("Sessions a week", "how many sessions a week")
    staff_cost_per_hour = _money(
        "Cost of an hour of staff time, in pounds", "the cost of an hour of staff time"
    )
    other_costs_per_year = _money(
        "Other costs a year, in pounds (optional)", "the other costs a year", required=False
    )
    scale = forms.ChoiceField(
        label="Scale for entry and exit measures",
        error_messages={
            "required": "Select the scale its measures are on",
            "invalid_choice": "Select the scale its measures are on",
        },
    )

    def __init__(self, *args: Any, scales: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("scale").choices = [("", "Select the scale"), *scales]


class ChangeInterventionForm(InterventionForm):
    is_active = yes_no_field(
        label="Is it in use?",
        required_message="Select whether the intervention is in use",
        help_text="A retired intervention keeps its history but starts no new groups",
    )


class GroupForm(GovukForm):
    name = _text("Name of the group", "the name of the group", length=100)
    led_by = _text("Led by (optional)", "who leads the group", length=150, required=False)
    started_on = GovukDateField(
        label="When did the group start?",
        noun="the date the group started",
        help_text="For example, 8 9 2025",
        must_not_be_future=True,
    )


class EndForm(GovukForm):
    ended_on = GovukDateField(
        label="When did it end?",
        noun="the end date",
        help_text="For example, 18 7 2026",
        must_not_be_future=True,
    )


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _open_on(place: Place, day: date) -> bool:
    return place.started_on <= day and (place.ended_on is None or place.ended_on >= day)


class SessionForm(GovukForm):
    """A session, held or missed, with who was absent. Only the places open on the session's
    date are offered: the date posted once there is one (a re-rendered form), otherwise
    `default_on`. The hidden `offered_on` says which day's places the page showed, so a
    session dated a day on which another pupil had a place is not saved before that pupil
    has been offered as absent."""

    held_on = GovukDateField(
        label="Date of the session",
        noun="the date of the session",
        help_text="For example, 14 10 2025",
        must_not_be_future=True,
    )
    held = yes_no_field(
        label="Was the session held?", required_message="Select whether the session was held"
    )
    reason = _text(
        "If it was missed, why? (optional if it was held)",
        "why the session was missed",
        length=REASON_LENGTH,
        required=False,
    )
    absent = forms.MultipleChoiceField(
        label="Pupils absent from the session",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select pupils who had a place in the group that day"},
    )
    offered_on = forms.DateField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, places: Iterable[Place], default_on: date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.places = list(places)
        self.offered_before = self._posted_date("offered_on") if self.is_bound else None
        posted_on = self._posted_date("held_on") if self.is_bound else None
        self.on = posted_on or self.offered_before or default_on
        field = self.choice_field("absent")
        field.choices = [
            (
                str(place.pk),
                f"{place.child.display_name} (from {_long_date(place.started_on)}"
                + (f" to {_long_date(place.ended_on)})" if place.ended_on else ")"),
            )
            for place in self.places
            if _open_on(place, self.on)
        ]
        field.help_text = (
            f"The pupils with a place in the group on {_long_date(self.on)}. Select every one "
            "who missed the session, if it was held"
            if field.choices
            else f"No pupil had a place in the group on {_long_date(self.on)}"
        )
        if self.is_bound:
            # The page shown next offers the places open on `self.on`: say so.
            data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
            data["offered_on"] = self.on.isoformat()
            self.data = data
        else:
            self.initial["offered_on"] = self.on

    def _posted_date(self, name: str) -> date | None:
        field = self.fields[name]
        raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        try:
            value = field.clean(raw)
        except forms.ValidationError:
            return None
        return value if isinstance(value, date) else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        held_on = cleaned.get("held_on")
        if cleaned.get("held") and held_on is not None and self.offered_before is not None:
            offered = {place.pk for place in self.places if _open_on(place, self.offered_before)}
            missed = [
                place
                for place in self.places
                if _open_on(place, held_on) and place.pk not in offered
            ]
            if missed and "absent" not in self.errors:
                self.add_error(
                    "absent",
                    f"Select the pupils absent on {_long_date(held_on)}, if any: the list now "
                    "shows everyone with a place in the group that day",
                )
        return cleaned


class ChangePlaceForm(GovukForm):
    """When a place started, its entry measure and its target: given with the place, and
    corrected on their own page."""

    started_on = GovukDateField(
        label="When did the place start?",
        noun="the date the place started",
        help_text="For example, 8 9 2025",
        must_not_be_future=True,
    )
    entry_score = _whole("Entry score (optional)", "the entry score", required=False)
    entry_measured_on = GovukDateField(
        label="Date of the entry measure (optional)",
        noun="the date of the entry measure",
        required=False,
        must_not_be_future=True,
    )
    target_gain = _whole(
        "Target gain (optional)",
        "the target gain",
        required=False,
        help_text="How many points the pupil should gain, or leave empty and set an exit score",
    )
    target_exit = _whole("Target exit score (optional)", "the target exit score", required=False)


class PlaceForm(ChangePlaceForm):
    child = forms.ChoiceField(
        label="Pupil",
        error_messages={"required": "Select the pupil", "invalid_choice": "Select the pupil"},
    )
    field_order = ["child"]

    def __init__(self, *args: Any, pupils: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("child").choices = [("", "Select the pupil"), *pupils]


class ExitForm(GovukForm):
    exit_score = _whole("Exit score", "the exit score")
    exit_measured_on = GovukDateField(
        label="Date of the exit measure",
        noun="the date of the exit measure",
        help_text="For example, 18 12 2025",
        must_not_be_future=True,
    )


class LibraryFilterForm(GovukForm):
    area = forms.ChoiceField(
        label="Area of need", required=False, choices=[("", "All areas"), *AREA_CHOICES]
    )
    wave = forms.ChoiceField(
        label="Wave",
        required=False,
        choices=[("", "All waves"), *((str(value), label) for value, label in WAVE_CHOICES)],
    )
    status = forms.ChoiceField(
        label="In use",
        required=False,
        choices=[("", "Active and retired"), ("active", "Active"), ("retired", "Retired")],
    )


class YearForm(GovukForm):
    year = forms.ChoiceField(label="Academic year", required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("year").choices = [
            *((str(year), f"{year} to {year + 1}") for year in years),
            ("all", "All years"),
        ]
