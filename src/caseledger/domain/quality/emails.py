"""pasted_email: an email, or part of one, pasted into the note (recording rule 11).

The evidence is line by line: header lines (From:, Sent:, To:, Subject:, Cc:, Date:), quoted
reply lines ("> …"), "On … wrote:", "-----Original Message-----", forwarding markers, sign-offs
followed by contact lines, mobile and app footers ("Sent from my iPhone", "Get Outlook for
iOS"), and confidentiality, virus-scan and environment footers. Evidence lines next to each
other (blank lines apart) make one block; a header block takes in the first paragraph of the
email's body. A footer or a second header block separated from the first by the email's body is
a finding of its own, as an auditor would point to each. A single quoted sentence with its
source is a summary, not a paste, and raises nothing.

Each pattern runs once over the whole note (the note is read as the author types).
"""

from __future__ import annotations

import bisect
import re

from caseledger.domain.quality.text import lowered, near

_HEADER_NAMES = r"from|sent|to|cc|bcc|subject|date|importance|attachments?|reply-to"
_HEADER = re.compile(rf"^[ \t>]*({_HEADER_NAMES})[ \t]*:[ \t]*\S", re.MULTILINE)
# Headers flattened onto one line: "From: A Sent: 3 May 2025 To: B Subject: C".
_INLINE_HEADER = re.compile(r"(?:^|(?<=\s))(from|sent|to|cc|subject|date):\s", re.MULTILINE)
_STRONG = re.compile(
    r"^[ \t>]*(?:"
    r"-{2,}\s*(?:original message|forwarded message|forwarded by\b[^\n]*?)\s*-{2,}"
    r"|_{5,}\s*$"
    r"|begin forwarded message:?"
    r"|on\b[^\n]{4,200}\bwrote:"
    r"|on\b[^\n]{4,120}\d{1,2}:\d{2}[^\n]{0,60}<[^\n>]*@[^\n>]*>"
    r"|[^\n]{2,80}\bwrote:[ \t]*$"
    r"|sent from my (?:iphone|ipad|android|samsung|mobile|phone|galaxy|blackberry|huawei|"
    r"pixel|smartphone|tablet|sony|htc|nokia|motorola|oneplus|xiaomi)"
    r"|sent (?:from|via|using) (?:outlook|mail|yahoo|gmail|aol|the \w+ app|my \w+ device|"
    r"samsung|blackberry|bt mail)"
    r"|sent on the go"
    r"|get outlook for (?:ios|android|mac|windows)"
    r"|download outlook for"
    r"|(?:this )?(?:e-?mail|message) (?:has been|was) (?:sent|forwarded) (?:from|to|on behalf)"
    r")",
    re.MULTILINE,
)
_DISCLAIMER = re.compile(
    r"this (?:e-?mail|message|communication|transmission)(?: and any (?:files|attachments|"
    r"documents)(?: (?:transmitted|sent) with it)?)?(?: is| are| may be| contains?| and its "
    r"contents are)? (?:strictly |highly )?(?:private and )?(?:confidential|privileged|"
    r"intended (?:solely |only )?for)"
    r"|(?:if you are|you are) not the (?:intended|named|addressed) recipient"
    r"|the information (?:contained )?in this (?:e-?mail|message|communication)"
    r"(?: and any attachments)? (?:is|may be) (?:strictly )?(?:confidential|privileged)"
    r"|(?:please )?(?:consider|think about) the environment before printing"
    r"|(?:do you|do you really) need to print this"
    r"|save (?:paper|a tree)[^\n]{0,20}print"
    r"|(?:is|are) (?:intended )?(?:solely |only )?for the (?:use of the )?(?:named |intended )?"
    r"(?:recipient|addressee|individual)s?(?: only)?"
    r"|^[ \t>]*(?:disclaimer|confidentiality notice|confidentiality|privacy notice|"
    r"important notice|legal notice|caution|external email|external)\s*[:!-]"
    r"|^[ \t>]*(?:\[?external\]?|\*\*\s*external)"
    r"|if you have received (?:this|it) (?:e-?mail |message |communication )?in error"
    r"|received this (?:e-?mail|message) (?:in error|by mistake)"
    r"|views (?:or opinions )?expressed in this (?:e-?mail|message)"
    r"|e-?mails? (?:sent to|from|to and from) [^\n]{0,60}(?:may be |are |is )?monitored"
    r"|(?:e-?mail|message|attachments?) (?:has|have) been (?:scanned|checked|swept)"
    r"|scanned (?:for viruses|by (?:mimecast|symantec|sophos|messagelabs))"
    r"|virus[- ]?(?:checked|scanned|free|scanning|protection)"
    r"|\b(?:mimecast|messagelabs|symantec cloud|sophos email)\b"
    r"|this (?:e-?mail|message) originated (?:from )?outside"
    r"|originated from outside (?:of )?(?:the|our|this) (?:organisation|organization|council)"
    r"|do not click links or open attachments"
    r"|unless you recogni[sz]e the sender",
    re.MULTILINE,
)
# Every match of _DISCLAIMER holds one of these.
_DISCLAIMER_TRIGGERS = (
    "confidential",
    "privileged",
    "intended",
    "recipient",
    "addressee",
    "environment",
    "print",
    "disclaimer",
    "notice",
    "caution",
    "external",
    "in error",
    "by mistake",
    "expressed in this",
    "monitored",
    "scanned",
    "checked",
    "swept",
    "virus",
    "mimecast",
    "messagelabs",
    "symantec",
    "sophos",
    "originated",
    "click links",
    "recogni",
)
_QUOTE_LINE = re.compile(r"^[ \t]*>", re.MULTILINE)
_SIGN_OFF = re.compile(
    r"^[ \t]*(?:kind(?:est)? regards|best regards|warm(?:est)? regards|many regards|"
    r"with regards|regards|best wishes|all the best|best|many thanks|thanks(?: again)?|"
    r"thank you|yours sincerely|yours faithfully|yours truly|sincerely|cheers|speak soon|"
    r"take care|kr|br)[ \t,.!]*$",
    re.MULTILINE,
)
_CONTACT_LINE = re.compile(
    r"^[ \t]*(?:tel|telephone|phone|ph|t|m|mob|mobile|direct(?: line| dial)?|dd|ext|fax|"
    r"email|e-mail|e|web|website|www|office|switchboard|work mobile|teams)\b[ .:]"
    r"|^[ \t]*[\w.+-]+@[\w-]+(?:\.[\w-]+)+[ \t]*$"
    r"|^[ \t]*(?:\+44|0)[\d \t()-]{9,}$"
    r"|^[ \t]*www\."
    r"|^[ \t]*(?:working days|my working (?:days|hours|pattern)|pronouns)\b"
    r"|^[ \t]*(?:[a-z]+ )?(?:officer|manager|worker|lead|coordinator|co-ordinator|"
    r"practitioner|advisor|adviser|nurse|visitor|teacher|headteacher|head of [a-z ]+|"
    r"senco|administrator|assistant|director|consultant|solicitor|paralegal|caseworker|"
    r"clerk|secretary|team leader|deputy head(?:teacher)?|dsl)[ \t]*(?:[,|-][^\n]{0,60})?$",
    re.MULTILINE,
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


_MOBILE_FOOTER = re.compile(r"[ \t>]*(?:sent (?:from|via|using) |get outlook for )")
_SEPARATOR = re.compile(
    r"[ \t>]*(?:-{2,}\s*(?:original message|forwarded message)|_{5,}|begin forwarded)"
)


def _evidence(text: str, low: str, starts: list[int]) -> tuple[set[int], set[int], set[int]]:
    """Indexes of the lines that show an email was pasted; which of them are headers; and
    which are a signature (a sign-off and the contact lines under it)."""

    def line_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset) - 1

    evidence: set[int] = set()
    header_names: dict[int, str] = {}
    if ":" in text:
        for match in _HEADER.finditer(low):
            header_names.setdefault(line_of(match.start()), match.group(1))
        inline: dict[int, set[str]] = {}
        flattened = "from:" in low and ("sent:" in low or "subject:" in low)
        for match in _INLINE_HEADER.finditer(low) if flattened else ():
            inline.setdefault(line_of(match.start()), set()).add(match.group(1))
        for index, names in inline.items():
            if len(names) >= 3 and names & {"from", "sent", "subject"}:
                evidence.add(index)
    for match in _STRONG.finditer(low):
        evidence.add(line_of(match.start()))
    for match in near(_DISCLAIMER, low, _DISCLAIMER_TRIGGERS, reach=200):
        evidence.add(line_of(match.start()))
    quoted = [line_of(m.start()) for m in _QUOTE_LINE.finditer(text)] if ">" in text else []
    signature: set[int] = set()
    sign_offs = [line_of(m.start()) for m in _SIGN_OFF.finditer(low)]
    if sign_offs:
        contact_lines = sorted({line_of(m.start()) for m in _CONTACT_LINE.finditer(low)})
        for index in sign_offs:
            contact = [i for i in contact_lines if index < i <= index + _SIGNATURE_REACH]
            if contact:
                signature.update(range(index, max(contact) + 1))
        evidence |= signature
    # Header lines count when two or more different headers sit close together and one of
    # them is From, Sent or Subject: "Date:" and "To:" alone head many meeting notes.
    ordered = sorted(header_names)
    headers: set[int] = set()
    for position, index in enumerate(ordered):
        window = [i for i in ordered[max(0, position - 6) : position + 7] if abs(i - index) <= 6]
        names = {header_names[i] for i in window}
        if len(names) >= 2 and names & {"from", "sent", "subject"}:
            evidence.add(index)
            headers.add(index)
    # Quoted reply lines count in twos, or beside other evidence.
    for index in quoted:
        neighbours = [i for i in quoted if i != index and abs(i - index) <= 2]
        if neighbours or any(abs(i - index) <= _GAP_LINES for i in evidence):
            evidence.add(index)
    return evidence, headers, signature


