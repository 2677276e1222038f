"""The tribunal working document: each change strikes the council's words and shows the
family's wording in bold right after them, no council word is ever lost or shown twice, and
the Word and PDF files open, navigate by heading and survive any text a plan may hold."""

from __future__ import annotations

import io
import re
import zipfile
from itertools import pairwise
from xml.etree.ElementTree import Element

import pypdf
from defusedxml import ElementTree
from hypothesis import given, settings
from hypothesis import strategies as st

from caseledger.domain.ehcp.working_document import (
    EMPTY_SECTION_TEXT,
    KEY_TEXT,
    Change,
    Segment,
    SegmentKind,
    WorkingDocument,
    WorkingSection,
    normalise_for_pdf,
    paragraphs,
    to_docx,
    to_pdf,
)

SAME, DELETED, PROPOSED = SegmentKind.SAME, SegmentKind.DELETED, SegmentKind.PROPOSED
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
F_TEXT = "Jack will receive support from a teaching assistant as appropriate."


def section(text: str, *changes: Change, key: str = "F") -> WorkingSection:
    return WorkingSection(key, f"Section {key}: Special educational provision", text, changes)


def change(text: str, old: str, proposed: str, note: str = "") -> Change:
    start = text.index(old)
    return Change(start, start + len(old), proposed, note)


def shown(text: str, *changes: Change) -> list[list[tuple[SegmentKind, str]]]:
    return [
        [(segment.kind, segment.text) for segment in paragraph]
        for paragraph in paragraphs(section(text, *changes))
    ]


def document(
    *sections: WorkingSection, title: str = "Jack Smith: working document"
) -> WorkingDocument:
    return WorkingDocument(
        title=title,
        subtitle_lines=["Jack Smith", "Draft plan issued 3 March 2026", "Prepared 1 December 2026"],
        sections=sections,
    )


# Paragraphs


def test_a_replacement_strikes_the_council_words_then_shows_the_proposed_wording():
    replacement = change(F_TEXT, "as appropriate", "for 20 hours a week")
    assert shown(F_TEXT, replacement) == [
        [
            (SAME, "Jack will receive support from a teaching assistant "),
            (DELETED, "as appropriate"),
            (PROPOSED, "for 20 hours a week"),
            (SAME, "."),
        ]
    ]


def test_a_deletion_strikes_the_words_and_proposes_nothing():
    assert shown(F_TEXT, change(F_TEXT, " as appropriate", "")) == [
        [
            (SAME, "Jack will receive support from a teaching assistant"),
            (DELETED, " as appropriate"),
            (SAME, "."),
        ]
    ]


def test_an_insertion_adds_the_proposed_wording_and_strikes_nothing():
    at = F_TEXT.index("teaching")
    assert shown(F_TEXT, Change(at, at, "qualified ")) == [
        [
            (SAME, "Jack will receive support from a "),
            (PROPOSED, "qualified "),
            (SAME, "teaching assistant as appropriate."),
        ]
    ]


def test_changes_are_shown_in_the_order_of_the_council_text_whatever_order_they_come_in():
    later = change(F_TEXT, "as appropriate", "daily")
    earlier = change(F_TEXT, "Jack", "He")
    assert shown(F_TEXT, later, earlier) == shown(F_TEXT, earlier, later)
    assert shown(F_TEXT, later, earlier)[0][:2] == [(DELETED, "Jack"), (PROPOSED, "He")]


def test_an_overlapping_change_is_clipped_to_start_where_the_earlier_one_ends():
    text = "one two three four"
    first = Change(4, 13, "2 3")  # "two three"
    overlapping = Change(8, 18, "3 4")  # "three four": "three" is already struck
    assert shown(text, overlapping, first) == [
        [
            (SAME, "one "),
            (DELETED, "two three"),
            (PROPOSED, "2 3"),
            (DELETED, " four"),
            (PROPOSED, "3 4"),
        ]
    ]


def test_a_change_inside_an_earlier_one_keeps_its_wording_as_an_insertion_after_it():
    text = "one two three four"
    assert shown(text, Change(4, 13, "2 3"), Change(8, 9, "T", note="kept")) == [
        [(SAME, "one "), (DELETED, "two three"), (PROPOSED, "2 3T"), (SAME, " four")]
    ]


