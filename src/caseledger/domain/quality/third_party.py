"""third_party_info: personal details that do not belong in a case note (recording rule 12:
"no confidential information about other people").

Contact details and identifiers (phone numbers, email addresses, NHS and National Insurance
numbers, postcodes and street addresses) belong on the person's own record, whoever they
are, so they are flagged even for the case's own people. Names are flagged only for people
the case does not know, and a referrer's identity is flagged whenever it is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from caseledger.domain.quality.names import (
    AMBIGUOUS_FIRST_NAMES,
    FIRST_NAMES,
    NOT_NAME_WORDS,
    ORGANISATION_WORDS,
    TITLES,
)
from caseledger.domain.quality.text import Sentences, lowered, near, words

_PHONE = re.compile(
    r"(?<![\w+])(?:\+44[ \t]?(?:\(0\)[ \t]?)?|\(?0)\d{2,4}\)?(?:[ \t-]?\d){6,8}(?![\d])"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NHS = re.compile(r"(?<![\d\w])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\d\w])")
# Any two letters: a note may hold an unissued or mistyped prefix, and it is still a number.
_NI = re.compile(r"\b[A-Z]{2}[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?[A-D]\b")
_NI_LEAD = re.compile(r"(?:NI|N\.I\.|national insurance)\s+(?:number|no\.?)[:\s]*$", re.IGNORECASE)
# An address without a house number, given as where someone lives.
_LIVES_ON = re.compile(
    r"\b(?i:lives?|living|lived|stays?|staying|moved)\s+(?i:on|at|in|to)\s+"
    r"((?:[A-Z][a-z'’]+\s+){1,3}"
    r"(?:Road|Street|Avenue|Lane|Close|Drive|Way|Crescent|Grove|Place|Terrace|Gardens|Court|"
    r"Mews|Rise|Walk|Square)\b)"
)
# "lives next door at no. 7", "living at number 12": a house given by its number.
_LIVES_AT_NUMBER = re.compile(
    r"\b(?i:lives?|living|lived|stays?|staying)\s+(?i:(?:next\s+door|opposite|upstairs|"
    r"downstairs|across\s+the\s+road|round\s+the\s+corner|nearby|two\s+doors\s+down)\s+)?"
    r"(?i:at)\s+(?i:no\.?|number)\s*\d+[a-z]?\b"
)
_STREET_TAIL = re.compile(r",?\s*(?:[A-Z][a-z]+\s*){0,2},?\s*$")
# Health details about someone outside the case: flagged when the sentence is about a third
# party (an unknown name, or a role outside the family).
# Runs on the lower-case note, near one of _HEALTH_TRIGGERS.
_HEALTH = re.compile(
    r"\b(?:has|had|have)\s+(?:a\s+)?(?:diagnosis\s+of|history\s+of\s+(?:mental|self-harm|"
    r"depression|psychosis|drug|alcohol)|diabetes|epilepsy|cancer|hiv|hepatitis|asthma|"
    r"schizophrenia|bipolar|dementia|autism|adhd|depression|a\s+heart\s+condition)"
    r"|\bdiagnosed\s+with|\bis\s+under\s+the\s+(?:hospital|mental\s+health\s+team|psychiatrist|"
    r"consultant|community\s+mental\s+health)|\b(?:takes|is\s+on)\s+medication\s+for"
)
_HEALTH_TRIGGERS = (
    "diagnos",
    "history",
    "diabetes",
    "epilepsy",
    "cancer",
    "hiv",
    "hepatitis",
    "asthma",
    "schizophrenia",
    "bipolar",
    "dementia",
    "autism",
    "adhd",
    "depression",
    "heart",
    "under",
    "medication",
)
_DIGITS = tuple("0123456789")
_OUTSIDER = re.compile(
    r"\b(?:lodger|neighbour|another\s+child|other\s+child(?:ren)?|classmate|friend|girlfriend|"
    r"boyfriend|half-(?:brother|sister)|flatmate|housemate|visitor|ex-partner['’]s)\b",
    re.IGNORECASE,
)
HEALTH_MESSAGE = (
    "This is health information about someone who is not the subject of this record "
    "(recording rule 12): it belongs on their own record, if anywhere."
)
HEALTH_SUGGESTION = "Record only what it means for the child's safety, without the diagnosis."
_POSTCODE = re.compile(r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ ]?\d[ABD-HJLNP-UW-Z]{2})\b")
_STREET_ADDRESS = re.compile(
    r"\b(?:(?:flat|apartment|unit)\s+\d+[a-z]?,?\s+)?\d{1,4}[a-z]?,?\s+"
    r"(?:[A-Z][a-z'’]+\s+){1,3}"
    r"(?:Road|Street|Avenue|Lane|Close|Drive|Way|Crescent|Grove|Place|Terrace|Gardens|Court|"
    r"Hill|Park|Row|Walk|Square|Mews|Rise|View|Green|Rd|St|Ave)\b\.?",
    re.IGNORECASE,
)
_NAME_WORD = r"(?:O['’])?[A-Z][a-z]*[A-Z]?[a-z]+(?:-[A-Z][a-z]+)?"
_CAPITALISED_RUN = re.compile(
    rf"\b(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?[ \t]+)?{_NAME_WORD}(?:[ \t]+{_NAME_WORD})*\b"
)
_REFERRER = re.compile(
    r"\b(?i:the\s+referrer\s+(?:was|is|said|named|identified\s+(?:as|herself\s+as|himself\s+as))"
    r"|referr(?:ed|al\s+(?:was\s+)?(?:made|received|came))\s+(?:in\s+)?(?:by|from)"
    r"|reported\s+(?:to\s+(?:us|the\s+\w+)\s+)?by)"
    r"\s+(?i:(?:her|his|their|the|a|an|mother's|father's|mum's|dad's)\s+)?"
    r"(?:(?i:(?:next-door\s+|upstairs\s+|downstairs\s+|former\s+|ex-)?"
    r"(?:neighbour|neighbours|friend|ex-partner|partner's\s+\w+|relative|aunt|uncle|cousin|"
    r"grandmother|grandfather|landlord|landlady)\b)"
    r"(?:,?\s+(?:Mr|Mrs|Ms|Miss|Mx)?\.?\s*[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)?"
    r"|(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z]+|[A-Z][a-z]+\s+[A-Z][a-z]+)",
)

CONTACT_MESSAGE = (
    "Contact details and identifiers belong on the person's record, not in a case note "
    "(recording rule 12): remove the {what}."
)
CONTACT_SUGGESTION = "Record it on the person's record and refer to them by name or role here."
NAME_MESSAGE = (
    "This looks like the name of someone who is not linked to the case. Case notes must not "
    "hold confidential information about other people (recording rule 12)."
)
NAME_SUGGESTION = (
    "Refer to them by their role (for example 'a neighbour', 'the class teacher'), or link "
    "them to the case if they are part of the child's network."
)
REFERRER_MESSAGE = (
    "A referrer's identity is confidential and must not be written in a case note "
    "(recording rule 12)."
)
REFERRER_SUGGESTION = (
    "Say where the referral came from in general terms, for example 'a member of the public'."
)


@dataclass(frozen=True)
class Detail:
    start: int
    end: int
    message: str
    suggestion: str


def _nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check digit (NHS Data Dictionary)."""
    total = sum(
        int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def known_name_parts(known_names: tuple[str, ...]) -> frozenset[str]:
    parts: set[str] = set()
    for name in known_names:
        for part in re.split(r"[\s,]+", name):
            cleaned = part.strip(".'’").lower()
            if cleaned and cleaned not in TITLES:
                parts.add(cleaned)
    return frozenset(parts)


def _known_in_email(
    text: str,
    start: int,
    end: int,
    known: frozenset[str],
    emails: list[tuple[int, int]],
) -> bool:
    """Whether a phone number or email address in a pasted email is the work contact of one
    of the case's own people (their header line or signature) or an office's mailbox: the
    email is flagged as pasted, and those details are not someone else's."""
    if not any(s <= start and end <= e for s, e in emails):
        return _known_signature(text, start, known)
    detail = text[start:end].lower()
    if "@" in detail:
        local = detail.split("@", 1)[0]
        parts = set(re.split(r"[._+\d-]+", local))
        if parts & _MAILBOX_WORDS or parts & known:
            return True
        if any(len(part) >= 4 and part in local for part in known):
            return True
    # The name on the same line, or a signature's name up to three lines above when the line
    # holds no name of its own.
    line_start = text.rfind("\n", 0, start) + 1
    same_line = re.findall(r"[A-Za-z][a-z'’-]+", text[line_start:start])
    if any(word.lower() in known for word in same_line):
        return True
    if any(word[0].isupper() and word.lower() not in _CONTACT_LABELS for word in same_line):
        return False
    for _ in range(4):
        line_start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
        if line_start == 0:
            break
    before = text[line_start:start].lower()
    return any(part in known for part in re.findall(r"[a-z][a-z'’-]+", before))


_CONTACT_LABELS: frozenset[str] = words(
    """
    tel telephone phone mob mobile direct line dial dd ext fax email e-mail work office
    switchboard
    """
)
_SIGNATURE_NAME = re.compile(
    r"[ \t]*(?:(?:Mr|Mrs|Ms|Miss|Dr)\.? )?([A-Z][a-z'’-]+)(?: [A-Z][a-z'’-]+){0,2}[ \t]*$"
)


def _known_signature(text: str, start: int, known: frozenset[str]) -> bool:
    """A signature block outside a detected email: a line that is only one of the case's own
    people's names, then (within three lines) a line holding only a contact label and this
    number or address."""
    line_start = text.rfind("\n", 0, start) + 1
    label = text[line_start:start].lower()
    if not re.fullmatch(r"[\sa-z:|./-]*", label) or any(
        word not in _CONTACT_LABELS for word in re.findall(r"[a-z-]+", label)
    ):
        return False
    position = line_start
    for _ in range(3):
        if position == 0:
            return False
        above = text.rfind("\n", 0, position - 1) + 1
        name = _SIGNATURE_NAME.fullmatch(text, above, position - 1)
        if name and name.group(1).lower() in known:
            return True
        position = above
    return False


# Words that name an office's shared mailbox rather than a person ("duty@", "referrals@").
_MAILBOX_WORDS: frozenset[str] = words(
    """
    admin duty office enquiries enquiry info reception referrals referral team contact
    contacts mash safeguarding noreply no reply frontdoor front door hub helpdesk support
    mailbox inbox generic secure cpu pcu cic cin
    """
)


def _contacts(
    text: str,
    known: frozenset[str] = frozenset(),
    emails: list[tuple[int, int]] | None = None,
) -> list[Detail]:
    found: list[Detail] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, what: str) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        if (
            emails is not None
            and what in ("email address", "phone number")
            and _known_in_email(text, start, end, known, emails)
        ):
            return
        taken.append((start, end))
        found.append(Detail(start, end, CONTACT_MESSAGE.format(what=what), CONTACT_SUGGESTION))

    if "@" in text:
        for match in _EMAIL.finditer(text):
            add(match.start(), match.end(), "email address")
    # Every identifier below holds a digit: look only near the note's digits.
    for match in near(_NHS, text, _DIGITS, reach=16):
        digits = match.group(1) + match.group(3) + match.group(4)
        if _nhs_number_valid(digits):
            add(match.start(), match.end(), "NHS number")
    for match in near(_PHONE, text, _DIGITS, reach=24):
        add(match.start(), match.end(), "phone number")
    for match in near(_NI, text, _DIGITS, reach=16):
        lead = _NI_LEAD.search(text, max(0, match.start() - 30), match.start())
        add(lead.start() if lead else match.start(), match.end(), "National Insurance number")
    addresses = [
        (match.start(), match.end()) for match in near(_STREET_ADDRESS, text, _DIGITS, reach=90)
    ]
    lowered = text.lower()
    if "live" in lowered or "stay" in lowered or "moved" in lowered:
        addresses.extend((match.start(1), match.end()) for match in _LIVES_ON.finditer(text))
        addresses.extend((match.start(), match.end()) for match in _LIVES_AT_NUMBER.finditer(text))
    postcodes = [(m.start(), m.end()) for m in near(_POSTCODE, text, _DIGITS, reach=8)]
    for start, end in sorted(addresses):
        # The town and postcode that follow a street are part of the same address.
        for p_start, p_end in postcodes:
            if end <= p_start <= end + 30 and _STREET_TAIL.match(text[end:p_start]):
                end = p_end
                break
        add(start, end, "address")
    for start, end in postcodes:
        add(start, end, "postcode")
    return found


