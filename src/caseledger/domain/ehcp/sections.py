"""The lettered sections of an EHC plan, and splitting a plan's text into them.

The SEND Regulations 2014 reg 12 and the SEND Code of Practice 9.62 list what a plan must
contain; a council may use its own template and order, but each lettered section must be
separately identified. Headings come in many styles ("Section A:", "A. Views, interests and
aspirations", "SECTION F – Special educational provision", a title alone, or PDF text with
its letters spaced out), so a line is compared with the headings after removing everything
but its letters and digits. Pure Python: no Django.
"""

from __future__ import annotations

import re
from types import MappingProxyType

# Statutory titles (reg 12(1); Code 9.62). H holds both H1 and H2.
SECTIONS: MappingProxyType[str, str] = MappingProxyType(
    {
        "A": "The views, interests and aspirations of the child and their parents, or of the "
        "young person",
        "B": "The child or young person's special educational needs",
        "C": "The child or young person's health care needs which relate to their special "
        "educational needs",
        "D": "The child or young person's social care needs which relate to their special "
        "educational needs or to a disability",
        "E": "The outcomes sought for the child or young person",
        "F": "The special educational provision required by the child or young person",
        "G": "Any health care provision reasonably required by the learning difficulties or "
        "disabilities which result in the child or young person having special educational "
        "needs",
        "H": "H1: social care provision under section 2 of the Chronically Sick and Disabled "
        "Persons Act 1970; H2: any other social care provision reasonably required",
        "I": "The name and type of the school or other institution to be attended (the placement)",
        "J": "The personal budget, including arrangements for direct payments",
        "K": "The advice and information gathered during the EHC needs assessment",
    }
)
KEYS: tuple[str, ...] = tuple(SECTIONS)

# How each section's title may be written, with only letters and digits kept, lowercase.
_TITLES: dict[str, tuple[str, ...]] = {
    "A": ("viewsinterestsandaspirations", "views", "allaboutme", "aboutme"),
    "B": ("specialeducationalneeds", "sen", "educationalneeds"),
    "C": ("healthcareneeds", "healthneeds"),
    "D": ("socialcareneeds",),
    "E": ("outcomes", "outcomessought"),
    "F": ("specialeducationalprovision", "educationalprovision"),
    "G": ("healthcareprovision", "healthprovision"),
    "H": ("socialcareprovision",),
    "I": ("placement", "nameandtypeof", "nameofschool", "educationalplacement", "school"),
    "J": ("personalbudget",),
    "K": ("adviceandinformation", "appendices", "advice"),
}
# Words that may come before a title ("The child's views…", "Young person's special…").
_PREFIXES = (
    "the",
    "childs",
    "youngpersons",
    "childoryoungpersons",
    "childandyoungpersons",
    "thechilds",
    "theyoungpersons",
    "thechildoryoungpersons",
    "thechildandparents",
    "",
)
# A title alone must be the first words of the line: "Outcomes" or "Outcomes sought by…".
_TITLE_ONLY: dict[str, tuple[str, ...]] = {
    "A": ("viewsinterestsandaspirations", "allaboutme"),
    "B": ("specialeducationalneeds",),
    "C": ("healthcareneeds", "healthneeds"),
    "D": ("socialcareneeds",),
    "E": ("outcomes",),
    "F": ("specialeducationalprovision",),
    "G": ("healthcareprovision", "healthprovision"),
    "H": ("socialcareprovision",),
    "I": ("placement", "nameandtypeofschool", "nameandtypeofsetting", "educationalplacement"),
    "J": ("personalbudget",),
    "K": ("adviceandinformation",),
}

_MAX_HEADING_CHARACTERS = 140
_PAGE_FOOTER = re.compile(r"^\s*(page\s*\d+(\s*of\s*\d+)?|\d+\s*/\s*\d+|-\s*\d+\s*-)\s*$", re.I)
_SECTION_WORD = re.compile(
    r"^(?:part\s*\w+\s*[:.\-–—]?\s*)?s\s*e\s*c\s*t\s*i\s*o\s*n\s*"
    r"(?P<letter>[a-k])\s*(?P<part>[12])?(?P<after>.*)$",
    re.IGNORECASE,
)
_LETTER_FIRST = re.compile(r"^(?P<letter>[A-K])\s*(?P<part>[12])?\s*[.:)\-–—]?\s+(?P<after>.+)$")
_SEPARATOR = re.compile(r"^\s*[:.\-–—)(|]")


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _unspace(line: str) -> str:
    """Join letter-spaced PDF text ("S E C T I O N  A") back into words."""
    tokens = line.split()
    if len(tokens) >= 4 and sum(len(token) == 1 for token in tokens) >= 0.7 * len(tokens):
        words = re.split(r"\s{2,}", line.strip())
        return " ".join(word.replace(" ", "") for word in words)
    return line


def _starts_with_title(squashed: str, key: str) -> bool:
    return any(
        squashed.startswith(prefix + title) for title in _TITLES[key] for prefix in _PREFIXES
    )


def heading_of(line: str) -> tuple[str, str] | None:
    """The section a heading line opens, as (key, part): part is "H1"/"H2" or ""."""
    found = _heading(line)
    return None if found is None else (found[0], found[1])


def _heading(line: str) -> tuple[str, str, bool] | None:
    """(key, part, lettered): lettered when the heading names its letter."""
    text = _unspace(re.sub(r"^[\s#*>|•\-–]+", "", line)).strip().strip("|*#").strip()
    if not text or len(text) > _MAX_HEADING_CHARACTERS:
        return None
    found = _SECTION_WORD.match(text)
    if found:
        key = found["letter"].upper()
        part = f"H{found['part']}" if key == "H" and found["part"] else ""
        after = found["after"]
        squashed = _squash(after)
        # "Section B and F must agree" is a sentence, not a heading; "SECTIONF–Special…"
        # (a PDF that lost its spaces) and "Section F Special educational provision" are.
        if not squashed or _SEPARATOR.match(after) or _starts_with_title(squashed, key):
            return key, part, True
        return None
    found = _LETTER_FIRST.match(text)
    if found:
        key = found["letter"]
        if _starts_with_title(_squash(found["after"]), key) and not text.endswith("."):
            part = f"H{found['part']}" if key == "H" and found["part"] else ""
            return key, part, True
        return None
    if text.endswith(".") or len(text.split()) > 12:
        return None
    squashed = _squash(text)
    for key, titles in _TITLE_ONLY.items():
        for title in titles:
            for prefix in _PREFIXES:
                if squashed.startswith(prefix + title) and len(squashed) <= len(title) + 40:
                    return key, "", False
    return None


def split_sections(text: str) -> dict[str, str]:
    """The plan's text under each heading A..K; "" for a section with no heading.

    Text before the first heading (the cover page) is dropped. A title on its own opens a
    section only the first time (so a later "Outcomes" sub-heading stays where it is); a
    lettered heading that repeats (a contents page, then the section) adds to the section.
    H1 and H2 headings are kept inside H so the two parts stay visible."""
    collected: dict[str, list[str]] = {key: [] for key in KEYS}
    current: str | None = None
    opened: set[str] = set()
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        heading = _heading(line)
        if heading is not None:
            key, part, lettered = heading
            if lettered or key not in opened:
                current = key
                opened.add(key)
                if part:
                    collected[key].append(line.strip())
                continue
        if current is None or _PAGE_FOOTER.match(line):
            continue
        collected[current].append(line.rstrip())
    return {key: "\n".join(lines).strip() for key, lines in collected.items()}
