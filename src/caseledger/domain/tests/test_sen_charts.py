from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction

from defusedxml import ElementTree as SafeET

from caseledger.domain.sen.charts import BAR_AREA, Bar, Section, bar_chart

NS = {"svg": "http://www.w3.org/2000/svg"}


def _chart() -> ET.Element:
    svg = bar_chart(
        identifier="need",
        title="Pupils by area <of> need",
        description="Year 3 has most & so on",
        sections=[
            Section(
                "Cognition and learning", [Bar("Year 3", 4, "4 pupils"), Bar("Year 4", 2, "2")]
            ),
            Section(
                "Sensory", [Bar("Year 3", Decimal("1"), "1"), Bar("Year 5", Fraction(-1), "−1")]
            ),
        ],
    )
    return SafeET.fromstring(svg)


def test_the_chart_is_an_image_with_a_title_and_description() -> None:
    root = _chart()
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "need-title need-desc"
    assert root.findtext("svg:title", namespaces=NS) == "Pupils by area <of> need"  # escaped
    assert root.findtext("svg:desc", namespaces=NS) == "Year 3 has most & so on"


def test_every_bar_has_its_label_and_value_as_text_and_a_length_to_scale() -> None:
    root = _chart()
    texts = [text.text for text in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == [
        "Cognition and learning",
        "Year 3",
        "4 pupils",
        "Year 4",
        "2",
        "Sensory",
        "Year 3",
        "1",
        "Year 5",
        "−1",
    ]
    widths = [
        float(rect.get("width", "nan")) for rect in root.iter("{http://www.w3.org/2000/svg}rect")
    ]
    assert widths == [BAR_AREA, BAR_AREA / 2, BAR_AREA / 4, 0.0]


def test_a_chart_of_nothing_draws_no_bars() -> None:
    root = SafeET.fromstring(
        bar_chart(
            identifier="x",
            title="t",
            description="d",
            sections=[Section("None", [Bar("a", 0, "0")])],
        )
    )
    assert [
        float(rect.get("width", "nan")) for rect in root.iter("{http://www.w3.org/2000/svg}rect")
    ] == [0.0]
