"""`caseledger verify`: every chain recomputed from raw rows, and every kind of tampering caught.

Mutation testing of the verifier (research/security-reliability.md §2.16): real rows, written
through the services, are changed with raw SQL after the immutability triggers are lifted
inside the test's transaction (what someone with full database access could do), and verify
must name the first broken link. Truncating a chain's tail and rebuilding a chain with fresh
hashes leave chains that check out: a plain verify misses them (asserted, honestly), and only
`verify --checkpoint` catches them.
"""

from __future__ import annotations

import importlib
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.audit.models import AuditEvent
from caseledger.cases.models import Case
from caseledger.domain.chain import (
    ENTRY_COLUMN_NAMES,
    ENTRY_COLUMNS,
    GENESIS,
    entry_values,
    first_break,
    link_hash,
)
from caseledger.ledger.models import ContactType, CorrectionReason, Entry, EntryStatus, Tag
from caseledger.ledger.services import (
    ChildVisit,
    NoteContent,
    add_correction,
    finalise_note,
    start_draft,
)
from caseledger.ledger.verify import (
    ChainHead,
    Expected,
    _bounds,
    _entry_tasks,
    _scan_entries,
    entry_select,
    verify,
)

pytestmark = pytest.mark.django_db

KEY = b"a-checkpoint-key-for-tests-only-0123456789"

LEDGER_TRIGGERS = importlib.import_module(
    "caseledger.ledger.migrations.0002_final_entries_immutable"
)
AUDIT_TRIGGERS = importlib.import_module("caseledger.audit.migrations.0004_audit_hash_chain")
TABLES = ("ledger_entry", "ledger_entrytag", "audit_auditevent")


# --- The record: notes of every shape, through the services -----------------------------------


def _content(case: Case, type_name: str = "Phone call", **changes: Any) -> NoteContent:
    values: dict[str, Any] = {
        "occurred_at": timezone.now() - timedelta(hours=2),
        "title": "Phone call with Stacey Walker",
        "body": "Stacey said Kayden has been sleeping better — “much better”, she said.",
        "contact_type": ContactType.objects.get(
            organisation_id=case.organisation_id, name=type_name
        ),
    }
    return NoteContent(**{**values, **changes})


def _final(actor, case, content: NoteContent) -> list[Entry]:
    return finalise_note(actor=actor, draft=start_draft(actor=actor, case=case, content=content))


@pytest.fixture
def lily_case(db) -> Case:
    return Case.objects.get(
        child__first_names="Lily-Mae",
        child__last_name="Walker",
        organisation__reference_prefix="NMB",
    )


@pytest.fixture
def record(worker, kayden_case, lily_case) -> dict[str, Entry]:
    """Kayden's chain of five final entries (a call, a significant tagged call, a family visit
    that also lands on Lily-Mae's chain, a correction, another call) and Lily-Mae's of two."""
    tag = Tag.objects.filter(organisation_id=kayden_case.organisation_id).first()
    call = _final(worker, kayden_case, _content(kayden_case))[0]
    significant = _final(
        worker,
        kayden_case,
        _content(
            kayden_case,
            title="Call from police",
            significant=True,
            significant_category="police_involvement",
            tags=[tag] if tag else [],
            linked_entry_ids=[call.id],
        ),
    )[0]
    visit, lily_visit = _final(
        worker,
        kayden_case,
        _content(
            kayden_case,
            "Home visit",
            title="Home visit",
            visit_statutory=True,
            visit_announcement="announced",
            children=(
                ChildVisit(kayden_case.id, seen=True, alone=False),
                ChildVisit(lily_case.id, seen=False, reason="At nursery"),
            ),
        ),
    )
    correction = add_correction(
        actor=worker,
        original=call,
        reason=CorrectionReason.FACTUAL_ERROR,
        explanation="Wrong name",
        body="It was Kayden's aunt, not his mother.",
    )
    last = _final(worker, kayden_case, _content(kayden_case, title="Call to school"))[0]
    lily_call = _final(worker, lily_case, _content(lily_case, title="Call about Lily-Mae"))[0]
    return {
        "call": call,
        "significant": significant,
        "visit": visit,
        "correction": correction,
        "last": last,
        "lily_visit": lily_visit,
        "lily_call": lily_call,
    }