def find_pasted_emails(text: str) -> list[tuple[int, int]]:
    """The character spans of the pasted blocks."""
    low = lowered(text)
    lines = text.split("\n")
    starts: list[int] = []
    position = 0
    for line in lines:
        starts.append(position)
        position += len(line) + 1
    evidence, headers, signature = _evidence(text, low, starts)
    if not evidence:
        return []
    # Each block is [first line, last evidence line, last line it covers].
    blocks: list[list[int]] = []
    for index in sorted(evidence):
        if blocks and index <= blocks[-1][2]:
            blocks[-1][1] = index
            continue
        if blocks:
            _, last, covered = blocks[-1]
            blank_between = all(not lines[i].strip() for i in range(covered + 1, index))
            if _MOBILE_FOOTER.match(low, starts[last]) or (
                last in signature and index not in signature and not lines[index - 1].strip()
            ):
                # A mobile footer ends an email, and so does a signature with a blank line
                # under it: what follows is another finding.
                join = False
            elif index in headers and last not in headers:
                # A new header block is a new email, unless a reply separator heads it.
                join = blank_between and bool(_SEPARATOR.match(low, starts[last]))
            elif index in signature or _SEPARATOR.match(low, starts[index]):
                # A signature closes the email above it; a reply separator continues it.
                join = index - last <= _GAP_LINES
            else:
                # A footer after the email's body is a finding of its own.
                join = blank_between and covered == last
            if join:
                blocks[-1][1] = index
                blocks[-1][2] = max(covered, index)
            else:
                blocks.append([index, index, index])
        else:
            blocks.append([index, index, index])
        # A header block is followed by the email's body: take in its first paragraph.
        if index in headers and index + 1 not in headers:
            following = index + 1
            while following < len(lines) and not lines[following].strip():
                following += 1
            while following < len(lines) and lines[following].strip() and following not in evidence:
                blocks[-1][2] = following
                following += 1
    spans: list[tuple[int, int]] = []
    for first, _, covered in blocks:
        start, end = starts[first], starts[covered] + len(lines[covered])
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans
