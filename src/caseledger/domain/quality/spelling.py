"""spelling: common misspellings and American spellings, with the British form (the council's
guidance: "check carefully for spelling mistakes")."""

from __future__ import annotations

import re

from caseledger.domain.quality.spelling_words import AMERICAN, DOMAIN_LEXICON, MISSPELLINGS
from caseledger.domain.quality.text import WORD, Sentences, lowered

_COMPUTER = re.compile(r"\bcomputer\s+$", re.IGNORECASE)

_NOUN_BEFORE = re.compile(
    r"\b(?:good|best|poor|bad|safe|reflective|professional|clinical|social work|the|a|in|into|"
    r"gp|gp['’]s|gps|doctor['’]?s|dental|dentist['’]?s|medical|surgery|nursing|legal|vet['’]?s|"
    r"veterinary|family|local|previous|new|same|old|registered|group|partnership|"
    r"of|our|my|your|their|his|her|this|that|its|general|usual|common|standard|working|"
    r"recording|sharing|multi-agency)\s+$",
    re.IGNORECASE,
)


# Endings a misspelt word keeps: "accomodated" is "accomodate" misspelt. Worked out once, so
# each word costs one look-up.
def _inflections() -> dict[str, str]:
    forms: dict[str, str] = {}
    for wrong, right in MISSPELLINGS.items():
        if " " in right or "'" in right or len(wrong) < 5:
            continue
        stem_wrong = wrong[:-1] if wrong.endswith("e") else wrong
        stem_right = right[:-1] if right.endswith("e") else right
        built = []
        # "fulfill" is a misspelling, but "fulfilled" is right: British English doubles the l.
        if not (wrong.endswith("ll") and not right.endswith("ll")):
            built += [(stem_wrong + suffix, stem_right + suffix) for suffix in ("ed", "ing")]
        if not wrong.endswith("s"):
            built.append((wrong + "s", right + "s"))
        built.append((wrong + "ly", right + "ly"))
        if wrong.endswith("e"):
            built.append((wrong + "d", right + ("d" if right.endswith("e") else "ed")))
        for form, correct in built:
            # "develope" is a misspelling, but "developed" is right.
            if form != correct:
                forms.setdefault(form, correct)
    return {wrong: right for wrong, right in forms.items() if wrong not in MISSPELLINGS}


_INFLECTED = _inflections()
_FLAGGED: frozenset[str] = frozenset(
    {"practise", "practises"} | MISSPELLINGS.keys() | _INFLECTED.keys() | AMERICAN.keys()
)


# Real words in the wrong place, found by the words around them: (the word, what comes
# before it, what comes after it, the right word). Each runs on the lower-case note.
def _before(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?:^|\b)(?:{pattern})\s+$")


_WRONG_WORDS: tuple[tuple[str, re.Pattern[str] | None, re.Pattern[str] | None, str], ...] = (
    # "was to lazy", "far to late": "too" before an adjective.
    (
        "to",
        _before(
            r"was|is|were|are|be|being|been|felt|feel|feels|seemed|seems|got|get|far|way|much|"
            r"getting|became|become"
        ),
        re.compile(
            r"\s+(?:lazy|late|early|young|old|small|big|tired|ill|busy|scared|frightened|afraid|"
            r"much|many|far|long|high|low|hot|cold|loud|quiet|drunk|upset|hard|difficult|"
            r"expensive|dangerous|risky|unwell|poorly|full|hungry|sleepy|anxious|worried|"
            r"embarrassed|ashamed|shy|weak|unsafe|dirty|messy|crowded|soon|quickly|slowly|often|"
            r"little|few|noisy|angry|sad|distressed|overwhelmed|exhausted)\b"
        ),
        "too",
    ),
    # "very quite" (for "quiet").
    (
        "quite",
        _before(r"very|so|too|really|extremely|unusually|went|kept|stayed|nice and|calm and"),
        re.compile(
            r"(?!\s+(?:a|an|the|some|good|well|often|close|clear|likely|upset|happy|sure|"
            r"different|difficult|hard|low|high|small|big|long|short|few|bit|lot)\b)"
        ),
        "quiet",
    ),
    # "go to collage" (for "college").
    (
        "collage",
        _before(
            r"to|at|attend(?:s|ing|ed)?|start(?:s|ing|ed)?|from|in|leave|left|finish(?:ed)?|"
            r"enrol(?:led)?(?: at)?|local|sixth[- ]form|the"
        ),
        None,
        "college",
    ),
    # "would of", "could of" (for "have").
    (
        "of",
        _before(r"(?:would|could|should|must|might|may)(?:n['’]t)?"),
        re.compile(r"(?!\s+course)"),
        "have",
    ),
    # "loose weight", "loose her temper" (for "lose").
    (
        "loose",
        _before(r"to|will|might|could|would|may|not|did|didn['’]t|going to|about to"),
        re.compile(r"\s+(?:weight|her|his|their|my|the|it|them|him|out|contact|interest)\b"),
        "lose",
    ),
    # "Their is" at the start of a sentence (for "There").
    (
        "their",
        re.compile(r"(?:^|[.!?]\s+)$"),
        re.compile(r"\s+(?:is|are|was|were|has been|have been)\b"),
        "there",
    ),
    # "with there mum" (for "their").
    (
        "there",
        _before(r"with|to|for|of|from|about|by|at|and"),
        re.compile(
            r"\s+(?:mum|dad|mother|father|parents?|children|child|kids|son|daughter|house|home|"
            r"flat|bedroom|school|baby|own|family|grandparents?|nan|aunt|uncle)\b"
        ),
        "their",
    ),
    # "driving license" (the noun is "licence"; "license" is the verb).
    (
        "license",
        _before(
            r"driving|a|the|his|her|their|my|tv|television|marriage|provisional|full|premises|"
            r"valid|new|no|without|under"
        ),
        None,
        "licence",
    ),
    # "gave some advise" (the noun is "advice").
    (
        "advise",
        _before(
            r"some|any|the|this|that|my|her|his|their|of|for|gave|give|given|giving|offered|"
            r"took|take|following|seek|sought|good|further|medical|legal"
        ),
        re.compile(r"(?!\s+(?:her|him|them|me|us|you|that|on|the|whether|if)\b)"),
        "advice",
    ),
)
_WORD_CHAR = re.compile(r"[a-z'’-]")


