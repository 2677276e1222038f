"""An EHC plan "working document" for a SEND Tribunal appeal, as Word (.docx) and PDF bytes.

The tribunal asks the parties to agree the wording of the plan in one document: the council's
wording, with the family's proposed changes shown inline. Here the council's words the family
asks to remove are struck through, immediately followed by the family's proposed wording in
bold; a change may carry a short note of the family's concern, shown after its paragraph.

`paragraphs(section)` lays a section out as styled segments; `to_docx` and `to_pdf` render
the whole document. The Word file is a minimal WordprocessingML package written here with
`zipfile`; the PDF is drawn by fpdf2 with its core fonts (docs/adr/0006). Pure Python: no
Django.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from fpdf import FPDF

KEY_TEXT = (
    "The council's wording is in plain text. Words the family asks to remove are struck "
    "through. The family's proposed wording is in bold."
)
EMPTY_SECTION_TEXT = "(The council's plan has nothing in this section.)"
DEFAULT_TITLE = "EHC plan working document"
LANGUAGE = "en-GB"


@dataclass(frozen=True)
class Change:
    """One proposed change to a section: council_text[start:end] is replaced by `proposed`.

    Offsets are character offsets into the section's council text; start == end is an
    insertion at that point and an empty `proposed` a pure deletion.
    """

    start: int
    end: int
    proposed: str
    note: str = ""


@dataclass(frozen=True)
class WorkingSection:
    """One lettered section ("A" to "K"): its heading, the council's wording and the changes."""

    key: str
    title: str
    council_text: str
    changes: Sequence[Change] = ()


@dataclass(frozen=True)
class WorkingDocument:
    """The title, lines under it (the child, the plan version, the date) and the sections."""

    title: str
    subtitle_lines: Sequence[str]
    sections: Sequence[WorkingSection]


class SegmentKind(StrEnum):
    SAME = "same"
    DELETED = "deleted"
    PROPOSED = "proposed"


@dataclass(frozen=True)
class Segment:
    kind: SegmentKind
    text: str


# Layout


# Characters XML 1.0 does not allow; lone surrogates included.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# The line breaks str.splitlines() knows; "\r\n" first so it counts as one break.
_LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


@dataclass(frozen=True)
class _Paragraph:
    segments: tuple[Segment, ...]
    notes: tuple[str, ...]


def paragraphs(section: WorkingSection) -> list[list[Segment]]:
    """The section as paragraphs of styled segments, in reading order.

    The council text is split into paragraphs at every line break (blank lines make no empty
    paragraphs; a paragraph's leading and trailing spaces are trimmed); proposed wording that
    contains line breaks starts new paragraphs the same way. Each change shows its deleted
    council words (DELETED) immediately followed by its proposed wording (PROPOSED).

    Changes are taken in order of where they start, then where they end (so at one offset an
    insertion comes before a deletion), otherwise in the order given. Offsets outside the
    council text are clamped to it, and an end before its start is read as an insertion at the
    start. A change that overlaps an earlier one is clipped to start where the earlier one
    ends, so no council word is struck through twice; one wholly inside an earlier change
    becomes an insertion right after it, so its proposed wording is still shown. Every council
    character therefore appears exactly once, as SAME or DELETED text, apart from line breaks
    and the spaces trimmed at a paragraph's ends.

    A section with nothing to show yields one paragraph saying the plan has nothing in it.
    """
    return [list(paragraph.segments) for paragraph in _layout(section)]


def _layout(section: WorkingSection) -> list[_Paragraph]:
    text = section.council_text
    builder = _ParagraphBuilder()
    cursor = 0
    for start, end, change in _placed_changes(section):
        builder.add(SegmentKind.SAME, text[cursor:start])
        builder.add(SegmentKind.DELETED, text[start:end])
        builder.add(SegmentKind.PROPOSED, change.proposed)
        builder.note(change.note)
        cursor = end
    builder.add(SegmentKind.SAME, text[cursor:])
    return builder.finish()


def _placed_changes(section: WorkingSection) -> list[tuple[int, int, Change]]:
    """Changes with clamped offsets, sorted, each starting no earlier than the last ended."""
    length = len(section.council_text)
    clamped: list[tuple[int, int, Change]] = []
    for change in section.changes:
        start = min(max(change.start, 0), length)
        end = min(max(change.end, start), length)
        clamped.append((start, end, change))
    clamped.sort(key=lambda item: (item[0], item[1]))  # stable: ties keep the caller's order
    placed: list[tuple[int, int, Change]] = []
    cursor = 0
    for start, end, change in clamped:
        start = max(start, cursor)
        end = max(end, start)
        placed.append((start, end, change))
        cursor = end
    return placed


