"""What the evidence vault takes, decided by a file's bytes: every accepted kind, the name's
extension checked against the content, and a hostile corpus refused with the exact message a
person sees. File names are made safe to show and to serve (property-tested with hypothesis).

Large inputs (zip bombs, long files read in pieces) are made small by lowering the module's
limits with monkeypatch, so the same code paths run in milliseconds.
"""

from __future__ import annotations

import io
import re
import string
import struct
import unicodedata
import zipfile
import zlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseledger.domain import filetypes
from caseledger.domain.filetypes import (
    MAX_FILE_NAME_LENGTH,
    FileKind,
    FileRefusedError,
    Identified,
    extension_of,
    identify,
    named_for,
    read_archive_member,
    sanitise_file_name,
)
from caseledger.vault.tests import samples

MUST = (
    "The file must be a PDF, Word document (.docx), JPEG or PNG image, text file, or email "
    "(.eml or .msg)"
)
PROGRAM = f"The selected file is a program, which is not accepted. {MUST}"
NOT_ACCEPTED = f"This type of file is not accepted. {MUST}"
MARKUP = (
    "Web pages, SVG images and other markup files are not accepted, because they can carry "
    "programs. Save it as a PDF, then upload it"
)
EMPTY = "The selected file is empty"
ZIP_BOMB = (
    "The Word document unpacks to far more than a document needs, so it is not accepted. "
    "Save it as a PDF, then upload that"
)
OUTSIDE = (
    "The Word document holds files that point outside it, so it is not accepted. "
    "Save it as a PDF, then upload that"
)
MACROS = (
    "Word documents with macros are not accepted. Save it as a .docx without macros, or as a "
    "PDF, then upload it"
)
DOCX_DAMAGED = "The Word document is damaged. Save it again, then upload it"
DOCX_LOCKED = (
    "The Word document is damaged or password-protected. Save it again without a password, "
    "then upload it"
)
NOT_A_DOCX = f"The selected file is an archive, not a Word document. {MUST}"
PDF_DAMAGED = "The PDF is incomplete or damaged. Download or save it again, then upload it"
IMAGE_DAMAGED = "The image is damaged. Save it again, then upload it"
OLD_OFFICE = (
    "Word 97-2003 (.doc), Excel and other older Office files are not accepted. Save it as a "
    ".docx or PDF, then upload it"
)
MSG_DAMAGED = "The Outlook email is damaged. Save it again, then upload it"


def kind_of(data: bytes, name: str) -> Identified:
    return identify(io.BytesIO(data), name=name, size=len(data))


def refusal(data: bytes, name: str) -> str:
    with pytest.raises(FileRefusedError) as caught:
        kind_of(data, name)
    assert str(caught.value) == caught.value.message
    return caught.value.message


def too_large(width: int, height: int) -> str:
    return (
        f"The image is too large ({width:,} × {height:,} pixels). Save it at a smaller size, "
        "or as a PDF, then upload it"
    )


def mismatch(name: str, named: str, looks: str) -> str:
    return (
        f"The file is called ‘{name}’ but it is not {named}: it looks like {looks}. Check you "
        "chose the right file, or save it with the right extension"
    )


def zipped(*entries: tuple[str | zipfile.ZipInfo, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return out.getvalue()


def word_parts(*extra: tuple[str | zipfile.ZipInfo, bytes]) -> bytes:
    """A Word document's two required parts, then `extra` entries."""
    return zipped(
        ("[Content_Types].xml", samples.CONTENT_TYPES),
        ("word/document.xml", samples.document_xml("Hello")),
        *extra,
    )


# --- Every accepted kind, from its bytes -----------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (samples.pdf("Strategy meeting minutes"), "minutes.pdf", FileKind.PDF),
        (samples.docx("Assessment", "Second paragraph"), "assessment.docx", FileKind.DOCX),
        (samples.jpeg(), "photo.jpg", FileKind.JPEG),
        (samples.jpeg(), "photo.jpeg", FileKind.JPEG),
        (samples.png(), "scan.png", FileKind.PNG),
        (b"Visit notes: the children were at home.\n", "notes.txt", FileKind.TEXT),
        (samples.eml(), "meeting.eml", FileKind.EML),
        (samples.outlook_msg(), "meeting.msg", FileKind.MSG),
    ],
)
def test_each_accepted_kind_is_identified_from_its_bytes(data, name, kind):
    assert kind_of(data, name) == Identified(kind=kind, active_content=False)


def test_the_extension_is_matched_whatever_its_case():
    assert kind_of(samples.pdf("x"), "MINUTES.PDF").kind is FileKind.PDF
    assert kind_of(samples.jpeg(), "Photo.JPG").kind is FileKind.JPEG


