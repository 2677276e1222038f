"""What an uploaded file is, decided by its bytes, and whether the evidence vault takes it.

The vault takes PDF, Word (.docx), JPEG and PNG images, plain text and emails (.eml and
Outlook .msg). The type is read from the content, never trusted from the name, and the name's
extension must agree with it (OWASP ASVS 5.2.2: extension *and* content). An executable
renamed `.pdf`, a web page or SVG image (which can carry script), a Word file with macros, an
archive whose entries would unpack to more than a fixed number of bytes (a zip bomb, including
the overlapping-entry kind this Python's `zipfile` does not detect: ASVS 5.2.3, CPython
gh-109858) and an image declaring more pixels than any scan needs (ASVS 5.2.6) are refused,
each with a message that says what to do instead.

Pure Python: no Django. `identify` reads through a binary file object, in bounded pieces, so
a large upload is never held in memory whole.
"""

from __future__ import annotations

import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from enum import StrEnum
from typing import BinaryIO

import olefile


class FileKind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    JPEG = "jpeg"
    PNG = "png"
    TEXT = "text"
    EML = "eml"
    MSG = "msg"


# What each kind is called to the person uploading, and served as.
LABELS = {
    FileKind.PDF: "PDF",
    FileKind.DOCX: "Word document",
    FileKind.JPEG: "JPEG image",
    FileKind.PNG: "PNG image",
    FileKind.TEXT: "text file",
    FileKind.EML: "email",
    FileKind.MSG: "Outlook email",
}
MEDIA_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
    FileKind.TEXT: "text/plain; charset=utf-8",
    FileKind.EML: "message/rfc822",
    FileKind.MSG: "application/vnd.ms-outlook",
}
EXTENSIONS: dict[str, FileKind] = {
    ".pdf": FileKind.PDF,
    ".docx": FileKind.DOCX,
    ".jpg": FileKind.JPEG,
    ".jpeg": FileKind.JPEG,
    ".png": FileKind.PNG,
    ".txt": FileKind.TEXT,
    ".eml": FileKind.EML,
    ".msg": FileKind.MSG,
}
# The extension a kind is given when a name has none that fits (an email's attachment).
CANONICAL_EXTENSION = {
    FileKind.PDF: ".pdf",
    FileKind.DOCX: ".docx",
    FileKind.JPEG: ".jpg",
    FileKind.PNG: ".png",
    FileKind.TEXT: ".txt",
    FileKind.EML: ".eml",
    FileKind.MSG: ".msg",
}
ACCEPTED = "a PDF, Word document (.docx), JPEG or PNG image, text file, or email (.eml or .msg)"

# Limits. A Word file's parts may unpack to this much in all; a real one is rarely 10 MB.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ARCHIVE_ENTRIES = 2_000
# An A4 page scanned at 600 dpi is about 35 million pixels; a phone photo 50 million.
MAX_IMAGE_PIXELS = 100_000_000
MAX_FILE_NAME_LENGTH = 150

HEAD_BYTES = 8192
# How far an email's headers are read to recognise it (a long relay chain comes first).
EMAIL_HEADER_BYTES = 64 * 1024
TAIL_BYTES = 2048
CHUNK = 1024 * 1024