class _ParagraphBuilder:
    def __init__(self) -> None:
        self._raw: list[list[Segment]] = [[]]
        self._notes: dict[int | None, list[str]] = {}
        self._last_with_words: int | None = None

    def add(self, kind: SegmentKind, text: str) -> None:
        for number, part in enumerate(_LINE_BREAK.split(text)):
            if number:
                self._raw.append([])
            if not part:
                continue
            current = self._raw[-1]
            if current and current[-1].kind is kind:
                current[-1] = Segment(kind, current[-1].text + part)
            else:
                current.append(Segment(kind, part))
            if part.strip():
                self._last_with_words = len(self._raw) - 1

    def note(self, text: str) -> None:
        """A change's note goes after the last paragraph with words in it so far."""
        if text.strip():
            self._notes.setdefault(self._last_with_words, []).append(text)

    def finish(self) -> list[_Paragraph]:
        kept: list[_Paragraph] = []
        for index, raw in enumerate(self._raw):
            segments = _trimmed(raw)
            if segments:
                kept.append(_Paragraph(tuple(segments), tuple(self._notes.get(index, ()))))
        # Notes given before any words (changes that show nothing) go with the first paragraph.
        early = tuple(self._notes.get(None, ()))
        if not kept:
            return [_Paragraph((Segment(SegmentKind.SAME, EMPTY_SECTION_TEXT),), early)]
        if early:
            kept[0] = _Paragraph(kept[0].segments, early + kept[0].notes)
        return kept


def _trimmed(segments: list[Segment]) -> list[Segment]:
    items = list(segments)
    while items and not items[0].text.strip():
        items.pop(0)
    while items and not items[-1].text.strip():
        items.pop()
    if items:
        items[0] = Segment(items[0].kind, items[0].text.lstrip())
        items[-1] = Segment(items[-1].kind, items[-1].text.rstrip())
    return items


def _runs(segments: Sequence[Segment]) -> list[Segment]:
    """Segments to draw: a plain space between struck-through and bold words that would touch.

    Without it "as appropriate" replaced by "weekly" would read "as appropriateweekly".
    """
    runs: list[Segment] = []
    for segment in segments:
        if runs:
            previous = runs[-1]
            touching = not previous.text[-1:].isspace() and not segment.text[:1].isspace()
            if touching and {previous.kind, segment.kind} == {
                SegmentKind.DELETED,
                SegmentKind.PROPOSED,
            }:
                runs.append(Segment(SegmentKind.SAME, " "))
        runs.append(segment)
    return runs


def _heading(section: WorkingSection) -> str:
    return _one_line(section.title) or f"Section {_one_line(section.key)}".strip()


def _one_line(text: str) -> str:
    """A title, subtitle or note on one line, without characters XML cannot hold."""
    return " ".join(_NOT_XML.sub("", text).split())


# Word


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TWIPS_PER_MM = 1440 / 25.4
_MARGIN_TWIPS = round(20 * _TWIPS_PER_MM)
_NOTE_INDENT_TWIPS = round(10 * _TWIPS_PER_MM)


def xml_text(text: str) -> str:
    """Text escaped for XML content, without the characters XML 1.0 forbids."""
    return escape(_NOT_XML.sub("", text))


def to_docx(document: WorkingDocument) -> bytes:
    """The working document as a Word file (.docx), with Heading 1 for each section."""
    title = _one_line(document.title) or DEFAULT_TITLE
    body = [_docx_paragraph([Segment(SegmentKind.SAME, title)], style="Title")]
    body.extend(
        _docx_paragraph([Segment(SegmentKind.SAME, line)], style="Subtitle")
        for line in map(_one_line, document.subtitle_lines)
        if line
    )
    body.append(_docx_paragraph([Segment(SegmentKind.SAME, KEY_TEXT)]))
    for section in document.sections:
        body.append(_docx_paragraph([Segment(SegmentKind.SAME, _heading(section))], "Heading1"))
        for paragraph in _layout(section):
            body.append(_docx_paragraph(_runs(paragraph.segments)))
            body.extend(_docx_note(note) for note in paragraph.notes)
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _PACKAGE_RELATIONSHIPS,
        "docProps/core.xml": _CORE_PROPERTIES.format(title=xml_text(title), language=LANGUAGE),
        "word/_rels/document.xml.rels": _DOCUMENT_RELATIONSHIPS,
        "word/document.xml": _DOCUMENT.format(body="".join(body), margin=_MARGIN_TWIPS, w=_W),
        "word/styles.xml": _STYLES.format(language=LANGUAGE, w=_W),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, content in parts.items():
            # A fixed date: the same document always gives the same bytes.
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, content.encode("utf-8"))
    return buffer.getvalue()