def _referrers(text: str) -> list[Detail]:
    if "refer" not in text.lower() and "reported" not in text.lower():
        return []
    return [
        Detail(match.start(), match.end(), REFERRER_MESSAGE, REFERRER_SUGGESTION)
        for match in _REFERRER.finditer(text)
    ]


def _stretches(words: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Runs of words that could make a name. A run directly before an organisation or address
    word ("Ash Tree Surgery", "Acacia Road") is part of that name, not a person's."""
    stretches: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for position, word in words:
        lowered = word.lower().rstrip(".")
        if lowered in TITLES:
            if current:
                stretches.append(current)
            current = [(position, word)]
        elif lowered in NOT_NAME_WORDS and lowered not in FIRST_NAMES:
            if current and lowered not in ORGANISATION_WORDS:
                stretches.append(current)
            current = []
        else:
            current.append((position, word))
    if current:
        stretches.append(current)
    return stretches


_SURNAME_AFTER = re.compile(r"[ \t]+([A-Z][a-z'’-]+)")


def _named_in_full_later(text: str, word: tuple[int, str], known: frozenset[str]) -> bool:
    """Whether a first name given alone is given later in the note with a surname."""
    position, name = word
    start = text.find(name, position + len(name))
    while start >= 0:
        end = start + len(name)
        before_ok = start == 0 or not text[start - 1].isalpha()
        surname = _SURNAME_AFTER.match(text, end)
        if before_ok and surname:
            lowered_surname = surname.group(1).lower()
            if lowered_surname not in NOT_NAME_WORDS and lowered_surname not in known:
                return True
        start = text.find(name, end)
    return False


def _names(text: str, known: frozenset[str], sentences: Sentences) -> list[Detail]:
    found: list[Detail] = []
    # Each person outside the case is flagged once, where they are first named.
    flagged: set[str] = set()
    for match in _CAPITALISED_RUN.finditer(text):
        words = [(m.start() + match.start(), m.group()) for m in re.finditer(r"\S+", match.group())]
        for stretch in _stretches(words):
            if stretch[0][1].lower().rstrip(".") in TITLES:
                if len(stretch) < 2:
                    continue
            else:
                if sentences.is_start(stretch[0][0]) and stretch[0][1].lower() not in FIRST_NAMES:
                    stretch = stretch[1:]
                if not stretch:
                    continue
                first = stretch[0][1].lower()
                if len(stretch) == 1 and (
                    first not in FIRST_NAMES or first in AMBIGUOUS_FIRST_NAMES
                ):
                    continue
            parts = [w.lower().rstrip(".") for _, w in stretch]
            parts = [part for part in parts if part not in TITLES]
            if all(part in known for part in parts):
                continue
            if all(part in flagged for part in parts):
                continue
            if len(stretch) == 1 and _named_in_full_later(text, stretch[0], known):
                # "Jason is likely to be Jason Tully": flag the person where named in full.
                continue
            flagged.update(parts)
            start = stretch[0][0]
            end = stretch[-1][0] + len(stretch[-1][1])
            found.append(Detail(start, end, NAME_MESSAGE, NAME_SUGGESTION))
    return found


def find_third_party(
    text: str,
    known_names: tuple[str, ...],
    sentences: Sentences,
    emails: list[tuple[int, int]] | None = None,
) -> list[Detail]:
    """`emails`: the spans of pasted emails, where the work contacts of the case's own people
    in headers and signatures are not flagged."""
    known = known_name_parts(known_names)
    details = _contacts(text, known, emails) + _referrers(text)
    taken = [(d.start, d.end) for d in details]
    names = _names(text, known, sentences)
    for detail in names:
        if not any(detail.start < e and s < detail.end for s, e in taken):
            details.append(detail)
    health: list[tuple[int, int]] = []
    if not names and not _OUTSIDER.search(text):
        return details
    for match in near(_HEALTH, lowered(text), _HEALTH_TRIGGERS):
        sentence_start, sentence_end = sentences.around(match.start())
        if any(sentence_start <= d.start < sentence_end for d in names) or _OUTSIDER.search(
            text, sentence_start, match.start()
        ):
            # Details of one person's health in one sentence make one finding.
            if health and sentences.around(health[-1][0]) == (sentence_start, sentence_end):
                health[-1] = (health[-1][0], match.end())
            else:
                health.append((match.start(), match.end()))
    details.extend(Detail(start, end, HEALTH_MESSAGE, HEALTH_SUGGESTION) for start, end in health)
    return details
