"""Is a provision statement specified and quantified?

CFA 2014 s.37(2) requires an EHC plan to specify the provision; Code of Practice 9.69 says
"provision must be detailed and specific and should normally be quantified, for example, in
terms of the type, hours and frequency of support and level of expertise". A statement is
flagged for wording that commits to nothing enforceable (`vague_language`, on the phrase) and
for not saying what, how often, for how long and by whom (`unquantified`, with what is
missing). The phrases are the red flags IPSEA and parents' guides list; they are heuristics:
some are vague wherever they appear ("as appropriate", "up to"), others only when the
statement does not pin the provision down ("access to the sensory room for 15 minutes at each
transition, supervised by his teaching assistant" is specific). Pure Python: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COMPONENTS: tuple[str, ...] = ("what", "frequency", "duration", "provider")

CODE_OF_PRACTICE = (
    "Code of Practice 9.69: provision must be detailed and specific and should normally be "
    "quantified (type, hours and frequency of support, and level of expertise)"
)
CLARKE = (
    "L v Clarke and Somerset CC [1998] ELR 129: so specific and so clear as to leave no room "
    "for doubt as to what has been decided is necessary"
)
NORTH_EAST_LINCOLNSHIRE = (
    "EC v North East Lincolnshire [2015] UKUT 648 (AAC): it should be clear who, what, when "
    "and how long"
)
EAST_SUSSEX = (
    "East Sussex CC v TW [2016] UKUT 528 (AAC): flexibility is no excuse for a lack of "
    "specificity; \u201copportunities\u201d and \u201cprogrammes tailored to need\u201d are "
    "unlikely to be lawful"
)
GREENWICH = (
    "C v SENT and LB Greenwich [1999] ELR 5: the local authority cannot leave the decision on "
    "provision to someone else"
)
REDBRIDGE = (
    "LB Redbridge v HO [2020] UKUT 323 (AAC): where detail can reasonably be given it must be, "
    "including what the provision is"
)


@dataclass(frozen=True)
class ProvisionFlag:
    """`statement[start:end]` is what the flag is about; `missing` only for `unquantified`."""

    code: str
    start: int
    end: int
    message: str
    missing: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "missing": list(self.missing),
        }


@dataclass(frozen=True)
class Item:
    """One provision, need or outcome: `text` is tidied; `start`/`end` locate it in the
    section; `heading` is the sub-heading it sits under ("Communication and interaction")."""

    text: str
    start: int
    end: int
    heading: str = ""


# --- Vague wording ---------------------------------------------------------------------------

_NUMBER = (
    r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|ninety|twenty[- ]five|forty[- ]five|half|a|an)"
)

# (pattern, why) — vague wherever they appear.
_ALWAYS_VAGUE: tuple[tuple[str, str], ...] = (
    (r"as (?:and when|appropriate|required|needed|necessary|advised|directed)", "conditional"),
    (
        r"(?:where|when|if|wherever|whenever) (?:possible|appropriate|needed|required|necessary)"
        r"|(?:where|when|if) (?:available)|subject to (?:availability|review|funding)"
        r"|at times of need|when (?:she|he|they) (?:feels?|needs?|becomes?)",
        "conditional",
    ),
    (rf"up to(?! {_NUMBER} (?:pupils|children|students|peers|others)\b)", "ceiling"),
    (r"(?<!\d )(?<![Ii]n )\b(?:may|might|could|should|ideally)\b(?! \d)", "permissive"),
    (r"regular(?:ly)?|periodic(?:ally)?|frequent(?:ly)?|ongoing|from time to time", "frequency"),
    (r"opportunit(?:y|ies)", "opportunity"),
    (r"would benefit from|may benefit from|benefit from", "permissive"),
    (r"encouraged to|(?:aim|aims|try|tries) to", "permissive"),
    (r"or equivalent|such as|e\.g\.|etc\.?|and so on", "open list"),
    (r"a range of|a variety of|a level of|some|part of the (?:day|week)", "amount"),
    (r"tailored to|flexible|flexibly", "flexible"),
    (
        r"(?:to be|will be) (?:determined|decided|agreed|confirmed|considered)|(?:will|to) decide"
        r"|(?:to )?consider(?:ed)?|at the discretion of|(?:frequency|level|amount) to be",
        "delegated",
    ),
    (r"in line with|in accordance with|as outlined in|as recommended (?:in|by)", "elsewhere"),
    (r"(?<!\w)appropriate(?!ly)", "conditional"),
)
# Vague unless the statement itself says what, how often, how long and by whom.
_VAGUE_UNLESS_QUANTIFIED: tuple[tuple[str, str], ...] = (
    (r"access(?:es)? to|will access|to access", "access"),
    (r"support (?:from|with)|supported (?:to|with|by)|help with", "support"),
    (r"small[- ]groups?", "small group"),
    (r"key adult|adult support|additional support|extra support", "support"),
    (r"(?:will be|to be|is) (?:reviewed|monitored)|monitor(?:ed|ing)?", "review"),
    (r"input", "input"),
)
_WHY = {
    "conditional": "makes the provision depend on someone's later judgement",
    "ceiling": "sets only a ceiling, so none at all would comply",
    "permissive": "is permissive, not a commitment to provide",
    "frequency": "does not say how often",
    "opportunity": "offers an opportunity rather than provision",
    "open list": "leaves the list of provision open",
    "amount": "does not say how much",
    "flexible": "leaves the provision open to change",
    "delegated": "leaves the decision to someone else",
    "elsewhere": "refers to another document instead of stating the provision",
    "access": "gives access without saying how much will be provided",
    "support": "names support without saying what it is, how often, how long or by whom",
    "small group": "does not say the size of the group",
    "review": "promises review or monitoring, not provision",
    "input": "names input without saying what it is",
}
_CASE_FOR = {
    "delegated": GREENWICH,
    "opportunity": EAST_SUSSEX,
    "flexible": EAST_SUSSEX,
}


def _compile(patterns: tuple[tuple[str, str], ...]) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(rf"(?<![\w-])(?:{p})(?![\w-])", re.IGNORECASE), why) for p, why in patterns]


_ALWAYS = _compile(_ALWAYS_VAGUE)
_UNLESS = _compile(_VAGUE_UNLESS_QUANTIFIED)
# "May" the month ("in May 2026", "by 3 May") is not permission.
_MONTH_MAY = re.compile(r"\b(?:in|by|from|until|of|\d{1,2}(?:st|nd|rd|th)?)\s+May\b|\bMay\s+\d")

# --- Components ------------------------------------------------------------------------------

_PER = r"(?:a|per|each|every|an?|/)"
_PERIOD = (
    r"(?:day|week|fortnight|month|term|half[- ]term|year|session|lesson|morning|afternoon|hour)"
)
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday)s?"
_ALL_DAY = (
    r"(?:throughout|for the whole of|the whole of|for all of|all of|across) (?:the|every|each) "
    r"(?:school )?(?:day|week)|full[- ]time|at all times|"
    r"(?:in|for|during|across) (?:all|every|each) (?:\w+ )?(?:lessons?|sessions?)|"
    r"(?:every|each|all) (?:\w+ )?lessons?"
    r"|(?:every|each) (?:school )?day|(?:every|each) weekday"
)
_FREQUENCY = re.compile(
    rf"\b(?:daily|weekly|fortnightly|monthly|termly|annually|twice|thrice|once|"
    rf"(?:{_NUMBER}|several) times?|"
    rf"(?:{_NUMBER} )?(?:sessions?|hours?|hrs?|minutes?|mins?|days?) {_PER} {_PERIOD}|"
    rf"{_PER} (?:school )?{_PERIOD}|(?:every|each) (?:{_NUMBER} )?(?:\w+ )?{_PERIOD}s?|"
    rf"(?:every|each|per) (?:half[- ]term|term|transition|break(?: ?time)?|lunchtime)|"
    rf"{_NUMBER} (?:\w+ )?sessions?\b[^.;]{{0,90}}?\b(?:over|across|in|during) (?:the |a |an )?"
    rf"(?:\w+ )?(?:term|year|weeks?)|"
    rf"{_NUMBER} days? a week|{_NUMBER} hours? (?:of \w+ )?per \w+|"
    rf"(?:each|every) (?:\w+ )?(?:morning|afternoon)|{_WEEKDAY}|"
    rf"every \d+ (?:minutes|mins)|before (?:each|every)|after (?:each|every)|{_ALL_DAY})\b",
    re.IGNORECASE,
)
_DURATION = re.compile(
    rf"\b(?:{_NUMBER}[- ]?(?:minutes?|mins?|hours?|hrs?|hour)|"
    rf"(?:\d+(?:\.\d+)?|{_NUMBER}) ?(?:-|to) ?\d+ ?(?:minutes?|mins?|hours?)|"
    rf"half an hour|an hour|"
    rf"(?:for|over) (?:{_NUMBER}|the) (?:\w+ )?(?:weeks?|terms?|months?|years?|school year)|"
    rf"\d{{1,2}}(?:[.:]\d{{2}})? ?(?:am|pm) (?:to|until|-) ?\d{{1,2}}(?:[.:]\d{{2}})? ?(?:am|pm)|"
    rf"from \d{{1,2}}(?:[.:]\d{{2}})? ?(?:am|pm)?|{_ALL_DAY})\b",
    re.IGNORECASE,
)
_PROVIDER = re.compile(
    r"\b(?:(?:HCPC[- ]registered |qualified |specialist |trained |registered |NHS |"
    r"BACP[- ]registered |child )*"
    r"(?:speech and language therapists?|speech & language therapists?|SaLTs?|SLTs?|"
    r"occupational therapists?|OTs?|physiotherapists?|(?:music|art|play|drama) therapists?|"
    r"therapists?|educational psychologists?|EPs?|psychologists?|"
    r"teaching assistants?|TAs?|learning support assistants?|LSAs?|HLTAs?|"
    r"higher level teaching assistants?|teachers? of the (?:deaf|visually impaired|"
    r"hearing impaired)|QTVIs?|QTODs?|ToDs?|specialist teachers?|class teachers?|teachers?|"
    r"SENCos?|SENDCos?|counsellors?|learning mentors?|mentors?|ELSAs?|"
    r"emotional literacy support assistants?|nurses?|nurture practitioners?|practitioners?|"
    r"key workers?|tutors?|instructors?|interveners?|support workers?|"
    r"specialist (?:advisory )?(?:service|team))|"
    r"(?:adult|member of staff|staff member|staff)s? (?:trained|qualified) (?:in|by) [\w -]+)\b",
    re.IGNORECASE,
)
_WHAT = re.compile(
    r"\b(?:therap(?:y|ies)|support(?:ed)?|help|programmes?|interventions?|teaching|taught|teach|tuition|"
    r"sessions?|groups?|lessons?|mentoring|supervis(?:ion|ed|e)|assistance|training|train|"
    r"instruction|counselling|coaching|check[- ]ins?|breaks?|circuit|practice|pre[- ]teach\w*|"
    r"phonics|reading|literacy|numeracy|maths|spelling|handwriting|typing|signing|sign|"
    r"makaton|braille|consultation|hydrotherapy|physiotherapy|exercises?|sensory|"
    r"timetable|curriculum|club|activit(?:y|ies)|strategies|equipment|laptop|software|"
    r"personal care|transport|assessment|assess|advice|advise|copy|work with|meet|"
    r"emotional regulation|social skills|communication|language|vocabulary|1:1|one[- ]to[- ]one"
    r")\b",
    re.IGNORECASE,
)


# "OT strategies", "SALT programme", "the EP's advice": the service's name used as an
# adjective says whose advice it is, not who will deliver the provision.
_NOT_A_PERSON = re.compile(
    r"^(?:'s)?\s+(?:strateg|programme|advice|report|recommendation|target|input|"
    r"assessment|service|approach|activit|equipment|sessions?\b|therapy)",
    re.IGNORECASE,
)
_ABBREVIATION = re.compile(r"^(?:SaLTs?|SLTs?|OTs?|EPs?|TAs?|LSAs?|ELSAs?)$", re.IGNORECASE)


def _has_provider(statement: str) -> bool:
    for match in _PROVIDER.finditer(statement):
        if _ABBREVIATION.match(match.group(0)) and _NOT_A_PERSON.match(statement[match.end() :]):
            continue
        return True
    return False


def components_present(statement: str) -> dict[str, bool]:
    """Which of what, frequency, duration and provider the statement states."""
    return {
        "what": bool(_WHAT.search(statement)),
        "frequency": bool(_FREQUENCY.search(statement)),
        "duration": bool(_DURATION.search(statement)),
        "provider": _has_provider(statement),
    }


def vague_phrases(statement: str, *, quantified: bool) -> list[tuple[int, int, str]]:
    """(start, end, why) for each vague phrase, in order, overlapping phrases merged."""
    found: list[tuple[int, int, str]] = []
    groups = _ALWAYS if quantified else [*_ALWAYS, *_UNLESS]
    months = [(m.start(), m.end()) for m in _MONTH_MAY.finditer(statement)]
    for pattern, why in groups:
        for match in pattern.finditer(statement):
            if match.group(0).lower() == "may" and any(
                start <= match.start() < end for start, end in months
            ):
                continue
            found.append((match.start(), match.end(), why))
    found.sort()
    merged: list[tuple[int, int, str]] = []
    for start, end, why in found:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2])
        else:
            merged.append((start, end, why))
    return merged


def flag_provision(statement: str) -> list[ProvisionFlag]:
    """Flags on one provision statement, sorted by start; offsets index `statement`."""
    if not statement.strip():
        return []
    present = components_present(statement)
    missing = tuple(name for name in COMPONENTS if not present[name])
    flags: list[ProvisionFlag] = []
    for start, end, why in vague_phrases(statement, quantified=not missing):
        phrase = statement[start:end]
        standard = _CASE_FOR.get(why, CLARKE)
        flags.append(
            ProvisionFlag(
                code="vague_language",
                start=start,
                end=end,
                message=(
                    f"\u201c{phrase}\u201d {_WHY[why]}, so the provision cannot be enforced. "
                    f"{CODE_OF_PRACTICE}; {standard}."
                ),
            )
        )
    if missing:
        left = len(statement) - len(statement.lstrip())
        right = len(statement.rstrip())
        standard = REDBRIDGE if missing == ("what",) else NORTH_EAST_LINCOLNSHIRE
        flags.append(
            ProvisionFlag(
                code="unquantified",
                start=left,
                end=right,
                message=(
                    f"The provision does not say {_describe(missing)}. {CODE_OF_PRACTICE}; "
                    f"{standard}; {CLARKE}."
                ),
                missing=missing,
            )
        )
    flags.sort(key=lambda flag: (flag.start, flag.code))
    return flags


_QUESTIONS = {
    "what": "what the provision is",
    "frequency": "how often it happens",
    "duration": "how long it lasts",
    "provider": "who delivers it (their role or qualification)",
}


def _describe(missing: tuple[str, ...]) -> str:
    words = [_QUESTIONS[name] for name in missing]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


# --- Items -----------------------------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[•●▪◦‣∙·*\-–—o]\s+|\(?\d{1,3}[.)]\s+|\(?[a-z][.)]\s+|\(?[ivx]+\)\s+)")
_TABLE_SPLIT = re.compile(r"\s*(?:\||\t)\s*")
_TABLE_HEADER_WORDS = re.compile(
    r"^(?:needs?|provision|frequency|duration|who|by whom|provider|outcomes?|area|"
    r"area of need|how often|how long|staffing|resources|what|when|delivered by|"
    r"special educational provision|special educational needs)$",
    re.IGNORECASE,
)
_END_OF_SENTENCE = re.compile(r"[.;!?:]\s*$")


def _is_heading(line: str, next_line: str | None) -> bool:
    text = line.strip()
    if text.endswith(":") and len(text.split()) <= 8:
        return True
    if (
        _BULLET.match(line)
        or _END_OF_SENTENCE.search(text)
        or re.search(r"\d", text)
        or len(text.split()) > 7
    ):
        return False
    return bool(text[:1].isupper()) and next_line is not None and bool(_BULLET.match(next_line))


def split_items(section_text: str) -> list[Item]:
    """The items of a section: bullets, numbered lines, table rows and paragraphs.

    Lines wrapped by a PDF (a line that does not end a sentence, followed by one that is not
    a bullet) are joined; a blank line ends an item; short lines followed by bullets, and
    lines ending with a colon, are sub-headings kept on the items beneath them."""
    lines: list[tuple[int, str]] = []
    offset = 0
    for raw in section_text.split("\n"):
        lines.append((offset, raw))
        offset += len(raw) + 1
    items: list[Item] = []
    heading = ""
    parts: list[str] = []
    start = end = 0

    def finish() -> None:
        nonlocal parts
        text = " ".join(" ".join(parts).split())
        if text:
            items.append(Item(text=text, start=start, end=end, heading=heading))
        parts = []

    for index, (position, raw) in enumerate(lines):
        text = raw.strip()
        if not text:
            finish()
            continue
        following = next((line for _, line in lines[index + 1 :] if line.strip()), None)
        cells = [cell for cell in _TABLE_SPLIT.split(text) if cell.strip("|- ")]
        if ("|" in text or "\t" in raw) and len(cells) >= 2:
            finish()
            if all(_TABLE_HEADER_WORDS.match(cell.strip()) for cell in cells):
                continue
            lead = len(raw) - len(raw.lstrip())
            start, end = position + lead, position + len(raw.rstrip())
            parts = ["; ".join(cell.strip() for cell in cells)]
            finish()
            continue
        if _is_heading(raw, following):
            finish()
            heading = text.rstrip(":").strip()
            continue
        bullet = _BULLET.match(raw)
        continues = (
            parts and not bullet and not _END_OF_SENTENCE.search(parts[-1]) and text[:1].islower()
        )
        if not continues:
            finish()
            start = position + (bullet.end() if bullet else len(raw) - len(raw.lstrip()))
            text = raw[bullet.end() :].strip() if bullet else text
        parts.append(text)
        end = position + len(raw.rstrip())
    finish()
    return items
