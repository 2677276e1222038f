"""Money as GOV.UK writes it: "£1,843.54"."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def pounds(amount: Decimal | None) -> str:
    """Pounds and pence with a comma every thousand; a dash for none."""
    return "–" if amount is None else f"£{amount:,.2f}"