class FileRefusedError(Exception):
    """The file is not taken; `message` says why and what to do, in GOV.UK error style."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Identified:
    kind: FileKind
    # A PDF with script or launch actions is kept (it may be evidence) but never shown in
    # the page, only downloaded.
    active_content: bool = False


# --- File names ------------------------------------------------------------------------------

_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
# Characters no file name should hold: path separators, Windows' reserved characters, and
# control characters; bidirectional overrides (U+202E makes "fdp.exe" read "exe.pdf").
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def sanitise_file_name(name: str, fallback: str = "document") -> str:
    """A name safe to show and to put in a Content-Disposition header: the last part of any
    path, no control, bidirectional or reserved characters, not a Windows device name, at
    most `MAX_FILE_NAME_LENGTH` characters with its extension kept."""
    # Bidirectional controls go before normalising, so that a letter and its accent they
    # separated are composed, and sanitising twice gives the same name.
    name = unicodedata.normalize("NFC", _BIDI.sub("", name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > MAX_FILE_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            stem = stem[: MAX_FILE_NAME_LENGTH - len(extension) - 1].rstrip(" .")
            name = f"{stem}.{extension}" if stem else extension
        else:
            name = name[:MAX_FILE_NAME_LENGTH].rstrip(" .")
    if not name:
        name = fallback
    # Last, so that shortening cannot leave a device name ("con . . . x.pdf" cut to "con.pdf").
    if _WINDOWS_RESERVED.match(name):
        name = f"_{name}"[:MAX_FILE_NAME_LENGTH]
    return name


def extension_of(name: str) -> str:
    _, dot, extension = name.rpartition(".")
    return f".{extension.lower()}" if dot and extension else ""


def named_for(kind: FileKind, name: str) -> str:
    """`name`, with the kind's extension added when its own does not fit (an attachment
    called "scan" that is a PDF becomes "scan.pdf")."""
    if EXTENSIONS.get(extension_of(name)) is kind:
        return name
    return sanitise_file_name(f"{name}{CANONICAL_EXTENSION[kind]}")


# --- Identifying content ---------------------------------------------------------------------


def identify_content(stream: BinaryIO, *, size: int) -> Identified:
    """What the file is, from its bytes alone. Raises `FileRefusedError`.

    For a file someone else named (an email's attachment); `identify` for an upload, whose
    name must agree. `stream` must be seekable; it is left at an unspecified position."""
    if size <= 0:
        raise FileRefusedError("The selected file is empty")
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    if not head:
        raise FileRefusedError("The selected file is empty")
    kind, active = _kind_of(stream, head, size)
    return Identified(kind=kind, active_content=active)


def identify(stream: BinaryIO, *, name: str, size: int) -> Identified:
    """What the file is, from its bytes, checked against its name. Raises `FileRefusedError`.

    `stream` must be seekable; it is left at an unspecified position."""
    found = identify_content(stream, size=size)
    kind, active = found.kind, found.active_content
    extension = extension_of(name)
    named = EXTENSIONS.get(extension)
    if named is None:
        shown = f"‘{extension}’ files" if extension else "Files without an extension"
        raise FileRefusedError(f"{shown} are not accepted. The file must be {ACCEPTED}")
    if named is not kind and not (named is FileKind.TEXT and kind is FileKind.EML):
        raise FileRefusedError(
            f"The file is called ‘{sanitise_file_name(name)}’ but it is not "
            f"{_article(LABELS[named])}: it looks like {_article(LABELS[kind])}. Check you "
            "chose the right file, or save it with the right extension"
        )
    if named is FileKind.TEXT:
        # An email saved as .txt is kept as the text file it was named.
        kind = FileKind.TEXT
    return Identified(kind=kind, active_content=active)


def _article(label: str) -> str:
    return f"an {label}" if label[0].lower() in "aeiou" else f"a {label}"


def _kind_of(stream: BinaryIO, head: bytes, size: int) -> tuple[FileKind, bool]:
    if head.startswith((b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")):
        raise FileRefusedError(f"The selected file is a program, which is not accepted. {_must()}")
    if head[:1024].find(b"%PDF-") != -1:
        return FileKind.PDF, _check_pdf(stream, size)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        _check_png(head)
        return FileKind.PNG, False
    if head.startswith(b"\xff\xd8\xff"):
        _check_jpeg(stream)
        return FileKind.JPEG, False
    if head.startswith(b"PK\x03\x04"):
        _check_docx(stream)
        return FileKind.DOCX, False
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        _check_msg(stream)
        return FileKind.MSG, False
    if head.startswith((b"GIF8", b"II*\x00", b"MM\x00*", b"RIFF", b"\x1f\x8b", b"Rar!", b"7z")):
        raise FileRefusedError(f"This type of file is not accepted. {_must()}")
    return _text_kind(stream, head), False


def _must() -> str:
    return f"The file must be {ACCEPTED}"


def _check_pdf(stream: BinaryIO, size: int) -> bool:
    """A complete PDF (its end-of-file marker present); True if it carries script or launch
    actions, found by scanning in bounded pieces."""
    stream.seek(max(0, size - TAIL_BYTES))
    if b"%%EOF" not in stream.read(TAIL_BYTES):
        raise FileRefusedError(
            "The PDF is incomplete or damaged. Download or save it again, then upload it"
        )
    stream.seek(0)
    carry = b""
    while chunk := stream.read(CHUNK):
        window = carry + chunk
        # A name may spell its characters as #xx ("/J#61vaScript" is "/JavaScript").
        plain = _NAME_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), window)
        if _SCRIPT_NAME.search(plain):
            return True
        carry = window[-64:]
    return False


_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Actions that run or fetch something. Names inside compressed object streams are not seen
# here: the background worker checks every object with a PDF parser before any preview.
_SCRIPT_NAME = re.compile(rb"/(JavaScript|JS|Launch|ImportData|GoToR|SubmitForm)(?![A-Za-z0-9])")


def _check_pixels(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise FileRefusedError("The image is damaged. Save it again, then upload it")
    if width * height > MAX_IMAGE_PIXELS:
        raise FileRefusedError(
            f"The image is too large ({width:,} × {height:,} pixels). Save it at a smaller "
            "size, or as a PDF, then upload it"
        )


def _check_png(head: bytes) -> None:
    if len(head) < 24 or head[12:16] != b"IHDR":
        raise FileRefusedError("The image is damaged. Save it again, then upload it")
    width, height = struct.unpack(">II", head[16:24])
    _check_pixels(width, height)


def _check_jpeg(stream: BinaryIO) -> None:
    """Walk the JPEG's markers to its frame header (SOFn) for the image's size."""
    stream.seek(2)
    while True:
        marker = stream.read(2)
        if len(marker) < 2 or marker[0] != 0xFF:
            raise FileRefusedError("The image is damaged. Save it again, then upload it")
        code = marker[1]
        if code == 0xFF:
            stream.seek(-1, 1)  # fill byte
            continue
        if code in (0xD8, 0x01) or 0xD0 <= code <= 0xD7:
            continue
        length_bytes = stream.read(2)
        if len(length_bytes) < 2:
            raise FileRefusedError("The image is damaged. Save it again, then upload it")
        (length,) = struct.unpack(">H", length_bytes)
        if code in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            frame = stream.read(5)
            if len(frame) < 5:
                raise FileRefusedError("The image is damaged. Save it again, then upload it")
            height, width = struct.unpack(">HH", frame[1:5])
            _check_pixels(width, height)
            return
        if code == 0xDA or length < 2:
            raise FileRefusedError("The image is damaged. Save it again, then upload it")
        stream.seek(length - 2, 1)


def read_archive_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """One member, decompressed in pieces and refused past `limit` bytes (however small the
    archive says it is: the sizes in a zip are the sender's claim)."""
    parts: list[bytes] = []
    total = 0
    with archive.open(name) as member:
        while piece := member.read(CHUNK):
            total += len(piece)
            if total > limit:
                raise FileRefusedError(_zip_bomb())
            parts.append(piece)
    return b"".join(parts)


def _unpacked_size(archive: zipfile.ZipFile, name: str, limit: int) -> int:
    """How many bytes one member unpacks to, counted as it is decompressed and discarded;
    refused past `limit`."""
    total = 0
    with archive.open(name) as member:
        while piece := member.read(CHUNK):
            total += len(piece)
            if total > limit:
                raise FileRefusedError(_zip_bomb())
    return total


def _declared_entries(stream: BinaryIO) -> int | None:
    """The number of entries a zip's end record declares (zip64 too), read before
    `zipfile` builds an object for every one of them; None if there is no end record."""
    size = stream.seek(0, 2)
    stream.seek(max(0, size - 65_557))  # the end record and the longest comment
    tail = stream.read()
    end = tail.rfind(b"PK\x05\x06")
    if end == -1 or len(tail) < end + 22:
        return None
    (count,) = struct.unpack_from("<H", tail, end + 10)
    if count != 0xFFFF:
        return int(count)
    locator = tail.rfind(b"PK\x06\x07", 0, end)
    if locator == -1 or len(tail) < locator + 20:
        return None
    (offset,) = struct.unpack_from("<Q", tail, locator + 8)
    stream.seek(offset)
    record = stream.read(56)
    if not record.startswith(b"PK\x06\x06") or len(record) < 40:
        return None
    (count64,) = struct.unpack_from("<Q", record, 32)
    return int(count64)


def _zip_bomb() -> str:
    return (
        "The Word document unpacks to far more than a document needs, so it is not accepted. "
        "Save it as a PDF, then upload that"
    )


def _check_docx(stream: BinaryIO) -> None:
    """A Word document: a zip holding a main document part, with no macros, no entries
    outside the archive, and parts that unpack to a bounded size in all (every byte of them
    decompressed and counted, not the sizes the archive claims)."""
    declared = _declared_entries(stream)
    if declared is not None and declared > MAX_ARCHIVE_ENTRIES:
        raise FileRefusedError(_zip_bomb())
    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise FileRefusedError(
            "The Word document is damaged. Save it again, then upload it"
        ) from error
    names = {entry.filename for entry in entries}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise FileRefusedError(f"The selected file is an archive, not a Word document. {_must()}")
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        raise FileRefusedError(_zip_bomb())
    for entry in entries:
        path = entry.filename
        is_link = (entry.external_attr >> 16) & 0o170000 == 0o120000
        outside = path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", path)
        if outside or ".." in re.split(r"[\\/]", path) or is_link:
            raise FileRefusedError(
                "The Word document holds files that point outside it, so it is not accepted. "
                "Save it as a PDF, then upload that"
            )
        if path.lower().endswith("vbaproject.bin"):
            raise FileRefusedError(
                "Word documents with macros are not accepted. Save it as a .docx without "
                "macros, or as a PDF, then upload it"
            )
    remaining = MAX_UNPACKED_BYTES
    try:
        for entry in entries:
            remaining -= _unpacked_size(archive, entry.filename, remaining)
    except FileRefusedError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, zlib.error) as error:
        # RuntimeError: an encrypted entry; zlib.error: a damaged deflate stream.
        raise FileRefusedError(
            "The Word document is damaged or password-protected. Save it again without a "
            "password, then upload it"
        ) from error


def _check_msg(stream: BinaryIO) -> None:
    stream.seek(0)
    try:
        with olefile.OleFileIO(stream) as ole:
            is_message = ole.exists("__properties_version1.0") and any(
                path[-1].startswith("__substg1.0_") for path in ole.listdir()
            )
    except (OSError, ValueError, IndexError, struct.error) as error:
        raise FileRefusedError(
            "The Outlook email is damaged. Save it again, then upload it"
        ) from error
    if not is_message:
        raise FileRefusedError(
            "Word 97-2003 (.doc), Excel and other older Office files are not accepted. Save it "
            "as a .docx or PDF, then upload it"
        )


_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:[ \t]*\S?", re.ASCII)
_EMAIL_HEADERS = {b"from", b"to", b"subject", b"date", b"message-id", b"received", b"cc"}


def _text_kind(stream: BinaryIO, head: bytes) -> FileKind:
    """Plain text (UTF-8, or Windows-1252 without control characters) or an RFC 5322 email;
    never markup, which a browser would run."""
    stream.seek(0)
    carry = b""
    decodable_utf8 = True
    while chunk := stream.read(CHUNK):
        if b"\x00" in chunk:
            raise FileRefusedError(f"This type of file is not accepted. {_must()}")
        if decodable_utf8:
            try:
                (carry + chunk).decode("utf-8")
                carry = b""
            except UnicodeDecodeError as error:
                # A multi-byte character cut at the chunk's end is finished by the next.
                if (
                    error.start >= len(carry + chunk) - 3
                    and error.reason == "unexpected end of data"
                ):
                    carry = (carry + chunk)[error.start :]
                else:
                    decodable_utf8 = False
    if carry:
        decodable_utf8 = False
    if not decodable_utf8:
        text = head.decode("cp1252", errors="replace")
        if re.search(r"[\x01-\x08\x0b\x0c\x0e-\x1f]", text):
            raise FileRefusedError(f"This type of file is not accepted. {_must()}")
    # An email's HTML body is markup too; it is kept as sent and sanitised when shown. Its
    # headers are read further than the head: mail servers put their Received lines first.
    stream.seek(0)
    if _looks_like_email(stream.read(EMAIL_HEADER_BYTES)):
        return FileKind.EML
    sample = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if sample.startswith((b"<", b"<?xml")) or re.search(
        rb"<\s*(html|svg|script|body|iframe|object|embed)\b|<!doctype", head.lower()
    ):
        raise FileRefusedError(
            "Web pages, SVG images and other markup files are not accepted, because they can "
            "carry programs. Save it as a PDF, then upload it"
        )
    return FileKind.TEXT


def _looks_like_email(head: bytes) -> bool:
    """Header lines from the first line to a blank line, among them From and one more of the
    usual ones."""
    seen: set[bytes] = set()
    lines = head.splitlines()
    if len(head) == EMAIL_HEADER_BYTES and not head.endswith((b"\n", b"\r")):
        lines = lines[:-1]  # the read ended inside a line: judge the whole lines only
    for line in lines:
        if not line.strip():
            break  # the end of the headers (or of the head read: long Received chains)
        if line[:1] in (b" ", b"\t"):
            continue  # a folded header's continuation
        if not _HEADER_LINE.match(line):
            return False
        seen.add(line.split(b":", 1)[0].strip().lower())
    return b"from" in seen and len(seen & _EMAIL_HEADERS) >= 2
