"""pasted_email: an email, or part of one, pasted into the note (recording rule 11).

The evidence is line by line: header lines (From:, Sent:, To:, Subject:, Cc:, Date:), quoted
reply lines ("> …"), "On … wrote:", "-----Original Message-----", forwarding markers, sign-offs
followed by contact lines, and confidentiality footers. Lines of evidence close together make
one block, and the block is one finding. A single quoted sentence with its source is a summary,
not a paste, and raises nothing.
"""

from __future__ import annotations

import re

_HEADER = re.compile(
    r"^[ \t>]*(from|sent|to|cc|bcc|subject|date|importance|attachments?)[ \t]*:[ \t]*\S",
    re.IGNORECASE,
)
# Headers flattened onto one line: "From: A Sent: 3 May 2025 To: B Subject: C".
_INLINE_HEADER = re.compile(r"(?:^|(?<=\s))(From|Sent|To|Cc|Subject|Date):\s", re.IGNORECASE)
_STRONG = re.compile(
    r"^[ \t]*(?:"
    r"-{2,}\s*(?:original message|forwarded message)\s*-{2,}"
    r"|begin forwarded message:?"
    r"|on\b.{4,200}\bwrote:"
    r"|sent from my (?:iphone|ipad|android|samsung|mobile|phone|galaxy)"
    r"|sent from (?:outlook|mail) for"
    r"|get outlook for (?:ios|android)"
    r")",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(
    r"this (?:e-?mail|message|communication)(?: and any (?:files|attachments)"
    r"(?: transmitted with it)?)?(?: is| are| may be)? (?:strictly )?(?:private and )?"
    r"confidential"
    r"|(?:if you are|you are) not the intended recipient"
    r"|the information (?:contained )?in this (?:e-?mail|message) is (?:strictly )?confidential"
    r"|please consider the environment before printing"
    r"|(?:is|are) (?:intended )?(?:solely |only )?for the (?:use of the )?(?:named |intended )?"
    r"(?:recipient|addressee)s?(?: only)?"
    r"|^[ \t>]*disclaimer\s*:"
    r"|if you have received (?:this|it) (?:e-?mail |message )?in error"
    r"|views expressed in this (?:e-?mail|message)"
    r"|e-?mails? (?:sent to|from) .{0,40}(?:may be )?monitored",
    re.IGNORECASE,
)
_QUOTE_LINE = re.compile(r"^[ \t]*>")
_SIGN_OFF = re.compile(
    r"^[ \t]*(?:kind(?:est)? regards|best regards|warm(?:est)? regards|regards|best wishes|"
    r"many thanks|thanks(?: again)?|thank you|yours sincerely|yours faithfully|cheers)[ \t,.!]*$",
    re.IGNORECASE,
)
_CONTACT_LINE = re.compile(
    r"^[ \t]*(?:tel|telephone|phone|mob|mobile|direct(?: line| dial)?|ext|fax|email|e-mail|"
    r"web|www)\b[ .:]"
    r"|^[ \t]*[\w.+-]+@[\w-]+(?:\.[\w-]+)+[ \t]*$"
    r"|^[ \t]*(?:\+44|0)[\d \t()-]{9,}$"
    r"|^[ \t]*www\.",
    re.IGNORECASE,
)
# Lines of evidence further apart than this are separate pastes.
_GAP_LINES = 12
# A sign-off is a signature only if a contact line follows within this many lines.
_SIGNATURE_REACH = 5

MESSAGE = (
    "Emails are never pasted into case notes (recording rule 11): store the email as a "
    "document and summarise it here."
)
SUGGESTION = (
    "Store the email as a document, then write what it means for the child in a sentence "
    "or two, with who sent it and when."
)


def _lines(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    position = 0
    for line in text.split("\n"):
        spans.append((position, position + len(line)))
        position += len(line) + 1
    return spans


def _evidence(text: str, lines: list[tuple[int, int]]) -> list[int]:
    """Indexes of the lines that show an email was pasted."""
    header_names: dict[int, str] = {}
    evidence: set[int] = set()
    quoted: list[int] = []
    for index, (start, end) in enumerate(lines):
        line = text[start:end]
        if not line.strip():
            continue
        header = _HEADER.match(line)
        if header:
            header_names[index] = header.group(1).lower()
        inline = {m.group(1).lower() for m in _INLINE_HEADER.finditer(line)}
        if len(inline) >= 3 and inline & {"from", "sent", "subject"}:
            evidence.add(index)
        if _STRONG.match(line) or _DISCLAIMER.search(line):
            evidence.add(index)
        if _QUOTE_LINE.match(line):
            quoted.append(index)
        if _SIGN_OFF.match(line):
            reach = lines[index + 1 : index + 1 + _SIGNATURE_REACH]
            contact = [
                index + 1 + offset
                for offset, (s, e) in enumerate(reach)
                if _CONTACT_LINE.search(text[s:e])
            ]
            if contact:
                evidence.update(range(index, max(contact) + 1))
    # Header lines count when two or more different headers sit close together and one of
    # them is From, Sent or Subject: "Date:" and "To:" alone head many meeting notes.
    ordered = sorted(header_names)
    for position, index in enumerate(ordered):
        window = [i for i in ordered[max(0, position - 6) : position + 7] if abs(i - index) <= 6]
        names = {header_names[i] for i in window}
        if len(names) >= 2 and names & {"from", "sent", "subject"}:
            evidence.add(index)
    # Quoted reply lines count in twos, or beside other evidence.
    for index in quoted:
        neighbours = [i for i in quoted if i != index and abs(i - index) <= 2]
        if neighbours or any(abs(i - index) <= _GAP_LINES for i in evidence):
            evidence.add(index)
    return sorted(evidence)


def find_pasted_emails(text: str) -> list[tuple[int, int]]:
    """The character spans of the pasted blocks."""
    if ":" not in text and ">" not in text and "\n" not in text and "onfidential" not in text:
        return []
    lines = _lines(text)
    evidence = _evidence(text, lines)
    blocks: list[tuple[int, int]] = []
    for index in evidence:
        if blocks and index - blocks[-1][1] <= _GAP_LINES:
            blocks[-1] = (blocks[-1][0], index)
        else:
            blocks.append((index, index))
    spans: list[tuple[int, int]] = []
    for first, last in blocks:
        start, end = lines[first][0], lines[last][1]
        # A header block is followed by the email's body: take in its first paragraph.
        if _HEADER.match(text[lines[last][0] : lines[last][1]]):
            following = last + 1
            while following < len(lines) and not text[slice(*lines[following])].strip():
                following += 1
            while following < len(lines) and text[slice(*lines[following])].strip():
                end = lines[following][1]
                following += 1
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans
