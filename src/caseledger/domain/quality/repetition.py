"""repetition: the same point made again (Appendix A: "a point made well once will have more
impact than one that is repeated"; guidance point 8: "not being repetitive").

Each sentence or bullet item is reduced to its content words (no stopwords, plural and tense
endings trimmed); one that shares most of them with an earlier one is a repeat. Short
sentences ("Freddie was seen alone.") are left alone: they repeat by nature.
"""

from __future__ import annotations

import functools
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
# A word, or a number with its decimal part and unit ("6.2kg", "7.30pm") as one token.
_CONTENT_WORD = re.compile(r"\d+(?:[.:]\d+)?[a-z]*|[a-z][a-z0-9'’]*")
_NUMBER_WORDS = {
    word: str(number)
    for number, word in enumerate(
        (
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        )
    )
}
# "half seven" is 7.30.
_HALF_PAST = re.compile(
    r"\bhalf (?:past )?(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})\b"
)
_UNITS = ("am", "pm", "hrs", "hours")
MIN_CONTENT_WORDS = 4
MIN_EARLIER_WORDS = 3
JACCARD_THRESHOLD = 0.6
CONTAINMENT_THRESHOLD = 0.85
MIN_CONTAINED_WORDS = 6
REWORDED_MIN_SHARED = 4
REWORDED_CONTAINMENT = 0.8
REWORDED_JACCARD = 0.5
_ACTIONS_HEADING = re.compile(
    r"(?:agreed |next |further )?(?:actions?|next steps|to do|plan(?: of action)?)\s*:"
    # A heading on a line of its own: "Actions and decisions."
    r"|(?:agreed |next |further )?(?:actions?|decisions?|next steps)"
    r"(?: (?:and|&) (?:actions?|decisions?|next steps))?[ \t]*[.:]?[ \t]*(?=\n|$)",
    re.IGNORECASE,
)
# A label before a colon at the start of a sentence ("Class teacher note:", "Summary:") is not
# part of the point the sentence makes.
_LEAD_LABEL = re.compile(r"[A-Za-z][A-Za-z' ]{0,40}:[ \t]+(?=\S)")

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
        "collect": "collect pick",
        "weigh": "weigh weight",
        "upset": "upset cri cry tearful distress distressed",
        "hold": "hold held clung cling grabb grab",
        "go": "go goe went gone",
        "sleep": "sleep slept",
        "come": "com cam arriv",
    }.items()
    for word in block.split()
}
# Words that add nothing to the point being made.
_FILLER: frozenset[str] = words(
    """
    well nicely good again now right currently moment time continue continu remain remains
    clear confirm confirmed report reported explain explained state stated stand stands
    let know me her his their him them get got make made without problem mr mrs ms miss mx
    dr ups together
    """
)
# "did not attend", "has not attended": the same as "missed".
_NOT_ATTENDED = re.compile(
    r"\b(?:did|has|have|had|was|were)(?: not|n['’]t) (?:attend(?:ed)?|turn(?:ed)? up(?: for| to)?|"
    r"come to|go to)\b|\bfailed to attend\b"
)


# Irregular forms, reduced to the form _stem gives the regular ones.
_IRREGULAR: dict[str, str] = {
    "felt": "feel",
    "died": "die",
    "dies": "die",
    "dying": "die",
    "ate": "eat",
    "eaten": "eat",
    "took": "tak",
    "taken": "tak",
    "gave": "giv",
    "given": "giv",
    "brought": "bring",
    "bought": "buy",
    "kept": "keep",
    "began": "begin",
    "begun": "begin",
    "rang": "ring",
    "rung": "ring",
    "wrote": "writ",
    "written": "writ",
    "sat": "sit",
    "stood": "stand",
    "hit": "hit",
    "fell": "fall",
    "fallen": "fall",
    "woke": "wak",
    "woken": "wak",
}
# Phrases a note uses for the same thing, rewritten before the words are read.
_PHRASES = re.compile(
    r"\b(?:every other|each other|alternate)\b(?= (?:week|weekend|day|night|month))"
    r"|\bfirst thing(?: (?:this|in the) morning)?\b"
    r"|\b(?:at )?the (?:start|beginning|begining) of (?:the|every|each) (?:school )?day\b"
    r"|\bevery morning\b"
)
_PHRASE_WORDS = {"every morning": "morning"}


def _phrase(match: re.Match[str]) -> str:
    found = match.group()
    if found in _PHRASE_WORDS:
        return _PHRASE_WORDS[found]
    if found.endswith(("other", "alternate")):
        return "alternate"
    return "morning"