# --- Tampering, as someone with full database access would ------------------------------------


@contextmanager
def triggers_lifted() -> Iterator[None]:
    """Lift the immutability triggers inside the test's transaction, and put them back."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for statement in [*LEDGER_TRIGGERS.SQLITE_DROP, *AUDIT_TRIGGERS.TRIGGERS["sqlite"][0]]:
                cursor.execute(statement)
        else:
            # PostgreSQL will not alter a table with deferred foreign-key checks still pending
            # from this transaction's inserts: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                for statement in [
                    *LEDGER_TRIGGERS.SQLITE_CREATE,
                    *AUDIT_TRIGGERS.TRIGGERS["sqlite"][1],
                ]:
                    cursor.execute(statement)
            else:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for table in TABLES:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def tamper(sql: str, params: list[Any]) -> int:
    with triggers_lifted(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def db_id(value: Any) -> Any:
    """A UUID as the database takes it (32 hex digits on SQLite)."""
    return Entry._meta.get_field("id").get_db_prep_value(value, connection)


def final_rows(case: Case) -> list[tuple[Any, ...]]:
    """(id, sequence, previous_hash, entry_hash, *hashed values) of a case's chain, in order."""
    return [
        tuple(row)
        for row in Entry.objects.filter(case=case, status=EntryStatus.FINAL)
        .order_by("sequence")
        .values_list("id", "sequence", "previous_hash", "entry_hash", *ENTRY_COLUMN_NAMES)
    ]


def rechain(case: Case, *, after_sequence: int) -> None:
    """Recompute every hash after `after_sequence` from the rows as they now are: the forger
    who edits a row and then rebuilds the rest of the chain so that it checks out again."""
    rows = final_rows(case)
    previous = GENESIS if after_sequence == 0 else rows[after_sequence - 1][3]
    with triggers_lifted(), connection.cursor() as cursor:
        for row in rows[after_sequence:]:
            new_hash = link_hash(previous, entry_values(row[4:]))
            cursor.execute(
                "UPDATE ledger_entry SET previous_hash = %s, entry_hash = %s WHERE id = %s",
                [previous, new_hash, db_id(row[0])],
            )
            previous = new_hash


