"""`caseledger bench ledger`: how fast the ledger is, next to what raw SQL could do.

A figure alone says little ("12 ms"): is that the machine, the database or our code? So every
measurement here is paired with a floor measured in the same run, on the same database, by raw
SQL doing the least the same job needs (store one row and commit; read one page of rows; read
every row), and the ratio of the two. The ratio is what a change to our code moves.

The data: `notes` final entries written in bulk into one organisation (the demo council), with
one case holding 10,000 of them (a long-running looked-after child's record) and the rest spread
over many cases of about 100 each. The rows are real chain links, hashed with the same
`domain.chain` functions the services use, so `caseledger verify` still passes afterwards; the
one audit event recording that the rows were generated goes through `record_event`, so the audit
chain stays valid too. A million notes take a few minutes to build.

This writes into the configured database and keeps what it wrote (like `demo --scale`): point it
at a scratch database (VAR_DIR or DATABASE_URL) rather than one holding real records.
"""

from __future__ import annotations

import math
import random
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.db.models.sql import InsertQuery
from django.test import Client
from django.utils import timezone

from caseledger.accounts.models import Organisation, TeamMembership, User
from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.cases.models import Case, CaseStatus, CaseStatusChange, CaseType
from caseledger.domain.chain import ENTRY_COLUMN_NAMES, GENESIS, entry_values, link_hash, values_of
from caseledger.ledger import services
from caseledger.ledger.models import ContactType, Entry, EntryStatus
from caseledger.ledger.verify import read_entries, verify
from caseledger.people.models import Child

LARGEST_CASE = 10_000
PER_CASE = 100
# Entries built and inserted per transaction.
BATCH = 5_000
CHRONOLOGY_BUDGET_P95_MS = 50.0
VERIFY_BUDGET_PER_SECOND = 100_000
AUTHOR_EMAIL = "amira.khan@northmoor.example"

TITLES = [
    "Phone call with mum",
    "Call from school about attendance",
    "Strategy discussion",
    "Email from health visitor",
    "Core group meeting",
    "Management oversight",
    "Letter to family",
    "Text message from dad",
    "Case discussion with team manager",
    "Call from police",
]
SENTENCES = [
    "Mum said the week had been difficult but that the children had been to school every day.",
    "School reported that attendance has improved to 92 per cent this half term.",
    "We agreed that the next core group meeting will be held at the school.",
    "Dad was not available; I left a message asking him to call back.",
    "The health visitor has no new concerns and will visit again in six weeks.",
    "I explained the plan again and checked that mum understood what happens next.",
    "The child told their teacher they were worried about things at home.",
    "Police confirmed there have been no further call-outs to the address.",
    "We discussed the outstanding actions from the child protection plan.",
    "Grandmother has offered to help with school drop-offs on Tuesdays.",
]


class BenchError(Exception):
    """The bench cannot run, or a page answered something other than expected."""


@dataclass(frozen=True)
class World:
    author: User
    organisation: Organisation
    largest: Case
    floor_case: Case
    cases: int
    notes: int
    seconds: float


