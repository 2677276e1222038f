"""What the recording-quality analyser says about a note, and what an organisation may choose.

The codes follow the council's recording policy (PRODUCT.md, recording rules 11 and 12, and the
case-recording guidance in the seeds). Pure Python: no Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

CODES: tuple[str, ...] = (
    "pasted_email",
    "third_party_info",
    "opinion_as_fact",
    "jargon",
    "disrespectful",
    "spelling",
    "repetition",
    "too_long",
)

CODE_NAMES: dict[str, str] = {
    "pasted_email": "Pasted email",
    "third_party_info": "Information about other people",
    "opinion_as_fact": "Opinion written as fact",
    "jargon": "Unexplained jargon",
    "disrespectful": "Disrespectful language",
    "spelling": "Spelling",
    "repetition": "Repeated point",
    "too_long": "Too long",
}


@dataclass(frozen=True)
class Finding:
    """One thing the analyser noticed: `text[start:end]` is the part of the note it is about."""

    code: str
    start: int
    end: int
    message: str
    suggestion: str | None

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "suggestion": self.suggestion,
        }


def _empty_mapping() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class AnalyserConfig:
    """An organisation's choices, and the people the note's case already knows about."""

    enabled: frozenset[str] = frozenset(CODES)
    # The organisation's own abbreviations and what they stand for, used beside the defaults.
    glossary: Mapping[str, str] = field(default_factory=_empty_mapping)
    # Extra words the spelling check accepts, in any case.
    lexicon: frozenset[str] = frozenset()
    guide_length_words: int = 400
    # The child, family members and professionals linked to the case: full or single names.
    known_names: tuple[str, ...] = ()
