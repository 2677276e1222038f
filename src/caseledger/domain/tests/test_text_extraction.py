"""The words read out of a stored document for search: PDF pages, Word paragraphs, text files
and emails. A scan gives NO_TEXT, an image NOT_APPLICABLE, and a file that cannot be read
FAILED with a reason for the document page; extraction never raises."""

from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter

from caseledger.domain import text_extraction
from caseledger.domain.emails import ParsedEmail
from caseledger.domain.filetypes import FileKind
from caseledger.domain.text_extraction import (
    Extracted,
    ExtractionStatus,
    decode_text,
    email_text,
    extract_text,
    html_to_text,
)
from caseledger.vault.tests import samples

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
PDF_DAMAGED = "The PDF is damaged, so its text cannot be read"
DOCX_DAMAGED = "The Word document is damaged, so its text cannot be read"
ZIP_BOMB = (
    "The Word document unpacks to far more than a document needs, so it is not accepted. "
    "Save it as a PDF, then upload that"
)


def extract(kind: FileKind, data: bytes) -> Extracted:
    return extract_text(kind, io.BytesIO(data))


def extracted(text: str) -> Extracted:
    return Extracted(ExtractionStatus.EXTRACTED, text=text)


def failed(problem: str) -> Extracted:
    return Extracted(ExtractionStatus.FAILED, problem=problem)


def word(body: str, *, prolog: str = "") -> bytes:
    """A Word document whose document.xml body is `body`, after an optional `prolog`."""
    xml = f"{prolog}<w:document {W}><w:body>{body}</w:body></w:document>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", samples.CONTENT_TYPES)
        archive.writestr("word/document.xml", xml)
    return out.getvalue()


# --- PDF ---------------------------------------------------------------------------------------


def test_pdf_text_is_read_from_every_page_in_order():
    document = samples.pdf("Strategy meeting minutes\nAttendees: Amira", "Actions for Noah")
    assert extract(FileKind.PDF, document) == extracted(
        "Strategy meeting minutes\nAttendees: Amira\n\nActions for Noah"
    )


def test_a_scanned_pdf_with_no_text_layer_gives_no_text():
    assert extract(FileKind.PDF, samples.pdf("")) == Extracted(ExtractionStatus.NO_TEXT)


@pytest.mark.parametrize(
    "data",
    [
        samples.pdf("Strategy meeting minutes", padding=3000)[:1500],
        b"%PDF-1.4\nnot really a pdf\n%%EOF\n",
        b"",
        samples.pdf("x").replace(b"/Catalog /Pages", b"/Catalog /Pagez"),
        samples.pdf("x").replace(b"endstream", b"endstrXam", 1),
    ],
    ids=["truncated", "garbage", "empty", "no-page-tree", "unterminated-stream"],
)
def test_a_damaged_pdf_gives_failed_with_a_reason_and_never_raises(data):
    assert extract(FileKind.PDF, data) == failed(PDF_DAMAGED)


def test_a_pdf_whose_damage_makes_pypdf_see_a_loop_gives_failed():
    document = (
        samples.pdf("Page one text")
        .replace(b"/Type /Catalog", b"/Xype /Catalog")
        .replace(b"endstream", b"endstrXam", 1)
    )
    assert extract(FileKind.PDF, document) == failed(PDF_DAMAGED)


def test_a_password_protected_pdf_gives_failed_saying_so():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.pdf("Secret words"))))
    writer.encrypt(user_password="letmein", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert extract(FileKind.PDF, out.getvalue()) == failed(
        "The PDF is protected by a password, so its text cannot be read"
    )


def test_a_pdf_with_an_empty_user_password_is_read():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.pdf("Open words"))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert extract(FileKind.PDF, out.getvalue()) == extracted("Open words")


def test_pdf_pages_past_the_limit_are_not_read(monkeypatch):
    monkeypatch.setattr(text_extraction, "MAX_PDF_PAGES", 2)
    document = samples.pdf("First", "Second", "Third")
    assert extract(FileKind.PDF, document) == extracted("First\n\nSecond")


# --- Word --------------------------------------------------------------------------------------


def test_word_paragraphs_are_read_one_to_a_line():
    document = samples.docx("Assessment of need", "Noah & his sister <both well>", "Next steps")
    assert extract(FileKind.DOCX, document) == extracted(
        "Assessment of need\nNoah & his sister <both well>\nNext steps"
    )