def test_offsets_outside_the_council_text_are_clamped_to_it():
    text = "Support as needed."
    assert shown(text, Change(-5, 7, "Help")) == [
        [(DELETED, "Support"), (PROPOSED, "Help"), (SAME, " as needed.")]
    ]
    assert shown(text, Change(8, 999, "daily.")) == [
        [(SAME, "Support "), (DELETED, "as needed."), (PROPOSED, "daily.")]
    ]
    assert shown(text, Change(500, 600, " Weekly.")) == [
        [(SAME, "Support as needed."), (PROPOSED, " Weekly.")]
    ]


def test_a_change_ending_before_it_starts_is_an_insertion_at_its_start():
    text = "Support as needed."
    assert shown(text, Change(8, 2, "only ")) == [
        [(SAME, "Support "), (PROPOSED, "only "), (SAME, "as needed.")]
    ]


def test_each_line_of_the_council_text_is_a_paragraph_and_blank_lines_make_none():
    text = "  First paragraph.  \r\n\r\n\n   \nSecond paragraph.\nThird."
    assert shown(text) == [
        [(SAME, "First paragraph.")],
        [(SAME, "Second paragraph.")],
        [(SAME, "Third.")],
    ]


def test_a_deletion_across_paragraphs_is_struck_through_in_each():
    text = "Keep this. Remove this\n\nand this. Keep that."
    assert shown(text, change(text, "Remove this\n\nand this.", "Replacement.")) == [
        [(SAME, "Keep this. "), (DELETED, "Remove this")],
        [(DELETED, "and this."), (PROPOSED, "Replacement."), (SAME, " Keep that.")],
    ]


def test_proposed_wording_with_a_line_break_starts_a_new_paragraph():
    text = "One. Two."
    assert shown(text, Change(4, 4, " New.\nAnother")) == [
        [(SAME, "One."), (PROPOSED, " New.")],
        [(PROPOSED, "Another"), (SAME, " Two.")],
    ]


def test_a_section_with_nothing_in_it_says_so():
    placeholder = [[(SAME, EMPTY_SECTION_TEXT)]]
    assert shown("") == placeholder
    assert shown(" \n\n \t") == placeholder
    assert shown("", Change(0, 0, "")) == placeholder


def test_an_empty_section_shows_the_familys_proposed_wording():
    assert shown("", Change(0, 0, "Jack needs a quiet space.")) == [
        [(PROPOSED, "Jack needs a quiet space.")]
    ]


line_breaks = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\u2028", "\x0c"])
plan_text = st.lists(st.one_of(st.text(max_size=12), line_breaks), max_size=12).map("".join)
changes = st.lists(
    st.builds(
        Change,
        start=st.integers(-20, 200),
        end=st.integers(-20, 200),
        proposed=st.one_of(st.text(max_size=10), plan_text),
        note=st.text(max_size=5),
    ),
    max_size=8,
)
BREAK = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def without_whitespace(text: str) -> str:
    return "".join(text.split())


@given(text=plan_text, changes=changes)
def test_no_council_word_is_lost_or_repeated_and_no_proposed_word_is_lost(text, changes):
    result = paragraphs(section(text, *changes))

    assert result
    for paragraph in result:
        assert paragraph and any(segment.text.strip() for segment in paragraph)
        assert all(segment.text and not BREAK.search(segment.text) for segment in paragraph)
        assert all(a.kind != b.kind for a, b in pairwise(paragraph))
    if result == [[Segment(SAME, EMPTY_SECTION_TEXT)]]:
        assert not text.strip()
        return
    council = ["".join(s.text for s in p if s.kind is not PROPOSED) for p in result]
    proposed = "".join(s.text for p in result for s in p if s.kind is PROPOSED)
    assert without_whitespace("".join(council)) == without_whitespace(text)

    def place(c: Change) -> tuple[int, int]:
        start = max(0, min(c.start, len(text)))
        return start, max(start, min(c.end, len(text)))

    ordered = sorted(changes, key=place)
    assert without_whitespace(proposed) == without_whitespace("".join(c.proposed for c in ordered))
    if not any(BREAK.search(c.proposed) for c in changes):
        # Without line breaks in the family's wording, paragraphs are the council's lines.
        lines = [line.strip() for line in BREAK.split(text) if line.strip()]
        assert [p.strip() for p in council if p.strip()] == lines


# Word


def docx_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        return {name: package.read(name) for name in package.namelist()}


def docx_body(data: bytes) -> Element:
    root = ElementTree.fromstring(docx_parts(data)["word/document.xml"])
    body = root.find(f"{W}body")
    assert body is not None
    return body


def docx_runs(data: bytes) -> list[tuple[str, set[str]]]:
    """Every run's text and the names of its formatting properties ("strike", "b", "i")."""
    runs = []
    for run in docx_body(data).iter(f"{W}r"):
        properties = run.find(f"{W}rPr")
        names = {c.tag.removeprefix(W) for c in properties} if properties is not None else set()
        runs.append(("".join(t.text or "" for t in run.iter(f"{W}t")), names))
    return runs