def test_a_pdf_whose_header_follows_a_short_preamble_is_still_a_pdf():
    # Readers look for %PDF- in the first kilobyte, so a PDF may start a few bytes in.
    data = b"\r\n" * 10 + samples.pdf("x")
    assert kind_of(data, "letter.pdf").kind is FileKind.PDF


def test_a_jpeg_with_fill_bytes_before_a_marker_is_read_to_its_frame_header():
    data = b"\xff\xd8\xff\xff" + samples.jpeg()[2:]
    assert kind_of(data, "photo.jpg").kind is FileKind.JPEG


# --- The extension must agree with the content ------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (samples.png(), "scan.pdf", mismatch("scan.pdf", "a PDF", "a PNG image")),
        (samples.pdf("x"), "letter.docx", mismatch("letter.docx", "a Word document", "a PDF")),
        (samples.jpeg(), "photo.png", mismatch("photo.png", "a PNG image", "a JPEG image")),
        (b"plain words", "notes.pdf", mismatch("notes.pdf", "a PDF", "a text file")),
        (samples.eml(), "meeting.docx", mismatch("meeting.docx", "a Word document", "an email")),
        (
            samples.outlook_msg(),
            "meeting.txt",
            mismatch("meeting.txt", "a text file", "an Outlook email"),
        ),
        (
            samples.docx("x"),
            "report.jpg",
            mismatch("report.jpg", "a JPEG image", "a Word document"),
        ),
    ],
)
def test_a_file_whose_extension_disagrees_with_its_content_is_refused_naming_both(
    data, name, message
):
    assert refusal(data, name) == message


def test_the_mismatch_message_shows_the_name_made_safe():
    message = refusal(samples.png(), "../../secret/scan\u202e.pdf")
    assert message == mismatch("scan.pdf", "a PDF", "a PNG image")


def test_text_named_as_an_email_is_refused_in_good_english():
    assert refusal(b"plain words", "notes.eml") == mismatch("notes.eml", "an email", "a text file")


def test_a_pdf_named_as_an_outlook_email_is_refused_in_good_english():
    assert refusal(samples.pdf("x"), "mail.msg") == mismatch(
        "mail.msg", "an Outlook email", "a PDF"
    )


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("report.exe", "‘.exe’ files"),
        ("REPORT.HTML", "‘.html’ files"),
        ("report.doc", "‘.doc’ files"),
    ],
)
def test_an_extension_outside_the_allowlist_is_refused_even_for_good_content(name, shown):
    assert refusal(samples.pdf("x"), name) == f"{shown} are not accepted. {MUST}"


@pytest.mark.parametrize("name", ["report", "report.", ""])
def test_a_name_without_an_extension_is_refused(name):
    assert refusal(samples.pdf("x"), name) == f"Files without an extension are not accepted. {MUST}"


# --- Hostile corpus: programs, other formats, markup -------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48,
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56,
        b"#!/bin/sh\nrm -rf ~\n",
        b"#!/usr/bin/env python3\nimport os\n",
        b"\xca\xfe\xba\xbe\x00\x00\x00\x02",
        b"\xcf\xfa\xed\xfe\x07\x00\x00\x01",
    ],
    ids=["windows-exe", "linux-elf", "shell-script", "python-script", "java-class", "mach-o"],
)
@pytest.mark.parametrize("name", ["minutes.pdf", "notes.txt", "photo.jpg"])
def test_a_renamed_executable_is_refused(data, name):
    assert refusal(data, name) == PROGRAM


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00",
        b"GIF87a\x01\x00\x01\x00",
        b"II*\x00\x08\x00\x00\x00",
        b"MM\x00*\x00\x00\x00\x08",
        b"Rar!\x1a\x07\x01\x00",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03",
        b"7z\xbc\xaf\x27\x1c\x00\x04",
        b"RIFF\x24\x00\x00\x00WEBPVP8 ",
    ],
    ids=["gif89", "gif87", "tiff-le", "tiff-be", "rar", "gzip", "7z", "webp"],
)
def test_other_image_and_archive_formats_are_refused(data):
    assert refusal(data, "scan.jpg") == NOT_ACCEPTED