def test_word_runs_tabs_and_breaks_are_kept_and_whitespace_tidied():
    document = word(
        "<w:p><w:r><w:t>Name:</w:t><w:tab/><w:t>Noah</w:t></w:r>"
        "<w:r><w:br/><w:t xml:space='preserve'>Age:   </w:t><w:tab/><w:t>7</w:t></w:r>"
        "<w:r><w:cr/><w:t>School</w:t><w:t>house</w:t></w:r></w:p>"
        "<w:p/><w:p/><w:p/><w:p><w:r><w:t>After the gap</w:t></w:r></w:p>"
    )
    assert extract(FileKind.DOCX, document) == extracted(
        "Name: Noah\nAge: 7\nSchoolhouse\n\nAfter the gap"
    )


def test_deleted_text_and_field_codes_in_a_word_document_are_not_read():
    document = word(
        "<w:p><w:del><w:r><w:delText>struck out</w:delText></w:r></w:del>"
        "<w:r><w:instrText>PAGE \\* MERGEFORMAT</w:instrText></w:r>"
        "<w:r><w:t>Kept words</w:t></w:r></w:p>"
    )
    assert extract(FileKind.DOCX, document) == extracted("Kept words")


def test_a_word_document_declaring_entities_gives_failed():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>'
    )
    document = word("<w:p><w:r><w:t>&lol2;</w:t></w:r></w:p>", prolog=laughs)
    assert extract(FileKind.DOCX, document) == failed(
        "The Word document holds XML this service does not read (entities), so its text "
        "cannot be read"
    )


def test_a_word_document_naming_an_external_entity_gives_failed():
    prolog = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    document = word("<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", prolog=prolog)
    result = extract(FileKind.DOCX, document)
    assert result.status is ExtractionStatus.FAILED
    assert "root:" not in result.text


def test_a_word_document_whose_main_part_is_a_zip_bomb_gives_failed(monkeypatch):
    monkeypatch.setattr(text_extraction, "MAX_UNPACKED_BYTES", 64 * 1024)
    document = samples.docx("All work and no play " * 10_000)
    assert len(document) < 64 * 1024
    assert extract(FileKind.DOCX, document) == failed(ZIP_BOMB)


def test_only_the_main_part_of_a_word_document_is_unpacked(monkeypatch):
    # The zip bomb sample's padding part is never decompressed by the extractor (the upload
    # checks refuse the whole file before it is stored).
    monkeypatch.setattr(text_extraction, "MAX_UNPACKED_BYTES", 1024 * 1024)
    bomb = samples.zip_bomb_docx(unpacked=8 * 1024 * 1024)
    assert extract(FileKind.DOCX, bomb) == extracted("Hello")


@pytest.mark.parametrize(
    "data",
    [
        word("<w:p><w:r><w:t>unclosed"),
        samples.docx("Hello")[:100],
        b"PK\x03\x04 not a zip",
        samples.pdf("not a word document"),
    ],
    ids=["bad-xml", "truncated", "not-a-zip", "pdf"],
)
def test_a_damaged_word_document_gives_failed(data):
    assert extract(FileKind.DOCX, data) == failed(DOCX_DAMAGED)


def test_a_word_document_with_a_corrupt_compressed_part_gives_failed():
    document = samples.docx("Hello " * 100)
    info = zipfile.ZipFile(io.BytesIO(document)).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    damaged = document[:start] + b"\xff\xff\xff" + document[start + 3 :]
    assert extract(FileKind.DOCX, damaged) == failed(DOCX_DAMAGED)


def test_a_word_document_without_a_main_part_gives_failed():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", samples.CONTENT_TYPES)
    assert extract(FileKind.DOCX, out.getvalue()) == failed(DOCX_DAMAGED)


def test_a_word_document_with_no_words_gives_no_text():
    assert extract(FileKind.DOCX, word("<w:p/><w:p><w:r><w:t> </w:t></w:r></w:p>")) == Extracted(
        ExtractionStatus.NO_TEXT
    )


def test_a_text_box_inside_a_paragraph_is_read_once():
    document = word(
        "<w:p><w:r><w:t>Outer words</w:t></w:r><w:r><w:pict><w:txbxContent>"
        "<w:p><w:r><w:t>Boxed words</w:t></w:r></w:p>"
        "</w:txbxContent></w:pict></w:r></w:p>"
    )
    assert extract(FileKind.DOCX, document).text.count("Boxed words") == 1


# --- Text files --------------------------------------------------------------------------------


def test_utf8_text_with_a_byte_order_mark_is_read_without_it():
    data = "\ufeffCafé notes – Noah’s visit".encode()
    assert extract(FileKind.TEXT, data) == extracted("Café notes – Noah’s visit")


def test_windows_1252_text_is_read():
    data = "Café notes – “Noah’s” visit €5".encode("cp1252")
    assert extract(FileKind.TEXT, data) == extracted("Café notes – “Noah’s” visit €5")


def test_decode_text_prefers_utf8_and_falls_back_to_windows_1252():
    assert decode_text("é".encode()) == "é"
    assert decode_text(b"\xe9") == "é"
    assert decode_text(b"\x81") == "\ufffd"


