"""`caseledger bench search`: how fast search answers, for whom, at what size.

On top of the `bench ledger` data (built here first if the database holds fewer final notes
than asked for), it adds documents with generated text on the same cases, indexes everything
as the services would, gives one worker a caseload of 30 of those cases, and times searches of
one and two words by that worker and by the organisation's admin, through the search service
(the match, the count, the page, the snippets and the audit event). It also stores a 20 MB PDF
through the upload page, as a browser would send it, and reports how much the process's memory
grew meanwhile.

It writes into the configured database and keeps what it wrote: point it at a scratch database
(VAR_DIR or DATABASE_URL), never one holding real records.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.client import ClientHandler
from django.utils import timezone

from caseledger.accounts.models import TeamMembership, User
from caseledger.cases.models import Case
from caseledger.demo import files
from caseledger.ledger import bench as ledger_bench
from caseledger.ledger.models import Entry, EntryStatus
from caseledger.search.indexing import rebuild_index
from caseledger.search.models import SearchEntry
from caseledger.search.services import Filters, search
from caseledger.vault import storage
from caseledger.vault.models import Document, DocumentCase, DocumentCategory, StoredFile

CASELOAD = 30
# The ledger bench spreads notes about 100 to a case; a typical case holds no more than this.
TYPICAL_ENTRIES = 2 * ledger_bench.PER_CASE
WORKER_BUDGET_P95_MS = 100.0
UPLOAD_BYTES = 20 * 1024 * 1024
UPLOAD_BUDGET_MB = 50.0
BENCH_WORKER = "bench.worker@northmoor.example"
ONE_WORD = ["attendance", "police", "health", "grandmother", "school", "strategy"]
TWO_WORDS = [
    "core group",
    "health visitor",
    "school attendance",
    "police address",
    "child protection",
    "mum understood",
]
DOCUMENT_TITLES = [
    "Core group minutes",
    "Paediatric assessment report",
    "School attendance letter",
    "Health visitor report",
    "Strategy discussion minutes",
    "Letter from police",
]


class BenchError(Exception):
    pass


def run(
    *,
    notes: int,
    documents: int,
    runs: int,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    say = progress or (lambda _message: None)
    author = (
        User.objects.select_related("organisation").filter(email=ledger_bench.AUTHOR_EMAIL).first()
    )
    if author is None or author.organisation is None:
        raise BenchError(f"No user {ledger_bench.AUTHOR_EMAIL}: run `caseledger demo` first")
    started = time.perf_counter()
    existing = Entry.objects.filter(status=EntryStatus.FINAL).count()
    if existing < notes:
        say(f"Writing {notes - existing} notes (bench ledger data)…")
        ledger_bench.build(notes - existing, author=author)
    have = Document.objects.filter(title__startswith="Bench:").count()
    if have < documents:
        say(f"Writing {documents - have} documents…")
        _documents(author, documents - have)
    if SearchEntry.objects.count() < notes + documents:
        say("Indexing everything for search…")
        rebuild_index(progress=say)
        _analyse()
    worker = _worker_with_caseload(author)
    admin = User.objects.filter(
        organisation=author.organisation, role=User.Role.ORGANISATION_ADMIN
    ).first()
    if admin is None:
        raise BenchError("The demo council has no organisation admin")
    setup = time.perf_counter() - started
    say("Measuring…")
    figures: dict[str, Any] = {
        "target": "search",
        "database": connection.vendor,
        "notes": Entry.objects.filter(status=EntryStatus.FINAL).count(),
        "documents": Document.objects.count(),
        "index_rows": SearchEntry.objects.count(),
        "setup_seconds": round(setup, 1),
        "runs": runs,
        "worker": {
            "cases": Case.objects.filter(allocated_worker=worker).count(),
            **_latencies(worker, runs, say),
        },
        "admin": {"cases": "the whole organisation", **_latencies(admin, runs, say)},
        "budget_worker_p95_ms": WORKER_BUDGET_P95_MS,
    }
    worst = max(figures["worker"]["one_word"]["p95_ms"], figures["worker"]["two_words"]["p95_ms"])
    figures["worker_within_budget"] = worst < WORKER_BUDGET_P95_MS
    figures["upload_20mb_pdf"] = upload_memory(author)
    return figures


def _documents(author: User, count: int) -> None:
    """`count` documents on the bench cases, sharing one small stored PDF (storage is by
    content, so a million copies of the same bytes are one file), each with its own text."""
    organisation = author.organisation
    assert organisation is not None
    rng = random.Random(5)  # noqa: S311 (repeatable bench data, not security)
    data = files.pdf("Bench document")
    spool = storage.store_bytes(data, limit=len(data) + 1)
    StoredFile.objects.get_or_create(sha256=spool.sha256, defaults={"size": spool.size})
    category = DocumentCategory.objects.filter(organisation=organisation).first()
    case_ids = list(
        Case.objects.filter(organisation=organisation).order_by("id").values_list("id", flat=True)
    )
    now = timezone.now()
    batch_size = 2_000
    for start in range(0, count, batch_size):
        batch = []
        links = []
        for _ in range(min(batch_size, count - start)):
            document_id = uuid.uuid4()
            batch.append(
                Document(
                    id=document_id,
                    lineage=document_id,
                    organisation=organisation,
                    stored_file_id=spool.sha256,
                    file_name="bench.pdf",
                    kind="pdf",
                    uploaded_by=author,
                    uploaded_at=now,
                    title=f"Bench: {rng.choice(DOCUMENT_TITLES)}",
                    category=category,
                    extraction_status="extracted",
                    extracted_text=" ".join(
                        rng.choices(ledger_bench.SENTENCES, k=rng.randint(20, 60))
                    ),
                    extracted_at=now,
                )
            )
            links.append(DocumentCase(document_id=document_id, case_id=rng.choice(case_ids)))
        with transaction.atomic():
            Document.objects.bulk_create(batch)
            DocumentCase.objects.bulk_create(links)


def _analyse() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


def _worker_with_caseload(author: User) -> User:
    """A worker allocated `CASELOAD` of the bench cases (made once, kept; fewer only when the
    bench data has fewer cases than that)."""
    organisation = author.organisation
    assert organisation is not None
    worker = User.objects.filter(email=BENCH_WORKER).first()
    if worker is None:
        worker = User.objects.create_user(
            email=BENCH_WORKER,
            password=None,
            full_name="Bench Worker",
            organisation=organisation,
            role=User.Role.SOCIAL_WORKER,
        )
        membership = TeamMembership.objects.filter(team__organisation=organisation).first()
        if membership is None:
            raise BenchError("The demo council has no teams")
        TeamMembership.objects.create(user=worker, team=membership.team)
    # A caseload of typical cases (about 100 entries each): the ledger bench's 10,000-entry
    # case stays its author's.
    sized = Case.objects.annotate(entries_held=Count("entries"))
    sized.filter(allocated_worker=worker, entries_held__gt=TYPICAL_ENTRIES).update(
        allocated_worker=author
    )
    mine = Case.objects.filter(allocated_worker=worker).count()
    if mine < CASELOAD:
        spare = (
            sized.filter(
                organisation=organisation,
                child__last_name__in=_bench_names(),
                entries_held__lte=TYPICAL_ENTRIES,
            )
            .exclude(allocated_worker=worker)
            .exclude(allocated_worker=author)
            .order_by("reference")
            .values_list("id", flat=True)[: CASELOAD - mine]
        )
        Case.objects.filter(id__in=list(spare)).update(allocated_worker=worker)
    return worker


def _bench_names() -> list[str]:
    return ["Bench", "Hughes", "Khan", "Price", "Reid"]


def _percentiles(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return {"p50_ms": round(statistics.median(ordered), 2), "p95_ms": round(p95, 2)}


def _latencies(user: User, runs: int, say: Callable[[str], None]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for label, queries in (("one_word", ONE_WORD), ("two_words", TWO_WORDS)):
        for query in queries:  # warm, as a running server would be
            search(actor=user, query=query, filters=Filters())
        timings = []
        totals = []
        for index in range(runs):
            query = queries[index % len(queries)]
            started = time.perf_counter()
            results = search(actor=user, query=query, filters=Filters())
            timings.append((time.perf_counter() - started) * 1000)
            totals.append(results.total)
        found[label] = {
            **_percentiles(timings),
            "queries": queries,
            "median_results": statistics.median(totals),
        }
        say(f"{user.full_name}, {label}: {found[label]}")
    return found


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def upload_memory(author: User) -> dict[str, Any]:
    """POST a 20 MB PDF to the upload page through the full request stack, the body streamed
    from a file as a server would read it from the socket, and measure the process's peak
    memory growth (the kernel's high-water mark, reset just before)."""
    case = Case.objects.filter(allocated_worker=author).order_by("reference").first()
    category = DocumentCategory.objects.filter(organisation=author.organisation).first()
    if case is None or category is None:
        raise BenchError("The bench author has no case or no document category")
    boundary = "caseledgerbenchboundary"
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    client.force_login(author)
    with tempfile.TemporaryDirectory() as folder:
        body_path = Path(folder) / "body"
        pdf = files.pdf("Bench upload", padding=UPLOAD_BYTES)
        fields = {
            "title": f"Bench upload {uuid.uuid4().hex[:8]}",
            "category": str(category.id),
            "cases": str(case.id),
        }
        with body_path.open("wb") as body:
            for name, value in fields.items():
                body.write(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{value}\r\n".encode()
                )
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="bench.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            )
            body.write(pdf)
            body.write(f"\r\n--{boundary}--\r\n".encode())
        size = body_path.stat().st_size
        del pdf
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        handler = ClientHandler(enforce_csrf_checks=False)
        with body_path.open("rb") as stream:
            environ = {
                "REQUEST_METHOD": "POST",
                "PATH_INFO": f"/cases/{case.id}/documents/new/",
                "QUERY_STRING": "",
                "SERVER_NAME": settings.ALLOWED_HOSTS[0],
                "SERVER_PORT": "443",
                "HTTP_HOST": settings.ALLOWED_HOSTS[0],
                "wsgi.url_scheme": "https",
                "wsgi.input": stream,
                "wsgi.errors": None,
                "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
                "CONTENT_LENGTH": str(size),
                "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={session}",
                "REMOTE_ADDR": "127.0.0.1",
            }
            before = _rss_kb("VmRSS")
            try:
                Path("/proc/self/clear_refs").write_text("5")  # reset the high-water mark
                resettable = True
            except OSError:
                resettable = False
            started = time.perf_counter()
            response = handler(environ)
            seconds = time.perf_counter() - started
            peak = _rss_kb("VmHWM")
    if response.status_code != 302:
        raise BenchError(f"The upload answered {response.status_code}, not a redirect")
    growth_mb = max(0, peak - before) / 1024
    return {
        "bytes": UPLOAD_BYTES,
        "request_bytes": size,
        "seconds": round(seconds, 2),
        "peak_memory_growth_mb": round(growth_mb, 1),
        "measured_from": "VmHWM reset before the request" if resettable else "VmHWM",
        "budget_mb": UPLOAD_BUDGET_MB,
        "within_budget": growth_mb < UPLOAD_BUDGET_MB,
    }