def test_a_plain_zip_archive_is_refused_as_not_a_word_document():
    archive = zipped(("minutes.pdf", samples.pdf("x")), ("notes.txt", b"words"))
    assert refusal(archive, "bundle.docx") == NOT_A_DOCX
    assert refusal(archive, "bundle.zip") == NOT_A_DOCX


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body><p>Hello</p></body></html>",
        b"  \r\n<HTML>\n<body onload='steal()'>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<?xml version="1.0"?><note><to>Amira</to></note>',
        b"<!DOCTYPE html>\n<p>Hello",
        b"\xef\xbb\xbf<!doctype html><p>Hello",
        b"Dear Amira,\n<script>document.location='https://evil.example'</script>\n",
        b"Dear Amira,\n<iframe src='https://evil.example'></iframe>\n",
        b"Meeting notes\n< svg onload=alert(1)>\n",
        b"Just words, then <!DOCTYPE note SYSTEM 'https://evil.example/x.dtd'>",
    ],
    ids=[
        "html",
        "html-after-blank-lines",
        "svg-onload",
        "svg-script",
        "xml",
        "doctype",
        "doctype-after-bom",
        "script-in-text",
        "iframe-in-text",
        "spaced-svg-tag",
        "doctype-in-text",
    ],
)
def test_markup_that_can_carry_script_is_refused(data):
    assert refusal(data, "notes.txt") == MARKUP


def test_text_that_only_mentions_angle_brackets_is_still_text():
    data = b"Amira said x < 3 and the <b> tag was in the template, not a page.\n"
    assert kind_of(data, "notes.txt").kind is FileKind.TEXT


def test_a_text_file_holding_a_nul_byte_is_refused():
    assert refusal(b"Visit notes\x00\x01\x02binary", "notes.txt") == NOT_ACCEPTED


def test_a_nul_byte_past_the_first_piece_read_is_still_found(monkeypatch):
    monkeypatch.setattr(filetypes, "CHUNK", 7)
    assert refusal(b"Visit notes for Thursday" * 3 + b"\x00", "notes.txt") == NOT_ACCEPTED


def test_a_windows_1252_file_with_control_characters_is_refused():
    assert refusal(b"Caf\xe9 notes \x01\x02\x03", "notes.txt") == NOT_ACCEPTED


def test_an_empty_file_is_refused():
    assert refusal(b"", "notes.txt") == EMPTY


def test_a_file_whose_size_is_zero_is_refused_without_reading_it():
    with pytest.raises(FileRefusedError) as caught:
        identify(io.BytesIO(b"Visit notes"), name="notes.txt", size=0)
    assert caught.value.message == EMPTY


def test_a_stream_with_nothing_in_it_is_refused_whatever_size_it_claims():
    with pytest.raises(FileRefusedError) as caught:
        identify(io.BytesIO(b""), name="notes.txt", size=100)
    assert caught.value.message == EMPTY


# --- Word documents ----------------------------------------------------------------------------


@pytest.fixture
def small_unpack_limit(monkeypatch) -> int:
    """A 1 MiB cap, so a zip bomb of a few MiB shows the same refusal as a 300 MiB one."""
    limit = 1024 * 1024
    monkeypatch.setattr(filetypes, "MAX_UNPACKED_BYTES", limit)
    return limit


def test_a_zip_bomb_word_document_is_refused(small_unpack_limit):
    bomb = samples.zip_bomb_docx(unpacked=4 * small_unpack_limit)
    assert len(bomb) < small_unpack_limit // 10
    assert refusal(bomb, "report.docx") == ZIP_BOMB


def test_a_zip_bomb_whose_directory_lies_about_its_size_is_refused(small_unpack_limit):
    bomb = samples.lying_zip_bomb_docx(unpacked=4 * small_unpack_limit)
    # zipfile stops at the claimed 10 bytes, so the entry fails its CRC: refused as damaged.
    assert refusal(bomb, "report.docx") == DOCX_LOCKED


def test_the_unpacked_limit_counts_every_part_together(monkeypatch):
    document = samples.docx("Hello", parts={"word/media/a.bin": b"a" * 5000})
    total = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(document)).infolist())
    monkeypatch.setattr(filetypes, "MAX_UNPACKED_BYTES", total)
    assert kind_of(document, "report.docx").kind is FileKind.DOCX
    monkeypatch.setattr(filetypes, "MAX_UNPACKED_BYTES", total - 1)
    assert refusal(document, "report.docx") == ZIP_BOMB


def test_read_archive_member_refuses_past_its_limit_and_returns_the_bytes_within_it():
    archive = zipfile.ZipFile(io.BytesIO(zipped(("part.bin", b"x" * 100))))
    assert read_archive_member(archive, "part.bin", 100) == b"x" * 100
    with pytest.raises(FileRefusedError) as caught:
        read_archive_member(archive, "part.bin", 99)
    assert caught.value.message == ZIP_BOMB


def test_a_word_document_with_too_many_entries_is_refused(monkeypatch):
    monkeypatch.setattr(filetypes, "MAX_ARCHIVE_ENTRIES", 3)
    assert kind_of(word_parts(("word/a.xml", b"<a/>")), "report.docx").kind is FileKind.DOCX
    crowded = word_parts(("word/a.xml", b"<a/>"), ("word/b.xml", b"<b/>"))
    assert refusal(crowded, "report.docx") == ZIP_BOMB


