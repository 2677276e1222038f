"""The provision map's figures as its pages show them: money as GOV.UK writes it ("£1,843.54")
and gains on a scale in one format everywhere."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template

from caseledger.domain.sen.impact import MeasureStatus, PupilImpact
from caseledger.provision.models import Place

register = template.Library()

TENTH = Decimal("0.1")


@register.filter
def pounds(amount: Decimal | None) -> str:
    """Pounds and pence with a comma every thousand; a dash for none."""
    return "–" if amount is None else f"£{amount:,.2f}"


def gain_text(value: int | Decimal) -> str:
    """A gain (a pupil's, or an average) to one decimal place, half up, and a whole number
    without the decimal: "8", "7.5", "-3". A pupil's gain and an intervention's average are
    compared side by side, so they must read alike ("8" on one page and "8.0" on another
    look like different figures)."""
    shown = Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP)
    if shown == shown.to_integral_value():
        return str(int(shown))
    return str(shown)


@register.filter
def gain(value: int | Decimal | None) -> str:
    """`gain_text`, with a dash for none (no pupil measured)."""
    return "–" if value is None else gain_text(value)


@register.filter
def target_met(impact: PupilImpact) -> str:
    """Whether a place met its target, as its row says it on the page and in the CSV: "Met",
    "Not met", "No target" (measured, but none was set), or why it cannot be told yet."""
    if impact.target_met is not None:
        return "Met" if impact.target_met else "Not met"
    if impact.status is MeasureStatus.MEASURED:
        return "No target"
    return impact.status.label


@register.filter
def target_text(place: Place) -> str:
    """A place's target as a group's page words it, or nothing if none was set."""
    if place.target_gain is not None:
        return f"Gain of {place.target_gain}"
    if place.target_exit is not None:
        return f"Exit score {place.target_exit}"
    return ""
