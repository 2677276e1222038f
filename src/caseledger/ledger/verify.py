"""Recompute every hash chain from the rows the database holds (`caseledger verify`).

Each case's final ledger entries and the global audit trail are hash chains
(`domain/chain.py`, research/security-reliability.md §1.5). Verifying one means reading every
row in chain order and recomputing every link; nothing else shows that no row was changed,
removed, inserted or reordered.

Why raw rows and not the ORM: the verifier must hash what the database holds, not what a model
makes of it, and it must run at 100,000 entries a second or better (a nightly check of a large
council's record takes seconds, not an hour). A model instance per row costs more than the whole
budget, so rows go from a cursor, in chunks, straight into `entry_values`/`audit_values` and
`link_hash`: the very functions the writers use, so the writer and the verifier cannot disagree.
Rows are read in chain order (the unique (case, sequence) index) and checked one case at a
time; memory stays flat however large the ledger.

Hashing, not reading, is the cost (about 13 µs a row against 4 µs to fetch it), so outside a
transaction the case chains are shared out by case id between worker processes, one per CPU:
every chain is still checked whole, by one process, exactly as it would be in one.

What a plain verify cannot see (§2.16): rows cut off the end of a chain, and a chain rebuilt with
fresh hashes by someone with write access, both leave a chain that checks out. A signed
checkpoint held outside the database catches both: `checkpoint.py` writes one, and `verify`
compares every chain with it when given one (`Expected`).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import connection, connections, models, transaction

from caseledger.audit.models import AuditEvent
from caseledger.cases.models import Case
from caseledger.domain.chain import (
    AUDIT_COLUMN_NAMES,
    ENTRY_COLUMN_NAMES,
    GENESIS,
    Plain,
    audit_values,
    entry_values,
    identifier,
    link_hash,
)
from caseledger.ledger.models import Entry, EntryStatus

# Rows fetched per round trip: large enough that the fetch overhead vanishes, small enough that
# memory stays flat.
CHUNK = 2000
# Case-id ranges per worker process: more ranges than workers, so that one range holding a very
# long chain does not leave the other workers idle.
RANGES_PER_JOB = 4
MAX_JOBS = 4

# The reasons a link is broken, worded as `domain.chain.first_break` words them.
NOT_FOLLOWING = "does not follow the link before it"
NOT_MATCHING = "its content does not match its hash"
REWRITTEN = "its hash is not the one the checkpoint recorded (the chain was rewritten)"

ChainName = Literal["case", "audit", "checkpoint"]


@dataclass(frozen=True)
class ChainHead:
    """How long a chain is and the hash of its last link."""

    length: int
    head: str


@dataclass(frozen=True)
class Expected:
    """What a checkpoint recorded: every case chain (keyed by case id as 32 hex digits) and the
    audit chain. Each must still be at least that long and still hold that hash at that length."""

    cases: dict[str, ChainHead]
    audit: ChainHead
    written_at: str = ""
    # What is wrong with the checkpoint file itself (its signature), reported after the breaks.
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """One broken chain, or one way a chain no longer matches the checkpoint.

    `message` is the line `caseledger verify` prints after "BROKEN: "; the other fields say the
    same for programs (`verify --json`). `link` is the 1-based position in the chain.
    """

    chain: ChainName
    message: str
    case_id: str | None = None
    case: str | None = None
    link: int | None = None
    entry_id: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "chain": self.chain,
            "case_id": self.case_id,
            "case": self.case,
            "link": self.link,
            "entry_id": self.entry_id,
            "message": self.message,
        }


@dataclass
class Report:
    entries: int = 0
    audit_events: int = 0
    # Every case chain seen, keyed by case id as 32 hex digits: what a checkpoint records.
    case_heads: dict[str, ChainHead] = field(default_factory=dict)
    audit_head: ChainHead = ChainHead(0, GENESIS)
    problems: list[Problem] = field(default_factory=list)
    checkpoint_written_at: str | None = None
    jobs: int = 1

    @property
    def cases(self) -> int:
        return len(self.case_heads)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        line = (
            f"OK: {self.entries} ledger entries in {self.cases} case chains "
            f"and {self.audit_events} audit events verified"
        )
        if self.checkpoint_written_at is not None:
            line += f", and the checkpoint of {self.checkpoint_written_at} holds"
        return line

    def lines(self) -> list[str]:
        """What `caseledger verify` prints: the summary, or one line per problem, the first
        broken link first."""
        if self.ok:
            return [self.summary()]
        return [f"BROKEN: {problem.message}" for problem in self.problems]

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "audit_events": self.audit_events,
            "problems": [problem.as_json() for problem in self.problems],
        }


@dataclass(frozen=True)
class _Finding:
    """A problem found while scanning, before the case's reference is looked up."""

    chain: ChainName
    reason: str
    case_key: str | None = None
    link: int | None = None
    row_id: Any = None