def test_an_empty_or_blank_text_file_gives_no_text():
    assert extract(FileKind.TEXT, b"") == Extracted(ExtractionStatus.NO_TEXT)
    assert extract(FileKind.TEXT, b" \r\n\t\n") == Extracted(ExtractionStatus.NO_TEXT)


def test_whitespace_is_tidied():
    data = b"  Visit \t\t notes\r\n\r\n\r\n\r\nSecond\x00 part\rthird\n \n \n\n  fourth\x0b\x0c  "
    assert extract(FileKind.TEXT, data) == extracted("Visit notes\n\nSecond part\nthird\n\nfourth")


def test_two_line_breaks_are_kept_as_a_paragraph_break():
    assert extract(FileKind.TEXT, b"one\n\ntwo\nthree") == extracted("one\n\ntwo\nthree")


def test_text_past_the_limit_is_cut(monkeypatch):
    monkeypatch.setattr(text_extraction, "MAX_TEXT_CHARACTERS", 10)
    assert extract(FileKind.TEXT, b"abcdefghijklmnopqrstuvwxyz") == extracted("abcdefghij")


# --- Emails ------------------------------------------------------------------------------------


def test_email_text_has_from_to_subject_and_body():
    assert extract(FileKind.EML, samples.eml()) == extracted(
        "From: Sam Okafor <sam.okafor@northmoor.example>\n"
        "To: Amira Khan <amira.khan@northmoor.example>\n"
        "Subject: Strategy meeting on Thursday\n"
        "The strategy meeting is booked for Thursday at 10am."
    )


def test_outlook_email_text_has_from_to_subject_and_body():
    assert extract(FileKind.MSG, samples.outlook_msg()) == extracted(
        "From: Sam Okafor <sam.okafor@northmoor.example>\n"
        "To: Amira Khan\n"
        "Subject: Strategy meeting on Thursday\n"
        "The strategy meeting is booked for Thursday at 10am."
    )


HTML_BODY = (
    "<html><head><style>p { color: red }</style>"
    "<script>var hidden = 'secret script';</script></head>"
    "<body><p>Caf&eacute; &amp; tea on <b>Thursday</b> &ndash; 10am &lt;sharp&gt;</p>"
    "<script>alert('body script')</script><style>.x{}</style></body></html>"
)


def test_an_email_without_a_plain_body_falls_back_to_its_html_words():
    result = extract(FileKind.EML, samples.eml(body=" \n\t ", html=HTML_BODY))
    assert result == extracted(
        "From: Sam Okafor <sam.okafor@northmoor.example>\n"
        "To: Amira Khan <amira.khan@northmoor.example>\n"
        "Subject: Strategy meeting on Thursday\n"
        "Café & tea on Thursday – 10am <sharp>"
    )


def test_the_plain_body_is_preferred_to_the_html_body():
    result = extract(FileKind.EML, samples.eml(body="Plain words", html="<p>HTML words</p>"))
    assert result.text.endswith("\nPlain words")
    assert "HTML words" not in result.text


def test_html_to_text_drops_tags_scripts_and_styles_and_decodes_entities():
    assert html_to_text(HTML_BODY) == "Café & tea on Thursday – 10am <sharp>"
    assert html_to_text("<p onclick='x()'>a &#8364; &#x20AC;</p><!-- note -->") == "a € €"


def test_html_paragraphs_and_line_breaks_keep_words_apart():
    words = html_to_text("<div>Hello</div><div>World</div><p>one<br>two</p>").split()
    assert words == ["Hello", "World", "one", "two"]


def test_email_text_leaves_out_the_lines_it_has_nothing_for():
    assert email_text(ParsedEmail(subject="Only a subject")) == "Subject: Only a subject"
    assert email_text(ParsedEmail(sender="a@x.example", text_body="Hi")) == "From: a@x.example\nHi"
    assert email_text(ParsedEmail()) == ""


def test_an_email_with_nothing_in_it_gives_no_text():
    assert extract(FileKind.EML, b"\r\n\r\n") == Extracted(ExtractionStatus.NO_TEXT)


def test_a_damaged_outlook_email_gives_failed():
    assert extract(FileKind.MSG, b"not an outlook email") == failed(
        "The email is damaged, so it cannot be read"
    )
    assert extract(FileKind.MSG, samples.outlook_msg()[:512]) == failed(
        "The email is damaged, so it cannot be read"
    )


# --- Images ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "data"), [(FileKind.PNG, samples.png()), (FileKind.JPEG, samples.jpeg())]
)
def test_images_have_no_text_to_read(kind, data):
    assert extract(kind, data) == Extracted(ExtractionStatus.NOT_APPLICABLE)
