"""The words in a stored document, for search: from PDF, Word, email and text files.

Run by the background worker, never in a web request: a long PDF takes seconds. A PDF with no
text layer (a scan) gives `NO_TEXT`, which the document page explains; a file that cannot be
read gives `FAILED` with a reason, and the upload itself is kept either way. Word files are
unpacked with a byte cap and their XML parsed with defusedxml (no entity expansion, no
external entities). Pure Python: no Django.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from enum import StrEnum
from typing import BinaryIO

import nh3
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from caseledger.domain.emails import EmailUnreadableError, ParsedEmail, parse_eml, parse_msg
from caseledger.domain.filetypes import (
    MAX_UNPACKED_BYTES,
    FileKind,
    FileRefusedError,
    read_archive_member,
)

# Enough for any real document; search indexes no more than this of one file.
MAX_TEXT_CHARACTERS = 2_000_000
MAX_PDF_PAGES = 3_000
WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class ExtractionStatus(StrEnum):
    PENDING = "pending"
    EXTRACTED = "extracted"
    NO_TEXT = "no_text"
    NOT_APPLICABLE = "not_applicable"
    FAILED = "failed"


@dataclass(frozen=True)
class Extracted:
    status: ExtractionStatus
    text: str = ""
    # Why it failed, in words for the document page (never the file's contents).
    problem: str = ""


def extract_text(kind: FileKind, stream: BinaryIO) -> Extracted:
    try:
        if kind is FileKind.PDF:
            text = _pdf_text(stream)
        elif kind is FileKind.DOCX:
            text = _docx_text(stream)
        elif kind is FileKind.TEXT:
            text = decode_text(stream.read(MAX_TEXT_CHARACTERS * 4))
        elif kind is FileKind.EML:
            text = email_text(parse_eml(stream.read()))
        elif kind is FileKind.MSG:
            text = email_text(parse_msg(stream))
        else:
            return Extracted(ExtractionStatus.NOT_APPLICABLE)
    except _UnreadableError as error:
        return Extracted(ExtractionStatus.FAILED, problem=str(error))
    except EmailUnreadableError:
        return Extracted(
            ExtractionStatus.FAILED, problem="The email is damaged, so it cannot be read"
        )
    text = _tidy(text)[:MAX_TEXT_CHARACTERS]
    if not text:
        return Extracted(ExtractionStatus.NO_TEXT)
    return Extracted(ExtractionStatus.EXTRACTED, text=text)


class _UnreadableError(Exception):
    pass


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252, which maps every byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = re.sub(r"[ \t\f\v\xa0]+", " ", text)
    text = re.sub(r"\n\s*\n\s*(\n\s*)+", "\n\n", text)
    return text.strip()


_BLOCK_END = re.compile(
    r"<\s*(br|hr)\b[^>]*>|</\s*(p|div|li|tr|td|th|h[1-6]|blockquote|pre|table|ul|ol)\s*>",
    re.IGNORECASE,
)


def html_to_text(markup: str) -> str:
    """The words of an HTML body: a line break where a block ends (so "<div>Hello</div>
    <div>World</div>" stays two words), tags dropped (nh3 with no tags allowed), entities
    decoded, and scripts, styles and the head removed with their contents."""
    broken = _BLOCK_END.sub(lambda match: match.group(0) + "\n", markup)
    cleaned = nh3.clean(broken, tags=set(), clean_content_tags={"script", "style", "head", "title"})
    return html.unescape(cleaned).strip()


def email_text(email: ParsedEmail) -> str:
    body = email.text_body or html_to_text(email.html_body)
    parts = [
        f"From: {email.sender}" if email.sender else "",
        f"To: {email.to}" if email.to else "",
        f"Subject: {email.subject}" if email.subject else "",
        body,
    ]
    return "\n".join(part for part in parts if part)


def _pdf_text(stream: BinaryIO) -> str:
    try:
        reader = PdfReader(stream)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _UnreadableError("The PDF is protected by a password, so its text cannot be read")
        pages: list[str] = []
        length = 0
        for number, page in enumerate(reader.pages):
            if number >= MAX_PDF_PAGES or length > MAX_TEXT_CHARACTERS:
                break
            text = page.extract_text() or ""
            pages.append(text)
            length += len(text)
    except _UnreadableError:
        raise
    except Exception as error:  # any parser failure: a damaged file
        # pypdf raises its own errors (PyPdfError and its kin) and, on malformed input, plain
        # Python ones from deep inside; none may stop the worker or lose the upload.
        raise _UnreadableError("The PDF is damaged, so its text cannot be read") from error
    return "\n\n".join(pages)


# Actions that run code or reach outside the file ([ISO 32000-1] 12.6.4).
SCRIPT_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/GoToR", "/Rendition"}
MAX_PDF_OBJECTS = 200_000


def pdf_has_scripts(stream: BinaryIO) -> bool:
    """Whether any object in the PDF is a script or launch action, or holds script: every
    indirect object, including those in compressed object streams, read with pypdf. A file
    that cannot be read through counts as having them, so it is never shown in the page."""
    try:
        reader = PdfReader(stream)
        if reader.is_encrypted and not reader.decrypt(""):
            return True
        numbers = {
            (number, generation) for generation, table in reader.xref.items() for number in table
        }
        numbers |= {(number, 0) for number in reader.xref_objStm}
        if len(numbers) > MAX_PDF_OBJECTS:
            return True
        for number, generation in sorted(numbers):
            found = IndirectObject(number, generation, reader).get_object()
            if isinstance(found, DictionaryObject) and _is_script(found):
                return True
    except Exception:  # unreadable means unchecked: never previewed
        return True
    return False


def _is_script(dictionary: DictionaryObject) -> bool:
    if "/JS" in dictionary or "/JavaScript" in dictionary:
        return True
    return str(dictionary.get("/S", "")) in SCRIPT_ACTIONS


def _docx_text(stream: BinaryIO) -> str:
    try:
        with zipfile.ZipFile(stream) as archive:
            data = read_archive_member(archive, "word/document.xml", MAX_UNPACKED_BYTES)
        root = ElementTree.parse(io.BytesIO(data)).getroot()
        if root is None:
            raise _UnreadableError("The Word document is empty")
    except FileRefusedError as error:
        raise _UnreadableError(error.message) from error
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError, zlib.error) as error:
        raise _UnreadableError(
            "The Word document is damaged, so its text cannot be read"
        ) from error
    except DefusedXmlException as error:
        raise _UnreadableError(
            "The Word document holds XML this service does not read (entities), so its text "
            "cannot be read"
        ) from error
    # One walk in document order: each piece of text once, a line break after each paragraph
    # (a text box's paragraphs sit inside another paragraph, and are read once, in place).
    pieces: list[str] = []
    for node in root.iter():
        if node.tag == f"{WORD}t" and node.text:
            pieces.append(node.text)
        elif node.tag == f"{WORD}tab":
            pieces.append("\t")
        elif node.tag in (f"{WORD}br", f"{WORD}cr") or (node.tag == f"{WORD}p" and pieces):
            pieces.append("\n")
    return "".join(pieces)
