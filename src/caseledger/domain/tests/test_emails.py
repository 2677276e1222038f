"""Emails as the vault keeps them: who from, to whom, when, the subject, the bodies and the
attachments, from .eml files (RFC 5322) and Outlook .msg files (MAPI properties in an OLE
compound file, written here by the samples' small compound-file writer)."""

from __future__ import annotations

import io
import struct
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage

import pytest

from caseledger.domain import emails
from caseledger.domain.emails import Attachment, EmailUnreadableError, parse_eml, parse_msg
from caseledger.vault.tests import samples

SENT = datetime(2026, 11, 26, 9, 15, tzinfo=UTC)


def headers_then(body: bytes, **headers: str) -> bytes:
    lines = [f"{name.replace('_', '-')}: {value}".encode() for name, value in headers.items()]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def message(
    *,
    plain: str | None = "See the minutes attached.",
    html: str | None = None,
    attachments: Sequence[tuple[str | None, str, bytes]] = (),
) -> EmailMessage:
    email = EmailMessage()
    email["From"] = "Sam Okafor <sam.okafor@northmoor.example>"
    email["To"] = "Amira Khan <amira.khan@northmoor.example>"
    email["Subject"] = "Minutes"
    email["Date"] = "Thu, 26 Nov 2026 09:15:00 +0000"
    if plain is not None:
        email.set_content(plain)
    if html is not None:
        if plain is None:
            email.set_content(html, subtype="html")
        else:
            email.add_alternative(html, subtype="html")
    for name, media_type, data in attachments:
        main, sub = media_type.split("/")
        email.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return email


# --- .eml: people, subject, date ---------------------------------------------------------------


def test_sender_recipients_and_copies_are_shown_as_name_and_address():
    parsed = parse_eml(
        headers_then(
            b"Hello",
            From='"Okafor, Sam" <sam.okafor@northmoor.example>',
            To="Amira Khan <amira.khan@northmoor.example>, lewis.grant@northmoor.example",
            Cc="=?utf-8?q?Ren=C3=A9e_Dubois?= <renee.dubois@school.example>",
        )
    )
    assert parsed.sender == '"Okafor, Sam" <sam.okafor@northmoor.example>'
    assert parsed.to == "Amira Khan <amira.khan@northmoor.example>, lewis.grant@northmoor.example"
    assert parsed.cc == "Renée Dubois <renee.dubois@school.example>"


def test_a_display_name_with_an_encoded_comma_stays_one_person():
    parsed = parse_eml(
        headers_then(b"Hello", From="=?utf-8?q?Okafor=2C_Sam?= <sam.okafor@northmoor.example>")
    )
    assert parsed.sender == '"Okafor, Sam" <sam.okafor@northmoor.example>'


def test_missing_people_headers_are_empty():
    parsed = parse_eml(headers_then(b"Hello", Subject="No people"))
    assert (parsed.sender, parsed.to, parsed.cc) == ("", "", "")


@pytest.mark.parametrize(
    ("header", "subject"),
    [
        ("=?utf-8?q?R=C3=A9union_=E2=80=93_plan?=", "Réunion – plan"),
        ("=?UTF-8?B?UsOpdW5pb24g4oCTIHBsYW4=?=", "Réunion – plan"),
        ("=?utf-8?q?R=C3=A9union?= =?utf-8?b?IGZvciBOb2Fo?=", "Réunion for Noah"),
        ("=?iso-8859-1?q?Caf=E9_meeting?=", "Café meeting"),
        ("Strategy\r\n meeting\r\n\ton Thursday", "Strategy meeting on Thursday"),
    ],
    ids=["quoted-printable", "base64", "two-encoded-words", "latin-1", "folded"],
)
def test_encoded_and_folded_subjects_are_decoded(header, subject):
    assert parse_eml(headers_then(b"Hello", From="a@x.example", Subject=header)).subject == subject


@pytest.mark.parametrize(
    ("header", "sent_at"),
    [
        ("Thu, 26 Nov 2026 09:15:00 +0000", SENT),
        ("Thu, 26 Nov 2026 10:15:00 +0100", SENT),
        ("26 Nov 2026 04:15:00 -0500", SENT),
        ("Thu, 26 Nov 2026 09:15:00 GMT", SENT),
    ],
)
def test_the_date_is_read_with_its_time_zone(header, sent_at):
    parsed = parse_eml(headers_then(b"Hello", Date=header))
    assert parsed.sent_at == sent_at
    assert parsed.sent_at is not None and parsed.sent_at.utcoffset() is not None