@pytest.mark.parametrize(
    "entry",
    [
        "../evil.xml",
        "word/../../evil.xml",
        "word\\..\\..\\evil.xml",
        "/etc/cron.d/evil",
        "\\Windows\\System32\\evil.dll",
    ],
)
def test_a_word_document_with_an_entry_outside_the_archive_is_refused(entry):
    document = word_parts((entry, b"payload"))
    assert entry in zipfile.ZipFile(io.BytesIO(document)).namelist()
    assert refusal(document, "report.docx") == OUTSIDE


def test_a_word_document_with_a_windows_drive_entry_is_refused():
    document = word_parts(("C:/Windows/System32/evil.dll", b"payload"))
    assert refusal(document, "report.docx") == OUTSIDE


def test_a_word_document_with_a_symbolic_link_entry_is_refused():
    link = zipfile.ZipInfo("word/media/image1.png")
    link.external_attr = (0o120000 | 0o777) << 16
    assert refusal(word_parts((link, b"/etc/passwd")), "report.docx") == OUTSIDE


def test_a_word_document_with_an_ordinary_file_mode_is_accepted():
    ordinary = zipfile.ZipInfo("word/media/image1.png")
    ordinary.external_attr = (0o100000 | 0o644) << 16
    assert kind_of(word_parts((ordinary, samples.png())), "report.docx").kind is FileKind.DOCX


@pytest.mark.parametrize("entry", ["word/vbaProject.bin", "word/VBAPROJECT.BIN"])
def test_a_word_document_with_macros_is_refused(entry):
    assert refusal(word_parts((entry, b"\xd0\xcf\x11\xe0macros")), "report.docx") == MACROS


def test_a_zip_without_the_word_main_part_is_refused():
    archive = zipped(("[Content_Types].xml", samples.CONTENT_TYPES), ("xl/workbook.xml", b"<w/>"))
    assert refusal(archive, "report.docx") == NOT_A_DOCX


def _flag_encrypted(data: bytes, name: bytes) -> bytes:
    """Set the 'encrypted' bit on `name` in its local header and central directory entry."""
    patched = bytearray(data)
    local = data.find(b"PK\x03\x04")
    while local != -1:
        if data[local + 30 : local + 30 + len(name)] == name:
            patched[local + 6] |= 1
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        if data[central + 46 : central + 46 + len(name)] == name:
            patched[central + 8] |= 1
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(patched)


def test_a_password_protected_word_document_is_refused():
    locked = _flag_encrypted(samples.docx("Secret"), b"word/document.xml")
    assert zipfile.ZipFile(io.BytesIO(locked)).getinfo("word/document.xml").flag_bits & 1
    assert refusal(locked, "report.docx") == DOCX_LOCKED