@dataclass
class _Partial:
    """What one scan (all case chains, one range of them, or the audit chain) found."""

    entries: int = 0
    case_heads: dict[str, ChainHead] = field(default_factory=dict)
    audit: ChainHead | None = None
    breaks: list[_Finding] = field(default_factory=list)
    against_checkpoint: list[_Finding] = field(default_factory=list)


def default_jobs() -> int:
    return max(1, min(MAX_JOBS, os.cpu_count() or 1))


def verify(
    *, expected: Expected | None = None, audit: bool = True, jobs: int | None = None
) -> Report:
    """Check every case chain and (unless `audit=False`) the audit chain, and, given what a
    checkpoint recorded, that no chain has since been cut short, rebuilt or removed.

    `jobs` worker processes share the work (default: one per CPU, at most four). Inside a
    transaction, or on an in-memory database, the scan stays in this process: other processes
    could not see the rows.
    """
    jobs = _jobs(jobs)
    if jobs == 1:
        with _snapshot():
            partials = [_scan_entries(expected)]
            if audit:
                partials.append(_scan_audit(expected))
    else:
        # The audit chain first: it is the one task that cannot be shared out.
        tasks: list[Task] = [("audit", 0, 0, expected)] if audit else []
        partials = _in_workers([*tasks, *_entry_tasks("entries", expected, jobs)], jobs=jobs)
    # Case chains first, in case-id order (the order one process reads them), then the audit
    # chain: the first problem is the same whichever way the work was shared.
    partials.sort(key=lambda partial: partial.audit is not None)
    report = Report(jobs=jobs)
    breaks: list[_Finding] = []
    against_checkpoint: list[_Finding] = []
    for partial in partials:
        report.entries += partial.entries
        report.case_heads.update(partial.case_heads)
        if partial.audit is not None:
            report.audit_head = partial.audit
            report.audit_events = partial.audit.length
        breaks.extend(partial.breaks)
        against_checkpoint.extend(partial.against_checkpoint)
    if expected is not None:
        against_checkpoint[:0] = [_Finding("checkpoint", reason) for reason in expected.problems]
        for key in sorted(expected.cases.keys() - report.case_heads.keys()):
            recorded = expected.cases[key].length
            against_checkpoint.append(
                _Finding(
                    "case",
                    f"has no entries, but the checkpoint recorded {recorded} "
                    "(the chain was removed)",
                    case_key=key,
                )
            )
        report.checkpoint_written_at = expected.written_at
    report.problems = _described([*breaks, *against_checkpoint])
    return report


# --- Reading ----------------------------------------------------------------------------------


def _column(name: str, model: type[models.Model]) -> str:
    """A column in the cheapest form the normalisers accept, where the driver's own would cost
    more than the hashing. SQLite keeps a moment as text, which Django's connection would parse
    with a regular expression (its registered converter): read the text. PostgreSQL's driver
    builds a UUID object for every id, and Django's loader for moments with a time zone runs in
    Python: read ids as text, and moments as UTC wall-clock time, which the C loader reads.
    `chain.identifier` and `chain.timestamp` give the same result for every one of these forms
    (they take text, UUIDs, and naive moments as UTC), so the hashes are unchanged. An empty
    list of ids, nearly every row's, is read as NULL, which the list normaliser takes as the
    same empty list without parsing any JSON (the tests hold it to that).
    """
    quoted = connection.ops.quote_name(name)
    fields = {field.column: field for field in model._meta.concrete_fields}
    field = fields[name]
    if isinstance(field, models.JSONField) and field.default is list:
        return f"NULLIF({quoted}, '[]')"
    if connection.vendor == "sqlite" and isinstance(field, models.DateTimeField):
        return f"CAST({quoted} AS TEXT)"
    if connection.vendor == "postgresql":
        if isinstance(field, models.DateTimeField):
            return f"({quoted} AT TIME ZONE 'UTC')"
        if field.db_type(connection) == "uuid":
            return f"{quoted}::text"
    return quoted


