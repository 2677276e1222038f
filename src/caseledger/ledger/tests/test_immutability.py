"""Immutable once final, on every path (recording rule 4).

The model refuses in Python (`FinalEntryError`); everything that goes around the model
(`QuerySet.update()`, bulk operations, raw SQL, TRUNCATE) is refused by the database's
triggers (ledger migration 0002, audit migrations 0002 and 0004). After every attempt the row
must be exactly as it was, column for column, as the database returns it.

Each database attempt runs in its own `transaction.atomic()`, so on PostgreSQL the aborted
statement rolls back to a savepoint and the test's transaction carries on. SQLite's
RAISE(ABORT) and PostgreSQL's integrity_constraint_violation both surface as IntegrityError.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.audit.models import Action, AuditEvent, AuditEventImmutableError
from caseledger.audit.services import record_event
from caseledger.cases.models import Case
from caseledger.domain.chain import ENTRY_COLUMN_NAMES, entry_values, link_hash
from caseledger.ledger.models import (
    ContactType,
    Entry,
    EntryStatus,
    EntryTag,
    FinalEntryError,
    Tag,
)
from caseledger.ledger.services import NoteContent, finalise_note, start_draft

pytestmark = pytest.mark.django_db

# What each trigger says when it refuses, on SQLite and PostgreSQL alike. Matching the message
# makes sure the refusal came from our trigger, not from some other error on the way.
FINAL = "final ledger entries cannot be"
TAGS = "the tags of a final ledger entry cannot be changed"
STAMPS = "who recorded an entry, on which case and when is fixed"
APPEND_ONLY = "append-only"


def tags_of(case: Case, *names: str) -> list[Tag]:
    return list(Tag.objects.filter(organisation_id=case.organisation_id, name__in=names))


def content(case: Case, **changes) -> NoteContent:
    values = {
        "occurred_at": timezone.now() - timedelta(hours=1),
        "title": "Phone call with Stacey Walker",
        "body": "Stacey said Kayden's attendance has improved.",
        "contact_type": ContactType.objects.get(
            organisation_id=case.organisation_id, name="Phone call"
        ),
        "tags": tags_of(case, "Education"),
    }
    return NoteContent(**{**values, **changes})


@pytest.fixture
def final(worker, kayden_case) -> Entry:
    draft = start_draft(actor=worker, case=kayden_case, content=content(kayden_case))
    (entry,) = finalise_note(actor=worker, draft=draft)
    return Entry.objects.get(pk=entry.pk)


@pytest.fixture
def draft(worker, kayden_case) -> Entry:
    draft = start_draft(actor=worker, case=kayden_case, content=content(kayden_case))
    return Entry.objects.get(pk=draft.pk)


def db_id(value) -> str | UUID:
    """A UUID as this database's raw cursor takes it (SQLite: 32 hex digits)."""
    prepared: str | UUID = Entry._meta.pk.get_db_prep_value(value, connection)
    return prepared


def raw_entry(pk) -> tuple[Any, ...] | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM ledger_entry WHERE id = %s", [db_id(pk)])
        row: tuple[Any, ...] | None = cursor.fetchone()
        return row


def raw_tags(pk) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM ledger_entrytag WHERE entry_id = %s ORDER BY id", [db_id(pk)])
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def table_columns(model: type[models.Model]) -> list[str]:
    """The columns of a model's table, in field order, as raw SQL names them."""
    columns = []
    for field in model._meta.concrete_fields:
        assert field.column is not None, f"{field} is concrete, so it has a column"
        columns.append(field.column)
    return columns


@pytest.fixture
def unchanged(final):
    """Snapshot the final entry and its tags; after the test, check nothing moved."""
    row, tags = raw_entry(final.pk), raw_tags(final.pk)
    assert row is not None and tags, "the fixture entry should be final and tagged"
    yield final
    assert raw_entry(final.pk) == row
    assert raw_tags(final.pk) == tags
    # The row still hashes to its stored link.
    stored = Entry.objects.get(pk=final.pk)
    values = entry_values([getattr(stored, column) for column in ENTRY_COLUMN_NAMES])
    assert link_hash(stored.previous_hash, values) == stored.entry_hash


def refused_by_the_database(attempt, message: str = FINAL) -> None:
    """The attempt reaches the database and a trigger refuses it (IntegrityError: SQLite's
    RAISE(ABORT), PostgreSQL's integrity_constraint_violation), in a savepoint."""
    with pytest.raises(IntegrityError, match=re.escape(message)), transaction.atomic():
        attempt()