def _stem(word: str) -> str:
    word = word.replace("’", "'")
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("'s"):
        word = word[:-2]
    if word.endswith("n't"):
        return "not"
    for ending in ("ies", "ing", "ed", "es", "ly", "s", "e"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            word = word[: -len(ending)] + ("y" if ending == "ies" else "")
            break
    return word


# The note is read again at each pause in typing, and most of its sentences have not changed.
@functools.lru_cache(maxsize=4096)
def content_words(sentence: str) -> frozenset[str]:
    lowered = sentence.lower()
    if "attend" in lowered or "turn" in lowered or "come to" in lowered or "go to" in lowered:
        lowered = _NOT_ATTENDED.sub(" missed ", lowered)
    if "half" in lowered:
        lowered = _HALF_PAST.sub(
            lambda m: f"{_NUMBER_WORDS.get(m.group(1), m.group(1))}.30", lowered
        )
    if (
        "other" in lowered
        or "alternate" in lowered
        or "first" in lowered
        or "day" in lowered
        or ("morning" in lowered)
    ):
        lowered = _PHRASES.sub(_phrase, lowered)
    found: set[str] = set()
    for word in _CONTENT_WORD.findall(lowered):
        if word in STOPWORDS or word in _FILLER:
            continue
        if word[0].isdigit():
            # "7:30pm" and "7.30" are the same time.
            word = word.replace(":", ".")
            for unit in _UNITS:
                if word.endswith(unit):
                    word = word[: -len(unit)]
                    break
            found.add(word)
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


def _repeats_a_measure(content: frozenset[str], earlier: list[frozenset[str]]) -> bool:
    """A short sentence that gives again a measurement an earlier sentence gave ("Weight today
    was 6.2kg." after "Baby Ruby weighed 6.2kg."): every word of it is in that sentence, and
    one of them is a number with a decimal part or a unit."""
    if len(content) < 2 or not any(_MEASURE.fullmatch(word) for word in content):
        return False
    return any(content <= previous for previous in earlier)


def _restates_in_full(content: frozenset[str], previous: frozenset[str]) -> bool:
    """A short sentence every word of which an earlier sentence, not much longer, already said
    ("They made a birthday card for Nan." after "Finley and Mum made a card for Nan's
    birthday.")."""
    return content <= previous and len(content) / len(previous) >= JACCARD_THRESHOLD


def _measure_restated(previous: frozenset[str], content: frozenset[str]) -> bool:
    """A longer sentence that gives again all of a short earlier one holding a measurement
    ("Attendance has gone up to 88% this term." after "Attendance is up to 88%.")."""
    return (
        2 <= len(previous) < MIN_CONTENT_WORDS
        and previous < content
        and len(content) - len(previous) <= 2
        and any(word[0].isdigit() for word in previous)
    )


_MEASURE = re.compile(r"\d+\.\d+[a-z]*|\d+(?:kg|g|cm|mm|m|ml|lb|lbs|oz|st|%)")


def find_repetition(text: str, sentences: Sentences) -> list[tuple[int, int]]:
    earlier: list[frozenset[str]] = []
    # Which earlier sentences hold each word: a sentence is compared only with those that
    # share a word with it.
    holding: dict[str, list[int]] = {}
    repeats: list[tuple[int, int]] = []

    def remember(content: frozenset[str]) -> None:
        for word in content:
            holding.setdefault(word, []).append(len(earlier))
        earlier.append(content)

    for start, end in sentences.spans:
        # An action list restates what the note agreed: compare its items with each other only.
        if _ACTIONS_HEADING.match(text, start, end):
            earlier = []
            holding = {}
        label = _LEAD_LABEL.match(text, start, end)
        content = content_words(text[label.end() if label else start : end])
        if len(content) < MIN_CONTENT_WORDS and _repeats_a_measure(content, earlier):
            repeats.append((start, end))
            remember(content)
            continue
        candidates = {index for word in content for index in holding.get(word, ())}
        if len(content) == MIN_EARLIER_WORDS and any(
            _restates_in_full(content, earlier[index]) for index in candidates
        ):
            repeats.append((start, end))
            remember(content)
            continue
        if len(content) < MIN_CONTENT_WORDS:
            # Too short to be flagged, but a longer sentence may still repeat its point.
            if len(content) >= MIN_EARLIER_WORDS or (
                len(content) == 2 and any(word[0].isdigit() for word in content)
            ):
                remember(content)
            continue
        if any(_is_repeat(content, earlier[index]) for index in candidates) or any(
            _measure_restated(earlier[index], content) for index in candidates
        ):
            repeats.append((start, end))
        remember(content)
    return repeats
