"""repetition: the same point made again (Appendix A: "a point made well once will have more
impact than one that is repeated"; guidance point 8: "not being repetitive").

Each sentence or bullet item is reduced to its content words (no stopwords, plural and tense
endings trimmed); one that shares most of them with an earlier one is a repeat. Short
sentences ("Freddie was seen alone.") are left alone: they repeat by nature.
"""

from __future__ import annotations

import re

from caseledger.domain.quality.text import Sentences, words

STOPWORDS: frozenset[str] = words(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not now of off on once only
    or other our ours out over own same she should so some such than that the their theirs
    them themselves then there these they this those through to too under until up very was
    we were what when where which while who whom why will with would you your yours yourself
    today also still however told said says say would will shall may might must really just
    like
    """
)
_CONTENT_WORD = re.compile(r"[a-z0-9][a-z0-9'’]*")
MIN_CONTENT_WORDS = 4
JACCARD_THRESHOLD = 0.6
CONTAINMENT_THRESHOLD = 0.85
MIN_CONTAINED_WORDS = 6

MESSAGE = (
    "This makes the same point as an earlier sentence. Case notes should be concise and not "
    "repetitive (the council's recording guidance, point 8)."
)
SUGGESTION = "Remove the repeat, or add only what is new."


def _stem(word: str) -> str:
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def content_words(sentence: str) -> frozenset[str]:
    return frozenset(
        _stem(word) for word in _CONTENT_WORD.findall(sentence.lower()) if word not in STOPWORDS
    )


def find_repetition(text: str, sentences: Sentences) -> list[tuple[int, int]]:
    earlier: list[frozenset[str]] = []
    repeats: list[tuple[int, int]] = []
    for start, end in sentences.spans:
        content = content_words(text[start:end])
        if len(content) < MIN_CONTENT_WORDS:
            continue
        for previous in earlier:
            shared = len(content & previous)
            if not shared:
                continue
            jaccard = shared / len(content | previous)
            smaller = min(len(content), len(previous))
            if jaccard >= JACCARD_THRESHOLD or (
                smaller >= MIN_CONTAINED_WORDS and shared / smaller >= CONTAINMENT_THRESHOLD
            ):
                repeats.append((start, end))
                break
        earlier.append(content)
    return repeats