def execute(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))


# --- A final entry: the Python guards ------------------------------------------------------------


def test_saving_a_final_entry_raises_in_python(unchanged):
    unchanged.body = "Rewritten"
    with pytest.raises(FinalEntryError):
        unchanged.save()


def test_saving_only_some_fields_of_a_final_entry_raises_in_python(unchanged):
    unchanged.title = "Rewritten"
    with pytest.raises(FinalEntryError):
        unchanged.save(update_fields=["title"])


def test_deleting_a_final_entry_raises_in_python(unchanged):
    with pytest.raises(FinalEntryError):
        unchanged.delete()


def test_turning_a_final_entry_back_into_a_draft_raises_in_python(unchanged):
    unchanged.status = EntryStatus.DRAFT
    with pytest.raises(FinalEntryError):
        unchanged.save()


# --- A final entry: every path around Python ---------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"body": "Rewritten"},
        {"status": EntryStatus.DRAFT},  # un-finalise, then edit as a draft
        {"occurred_at": timezone.now() - timedelta(days=30)},
        {"entry_hash": "f" * 64},
        {"working_days_to_finalise": 0, "finalised_late": False},
    ],
    ids=["body", "status", "occurred_at", "entry_hash", "timeliness"],
)
def test_queryset_update_of_a_final_entry_is_refused(unchanged, changes):
    refused_by_the_database(lambda: Entry.objects.filter(pk=unchanged.pk).update(**changes))


def test_queryset_delete_of_a_final_entry_is_refused(unchanged):
    # Django's collector deletes the cascading tag rows first, so their trigger answers.
    refused_by_the_database(lambda: Entry.objects.filter(pk=unchanged.pk).delete(), TAGS)


def test_queryset_delete_of_an_untagged_final_entry_is_refused(worker, kayden_case):
    draft = start_draft(actor=worker, case=kayden_case, content=content(kayden_case, tags=[]))
    (entry,) = finalise_note(actor=worker, draft=draft)
    before = raw_entry(entry.pk)
    refused_by_the_database(lambda: Entry.objects.filter(pk=entry.pk).delete())
    assert raw_entry(entry.pk) == before


def test_bulk_update_of_a_final_entry_is_refused(unchanged):
    unchanged.body = "Rewritten"
    refused_by_the_database(lambda: Entry.objects.bulk_update([unchanged], ["body"]))


def test_raw_sql_update_of_a_final_entry_is_refused(unchanged):
    refused_by_the_database(
        lambda: execute(
            "UPDATE ledger_entry SET body = 'Rewritten' WHERE id = %s", [db_id(unchanged.pk)]
        )
    )


def test_raw_sql_update_of_every_final_entry_is_refused(unchanged):
    refused_by_the_database(lambda: execute("UPDATE ledger_entry SET title = 'x'"))


def test_raw_sql_delete_of_a_final_entry_is_refused(unchanged):
    refused_by_the_database(
        lambda: execute("DELETE FROM ledger_entry WHERE id = %s", [db_id(unchanged.pk)])
    )


def test_raw_sql_delete_of_every_entry_is_refused(unchanged):
    refused_by_the_database(lambda: execute("DELETE FROM ledger_entry"))


# SQLite resolves INSERT OR REPLACE by deleting the conflicting row; ledger migration 0004
# (a BEFORE INSERT trigger) and PRAGMA recursive_triggers refuse it.
def test_replacing_a_final_entry_by_an_upsert_is_refused(final):
    before = raw_entry(final.pk)
    columns = table_columns(Entry)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM ledger_entry WHERE id = %s",
            [db_id(final.pk)],
        )
        values = list(cursor.fetchone())
    values[columns.index("body")] = "Rewritten by an upsert"
    placeholders = ", ".join(["%s"] * len(columns))
    if connection.vendor == "sqlite":
        sql = f"INSERT OR REPLACE INTO ledger_entry ({', '.join(columns)}) VALUES ({placeholders})"
    else:
        updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in columns if column != "id")
        sql = (
            f"INSERT INTO ledger_entry ({', '.join(columns)}) VALUES ({placeholders}) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}"
        )
    # SQLite: the BEFORE INSERT trigger; PostgreSQL: the upsert's UPDATE hits the guard.
    message = "a ledger entry cannot replace another" if connection.vendor == "sqlite" else FINAL
    refused_by_the_database(lambda: execute(sql, values), message)
    assert raw_entry(final.pk) == before


