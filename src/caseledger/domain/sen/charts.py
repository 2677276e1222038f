"""Bar charts drawn on the server as accessible SVG, for the provision map's reports.

Accessibility, as the GOV.UK Design System and WCAG 2.2 ask of a chart (1.1.1 non-text
content, 1.4.1 use of colour): the SVG has `role="img"` with a `<title>` and `<desc>` it is
labelled by; every bar carries its label and its value as text, so nothing is told by colour
alone; it needs no script. The page puts the same figures in a table next to it, which is
the real alternative for a screen reader. Every piece of text is escaped here, so the result
is safe to put in a page as it is.

Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from html import escape

WIDTH = 720
LABEL_WIDTH = 300
BAR_AREA = 300
ROW = 24
BAR = 16
HEADING = 30
PADDING = 8


@dataclass(frozen=True)
class Bar:
    """A bar: what it is, how long (a negative or zero value draws no bar) and the value as
    the page writes it."""

    label: str
    value: int | Decimal | Fraction
    text: str


@dataclass(frozen=True)
class Section:
    """Bars under one heading (an area of need, a kind of scale)."""

    heading: str
    bars: Sequence[Bar]


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def bar_chart(*, identifier: str, title: str, description: str, sections: Sequence[Section]) -> str:
    """A horizontal bar chart: the sections one below the other, bars scaled to the largest
    value of the chart. `identifier` makes the title's and description's ids unique in the
    page."""
    largest = max(
        (Fraction(bar.value) for section in sections for bar in section.bars), default=Fraction(0)
    )
    title_id, desc_id = f"{identifier}-title", f"{identifier}-desc"
    rows: list[str] = []
    y = PADDING
    for section in sections:
        rows.append(
            f'<text x="0" y="{y + 18}" class="app-chart__heading" font-weight="bold">'
            f"{escape(section.heading)}</text>"
        )
        y += HEADING
        for bar in section.bars:
            value = Fraction(bar.value)
            length = float(value / largest * BAR_AREA) if largest > 0 and value > 0 else 0.0
            middle = y + ROW / 2
            rows.append(
                "<g>"
                f'<text x="{LABEL_WIDTH - PADDING}" y="{_number(middle + 5)}" '
                f'text-anchor="end">{escape(bar.label)}</text>'
                f'<rect x="{LABEL_WIDTH}" y="{_number(middle - BAR / 2)}" '
                f'width="{_number(length)}" height="{BAR}" class="app-chart__bar" '
                'fill="#1d70b8"/>'
                f'<text x="{_number(LABEL_WIDTH + length + PADDING)}" '
                f'y="{_number(middle + 5)}">{escape(bar.text)}</text>'
                "</g>"
            )
            y += ROW
        y += PADDING
    height = y + PADDING
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="app-chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" '
        'font-family="arial, sans-serif" font-size="14">'
        f'<title id="{escape(title_id)}">{escape(title)}</title>'
        f'<desc id="{escape(desc_id)}">{escape(description)}</desc>' + "".join(rows) + "</svg>"
    )