_RUN_PROPERTIES = {
    SegmentKind.SAME: "",
    SegmentKind.DELETED: "<w:rPr><w:strike/></w:rPr>",
    SegmentKind.PROPOSED: "<w:rPr><w:b/></w:rPr>",
}


def _docx_paragraph(segments: Sequence[Segment], style: str = "") -> str:
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    runs = "".join(
        f'<w:r>{_RUN_PROPERTIES[segment.kind]}<w:t xml:space="preserve">{text}</w:t></w:r>'
        for segment in segments
        if (text := xml_text(segment.text))
    )
    return f"<w:p>{properties}{runs}</w:p>"


def _docx_note(note: str) -> str:
    return (
        f'<w:p><w:pPr><w:ind w:left="{_NOTE_INDENT_TWIPS}"/></w:pPr>'
        f'<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">'
        f"{xml_text('Note: ' + _one_line(note))}</w:t></w:r></w:p>"
    )


_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_CONTENT_TYPES = (
    _XML_DECLARATION
    + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)

_PACKAGE_RELATIONSHIPS = (
    _XML_DECLARATION
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)

_DOCUMENT_RELATIONSHIPS = (
    _XML_DECLARATION
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)

_CORE_PROPERTIES = (
    _XML_DECLARATION
    + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    "<dc:title>{title}</dc:title><dc:language>{language}</dc:language>"
    "<dc:creator>Caseledger</dc:creator>"
    "</cp:coreProperties>"
)

# A4 portrait with 20 mm margins, as the PDF.
_DOCUMENT = (
    _XML_DECLARATION + '<w:document xmlns:w="{w}"><w:body>{body}'
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="{margin}" w:right="{margin}" '
    'w:bottom="{margin}" w:left="{margin}" w:header="567" w:footer="567" w:gutter="0"/>'
    "</w:sectPr></w:body></w:document>"
)

# Word's built-in style names ("heading 1", "Title") so the navigation pane and screen readers
# treat the headings as headings. Sizes are in half-points: Arial 12 pt for the text.
_STYLES = (
    _XML_DECLARATION + '<w:styles xmlns:w="{w}">'
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>'
    '<w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="{language}"/>'
    "</w:rPr></w:rPrDefault>"
    '<w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="300" w:lineRule="auto"/>'
    "</w:pPr></w:pPrDefault></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    '<w:qFormat/><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/>'
    '<w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/>'
    '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
    '<w:pPr><w:spacing w:after="240"/><w:outlineLvl w:val="9"/></w:pPr>'
    '<w:rPr><w:b/><w:sz w:val="40"/><w:szCs w:val="40"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/>'
    '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
    '<w:pPr><w:spacing w:after="60"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
    '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
    '<w:pPr><w:keepNext/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/>'
    '</w:pPr><w:rPr><w:b/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>'
    "</w:styles>"
)


# PDF


# fpdf2's core fonts are drawn with WinAnsiEncoding (Windows-1252), which has curly quotes,
# en and em dashes, the ellipsis and the bullet: British typography survives as it is.
_PDF_ENCODING = "windows-1252"
_WINDOWS_1252_EXTRAS = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_NOT_DRAWABLE = re.compile(f"[^\x20-\x7e\xa1-\xac\xae-\xff{_WINDOWS_1252_EXTRAS}]")
_BULLETS = (
    "◦▪▫●○■□‣∙⦁➢➤►▸▹▶✓✔✗✘"
    # Word's Symbol and Wingdings bullets, common in text copied from plans.
    "\uf0b7\uf0a7\uf0a8\uf0d8\uf076\uf0fc\uf0e0\uf06e\uf071"
)
_PDF_TRANSLATION = str.maketrans(
    {
        **dict.fromkeys(
            "\t\n\r\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029\xa0\u1680\u202f\u205f\u3000", " "
        ),
        **{chr(code): " " for code in range(0x2000, 0x200B)},  # en quad to hair space
        **dict.fromkeys("\xad\u200b\u200c\u200d\u2060\ufeff", ""),  # soft hyphen, zero-width
        **dict.fromkeys("\u2010\u2011\u2012\u2043\u2212\ufe63\uff0d", "-"),
        "\u2015": "—",
        "\u201b": "‘",
        "\u201f": "“",
        "\u2032": "'",
        "\u2033": '"',
        "\u2024": ".",
        "\u2044": "/",
        **dict.fromkeys(_BULLETS, "•"),
        **dict(zip("ŁłĐđıĦħ", "LlDdiHh", strict=True)),
    }
)


