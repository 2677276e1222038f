"""Forms for case notes, corrections, amendments and moves; GOV.UK wording throughout.

A draft can be saved half-written, so the note form's fields are optional; whether a note
is ready to finalise is decided by `services.problems_with`, and its messages are put on
these fields by name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from django import forms
from django.db.models import Q
from django.utils import timezone

from caseledger.actions.models import Party
from caseledger.cases.models import Case, CaseType
from caseledger.ledger.interactions import EventContent, InteractionContent
from caseledger.ledger.models import (
    AUTOMATIC_EVENT_TYPES,
    Channel,
    ContactType,
    CorrectionReason,
    EhcpSection,
    Entry,
    EventType,
    SignificantCategory,
    Tag,
    VisitAnnouncement,
)
from caseledger.ledger.services import ChildVisit, NoteContent
from caseledger.ui.forms import GovukDateField, GovukForm

_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm)?$")


def parse_time(text: str) -> time | None:
    """ "14:30", "2.30pm", "2pm", "09:05" — how people type a time (GOV.UK asks for a
    12- or 24-hour clock and accepts both)."""
    match = _TIME.match(text.strip().lower().replace(" ", ""))
    if match is None:
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"] == "pm" else 0)
    elif match["minute"] is None:
        return None  # "14" alone is not a time anyone means
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def cleaned_time(text: str) -> time | None:
    """A typed time, or None when left blank; a form error when it is not a time."""
    if not text:
        return None
    parsed = parse_time(text)
    if parsed is None:
        raise forms.ValidationError("Enter a real time, for example 14:30 or 2:30pm")
    return parsed


def _ehcp_section() -> forms.ChoiceField:
    """Issue 7: which section of the child's EHC plan a note or an interaction is about. Only
    on an EHCP tracking case (`_offer_ehcp_section`)."""
    return forms.ChoiceField(
        label="Which section of the EHC plan is it about? (optional)",
        choices=[("", "Not about one section"), *EhcpSection.choices],
        required=False,
        error_messages={"invalid_choice": "Select a section of the EHC plan from the list"},
    )


def _offer_ehcp_section(form: forms.BaseForm, case: Case) -> None:
    if case.case_type != CaseType.EHCP_TRACKING:
        del form.fields["ehcp_section"]


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
    )


class NoteForm(GovukForm):
    """A case note: what happened, when, what kind of contact, and for a visit, who was seen."""

    occurred_on = GovukDateField(
        label="Date of the contact",
        noun="the date of the contact",
        help_text="For example, 27 3 2026",
        must_not_be_future=True,
        required=False,
    )
    occurred_time = forms.CharField(
        label="Time of the contact",
        help_text="For example, 14:30 or 2:30pm",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    contact_type = forms.ChoiceField(label="Type of contact", required=False)
    visit_statutory = _yes_no("Was this a statutory visit?")
    visit_announcement = forms.ChoiceField(
        label="Was the visit announced?",
        choices=VisitAnnouncement.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
    )
    children = forms.MultipleChoiceField(
        label="Which children was this visit about?",
        help_text="The note will be recorded on each child's case, with their own answers below",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(label="Title", required=False, max_length=200)
    body = forms.CharField(
        label="What happened",
        help_text=(
            "Keep facts apart from opinions, and say what your opinions are based on. "
            "Start a line with - or * to make a bulleted list."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    significant = forms.BooleanField(label="This is a significant event", required=False)
    significant_category = forms.ChoiceField(
        label="Why is it significant?",
        choices=SignificantCategory.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    tags = forms.MultipleChoiceField(
        label="Topics (optional)", required=False, widget=forms.CheckboxSelectMultiple
    )
    ehcp_section = _ehcp_section()
    linked_entries = forms.MultipleChoiceField(
        label="Link to other entries (optional)",
        help_text="Link, don't copy: point to what is already on the record",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    external_reference = forms.CharField(
        label="Record held elsewhere (optional)",
        help_text="For example, see minutes of core group 3 March",
        required=False,
        max_length=500,
    )
    documents = forms.MultipleChoiceField(
        label="Documents this note refers to (optional)",
        help_text="From this case's documents. Summarise them here: do not copy them in",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        case: Case,
        sibling_cases: Sequence[Case] = (),
        linkable: Sequence[Entry] = (),
        documents: Sequence[Any] = (),
        contact_type_locked: bool = False,
        kept_type: ContactType | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.contact_types = {
            str(item.id): item
            for item in ContactType.objects.filter(organisation_id=case.organisation_id)
            .filter(Q(is_active=True) | Q(id=kept_type.id if kept_type else None))
            .order_by("position", "name")
        }
        self.choice_field("contact_type").choices = [("", "Select the type of contact")] + [
            (key, item.name) for key, item in self.contact_types.items()
        ]
        self.visit_type_ids = [key for key, item in self.contact_types.items() if item.is_visit]
        self.child_visit_type_ids = [
            key for key, item in self.contact_types.items() if item.visit_to_child
        ]
        if contact_type_locked:
            # Rule 5 reopens a visit note of a given type; the amendment keeps that type.
            self.fields["contact_type"].disabled = True
            self.fields[
                "contact_type"
            ].help_text = "The type of contact of a reopened note cannot change"
        self.tag_options = {
            str(tag.id): tag
            for tag in Tag.objects.filter(organisation_id=case.organisation_id, is_active=True)
        }
        self.choice_field("tags").choices = [
            (key, tag.name) for key, tag in self.tag_options.items()
        ]
        _offer_ehcp_section(self, case)
        self.choice_field("linked_entries").choices = [
            (str(entry.id), f"{timezone.localtime(entry.occurred_at):%d %b %Y}: {entry}")
            for entry in linkable
            if entry.occurred_at is not None
        ]
        if not linkable:
            del self.fields["linked_entries"]
        self.choice_field("documents").choices = [
            (str(document.id), f"{document.title} ({document.kind_label})")
            for document in documents
        ]
        # The children a visit can be about: this case's child and open siblings' cases.
        self.visit_cases = [case, *sibling_cases]
        self.choice_field("children").choices = [
            (str(item.id), item.child.display_name) for item in self.visit_cases
        ]
        if not sibling_cases:
            self.fields["children"].widget = forms.MultipleHiddenInput()
        for item in self.visit_cases:
            name = item.child.first_names.split(" ")[0] or item.child.display_name
            prefix = f"child-{item.id}"
            self.fields[f"{prefix}-seen"] = _yes_no(f"Was {name} seen?")
            self.fields[f"{prefix}-alone"] = _yes_no(f"Was {name} seen alone?")
            self.fields[f"{prefix}-reason"] = forms.CharField(
                label=f"If {name} was not seen, why not?",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def child_fields(self) -> list[tuple[Case, list[forms.BoundField]]]:
        """Each child's seen / seen alone / reason questions, for the template."""
        return [
            (
                item,
                [self[f"child-{item.id}-{part}"] for part in ("seen", "alone", "reason")],
            )
            for item in self.visit_cases
        ]

    def main_fields(self, *names: str) -> list[forms.BoundField]:
        return [self[name] for name in names if name in self.fields]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        described = ("occurred_on", "occurred_time", "contact_type", "title", "body")
        if not any(data.get(name) for name in described) and not self.errors:
            raise forms.ValidationError(
                "Enter the date, type or details of the contact before saving a draft"
            )
        return data

    def clean_occurred_time(self) -> time | None:
        return cleaned_time(self.cleaned_data.get("occurred_time", ""))

    def occurred_at(self) -> datetime | None:
        day: date | None = self.cleaned_data.get("occurred_on")
        moment: time | None = self.cleaned_data.get("occurred_time")
        if day is None or moment is None:
            return None
        return timezone.make_aware(datetime.combine(day, moment))

    def content(self) -> NoteContent:
        data = self.cleaned_data
        selected = set(data.get("children") or [])
        if isinstance(self.fields["children"].widget, forms.MultipleHiddenInput):
            selected = {str(self.case.id)}  # no brothers or sisters to choose from
        children = [
            ChildVisit(
                case_id=item.id,
                seen=data.get(f"child-{item.id}-seen"),
                alone=data.get(f"child-{item.id}-alone"),
                reason=data.get(f"child-{item.id}-reason", ""),
            )
            for item in self.visit_cases
            if str(item.id) in selected
        ]
        contact_type = self.contact_types.get(data.get("contact_type") or "")
        return NoteContent(
            occurred_at=self.occurred_at(),
            title=data.get("title", ""),
            body=data.get("body", ""),
            contact_type=contact_type,
            visit_statutory=data.get("visit_statutory"),
            visit_announcement=data.get("visit_announcement", ""),
            significant=bool(data.get("significant")),
            significant_category=data.get("significant_category", ""),
            tags=[self.tag_options[key] for key in data.get("tags", []) if key in self.tag_options],
            linked_entry_ids=[UUID(key) for key in data.get("linked_entries", [])],
            external_reference=data.get("external_reference", ""),
            children=children if contact_type and contact_type.visit_to_child else [],
            document_ids=[UUID(key) for key in data.get("documents", [])],
            ehcp_section=data.get("ehcp_section", ""),
        )

    def add_problems(self, problems: Sequence[tuple[str, str]], *, finalising: bool) -> None:
        """Put a service's rule-by-rule problems on the fields they belong to."""
        if (
            finalising
            and self.cleaned_data.get("occurred_on")
            and not self.cleaned_data.get("occurred_time")
        ):
            self.add_error("occurred_time", "Enter the time of the contact")
        for field_name, message in problems:
            if field_name == "occurred_on" and self.has_error("occurred_time"):
                continue
            self.add_error(field_name if field_name in self.fields else None, message)


