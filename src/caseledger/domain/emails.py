"""Emails as the vault keeps them: who from, to whom, when, the subject, the body, and the
attachments, read from an .eml file (RFC 5322, with the standard library's parser) or an
Outlook .msg file (an OLE compound file of MAPI properties, read with olefile: [MS-OXMSG]).

Recording rule 11 (PRODUCT.md): an email is stored as a document and the note summarises it;
it is never pasted. The HTML body is returned as sent; it is untrusted and must be sanitised
before anyone sees it (the vault does that with nh3 on display). Pure Python: no Django.
"""

from __future__ import annotations

import base64
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import errors, policy
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any, BinaryIO

import olefile

# An email may carry this many attachments; more is not correspondence but an archive.
MAX_ATTACHMENTS = 50
MAX_BODY_CHARACTERS = 2_000_000


class EmailUnreadableError(Exception):
    """The file is not an email this parser can read."""


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes


@dataclass(frozen=True)
class ParsedEmail:
    sender: str = ""
    to: str = ""
    cc: str = ""
    sent_at: datetime | None = None
    subject: str = ""
    text_body: str = ""
    html_body: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    # Attachments not taken (over the limit): their names, for the page to list.
    attachments_left_out: list[str] = field(default_factory=list)


def _address(name: str, address: str) -> str:
    """ "Name <address>", or the name alone; never raises on an address that does not parse."""
    if not address:
        return name
    try:
        return str(Address(display_name=name, addr_spec=address))
    except (ValueError, TypeError, IndexError, errors.MessageError):
        return f"{name} <{address}>" if name else address


def _people(values: list[str]) -> str:
    """ "Name <address>" for each, joined with commas; the header's own text where it does not
    parse as a list of addresses (a display name with an unquoted comma, say)."""
    raw = ", ".join(" ".join(str(value).split()) for value in values if value)
    try:
        pairs = getaddresses([str(value) for value in values])
    except (ValueError, TypeError, IndexError, errors.MessageError):
        return raw
    if any(address and "@" not in address for _, address in pairs):
        return raw
    shown = [_address(name, address) for name, address in pairs if name or address]
    return ", ".join(shown) if shown else raw


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, IndexError, AttributeError):  # a malformed header
        value = message.get_all(name, failobj=[""])[0] if message.get_all(name) else ""
    return " ".join(str(value).split()) if value is not None else ""


def _decoded(part: Any) -> str:
    """A body part's text; a body of only whitespace is no body."""
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) and content.strip() else ""


def parse_eml(data: bytes) -> ParsedEmail:
    """An .eml file's facts. Anything the parser cannot make sense of is an unreadable
    email, never an error escaping to the upload."""
    try:
        return _without_nul(_parse_eml(data))
    except EmailUnreadableError:
        raise
    except Exception as error:  # the standard library's parser, on hostile input
        raise EmailUnreadableError("not a readable email") from error


