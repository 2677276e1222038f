"""spelling: common misspellings and American spellings, with the British form (the council's
guidance: "check carefully for spelling mistakes")."""

from __future__ import annotations

import re

from caseledger.domain.quality.spelling_words import AMERICAN, DOMAIN_LEXICON, MISSPELLINGS
from caseledger.domain.quality.text import WORD, Sentences

_COMPUTER = re.compile(r"\bcomputer\s+$", re.IGNORECASE)

_NOUN_BEFORE = re.compile(
    r"\b(?:good|best|poor|bad|safe|reflective|professional|clinical|social work|the|a|in|into|"
    r"of|our|my|your|their|his|her|this|that|its|general|usual|common|standard|working|"
    r"recording|sharing|multi-agency)\s+$",
    re.IGNORECASE,
)


# Endings a misspelt word keeps: "accomodated" is "accomodate" misspelt. Worked out once, so
# each word costs one look-up.
def _inflections() -> dict[str, str]:
    forms: dict[str, str] = {}
    for wrong, right in MISSPELLINGS.items():
        if " " in right or len(wrong) < 5:
            continue
        stem_wrong = wrong[:-1] if wrong.endswith("e") else wrong
        stem_right = right[:-1] if right.endswith("e") else right
        for suffix in ("ed", "ing"):
            forms.setdefault(stem_wrong + suffix, stem_right + suffix)
        forms.setdefault(wrong + "s", right + "s")
        forms.setdefault(wrong + "ly", right + "ly")
        if wrong.endswith("e"):
            forms.setdefault(wrong + "d", right + "d")
    return {wrong: right for wrong, right in forms.items() if wrong not in MISSPELLINGS}


_INFLECTED = _inflections()


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
        correct: str | None = None
        if lowered in ("practise", "practises") and _NOUN_BEFORE.search(
            text, max(0, match.start() - 30), match.start()
        ):
            # "practise" is the verb; the noun is "practice" ("good practice").
            correct = "practice" + lowered[8:]
        elif lowered in DOMAIN_LEXICON or lowered in lexicon:
            continue
        else:
            correct = MISSPELLINGS.get(lowered) or _INFLECTED.get(lowered)
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
