"""`caseledger deadlines`: the statutory clock from the command line.

    caseledger deadlines --json ehc_request_received=2026-01-12 decision_letter=2026-06-30
    caseledger deadlines --rules

The JSON form is a contract (keep it stable): an array of objects with at least `rule`,
`milestone`, `due` (YYYY-MM-DD), `day_kind` and `citation`, in date order. Bad input (an
unknown event, an impossible date, a malformed argument) prints one line and exits 2.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseledger.domain.statutory_clock import EVENTS, RULES, deadlines
from caseledger.domain.working_days import ENGLAND_AND_WALES, WorkingDays


def _calendar() -> WorkingDays:
    """Bank holidays plus the one-off holidays an admin added (`caseledger holidays`). Before
    the database exists there are none to add, and the arithmetic needs nothing else."""
    from django.db import DatabaseError

    from caseledger.workdays.calendar import working_days

    try:
        return working_days()
    except DatabaseError:
        return ENGLAND_AND_WALES


def parse_event(argument: str) -> tuple[str, date]:
    name, separator, value = argument.partition("=")
    if not separator or not name or not value:
        raise CommandError(
            f"{argument!r} is not EVENT=YYYY-MM-DD, for example ehc_request_received=2026-01-12",
            returncode=2,
        )
    if name not in EVENTS:
        raise CommandError(f"Unknown event {name!r}. Events: {', '.join(EVENTS)}", returncode=2)
    try:
        parts = [int(part) for part in value.split("-")]
        if len(parts) != 3 or len(value) != 10:
            raise ValueError
        return name, date(*parts)
    except ValueError:
        raise CommandError(
            f"{value!r} is not a real date: use YYYY-MM-DD, for example 2026-01-12",
            returncode=2,
        ) from None


class Command(BaseCommand):
    # Arithmetic, plus one small read of the one-off holidays: no system checks needed.
    requires_system_checks: list[str] = []
    help = (
        "Work out statutory due dates from events given as EVENT=YYYY-MM-DD (England; working "
        "days on England and Wales bank holidays). --rules lists every rule with its citation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("events", nargs="*", metavar="EVENT=YYYY-MM-DD")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print a JSON array"
        )
        parser.add_argument("--rules", action="store_true", help="list every rule")

    def handle(
        self, *args: Any, events: list[str], as_json: bool, rules: bool, **options: Any
    ) -> None:
        if rules:
            self._rules(as_json=as_json)
            return
        if not events:
            raise CommandError("Give at least one EVENT=YYYY-MM-DD, or --rules", returncode=2)
        given: dict[str, date] = {}
        for argument in events:
            name, when = parse_event(argument)
            if name in given and given[name] != when:
                raise CommandError(f"Event {name!r} is given twice", returncode=2)
            given[name] = when
        found = deadlines(given, _calendar())
        if as_json:
            self.stdout.write(
                _dumps(
                    [
                        {
                            "rule": item.rule.id,
                            "milestone": item.milestone,
                            "due": item.due.isoformat(),
                            "day_kind": item.rule.day_kind.value,
                            "citation": item.rule.citation,
                            "event": item.rule.event,
                            "event_date": item.event_date.isoformat(),
                            "description": item.rule.description,
                        }
                        for item in found
                    ]
                )
            )
            return
        for item in found:
            self.stdout.write(
                f"{item.due.isoformat()}  {item.milestone:<26} {item.rule.description} "
                f"({item.rule.citation})"
            )

    def _rules(self, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(
                _dumps(
                    [
                        {
                            "rule": rule.id,
                            "event": rule.event,
                            "milestone": rule.milestone,
                            "amount": rule.amount,
                            "day_kind": rule.day_kind.value,
                            "citation": rule.citation,
                            "description": rule.description,
                        }
                        for rule in RULES
                    ]
                )
            )
            return
        for rule in RULES:
            self.stdout.write(
                f"{rule.id:<32} {rule.event} + {rule.amount} {rule.day_kind.value} -> "
                f"{rule.milestone}  ({rule.citation})"
            )


def _dumps(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)