def test_truncate_of_the_ledger_is_refused(unchanged):
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite has no TRUNCATE statement; its nearest, DELETE without WHERE (the "
            "'truncate optimisation'), is refused above because the table has DELETE triggers"
        )
    # PostgreSQL refuses to truncate a table with deferred foreign key checks still pending
    # in the transaction (the test's own inserts) or one that others reference; run those
    # checks now, and CASCADE, so that the refusal can only come from our trigger.
    execute("SET CONSTRAINTS ALL IMMEDIATE")
    refused_by_the_database(lambda: execute("TRUNCATE ledger_entry CASCADE"), APPEND_ONLY)
    refused_by_the_database(lambda: execute("TRUNCATE ledger_entrytag"), APPEND_ONLY)
    refused_by_the_database(lambda: execute("TRUNCATE audit_auditevent CASCADE"), APPEND_ONLY)


# --- A final entry's tags -----------------------------------------------------------------------


def test_adding_a_tag_to_a_final_entry_is_refused(unchanged, kayden_case):
    (health,) = tags_of(kayden_case, "Health")
    refused_by_the_database(lambda: EntryTag.objects.create(entry=unchanged, tag=health), TAGS)


def test_removing_a_final_entrys_tag_is_refused(unchanged):
    refused_by_the_database(lambda: EntryTag.objects.filter(entry=unchanged).delete(), TAGS)
    refused_by_the_database(
        lambda: execute("DELETE FROM ledger_entrytag WHERE entry_id = %s", [db_id(unchanged.pk)]),
        TAGS,
    )


def test_changing_a_final_entrys_tag_is_refused(unchanged, kayden_case):
    (health,) = tags_of(kayden_case, "Health")
    refused_by_the_database(
        lambda: EntryTag.objects.filter(entry=unchanged).update(tag=health), TAGS
    )


def test_moving_a_tag_from_a_draft_onto_a_final_entry_is_refused(unchanged, draft):
    refused_by_the_database(
        lambda: EntryTag.objects.filter(entry=draft).update(entry=unchanged), TAGS
    )
    assert EntryTag.objects.filter(entry=draft).count() == 1


def test_moving_a_final_entrys_tag_onto_a_draft_is_refused(unchanged, draft):
    refused_by_the_database(
        lambda: EntryTag.objects.filter(entry=unchanged).update(entry=draft), TAGS
    )


# --- A draft: its author may edit it, but not who, where or when ------------------------------


def test_a_draft_can_be_edited_and_deleted_through_the_orm(draft):
    """The control for the tests below: the triggers refuse final rows, not every row."""
    assert Entry.objects.filter(pk=draft.pk).update(body="Edited") == 1
    EntryTag.objects.filter(entry=draft).delete()
    Entry.objects.filter(pk=draft.pk).delete()
    assert not Entry.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("column", ["recorded_at", "author", "case"])
def test_a_drafts_stamps_cannot_be_changed_even_by_queryset_update(
    draft, column, colleague, freddie_la_case
):
    before = raw_entry(draft.pk)
    new_value = {
        "recorded_at": draft.recorded_at - timedelta(days=2),
        "author": colleague,
        "case": freddie_la_case,
    }[column]
    refused_by_the_database(
        lambda: Entry.objects.filter(pk=draft.pk).update(**{column: new_value}), STAMPS
    )
    assert raw_entry(draft.pk) == before


def test_a_drafts_recorded_time_cannot_be_changed_by_raw_sql(draft):
    before = raw_entry(draft.pk)
    refused_by_the_database(
        lambda: execute(
            "UPDATE ledger_entry SET recorded_at = %s WHERE id = %s",
            [draft.recorded_at - timedelta(days=2), db_id(draft.pk)],
        ),
        STAMPS,
    )
    assert raw_entry(draft.pk) == before


# --- Audit events ------------------------------------------------------------------------------


@pytest.fixture
def event(worker: User):
    with transaction.atomic():
        created = record_event(actor=worker, action=Action.SIGNED_IN, obj=worker)
    return AuditEvent.objects.get(pk=created.pk)


def raw_event(pk) -> tuple[Any, ...] | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditevent WHERE id = %s", [pk])
        row: tuple[Any, ...] | None = cursor.fetchone()
        return row


