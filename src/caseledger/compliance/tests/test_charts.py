"""The chart geometry, tested directly: no database, no Django."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from caseledger.compliance import charts
from caseledger.compliance.charts import bar_chart, describe, format_value, nice_ceiling


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 1), (-3, 1), (0.3, 0.5), (1, 1), (7, 10), (10, 10), (12, 20), (45, 50), (101, 200)],
)
def test_the_value_axis_ends_at_a_round_number_above_the_largest_value(value, expected):
    assert nice_ceiling(value) == expected


def test_bars_are_as_tall_as_their_share_of_the_axis():
    chart = bar_chart(title="Notes", points=[("Jan 2026", 10), ("Feb 2026", 5), ("Mar 2026", 0)])
    plot_height = chart.plot_bottom - chart.plot_top
    january, february, march = chart.bars
    assert january.height == pytest.approx(plot_height)  # 10 is the top of the axis
    assert february.height == pytest.approx(plot_height / 2)
    assert march.height == 0
    # Every bar stands on the axis, inside the plot, left to right in order.
    for bar in chart.bars:
        assert bar.y + bar.height == pytest.approx(chart.plot_bottom)
        assert chart.plot_left <= bar.x < bar.x + bar.width <= chart.plot_right
    assert january.x < february.x < march.x


def test_a_percentage_axis_runs_to_100_and_ticks_are_labelled_with_the_unit():
    chart = bar_chart(title="Late", points=[("Jan 2026", 50.0)], unit="%", ceiling=100)
    assert chart.bars[0].height == pytest.approx((chart.plot_bottom - chart.plot_top) / 2)
    assert [tick.text for tick in chart.ticks] == ["0%", "25%", "50%", "75%", "100%"]
    assert chart.ticks[0].y == chart.plot_bottom
    assert chart.ticks[-1].y == chart.plot_top


def test_a_month_with_nothing_to_measure_draws_no_bar_and_says_so():
    chart = bar_chart(
        title="Late",
        points=[("Jan 2026", None), ("Feb 2026", 20.0)],
        unit="%",
        ceiling=100,
        empty_text="no notes",
    )
    assert chart.bars[0].height == 0
    assert chart.bars[0].value_text == "no notes"
    assert chart.bars[1].value_text == "20%"


def test_a_chart_of_nothing_but_zeros_has_a_usable_axis():
    chart = bar_chart(title="Notes", points=[("Jan 2026", 0), ("Feb 2026", 0)])
    assert [bar.height for bar in chart.bars] == [0, 0]
    assert chart.ticks[-1].value == 1
    assert "Highest: Jan 2026, 0." in chart.description


def test_a_chart_with_no_points_still_has_words():
    chart = bar_chart(title="Notes", points=[])
    assert chart.bars == ()
    assert chart.description == "There is nothing to show."


def test_the_description_gives_span_highest_lowest_and_latest():
    text = describe([("Jan 2026", 3), ("Feb 2026", 12), ("Mar 2026", 1), ("Apr 2026", 4)])
    assert text == (
        "4 bars, from Jan 2026 to Apr 2026. Highest: Feb 2026, 12. "
        "Lowest: Mar 2026, 1. Latest: Apr 2026, 4."
    )
    assert describe([("Jan 2026", None)], empty_text="no notes").endswith(
        "Every bar reads no notes."
    )


def test_counts_cannot_be_negative():
    with pytest.raises(ValueError, match="negative"):
        bar_chart(title="Notes", points=[("Jan 2026", -1)])


def test_values_read_as_whole_numbers_or_to_one_place():
    assert format_value(12.0) == "12"
    assert format_value(33.333, "%") == "33.3%"


@pytest.mark.parametrize("module", ["charts.py", "reckoning.py"])
def test_the_pure_modules_import_nothing_from_django(module):
    source = Path(charts.__file__).with_name(module).read_text()
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not any(name.split(".")[0] == "django" for name in imported)
