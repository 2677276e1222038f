"""A pupil passport (one-page profile) and its printable single A4 page.

A pupil passport is the short, person-centred summary a school writes with the pupil so that
every adult who works with them knows what matters to them and how best to help (SEND Code
of Practice 0 to 25, 2015, 6.39 and 6.64–6.65: the pupil's and parents' views inform the
support; 6.72: teachers and support staff who work with the pupil must be made aware of
their needs, the outcomes sought, the support provided and any teaching strategies). The
local offers it is drawn from (seeds 001 and 002) list its parts: "I would like you to know
that…", "This means that…", "I find it difficult to…", "It would help me if you could…",
"I will help myself by…", the additional support received, access arrangements, and a key
summary.

`to_pdf` draws the passport on ONE A4 page, as a passport is printed for the class teacher's
file and the supply teacher's desk: the font is shrunk, down to `MIN_TEXT_PT`, until it fits;
if it still does not, the longest parts are shortened, each ending "… (continued in the
online passport)". Drawn by fpdf2 with its core fonts (docs/adr/0006). Pure Python: no
Django.

`photo_without_metadata` keeps a passport photo's pixels and nothing else (no GPS, phone or
time from its EXIF or XMP), turned the right way up.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, BinaryIO

from caseledger.domain.ehcp.working_document import normalise_for_pdf
from caseledger.domain.errors import DomainError

if TYPE_CHECKING:
    from fpdf import FPDF
    from PIL.Image import Image


class AccessArrangement(StrEnum):
    """Arrangements a pupil may need in tests and exams (JCQ "Adjustments for candidates with
    disabilities and learning difficulties" names these; a school uses them in class and in
    its own tests as the pupil's normal way of working)."""

    EXTRA_TIME = "extra_time"
    READER = "reader"
    SCRIBE = "scribe"
    WORD_PROCESSOR = "word_processor"
    REST_BREAKS = "rest_breaks"
    SEPARATE_ROOM = "separate_room"
    PROMPTER = "prompter"
    MODIFIED_PAPERS = "modified_papers"

    @property
    def label(self) -> str:
        return _ARRANGEMENT_LABELS[self]


_ARRANGEMENT_LABELS = {
    AccessArrangement.EXTRA_TIME: "Extra time",
    AccessArrangement.READER: "A reader",
    AccessArrangement.SCRIBE: "A scribe",
    AccessArrangement.WORD_PROCESSOR: "A word processor",
    AccessArrangement.REST_BREAKS: "Rest breaks",
    AccessArrangement.SEPARATE_ROOM: "A separate room",
    AccessArrangement.PROMPTER: "A prompter",
    AccessArrangement.MODIFIED_PAPERS: "Modified papers (for example, enlarged)",
}


def arrangements_text(chosen: Sequence[str], other: str = "") -> str:
    """The arrangements in words, in the list's order, then any other: "Extra time, a
    reader; other: a coloured overlay". Codes not in the list are ignored."""
    picked = [arrangement.label for arrangement in AccessArrangement if arrangement in chosen]
    words = ", ".join(
        [picked[0], *(label[0].lower() + label[1:] for label in picked[1:])] if picked else []
    )
    other = " ".join(other.split())
    if other:
        words = f"{words}; other: {other}" if words else other
    return words


CONTINUED = "… (continued in the online passport)"
MIN_TEXT_PT = 8.0
MAX_TEXT_PT = 11.0
_STEP_PT = 0.5
# A part is never shortened below this many characters: a line or two always survives.
_MIN_KEPT = 60


@dataclass(frozen=True)
class SheetPart:
    heading: str
    text: str
    written_with: str = ""


@dataclass(frozen=True)
class PassportSheet:
    """What the printed page shows. Parts with no text are left off the page."""

    pupil_name: str
    school_name: str
    agreed_on: str  # as people read it: "1 December 2026"
    key_summary: str
    parts: Sequence[SheetPart]
    footer: str = ""
    key_summary_with: str = ""
    photo: bytes | None = None
    photo_description: str = ""


@dataclass(frozen=True)
class PrintedPassport:
    content: bytes
    text_pt: float
    shortened: bool


_FONT = "Helvetica"
_MARGIN_MM = 12.0
_PAGE_W_MM = 210.0
_PAGE_H_MM = 297.0
_PHOTO_W_MM = 36.0
_PHOTO_H_MM = 46.0
_GAP_MM = 5.0
_GREY = (80, 80, 80)
_PANEL = (238, 240, 242)


def to_pdf(sheet: PassportSheet) -> PrintedPassport:
    """The passport on one A4 page: the largest font from `MAX_TEXT_PT` down to `MIN_TEXT_PT`
    that fits, and only if none does, the parts shortened as little as needed."""
    size = MAX_TEXT_PT
    while size >= MIN_TEXT_PT:
        pdf, fits = _draw(sheet, size)
        if fits:
            return PrintedPassport(bytes(pdf.output()), size, shortened=False)
        size -= _STEP_PT
    # Too long even in the smallest font: find the longest allowance per part that fits.
    longest = max((len(part.text) for part in sheet.parts), default=0)
    low, high = 0, longest
    best = _shortened(sheet, 0)
    while low <= high:
        middle = (low + high) // 2
        candidate = _shortened(sheet, middle)
        _, fits = _draw(candidate, MIN_TEXT_PT)
        if fits:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    pdf, _ = _draw(best, MIN_TEXT_PT)
    return PrintedPassport(bytes(pdf.output()), MIN_TEXT_PT, shortened=True)


def _shortened(sheet: PassportSheet, allowance: int) -> PassportSheet:
    """Each part cut to at most `allowance` characters (never fewer than `_MIN_KEPT`), at a
    word boundary, ending with `CONTINUED`; shorter parts are left whole."""
    limit = max(allowance, _MIN_KEPT)
    parts = [
        replace(part, text=shorten(part.text, limit)) if len(part.text) > limit else part
        for part in sheet.parts
    ]
    return replace(sheet, parts=parts)


def shorten(text: str, limit: int) -> str:
    """`text` cut at the last word boundary within `limit` characters, with `CONTINUED`."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + " " + CONTINUED


def _draw(sheet: PassportSheet, size: float) -> tuple[FPDF, bool]:
    """The page drawn at `size` points, and whether everything fitted above the margin."""
    pdf = _new_pdf()
    pdf.set_title(f"Pupil passport: {normalise_for_pdf(sheet.pupil_name)}")
    pdf.set_lang("en-GB")
    pdf.set_creator("Caseledger")
    pdf.add_page()
    line = size * 0.48  # mm per line: about 1.35 times the font size
    width = _PAGE_W_MM - 2 * _MARGIN_MM
    beside_photo = width - _PHOTO_W_MM - _GAP_MM if sheet.photo else width
    photo_bottom = _MARGIN_MM
    if sheet.photo:
        photo_bottom = _draw_photo(pdf, sheet)

    _text(pdf, sheet.pupil_name, beside_photo, size * 1.9, line * 1.8, style="B")
    _text(pdf, "Pupil passport", beside_photo, size * 1.2, line * 1.2)
    _text(
        pdf,
        f"{sheet.school_name}. Agreed on {sheet.agreed_on}",
        beside_photo,
        size,
        line,
        colour=_GREY,
    )
    pdf.ln(line * 0.6)
    _text(pdf, "Key summary", beside_photo, size * 1.1, line * 1.1, style="B")
    pdf.set_fill_color(*_PANEL)
    _text(pdf, sheet.key_summary, beside_photo, size * 1.05, line * 1.05, fill=True)
    if sheet.key_summary_with:
        _text(pdf, f"Written by {sheet.key_summary_with}", beside_photo, size * 0.9, line * 0.9)
    pdf.set_y(max(pdf.get_y(), photo_bottom) + line * 0.6)

    for part in sheet.parts:
        if not part.text.strip():
            continue
        pdf.ln(line * 0.4)
        _text(pdf, part.heading, width, size * 1.05, line, style="B")
        _text(pdf, part.text, width, size, line)
        if part.written_with:
            _text(
                pdf,
                f"Written by {part.written_with}",
                width,
                size * 0.85,
                line * 0.85,
                style="I",
                colour=_GREY,
            )
    if sheet.footer:
        pdf.ln(line * 0.6)
        _text(pdf, sheet.footer, width, size * 0.8, line * 0.8, colour=_GREY)
    fits = pdf.page_no() == 1 and pdf.get_y() <= _PAGE_H_MM - _MARGIN_MM
    return pdf, fits


def _draw_photo(pdf: FPDF, sheet: PassportSheet) -> float:
    """The photo in the top right corner, within its box, keeping its shape; returns the
    bottom of the box. A photo fpdf2 cannot read is left off rather than failing the page."""
    assert sheet.photo is not None
    x = _PAGE_W_MM - _MARGIN_MM - _PHOTO_W_MM
    try:
        pdf.image(
            io.BytesIO(sheet.photo),
            x=x,
            y=_MARGIN_MM,
            w=_PHOTO_W_MM,
            h=_PHOTO_H_MM,
            keep_aspect_ratio=True,
            alt_text=normalise_for_pdf(sheet.photo_description),
        )
    except Exception:  # any unreadable image: print the page without it
        return _MARGIN_MM
    return _MARGIN_MM + _PHOTO_H_MM


def _text(
    pdf: FPDF,
    text: str,
    width: float,
    size: float,
    height: float,
    *,
    style: str = "",
    colour: tuple[int, int, int] = (0, 0, 0),
    fill: bool = False,
) -> None:
    pdf.set_font(_FONT, style, size)
    pdf.set_text_color(*colour)
    pdf.set_x(_MARGIN_MM)
    pdf.multi_cell(
        width,
        height,
        # Line breaks the writer typed are kept (normalise_for_pdf turns them into spaces).
        "\n".join(normalise_for_pdf(line) for line in text.splitlines()),
        new_x="LMARGIN",
        new_y="NEXT",
        align="L",
        fill=fill,
    )


def _new_pdf() -> FPDF:
    # Imported here: fpdf2 takes about 0.4 s to import, which only a PDF should pay.
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_margins(_MARGIN_MM, _MARGIN_MM, _MARGIN_MM)
    # Measured, not broken: a page that would run over is drawn smaller, never onto a second.
    pdf.set_auto_page_break(auto=False)
    return pdf


PHOTO_DAMAGED = "The photo is damaged. Save it again as a JPEG or PNG image, then choose it"
PHOTO_JPEG_QUALITY = 85
# The modes a PNG can be written in as they are; any other is drawn again as RGBA.
_PNG_MODES = frozenset({"1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"})
_JPEG_MODES = frozenset({"L", "RGB"})


def photo_too_large(width: int | None = None, height: int | None = None) -> str:
    size = f" ({width:,} × {height:,} pixels)" if width and height else ""
    return f"The photo is too large{size}. Save it at a smaller size, then choose it"


def photo_without_metadata(stream: BinaryIO, *, png: bool, max_pixels: int) -> bytes:
    """The photo's pixels alone, encoded again: a JPEG stays a JPEG, a PNG a PNG.

    A photo taken on a phone carries where it was taken (GPS), the phone and the time in its
    EXIF and XMP; a passport is special category data about a child (UK GDPR Article 9, data
    minimisation under Article 5(1)(c)), so nothing but the picture is kept or shown. The
    EXIF orientation is applied first, so the photo still stands the right way up once the
    tag that said how to turn it is gone. Only the first picture is kept (a phone's MPO
    JPEG or an animated PNG holds more, each with its own metadata). The ICC profile goes
    too: it is not converted, so no profile from the upload is parsed (a wide-gamut phone
    photo then shows a little less saturated, which a passport photo can bear).

    A decompression bomb is refused before a pixel is decoded: the width and height come
    from the header alone and must come to at most `max_pixels`. Raises DomainError (field
    "photo") for a photo too large or that cannot be read."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    formats = ["PNG" if png else "JPEG"]
    try:
        stream.seek(0)
        with Image.open(stream, formats=formats) as header:
            _check_pixels(header.size, max_pixels)
            header.verify()  # chunk checksums: verify() leaves the image unusable
        stream.seek(0)
        with Image.open(stream, formats=formats) as image:
            _check_pixels(image.size, max_pixels)
            image.load()
            clean = _pixels_only(ImageOps.exif_transpose(image), png=png)
        encoded = io.BytesIO()
        if png:
            clean.save(encoded, "PNG")
        else:
            clean.save(encoded, "JPEG", quality=PHOTO_JPEG_QUALITY, optimize=True)
    except Image.DecompressionBombError as error:  # Pillow's own limit, past ours
        raise DomainError(photo_too_large(), field="photo") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise DomainError(PHOTO_DAMAGED, field="photo") from error
    return encoded.getvalue()


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width * height > max_pixels:
        raise DomainError(photo_too_large(width, height), field="photo")


def _pixels_only(image: Image, *, png: bool) -> Image:
    """The image (a copy this module made, so changed in place) holding its pixels and
    nothing else. Pillow writes some of what it read back out unless told not to (a JPEG's
    comment, a PNG's ICC profile), so `info` is emptied; a PNG keeps its transparency, which
    is part of the picture."""
    transparency = image.info.get("transparency") if png else None
    if png and image.mode not in _PNG_MODES:
        image, transparency = image.convert("RGBA"), None  # now in the alpha channel
    elif not png and image.mode not in _JPEG_MODES:
        image = image.convert("RGB")  # CMYK and the rest: what a browser shows best
    image.info = {} if transparency is None else {"transparency": transparency}
    return image
