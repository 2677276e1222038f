"""jargon: abbreviations and phrases of the trade that the note does not explain (recording
rule 12: "plain English, no unexplained jargon"; the person may read their record).

An abbreviation counts as explained from the point the note spells it out, either way round:
"child in need (CIN)" or "CIN (child in need)". Only its first unexplained use is flagged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from caseledger.domain.quality.glossary import EMPHASIS, JARGON_PHRASES, NON_JARGON
from caseledger.domain.quality.text import lowered, near

# A word with a second capital or a digit in it: "CIN", "SENCo", "S47", "A&E".
# (Not the letters of a National Insurance number: "JK 12 34 56 C".)
_TOKEN = re.compile(
    r"(?<![\w&'’-])[A-Z][a-z]*[A-Z0-9&][A-Za-z0-9&]*(?![\w&]|['’]\w|\s?\d{2}\s?\d{2})"
)
_CAPITALS = re.compile(r"[A-Z][A-Z&]{1,5}")
# Runs on the lower-case note (text.lowered), and only near a word every phrase holds.
_PHRASES = re.compile(
    r"(?<![a-z0-9_])(?:"
    + "|".join(f"(?P<p{i}>{p.lower()})" for i, (p, _) in enumerate(JARGON_PHRASES))
    + r")"
)
_PHRASE_TRIGGERS = (
    "present",
    "disguised",
    "step",
    "threshold",
    "core group",
    "strat",
    "merlin",
    "rag",
    "toxic",
    "dna",
    "actioned",
    "tier",
    "band",
    "gateway",
)
# A section of the Children Act written in lower case: "s20", "s.47".
_SECTION = re.compile(r"(?<![\w&'’-])s\.?(17|20|47)(?![\w&])")
# Three capitalised words in a row are a heading or emphasis, not abbreviations.
_SHOUTING_RUN = 3

ACRONYM_MESSAGE = (
    "Spell out '{acronym}' the first time you use it: the child and family may read this note, "
    "and jargon must be explained (recording rule 12)."
)
PHRASE_MESSAGE = (
    "'{phrase}' is service jargon: use plain English the child and family would understand "
    "(recording rule 12)."
)


def _explained_at(text: str, acronym: str) -> int | None:
    """Where the abbreviation stands in the first place the note spells it out, if it does."""
    escaped = re.escape(acronym)
    positions: list[int] = []
    after = re.search(rf"(?<![\w&]){escaped}s?\s*\(\s*[A-Za-z][^()\n]{{2,80}}\)", text)
    if after:
        positions.append(after.start())
    for match in re.finditer(rf"\(\s*({escaped})s?\s*\)", text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if re.search(
            r"[A-Za-z]{2,}\W+[A-Za-z]{2,}",
            text[max(line_start, match.start() - 80) : match.start()],
        ):
            positions.append(match.start(1))
            break
    return min(positions) if positions else None


def _acronym_key(token: str, glossary: Mapping[str, str]) -> str | None:
    """The glossary key or abbreviation this token is, or None for an ordinary word."""
    if token in glossary:
        return token
    base = token[:-1] if token.endswith("s") and len(token) > 2 else token
    if base in glossary:
        return base
    upper = base.upper()
    if upper in glossary and sum(char.isupper() for char in base) >= 2:
        return upper
    if _CAPITALS.fullmatch(base) and len(base) <= 6:
        return base
    return None


def find_jargon(
    text: str, glossary: Mapping[str, str], lexicon: frozenset[str]
) -> list[tuple[int, int, str, str]]:
    """(start, end, message, suggestion) for each unexplained abbreviation and jargon phrase."""
    found: list[tuple[int, int, str, str]] = []
    seen: set[str] = set()
    tokens = list(_TOKEN.finditer(text))
    shouting = _shouting_positions(tokens)
    explained: dict[str, int | None] = {}
    for index, match in enumerate(tokens):
        token = match.group()
        if len(token) > 8:
            continue
        key = _acronym_key(token, glossary)
        if key is None or key in seen:
            continue
        if key in NON_JARGON or key in EMPHASIS or key.lower() in lexicon:
            continue
        if key not in glossary and index in shouting:
            continue
        if key not in explained:
            explained[key] = _explained_at(text, key)
        where = explained[key]
        if where is not None and where <= match.start():
            continue
        seen.add(key)
        expansion = glossary.get(key)
        suggestion = (
            f"Write it out the first time: {expansion} ({key})."
            if expansion
            else f"Write out what {key} stands for the first time you use it."
        )
        found.append((match.start(), match.end(), ACRONYM_MESSAGE.format(acronym=key), suggestion))
    for match in _SECTION.finditer(text):
        key = "S" + match.group(1)
        if key in seen or key.lower() in lexicon or key not in glossary:
            continue
        where = _explained_at(text, key)
        if where is not None and where <= match.start():
            continue
        seen.add(key)
        found.append(
            (
                match.start(),
                match.end(),
                ACRONYM_MESSAGE.format(acronym=match.group()),
                f"Write it out the first time: {glossary[key]}.",
            )
        )
    phrases_seen: set[int] = set()
    for match in near(_PHRASES, lowered(text), _PHRASE_TRIGGERS):
        for index, (_, advice) in enumerate(JARGON_PHRASES):
            # Like an abbreviation, a phrase is flagged where it is first used.
            if match.group(f"p{index}") and index in phrases_seen:
                break
            if match.group(f"p{index}"):
                phrases_seen.add(index)
                if any(s < match.end() and match.start() < e for s, e, _, _ in found):
                    break
                found.append(
                    (
                        match.start(),
                        match.end(),
                        PHRASE_MESSAGE.format(phrase=text[match.start() : match.end()]),
                        advice,
                    )
                )
                break
    return found


def _shouting_positions(tokens: list[re.Match[str]]) -> set[int]:
    """Indexes of tokens in a run of three or more capitalised words."""
    positions: set[int] = set()
    run: list[int] = []
    for index, match in enumerate(tokens):
        if match.group().isupper() and not any(char.isdigit() for char in match.group()):
            if run and tokens[run[-1]].end() + 2 < match.start():
                run = []
            run.append(index)
            if len(run) >= _SHOUTING_RUN:
                positions.update(run)
        else:
            run = []
    return positions