def docx_paragraphs(data: bytes) -> list[tuple[str, str]]:
    """Every paragraph's style (or "") and text."""
    result = []
    for paragraph in docx_body(data).iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        text = "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
        result.append((style.get(f"{W}val", "") if style is not None else "", text))
    return result


def test_docx_has_every_part_word_needs_each_declared_and_linked():
    parts = docx_parts(to_docx(document(section(F_TEXT))))

    assert set(parts) == {
        "[Content_Types].xml",
        "_rels/.rels",
        "docProps/core.xml",
        "word/_rels/document.xml.rels",
        "word/document.xml",
        "word/styles.xml",
    }
    for content in parts.values():
        ElementTree.fromstring(content)  # every part is well-formed XML
    types = parts["[Content_Types].xml"].decode()
    for part in ("/word/document.xml", "/word/styles.xml", "/docProps/core.xml"):
        assert f'PartName="{part}"' in types
    assert 'Target="word/document.xml"' in parts["_rels/.rels"].decode()
    assert 'Target="docProps/core.xml"' in parts["_rels/.rels"].decode()
    assert 'Target="styles.xml"' in parts["word/_rels/document.xml.rels"].decode()


def test_docx_strikes_through_the_council_words_and_shows_the_proposed_wording_in_bold():
    data = to_docx(document(section(F_TEXT, change(F_TEXT, "as appropriate", "weekly"))))

    runs = docx_runs(data)
    assert ("as appropriate", {"strike"}) in runs
    assert ("weekly", {"b"}) in runs
    assert ("Jack will receive support from a teaching assistant ", set()) in runs
    # A plain space keeps the struck and the proposed words apart.
    struck = runs.index(("as appropriate", {"strike"}))
    assert runs[struck + 1 : struck + 3] == [(" ", set()), ("weekly", {"b"})]


def test_docx_has_the_title_subtitles_and_key_then_a_heading_1_for_each_section():
    data = to_docx(document(section("Jack enjoys trains.", key="A"), section(F_TEXT)))

    assert docx_paragraphs(data)[:5] == [
        ("Title", "Jack Smith: working document"),
        ("Subtitle", "Jack Smith"),
        ("Subtitle", "Draft plan issued 3 March 2026"),
        ("Subtitle", "Prepared 1 December 2026"),
        ("", KEY_TEXT),
    ]
    headings = [text for style, text in docx_paragraphs(data) if style == "Heading1"]
    assert headings == [
        "Section A: Special educational provision",
        "Section F: Special educational provision",
    ]
    styles = ElementTree.fromstring(docx_parts(data)["word/styles.xml"])
    heading = styles.find(f"{W}style[@{W}styleId='Heading1']")
    assert heading is not None
    assert heading.find(f"{W}name").get(f"{W}val") == "heading 1"  # Word's built-in heading
    assert heading.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == "0"


def test_docx_shows_an_empty_section_as_having_nothing_in_it():
    data = to_docx(document(section("", key="J")))
    assert docx_paragraphs(data)[-1] == ("", EMPTY_SECTION_TEXT)


def test_docx_shows_a_note_after_its_paragraph_indented_and_in_italics():
    text = F_TEXT + "\nSecond paragraph."
    note = change(text, "as appropriate", "weekly", note="Not specific or quantified.")
    blank_note = change(text, "Second", "Another", note=" \n ")
    data = to_docx(document(section(text, note, blank_note)))

    texts = [text for _, text in docx_paragraphs(data)]
    position = texts.index("Note: Not specific or quantified.")
    assert texts[position - 1].startswith("Jack will receive")
    assert texts[position + 1] == "Second Another paragraph."
    assert ("Note: Not specific or quantified.", {"i"}) in docx_runs(data)
    assert len([text for text in texts if text.startswith("Note:")]) == 1
    indented = [p for p in docx_body(data).iter(f"{W}p") if p.find(f"{W}pPr/{W}ind") is not None]
    assert len(indented) == 1


def test_docx_escapes_markup_in_every_piece_of_text():
    text = "Support <b>if</b> needed & \"agreed\" > 'never'."
    data = to_docx(
        document(
            section(text, change(text, "&", "<&>", note="a < b & c")),
            title="Jack & Jill <draft>",
        )
    )

    texts = [text for _, text in docx_paragraphs(data)]
    assert texts[0] == "Jack & Jill <draft>"
    assert "Support <b>if</b> needed & <&> \"agreed\" > 'never'." in texts
    assert "Note: a < b & c" in texts
    core = ElementTree.fromstring(docx_parts(data)["docProps/core.xml"])
    assert core.findtext("{http://purl.org/dc/elements/1.1/}title") == "Jack & Jill <draft>"