def _parse_eml(data: bytes) -> ParsedEmail:
    message = BytesParser(policy=policy.default).parsebytes(data)
    if not isinstance(message, EmailMessage):
        raise EmailUnreadableError("not an email")
    sent_at: datetime | None = None
    if date_text := _header(message, "Date"):
        try:
            sent_at = parsedate_to_datetime(date_text)
        except (TypeError, ValueError, IndexError):
            sent_at = None
        if sent_at is not None and sent_at.tzinfo is None:
            sent_at = sent_at.replace(tzinfo=UTC)
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    attachments: list[Attachment] = []
    left_out: list[str] = []
    for index, part in enumerate(message.iter_attachments(), start=1):
        if not isinstance(part, EmailMessage):
            continue
        name = part.get_filename() or f"attachment-{index}"
        if part.get_content_type() == "message/rfc822":
            inner: Any = part.get_payload()
            content: Any
            encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
            if encoding == "base64":
                # Some programs base64-encode a forwarded message, which RFC 2046 does not
                # allow for message/rfc822: the parser then takes the encoded text for the
                # body of a message with no headers.
                encoded = inner[0].get_payload() if isinstance(inner, list) and inner else inner
                content = base64.b64decode(str(encoded), validate=False)
            elif isinstance(inner, list) and inner and isinstance(inner[0], Message):
                content = inner[0].as_bytes(policy=policy.SMTP)
            else:
                content = part.get_payload(decode=True)
            name = part.get_filename() or f"forwarded-email-{index}.eml"
        else:
            content = part.get_payload(decode=True)
        if not isinstance(content, bytes):
            continue
        if len(attachments) >= MAX_ATTACHMENTS:
            left_out.append(name)
            continue
        attachments.append(Attachment(name=name, content=content))
    return ParsedEmail(
        sender=_people(message.get_all("From", [])),
        to=_people(message.get_all("To", [])),
        cc=_people(message.get_all("Cc", [])),
        sent_at=sent_at,
        subject=_header(message, "Subject"),
        text_body=_decoded(text_part)[:MAX_BODY_CHARACTERS] if text_part is not None else "",
        html_body=_decoded(html_part)[:MAX_BODY_CHARACTERS] if html_part is not None else "",
        attachments=attachments,
        attachments_left_out=left_out,
    )


# --- Outlook .msg ([MS-OXMSG]) ---------------------------------------------------------------

# Property ids ([MS-OXPROPS]).
PR_SUBJECT = 0x0037
PR_CLIENT_SUBMIT_TIME = 0x0039
PR_SENDER_NAME = 0x0C1A
PR_SENDER_EMAIL_ADDRESS = 0x0C1F
PR_SENDER_SMTP_ADDRESS = 0x5D01
PR_DISPLAY_CC = 0x0E03
PR_DISPLAY_TO = 0x0E04
PR_MESSAGE_DELIVERY_TIME = 0x0E06
PR_BODY = 0x1000
PR_HTML = 0x1013
PR_ATTACH_DATA_BIN = 0x3701
PR_ATTACH_FILENAME = 0x3704
PR_ATTACH_LONG_FILENAME = 0x3707
# Property types.
PT_STRING8 = 0x001E
PT_UNICODE = 0x001F
PT_BINARY = 0x0102
PT_SYSTIME = 0x0040

_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


def _stream_name(property_id: int, property_type: int) -> str:
    return f"__substg1.0_{property_id:04X}{property_type:04X}"


