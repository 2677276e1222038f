"""`caseledger bench`: time the pages the issue budgets set, and count their queries.

Runs each page through Django's full request stack in-process (middleware, templates,
database), so the figures are the server's own time, not the network's.

`caseledger bench ledger` measures the ledger instead (finalising a note, the chronology,
`verify`), each next to a raw-SQL floor from the same run; `caseledger.ledger.bench` says how.
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caseledger.accounts.models import User
from caseledger.cases.access import cases_visible_to
from caseledger.cases.models import Case
from caseledger.domain.ehcp.bench import benchmark as plan_benchmark
from caseledger.domain.quality.bench import benchmark as analyser_benchmark
from caseledger.ledger import bench as ledger_bench
from caseledger.provision import bench as sen_bench
from caseledger.search import bench as search_bench


class Command(BaseCommand):
    help = (
        "pages (the default): median and 95th percentile response times and query counts of "
        "the busiest pages; reads only. "
        "ledger: writes --notes final notes (default 100000: one case of 10,000, the rest about "
        "100 a case) into the configured database and keeps them, then prints one JSON object "
        "timing finalising a note (service and HTTP), the first chronology page of the "
        "10,000-entry case and verify's throughput, each with a raw-SQL floor from the same run "
        "and the ratio of the two. "
        "search: on top of the ledger data (--notes) and --documents documents, p50/p95 search "
        "latency for one- and two-word queries by a worker with a 30-case caseload and by an "
        "organisation admin, and the memory a 20 MB PDF upload costs the web process, as JSON. "
        "analyse: p50/p95/max milliseconds the recording assistant takes over a 1,000-word "
        "case note (no database). "
        "ehcp: p50/p95/max milliseconds to split a 40-page (16,000-word) EHC plan into sections "
        "A to K and raise its flags (no database). "
        "sen: writes a generated 1,500-pupil school (300 on the SEN register, 40 "
        "interventions, three years of delivery logs) and one ten times smaller, then prints "
        "p50/p95/max milliseconds and the query counts of the provision map and the "
        "school-wide reports as JSON, with the smaller school's query counts beside them. "
        "Point it at a scratch database (VAR_DIR or DATABASE_URL); it refuses production "
        "settings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "target",
            nargs="?",
            choices=["pages", "ledger", "search", "analyse", "ehcp", "sen"],
            default="pages",
            help="what to measure (default: pages)",
        )
        parser.add_argument("--runs", type=int, default=50, help="timed runs per measurement")
        parser.add_argument(
            "--email", default="amira.khan@northmoor.example", help="whose pages to time"
        )
        parser.add_argument(
            "--notes",
            type=int,
            default=100_000,
            metavar="N",
            help="ledger, search: how many final notes to write first (default 100000)",
        )
        parser.add_argument(
            "--documents",
            type=int,
            default=5_000,
            metavar="N",
            help="search: how many documents to have on the bench cases (default 5000)",
        )

    def handle(
        self,
        *args: Any,
        target: str,
        runs: int,
        email: str,
        notes: int,
        documents: int,
        **options: Any,
    ) -> None:
        if target == "ledger":
            self._ledger(notes=notes, runs=runs)
            return
        if target == "search":
            self._search(notes=notes, documents=documents, runs=runs)
            return
        if target == "sen":
            self._sen(runs=runs)
            return
        if target == "ehcp":
            # Pure Python, no database: a 40-page EHC plan split into sections and flagged.
            self.stdout.write(json.dumps(plan_benchmark(runs=max(runs, 1)), indent=2))
            return
        if target == "analyse":
            # Pure Python, no database: the recording assistant on a 1,000-word note.
            figures = analyser_benchmark(runs=max(runs, 1))
            self.stdout.write(json.dumps(figures, indent=2))
            return
        self._pages(runs=runs, email=email)

    def _ledger(self, *, notes: int, runs: int) -> None:
        if settings.PRODUCTION:
            # It writes thousands of made-up notes, and the demo author's password is public.
            raise CommandError("The ledger bench never runs with production settings")
        try:
            figures = ledger_bench.run(notes=notes, runs=runs, progress=self.stderr.write)
        except ledger_bench.BenchError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(figures, indent=2, ensure_ascii=False))

    def _sen(self, *, runs: int) -> None:
        if settings.PRODUCTION:
            # It writes two made-up schools of pupils into the database.
            raise CommandError("The SEN bench never runs with production settings")
        try:
            figures = sen_bench.run(runs=max(runs, 1), progress=self.stderr.write)
        except sen_bench.BenchError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(figures, indent=2, ensure_ascii=False))

    def _search(self, *, notes: int, documents: int, runs: int) -> None:
        if settings.PRODUCTION:
            raise CommandError("The search bench never runs with production settings")
        try:
            figures = search_bench.run(
                notes=notes, documents=documents, runs=runs, progress=self.stderr.write
            )
        except (search_bench.BenchError, ledger_bench.BenchError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(figures, indent=2, ensure_ascii=False))

    def _pages(self, *, runs: int, email: str) -> None:
        user = User.objects.filter(email=email).first()
        if user is None:
            raise CommandError(f"No user {email}: run `caseledger demo` first")
        case = cases_visible_to(user).order_by("-opened_on").first()
        if case is None:
            raise CommandError(f"{email} has no cases to open")
        manager = User.objects.filter(
            team_memberships__is_manager=True, organisation=user.organisation
        ).first()
        client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
        client.force_login(user)
        pages = [
            ("caseload, allocated to me", client, "/?show=mine"),
            ("caseload, page 2", client, self._second_page(client)),
            ("case page", client, f"/cases/{case.id}/"),
            ("child page", client, f"/children/{case.child_id}/"),
        ]
        if manager is not None:
            manager_client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
            manager_client.force_login(manager)
            pages.append(("caseload, my team's cases (manager)", manager_client, "/?show=team"))
            team_id = manager.managed_team_ids and sorted(manager.managed_team_ids)[0]
            if team_id:
                pages.append(
                    (
                        "compliance, team dashboard (manager)",
                        manager_client,
                        f"/manage/teams/{team_id}/compliance/",
                    )
                )
        admin = User.objects.filter(
            role=User.Role.ORGANISATION_ADMIN, organisation=user.organisation
        ).first()
        if admin is not None:
            admin_client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
            admin_client.force_login(admin)
            pages += [
                ("compliance, organisation (admin)", admin_client, "/manage/compliance/"),
                ("compliance, trends (admin)", admin_client, "/manage/compliance/trends/"),
            ]
        self.stdout.write(
            f"Database: {connection.vendor}; {Case.objects.count()} cases; "
            f"{cases_visible_to(user).count()} visible to {user.full_name}; {runs} runs per page"
        )
        self.stdout.write(f"{'page':<38} {'median ms':>9} {'p95 ms':>8} {'queries':>8}")
        for label, page_client, url in pages:
            if url is None:
                continue
            page_client.get(url, secure=True)  # warm caches, as a real server would be
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                response = page_client.get(url, secure=True)
                timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code}")
            with CaptureQueriesContext(connection) as queries:
                page_client.get(url, secure=True)
            timings.sort()
            p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
            self.stdout.write(
                f"{label:<38} {statistics.median(timings):>9.1f} {p95:>8.1f} {len(queries):>8}"
            )

    def _second_page(self, client: Client) -> str | None:
        body = client.get("/?show=mine", secure=True).content.decode()
        marker = 'href="?show=mine&amp;after='
        start = body.find(marker)
        if start < 0:
            return None
        end = body.find('"', start + len('href="'))
        return "/" + body[start + len('href="') : end].replace("&amp;", "&")
