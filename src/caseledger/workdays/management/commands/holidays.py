"""`caseledger holidays`: the one-off bank holidays every working-day deadline counts.

    caseledger holidays list [--year 2027]
    caseledger holidays add 2027-06-07 "Bank holiday for the royal wedding"
    caseledger holidays remove 2027-06-07

`list` prints one line per holiday, `YYYY-MM-DD  Name`, with " (one-off)" after those added
here. `add` and `remove` print what they did and how many open statutory deadlines were
worked out again. Bad input prints one line and exits 2.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from caseledger.domain.errors import DomainError
from caseledger.workdays.calendar import bank_holidays_between
from caseledger.workdays.models import Holiday
from caseledger.workdays.services import add_holiday, remove_holiday


def _date(value: str) -> date:
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"{value!r} is not a real date: use YYYY-MM-DD, for example 2027-06-07", returncode=2
        ) from None


class Command(BaseCommand):
    help = "List, add or remove one-off bank holidays (England and Wales)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("verb", choices=["list", "add", "remove"], nargs="?", default="list")
        parser.add_argument("date", nargs="?")
        parser.add_argument("name", nargs="?")
        parser.add_argument("--year", type=int)

    def handle(
        self,
        *args: Any,
        verb: str,
        date: str | None,
        name: str | None,
        year: int | None,
        **options: Any,
    ) -> None:
        if verb == "list":
            self._list(year or timezone.localdate().year)
            return
        if date is None:
            raise CommandError(f"Give the date to {verb}, as YYYY-MM-DD", returncode=2)
        day = _date(date)
        try:
            if verb == "add":
                if not name:
                    raise CommandError("Give the holiday's name after its date", returncode=2)
                holiday, moved = add_holiday(actor=None, day=day, name=name)
                self.stdout.write(
                    f"Added {holiday.date.isoformat()} {holiday.name}. "
                    f"{moved} statutory deadline{'s' if moved != 1 else ''} recalculated."
                )
            else:
                moved = remove_holiday(actor=None, day=day)
                self.stdout.write(
                    f"Removed {day.isoformat()}. "
                    f"{moved} statutory deadline{'s' if moved != 1 else ''} recalculated."
                )
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None

    def _list(self, year: int) -> None:
        start, end = date(year, 1, 1), date(year, 12, 31)
        rows = [(day, name, False) for day, name in bank_holidays_between(start, end)]
        rows += [
            (holiday.date, holiday.name, True)
            for holiday in Holiday.objects.filter(date__range=(start, end))
        ]
        for day, name, one_off in sorted(rows):
            self.stdout.write(f"{day.isoformat()}  {name}{' (one-off)' if one_off else ''}")
