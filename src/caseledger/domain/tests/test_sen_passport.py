from __future__ import annotations

import io
import struct
import zlib

import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin

from caseledger.domain.errors import DomainError
from caseledger.domain.sen.passport import (
    CONTINUED,
    MAX_TEXT_PT,
    MIN_TEXT_PT,
    PHOTO_DAMAGED,
    AccessArrangement,
    PassportSheet,
    SheetPart,
    arrangements_text,
    photo_without_metadata,
    shorten,
    to_pdf,
)


def _sheet(text: str = "I like horses.", *, photo: bytes | None = None) -> PassportSheet:
    return PassportSheet(
        pupil_name="Isla Bennett",
        school_name="Riverside Primary School",
        agreed_on="1 December 2026",
        key_summary="Give Isla time to answer.",
        key_summary_with="Isla with Mrs Price",
        parts=[SheetPart(f"Part {number}", text, "Isla with Mrs Price") for number in range(7)],
        footer="Version 1",
        photo=photo,
        photo_description="Photo of Isla Bennett",
    )


def _pages_and_text(content: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return len(reader.pages), " ".join(page.extract_text() for page in reader.pages)


def test_arrangements_are_listed_in_the_lists_order_with_any_other() -> None:
    assert arrangements_text(["reader", "extra_time"]) == "Extra time, a reader"
    assert arrangements_text(["scribe"], "  a coloured   overlay ") == (
        "A scribe; other: a coloured overlay"
    )
    assert arrangements_text([], "Sits near the door") == "Sits near the door"
    assert arrangements_text(["not_a_code"]) == ""
    assert AccessArrangement.MODIFIED_PAPERS.label.startswith("Modified papers")


def test_shorten_cuts_at_a_word_and_says_where_the_rest_is() -> None:
    assert shorten("short", 100) == "short"
    cut = shorten("one two three four five six", 14)
    assert cut == f"one two three {CONTINUED}"


def test_a_short_passport_is_drawn_in_the_largest_font() -> None:
    printed = to_pdf(_sheet())
    assert (printed.text_pt, printed.shortened) == (MAX_TEXT_PT, False)
    pages, text = _pages_and_text(printed.content)
    assert pages == 1
    assert "Give Isla time to answer." in text and "I like horses." in text


def test_a_longer_passport_is_drawn_smaller_on_one_page() -> None:
    printed = to_pdf(_sheet("Isla likes horses and visits a farm. " * 12))
    assert MIN_TEXT_PT <= printed.text_pt < MAX_TEXT_PT and not printed.shortened
    assert _pages_and_text(printed.content)[0] == 1


def test_a_passport_too_long_for_the_smallest_font_is_shortened_on_one_page() -> None:
    printed = to_pdf(_sheet("Isla likes horses and visits a farm. " * 60))
    assert printed.shortened and printed.text_pt == MIN_TEXT_PT
    pages, text = _pages_and_text(printed.content)
    assert pages == 1
    assert "Give Isla time to answer." in text
    assert "continued in the online passport" in text.replace("\n", " ")


def test_the_photo_is_drawn_and_an_unreadable_one_is_left_off() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), (10, 20, 30)).save(buffer, "PNG")
    with_photo = to_pdf(_sheet(photo=buffer.getvalue()))
    reader = pypdf.PdfReader(io.BytesIO(with_photo.content))
    assert list(reader.pages[0].images)
    broken = to_pdf(_sheet(photo=b"\x89PNG\r\n\x1a\n broken"))
    assert _pages_and_text(broken.content)[0] == 1


@settings(max_examples=15, deadline=None)
@given(st.text(min_size=0, max_size=2000))
def test_any_text_prints_on_exactly_one_page(text: str) -> None:
    assert _pages_and_text(to_pdf(_sheet(text)).content)[0] == 1


def _encoded(image: Image.Image, kind: str, **options: object) -> io.BytesIO:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    buffer.seek(0)
    return buffer


def _clean(stream: io.BytesIO, *, png: bool, max_pixels: int = 1_000_000) -> Image.Image:
    return Image.open(io.BytesIO(photo_without_metadata(stream, png=png, max_pixels=max_pixels)))


@pytest.mark.parametrize(("orientation", "size"), [(1, (40, 20)), (3, (40, 20)), (8, (20, 40))])
def test_a_jpeg_is_turned_by_its_orientation_and_keeps_nothing_else(
    orientation: int, size: tuple[int, int]
) -> None:
    image = Image.new("RGB", (40, 20), (20, 20, 220))
    exif = image.getexif()
    exif[0x0112], exif[0x010F] = orientation, "SecretPhoneMaker"
    exif.get_ifd(0x8825)[2] = (53.0, 48.0, 27.25)
    source = _encoded(
        image, "JPEG", exif=exif, comment=b"secret", icc_profile=b"SecretICC", xmp=b"<secret/>"
    )
    with _clean(source, png=False) as clean:
        assert clean.format == "JPEG" and clean.size == size and clean.mode == "RGB"
        assert not clean.getexif()
        assert not {"exif", "comment", "icc_profile", "xmp"} & set(clean.info)


def test_a_png_keeps_its_transparency_but_not_its_text() -> None:
    image = Image.new("P", (10, 10), 1)
    image.putpalette([0, 0, 0, 255, 0, 0])
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "secret")
    source = _encoded(image, "PNG", transparency=1, pnginfo=text, icc_profile=b"SecretICC")
    assert b"tEXt" in source.getvalue()
    with _clean(source, png=True) as clean:
        assert clean.format == "PNG" and clean.mode == "P"
        assert clean.info == {"transparency": 1}
        assert clean.convert("RGBA").getpixel((5, 5)) == (255, 0, 0, 0)


def test_a_cmyk_jpeg_is_kept_as_an_rgb_jpeg() -> None:
    source = _encoded(Image.new("CMYK", (8, 8), (0, 255, 255, 0)), "JPEG")
    with _clean(source, png=False) as clean:
        assert (clean.format, clean.mode) == ("JPEG", "RGB")


def _png_declaring(width: int, height: int) -> io.BytesIO:
    """A real 4 × 4 PNG whose header claims another size, as a decompression bomb's does."""
    real = _encoded(Image.new("RGB", (4, 4)), "PNG").getvalue()
    chunk = b"IHDR" + struct.pack(">II", width, height) + real[24:29]
    return io.BytesIO(real[:12] + chunk + struct.pack(">I", zlib.crc32(chunk)) + real[33:])


def test_too_many_pixels_are_refused_from_the_header_before_decoding() -> None:
    # The pixels behind the header are 16: decoding them as 2,000 × 1,000 would fail as
    # damaged, so "too large" shows the refusal came first.
    with pytest.raises(DomainError, match=r"too large \(2,000 × 1,000 pixels\)") as refused:
        photo_without_metadata(_png_declaring(2000, 1000), png=True, max_pixels=1_000_000)
    assert refused.value.field == "photo"
    with pytest.raises(DomainError, match=r"too large\. Save it"):
        photo_without_metadata(_png_declaring(100_000, 100_000), png=True, max_pixels=10**12)


@pytest.mark.parametrize(
    ("data", "png"),
    [
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, False),
        (b"\x89PNG\r\n\x1a\n broken", True),
        (_encoded(Image.new("RGB", (4, 4)), "PNG").getvalue(), False),  # not what it says
    ],
)
def test_a_photo_that_does_not_read_is_damaged(data: bytes, png: bool) -> None:
    with pytest.raises(DomainError, match=PHOTO_DAMAGED):
        photo_without_metadata(io.BytesIO(data), png=png, max_pixels=1_000_000)