def test_the_offset_the_sender_wrote_is_kept():
    parsed = parse_eml(headers_then(b"Hello", Date="Thu, 26 Nov 2026 10:15:00 +0100"))
    assert parsed.sent_at is not None
    assert parsed.sent_at.tzinfo == timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    "header",
    ["Thu, 26 Nov 2026 09:15:00 -0000", "Thu, 26 Nov 2026 09:15:00"],
    ids=["-0000", "none"],
)
def test_a_date_without_a_time_zone_is_taken_as_utc(header):
    parsed = parse_eml(headers_then(b"Hello", Date=header))
    assert parsed.sent_at == SENT
    assert parsed.sent_at is not None and parsed.sent_at.tzinfo is UTC


@pytest.mark.parametrize(
    "header",
    ["next Tuesday", "Thu, 99 Nov 2026 09:15:00 +0000", "Thu, 26 Nov 2026 25:61:00 +0000", " "],
)
def test_a_date_that_cannot_be_read_is_none(header):
    assert parse_eml(headers_then(b"Hello", From="a@x.example", Date=header)).sent_at is None


def test_an_email_without_a_date_has_none():
    assert parse_eml(headers_then(b"Hello", From="a@x.example")).sent_at is None


# --- .eml: bodies ------------------------------------------------------------------------------


def test_a_plain_email_has_a_text_body_and_no_html():
    parsed = parse_eml(samples.eml(body="The meeting is on Thursday."))
    assert parsed.text_body.strip() == "The meeting is on Thursday."
    assert parsed.html_body == ""


def test_both_alternatives_are_kept_and_the_html_is_returned_as_sent():
    html = "<p onclick='x()'>The meeting is on <b>Thursday</b>.</p><script>alert(1)</script>"
    parsed = parse_eml(samples.eml(body="The meeting is on Thursday.", html=html))
    assert parsed.text_body.strip() == "The meeting is on Thursday."
    assert parsed.html_body.strip() == html


def test_an_html_only_email_has_no_text_body():
    parsed = parse_eml(message(plain=None, html="<p>Only <i>HTML</i></p>").as_bytes())
    assert parsed.text_body == ""
    assert parsed.html_body.strip() == "<p>Only <i>HTML</i></p>"


def test_a_body_of_only_whitespace_counts_as_no_body():
    parsed = parse_eml(message(plain=" \r\n\t\n ", html="<p>The real words</p>").as_bytes())
    assert parsed.text_body == ""
    assert parsed.html_body.strip() == "<p>The real words</p>"


def test_a_quoted_printable_body_in_windows_1252_is_decoded():
    raw = (
        b"From: a@x.example\r\nContent-Type: text/plain; charset=windows-1252\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\nCaf=E9 =96 =80 5\r\n"
    )
    assert parse_eml(raw).text_body.strip() == "Café – € 5"


def test_a_body_in_an_unknown_charset_is_still_read():
    raw = (
        b"From: a@x.example\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\n"
        b"Plain words\r\n"
    )
    assert parse_eml(raw).text_body.strip() == "Plain words"


# --- .eml: attachments -------------------------------------------------------------------------


def test_attachments_are_kept_with_their_names_and_bytes():
    pdf = samples.pdf("Minutes")
    parsed = parse_eml(
        samples.eml(
            attachments=[("minutes.pdf", "application/pdf", pdf), ("photo.png", "image/png", b"P")]
        )
    )
    assert parsed.attachments == [
        Attachment(name="minutes.pdf", content=pdf),
        Attachment(name="photo.png", content=b"P"),
    ]
    assert parsed.attachments_left_out == []


def test_an_attachment_without_a_name_is_named_by_its_place():
    parsed = parse_eml(
        message(
            attachments=[
                ("a.txt", "text/plain", b"first"),
                (None, "application/octet-stream", b"second"),
            ]
        ).as_bytes()
    )
    assert [attachment.name for attachment in parsed.attachments] == ["a.txt", "attachment-2"]
    assert parsed.attachments[1].content == b"second"


def test_a_forwarded_email_becomes_an_eml_attachment():
    forwarded = EmailMessage()
    forwarded["From"] = "Head Teacher <head@school.example>"
    forwarded["Subject"] = "Attendance concerns for Noah"
    forwarded.set_content("Noah has missed six days this month.")
    outer = message(attachments=[("minutes.pdf", "application/pdf", b"%PDF-1.4")])
    outer.add_attachment(forwarded)
    parsed = parse_eml(outer.as_bytes())
    assert [attachment.name for attachment in parsed.attachments] == [
        "minutes.pdf",
        "forwarded-email-2.eml",
    ]
    inner = parse_eml(parsed.attachments[1].content)
    assert inner.subject == "Attendance concerns for Noah"
    assert inner.sender == "Head Teacher <head@school.example>"
    assert inner.text_body.strip() == "Noah has missed six days this month."


