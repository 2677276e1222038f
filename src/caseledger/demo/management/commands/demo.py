from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseledger.accounts.models import Organisation
from caseledger.demo.data import DEMO_LOGINS, DEMO_PASSWORD, demo_is_loaded, load_demo
from caseledger.demo.scale import generate


class Command(BaseCommand):
    help = "Load the fictional demo organisations, people and cases; print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="also generate N children with open cases (benchmarking)",
        )
        parser.add_argument("--logins", action="store_true", help="only print the demo logins")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="load the demo only into an empty database (what `make run` does)",
        )

    def handle(self, *args: Any, scale: int, logins: bool, if_empty: bool, **options: Any) -> None:
        if settings.PRODUCTION and not logins:
            # The demo accounts' password is published in the README.
            raise CommandError("Demo data is never loaded with production settings")
        if not logins:
            if scale < 0:
                raise CommandError("--scale must be 0 or more")
            if if_empty and Organisation.objects.exists() and not demo_is_loaded():
                self.stdout.write("The database already holds records; demo data not loaded.")
            elif demo_is_loaded():
                self.stdout.write("Demo data is already loaded.")
            else:
                load_demo()
                self.stdout.write("Demo data loaded.")
            if scale:
                organisation = Organisation.objects.get(reference_prefix="NMB")
                created = generate(scale, organisation=organisation)
                self.stdout.write(
                    f"Generated {created} children with open cases in {organisation.name}."
                )
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for every account: {DEMO_PASSWORD})")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.persona:<32} {login.email}")
