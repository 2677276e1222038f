"""Calendar arithmetic about people: ages. No Django import."""

from __future__ import annotations

from datetime import date


def age_on(date_of_birth: date, on: date) -> int:
    """Whole years of age on a date; a 29 February birthday counts from 1 March in common years."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def describe_age(date_of_birth: date, on: date) -> str:
    """ "4 years", "1 year" or, under one, "7 months" — how practitioners say a child's age."""
    years = age_on(date_of_birth, on)
    if years >= 1:
        return f"{years} year" if years == 1 else f"{years} years"
    months = (on.year - date_of_birth.year) * 12 + on.month - date_of_birth.month
    if on.day < date_of_birth.day:
        months -= 1
    months = max(months, 0)
    return f"{months} month" if months == 1 else f"{months} months"
