"""The passport's form, in GOV.UK wording. The services check every rule again."""

from __future__ import annotations

from typing import Any, BinaryIO, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile

from caseledger.passports import services
from caseledger.passports.models import (
    ACCESS_HEADING,
    ARRANGEMENT_CHOICES,
    KEY_SUMMARY_HEADING,
    TEXT_PARTS,
)
from caseledger.passports.services import (
    ACCESS_OTHER_LENGTH,
    KEY_SUMMARY_LENGTH,
    PART_LENGTH,
    WRITTEN_WITH_LENGTH,
    Part,
    PassportContent,
    first_name,
)
from caseledger.people.models import Child
from caseledger.ui.forms import GovukDateField, GovukForm

# Browsers never show a chosen file again: a page shown again with errors says so.
CHOOSE_PHOTO_AGAIN = (
    "If you chose a new photo, choose it again: browsers do not keep a chosen file when a "
    "page is shown again"
)

_HINTS = {
    "like_you_to_know": "What matters to the pupil: what they like, what they are good at",
    "this_means": "What their needs mean for them day to day",
    "find_difficult": "In lessons, at play, at lunch, moving around school",
    "would_help_me": "What adults can do: the strategies that work for the pupil",
    "help_myself": "What the pupil will do themselves",
    "additional_support": "Interventions, specialist help and equipment, beyond what the "
    "class gets",
}


def _optional(label: str) -> str:
    """GOV.UK marks the optional fields, never the required ones: "(optional)" goes in the
    label only, so an error still names the part by its heading."""
    return f"{label} (optional)"


def _text_field(heading: str, hint: str, limit: int, *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=heading if required else _optional(heading),
        help_text=hint,
        required=required,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": f"Enter the {heading.lower()}",
            "max_length": f"‘{heading}’ must be {limit:,} characters or fewer",
        },
    )


def _with_field(label: str, name: str, *, too_long: str, needed_if: str = "") -> forms.CharField:
    """Who wrote a part with the pupil. Not marked "(optional)": it is needed whenever the
    part has words (the service's rule), so the hint says when, if that is not always."""
    example = f"For example, ‘{name} with Mrs Price’"
    return forms.CharField(
        label=label,
        help_text=f"{needed_if}. {example}" if needed_if else example,
        required=False,
        max_length=WRITTEN_WITH_LENGTH,
        # Named, as the service words it: "This must be…" says nothing in the error summary.
        error_messages={
            "max_length": f"{too_long} must be {WRITTEN_WITH_LENGTH} characters or fewer"
        },
    )


class PassportForm(GovukForm):
    """A new version of a pupil's passport. Fields are made per pupil, so each question names
    them ("Who wrote this part with Isla?")."""

    def __init__(self, *args: Any, child: Child, has_photo: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.child = child
        name = first_name(child)
        self.fields["key_summary"] = _text_field(
            KEY_SUMMARY_HEADING,
            f"The few things every adult must know about {name}, in a sentence or two",
            KEY_SUMMARY_LENGTH,
            required=True,
        )
        self.fields["key_summary_with"] = _with_field(
            f"Who wrote the key summary with {name}?",
            name,
            too_long=f"Who wrote ‘{KEY_SUMMARY_HEADING}’",
        )
        for part, heading in TEXT_PARTS:
            self.fields[part] = _text_field(heading, _HINTS[part], PART_LENGTH)
            self.fields[f"{part}_with"] = _with_field(
                f"Who wrote ‘{heading}’ with {name}?",
                name,
                too_long=f"Who wrote ‘{heading}’",
                needed_if="Needed if you write this part",
            )
        self.fields["access_arrangements"] = forms.MultipleChoiceField(
            label=_optional(ACCESS_HEADING),
            help_text="In tests and exams, and as the pupil's normal way of working. Select "
            "all that apply",
            required=False,
            choices=ARRANGEMENT_CHOICES,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": "Select access arrangements from the list"},
        )
        self.fields["access_other"] = forms.CharField(
            label=_optional("Other access arrangements"),
            required=False,
            max_length=ACCESS_OTHER_LENGTH,
            error_messages={
                "max_length": "Other access arrangements must be "
                f"{ACCESS_OTHER_LENGTH} characters or fewer"
            },
        )
        self.fields["access_with"] = _with_field(
            f"Who agreed the access arrangements with {name}?",
            name,
            too_long="Who agreed the access arrangements",
            needed_if="Needed if you select or write any access arrangements",
        )
        self.fields["photo"] = forms.FileField(
            label="Photo (optional)" if not has_photo else "A new photo (optional)",
            help_text="A JPEG or PNG image, up to 5 MB"
            + (". Leave empty to keep the current photo" if has_photo else ""),
            required=False,
            widget=forms.FileInput(attrs={"accept": ".jpg,.jpeg,.png,image/jpeg,image/png"}),
            allow_empty_file=True,  # the service says why an empty file is refused
        )
        if has_photo:
            self.fields["remove_photo"] = forms.BooleanField(
                label="Remove the current photo", required=False
            )
        self.fields["agreed_on"] = GovukDateField(
            label=f"When was this version agreed with {name}?",
            noun="the date the passport was agreed",
            help_text="For example, 27 3 2026",
            must_not_be_future=True,
        )

    def clean(self) -> dict[str, Any]:
        """Check every part against the service's rules, so that one page shows every error,
        each on its own field (GOV.UK error summary pattern): a missing key summary and a
        part without who wrote it come together, not one after the other. A field that
        already has an error (required, too long, not a date) keeps only that one."""
        cleaned = super().clean() or {}
        for problem in services.content_problems(self._typed_content(), self.child):
            field = problem.field if problem.field in self.fields else None
            if field is None or field not in self.errors:
                self.add_error(field, problem.message)
        upload = cleaned.get("photo")
        if isinstance(upload, UploadedFile) and "photo" not in self.errors:
            wrong = services.photo_problem(
                services.PhotoUpload(source=cast(BinaryIO, upload), size=upload.size or 0)
            )
            if wrong is not None:
                self.add_error("photo", wrong.message)
        return cleaned

    def _typed(self, name: str) -> str:
        """A text field's cleaned value, or what was typed when it has an error of its own (a
        part too long still needs who wrote it)."""
        if name in self.cleaned_data:
            return str(self.cleaned_data[name])
        typed = self[name].value()
        return typed if isinstance(typed, str) else ""

    def _typed_content(self) -> PassportContent:
        arrangements = self.cleaned_data.get("access_arrangements")
        if arrangements is None:  # not from the list: its own error says so
            arrangements = []
        return PassportContent(
            key_summary=Part(self._typed("key_summary"), self._typed("key_summary_with")),
            agreed_on=self.cleaned_data.get("agreed_on"),
            parts={
                part: Part(self._typed(part), self._typed(f"{part}_with")) for part, _ in TEXT_PARTS
            },
            access_arrangements=list(arrangements),
            access_other=self._typed("access_other"),
            access_with=self._typed("access_with"),
        )

    def content(self) -> PassportContent:
        data = self.cleaned_data
        return PassportContent(
            key_summary=Part(data["key_summary"], data["key_summary_with"]),
            agreed_on=data["agreed_on"],
            parts={part: Part(data[part], data[f"{part}_with"]) for part, _ in TEXT_PARTS},
            access_arrangements=list(data["access_arrangements"]),
            access_other=data["access_other"],
            access_with=data["access_with"],
        )