def initial_from(content: NoteContent, case: Case) -> dict[str, Any]:
    """A note's content as the note form's initial values (editing a draft, amending)."""
    initial: dict[str, Any] = {
        "title": content.title,
        "body": content.body,
        "contact_type": str(content.contact_type.id) if content.contact_type else "",
        "visit_statutory": _answer(content.visit_statutory),
        "visit_announcement": content.visit_announcement,
        "significant": content.significant,
        "significant_category": content.significant_category,
        "tags": [str(tag.id) for tag in content.tags],
        "linked_entries": [str(value) for value in content.linked_entry_ids],
        "external_reference": content.external_reference,
        "children": [str(child.case_id) for child in content.children] or [str(case.id)],
        "documents": [str(value) for value in content.document_ids],
        "ehcp_section": content.ehcp_section,
    }
    if content.occurred_at is not None:
        local = timezone.localtime(content.occurred_at)
        initial["occurred_on"] = local.date()
        initial["occurred_time"] = f"{local:%H:%M}"
    for child in content.children:
        prefix = f"child-{child.case_id}"
        initial[f"{prefix}-seen"] = _answer(child.seen)
        initial[f"{prefix}-alone"] = _answer(child.alone)
        initial[f"{prefix}-reason"] = child.reason
    return initial


def _answer(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class CorrectionForm(GovukForm):
    reason = forms.ChoiceField(
        label="Why is a correction needed?",
        choices=CorrectionReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why a correction is needed"},
    )
    explanation = forms.CharField(
        label="What was wrong, or why was it missing?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Explain what was wrong, or why it was missing"},
    )
    body = forms.CharField(
        label="The correct information",
        help_text="This is recorded as a new entry. The original note is kept as it was.",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter the correct information"},
    )
    corrected_on = GovukDateField(
        label="If the date was wrong: the correct date",
        noun="the correct date",
        help_text=(
            "For example, 27 3 2026. For a timeline event that set statutory deadlines, they "
            "will be worked out again from this date"
        ),
        must_not_be_future=True,
        required=False,
    )
    corrected_time = forms.CharField(
        label="The correct time (optional)",
        help_text="For example, 14:30 or 2:30pm",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )

    def clean_corrected_time(self) -> time | None:
        return cleaned_time(self.cleaned_data.get("corrected_time", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The service keeps a correct date only for a wrong date or time: say so, rather than
        # drop what was typed without a word.
        if data.get("corrected_on") and data.get("reason", CorrectionReason.WRONG_DATE_OR_TIME) != (
            CorrectionReason.WRONG_DATE_OR_TIME
        ):
            self.add_error(
                "corrected_on",
                "Select ‘Wrong date or time’ as the reason, or leave the correct date blank",
            )
        if (
            data.get("corrected_time")
            and not data.get("corrected_on")
            and not self.has_error("corrected_on")
        ):
            self.add_error("corrected_on", "Enter the correct date, or leave the time blank")
        return data

    def corrected_occurred_at(self) -> datetime | None:
        return _moment(
            self.cleaned_data.get("corrected_on"), self.cleaned_data.get("corrected_time")
        )


class ReasonForm(GovukForm):
    reason = forms.CharField(
        label="Why is this note being reopened?",
        help_text="Everyone who reads the note will see this reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the note is being reopened"},
    )


class WrongChildReportForm(GovukForm):
    explanation = forms.CharField(
        label="Which child should this note be on, and how do you know?",
        help_text="An organisation admin will move the note. Nothing will be deleted.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Explain which child the note should be on"},
    )