class _Storage:
    """One storage of a .msg file (the message, or an attachment): its properties."""

    def __init__(
        self, ole: olefile.OleFileIO, prefix: list[str], header_size: int, budget: list[int]
    ) -> None:
        self.ole = ole
        self.prefix = prefix
        self.header_size = header_size
        # Bytes left to read from the whole file: streams may share sectors, so a small file
        # could otherwise be read as many large ones.
        self.budget = budget

    def _read(self, name: str) -> bytes | None:
        path = [*self.prefix, name]
        if not self.ole.exists("/".join(path)):
            return None
        size = int(self.ole.get_size(path))
        if size > self.budget[0]:
            raise EmailUnreadableError("the message's parts are larger than the file")
        self.budget[0] -= size
        data: bytes = self.ole.openstream(path).read()
        return data

    def text(self, property_id: int) -> str:
        unicode = self._read(_stream_name(property_id, PT_UNICODE))
        if unicode is not None:
            return unicode.decode("utf-16-le", errors="replace").rstrip("\x00")
        narrow = self._read(_stream_name(property_id, PT_STRING8))
        if narrow is not None:
            return narrow.decode("cp1252", errors="replace").rstrip("\x00")
        return ""

    def binary(self, property_id: int) -> bytes | None:
        return self._read(_stream_name(property_id, PT_BINARY))

    def time(self, property_id: int) -> datetime | None:
        """A fixed-length property, from the storage's property stream: 16-byte entries of
        tag, flags and an 8-byte value after the stream's header."""
        data = self._read("__properties_version1.0")
        if data is None:
            return None
        wanted = (property_id << 16) | PT_SYSTIME
        for offset in range(self.header_size, len(data) - 15, 16):
            tag, _flags, value = struct.unpack_from("<IIQ", data, offset)
            if tag == wanted:
                if value == 0:
                    return None
                try:
                    return _FILETIME_EPOCH + timedelta(microseconds=value // 10)
                except OverflowError:
                    return None
        return None


def parse_msg(stream: BinaryIO) -> ParsedEmail:
    """An Outlook message's facts. A malformed file (shared sectors, broken streams, anything
    the container parser trips on) is an unreadable email, never an error escaping."""
    stream.seek(0)
    size = stream.seek(0, 2)
    stream.seek(0)
    try:
        # A stream referenced twice is refused rather than read twice (olefile only logs it
        # by default).
        ole = olefile.OleFileIO(stream, raise_defects=olefile.DEFECT_INCORRECT)
    except Exception as error:  # olefile's own errors, and Python's, on hostile input
        raise EmailUnreadableError("not an Outlook message") from error
    try:
        return _without_nul(_parse_msg(ole, budget=[size * 2]))
    except EmailUnreadableError:
        raise
    except Exception as error:
        raise EmailUnreadableError("not a readable Outlook message") from error
    finally:
        ole.close()


def _parse_msg(ole: olefile.OleFileIO, *, budget: list[int]) -> ParsedEmail:
    # The top-level property stream has a 32-byte header; an attachment's has 8.
    message = _Storage(ole, [], 32, budget)
    sender_name = message.text(PR_SENDER_NAME)
    sender_address = message.text(PR_SENDER_SMTP_ADDRESS) or message.text(PR_SENDER_EMAIL_ADDRESS)
    if sender_address and "@" not in sender_address:
        sender_address = ""  # an Exchange X.500 address means nothing to the reader
    sender = _address(sender_name, sender_address)
    html = message.binary(PR_HTML)
    attachments: list[Attachment] = []
    left_out: list[str] = []
    storages = sorted(
        {
            path[0]
            for path in ole.listdir(streams=True, storages=True)
            if path and path[0].startswith("__attach_version1.0_")
        }
    )
    for index, storage_name in enumerate(storages, start=1):
        attachment = _Storage(ole, [storage_name], 8, budget)
        name = (
            attachment.text(PR_ATTACH_LONG_FILENAME)
            or attachment.text(PR_ATTACH_FILENAME)
            or f"attachment-{index}"
        )
        content = attachment.binary(PR_ATTACH_DATA_BIN)
        if content is None:
            continue  # an embedded message or OLE object: not a file to keep
        if len(attachments) >= MAX_ATTACHMENTS:
            left_out.append(name)
            continue
        attachments.append(Attachment(name=name, content=content))
    return ParsedEmail(
        sender=sender,
        to=message.text(PR_DISPLAY_TO),
        cc=message.text(PR_DISPLAY_CC),
        sent_at=message.time(PR_CLIENT_SUBMIT_TIME) or message.time(PR_MESSAGE_DELIVERY_TIME),
        subject=message.text(PR_SUBJECT),
        text_body=message.text(PR_BODY)[:MAX_BODY_CHARACTERS],
        html_body=(html.decode("utf-8", errors="replace")[:MAX_BODY_CHARACTERS] if html else ""),
        attachments=attachments,
        attachments_left_out=left_out,
    )


def _without_nul(email: ParsedEmail) -> ParsedEmail:
    """The same email with NUL characters removed from its text: an encoded header or a
    property may carry one, and PostgreSQL refuses them in text columns."""

    def clean(text: str) -> str:
        return text.replace("\x00", "")

    return ParsedEmail(
        sender=clean(email.sender),
        to=clean(email.to),
        cc=clean(email.cc),
        sent_at=email.sent_at,
        subject=clean(email.subject),
        text_body=clean(email.text_body),
        html_body=clean(email.html_body),
        attachments=[
            Attachment(name=clean(item.name), content=item.content) for item in email.attachments
        ],
        attachments_left_out=[clean(name) for name in email.attachments_left_out],
    )
