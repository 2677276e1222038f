from __future__ import annotations

import io

import pypdf
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from caseledger.domain.sen.passport import (
    CONTINUED,
    MAX_TEXT_PT,
    MIN_TEXT_PT,
    AccessArrangement,
    PassportSheet,
    SheetPart,
    arrangements_text,
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
