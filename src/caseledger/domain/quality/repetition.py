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
    or other our ours out over same she should so some such than that the their theirs
    them themselves then there these they this those through to too under until up very was
    we were what when where which while who whom why will with would you your yours yourself
    today also still however told said says say would will shall may might must really just
    like
    """
)
_CONTENT_WORD = re.compile(r"[a-z0-9][a-z0-9'’]*")
MIN_CONTENT_WORDS = 4
MIN_EARLIER_WORDS = 3
JACCARD_THRESHOLD = 0.6
CONTAINMENT_THRESHOLD = 0.85
MIN_CONTAINED_WORDS = 6
REWORDED_MIN_SHARED = 4
REWORDED_CONTAINMENT = 0.8
REWORDED_JACCARD = 0.5
_ACTIONS_HEADING = re.compile(
    r"(?:agreed |next |further )?(?:actions?|next steps|to do|plan(?: of action)?)\s*:",
    re.IGNORECASE,
)

MESSAGE = (
    "This makes the same point as an earlier sentence. Case notes should be concise and not "
    "repetitive (the council's recording guidance, point 8)."
)
SUGGESTION = "Remove the repeat, or add only what is new."


# Words a note uses for the same thing, reduced to one (after stemming): a point reworded is
# still the same point.
_SAME: dict[str, str] = {
    word: canonical
    for canonical, block in {
        "alone": "alone own private privately",
        "see": "seen saw spoke spoken talk talked speak chat chatted met",
        "worry": "worri scar afraid frighten anxious concern fear",
        "drink": "drink drunk alcohol",
        "child": "children kid kids",
        "mum": "mother mum mummy",
        "dad": "father dad daddy",
        "carer": "carer foster",
        "home": "home house flat",
        "miss": "miss",
        "want": "want wish wishe",
        "evening": "evening night nights",
        "settl": "settl",
        "school": "school teacher",
        "lose": "lose lost evict eviction",
    }.items()
    for word in block.split()
}
# Words that add nothing to the point being made.
_FILLER: frozenset[str] = words(
    """
    well nicely good again now right currently moment time continue continu remain remains
    clear confirm confirmed report reported explain explained state stated stand stands
    let know me her his their him them get got go going went make made without problem
    """
)
# "did not attend", "has not attended": the same as "missed".
_NOT_ATTENDED = re.compile(
    r"\b(?:did|has|have|had|was|were)(?: not|n['’]t) (?:attend(?:ed)?|turn(?:ed)? up(?: for| to)?|"
    r"come to|go to)\b|\bfailed to attend\b"
)


def _stem(word: str) -> str:
    word = word.replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if word.endswith("n't"):
        return "not"
    for ending in ("ies", "ing", "ed", "es", "ly", "s", "e"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            word = word[: -len(ending)] + ("y" if ending == "ies" else "")
            break
    return word


def content_words(sentence: str) -> frozenset[str]:
    lowered = sentence.lower()
    if "attend" in lowered or "turn" in lowered or "come to" in lowered or "go to" in lowered:
        lowered = _NOT_ATTENDED.sub(" missed ", lowered)
    found: set[str] = set()
    for word in _CONTENT_WORD.findall(lowered):
        if word in STOPWORDS or word in _FILLER:
            continue
        stem = _stem(word)
        stem = _SAME.get(stem, _SAME.get(word, stem))
        if stem not in _FILLER:
            found.add(stem)
    return frozenset(found)


def _is_repeat(content: frozenset[str], previous: frozenset[str]) -> bool:
    shared = len(content & previous)
    if not shared:
        return False
    jaccard = shared / len(content | previous)
    smaller = min(len(content), len(previous))
    if jaccard >= JACCARD_THRESHOLD:
        return True
    if smaller >= MIN_CONTAINED_WORDS and shared / smaller >= CONTAINMENT_THRESHOLD:
        return True
    # A reworded repeat: most of the shorter sentence's point, in a sentence not much longer.
    return (
        shared >= REWORDED_MIN_SHARED
        and shared / smaller >= REWORDED_CONTAINMENT
        and jaccard >= REWORDED_JACCARD
    )


def find_repetition(text: str, sentences: Sentences) -> list[tuple[int, int]]:
    earlier: list[frozenset[str]] = []
    repeats: list[tuple[int, int]] = []
    for start, end in sentences.spans:
        # An action list restates what the note agreed: compare its items with each other only.
        if _ACTIONS_HEADING.match(text, start, end):
            earlier = []
        content = content_words(text[start:end])
        if len(content) < MIN_CONTENT_WORDS:
            # Too short to be flagged, but a longer sentence may still repeat its point.
            if len(content) >= MIN_EARLIER_WORDS:
                earlier.append(content)
            continue
        if any(_is_repeat(content, previous) for previous in earlier):
            repeats.append((start, end))
        earlier.append(content)
    return repeats