def test_a_forwarded_email_keeps_the_name_it_was_given():
    forwarded = EmailMessage()
    forwarded["Subject"] = "Original"
    forwarded.set_content("Words")
    outer = message()
    outer.add_attachment(forwarded)
    part = next(outer.iter_attachments())
    part.replace_header("Content-Disposition", 'attachment; filename="original.eml"')
    parsed = parse_eml(outer.as_bytes())
    assert [attachment.name for attachment in parsed.attachments] == ["original.eml"]


def test_attachments_past_the_limit_are_left_out_by_name(monkeypatch):
    monkeypatch.setattr(emails, "MAX_ATTACHMENTS", 2)
    parsed = parse_eml(
        samples.eml(
            attachments=[
                (f"page-{number}.txt", "text/plain", f"page {number}".encode())
                for number in range(1, 5)
            ]
        )
    )
    assert [attachment.name for attachment in parsed.attachments] == ["page-1.txt", "page-2.txt"]
    assert parsed.attachments_left_out == ["page-3.txt", "page-4.txt"]


def test_fifty_attachments_are_kept_and_the_fifty_first_is_left_out():
    parsed = parse_eml(
        samples.eml(attachments=[(f"{n}.txt", "text/plain", b"x") for n in range(1, 52)])
    )
    assert len(parsed.attachments) == 50
    assert parsed.attachments_left_out == ["51.txt"]


def test_a_message_that_is_not_an_email_parses_to_nothing_rather_than_failing():
    parsed = parse_eml(b"\x00\x01 not an email at all")
    assert (parsed.sender, parsed.subject, parsed.sent_at, parsed.attachments) == (
        "",
        "",
        None,
        [],
    )


# --- .msg --------------------------------------------------------------------------------------


def test_an_outlook_email_gives_subject_people_time_and_body():
    parsed = parse_msg(
        io.BytesIO(
            samples.outlook_msg(
                subject="Réunion – Thursday",
                sender_name="Sam Okafor",
                sender_address="sam.okafor@northmoor.example",
                to="Amira Khan; Lewis Grant",
                body="The strategy meeting is booked for Thursday at 10am.",
                sent_at=datetime(2026, 11, 26, 9, 15, 30, tzinfo=UTC),
            )
        )
    )
    assert parsed.subject == "Réunion – Thursday"
    assert parsed.sender == "Sam Okafor <sam.okafor@northmoor.example>"
    assert parsed.to == "Amira Khan; Lewis Grant"
    assert parsed.cc == ""
    assert parsed.sent_at == datetime(2026, 11, 26, 9, 15, 30, tzinfo=UTC)
    assert parsed.text_body == "The strategy meeting is booked for Thursday at 10am."
    assert parsed.html_body == ""


def test_an_outlook_emails_attachments_are_kept_by_their_long_file_names():
    pdf = samples.pdf("Minutes")
    parsed = parse_msg(
        io.BytesIO(
            samples.outlook_msg(
                attachments=[("Minutes of the strategy meeting.pdf", pdf), ("photo.jpg", b"J")]
            )
        )
    )
    assert parsed.attachments == [
        Attachment(name="Minutes of the strategy meeting.pdf", content=pdf),
        Attachment(name="photo.jpg", content=b"J"),
    ]


def text_stream(property_id: int, value: str) -> tuple[str, bytes]:
    return f"__substg1.0_{property_id:04X}001F", value.encode("utf-16-le")


def properties(*times: tuple[int, datetime], header: int = 32) -> bytes:
    """A property stream: its header, then 16-byte PT_SYSTIME entries."""
    epoch = datetime(1601, 1, 1, tzinfo=UTC)
    entries = b"".join(
        struct.pack("<IIQ", (tag << 16) | 0x0040, 6, filetime(moment - epoch))
        for tag, moment in times
    )
    return bytes(header) + entries


def filetime(since_1601: timedelta) -> int:
    """Hundreds of nanoseconds, as Windows counts time."""
    return since_1601 // timedelta(microseconds=1) * 10


def msg(streams: dict[str, bytes]) -> io.BytesIO:
    return io.BytesIO(samples.compound_file(streams))


def test_an_exchange_sender_address_is_left_out_and_only_the_name_shown():
    x500 = (
        "/O=NORTHMOOR/OU=EXCHANGE ADMINISTRATIVE GROUP (FYDIBOHF23SPDLT)/CN=RECIPIENTS/CN=SOKAFOR"
    )
    parsed = parse_msg(
        msg(
            dict(
                [
                    ("__properties_version1.0", properties((0x0039, SENT))),
                    text_stream(0x0037, "Strategy meeting"),
                    text_stream(0x0C1A, "Sam Okafor"),
                    text_stream(0x0C1F, x500),
                    text_stream(0x1000, "Body"),
                ]
            )
        )
    )
    assert parsed.sender == "Sam Okafor"
    assert parsed.subject == "Strategy meeting"