def test_a_truncated_word_document_is_refused_as_damaged():
    document = samples.docx("Hello " * 200)
    assert refusal(document[: len(document) // 2], "report.docx") == DOCX_DAMAGED
    assert refusal(b"PK\x03\x04 not really a zip", "report.docx") == DOCX_DAMAGED


def test_a_word_document_whose_checksum_fails_is_refused():
    document = bytearray(samples.docx("Hello"))
    central = document.find(b"PK\x01\x02")  # [Content_Types].xml's entry; its CRC at +16
    struct.pack_into("<I", document, central + 16, 0xDEADBEEF)
    assert refusal(bytes(document), "report.docx") == DOCX_LOCKED


def _corrupt_deflate(data: bytes, name: str) -> bytes:
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    patched = bytearray(data)
    patched[start : start + 3] = b"\xff\xff\xff"  # a deflate block of the reserved type 3
    return bytes(patched)


def test_a_word_document_with_a_corrupt_compressed_part_is_refused():
    damaged = _corrupt_deflate(samples.docx("Hello " * 100), "word/document.xml")
    assert refusal(damaged, "report.docx") == DOCX_LOCKED


# --- PDFs ---------------------------------------------------------------------------------------


def test_a_truncated_pdf_is_refused():
    document = samples.pdf("Strategy meeting minutes", padding=5000)
    assert refusal(document[: len(document) // 2], "minutes.pdf") == PDF_DAMAGED
    assert refusal(b"%PDF-1.7\n", "minutes.pdf") == PDF_DAMAGED


def test_a_plain_pdf_has_no_active_content():
    assert kind_of(samples.pdf("Hello"), "letter.pdf").active_content is False


@pytest.mark.parametrize(
    "action",
    [
        b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>",
        b"<< /JS (this.exportDataObject\\({cName: 'x'}\\)) >>",
        b"<< /Type /Action /S /Launch /F (C:\\\\Windows\\\\System32\\\\cmd.exe) >>",
        b"<< /Names << /JavaScript 9 0 R >> >>",
    ],
    ids=["javascript-action", "js-key", "launch", "javascript-name-tree"],
)
def test_a_pdf_with_script_or_launch_actions_is_kept_but_flagged_as_active(action):
    assert kind_of(samples.pdf("Hello", extra=action), "letter.pdf") == Identified(
        kind=FileKind.PDF, active_content=True
    )


def test_a_script_action_split_across_pieces_read_is_still_found(monkeypatch):
    monkeypatch.setattr(filetypes, "CHUNK", 5)
    document = samples.pdf("Hello", extra=b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>")
    assert kind_of(document, "letter.pdf").active_content is True


def test_a_name_that_only_starts_like_a_script_key_is_not_flagged():
    document = samples.pdf("Hello", extra=b"<< /JSONData (x) /Launcher (y) >>")
    assert kind_of(document, "letter.pdf").active_content is False


def test_a_pdf_hiding_its_script_action_behind_escaped_names_is_flagged():
    action = b"<< /Type /Action /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"
    assert kind_of(samples.pdf("Hello", extra=action), "letter.pdf").active_content is True


def pdf_with_compressed_javascript() -> bytes:
    """A PDF 1.5 whose open action is JavaScript kept in a compressed object stream, found
    through a cross-reference stream: how Word and Acrobat save PDFs today."""
    header = b"5 0 "
    packed = zlib.compress(header + b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>")
    content = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"
    bodies = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        4: b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        6: b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(packed))
        + packed
        + b"\nendstream",
    }
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number, body in bodies.items():
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    offsets[7] = out.tell()
    rows = [struct.pack(">BIH", 0, 0, 0xFFFF)] + [
        struct.pack(">BIH", 2, 6, 0) if number == 5 else struct.pack(">BIH", 1, offsets[number], 0)
        for number in range(1, 8)
    ]
    table = zlib.compress(b"".join(rows))
    out.write(
        b"7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode "
        b"/Length %d >>\nstream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[7]
    )
    return out.getvalue()


def test_the_compressed_object_stream_sample_opens_with_a_javascript_action():
    # Proves the sample below is what it claims, read strictly by a real PDF library.
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf_with_compressed_javascript()), strict=True)
    action: Any = reader.root_object["/OpenAction"].get_object()
    assert action["/S"] == "/JavaScript"
    assert kind_of(pdf_with_compressed_javascript(), "letter.pdf").kind is FileKind.PDF


def test_a_pdf_with_its_script_action_in_a_compressed_object_stream_is_found_by_the_worker():
    """The upload's byte scan cannot see inside compressed streams; the worker's check with a
    PDF parser does, and until it has run no PDF is previewed (vault models, `previewable`)."""
    from caseledger.domain.text_extraction import pdf_has_scripts

    data = pdf_with_compressed_javascript()
    assert kind_of(data, "letter.pdf").active_content is False
    assert pdf_has_scripts(io.BytesIO(data)) is True
    assert pdf_has_scripts(io.BytesIO(samples.pdf("Plain letter"))) is False


# --- Images -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "height"), [(20_000, 20_000), (100_000, 1_001), (65_535, 65_535)]
)
def test_a_png_declaring_a_pixel_flood_is_refused(width, height):
    assert refusal(samples.png(width, height), "scan.png") == too_large(width, height)


@pytest.mark.parametrize(("width", "height"), [(20_000, 20_000), (65_535, 65_535)])
def test_a_jpeg_declaring_a_pixel_flood_is_refused(width, height):
    assert refusal(samples.jpeg(width, height), "photo.jpg") == too_large(width, height)


def test_an_image_of_exactly_the_pixel_limit_is_accepted_and_one_row_more_is_not():
    assert kind_of(samples.png(10_000, 10_000), "scan.png").kind is FileKind.PNG
    assert refusal(samples.png(10_000, 10_001), "scan.png") == too_large(10_000, 10_001)
    assert kind_of(samples.jpeg(10_000, 10_000), "photo.jpg").kind is FileKind.JPEG


@pytest.mark.parametrize(
    "data",
    [
        samples.png()[:20],
        samples.png().replace(b"IHDR", b"IHDX"),
        samples.png(0, 10),
        samples.png(10, 0),
    ],
    ids=["truncated", "no-header-chunk", "zero-width", "zero-height"],
)
def test_a_png_with_a_damaged_header_is_refused(data):
    assert refusal(data, "scan.png") == IMAGE_DAMAGED


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xd8\xff",
        b"\xff\xd8\xff\xe0\x00",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"\xff\xd8\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00",
        b"\xff\xd8\xff\xe0\x00\x01" + b"\x00" * 20,
        b"\xff\xd8\xff\xc0\x00\x11\x08\x00",
        b"\xff\xd8\xff\xd9",
        samples.jpeg(0, 16),
        b"\xff\xd8\xff\xe0\x00\x10" + b"\x00" * 14 + b"\x00\x00garbage",
    ],
    ids=[
        "marker-only",
        "cut-length",
        "cut-segment",
        "scan-before-frame",
        "length-below-two",
        "cut-frame",
        "end-at-once",
        "zero-width",
        "no-marker-after-segment",
    ],
)
def test_a_jpeg_with_a_damaged_header_is_refused(data):
    assert refusal(data, "photo.jpg") == IMAGE_DAMAGED