def normalise_for_pdf(text: str) -> str:
    """Text the PDF core fonts can draw (Windows-1252), losing as little as possible.

    Curly quotes, dashes, the ellipsis and the bullet are kept (the encoding has them); other
    spaces become plain spaces, other dashes hyphens, other bullets "•"; invisible format and
    control characters are dropped; accented letters outside the encoding lose their accents
    ("ő" to "o"); anything else becomes "?".
    """
    composed = unicodedata.normalize("NFC", text).translate(_PDF_TRANSLATION)
    return _NOT_DRAWABLE.sub(_drawable, composed)


def _drawable(match: re.Match[str]) -> str:
    character = match.group()
    category = unicodedata.category(character)
    if category in ("Cc", "Cf") or category.startswith("M"):
        return ""
    if category.startswith("Z"):
        return " "
    stripped = "".join(
        part
        for part in unicodedata.normalize("NFKD", character)
        if not unicodedata.category(part).startswith("M")
    )
    if stripped and not _NOT_DRAWABLE.search(stripped):
        return stripped
    return "?"


_PDF_STYLE = {SegmentKind.SAME: "", SegmentKind.DELETED: "S", SegmentKind.PROPOSED: "B"}
_FONT = "Helvetica"
_MARGIN_MM = 20
_TEXT_PT = 11
_LINE_MM = 6.0
_NOTE_INDENT_MM = 10
# The total-pages placeholder. fpdf2 replaces it wherever it appears, so it is made of control
# characters, which normalise_for_pdf removes from the plan's own text. Its length reserves room
# for three digits; the number is left-aligned in that room, so short numbers leave no gap.
_TOTAL_PAGES = "\x00\x01\x02"


def to_pdf(document: WorkingDocument) -> bytes:
    """The working document as an A4 PDF, with each section in the bookmarks."""
    title = _one_line(document.title) or DEFAULT_TITLE
    pdf = _new_pdf()
    pdf.set_title(title)
    pdf.set_lang(LANGUAGE)
    pdf.set_creator("Caseledger")
    pdf.add_page()

    _pdf_block(pdf, title, style="B", size=20, height=9)
    pdf.ln(3)
    for line in map(_one_line, document.subtitle_lines):
        if line:
            _pdf_block(pdf, line, size=12)
    pdf.ln(4)
    _pdf_block(pdf, KEY_TEXT)

    for section in document.sections:
        heading = normalise_for_pdf(_heading(section))
        pdf.ln(6)
        if pdf.will_page_break(8 + 3 * _LINE_MM):  # keep a heading with its first lines
            pdf.add_page()
        pdf.start_section(heading)
        _pdf_block(pdf, heading, style="B", size=15, height=8)
        pdf.ln(2)
        for paragraph in _layout(section):
            for run in _runs(paragraph.segments):
                pdf.set_font(_FONT, _PDF_STYLE[run.kind], _TEXT_PT)
                pdf.write(_LINE_MM, normalise_for_pdf(run.text))
            pdf.ln(_LINE_MM + 2)
            for note in paragraph.notes:
                pdf.set_x(pdf.l_margin + _NOTE_INDENT_MM)
                _pdf_block(pdf, "Note: " + _one_line(note), style="I")
                pdf.ln(2)
    return bytes(pdf.output())


def _pdf_block(
    pdf: FPDF, text: str, *, style: str = "", size: float = _TEXT_PT, height: float = _LINE_MM
) -> None:
    """Text in one style, wrapped from the current position to the right margin, ragged right."""
    pdf.set_font(_FONT, style, size)
    pdf.multi_cell(0, height, normalise_for_pdf(text), new_x="LMARGIN", new_y="NEXT", align="L")


def _new_pdf() -> FPDF:
    # Imported here: fpdf2 (with fontTools and Pillow) takes about 0.4 s to import, which only
    # a PDF export should pay.
    from fpdf import FPDF

    class WorkingDocumentPDF(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font(_FONT, "", 9)
            self.cell(0, 5, f"Page {self.page_no()} of {_TOTAL_PAGES}", align="C")

    pdf = WorkingDocumentPDF(orientation="portrait", unit="mm", format="A4")
    pdf.core_fonts_encoding = _PDF_ENCODING
    pdf.alias_nb_pages(_TOTAL_PAGES, align="L")
    pdf.set_margins(_MARGIN_MM, _MARGIN_MM, _MARGIN_MM)
    pdf.set_auto_page_break(auto=True, margin=_MARGIN_MM)
    return pdf
