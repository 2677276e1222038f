"""The organisation admin's form for the recording-quality assistant."""

from __future__ import annotations

from typing import Any

from django import forms

from caseledger.domain.errors import DomainError
from caseledger.domain.quality import CODE_NAMES, CODES
from caseledger.quality import services
from caseledger.ui.forms import GovukForm

GUIDE_LENGTH_MESSAGE = (
    f"Enter a guide length from {services.FEWEST_GUIDE_WORDS} to {services.MOST_GUIDE_WORDS} words"
)
CHECK_CHOICES = [(code, CODE_NAMES[code]) for code in CODES]


class QualitySettingsForm(GovukForm):
    enabled = forms.MultipleChoiceField(
        label="Checks the assistant runs",
        help_text="Findings are shown to the author before they finalise a note.",
        choices=CHECK_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    blocking = forms.MultipleChoiceField(
        label="Checks that stop a note being finalised",
        help_text=(
            "The author must put the finding right or confirm it does not apply. A pasted "
            "email stops finalising by default (recording rule 11)."
        ),
        choices=CHECK_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    guide_length_words = forms.IntegerField(
        label="Guide length of a case note, in words",
        help_text="A note more than twice as long as this is found too long.",
        min_value=services.FEWEST_GUIDE_WORDS,
        max_value=services.MOST_GUIDE_WORDS,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-4", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={
            "required": GUIDE_LENGTH_MESSAGE,
            "invalid": GUIDE_LENGTH_MESSAGE,
            "min_value": GUIDE_LENGTH_MESSAGE,
            "max_value": GUIDE_LENGTH_MESSAGE,
        },
    )
    glossary = forms.CharField(
        label="Abbreviations your organisation uses (optional)",
        help_text=(
            'One a line, with what it stands for: "CIN = child in need". The assistant '
            "suggests the words when a note uses the abbreviation without explaining it."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )
    lexicon = forms.CharField(
        label="Words the spelling check accepts (optional)",
        help_text="Local place names, services and terms of the trade: one a line.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )

    def clean_glossary(self) -> dict[str, str]:
        try:
            return services.parse_glossary(self.cleaned_data["glossary"])
        except DomainError as error:
            raise forms.ValidationError(error.message) from error

    def clean_lexicon(self) -> list[str]:
        try:
            return services.parse_lexicon(self.cleaned_data["lexicon"])
        except DomainError as error:
            raise forms.ValidationError(error.message) from error

    @staticmethod
    def initial_from(settings: services.Settings) -> dict[str, Any]:
        return {
            "enabled": list(settings.enabled),
            "blocking": list(settings.blocking),
            "guide_length_words": settings.guide_length_words,
            "glossary": services.glossary_text(settings.glossary),
            "lexicon": "\n".join(settings.lexicon),
        }