def entry_select(*, bounded: tuple[bool, bool] = (False, False)) -> str:
    """Every final entry's hashed columns and its links, in chain order, which the unique
    (case, sequence) index holds ready (PostgreSQL's planner may sort instead when that is
    cheaper). `bounded` adds "case_id >= %s" and/or "case_id < %s" (a worker's range)."""
    quote = connection.ops.quote_name
    table = quote(Entry._meta.db_table)
    names = (*ENTRY_COLUMN_NAMES, "previous_hash", "entry_hash")
    columns = ", ".join(_column(name, Entry) for name in names)
    # Qualified with the table, or PostgreSQL would order by the selected text form of case_id
    # (an output column of the same name) and sort instead of reading the index in order.
    case_id, sequence = f"{table}.{quote('case_id')}", f"{table}.{quote('sequence')}"
    where = f"{table}.{quote('status')} = %s"
    if bounded[0]:
        where += f" AND {case_id} >= %s"
    if bounded[1]:
        where += f" AND {case_id} < %s"
    return (
        f"SELECT {columns} FROM {table} "  # noqa: S608 (fixed names)
        f"WHERE {where} ORDER BY {case_id}, {sequence}"
    )


ENTRY_PARAMS = (EntryStatus.FINAL.value,)


def _bounded_select(bounds: tuple[Any | None, Any | None]) -> tuple[str, list[Any]]:
    low, high = bounds
    params = [*ENTRY_PARAMS, *(bound for bound in bounds if bound is not None)]
    return entry_select(bounded=(low is not None, high is not None)), params


def audit_select() -> str:
    quote = connection.ops.quote_name
    table = quote(AuditEvent._meta.db_table)
    names = (*AUDIT_COLUMN_NAMES, "previous_hash", "event_hash")
    columns = ", ".join(_column(name, AuditEvent) for name in names)
    return (
        f"SELECT {columns} FROM {table} "  # noqa: S608 (fixed names)
        f"ORDER BY {table}.{quote('sequence')}"
    )


def chunks(sql: str, params: Sequence[Any] = ()) -> Iterator[list[Any]]:
    """The rows of one query, CHUNK at a time, from a server-side cursor on PostgreSQL (so the
    client never holds the whole result) and SQLite's own stepping cursor."""
    server_side = not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    with connection.chunked_cursor() if server_side else connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        while rows := cursor.fetchmany(CHUNK):
            yield rows


def read_rows(sql: str, params: Sequence[Any] = ()) -> int:
    """Read every row of a query and do nothing with it; returns how many there were."""
    count = 0
    for rows in chunks(sql, params):
        count += len(rows)
    return count


@contextmanager
def _snapshot() -> Iterator[None]:
    """Read as of one moment where the database allows it.

    PostgreSQL: one read-only REPEATABLE READ transaction (and server-side cursors then need no
    WITH HOLD). SQLite: no transaction of our own, because this project begins every transaction
    IMMEDIATE, which takes the write lock and would stop every writer for the whole scan; each
    SELECT reads one consistent WAL snapshot anyway, and rows appended between the two reads are
    simply not checked this time.
    """
    if connection.vendor != "postgresql":
        yield
        return
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


# --- Checking ---------------------------------------------------------------------------------


