"""How a note's plain text is shown: paragraphs and bulleted lists, never HTML.

Notes are plain text (no raw HTML is ever rendered). Every line is escaped first; only the
structure — paragraphs, line breaks, and lines starting "-", "*" or "•" as list items — is
added by us.
"""

from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_BULLETS = ("- ", "* ", "• ")


# Where a finding of the recording-quality assistant starts and ends, carried through the
# layout below as characters from Unicode's private use area (stripped from the text first).
_OPEN, _CLOSE = "\ue000", "\ue001"
_MARKERS = _OPEN + _CLOSE


# The markers are never the user's: any in a note (pasted from a symbol font, or on purpose)
# are shown as the replacement character, one for one, so offsets into the text still hold.
_NEUTRALISE = {ord(marker): "\ufffd" for marker in _MARKERS}


@register.filter
def note_body(text: str | None) -> SafeString:
    return _layout((text or "").translate(_NEUTRALISE), [])


def marked_note_body(
    text: str, spans: Sequence[tuple[int, int, str]]
) -> tuple[SafeString, dict[str, str]]:
    """The note laid out as `note_body` does, with each (start, end, anchor) span of the text
    in a <mark> the findings summary links to. Overlapping spans share the first one's mark;
    the dict says which anchor each span's link goes to."""
    text = text.translate(_NEUTRALISE)
    merged: list[tuple[int, int, str]] = []
    target: dict[str, str] = {}
    for start, end, anchor in sorted(spans):
        start, end = max(0, start), min(len(text), end)
        # A mark starts and ends on words, never on a blank line, so every anchor is shown.
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2])
        else:
            merged.append((start, end, anchor))
        target[anchor] = merged[-1][2]
    pieces: list[str] = []
    position = 0
    for start, end, _anchor in merged:
        pieces += [text[position:start], _OPEN, text[start:end], _CLOSE]
        position = end
    pieces.append(text[position:])
    return _layout("".join(pieces), [anchor for _, _, anchor in merged]), target


def _layout(text: str, anchors: list[str]) -> SafeString:
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    remaining = iter(anchors)
    inside = False

    def marked(line: str) -> str:
        """Escape a line and turn its markers into <mark>s, closed at the end of the line and
        opened again on the next, so the HTML nests properly across paragraphs and lists."""
        nonlocal inside
        html = ['<mark class="app-finding">' if inside else ""]
        for piece in str(escape(line)):
            if piece == _OPEN:
                inside = True
                anchor = next(remaining, None)
                html.append(
                    f'<mark class="app-finding" id="{anchor}" tabindex="-1">'
                    if anchor is not None
                    else '<mark class="app-finding">'
                )
            elif piece == _CLOSE:
                inside = False
                html.append("</mark>")
            else:
                html.append(piece)
        if inside:
            html.append("</mark>")
        return "".join(html)

    def close_paragraph() -> None:
        if paragraph:
            blocks.append('<p class="govuk-body">' + "<br>".join(paragraph) + "</p>")
            paragraph.clear()

    def close_list() -> None:
        if items:
            blocks.append(
                '<ul class="govuk-list govuk-list--bullet">'
                + "".join(f"<li>{item}</li>" for item in items)
                + "</ul>"
            )
            items.clear()

    for raw in text.splitlines():
        line = raw.strip()
        core = line.lstrip(_MARKERS)
        leading = line[: len(line) - len(core)]
        bullet = next((marker for marker in _BULLETS if core.startswith(marker)), None)
        if bullet is not None:
            close_paragraph()
            items.append(marked(leading + core[len(bullet) :].strip()))
        elif not core.strip(_MARKERS):
            # A line of nothing but markers still opens or closes a mark.
            marked(line)
            close_paragraph()
            close_list()
        else:
            close_list()
            paragraph.append(marked(line))
    close_paragraph()
    close_list()
    # Safe: every piece of the user's text above went through escape(); the marks and the ids
    # (our own anchors) are added by us.
    return mark_safe("".join(blocks))  # noqa: S308


@register.filter
def yes_no(value: bool | None) -> str:
    if value is None:
        return "Not answered"
    return "Yes" if value else "No"