def test_docx_leaves_out_characters_xml_does_not_allow():
    text = "Bell\x07 null\x00 escape\x1b form\x0b not\ufffe lone\ud800 end."
    data = to_docx(document(section(text, Change(0, 4, "Ring\x01")), title="Title\x02"))

    texts = [text for _, text in docx_paragraphs(data)]
    assert texts[0] == "Title"
    assert "Bell Ring null escape form" in texts
    assert "not lone end." in texts  # "\x0b" is a line break in the council's text
    untitled = to_docx(document(section(text), title="\x00\x1b"))
    assert docx_paragraphs(untitled)[0] == ("Title", "EHC plan working document")


def test_docx_preserves_spaces_in_every_text_run():
    data = to_docx(document(section(F_TEXT, change(F_TEXT, "as appropriate", " weekly "))))

    for node in docx_body(data).iter(f"{W}t"):
        assert node.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    assert (" weekly ", {"b"}) in docx_runs(data)


def test_docx_is_titled_in_british_english_on_a4_with_a_readable_font():
    parts = docx_parts(to_docx(document(section(F_TEXT))))

    core = ElementTree.fromstring(parts["docProps/core.xml"])
    assert core.findtext("{http://purl.org/dc/elements/1.1/}title") == (
        "Jack Smith: working document"
    )
    assert core.findtext("{http://purl.org/dc/elements/1.1/}language") == "en-GB"
    styles = parts["word/styles.xml"].decode()
    assert '<w:lang w:val="en-GB"/>' in styles
    assert 'w:ascii="Arial"' in styles and '<w:sz w:val="24"/>' in styles  # Arial 12 pt
    assert '<w:pgSz w:w="11906" w:h="16838"/>' in parts["word/document.xml"].decode()


def test_docx_of_the_same_document_is_the_same_bytes():
    assert to_docx(document(section(F_TEXT))) == to_docx(document(section(F_TEXT)))