def run(*, notes: int, runs: int, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Build the data, take every measurement and return the figures as one JSON object."""
    if notes < 2:
        raise BenchError("--notes must be 2 or more")
    if runs < 1:
        raise BenchError("--runs must be 1 or more")
    say = progress or (lambda _message: None)
    author = User.objects.select_related("organisation").filter(email=AUTHOR_EMAIL).first()
    if author is None or author.organisation is None:
        raise BenchError(f"No user {AUTHOR_EMAIL}: run `caseledger demo` first")
    say(f"Writing {notes} notes into the {connection.vendor} database…")
    world = build(notes, author=author)
    say(f"Built in {world.seconds:.1f} s; measuring…")
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    client.force_login(author)
    figures: dict[str, Any] = {
        "target": "ledger",
        "database": connection.vendor,
        "notes": world.notes,
        "cases": world.cases,
        "largest_case": {
            "reference": world.largest.reference,
            "entries": _final_entries(world.largest),
        },
        "setup_seconds": round(world.seconds, 1),
        "runs": runs,
        "ratio": "our time ÷ the raw-SQL floor's time, per note, page or entry",
    }
    # The chronology first, while the largest case holds exactly what was built.
    figures["chronology_first_page"] = chronology(world, client, runs)
    figures["finalise_service"] = finalise_service(world, runs)
    figures["finalise_http"] = finalise_http(world, client, runs)
    figures["verify"] = verify_throughput()
    return figures


# --- The data -----------------------------------------------------------------------------


def build(notes: int, *, author: User, seed: int = 2026) -> World:
    """Write `notes` final entries in bulk: one case of up to 10,000, the rest ~100 a case."""
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 (repeatable bench data, not security)
    organisation = author.organisation
    assert organisation is not None
    largest_size = min(LARGEST_CASE, max(1, notes // 2))
    rest = notes - largest_size
    sizes = [largest_size, *_spread(rest, max(1, math.ceil(rest / PER_CASE)))]
    cases = _cases(organisation, author, count=len(sizes) + 1, rng=rng)
    largest, floor_case, spread = cases[0], cases[1], cases[2:]
    contact_types = list(
        ContactType.objects.filter(organisation=organisation, is_visit=False, is_active=True)
    )
    if not contact_types:
        raise BenchError(f"{organisation.name} has no contact types that are not visits")
    now = timezone.now()
    batch: list[Entry] = []
    for case, size in zip([largest, *spread], sizes, strict=False):
        batch.extend(_chain(case, author, size, contact_types, rng=rng, now=now))
        if len(batch) >= BATCH:
            _insert(batch)
            batch = []
    _insert(batch)
    if connection.vendor == "postgresql":
        # Autovacuum would gather statistics and set the visibility map on a database this
        # size soon enough; until it does, the planner takes the freshly filled tables for
        # nearly empty ones and cannot use index-only scans, and every figure measures that
        # bulk-load state instead of the steady state a live service runs in.
        # (VACUUM cannot run inside a transaction, as under the test suite: ANALYZE then.)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    with transaction.atomic():
        record_event(
            actor=None,
            action=Action.DEMO_LOADED,
            organisation=organisation,
            detail={"bench_notes": notes, "bench_cases": len(cases)},
        )
    return World(
        author=author,
        organisation=organisation,
        largest=largest,
        floor_case=floor_case,
        cases=len(cases),
        notes=notes,
        seconds=time.perf_counter() - started,
    )


def _spread(total: int, parts: int) -> list[int]:
    if total <= 0:
        return []
    size, extra = divmod(total, parts)
    return [size + (1 if index < extra else 0) for index in range(parts)]


def _cases(
    organisation: Organisation, author: User, *, count: int, rng: random.Random
) -> list[Case]:
    """Children with one open case each. The first two (the largest case and the one the
    insert floor writes to) are the author's; the rest go round the council's workers, as
    `demo --scale` allocates them."""
    memberships = list(
        TeamMembership.objects.filter(team__organisation=organisation).select_related("team")
    )
    managers = {m.team_id: m.user_id for m in memberships if m.is_manager}
    workers = [m for m in memberships if not m.is_manager] or memberships
    own = next((m for m in memberships if m.user_id == author.id), None)
    if own is None:
        raise BenchError(f"{author.full_name} is in no team, so cannot hold the bench cases")
    today = timezone.localdate()
    cases: list[Case] = []
    with transaction.atomic():
        Organisation.objects.filter(pk=organisation.pk).update(
            case_sequence=F("case_sequence") + count
        )
        last = Organisation.objects.values_list("case_sequence", flat=True).get(pk=organisation.pk)
        children: list[Child] = []
        for offset in range(count):
            membership = own if offset < 2 else workers[offset % len(workers)]
            born = today - timedelta(days=rng.randint(400, 16 * 365))
            child = Child(
                organisation=organisation,
                first_names=rng.choice(["Ava", "Noah", "Isla", "Leo", "Mia", "Oscar"]),
                last_name=rng.choice(["Bench", "Hughes", "Khan", "Price", "Reid"]),
                date_of_birth=born,
                gender=rng.choice([Child.Gender.FEMALE, Child.Gender.MALE]),
            )
            children.append(child)
            cases.append(
                Case(
                    organisation=organisation,
                    child=child,
                    case_type=CaseType.CHILD_IN_NEED,
                    reference=f"{organisation.reference_prefix}-{last - count + 1 + offset:06d}",
                    status=CaseStatus.OPEN,
                    opened_on=max(today - timedelta(days=1500), born),
                    allocated_team_id=membership.team_id,
                    allocated_worker_id=None if membership.is_manager else membership.user_id,
                    allocated_manager_id=managers.get(membership.team_id),
                    allocated_at=timezone.now(),
                )
            )
        Child.objects.bulk_create(children, batch_size=1000)
        Case.objects.bulk_create(cases, batch_size=1000)
        CaseStatusChange.objects.bulk_create(
            (
                CaseStatusChange(case=case, status=CaseStatus.OPEN, effective_on=case.opened_on)
                for case in cases
            ),
            batch_size=1000,
        )
    return cases


def _chain(
    case: Case,
    author: User,
    size: int,
    contact_types: list[ContactType],
    *,
    rng: random.Random,
    now: datetime,
) -> Iterator[Entry]:
    """One case's final entries, oldest first, each the next link of the case's chain."""
    gap = timedelta(hours=rng.randint(2, 24))
    previous = GENESIS
    start = now - timedelta(days=1) - gap * size
    for sequence in range(1, size + 1):
        occurred_at = start + gap * sequence + timedelta(seconds=rng.randint(0, 3600))
        recorded_at = occurred_at + timedelta(minutes=rng.randint(5, 600))
        finalised_at = recorded_at + timedelta(minutes=rng.randint(1, 120))
        significant = rng.random() < 0.03
        entry = Entry(
            case_id=case.id,
            author_id=author.id,
            status=EntryStatus.FINAL,
            occurred_at=occurred_at,
            title=rng.choice(TITLES),
            body=" ".join(rng.choices(SENTENCES, k=rng.randint(2, 6))),
            contact_type_id=rng.choice(contact_types).id,
            significant=significant,
            significant_category="other" if significant else "",
            recorded_at=recorded_at,
            updated_at=finalised_at,
            finalised_at=finalised_at,
            working_days_to_finalise=0 if finalised_at.date() == occurred_at.date() else 1,
            finalised_late=False,
            sequence=sequence,
            previous_hash=previous,
        )
        entry.lineage_id = entry.id
        entry.entry_hash = link_hash(previous, entry_values(values_of(entry, ENTRY_COLUMN_NAMES)))
        previous = entry.entry_hash
        yield entry


def _insert(batch: list[Entry]) -> None:
    if batch:
        with transaction.atomic():
            Entry.objects.bulk_create(batch)


def _final_entries(case: Case) -> int:
    return Entry.objects.filter(case=case, status=EntryStatus.FINAL).count()


# --- The measurements ---------------------------------------------------------------------


def _percentiles(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return {"p50_ms": round(statistics.median(ordered), 3), "p95_ms": round(p95, 3)}


def _rate(count: int, timings: list[float], unit: str) -> dict[str, float]:
    seconds = sum(timings) / 1000
    return {f"{unit}_per_second": round(count / seconds, 1) if seconds else 0.0}


def _ratio(ours: float, floor: float) -> float:
    return round(ours / floor, 2) if floor else 0.0


def chronology(world: World, client: Client, runs: int) -> dict[str, Any]:
    """The first page of the largest case's chronology through the full request stack, and the
    one SELECT that page cannot do without."""
    url = f"/cases/{world.largest.id}/chronology/"
    _expect(client.get(url, secure=True).status_code, 200, url)  # warm, as a server would be
    ours = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, secure=True)
        ours.append((time.perf_counter() - started) * 1000)
        _expect(response.status_code, 200, url)
    quote = connection.ops.quote_name
    sql = (
        f"SELECT * FROM {quote(Entry._meta.db_table)} "  # noqa: S608 (fixed names)
        f"WHERE {quote('case_id')} = %s AND {quote('status')} = %s "
        f"ORDER BY {quote('occurred_at')} DESC, {quote('id')} DESC LIMIT 25"
    )
    params = [_db_uuid(world.largest.id), EntryStatus.FINAL.value]
    floor = []
    with connection.cursor() as cursor:
        for _ in range(runs + 1):
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            floor.append((time.perf_counter() - started) * 1000)
    floor = floor[1:]
    figures = _percentiles(ours)
    return {
        "url": url,
        **figures,
        "budget_p95_ms": CHRONOLOGY_BUDGET_P95_MS,
        "within_budget": figures["p95_ms"] < CHRONOLOGY_BUDGET_P95_MS,
        "floor": {"what": "SELECT the first 25 final entries, newest first", **_percentiles(floor)},
        "ratio": _ratio(figures["p50_ms"], _percentiles(floor)["p50_ms"]),
    }


def _content(contact_type: ContactType, index: int) -> services.NoteContent:
    return services.NoteContent(
        occurred_at=timezone.now() - timedelta(hours=1),
        title=f"Bench note {index}",
        body=SENTENCES[index % len(SENTENCES)],
        contact_type=contact_type,
    )


def _phone_call(world: World) -> ContactType:
    contact_type = (
        ContactType.objects.filter(organisation=world.organisation, is_visit=False, is_active=True)
        .order_by("position", "name")
        .first()
    )
    if contact_type is None:
        raise BenchError(f"{world.organisation.name} has no contact types that are not visits")
    return contact_type


def finalise_service(world: World, runs: int) -> dict[str, Any]:
    """A note written and finalised through the services (start_draft + finalise_note), on the
    largest case: the head of a 10,000-link chain is found, the link hashed, both audit events
    chained, each in its own committed transaction."""
    contact_type = _phone_call(world)
    ours = []
    for index in range(runs):
        started = time.perf_counter()
        draft = services.start_draft(
            actor=world.author, case=world.largest, content=_content(contact_type, index)
        )
        services.finalise_note(actor=world.author, draft=draft)
        ours.append((time.perf_counter() - started) * 1000)
    return _with_insert_floor(world, ours, "start_draft + finalise_note")


def finalise_http(world: World, client: Client, runs: int) -> dict[str, Any]:
    """The author's POST to /notes/<draft>/finalise/ through the full request stack (session,
    CSRF middleware, access checks, the service, the redirect). Drafts are written beforehand,
    untimed."""
    contact_type = _phone_call(world)
    drafts = [
        services.start_draft(
            actor=world.author, case=world.largest, content=_content(contact_type, index)
        )
        for index in range(runs)
    ]
    ours = []
    for draft in drafts:
        url = f"/notes/{draft.id}/finalise/"
        started = time.perf_counter()
        response = client.post(url, secure=True)
        ours.append((time.perf_counter() - started) * 1000)
        _expect(response.status_code, 302, url)
    return _with_insert_floor(world, ours, "POST /notes/<draft>/finalise/")


def _with_insert_floor(world: World, ours: list[float], what: str) -> dict[str, Any]:
    """The floor for writing a note: one INSERT of an equivalent final row (same columns, a
    real chain link, built beforehand) and its COMMIT, nothing else."""
    rows = _floor_rows(world, len(ours))
    floor = []
    with connection.cursor() as cursor:
        for sql, params in rows:
            started = time.perf_counter()
            with transaction.atomic():
                cursor.execute(sql, params)
            floor.append((time.perf_counter() - started) * 1000)
    figures = {**_rate(len(ours), ours, "notes"), **_percentiles(ours)}
    floor_figures = {**_rate(len(floor), floor, "notes"), **_percentiles(floor)}
    return {
        "what": what,
        **figures,
        "floor": {"what": "INSERT one equivalent row and COMMIT", **floor_figures},
        "ratio": _ratio(figures["p50_ms"], floor_figures["p50_ms"]),
    }


def _floor_rows(world: World, count: int) -> list[tuple[str, Any]]:
    """INSERT statements for the next `count` links of the floor case's chain, compiled by
    Django beforehand so that only the database's own work is timed."""
    case = world.floor_case
    head = (
        Entry.objects.filter(case=case, status=EntryStatus.FINAL)
        .order_by("-sequence")
        .values_list("sequence", "entry_hash")
        .first()
    )
    sequence, previous = (head[0] or 0, head[1]) if head else (0, GENESIS)
    contact_type = _phone_call(world)
    now = timezone.now()
    fields = list(Entry._meta.concrete_fields)
    statements = []
    for index in range(count):
        sequence += 1
        entry = Entry(
            case_id=case.id,
            author_id=world.author.id,
            status=EntryStatus.FINAL,
            occurred_at=now - timedelta(hours=1),
            title=f"Floor note {index}",
            body=SENTENCES[index % len(SENTENCES)],
            contact_type_id=contact_type.id,
            recorded_at=now,
            updated_at=now,
            finalised_at=now,
            working_days_to_finalise=0,
            finalised_late=False,
            sequence=sequence,
            previous_hash=previous,
        )
        entry.lineage_id = entry.id
        entry.entry_hash = link_hash(previous, entry_values(values_of(entry, ENTRY_COLUMN_NAMES)))
        previous = entry.entry_hash
        query = InsertQuery(Entry)
        query.insert_values(fields, [entry])
        [(sql, params)] = query.get_compiler(connection=connection).as_sql()
        statements.append((sql, params))
    return statements