class MoveForm(GovukForm):
    target_reference = forms.CharField(
        label="Case reference of the right child's case",
        help_text="For example, NMB-000123",
        max_length=30,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
        error_messages={"required": "Enter the reference of the right child's case"},
    )


class ChronologyFilterForm(GovukForm):
    """The chronology's filters, read from the query string; a bad value is reported, and
    the rest of the filters still apply."""

    order = forms.ChoiceField(
        label="Order",
        choices=[("newest", "Newest first"), ("oldest", "Oldest first")],
        required=False,
    )
    kind = forms.ChoiceField(label="Kind of entry", required=False)
    contact_type = forms.ChoiceField(label="Type of contact", required=False)
    tag = forms.ChoiceField(label="Topic", required=False)
    author = forms.ChoiceField(label="Recorded by", required=False)
    significant = forms.BooleanField(label="Significant events only", required=False)
    date_from = GovukDateField(label="From", noun="the from date", required=False)
    date_to = GovukDateField(label="To", noun="the to date", required=False)

    def __init__(self, *args: Any, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choice_field("kind").choices = [("", "All entries"), *choices["kinds"]]
        self.choice_field("contact_type").choices = [("", "All types")] + [
            (str(item.id), item.name) for item in choices["contact_types"]
        ]
        self.choice_field("tag").choices = [("", "All topics")] + [
            (str(tag.id), tag.name) for tag in choices["tags"]
        ]
        self.choice_field("author").choices = [("", "Anyone")] + [
            (str(user.id), user.full_name) for user in choices["authors"]
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The to date must be the same as or after the from date")
        return data


def _moment(day: date | None, moment: time | None) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, moment or time.min))