def _wrong_words(text: str, low: str, lexicon: frozenset[str]) -> list[tuple[int, int, str, str]]:
    found: list[tuple[int, int, str, str]] = []
    for word, before, after, right in _WRONG_WORDS:
        if word in lexicon:
            continue
        start = low.find(word)
        while start >= 0:
            end = start + len(word)
            position, start = start, low.find(word, start + 1)
            if (position and _WORD_CHAR.match(low, position - 1)) or _WORD_CHAR.match(low, end):
                continue
            if before is not None and not before.search(low, max(0, position - 30), position):
                continue
            if after is not None and not after.match(low, end):
                continue
            original = text[position:end]
            found.append(
                (
                    position,
                    end,
                    WRONG_WORD_MESSAGE.format(word=original),
                    _match_case(original, right),
                )
            )
    return found


MISSPELLING_MESSAGE = "Check the spelling of '{word}'."
WRONG_WORD_MESSAGE = "Check '{word}': it looks like the wrong word here."
AMERICAN_MESSAGE = "'{word}' is the American spelling: case notes use British English."


def _match_case(original: str, suggestion: str) -> str:
    if original[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def find_spelling(
    text: str, lexicon: frozenset[str], sentences: Sentences
) -> list[tuple[int, int, str, str]]:
    low = lowered(text)
    found = _wrong_words(text, low, lexicon)
    taken = {start for start, _, _, _ in found}
    # Most notes hold none of the listed words: find which the note holds, then where.
    present = _FLAGGED.intersection(WORD.findall(low))
    if not present:
        found.sort()
        return found
    pattern = re.compile(
        r"(?<![A-Za-z'’-])(?:"
        + "|".join(re.escape(word) for word in sorted(present, key=len, reverse=True))
        + r")(?![A-Za-z'’]|-[A-Za-z])"
    )
    for low_match in pattern.finditer(low):
        if low_match.start() in taken:
            continue
        match = WORD.match(text, low_match.start())
        if match is None or match.end() != low_match.end():
            continue
        word = match.group()
        word_lower = word.lower()
        correct: str | None = None
        if word_lower in ("practise", "practises") and _NOUN_BEFORE.search(
            text, max(0, match.start() - 30), match.start()
        ):
            # "practise" is the verb; the noun is "practice" ("good practice").
            correct = "practice" + word_lower[8:]
        elif word_lower in DOMAIN_LEXICON or word_lower in lexicon:
            continue
        else:
            correct = MISSPELLINGS.get(word_lower) or _INFLECTED.get(word_lower)
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
        british = AMERICAN.get(word_lower)
        if british is None:
            continue
        # A capitalised word mid-sentence is a name ("Mr Gray", "Lincoln Center").
        if word[:1].isupper() and not sentences.is_start(match.start()):
            continue
        if word_lower.startswith("program") and _COMPUTER.search(text, 0, match.start()):
            continue
        found.append(
            (
                match.start(),
                match.end(),
                AMERICAN_MESSAGE.format(word=word),
                _match_case(word, british),
            )
        )
    found.sort()
    return found