def verify_throughput() -> dict[str, Any]:
    """Every case chain recomputed (`verify`), next to the same rows read the same way (same
    query, same worker processes) and not hashed."""
    read_entries()  # warm the database's cache for both
    started = time.perf_counter()
    floor_count, floor_jobs = read_entries()
    floor_seconds = time.perf_counter() - started
    started = time.perf_counter()
    report = verify(audit=False)
    seconds = time.perf_counter() - started
    if not report.ok:
        raise BenchError(f"verify found a broken chain: {report.problems[0].message}")
    ours_rate = report.entries / seconds if seconds else 0.0
    floor_rate = floor_count / floor_seconds if floor_seconds else 0.0
    return {
        "entries": report.entries,
        "jobs": report.jobs,
        "seconds": round(seconds, 3),
        "entries_per_second": round(ours_rate, 1),
        "budget_entries_per_second": VERIFY_BUDGET_PER_SECOND,
        "within_budget": ours_rate >= VERIFY_BUDGET_PER_SECOND,
        "floor": {
            "what": "the same SELECT, rows fetched and not hashed",
            "jobs": floor_jobs,
            "seconds": round(floor_seconds, 3),
            "entries_per_second": round(floor_rate, 1),
        },
        "ratio": _ratio(floor_rate, ours_rate),
    }


def _db_uuid(value: uuid.UUID) -> Any:
    """A UUID as this database stores it (32 hex digits on SQLite, a uuid on PostgreSQL)."""
    return Entry._meta.get_field("case").get_db_prep_value(value, connection)


def _expect(status: int, wanted: int, url: str) -> None:
    if status != wanted:
        raise BenchError(f"{url} answered {status}, not {wanted}")