def run_verify(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def write_checkpoint(folder: Path, settings) -> Path:
    settings.CASELEDGER_CHECKPOINT_KEY = KEY
    path = folder / "checkpoint.json"
    call_command("checkpoint", "--output", str(path), stdout=io.StringIO())
    return path


# --- An intact record -------------------------------------------------------------------------


def test_the_demo_record_and_notes_of_every_shape_verify(record, kayden_case):
    code, output = run_verify()
    entries = Entry.objects.filter(status=EntryStatus.FINAL).count()
    chains = Entry.objects.filter(status=EntryStatus.FINAL).values("case_id").distinct().count()
    events = AuditEvent.objects.count()
    assert code == 0
    assert output == (
        f"OK: {entries} ledger entries in {chains} case chains and {events} audit events verified\n"
    )
    assert entries >= 7 and chains >= 2


def test_json_output_has_exactly_the_documented_shape(record):
    code, output = run_verify("--json")
    document = json.loads(output)
    assert code == 0
    assert document == {
        "ok": True,
        "entries": Entry.objects.filter(status=EntryStatus.FINAL).count(),
        "audit_events": AuditEvent.objects.count(),
        "problems": [],
    }


def test_drafts_are_not_part_of_any_chain(worker, kayden_case, record):
    start_draft(actor=worker, case=kayden_case, content=_content(kayden_case, title="Unfinished"))
    assert verify().ok


def test_the_heads_verify_reports_are_the_last_links_in_the_database(record, kayden_case):
    report = verify()
    last = final_rows(kayden_case)[-1]
    assert report.case_heads[kayden_case.id.hex].length == last[1] == 5
    assert report.case_heads[kayden_case.id.hex].head == last[3]
    newest = AuditEvent.objects.order_by("-sequence").first()
    assert newest is not None
    assert (report.audit_head.length, report.audit_head.head) == (
        newest.sequence,
        newest.event_hash,
    )


def test_an_empty_list_read_as_null_hashes_the_same():
    """The verifier reads an empty list of ids as NULL (cheaper than parsing "[]"): that is
    only sound while the normaliser makes the two the same value."""
    normalisers = dict(ENTRY_COLUMNS)
    for column in ("tag_ids", "linked_entry_ids"):
        assert normalisers[column]("[]") == normalisers[column](None) == []
    assert "NULLIF" in entry_select()


def test_ranges_of_case_ids_cover_every_chain_exactly_once(record):
    """The worker processes each take a range of case ids: together they must see every chain
    once, and agree with a scan of the whole ledger."""
    whole = _scan_entries(None)
    parts = [_scan_entries(None, _bounds(index, 7)) for index in range(7)]
    merged = {key: head for part in parts for key, head in part.case_heads.items()}
    assert sum(len(part.case_heads) for part in parts) == len(whole.case_heads)
    assert merged == whole.case_heads
    assert sum(part.entries for part in parts) == whole.entries


def test_each_worker_is_given_only_its_own_cases_from_the_checkpoint(record):
    whole = _scan_entries(None)
    expected = Expected(cases=dict(whole.case_heads), audit=ChainHead(0, GENESIS))
    tasks = _entry_tasks("entries", expected, jobs=2)
    subsets = [task[3].cases for task in tasks if task[3] is not None]
    assert len(subsets) == len(tasks)
    assert sorted(key for subset in subsets for key in subset) == sorted(whole.case_heads)
    for (_, index, ranges, _), subset in zip(tasks, subsets, strict=True):
        part = _scan_entries(None, _bounds(index, ranges))
        assert set(subset) == set(part.case_heads)


# --- Each kind of tampering -------------------------------------------------------------------


def test_a_changed_column_is_caught(record, kayden_case):
    visit = record["visit"]
    assert tamper("UPDATE ledger_entry SET body = %s WHERE id = %s", ["Edited.", db_id(visit.id)])
    code, output = run_verify()
    assert code == 1
    assert output.splitlines() == [
        f"BROKEN: case {kayden_case.reference} entry 3 (id {visit.id}): "
        "its content does not match its hash"
    ]


def _other_user_id(entry: Entry) -> Any:
    other = User.objects.exclude(pk=entry.author_id).order_by("email").first()
    assert other is not None
    return db_id(other.pk)


@pytest.mark.parametrize(
    "column",
    ["occurred_at", "author_id", "child_seen", "tag_ids", "finalised_late", "kind"],
)
def test_every_hashed_column_is_covered(record, kayden_case, column):
    significant = record["significant"]
    value: Any = {
        "occurred_at": connection.ops.adapt_datetimefield_value(
            significant.occurred_at - timedelta(minutes=1)
        ),
        "author_id": _other_user_id(significant),
        "child_seen": False,
        "tag_ids": "[]",
        "finalised_late": True,
        "kind": "moved_out",
    }[column]
    assert tamper(
        f"UPDATE ledger_entry SET {column} = %s WHERE id = %s", [value, db_id(significant.id)]
    )
    report = verify()
    assert [problem.message for problem in report.problems] == [
        f"case {kayden_case.reference} entry 2 (id {significant.id}): "
        "its content does not match its hash"
    ]


def test_a_removed_row_leaves_a_gap(record, kayden_case):
    removed, next_one = record["significant"], record["visit"]
    tamper("DELETE FROM ledger_entrytag WHERE entry_id = %s", [db_id(removed.id)])
    assert tamper("DELETE FROM ledger_entry WHERE id = %s", [db_id(removed.id)])
    code, output = run_verify()
    assert code == 1
    assert output.splitlines() == [
        f"BROKEN: case {kayden_case.reference} entry 2 (id {next_one.id}): expected link 2, found 3"
    ]


def test_an_inserted_row_is_caught_even_with_a_correct_hash_of_its_own(record, kayden_case):
    """The forger makes room at link 3, inserts a row that follows link 2 correctly (through
    the ORM's bulk path, which no trigger refuses) and points the next row at it, as the unique
    (case, previous hash) constraint insists: that next row's hash no longer matches."""
    rows = final_rows(kayden_case)
    source = Entry.objects.get(pk=record["significant"].pk)
    forged = Entry(
        **{
            field.attname: getattr(source, field.attname)
            for field in Entry._meta.concrete_fields
            if field.attname not in {"id", "lineage_id"}
        }
    )
    forged.lineage_id = forged.id
    forged.sequence = 3
    forged.body = "A note that was never written."
    forged.previous_hash = rows[1][3]
    forged.entry_hash = link_hash(
        forged.previous_hash,
        entry_values([getattr(forged, column) for column in ENTRY_COLUMN_NAMES]),
    )
    case_id = db_id(kayden_case.id)
    with triggers_lifted(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ledger_entry SET sequence = sequence + 1000 "
            "WHERE case_id = %s AND sequence > 2",
            [case_id],
        )
        cursor.execute(
            "UPDATE ledger_entry SET sequence = sequence - 999 "
            "WHERE case_id = %s AND sequence > 1000",
            [case_id],
        )
        cursor.execute(
            "UPDATE ledger_entry SET previous_hash = %s WHERE id = %s",
            [forged.entry_hash, db_id(record["visit"].id)],
        )
    Entry.objects.bulk_create([forged])
    code, output = run_verify()
    assert code == 1
    assert output.splitlines() == [
        f"BROKEN: case {kayden_case.reference} entry 4 (id {record['visit'].id}): "
        "its content does not match its hash"
    ]


def test_a_row_with_a_duplicate_place_in_the_chain_is_caught(record, kayden_case):
    """With the unique (case, sequence) constraint gone too, a copy of link 2 is a second link 2."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite cannot drop a table constraint without rebuilding the table")
    source = Entry.objects.get(pk=record["significant"].pk)
    copy = Entry(
        **{
            field.attname: getattr(source, field.attname)
            for field in Entry._meta.concrete_fields
            if field.attname not in {"id", "lineage_id", "previous_hash"}
        }
    )
    copy.lineage_id = copy.id
    copy.previous_hash = "f" * 64  # the partial unique (case, previous hash) would refuse a copy
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE ledger_entry DROP CONSTRAINT entry_case_sequence")
    Entry.objects.bulk_create([copy])
    report = verify()
    assert not report.ok
    assert report.problems[0].case == kayden_case.reference
    assert report.problems[0].link in {2, 3}


def test_swapped_rows_are_caught(record, kayden_case):
    visit, correction = record["visit"], record["correction"]
    with triggers_lifted(), connection.cursor() as cursor:
        for entry_id, sequence in [(visit.id, 1000), (correction.id, 3), (visit.id, 4)]:
            cursor.execute(
                "UPDATE ledger_entry SET sequence = %s WHERE id = %s", [sequence, db_id(entry_id)]
            )
    code, output = run_verify()
    assert code == 1
    assert output.splitlines() == [
        f"BROKEN: case {kayden_case.reference} entry 3 (id {correction.id}): "
        "does not follow the link before it"
    ]


def test_a_changed_audit_event_is_caught(record):
    event = AuditEvent.objects.filter(object_id=str(record["visit"].id)).order_by("sequence")[0]
    assert tamper("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["signed_out", event.pk])
    code, output = run_verify()
    assert code == 1
    assert output.splitlines() == [
        f"BROKEN: audit event {event.sequence}: its content does not match its hash"
    ]


def test_a_removed_audit_event_is_caught(record):
    event = AuditEvent.objects.filter(object_id=str(record["visit"].id)).order_by("sequence")[0]
    assert tamper("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    code, output = run_verify()
    assert code == 1
    assert output.splitlines() == [
        f"BROKEN: audit event {event.sequence}: "
        f"expected link {event.sequence}, found {event.sequence + 1}"
    ]


def test_the_first_line_names_the_first_broken_link(record, kayden_case, lily_case):
    """Several chains broken at once: one line each, case chains in case-id order (the order
    they are read), then the audit chain."""
    event = AuditEvent.objects.order_by("sequence")[3]
    tamper("UPDATE ledger_entry SET body = 'x' WHERE id = %s", [db_id(record["last"].id)])
    tamper("UPDATE ledger_entry SET body = 'x' WHERE id = %s", [db_id(record["lily_call"].id)])
    tamper("UPDATE audit_auditevent SET action = 'signed_out' WHERE id = %s", [event.pk])
    report = verify()
    first, second = sorted([kayden_case, lily_case], key=lambda case: case.id.hex)
    assert [(problem.chain, problem.case) for problem in report.problems] == [
        ("case", first.reference),
        ("case", second.reference),
        ("audit", None),
    ]
    assert report.problems[2].link == 4
    _, output = run_verify()
    assert output.splitlines()[0] == f"BROKEN: {report.problems[0].message}"


def test_json_output_names_each_problem(record, kayden_case):
    visit = record["visit"]
    tamper("UPDATE ledger_entry SET body = 'x' WHERE id = %s", [db_id(visit.id)])
    code, output = run_verify("--json")
    document = json.loads(output)
    assert code == 1
    assert set(document) == {"ok", "entries", "audit_events", "problems"}
    assert document["ok"] is False
    assert document["problems"] == [
        {
            "chain": "case",
            "case_id": str(kayden_case.id),
            "case": kayden_case.reference,
            "link": 3,
            "entry_id": str(visit.id),
            "message": f"case {kayden_case.reference} entry 3 (id {visit.id}): "
            "its content does not match its hash",
        }
    ]


@pytest.mark.parametrize("mutation", ["edit", "delete", "swap", "renumber"])
def test_verify_agrees_with_the_domain_definition_of_a_break(record, kayden_case, mutation):
    """The streaming check and `domain.chain.first_break` find the same first break."""
    rows = final_rows(kayden_case)
    second, third = rows[1][0], rows[2][0]
    statements = {
        "edit": [("UPDATE ledger_entry SET title = 'x' WHERE id = %s", [db_id(second)])],
        "delete": [("DELETE FROM ledger_entry WHERE id = %s", [db_id(third)])],
        "swap": [
            ("UPDATE ledger_entry SET sequence = 99 WHERE id = %s", [db_id(second)]),
            ("UPDATE ledger_entry SET sequence = 2 WHERE id = %s", [db_id(third)]),
            ("UPDATE ledger_entry SET sequence = 3 WHERE id = %s", [db_id(second)]),
        ],
        "renumber": [("UPDATE ledger_entry SET sequence = 7 WHERE id = %s", [db_id(third)])],
    }[mutation]
    with triggers_lifted(), connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
    chain = [(row[1], row[2], row[3], entry_values(row[4:])) for row in final_rows(kayden_case)]
    expected = first_break(chain)
    assert expected is not None
    problem = verify().problems[0]
    assert (problem.link, problem.message.rsplit(": ", 1)[1]) == (expected[0] + 1, expected[1])


# --- What only a checkpoint catches -----------------------------------------------------------


def test_a_truncated_tail_passes_a_plain_verify_but_not_the_checkpoint(
    record, kayden_case, tmp_path, settings
):
    checkpoint = write_checkpoint(tmp_path, settings)
    for entry in (record["last"], record["correction"]):
        tamper("DELETE FROM ledger_entry WHERE id = %s", [db_id(entry.id)])
    # Honestly: a chain cut short is still a valid chain, and a plain verify cannot tell.
    code, output = run_verify()
    assert code == 0
    assert output.startswith("OK: ")
    code, output = run_verify("--checkpoint", str(checkpoint))
    assert code == 1
    assert output.splitlines() == [
        f"BROKEN: case {kayden_case.reference}: has 3 entries, but the checkpoint recorded 5 "
        "(entries were removed from the end)"
    ]


def test_a_rebuilt_chain_passes_a_plain_verify_but_not_the_checkpoint(
    record, kayden_case, tmp_path, settings
):
    checkpoint = write_checkpoint(tmp_path, settings)
    tamper(
        "UPDATE ledger_entry SET body = %s WHERE id = %s",
        ["Nothing of concern was said.", db_id(record["significant"].id)],
    )
    rechain(kayden_case, after_sequence=1)
    assert verify().ok  # the forger's chain checks out on its own
    code, output = run_verify("--checkpoint", str(checkpoint))
    assert code == 1
    assert output.splitlines() == [
        f"BROKEN: case {kayden_case.reference} entry 5 (id {record['last'].id}): "
        "its hash is not the one the checkpoint recorded (the chain was rewritten)"
    ]


def test_a_cut_tail_followed_by_new_notes_is_a_rewrite(
    worker, record, kayden_case, tmp_path, settings
):
    """Cutting the last note and writing new ones through the service makes the chain as long
    as the checkpoint's again, but not the same."""
    checkpoint = write_checkpoint(tmp_path, settings)
    tamper("DELETE FROM ledger_entry WHERE id = %s", [db_id(record["last"].id)])
    _final(worker, kayden_case, _content(kayden_case, title="A different note"))
    assert verify().ok
    code, output = run_verify("--checkpoint", str(checkpoint))
    assert code == 1
    assert output.splitlines()[0].startswith(f"BROKEN: case {kayden_case.reference} entry 5 (id ")
    assert output.splitlines()[0].endswith("(the chain was rewritten)")


def test_a_removed_chain_is_caught_by_the_checkpoint(record, lily_case, tmp_path, settings):
    checkpoint = write_checkpoint(tmp_path, settings)
    tamper(
        "DELETE FROM ledger_entry WHERE case_id = %s AND status = 'final'",
        [db_id(lily_case.id)],
    )
    assert verify().ok
    code, output = run_verify("--checkpoint", str(checkpoint))
    assert code == 1
    assert output.splitlines() == [
        f"BROKEN: case {lily_case.reference}: has no entries, but the checkpoint recorded 2 "
        "(the chain was removed)"
    ]


def test_a_truncated_audit_chain_is_caught_by_the_checkpoint(record, tmp_path, settings):
    checkpoint = write_checkpoint(tmp_path, settings)
    recorded = json.loads(checkpoint.read_text())["audit"]["length"]
    # The checkpoint's own event comes after it; cut that and the two before it.
    tamper("DELETE FROM audit_auditevent WHERE sequence > %s", [recorded - 2])
    assert verify().ok
    code, output = run_verify("--checkpoint", str(checkpoint))
    assert code == 1
    assert output.splitlines() == [
        f"BROKEN: audit chain: has {recorded - 2} events, but the checkpoint recorded "
        f"{recorded} (events were removed from the end)"
    ]


def test_changes_after_the_checkpoint_are_no_problem(
    worker, record, kayden_case, tmp_path, settings
):
    checkpoint = write_checkpoint(tmp_path, settings)
    _final(worker, kayden_case, _content(kayden_case, title="A later note"))
    code, output = run_verify("--checkpoint", str(checkpoint))
    assert code == 0
    assert output.startswith("OK: ")
    assert "and the checkpoint of " in output and output.rstrip().endswith(" holds")


def test_a_checkpoint_needs_the_key(record, tmp_path, settings):
    checkpoint = write_checkpoint(tmp_path, settings)
    settings.CASELEDGER_CHECKPOINT_KEY = None
    with pytest.raises(CommandError) as refused:
        run_verify("--checkpoint", str(checkpoint))
    assert refused.value.returncode == 2
    assert "CASELEDGER_CHECKPOINT_KEY" in str(refused.value)


def test_a_missing_checkpoint_file_cannot_be_checked(tmp_path, settings):
    settings.CASELEDGER_CHECKPOINT_KEY = KEY
    with pytest.raises(CommandError) as refused:
        run_verify("--checkpoint", str(tmp_path / "nowhere.json"))
    assert refused.value.returncode == 2
