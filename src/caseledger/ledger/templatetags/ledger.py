"""How a note's plain text is shown: paragraphs and bulleted lists, never HTML.

Notes are plain text (no raw HTML is ever rendered). Every line is escaped first; only the
structure — paragraphs, line breaks, and lines starting "-", "*" or "•" as list items — is
added by us.
"""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_BULLETS = ("- ", "* ", "• ")


@register.filter
def note_body(text: str | None) -> SafeString:
    blocks: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

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

    for raw in (text or "").splitlines():
        line = raw.strip()
        bullet = next((marker for marker in _BULLETS if line.startswith(marker)), None)
        if bullet is not None:
            close_paragraph()
            items.append(str(escape(line[len(bullet) :].strip())))
        elif not line:
            close_paragraph()
            close_list()
        else:
            close_list()
            paragraph.append(str(escape(line)))
    close_paragraph()
    close_list()
    # Safe: every piece of the user's text above went through escape().
    return mark_safe("".join(blocks))  # noqa: S308


@register.filter
def yes_no(value: bool | None) -> str:
    if value is None:
        return "Not answered"
    return "Yes" if value else "No"
