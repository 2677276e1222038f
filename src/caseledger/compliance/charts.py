"""Bar charts as plain geometry, for the compliance trends (recording rule 13). No Django import.

A template draws the SVG from what `bar_chart` returns: every number here is a coordinate
in the chart's own view box, so the page needs no script and no style attribute (the content
security policy allows neither). Each chart carries its own words: a title, and a
description that says what the bars show and where they peak, for people who cannot see
them; the page puts the same numbers in a table beside the chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# The view box; the SVG scales to its container's width.
WIDTH = 640
HEIGHT = 260
# Room for the value axis on the left and the month labels below.
LEFT = 48
RIGHT = 8
TOP = 16
BOTTOM = 40
TICKS = 4
# Of each slot, the share the bar fills; the rest is the gap between bars.
BAR_SHARE = 0.7


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: nothing to measure that month (no bar is drawn)
    value_text: str
    x: float
    y: float
    width: float
    height: float
    label_x: float


@dataclass(frozen=True)
class Tick:
    value: float
    text: str
    y: float


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]

    @property
    def tick_label_x(self) -> float:
        """Where the value axis's numbers end, just left of the plot."""
        return self.plot_left - 6


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 or 10 times a power of ten that is at least `value` (1 for 0)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power + 1e-9 * power:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def format_value(value: float, unit: str = "") -> str:
    """Whole numbers without a decimal point, others to one place: "12", "33.3%"."""
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return f"{text}{unit}"


def bar_chart(
    *,
    title: str,
    points: Sequence[tuple[str, float | None]],
    unit: str = "",
    ceiling: float | None = None,
    empty_text: str = "no data",
) -> BarChart:
    """A vertical bar chart of `points` (label, value) in order.

    The value axis starts at 0 and ends at `ceiling` (100 for percentages) or at a round
    number above the largest value. A value of None draws no bar and reads `empty_text`.
    """
    values = [value for _, value in points if value is not None]
    if any(value < 0 for value in values):
        raise ValueError("bar charts here count things: values must not be negative")
    top_value = ceiling if ceiling is not None else nice_ceiling(max(values, default=0.0))
    plot_left, plot_right = float(LEFT), float(WIDTH - RIGHT)
    plot_top, plot_bottom = float(TOP), float(HEIGHT - BOTTOM)
    plot_height = plot_bottom - plot_top
    slot = (plot_right - plot_left) / max(len(points), 1)
    bars = []
    for index, (label, value) in enumerate(points):
        height = 0.0 if value is None else plot_height * min(value, top_value) / top_value
        x = plot_left + index * slot + slot * (1 - BAR_SHARE) / 2
        bars.append(
            Bar(
                label=label,
                value=value,
                value_text=empty_text if value is None else format_value(value, unit),
                x=round(x, 2),
                y=round(plot_bottom - height, 2),
                width=round(slot * BAR_SHARE, 2),
                height=round(height, 2),
                label_x=round(plot_left + (index + 0.5) * slot, 2),
            )
        )
    ticks = tuple(
        Tick(
            value=top_value * step / TICKS,
            text=format_value(top_value * step / TICKS, unit),
            y=round(plot_bottom - plot_height * step / TICKS, 2),
        )
        for step in range(TICKS + 1)
    )
    return BarChart(
        title=title,
        description=describe(points, unit=unit, empty_text=empty_text),
        width=WIDTH,
        height=HEIGHT,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        bars=tuple(bars),
        ticks=ticks,
    )


def describe(
    points: Sequence[tuple[str, float | None]], *, unit: str = "", empty_text: str = "no data"
) -> str:
    """The chart in words: its span, its highest and lowest bars, and its latest value."""
    if not points:
        return "There is nothing to show."
    measured = [(label, value) for label, value in points if value is not None]
    span = f"{len(points)} bars, from {points[0][0]} to {points[-1][0]}."
    if not measured:
        return f"{span} Every bar reads {empty_text}."
    highest = max(measured, key=lambda point: point[1])
    lowest = min(measured, key=lambda point: point[1])
    latest_label, latest_value = points[-1]
    latest = empty_text if latest_value is None else format_value(latest_value, unit)
    return (
        f"{span} Highest: {highest[0]}, {format_value(highest[1], unit)}. "
        f"Lowest: {lowest[0]}, {format_value(lowest[1], unit)}. "
        f"Latest: {latest_label}, {latest}."
    )