def _scan_entries(
    expected: Expected | None, bounds: tuple[Any | None, Any | None] = (None, None)
) -> _Partial:
    """Check every case chain (or those with a case id within `bounds`) as
    `domain.chain.first_break` checks a chain: the sequence counts up from 1, each link names
    the hash before it, and each hash is recomputed from the row. After a chain's first break
    the rest of it is only counted and compared with the checkpoint: every later link is broken
    too, and one line per chain is what a reader needs."""
    width = len(ENTRY_COLUMN_NAMES)
    case_at = ENTRY_COLUMN_NAMES.index("case_id")
    sequence_at = ENTRY_COLUMN_NAMES.index("sequence")
    id_at = ENTRY_COLUMN_NAMES.index("id")
    previous_at, hash_at = width, width + 1
    wanted = expected.cases if expected is not None else {}
    found = _Partial()
    heads, breaks, against = found.case_heads, found.breaks, found.against_checkpoint

    current: Any = None
    key = ""
    previous = GENESIS
    position = 0
    broken = False
    check_at, check_hash = 0, ""

    def finish() -> None:
        heads[key] = ChainHead(position, previous)
        if check_at > position:
            against.append(
                _Finding(
                    "case",
                    f"has {position} entries, but the checkpoint recorded {check_at} "
                    "(entries were removed from the end)",
                    case_key=key,
                )
            )

    for rows in chunks(*_bounded_select(bounds)):
        found.entries += len(rows)
        for row in rows:
            if row[case_at] != current:
                if current is not None:
                    finish()
                current = row[case_at]
                key = str(identifier(current))
                previous, position, broken = GENESIS, 0, False
                recorded = wanted.get(key)
                check_at, check_hash = (recorded.length, recorded.head) if recorded else (0, "")
            position += 1
            stored = row[hash_at]
            if position == check_at and stored != check_hash:
                against.append(
                    _Finding("case", REWRITTEN, case_key=key, link=position, row_id=row[id_at])
                )
            if broken:
                previous = stored
                continue
            reason = _link_fault(
                position,
                row[sequence_at],
                row[previous_at],
                previous,
                stored,
                entry_values(row[:width]),
            )
            if reason is not None:
                broken = True
                breaks.append(
                    _Finding("case", reason, case_key=key, link=position, row_id=row[id_at])
                )
            previous = stored
    if current is not None:
        finish()
    return found


def _link_fault(
    position: int,
    sequence: Any,
    stored_previous: str,
    previous: str,
    stored: str,
    values: list[Plain],
) -> str | None:
    """Why the link at `position` (from 1) is broken, or None: as `domain.chain.first_break`."""
    if sequence != position:
        return f"expected link {position}, found {sequence}"
    if stored_previous != previous:
        return NOT_FOLLOWING
    if link_hash(previous, values) != stored:
        return NOT_MATCHING
    return None


def _scan_audit(expected: Expected | None) -> _Partial:
    """The global audit chain, checked the same way as a case chain."""
    width = len(AUDIT_COLUMN_NAMES)
    sequence_at = AUDIT_COLUMN_NAMES.index("sequence")
    previous_at, hash_at = width, width + 1
    check_at, check_hash = (
        (expected.audit.length, expected.audit.head) if expected is not None else (0, "")
    )
    found = _Partial()
    previous = GENESIS
    position = 0
    broken = False
    for rows in chunks(audit_select()):
        for row in rows:
            position += 1
            stored = row[hash_at]
            if position == check_at and stored != check_hash:
                found.against_checkpoint.append(_Finding("audit", REWRITTEN, link=position))
            if broken:
                previous = stored
                continue
            reason = _link_fault(
                position,
                row[sequence_at],
                row[previous_at],
                previous,
                stored,
                audit_values(row[:width]),
            )
            if reason is not None:
                broken = True
                found.breaks.append(_Finding("audit", reason, link=position))
            previous = stored
    if check_at > position:
        found.against_checkpoint.append(
            _Finding(
                "audit",
                f"has {position} events, but the checkpoint recorded {check_at} "
                "(events were removed from the end)",
            )
        )
    found.audit = ChainHead(position, previous)
    return found


# --- Worker processes -------------------------------------------------------------------------


def _can_fork_readers() -> bool:
    """Other processes see the rows only when they are committed and on disk or a server."""
    if connection.in_atomic_block or sys.platform != "linux":
        return False
    if connection.vendor == "sqlite":
        # A worker process cannot open another process's in-memory database. (The SQLite
        # backend has this method; django-stubs types only the base wrapper.)
        return not connection.is_in_memory_db()  # type: ignore[attr-defined]
    return connection.vendor == "postgresql"


def _jobs(jobs: int | None) -> int:
    jobs = default_jobs() if jobs is None else max(1, jobs)
    return jobs if jobs == 1 or _can_fork_readers() else 1


Task = tuple[Literal["audit", "entries", "read"], int, int, Expected | None]