# --- Outlook and other compound files -------------------------------------------------------------


def test_an_old_office_file_is_refused_with_what_to_do_instead():
    assert refusal(samples.old_word_document(), "minutes.doc") == OLD_OFFICE
    assert refusal(samples.old_word_document(), "minutes.msg") == OLD_OFFICE


def test_a_compound_file_with_properties_but_no_message_streams_is_not_an_email():
    other = samples.compound_file({"__properties_version1.0": bytes(32), "Data": b"x" * 100})
    assert refusal(other, "mail.msg") == OLD_OFFICE


@pytest.mark.parametrize("cut", [8, 512, 600])
def test_a_damaged_outlook_email_is_refused(cut):
    assert refusal(samples.outlook_msg()[:cut], "mail.msg") == MSG_DAMAGED


# --- Emails and text ------------------------------------------------------------------------------


def test_an_email_saved_as_text_is_kept_as_text():
    assert kind_of(samples.eml(), "meeting.txt") == Identified(kind=FileKind.TEXT)


def test_an_email_whose_html_body_holds_a_script_is_still_an_email():
    email = samples.eml(html="<html><body><script>alert(1)</script><p>Hi</p></body></html>")
    assert b"<script>" in email
    assert kind_of(email, "meeting.eml").kind is FileKind.EML


def test_text_named_as_an_email_but_without_headers_is_not_an_email():
    message = refusal(b"Subject: not enough\n\nOne header is not an email.", "notes.eml")
    # The exact wording is pinned (and its grammar bug shown) by the xfail test above.
    assert message.startswith("The file is called ‘notes.eml’ but it is not a")
    assert "email: it looks like a text file." in message


def test_a_from_line_alone_is_not_enough_to_make_an_email():
    assert kind_of(b"From: Sam\n\nHello", "notes.txt").kind is FileKind.TEXT
    with pytest.raises(FileRefusedError):
        kind_of(b"From: Sam\n\nHello", "notes.eml")


RECEIVED = (
    b"Received: from relay.northmoor.example (relay.northmoor.example [192.0.2.10])\r\n"
    b"\tby mx.northmoor.example (Postfix) with ESMTPS id 4ZQX1234;\r\n"
    b"\tThu, 26 Nov 2026 09:15:00 +0000\r\n"
)
FIRST_LINE = len(RECEIVED.split(b"\r\n", 1)[0]) + 2


