"""Adding and removing one-off holidays: audited, and every open statutory deadline that
counts working days is worked out again in the same transaction."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.formats import date_format

from caseledger.accounts.models import User
from caseledger.actions.clocks import recalculate_for_holidays
from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.domain.errors import DomainError
from caseledger.domain.working_days import ENGLAND_AND_WALES
from caseledger.workdays.calendar import bank_holidays_between
from caseledger.workdays.models import Holiday


@transaction.atomic
def add_holiday(*, actor: User | None, day: date, name: str) -> tuple[Holiday, int]:
    """Add a one-off holiday; returns it and how many open deadlines moved."""
    name = name.strip()
    if not name:
        raise DomainError("Enter the name of the holiday", field="name")
    limit = Holiday._meta.get_field("name").max_length
    if limit is not None and len(name) > limit:
        # PostgreSQL would refuse the row with a DataError; SQLite would keep it whole.
        raise DomainError(f"The name must be {limit} characters or fewer", field="name")
    if day.weekday() >= 5:
        raise DomainError(f"{date_format(day, 'l j F Y')} is not a working day already")
    named = dict(bank_holidays_between(day, day))
    if not ENGLAND_AND_WALES.is_working_day(day) and day in named:
        raise DomainError(f"{date_format(day, 'j F Y')} is already a bank holiday ({named[day]})")
    if Holiday.objects.filter(date=day).exists():
        raise DomainError(f"{date_format(day, 'j F Y')} has already been added")
    holiday = Holiday.objects.create(date=day, name=name, added_by=actor)
    record_event(
        actor=actor,
        action=Action.HOLIDAY_ADDED,
        obj=holiday,
        detail={"date": day.isoformat(), "name": name},
    )
    moved = recalculate_for_holidays(
        actor=actor,
        note=f"A one-off bank holiday was added: {name}, {date_format(day, 'j F Y')}.",
    )
    return holiday, moved


@transaction.atomic
def remove_holiday(*, actor: User | None, day: date) -> int:
    """Remove a one-off holiday added in error; returns how many open deadlines moved."""
    holiday = Holiday.objects.filter(date=day).first()
    if holiday is None:
        raise DomainError(f"No one-off holiday has been added on {date_format(day, 'j F Y')}")
    record_event(
        actor=actor,
        action=Action.HOLIDAY_REMOVED,
        obj=holiday,
        detail={"date": day.isoformat(), "name": holiday.name},
    )
    holiday.delete()
    return recalculate_for_holidays(
        actor=actor,
        note=(
            f"A one-off holiday added in error was removed: {holiday.name}, "
            f"{date_format(day, 'j F Y')}."
        ),
    )
