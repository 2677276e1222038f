"""Flags on a whole EHC plan: its sections, its Section F items, and the reports behind it.

- `vague_language`, `unquantified`: each Section F item, as `flag_provision` sees it
  (Code of Practice 9.69; L v Clarke and Somerset).
- `need_without_provision`: a Section B need that no Section F item meets (R v Secretary of
  State for Education ex parte E: provision for each and every need).
- `recommendation_missing`: a quantified recommendation in a professional report (Section K
  advice, or reports passed in) that Section F leaves out or waters down.
- `missing_content`: a lettered section missing or empty (reg 12; each must be separately
  identified), a school named in Section I of a draft (it must be left blank), a final plan
  with no placement, and outcomes in Section E with no timescale (Code 9.66: SMART outcomes).

Matching needs, provision and recommendations is by area-of-need keywords and shared
content words: a heuristic that points a reader at what to check, not a legal finding.
Pure Python: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from caseledger.domain.ehcp.provision import (
    CLARKE,
    CODE_OF_PRACTICE,
    Item,
    components_present,
    flag_provision,
    split_items,
)
from caseledger.domain.ehcp.sections import KEYS, SECTIONS, split_sections

CODES: tuple[str, ...] = (
    "vague_language",
    "unquantified",
    "need_without_provision",
    "recommendation_missing",
    "missing_content",
)

EX_PARTE_E = (
    "R v Secretary of State for Education, ex parte E [1992] 1 FLR 377: Section F must "
    "specify provision for each and every need in Section B"
)
REG_12 = (
    "SEND Regulations 2014 reg 12 and Code of Practice 9.62: each lettered section must be "
    "included and separately identified"
)
DRAFT_PLACEMENT = (
    "SEND Code of Practice chapter 9 and SEND Regulations 2014 reg 13: Section I of a draft "
    "plan is left blank so the parent or young person can ask for a school"
)
FINAL_PLACEMENT = (
    "Children and Families Act 2014 s.39–40 and Code of Practice 9.62: the final plan must "
    "name the school or type of school in Section I"
)
OUTCOMES = (
    "Code of Practice 9.66: outcomes should be SMART (specific, measurable, achievable, "
    "realistic and time-bound), so each needs a timescale"
)


@dataclass(frozen=True)
class PlanFlag:
    code: str
    section: str
    text: str
    message: str

    def as_json(self) -> dict[str, str]:
        return {
            "code": self.code,
            "section": self.section,
            "text": self.text,
            "message": self.message,
        }


# --- Areas of need ---------------------------------------------------------------------------

AREAS: dict[str, tuple[str, ...]] = {
    "speech and language": (
        "speech",
        "language",
        "expressive",
        "receptive",
        "vocabulary",
        "verbal",
        "stammer",
        "articulation",
        "salt",
        "slt",
        "talking",
        "sentences",
        "understanding",
        "words",
    ),
    "social communication": (
        "social communication",
        "social interaction",
        "social skills",
        "friendships",
        "interaction",
        "peers",
        "turn-taking",
        "autism",
        "autistic",
        "social",
    ),
    "emotional wellbeing": (
        "emotional",
        "anxiety",
        "anxious",
        "regulation",
        "regulate",
        "self-esteem",
        "wellbeing",
        "mental health",
        "worries",
        "anger",
        "elsa",
        "counselling",
        "calm",
        "distress",
    ),
    "literacy": (
        "literacy",
        "reading",
        "read",
        "writing",
        "spelling",
        "phonics",
        "dyslexia",
        "decoding",
        "comprehension",
        "books",
    ),
    "numeracy": ("maths", "numeracy", "number", "mathematics", "dyscalculia", "numicon"),
    "cognition": (
        "memory",
        "working memory",
        "processing",
        "attention",
        "concentration",
        "focus",
        "organisation",
        "cognition",
        "cognitive",
    ),
    "sensory": (
        "sensory",
        "noise",
        "noisy",
        "sensory processing",
        "overwhelmed",
        "sensory diet",
        "sensory circuit",
        "sensory room",
    ),
    "hearing": ("hearing", "deaf", "hearing impairment", "audiology", "radio aid"),
    "vision": ("vision", "visual impairment", "visually impaired", "braille", "sight"),
    "fine motor": (
        "fine motor",
        "handwriting",
        "pencil",
        "scissors",
        "typing",
        "touch-typing",
        "dexterity",
        "grip",
    ),
    "gross motor": (
        "gross motor",
        "balance",
        "coordination",
        "physiotherapy",
        "mobility",
        "walking",
        "motor",
        "physical",
    ),
    "independence": (
        "toileting",
        "dressing",
        "independence",
        "self-care",
        "personal care",
        "life skills",
        "travel",
        "eating",
    ),
}
_AREA_PATTERNS = {
    area: re.compile(r"\b(?:" + "|".join(re.escape(word) for word in words) + r")\b", re.I)
    for area, words in AREAS.items()
}
# A word list reads better as one block of words than as one quoted word a line.
_STOPWORD_TEXT = """
    a an and are as at be been by can for from has have he her him his in into is it its
    of on or she that the their them they this to was when which who will with within would
    not no does do very than other also more most some such these those only all any each
    every per week weekly day daily minutes minute hours hour session sessions term
    school class child young person needs need difficulties difficulty support
    provision able finds find has will staff adult adults time times including"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def areas_of(text: str) -> frozenset[str]:
    """The areas of need a passage is about ("literacy", "sensory", …)."""
    return frozenset(area for area, pattern in _AREA_PATTERNS.items() if pattern.search(text))