def email_with_long_headers(*, received_first: bool, head_ends_at: int) -> bytes:
    """An email whose headers run past the 8 KiB head `identify` reads, with the head ending
    `head_ends_at` bytes into one Received header."""
    top = samples.eml().split(b"\n\n", 1)[0].replace(b"\n", b"\r\n") + b"\r\n"
    body = b"\r\nThe strategy meeting is booked for Thursday at 10am.\r\n"
    lead = b"" if received_first else top
    start = len(lead) + len(b"X-Padding: \r\n")
    padding = (filetypes.HEAD_BYTES - start - head_ends_at) % len(RECEIVED)
    chain = RECEIVED * (filetypes.HEAD_BYTES // len(RECEIVED) + 10)
    pad = b"X-Padding: " + b"x" * padding + b"\r\n"
    headers = lead + pad + chain + (top if received_first else b"")
    assert len(headers) > 8 * 1024
    return headers + body


def test_an_email_with_more_than_8_kb_of_received_headers_is_still_an_email():
    # The head read ends inside a folded line, after From, To, Subject and Date.
    email = email_with_long_headers(received_first=False, head_ends_at=FIRST_LINE + 10)
    assert kind_of(email, "meeting.eml").kind is FileKind.EML


def test_an_email_whose_head_read_ends_inside_a_header_name_is_still_an_email():
    email = email_with_long_headers(received_first=False, head_ends_at=4)
    assert email[: filetypes.HEAD_BYTES].endswith(b"\r\nRece")
    assert kind_of(email, "meeting.eml").kind is FileKind.EML


def test_an_email_with_8_kb_of_received_headers_above_its_from_is_still_an_email():
    email = email_with_long_headers(received_first=True, head_ends_at=FIRST_LINE + 10)
    assert email.startswith(b"X-Padding") and email.index(b"From:") > 8 * 1024
    assert kind_of(email, "meeting.eml").kind is FileKind.EML


def test_utf8_text_split_mid_character_between_pieces_read_is_still_text(monkeypatch):
    monkeypatch.setattr(filetypes, "CHUNK", 7)
    # A form feed is fine in UTF-8 text but refused as Windows-1252, so this fails if the
    # split character made the reader give up on UTF-8.
    text = "Notes\f" + "€ café 😀 " * 20
    data = text.encode()
    assert any(0x80 <= data[offset] < 0xC0 for offset in range(7, len(data), 7))
    assert kind_of(data, "notes.txt") == Identified(kind=FileKind.TEXT)


def test_utf8_text_cut_off_mid_character_at_its_end_is_read_as_windows_1252(monkeypatch):
    monkeypatch.setattr(filetypes, "CHUNK", 7)
    # Incomplete UTF-8 is not UTF-8; as Windows-1252 the form feed is a control character.
    assert refusal("Notes\f€€".encode()[:-1], "notes.txt") == NOT_ACCEPTED


def test_windows_1252_text_is_accepted():
    data = "Caf\u00e9 meeting \u201cnotes\u201d \u2013 \u00a35 \u20ac10\r\n".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert kind_of(data, "notes.txt") == Identified(kind=FileKind.TEXT)


def test_identify_content_takes_the_kind_from_the_bytes_alone():
    email = samples.eml()
    assert filetypes.identify_content(io.BytesIO(email), size=len(email)) == Identified(
        kind=FileKind.EML
    )
    with pytest.raises(FileRefusedError) as caught:
        filetypes.identify_content(io.BytesIO(b"MZ\x90\x00"), size=4)
    assert caught.value.message == PROGRAM


def test_utf8_text_with_a_byte_order_mark_is_accepted():
    assert kind_of("\ufeffVisit notes: ok".encode(), "notes.txt").kind is FileKind.TEXT


# --- File names -------------------------------------------------------------------------------

BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
RESERVED = {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(10)}
FORBIDDEN = re.compile("[/\\\\\x00-\x1f\x7f" + BIDI + "]")

# Pieces hostile names are made of; a list of at most 40 keeps runs of dots and spaces short.
PIECES = st.sampled_from(
    [
        "/", "\\", ".", "..", " ", "\t", "\n", "\x00", "\x1f", "\x7f", "\x85", "\u3000",
        ":", "*", "?", '"', "<", ">", "|", "con", "CON", "Lpt9", "nul", "com0", "aux",
        ".pdf", ".txt", ".docx", "e", "\u0301", "é", "中", "a" * 60, "\ufeff", *BIDI,
    ]
)  # fmt: skip
EXTENSION_CHARACTERS = string.ascii_lowercase + string.digits
HOSTILE_NAMES = st.one_of(
    st.text(max_size=300),
    st.text(min_size=MAX_FILE_NAME_LENGTH - 10, max_size=300),
    st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=40).map("".join),
    st.tuples(
        st.sampled_from(["", " ", "../", "dir\\", "\u202e", ". "]),
        st.sampled_from(sorted(RESERVED)).flatmap(
            lambda device: st.sampled_from([device, device.upper(), device.title()])
        ),
        st.sampled_from(["", ".txt", ".tar.gz", ".", " .", "\u200f.pdf", ". pdf"]),
    ).map("".join),
)


def is_reserved(name: str) -> bool:
    return name.split(".", 1)[0].lower() in RESERVED


@given(HOSTILE_NAMES)
def test_a_sanitised_name_is_safe_to_show_store_and_serve(name):
    safe = sanitise_file_name(name)
    assert 0 < len(safe) <= MAX_FILE_NAME_LENGTH
    assert not FORBIDDEN.search(safe), "no separators, control or bidi characters"
    assert safe[0] not in " ." and safe[-1] not in " ."
    assert not is_reserved(safe), "not a Windows device name"


@given(HOSTILE_NAMES.map(lambda name: "".join(c for c in name if c not in BIDI)))
def test_sanitising_twice_gives_the_same_name(name):
    # Names with bidirectional controls are left out here: see the xfail test below.
    once = sanitise_file_name(name)
    assert sanitise_file_name(once) == once


@given(
    st.text(alphabet=st.sampled_from("abcXYZ019-_éß中"), min_size=1, max_size=400),
    st.text(alphabet=st.sampled_from(EXTENSION_CHARACTERS), min_size=1, max_size=10),
)
def test_a_shortened_name_keeps_its_short_extension(stem, extension):
    safe = sanitise_file_name(f"{stem}.{extension}")
    assert safe.endswith(f".{extension}")
    assert len(safe) <= MAX_FILE_NAME_LENGTH
    if len(stem) + 1 + len(extension) <= MAX_FILE_NAME_LENGTH:
        assert safe == unicodedata.normalize("NFC", f"{stem}.{extension}")
    else:
        assert len(safe) == MAX_FILE_NAME_LENGTH
        assert safe.startswith(stem[: MAX_FILE_NAME_LENGTH - len(extension) - 1])