class _TimeMixin:
    cleaned_data: dict[str, Any]

    def clean_occurred_time(self) -> time | None:
        return cleaned_time(self.cleaned_data.get("occurred_time", ""))


class InteractionForm(_TimeMixin, GovukForm):
    """A call, email, letter or meeting: who with, what was said, and what they promised."""

    occurred_on = GovukDateField(
        label="Date",
        noun="the date of the interaction",
        help_text="For example, 27 3 2026",
        must_not_be_future=True,
    )
    occurred_time = forms.CharField(
        label="Time",
        help_text="For example, 14:30 or 2:30pm",
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the time of the interaction"},
    )
    channel = forms.ChoiceField(
        label="How were you in contact?",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you were in contact"},
    )
    contact_name = forms.CharField(
        label="Who were you in contact with?",
        help_text="Their name",
        max_length=200,
        error_messages={"required": "Enter the name of who you were in contact with"},
    )
    contact_role = forms.CharField(
        label="Their role (optional)",
        help_text="For example, SEN caseworker",
        max_length=200,
        required=False,
    )
    contact_organisation = forms.CharField(
        label="Their organisation (optional)",
        help_text="For example, Northshire Council",
        max_length=200,
        required=False,
    )
    summary = forms.CharField(
        label="Summary of what was said",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter a summary of what was said"},
    )
    promise = forms.CharField(
        label="What did they promise? (optional)",
        help_text="In their own words, for example “a decision by the end of next week”",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    promise_due_on = GovukDateField(
        label="The date they gave (optional)",
        noun="the date they gave",
        help_text=(
            "For example, 4 12 2026. If you leave this blank, we will work it out from their "
            "words where we can, for you to check"
        ),
        required=False,
    )
    promise_party = forms.ChoiceField(
        label="Who made the promise?",
        choices=Party.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    in_timeline = forms.BooleanField(label="Show this on the case's timeline", required=False)
    tags = forms.MultipleChoiceField(
        label="Topics (optional)", required=False, widget=forms.CheckboxSelectMultiple
    )
    ehcp_section = _ehcp_section()
    # Set once a date worked out from the words has been shown, so a second save keeps
    # whatever the person decided (even a blank date).
    promise_date_checked = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tag_objects = {
            str(tag.id): tag
            for tag in Tag.objects.filter(organisation_id=case.organisation_id, is_active=True)
        }
        self.choice_field("tags").choices = [
            (key, tag.name) for key, tag in self.tag_objects.items()
        ]
        if not self.tag_objects:
            del self.fields["tags"]
        _offer_ehcp_section(self, case)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The service's rules for a promise, checked here too, so that they are put right
        # before a date is worked out from the words for the person to check.
        if (data.get("promise") or "").strip():
            if not data.get("promise_party") and not self.has_error("promise_party"):
                self.add_error("promise_party", "Select who made the promise")
        elif data.get("promise_due_on") or data.get("promise_party"):
            self.add_error("promise", "Enter what they promised, in their own words")
        return data

    def occurred_at(self) -> datetime | None:
        return _moment(self.cleaned_data.get("occurred_on"), self.cleaned_data.get("occurred_time"))

    def content(self) -> InteractionContent:
        data = self.cleaned_data
        return InteractionContent(
            occurred_at=self.occurred_at(),
            channel=data["channel"],
            contact_name=data["contact_name"],
            contact_role=data.get("contact_role", ""),
            contact_organisation=data.get("contact_organisation", ""),
            summary=data["summary"],
            promise=data.get("promise", ""),
            promise_due_on=data.get("promise_due_on"),
            promise_party=data.get("promise_party", ""),
            in_timeline=bool(data.get("in_timeline")),
            tags=[self.tag_objects[key] for key in data.get("tags", []) if key in self.tag_objects],
            ehcp_section=data.get("ehcp_section", ""),
        )


class EventForm(_TimeMixin, GovukForm):
    """A moment on the case's timeline."""

    event_type = forms.ChoiceField(
        label="What happened?",
        choices=[
            (value, label)
            for value, label in EventType.choices
            if value not in AUTOMATIC_EVENT_TYPES
        ],
        widget=forms.RadioSelect,
        help_text=(
            "Some of these start statutory time limits; the deadlines will be added to the "
            "case's next actions"
        ),
        error_messages={"required": "Select what happened"},
    )
    occurred_on = GovukDateField(
        label="When did it happen?",
        noun="the date it happened",
        help_text=("For example, 27 3 2026. For a request or a letter, the date it was received"),
        must_not_be_future=True,
    )
    occurred_time = forms.CharField(
        label="Time (optional)",
        help_text="For example, 14:30 or 2:30pm",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    details = forms.CharField(
        label="Details (optional)",
        help_text="Anything that helps someone reading the timeline later",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def content(self) -> EventContent:
        data = self.cleaned_data
        return EventContent(
            occurred_at=_moment(data.get("occurred_on"), data.get("occurred_time")),
            event_type=data["event_type"],
            details=data.get("details", ""),
        )