def test_the_sender_email_address_is_used_when_there_is_no_smtp_address():
    parsed = parse_msg(
        msg(
            dict(
                [
                    ("__properties_version1.0", properties()),
                    text_stream(0x0C1A, "Sam Okafor"),
                    text_stream(0x0C1F, "sam.okafor@northmoor.example"),
                ]
            )
        )
    )
    assert parsed.sender == "Sam Okafor <sam.okafor@northmoor.example>"


def test_narrow_string_properties_are_read_as_windows_1252():
    parsed = parse_msg(
        msg(
            {
                "__properties_version1.0": properties(),
                "__substg1.0_0037001E": b"Caf\xe9 \x96 \x80 budget\x00",
                "__substg1.0_0C1A001E": b"Ren\xe9e Dubois\x00",
                "__substg1.0_0E04001E": b"Amira Khan\x00",
                "__substg1.0_0E03001E": b"Zo\xeb Hart\x00",
                "__substg1.0_1000001E": b"\x93Quoted\x94 words\x00",
            }
        )
    )
    assert parsed.subject == "Café – € budget"
    assert parsed.sender == "Renée Dubois"
    assert parsed.to == "Amira Khan"
    assert parsed.cc == "Zoë Hart"
    assert parsed.text_body == "“Quoted” words"


def test_a_unicode_property_is_preferred_to_its_narrow_twin():
    parsed = parse_msg(
        msg(
            dict(
                [
                    ("__properties_version1.0", properties()),
                    ("__substg1.0_0037001E", b"Old narrow subject"),
                    text_stream(0x0037, "Réunion"),
                ]
            )
        )
    )
    assert parsed.subject == "Réunion"


def test_the_delivery_time_is_used_when_there_is_no_submit_time():
    parsed = parse_msg(msg({"__properties_version1.0": properties((0x0E06, SENT))}))
    assert parsed.sent_at == SENT


def test_an_outlook_email_without_times_has_no_sent_at():
    assert parse_msg(msg({"__properties_version1.0": properties()})).sent_at is None
    assert parse_msg(msg({"__substg1.0_0037001F": "x".encode("utf-16-le")})).sent_at is None


def test_an_html_body_is_read_from_its_binary_property():
    parsed = parse_msg(
        msg(
            {
                "__properties_version1.0": properties(),
                "__substg1.0_10130102": "<p>Caf\u00e9</p>".encode(),
            }
        )
    )
    assert parsed.html_body == "<p>Café</p>"
    assert parsed.text_body == ""


def test_an_attachment_storage_without_data_is_skipped():
    embedded = "__attach_version1.0_#00000000"
    kept = "__attach_version1.0_#00000001"
    parsed = parse_msg(
        msg(
            dict(
                [
                    ("__properties_version1.0", properties((0x0039, SENT))),
                    text_stream(0x0037, "Fwd: minutes"),
                    (f"{embedded}/__properties_version1.0", bytes(8)),
                    (f"{embedded}/__substg1.0_3707001F", "Original".encode("utf-16-le")),
                    (f"{embedded}/__substg1.0_3701000D/__properties_version1.0", bytes(24)),
                    (f"{kept}/__properties_version1.0", bytes(8)),
                    (f"{kept}/__substg1.0_3704001F", "MINUTE~1.PDF".encode("utf-16-le")),
                    (f"{kept}/__substg1.0_37010102", b"%PDF-1.4 minutes"),
                ]
            )
        )
    )
    assert parsed.attachments == [Attachment(name="MINUTE~1.PDF", content=b"%PDF-1.4 minutes")]
    assert parsed.attachments_left_out == []


def test_an_attachment_without_any_name_is_named_by_its_place():
    parsed = parse_msg(
        msg(
            {
                "__properties_version1.0": properties(),
                "__attach_version1.0_#00000000/__substg1.0_37010102": b"data",
            }
        )
    )
    assert parsed.attachments == [Attachment(name="attachment-1", content=b"data")]


def test_outlook_attachments_past_the_limit_are_left_out_by_name(monkeypatch):
    monkeypatch.setattr(emails, "MAX_ATTACHMENTS", 1)
    parsed = parse_msg(
        io.BytesIO(samples.outlook_msg(attachments=[("one.pdf", b"1"), ("two.pdf", b"2")]))
    )
    assert parsed.attachments == [Attachment(name="one.pdf", content=b"1")]
    assert parsed.attachments_left_out == ["two.pdf"]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not an outlook file at all",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        samples.outlook_msg()[:512],
    ],
    ids=["empty", "text", "header-only", "truncated"],
)
def test_garbage_is_not_an_outlook_email(data):
    with pytest.raises(EmailUnreadableError):
        parse_msg(io.BytesIO(data))
