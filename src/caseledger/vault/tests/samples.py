"""Files for the vault's tests, made here rather than kept as opaque binaries: a PDF with a
text layer, one without (a scan), a Word document, images, emails (.eml and Outlook .msg,
written as an OLE compound file by a small writer below), and hostile files of each kind the
vault must refuse."""

from __future__ import annotations

import io
import itertools
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from caseledger.demo import files

# PDFs and emails: the builders the demo uses too.
pdf = files.pdf
eml = files.eml


# --- Word ------------------------------------------------------------------------------------

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def document_xml(*paragraphs: str) -> bytes:
    body = "".join(
        f"<w:p><w:r><w:t>{text.replace('&', '&amp;').replace('<', '&lt;')}</w:t></w:r></w:p>"
        for text in paragraphs
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    ).encode()


def docx(*paragraphs: str, parts: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", document_xml(*paragraphs))
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_bomb_docx(unpacked: int = 300 * 1024 * 1024) -> bytes:
    """A Word document with a part of `unpacked` zero bytes, deflated to a few hundred KB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", document_xml("Hello"))
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as part:
            block = b"\x00" * (1024 * 1024)
            for _ in range(unpacked // len(block)):
                part.write(block)
    return out.getvalue()


def lying_zip_bomb_docx(unpacked: int = 300 * 1024 * 1024) -> bytes:
    """A zip bomb whose central directory claims its big part is 10 bytes: only counting the
    bytes actually decompressed catches it."""
    data = zip_bomb_docx(unpacked)
    marker = b"word/media/padding.bin"
    central = data.rfind(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_length] == marker:
            extra_length = struct.unpack_from("<H", data, central + 30)[0]
            # Zip64 sizes live in the extra field; blank it and write small 32-bit sizes.
            patched = bytearray(data)
            struct.pack_into("<I", patched, central + 24, 10)
            struct.pack_into("<I", patched, central + 20, 10)
            start = central + 46 + name_length
            patched[start : start + extra_length] = b"\x00" * extra_length
            if extra_length >= 4:
                struct.pack_into("<HH", patched, start, 0xCAFE, extra_length - 4)
            return bytes(patched)
        central = data.rfind(b"PK\x01\x02", 0, central)
    raise AssertionError("no central directory entry")


# --- Images ----------------------------------------------------------------------------------


def png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * min(width, 4) for _ in range(min(height, 4)))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpeg(width: int = 16, height: int = 16) -> bytes:
    """The markers a JPEG opens with, up to its frame header (enough for the size check)."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


# --- Emails ----------------------------------------------------------------------------------


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    index: int = 0
    start: int = 0xFFFFFFFE
    right: int = 0xFFFFFFFF


END_OF_CHAIN = 0xFFFFFFFE
FREE = 0xFFFFFFFF
FAT_SECTOR = 0xFFFFFFFD
NO_STREAM = 0xFFFFFFFF


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE compound file (MS-CFB, version 3) holding `streams`, named by path with "/"
    between storages: the container Outlook saves .msg files in."""
    root = _Entry("Root Entry", 5)
    for path, data in streams.items():
        node = root
        *storages, name = path.split("/")
        for storage in storages:
            found = next((child for child in node.children if child.name == storage), None)
            if found is None:
                found = _Entry(storage, 1)
                node.children.append(found)
            node = found
        node.children.append(_Entry(name, 2, data))

    entries: list[_Entry] = []

    def number(node: _Entry) -> None:
        node.index = len(entries)
        entries.append(node)
        for child in node.children:
            number(child)

    number(root)
    for entry in entries:
        children = _sorted_children(entry)
        for left, right in itertools.pairwise(children):
            left.right = right.index
    sectors: list[bytes] = []
    fat: list[int] = []

    def allocate(data: bytes) -> int:
        count = max(1, -(-len(data) // 512))
        first = len(sectors)
        for offset in range(count):
            sectors.append(data[offset * 512 : (offset + 1) * 512].ljust(512, b"\x00"))
            fat.append(first + offset + 1 if offset < count - 1 else END_OF_CHAIN)
        return first

    mini = bytearray()
    minifat: list[int] = []
    for entry in entries:
        if entry.kind != 2:
            continue
        if len(entry.data) >= 4096:
            entry.start = allocate(entry.data)
        elif entry.data:
            count = -(-len(entry.data) // 64)
            entry.start = len(minifat)
            for offset in range(count):
                mini += entry.data[offset * 64 : (offset + 1) * 64].ljust(64, b"\x00")
                minifat.append(entry.start + offset + 1 if offset < count - 1 else END_OF_CHAIN)
    if mini:
        root.start = allocate(bytes(mini))
    minifat_start = (
        allocate(b"".join(struct.pack("<I", value) for value in minifat)) if minifat else None
    )
    directory = b"".join(_directory_entry(entry, root_size=len(mini)) for entry in entries)
    directory_start = allocate(directory)
    fat_count = 1
    while len(sectors) + fat_count > fat_count * 128:
        fat_count += 1
    fat_start = len(sectors)
    fat += [FAT_SECTOR] * fat_count
    fat += [FREE] * (fat_count * 128 - len(fat))
    sectors.extend(
        b"".join(struct.pack("<I", value) for value in fat[index * 128 : (index + 1) * 128])
        for index in range(fat_count)
    )
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, fat_count)
    struct.pack_into("<I", header, 48, directory_start)
    struct.pack_into("<I", header, 56, 4096)
    struct.pack_into("<I", header, 60, minifat_start if minifat_start is not None else END_OF_CHAIN)
    struct.pack_into("<I", header, 64, -(-len(minifat) * 4 // 512) if minifat else 0)
    struct.pack_into("<I", header, 68, END_OF_CHAIN)
    for slot in range(109):
        struct.pack_into(
            "<I", header, 76 + slot * 4, fat_start + slot if slot < fat_count else FREE
        )
    return bytes(header) + b"".join(sectors)


def _sorted_children(entry: _Entry) -> list[_Entry]:
    return sorted(entry.children, key=lambda child: (len(child.name), child.name.upper()))


def _directory_entry(entry: _Entry, *, root_size: int) -> bytes:
    raw = bytearray(128)
    name = entry.name.encode("utf-16-le")
    raw[0 : len(name)] = name
    struct.pack_into("<HBB", raw, 64, len(name) + 2, entry.kind, 1)
    # Children as a right-leaning chain of siblings, in the order CFB sorts names.
    struct.pack_into("<III", raw, 68, NO_STREAM, entry.right, NO_STREAM)
    children = _sorted_children(entry)
    if children:
        struct.pack_into("<I", raw, 76, children[0].index)
    entry_size = root_size if entry.kind == 5 else len(entry.data)
    struct.pack_into("<IQ", raw, 116, entry.start if entry_size else END_OF_CHAIN, entry_size)
    return bytes(raw)


def outlook_msg(
    *,
    subject: str = "Strategy meeting on Thursday",
    sender_name: str = "Sam Okafor",
    sender_address: str = "sam.okafor@northmoor.example",
    to: str = "Amira Khan",
    body: str = "The strategy meeting is booked for Thursday at 10am.",
    sent_at: datetime = datetime(2026, 11, 26, 9, 15, tzinfo=UTC),
    attachments: list[tuple[str, bytes]] | None = None,
) -> bytes:
    """An Outlook .msg file ([MS-OXMSG]): MAPI properties as streams in a compound file."""

    def text(property_id: int) -> str:
        return f"__substg1.0_{property_id:04X}001F"

    filetime = int((sent_at - datetime(1601, 1, 1, tzinfo=UTC)).total_seconds() * 10_000_000)
    properties = bytes(32) + struct.pack("<IIQ", (0x0039 << 16) | 0x0040, 6, filetime)
    streams = {
        "__properties_version1.0": properties,
        text(0x0037): subject.encode("utf-16-le"),
        text(0x0C1A): sender_name.encode("utf-16-le"),
        text(0x5D01): sender_address.encode("utf-16-le"),
        text(0x0E04): to.encode("utf-16-le"),
        text(0x1000): body.encode("utf-16-le"),
    }
    for index, (name, data) in enumerate(attachments or []):
        storage = f"__attach_version1.0_#{index:08X}"
        streams[f"{storage}/__properties_version1.0"] = bytes(8)
        streams[f"{storage}/{text(0x3707)}"] = name.encode("utf-16-le")
        streams[f"{storage}/__substg1.0_37010102"] = data
    return compound_file(streams)


def old_word_document() -> bytes:
    """A compound file that is not an email: what a Word 97-2003 .doc looks like."""
    return compound_file({"WordDocument": b"\x00" * 600, "\x05SummaryInformation": b"\x00" * 100})