@given(st.text(alphabet=st.sampled_from("abcXYZ019-_ .é"), max_size=MAX_FILE_NAME_LENGTH))
def test_an_ordinary_name_is_kept_as_it_is(name):
    name = " ".join(name.split()).strip(" .")
    if name and not is_reserved(name):
        assert sanitise_file_name(name) == name


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\report.pdf", "report.pdf"),
        ("/var/www/../../report.pdf", "report.pdf"),
        ("fdp.\u202eexe", "fdp.exe"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),
        ("\u2066report\u2069.pdf", "report.pdf"),
        ("a\x00b\nc\x7f.txt", "a_b_c_.txt"),
        ('a:b*c?"d<e>f|g.txt', "a_b_c__d_e_f_g.txt"),
        ("  Visit   notes\u3000\u3000final .txt ", "Visit notes final .txt"),
        ("report.pdf. . .", "report.pdf"),
        ("...hidden", "hidden"),
        ("Cafe\u0301.txt", "Caf\u00e9.txt"),
        ("CON", "_CON"),
        ("con.txt", "_con.txt"),
        ("Lpt1.tar.gz", "_Lpt1.tar.gz"),
        ("com9", "_com9"),
        ("console.txt", "console.txt"),
        ("", "document"),
        ("...", "document"),
        ("dir/", "document"),
        (" . ", "document"),
    ],
)
def test_worked_examples_of_unsafe_names(name, safe):
    assert sanitise_file_name(name) == safe


def test_the_fallback_is_used_for_a_name_that_is_nothing_once_cleaned():
    assert sanitise_file_name("\u202e", fallback="attachment") == "attachment"
    assert sanitise_file_name(None, fallback="email") == "email"  # type: ignore[arg-type]


def test_a_300_character_name_is_cut_to_the_limit():
    assert sanitise_file_name("a" * 300) == "a" * MAX_FILE_NAME_LENGTH


def test_a_300_character_name_keeps_its_extension_when_cut():
    assert sanitise_file_name("a" * 300 + ".pdf") == "a" * (MAX_FILE_NAME_LENGTH - 4) + ".pdf"


def test_a_long_extension_is_not_kept_whole_when_a_name_is_cut():
    safe = sanitise_file_name("a" * 300 + "." + "b" * 11)
    assert safe == "a" * MAX_FILE_NAME_LENGTH


def test_a_cut_name_does_not_end_in_the_spaces_or_dots_before_its_extension():
    assert sanitise_file_name("a" * 145 + " ." * 20 + "b.pdf") == "a" * 145 + ".pdf"


@pytest.mark.parametrize("name", ["con" + " ." * 100 + "x.pdf", "NUL" + " ." * 100 + "x" * 12])
def test_a_long_name_cut_down_to_a_device_name_is_still_made_safe(name):
    safe = sanitise_file_name(name)
    assert not is_reserved(safe), safe
    assert sanitise_file_name(safe) == safe


def test_sanitising_a_name_with_a_bidi_control_inside_a_character_twice_gives_the_same_name():
    once = sanitise_file_name("cafe\u200e\u0301.txt")
    assert sanitise_file_name(once) == once


# --- Extensions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "extension"),
    [
        ("report.PDF", ".pdf"),
        ("archive.tar.gz", ".gz"),
        ("report", ""),
        ("report.", ""),
        (".bashrc", ".bashrc"),
        ("", ""),
    ],
)
def test_extension_of_is_the_lower_cased_last_suffix(name, extension):
    assert extension_of(name) == extension


@pytest.mark.parametrize(
    ("kind", "name", "named"),
    [
        (FileKind.PDF, "scan", "scan.pdf"),
        (FileKind.PDF, "scan.PDF", "scan.PDF"),
        (FileKind.JPEG, "photo.jpeg", "photo.jpeg"),
        (FileKind.JPEG, "photo", "photo.jpg"),
        (FileKind.PDF, "scan.png", "scan.png.pdf"),
        (FileKind.EML, "forwarded", "forwarded.eml"),
        (FileKind.TEXT, "a" * 200, "a" * (MAX_FILE_NAME_LENGTH - 4) + ".txt"),
        (FileKind.DOCX, "con", "_con.docx"),
    ],
)
def test_named_for_adds_the_kinds_extension_only_when_the_name_lacks_one_that_fits(
    kind, name, named
):
    assert named_for(kind, name) == named
