"""The working-day calendar every deadline uses: bank holidays plus one-off holidays."""

from __future__ import annotations

from datetime import date

from caseledger.domain.working_days import WorkingDays
from caseledger.workdays.models import Holiday


def working_days() -> WorkingDays:
    """England and Wales working days, counting the one-off holidays an admin has added.

    One small query; callers that count many dates take the calendar once and reuse it.
    """
    return WorkingDays(extra_holidays=frozenset(Holiday.objects.values_list("date", flat=True)))


def bank_holidays_between(start: date, end: date) -> list[tuple[date, str]]:
    """England and Wales bank holidays from the `holidays` package, with their names."""
    import holidays

    found = holidays.country_holidays(
        "GB", subdiv="ENG", years=list(range(start.year, end.year + 1))
    )
    return sorted((day, name) for day, name in found.items() if start <= day <= end)