# PDF


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_pages(data: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def test_pdf_has_the_council_wording_the_proposed_wording_and_the_notes():
    text = "Jack’s support – “as appropriate” – from a teaching assistant…"
    replacement = change(text, "“as appropriate”", "20 hours a week", note="Not specific.")
    data = to_pdf(document(section(text, replacement)))

    assert data.startswith(b"%PDF-")
    extracted = pdf_text(data)
    assert "Jack Smith: working document" in extracted
    assert "Draft plan issued 3 March 2026" in extracted
    assert " ".join(KEY_TEXT.split()) in extracted
    assert "Section F: Special educational provision" in extracted
    assert "Jack’s support – “as appropriate” 20 hours a week – from a teaching assistant…" in (
        extracted
    )
    assert "Note: Not specific." in extracted


def pdf_fonts(data: bytes) -> list[tuple[str, str]]:
    """Each piece of text on the first page with the font it is drawn in."""
    pieces: list[tuple[str, str]] = []

    def visit(text, matrix, text_matrix, font, size):
        if text.strip() and font is not None:
            pieces.append((text.strip(), str(font["/BaseFont"]).lstrip("/")))

    pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return pieces


def pdf_filled_rectangles(data: bytes) -> int:
    """How many filled rectangles the first page draws: fpdf2 strikes text through with one."""
    contents = pypdf.PdfReader(io.BytesIO(data)).pages[0].get_contents()
    assert contents is not None
    return len(re.findall(rb" re\s+f\b", contents.get_data()))


def test_pdf_strikes_through_the_council_words_and_shows_the_proposed_wording_in_bold():
    replaced = to_pdf(document(section(F_TEXT, change(F_TEXT, "as appropriate", "weekly"))))
    inserted = to_pdf(document(section(F_TEXT, Change(0, 0, "Every day, "))))

    assert ("weekly", "Helvetica-Bold") in pdf_fonts(replaced)
    assert ("as appropriate", "Helvetica") in pdf_fonts(replaced)
    assert ("Every day,", "Helvetica-Bold") in pdf_fonts(inserted)
    assert pdf_filled_rectangles(replaced) == 1
    assert pdf_filled_rectangles(inserted) == 0


def test_pdf_is_titled_in_british_english_with_each_section_bookmarked():
    data = to_pdf(document(section("Jack enjoys trains.", key="A"), section(F_TEXT)))

    reader = pypdf.PdfReader(io.BytesIO(data))
    assert reader.metadata is not None
    assert reader.metadata.title == "Jack Smith: working document"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert [item.title for item in reader.outline] == [
        "Section A: Special educational provision",
        "Section F: Special educational provision",
    ]
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_pdf_numbers_its_pages_and_grows_with_the_plan():
    short = to_pdf(document(section(F_TEXT)))
    long_text = "\n\n".join(f"Paragraph {n}. " + F_TEXT * 6 for n in range(200))
    long = to_pdf(document(section(long_text, change(long_text, "Paragraph 150.", "Item 150."))))

    assert pdf_pages(short) == 1
    assert "Page 1 of 1" in pdf_text(short)
    pages = pdf_pages(long)
    assert pages > 5
    assert f"Page 1 of {pages}" in pdf_text(long)
    assert f"Page {pages} of {pages}" in pdf_text(long)
    assert "Paragraph 150. Item 150." in pdf_text(long)


def test_pdf_survives_odd_text_long_words_and_empty_sections():
    odd = (
        "x" * 3000
        + " emoji 😀 Chinese 中文 Polish Łódź Hungarian Erdős bell\x07 nul\x00\x01 {nb} "
        + "\ud800"
    )
    data = to_pdf(
        WorkingDocument(
            title="",
            subtitle_lines=["", "\x00"],
            sections=[
                section(odd, Change(5, 2, "y" * 2000, note="z" * 1000)),
                section("", key="J"),
                WorkingSection("K", "", ""),
            ],
        )
    )

    extracted = pdf_text(data)
    assert "EHC plan working document" in extracted
    assert "emoji ? Chinese ?? Polish Lódz Hungarian Erdos bell nul {nb}" in extracted
    assert "Section K" in extracted
    assert EMPTY_SECTION_TEXT in extracted
    assert to_pdf(WorkingDocument(title="", subtitle_lines=[], sections=[])).startswith(b"%PDF")


@settings(max_examples=15, deadline=None)
@given(text=plan_text, changes=changes, title=st.text(max_size=20))
def test_any_text_and_changes_make_a_word_file_and_a_pdf(text, changes, title):
    sections = [section(text, *changes), WorkingSection(title, title, text)]
    working = WorkingDocument(title=title, subtitle_lines=[title], sections=sections)

    for content in docx_parts(to_docx(working)).values():
        ElementTree.fromstring(content)
    assert pdf_pages(to_pdf(working)) >= 1


# The PDF text normaliser


def test_normalise_for_pdf_keeps_british_typography_the_core_fonts_can_draw():
    text = "Jack’s ‘quiet’ “space” – 9–10 am — daily… • £20 €5 café ½ ©"
    assert normalise_for_pdf(text) == text


def test_normalise_for_pdf_makes_other_spaces_dashes_and_bullets_safe():
    assert normalise_for_pdf("20\xa0hours\u202fa\u2009week\tnow") == "20 hours a week now"
    assert normalise_for_pdf("co\u00adordinate\u200b zero\ufeff") == "coordinate zero"
    assert normalise_for_pdf("self\u2010care non\u2011verbal \u22123 ―") == (
        "self-care non-verbal -3 —"
    )
    assert normalise_for_pdf("◦ one ▪ two \uf0b7 three ● four") == "• one • two • three • four"
    assert normalise_for_pdf("‛odd‟ quotes 5′ 6″") == "‘odd“ quotes 5' 6\""


def test_normalise_for_pdf_drops_accents_it_cannot_draw_and_replaces_the_rest():
    assert normalise_for_pdf("Łódź Erdős Dvořák ﬁnal") == "Lódz Erdos Dvorák final"
    assert normalise_for_pdf("e\u0301te\u0301") == "été"  # combining accents composed first
    assert normalise_for_pdf("q\u0301") == "q"  # an accent with no composed form is dropped
    assert normalise_for_pdf("中文 😀 ✈") == "?? ? ?"
    assert normalise_for_pdf("bell\x07 nul\x00 c1\x85 lone\ud800") == "bell nul c1  lone?"


@given(st.text())
def test_normalise_for_pdf_always_gives_drawable_text(text):
    normalised = normalise_for_pdf(text)

    encoded = normalised.encode("windows-1252")  # raises if a core font cannot draw it
    assert not re.search(rb"[\x00-\x1f\x7f\x81\x8d\x8f\x90\x9d\xa0\xad]", encoded)
    assert normalise_for_pdf(normalised) == normalised