def _in_workers(tasks: list[Task], *, jobs: int) -> list[_Partial]:
    # The children must open their own connections: a forked copy of ours would be shared.
    connection.close()
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs) as pool:
        return pool.map(_task, tasks, chunksize=1)


def _entry_tasks(
    kind: Literal["entries", "read"], expected: Expected | None, jobs: int
) -> list[Task]:
    """Share the chains out by case id (UUIDs are uniform, so equal ranges of ids hold about
    equal numbers of cases). The first range is open below and the last open above, so a row
    with any case id at all, even a malformed one, falls in exactly one range. Each task gets
    only its own cases from the checkpoint."""
    ranges = jobs * RANGES_PER_JOB
    tasks: list[Task] = []
    for index in range(ranges):
        subset = None
        if expected is not None:
            low, high = index * 2**128 // ranges, (index + 1) * 2**128 // ranges
            subset = Expected(
                cases={
                    key: head
                    for key, head in expected.cases.items()
                    if low <= _as_number(key) < high
                },
                audit=expected.audit,
            )
        tasks.append((kind, index, ranges, subset))
    return tasks


def _as_number(key: str) -> int:
    try:
        return int(key, 16)
    except ValueError:
        return -1  # not an id at all: no chain can match it, so no worker needs it


def _task(task: Task) -> _Partial:
    kind, index, ranges, expected = task
    try:
        with _snapshot():
            if kind == "audit":
                return _scan_audit(expected)
            if kind == "read":
                return _Partial(entries=read_rows(*_bounded_select(_bounds(index, ranges))))
            return _scan_entries(expected, _bounds(index, ranges))
    finally:
        connections.close_all()


def _bounds(index: int, ranges: int) -> tuple[Any | None, Any | None]:
    def boundary(at: int) -> Any:
        value = uuid.UUID(int=at * 2**128 // ranges)
        return Entry._meta.get_field("case").get_db_prep_value(value, connection)

    low = boundary(index) if index > 0 else None
    high = boundary(index + 1) if index + 1 < ranges else None
    return low, high


def read_entries(*, jobs: int | None = None) -> tuple[int, int]:
    """The floor the benchmark compares `verify` with: the same rows, read the same way by the
    same number of processes, and not hashed. Returns (rows read, processes used)."""
    jobs = _jobs(jobs)
    if jobs == 1:
        with _snapshot():
            return read_rows(*_bounded_select((None, None))), 1
    partials = _in_workers(_entry_tasks("read", None, jobs), jobs=jobs)
    return sum(partial.entries for partial in partials), jobs


# --- Reporting --------------------------------------------------------------------------------


def _described(findings: list[_Finding]) -> list[Problem]:
    """Name each case by its reference (NMB-000123), looked up only for the broken ones."""
    keys = {finding.case_key for finding in findings if finding.case_key}
    references: dict[str, str] = {}
    if keys:
        rows = Case.objects.filter(id__in=[uuid.UUID(key) for key in keys]).values_list(
            "id", "reference"
        )
        references = {case_id.hex: reference for case_id, reference in rows}
    return [_problem(finding, references) for finding in findings]


def _problem(finding: _Finding, references: dict[str, str]) -> Problem:
    if finding.chain == "audit":
        where = "audit chain" if finding.link is None else f"audit event {finding.link}"
        return Problem("audit", f"{where}: {finding.reason}", link=finding.link)
    if finding.chain == "checkpoint":
        return checkpoint_problem(finding.reason)
    case_id = _dashed(finding.case_key)
    entry_id = _dashed(identifier(finding.row_id)) if finding.row_id is not None else None
    reference = references.get(finding.case_key or "")
    where = f"case {reference or case_id}"
    if finding.link is not None:
        where += f" entry {finding.link} (id {entry_id})"
    return Problem(
        "case",
        f"{where}: {finding.reason}",
        case_id=case_id,
        case=reference,
        link=finding.link,
        entry_id=entry_id,
    )


def _dashed(value: Any) -> str | None:
    """A UUID in its usual spelling; anything that is not one (a forged row) as it is."""
    if value is None:
        return None
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return str(value)


def checkpoint_problem(reason: str) -> Problem:
    """A problem with the checkpoint file itself (unreadable, unsigned, signature wrong)."""
    return Problem("checkpoint", f"checkpoint: {reason}")
