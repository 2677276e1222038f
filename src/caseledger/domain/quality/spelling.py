"""spelling: common misspellings and American spellings, with the British form (the council's
guidance: "check carefully for spelling mistakes")."""

from __future__ import annotations

import re

from caseledger.domain.quality.spelling_words import AMERICAN, DOMAIN_LEXICON, MISSPELLINGS
from caseledger.domain.quality.text import WORD, Sentences

_COMPUTER = re.compile(r"\bcomputer\s+$", re.IGNORECASE)

MISSPELLING_MESSAGE = "Check the spelling of '{word}'."
AMERICAN_MESSAGE = "'{word}' is the American spelling: case notes use British English."


def _match_case(original: str, suggestion: str) -> str:
    if original[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def find_spelling(
    text: str, lexicon: frozenset[str], sentences: Sentences
) -> list[tuple[int, int, str, str]]:
    found: list[tuple[int, int, str, str]] = []
    for match in WORD.finditer(text):
        word = match.group()
        lowered = word.lower()
        if lowered in DOMAIN_LEXICON or lowered in lexicon:
            continue
        correct = MISSPELLINGS.get(lowered)
        if correct is not None:
            found.append(
                (
                    match.start(),
                    match.end(),
                    MISSPELLING_MESSAGE.format(word=word),
                    _match_case(word, correct),
                )
            )
            continue
        british = AMERICAN.get(lowered)
        if british is None:
            continue
        # A capitalised word mid-sentence is a name ("Mr Gray", "Lincoln Center").
        if word[:1].isupper() and not sentences.is_start(match.start()):
            continue
        if lowered.startswith("program") and _COMPUTER.search(text, 0, match.start()):
            continue
        found.append(
            (
                match.start(),
                match.end(),
                AMERICAN_MESSAGE.format(word=word),
                _match_case(word, british),
            )
        )
    return found