@pytest.fixture
def event_unchanged(event):
    row = raw_event(event.pk)
    assert row is not None
    yield event
    assert raw_event(event.pk) == row


def test_saving_an_audit_event_raises_in_python(event_unchanged):
    event_unchanged.action = Action.SIGNED_OUT
    with pytest.raises(AuditEventImmutableError):
        event_unchanged.save()


def test_deleting_an_audit_event_raises_in_python(event_unchanged):
    with pytest.raises(AuditEventImmutableError):
        event_unchanged.delete()


@pytest.mark.parametrize(
    "attempt",
    [
        lambda pk: AuditEvent.objects.filter(pk=pk).update(action=Action.SIGNED_OUT),
        lambda pk: AuditEvent.objects.filter(pk=pk).update(event_hash="0" * 64),
        lambda pk: AuditEvent.objects.filter(pk=pk).delete(),
        lambda pk: execute("UPDATE audit_auditevent SET detail = '{}' WHERE id = %s", [pk]),
        lambda pk: execute("DELETE FROM audit_auditevent WHERE id = %s", [pk]),
        lambda pk: execute("DELETE FROM audit_auditevent"),
    ],
    ids=["update", "update-hash", "queryset-delete", "raw-update", "raw-delete", "delete-all"],
)
def test_changing_an_audit_event_is_refused_by_the_database(event_unchanged, attempt):
    refused_by_the_database(lambda: attempt(event_unchanged.pk), APPEND_ONLY)


def test_bulk_update_of_an_audit_event_is_refused(event_unchanged):
    event_unchanged.action = Action.SIGNED_OUT
    refused_by_the_database(
        lambda: AuditEvent.objects.bulk_update([event_unchanged], ["action"]), APPEND_ONLY
    )


# The same for audit events (audit migration 0006).
def test_replacing_an_audit_event_by_an_upsert_is_refused(event):
    before = raw_event(event.pk)
    columns = table_columns(AuditEvent)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM audit_auditevent WHERE id = %s",
            [event.pk],
        )
        values = list(cursor.fetchone())
    values[columns.index("action")] = Action.SIGNED_OUT.value
    placeholders = ", ".join(["%s"] * len(columns))
    if connection.vendor == "sqlite":
        sql = (
            f"INSERT OR REPLACE INTO audit_auditevent ({', '.join(columns)}) "
            f"VALUES ({placeholders})"
        )
    else:
        updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in columns if column != "id")
        sql = (
            f"INSERT INTO audit_auditevent ({', '.join(columns)}) "
            f"VALUES ({placeholders}) ON CONFLICT (id) DO UPDATE SET {updates}"
        )
    message = (
        "an audit event cannot replace another" if connection.vendor == "sqlite" else APPEND_ONLY
    )
    refused_by_the_database(lambda: execute(sql, values), message)
    assert raw_event(event.pk) == before


# --- The triggers are there after every migration ---------------------------------------------

SQLITE_TRIGGERS = {
    "ledger_entry": {
        "ledger_entry_final_no_update",
        "ledger_entry_final_no_delete",
        "ledger_entry_stamps_fixed",
    },
    "ledger_entrytag": {
        "ledger_entry_tag_frozen_insert",
        "ledger_entry_tag_frozen_update",
        "ledger_entry_tag_frozen_delete",
    },
    "audit_auditevent": {"audit_event_no_update", "audit_event_no_delete"},
}
POSTGRES_TRIGGERS = {
    "ledger_entry": {"ledger_entry_guard", "ledger_entry_no_truncate"},
    "ledger_entrytag": {"ledger_entry_tag_guard", "ledger_entry_tag_no_truncate"},
    "audit_auditevent": {"audit_event_no_update_or_delete", "audit_event_no_truncate"},
}


def installed_triggers() -> dict[str, set[str]]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal "
                "AND t.tgenabled <> 'D'"
            )
        found: dict[str, set[str]] = {}
        for table, name in cursor.fetchall():
            found.setdefault(table, set()).add(name)
    return found


def test_every_immutability_trigger_exists_after_all_migrations():
    expected = SQLITE_TRIGGERS if connection.vendor == "sqlite" else POSTGRES_TRIGGERS
    found = installed_triggers()
    for table, names in expected.items():
        assert names <= found.get(table, set()), f"{table} is missing {names - found[table]}"
