"""`caseledger sweep [--date YYYY-MM-DD]`: the daily run of reminders and breach flags.

Run it once a day (cron, a scheduler, or `make run`, which runs it at start). Idempotent:
running it again the same day changes nothing. Prints one line:
`Sweep for 2026-11-23: 3 reminders (2 emails queued), 1 actions newly overdue`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseledger.actions.reminders import sweep


class Command(BaseCommand):
    help = "Create the day's action reminders, queue their emails, and flag overdue actions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to sweep for (default: today), YYYY-MM-DD")

    def handle(self, *args: Any, date: str | None, **options: Any) -> None:
        day = None
        if date:
            try:
                day = _parse(date)
            except ValueError:
                raise CommandError(
                    f"{date!r} is not a real date: use YYYY-MM-DD", returncode=2
                ) from None
        self.stdout.write(sweep(today=day).summary())


def _parse(value: str) -> date:
    if len(value) != 10:  # fromisoformat also takes "20261123", which nobody means here
        raise ValueError(value)
    return date.fromisoformat(value)