def _content_words(text: str) -> frozenset[str]:
    words = re.findall(r"[a-z][a-z'-]{2,}", text.lower())
    return frozenset(_stem(word) for word in words if word not in _STOPWORDS)


def _stem(word: str) -> str:
    for ending in ("ing", "ies", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _item_areas(item: Item) -> frozenset[str]:
    return areas_of(item.text) or areas_of(item.heading)


class _ProvisionIndex:
    """Section F items with their areas and content words worked out once, and an index
    from each to the items, so a long plan is matched in one pass rather than pair by pair."""

    def __init__(self, items: Sequence[Item]) -> None:
        self.items = list(items)
        self.areas = [_item_areas(item) for item in self.items]
        self.words = [_content_words(item.text) for item in self.items]
        self.by_area: dict[str, list[int]] = {}
        self.by_word: dict[str, list[int]] = {}
        for index, (areas, words) in enumerate(zip(self.areas, self.words, strict=True)):
            for area in areas:
                self.by_area.setdefault(area, []).append(index)
            for word in words:
                self.by_word.setdefault(word, []).append(index)

    def scores(self, areas: frozenset[str], words: frozenset[str]) -> dict[int, tuple[int, int]]:
        """(shared areas, shared words) for every item sharing anything with a passage."""
        shared_areas: dict[int, int] = {}
        for area in areas:
            for index in self.by_area.get(area, ()):
                shared_areas[index] = shared_areas.get(index, 0) + 1
        shared_words: dict[int, int] = {}
        for word in words:
            for index in self.by_word.get(word, ()):
                shared_words[index] = shared_words.get(index, 0) + 1
        return {
            index: (shared_areas.get(index, 0), shared_words.get(index, 0))
            for index in shared_areas.keys() | shared_words.keys()
        }

    def meeting(self, need: Item) -> list[int]:
        """The items that appear to meet a need: an area in common, or two content words."""
        found = self.scores(_item_areas(need), _content_words(need.text))
        return sorted(index for index, (areas, words) in found.items() if areas or words >= 2)


def needs_in(section_b: str) -> list[Item]:
    """The needs Section B sets out, one per item; headings and fragments under three words
    are not needs."""
    return [item for item in split_items(section_b) if len(item.text.split()) >= 3]


def link_needs(needs: Sequence[Item], provision: Sequence[Item]) -> dict[int, list[int]]:
    """For each need (by index), the provision items (by index) that appear to meet it: a
    suggestion for the person linking Section F items to Section B needs."""
    index = _ProvisionIndex(provision)
    return {n: index.meeting(need) for n, need in enumerate(needs)}


# --- Recommendations -------------------------------------------------------------------------

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_RECOMMENDS = re.compile(
    r"\b(?:recommend\w*|should (?:receive|have|be provided with|be given|access|attend)|"
    r"requires?|required|needs? to (?:receive|have)|would benefit from|must (?:receive|have))\b",
    re.IGNORECASE,
)
_PROFESSIONAL = re.compile(
    r"\b(?:therapists?|psychologists?|specialist teachers?|teachers? of the|counsellors?|"
    r"physiotherapists?|SaLTs?|SLTs?|QTVIs?|ToDs?)\b",
    re.IGNORECASE,
)
_ASSISTANT = re.compile(r"\b(?:teaching assistants?|TAs?|LSAs?|support staff|adults?)\b", re.I)
_MINUTES = re.compile(
    r"(\d+(?:\.\d+)?|half an|an|one|two|three|four|five|six|ten|fifteen|twenty|thirty|"
    r"forty[- ]five|forty|sixty)[- ]?(minutes?|mins?|hours?|hrs?)\b",
    re.IGNORECASE,
)
_WORD_NUMBERS = {
    "half an": 0.5,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "forty five": 45,
    "sixty": 60,
}
_PER_WEEK = (
    (re.compile(r"\b(?:daily|every day|each day|per day|a day|every morning)\b", re.I), 5.0),
    (re.compile(r"\b(?:twice|two times) (?:a|per|each) week|twice weekly\b", re.I), 2.0),
    (re.compile(r"\bthree times (?:a|per|each) week\b", re.I), 3.0),
    (re.compile(r"\bfour times (?:a|per|each) week\b", re.I), 4.0),
    (re.compile(r"\b(?:fortnightly|every (?:two weeks|fortnight)|per fortnight)\b", re.I), 0.5),
    (re.compile(r"\b(?:monthly|every month|per month|a month)\b", re.I), 0.25),
    (re.compile(r"\b(?:half[- ]termly|every half[- ]term|per half[- ]term)\b", re.I), 1 / 6),
    (re.compile(r"\b(?:termly|per term|each term|every term|a term)\b", re.I), 1 / 12),
    (re.compile(r"\b(?:weekly|per week|a week|each week|every week|once a week)\b", re.I), 1.0),
)


@dataclass(frozen=True)
class Recommendation:
    text: str
    areas: frozenset[str]


def recommendations_in(report: str) -> list[Recommendation]:
    """Sentences in a professional report that recommend a provision and quantify it (say
    how often, how long or by whom)."""
    found: list[Recommendation] = []
    for match in _SENTENCE.finditer(report):
        sentence = " ".join(match.group(0).split())
        if not _RECOMMENDS.search(sentence):
            continue
        present = components_present(sentence)
        if present["frequency"] or present["duration"] or present["provider"]:
            found.append(Recommendation(sentence, areas_of(sentence)))
    return found


def minutes_per_week(text: str) -> float | None:
    """How many minutes a week a provision amounts to, when it says so plainly."""
    length = _MINUTES.search(text)
    if length is None:
        return None
    number_text = length.group(1).lower()
    number = _WORD_NUMBERS.get(number_text)
    amount = float(number_text) if number is None else float(number)
    if length.group(2).lower().startswith(("h", "hr")):
        amount *= 60
    if re.search(r"\b(?:per|a|each|every) week\b|\bweekly\b", text, re.I) and re.search(
        r"\bhours?\b", length.group(0), re.I
    ):
        return amount
    for pattern, times in _PER_WEEK:
        if pattern.search(text):
            return amount * times
    return None


def _watered_down(recommendation: str, item: str) -> list[str]:
    """What the plan's item lost compared with the recommendation."""
    lost: list[str] = []
    wanted = components_present(recommendation)
    given = components_present(item)
    for part, words in (
        ("frequency", "how often"),
        ("duration", "how long"),
        ("provider", "who delivers it"),
    ):
        if wanted[part] and not given[part]:
            lost.append(f"does not say {words}")
    if (
        _PROFESSIONAL.search(recommendation)
        and not _PROFESSIONAL.search(item)
        and _ASSISTANT.search(item)
    ):
        lost.append("gives to support staff what the report gives to a professional")
    recommended, planned = minutes_per_week(recommendation), minutes_per_week(item)
    if recommended is not None and planned is not None and planned < recommended * 0.95:
        lost.append(f"provides about {planned:g} minutes a week, not {recommended:g}")
    return lost


def _best_match(recommendation: Recommendation, index: _ProvisionIndex) -> Item | None:
    found = index.scores(recommendation.areas, _content_words(recommendation.text))
    best: tuple[int, int] | None = None
    for position, (areas, words) in found.items():
        if not areas and words < 2:
            continue
        score = (areas * 2 + words, -position)
        if best is None or score > best:
            best = score
    return None if best is None else index.items[-best[1]]


# --- Timescales ------------------------------------------------------------------------------

_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_TIMESCALE = re.compile(
    rf"\b(?:by|before|within|in|at|over) (?:the )?(?:end of |start of |close of )?"
    rf"(?:(?:year|key stage|ks) ?\d+|reception|primary|secondary|(?:the )?(?:autumn|spring|"
    rf"summer) term|(?:{_MONTHS})|\d+ (?:weeks|months|years|terms)|(?:this|the|next) "
    rf"(?:academic |school )?(?:year|term|key stage|phase)|age \d+|(?:his|her|their) time|"
    rf"\d{{4}})|\b(?:{_MONTHS}) \d{{4}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"^\W*(?:none|n/?a|not applicable|blank|left blank|tbc|to be confirmed|to be named|"
    r"not (?:yet )?named|(?:this section )?(?:is|will be) (?:left blank|completed|named|"
    r"confirmed)|to be (?:completed|decided|agreed) \w*)\b",
    re.IGNORECASE,
)
_SCHOOL = re.compile(
    r"\b(?:school|academy|college|nursery|setting|institution|unit|provision|centre|"
    r"pupil referral)\b",
    re.IGNORECASE,
)
_BLANK_IN_DRAFT = re.compile(
    r"\b(?:left blank|will be (?:named|completed|confirmed) (?:in|when|once|after)|"
    r"not (?:be )?named (?:in|until)|until the final|in the final plan|is blank)\b",
    re.IGNORECASE,
)


def _placement_named(section_i: str) -> bool:
    text = section_i.strip()
    if not text or _PLACEHOLDER.match(text) or _BLANK_IN_DRAFT.search(text):
        return False
    return bool(_SCHOOL.search(text)) or len(text.split()) >= 2


def _outcome_items(section_e: str) -> Iterable[Item]:
    for item in split_items(section_e):
        # Sub-headings ("Communication and interaction") are not outcomes.
        if len(item.text.split()) >= 5:
            yield item


# --- The plan --------------------------------------------------------------------------------


def analyse_plan(
    sections: Mapping[str, str],
    *,
    status: Literal["draft", "final"],
    reports: Sequence[str] = (),
    item_needs: Mapping[str, Collection[str]] | None = None,
) -> list[PlanFlag]:
    """Every flag on the plan, in section order. `reports` are the texts of the professional
    reports behind it; Section K's own text is read for recommendations as well.

    `item_needs` is what a person decided: for a Section F item's text, the texts of the
    Section B needs it meets. An item named there meets exactly those needs; for every other
    item the keyword match decides."""
    flags: list[PlanFlag] = []
    text = {key: (sections.get(key) or "").strip() for key in KEYS}
    flags.extend(_missing_content(text, status))
    provision = split_items(text["F"])
    for item in provision:
        for flag in flag_provision(item.text):
            phrase = item.text[flag.start : flag.end]
            passage = item.text if flag.code == "unquantified" else phrase
            flags.append(PlanFlag(flag.code, "F", passage, flag.message))
    needs = needs_in(text["B"])
    index = _ProvisionIndex(provision)
    decided = item_needs or {}
    linked = {need for needs_met in decided.values() for need in needs_met}

    def met(need: Item) -> bool:
        if need.text in linked:
            return True
        return any(provision[i].text not in decided for i in index.meeting(need))

    flags.extend(
        PlanFlag(
            "need_without_provision",
            "B",
            need.text,
            "No provision in Section F appears to meet this need. " + EX_PARTE_E + ".",
        )
        for need in needs
        if not met(need)
    )
    for source_text in (*reports, text["K"]):
        for recommendation in recommendations_in(source_text):
            match = _best_match(recommendation, index)
            if match is None:
                flags.append(
                    PlanFlag(
                        "recommendation_missing",
                        "F",
                        recommendation.text,
                        "A report recommends this provision but Section F does not include "
                        f"it. {CODE_OF_PRACTICE}; {EX_PARTE_E}.",
                    )
                )
                continue
            lost = _watered_down(recommendation.text, match.text)
            if lost:
                flags.append(
                    PlanFlag(
                        "recommendation_missing",
                        "F",
                        recommendation.text,
                        f"Section F has this provision watered down (\u201c{match.text}\u201d "
                        f"{'; '.join(lost)}). {CODE_OF_PRACTICE}; {CLARKE}.",
                    )
                )
    order = {key: index for index, key in enumerate(KEYS)}
    return sorted(flags, key=lambda flag: (order.get(flag.section, 99), CODES.index(flag.code)))


def _missing_content(text: Mapping[str, str], status: str) -> list[PlanFlag]:
    flags: list[PlanFlag] = []
    for key in KEYS:
        if key == "I":
            continue
        if not text[key]:
            flags.append(
                PlanFlag(
                    "missing_content",
                    key,
                    f"Section {key}: {SECTIONS[key]}",
                    f"Section {key} is missing or empty; if there is nothing to record it "
                    f"should say so. {REG_12}.",
                )
            )
    named = _placement_named(text["I"])
    if status == "draft" and named:
        flags.append(
            PlanFlag(
                "missing_content",
                "I",
                text["I"],
                f"A draft plan names a placement in Section I. {DRAFT_PLACEMENT}.",
            )
        )
    if status == "final" and not named:
        flags.append(
            PlanFlag(
                "missing_content",
                "I",
                text["I"] or f"Section I: {SECTIONS['I']}",
                f"The final plan names no school or type of school in Section I. "
                f"{FINAL_PLACEMENT}.",
            )
        )
    flags.extend(
        PlanFlag(
            "missing_content", "E", outcome.text, f"This outcome has no timescale. {OUTCOMES}."
        )
        for outcome in _outcome_items(text["E"])
        if not _TIMESCALE.search(outcome.text)
    )
    return flags


# --- Files -----------------------------------------------------------------------------------


class PlanUnreadableError(Exception):
    """The file cannot be read as a plan; the message says why, for the person."""


def read_plan_text(path: str | Path) -> str:
    """The text of a plan file: PDF, Word (.docx) or plain text, by its content."""
    # Imported here so the rest of the package stays standard-library only.
    from caseledger.domain.filetypes import FileKind, FileRefusedError, identify
    from caseledger.domain.text_extraction import ExtractionStatus, extract_text

    file_path = Path(path)
    size = file_path.stat().st_size
    with file_path.open("rb") as stream:
        try:
            kind = identify(stream, name=file_path.name, size=size).kind
        except FileRefusedError as error:
            raise PlanUnreadableError(error.message) from error
        if kind not in (FileKind.PDF, FileKind.DOCX, FileKind.TEXT):
            raise PlanUnreadableError("The plan must be a PDF, Word document (.docx) or text file")
        stream.seek(0)
        extracted = extract_text(kind, stream)
    if extracted.status is ExtractionStatus.NO_TEXT:
        raise PlanUnreadableError("The file has no text to read (it may be a scan)")
    if extracted.status is not ExtractionStatus.EXTRACTED:
        raise PlanUnreadableError(extracted.problem or "The file cannot be read")
    return extracted.text


def analyse_file(
    path: str | Path,
    *,
    status: Literal["draft", "final"] = "final",
    reports: Sequence[str] = (),
) -> dict[str, object]:
    """`{"sections": {"A": str, …, "K": str}, "flags": [{"code", "section", "text",
    "message"}]}` for `caseledger analyse ehcp --json FILE`."""
    sections = split_sections(read_plan_text(path))
    flags = analyse_plan(sections, status=status, reports=reports)
    return {"sections": sections, "flags": [flag.as_json() for flag in flags]}
