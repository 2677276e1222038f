"""Files the demo and the benchmarks store in the evidence vault, made in code: a PDF with a
text layer (or none, like a scan) and an email. The vault's tests use the same builders."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime


def pdf(*pages: str, padding: int = 0, extra: bytes = b"") -> bytes:
    """A PDF whose pages show `pages` as text in Helvetica; no text at all makes a page with
    only a drawn rectangle (what a scanned page is, to a text extractor). `padding` adds an
    unreferenced stream of that many bytes (for a large file), `extra` raw objects."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_id = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids: list[int] = []
    for text in pages or ("",):
        if text:
            lines = b" T* ".join(
                b"("
                + line.replace("\\", "\\\\")
                .replace("(", "\\(")
                .replace(")", "\\)")
                .encode("latin-1")
                + b") Tj"
                for line in text.split("\n")
            )
            content = b"BT /F1 12 Tf 14 TL 72 720 Td " + lines + b" ET"
        else:
            content = b"0.5 g 72 72 451 698 re f"
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                % (pages_id, font, stream)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id
    objects[pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    if padding:
        filler = bytes(range(256)) * (padding // 256 + 1)
        add(b"<< /Length %d >>\nstream\n" % padding + filler[:padding] + b"\nendstream")
    if extra:
        add(extra)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, xref)
    )
    return out.getvalue()


def eml(
    *,
    subject: str = "Strategy meeting on Thursday",
    sender: str = "Sam Okafor <sam.okafor@northmoor.example>",
    to: str = "Amira Khan <amira.khan@northmoor.example>",
    body: str = "The strategy meeting is booked for Thursday at 10am.",
    html: str | None = None,
    attachments: list[tuple[str, str, bytes]] | None = None,
    sent_at: datetime = datetime(2026, 11, 26, 9, 15, tzinfo=UTC),
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(sent_at)
    message["Message-ID"] = "<1234@northmoor.example>"
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for name, media_type, data in attachments or []:
        main, sub = media_type.split("/")
        message.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return message.as_bytes()
