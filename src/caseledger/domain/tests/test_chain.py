"""The arithmetic of tamper evidence: canonical form, links, normalisers, breaks, signatures.

The canonical form is fixed for the life of the product: a chain written today must verify
in ten years, on either database. So the known-answer tests below pin exact bytes and
digests; if one fails, the canonical form changed and every stored chain would break. Do not
"fix" such a failure by pasting in the new digest.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseledger.domain.chain import (
    AUDIT_COLUMN_NAMES,
    ENTRY_COLUMN_NAMES,
    GENESIS,
    Plain,
    as_mapping,
    audit_values,
    canonical,
    entry_values,
    first_break,
    identifier,
    link_hash,
    sign,
    signature_matches,
    timestamp,
)

# --- Canonical form and links (known answers) ------------------------------------------------

VALUES: list[Plain] = ["Amira's note", 7, True, None, ["a", "b"], "café – “quotes”"]


def test_canonical_form_is_compact_utf8_json_in_the_given_order():
    assert canonical(VALUES) == (
        '["Amira\'s note",7,true,null,["a","b"],"café – “quotes”"]'.encode()
    )


def test_link_hash_known_answer():
    assert link_hash(GENESIS, VALUES) == (
        "b3af8a35e7aad7b55715fc0f3fc19a2a6bbaf4d017d0449740e426726b73e97b"
    )


def test_link_hash_is_sha256_of_previous_newline_canonical():
    previous = "ab" * 32
    expected = hashlib.sha256(previous.encode() + b"\n" + canonical(VALUES)).hexdigest()
    assert link_hash(previous, VALUES) == expected


def test_link_hash_depends_on_the_previous_hash_every_value_and_their_order():
    base = link_hash(GENESIS, VALUES)
    assert link_hash("1" * 64, VALUES) != base
    assert link_hash(GENESIS, [*VALUES[:-1], "cafe – “quotes”"]) != base
    assert link_hash(GENESIS, [VALUES[1], VALUES[0], *VALUES[2:]]) != base
    # Types matter: 7 and "7", true and 1, null and "" are different facts.
    assert link_hash(GENESIS, ["7"]) != link_hash(GENESIS, [7])
    assert link_hash(GENESIS, [True]) != link_hash(GENESIS, [1])
    assert link_hash(GENESIS, [None]) != link_hash(GENESIS, [""])


def test_genesis_is_sixty_four_zeros():
    assert GENESIS == "0" * 64


# A ledger row as PostgreSQL hands it back (UUIDs, aware datetimes, lists, booleans) ...
ENTRY_ID = UUID("0b7e2c1a-5d4f-4a8e-9c3b-1f2e3d4c5b6a")
CASE_ID = UUID("11111111-2222-4333-8444-555555555555")
AUTHOR_ID = UUID("66666666-7777-4888-9999-aaaaaaaaaaaa")
TYPE_ID = UUID("bbbbbbbb-cccc-4ddd-8eee-ffffffffffff")
POSTGRES_ENTRY_ROW = [
    ENTRY_ID,
    CASE_ID,
    3,
    "case_note",
    AUTHOR_ID,
    datetime(2026, 12, 24, 15, 30, tzinfo=UTC),
    "Home visit",
    "Saw Kayden at home.",
    TYPE_ID,
    True,
    "announced",
    True,
    False,
    "",
    True,
    "police_involvement",
    ["t2", "t1"],
    [],
    "",
    None,
    None,
    "",
    "",
    ENTRY_ID,
    1,
    None,
    "",
    None,
    None,
    datetime(2026, 12, 24, 16, 0, 0, 123456, tzinfo=UTC),
    datetime(2027, 1, 4, 9, 0, tzinfo=UTC),
    4,
    False,
    # The extension columns (interactions, timeline events), empty on a case note.
    *["", "", "", "", "", None, "", False, "", "", None],
    # The second group: the documents a note cites (issue 5), none here.
    [],
    # The third group: the section of an EHC plan the entry is about (issue 7), none here.
    "",
]
# ... and the same row as SQLite stores it (hex ids, UTC text or naive datetimes, 0/1, JSON text).
SQLITE_ENTRY_ROW = [
    ENTRY_ID.hex,
    CASE_ID.hex,
    3,
    "case_note",
    AUTHOR_ID.hex,
    "2026-12-24 15:30:00",
    "Home visit",
    "Saw Kayden at home.",
    TYPE_ID.hex,
    1,
    "announced",
    1,
    0,
    "",
    1,
    "police_involvement",
    '["t2", "t1"]',
    "[]",
    "",
    None,
    None,
    "",
    "",
    ENTRY_ID.hex,
    1,
    None,
    "",
    None,
    None,
    datetime(2026, 12, 24, 16, 0, 0, 123456),  # noqa: DTZ001 naive: Django's SQLite converter, UTC
    "2027-01-04 09:00:00",
    4,
    0,
    *["", "", "", "", "", None, "", 0, "", "", None],
    "[]",
    "",
]
ENTRY_HASH = "217c3c489443081604f38c427f887edf58a5394c01dde94f1efc95947578d189"


def test_entry_row_known_answer():
    """Pins ENTRY_COLUMNS: reordering, dropping or renormalising a column fails here."""
    assert len(ENTRY_COLUMN_NAMES) == len(POSTGRES_ENTRY_ROW) == 46
    assert link_hash(GENESIS, entry_values(POSTGRES_ENTRY_ROW)) == ENTRY_HASH


def test_rows_written_before_the_extension_columns_keep_their_hashes():
    """ENTRY_HASH was pinned when a row had 33 columns; with the extension columns empty
    (11, then 12 with issue 5's, then 13 with issue 7's) the same row hashes the same, so no
    existing chain breaks."""
    assert len(entry_values(POSTGRES_ENTRY_ROW)) == 33


def test_the_extension_columns_are_appended_in_their_fixed_order():
    """Each group is appended after the last; reordering any of them breaks every chain that
    uses it."""
    assert ENTRY_COLUMN_NAMES[33:] == (
        "channel",
        "contact_name",
        "contact_role",
        "contact_organisation",
        "promise",
        "promise_due_on",
        "promise_party",
        "in_timeline",
        "event_type",
        "generated_by",
        "corrected_occurred_at",
        "document_ids",
        "ehcp_section",
    )


# An interaction: a phone call with a promise, on the timeline.
INTERACTION_ROW_POSTGRES = [
    *POSTGRES_ENTRY_ROW[:-13],
    "phone_call",
    "Jo Bloggs",
    "SEN caseworker",
    "Northshire Council",
    "A decision by the end of next week",
    date(2027, 1, 8),
    "local_authority",
    True,
    "",
    "",
    None,
    [],
    "",
]
INTERACTION_ROW_SQLITE = [
    *SQLITE_ENTRY_ROW[:-13],
    "phone_call",
    "Jo Bloggs",
    "SEN caseworker",
    "Northshire Council",
    "A decision by the end of next week",
    "2027-01-08",
    "local_authority",
    1,
    "",
    "",
    None,
    "[]",
    "",
]
INTERACTION_HASH = "5eea2d1d7d271edcdab488a4ab0f5d2e070058e82fd440e60bcf838fc236ec4e"


def test_an_interaction_hashes_its_extension_columns_the_same_on_both_databases():
    values = entry_values(INTERACTION_ROW_POSTGRES)
    assert len(values) == 44  # the first extension group only: issue 5's and 7's are empty
    assert values[-6] == "2027-01-08"
    assert entry_values(INTERACTION_ROW_SQLITE) == values
    assert link_hash(GENESIS, values) == INTERACTION_HASH


@pytest.mark.parametrize("position", range(33, 44))
def test_emptying_or_filling_any_extension_column_changes_the_hash(position):
    emptied = list(INTERACTION_ROW_POSTGRES)
    filled: list[Any] = list(POSTGRES_ENTRY_ROW)
    sample = INTERACTION_ROW_POSTGRES[position]
    emptied[position] = POSTGRES_ENTRY_ROW[position]
    filled[position] = sample if sample not in ("", None, False) else "x"
    if ENTRY_COLUMN_NAMES[position] == "corrected_occurred_at":
        filled[position] = datetime(2027, 1, 1, tzinfo=UTC)
    if ENTRY_COLUMN_NAMES[position] == "in_timeline":
        filled[position] = True
    if ENTRY_COLUMN_NAMES[position] == "promise_due_on":
        filled[position] = date(2027, 1, 8)
    if sample not in ("", None, False):
        assert link_hash(GENESIS, entry_values(emptied)) != INTERACTION_HASH
    assert link_hash(GENESIS, entry_values(filled)) != ENTRY_HASH


# Stored as the services write them: a JSON list of ids as text, sorted.
DOCUMENT_IDS = ["0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9", "9a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9"]
CITING_NOTE_POSTGRES = [*POSTGRES_ENTRY_ROW[:-2], list(DOCUMENT_IDS), ""]
CITING_NOTE_SQLITE = [*SQLITE_ENTRY_ROW[:-2], json.dumps(DOCUMENT_IDS), ""]
CITING_NOTE_HASH = link_hash(GENESIS, entry_values(CITING_NOTE_POSTGRES))


def test_a_note_citing_documents_hashes_both_extension_groups_the_same_on_both_databases():
    """A note that cites documents but is no interaction: the first group's empty values
    are hashed too, so the canonical form is a function of the row alone."""
    values = entry_values(CITING_NOTE_POSTGRES)
    assert len(values) == 45
    assert values[33:44] == ["", "", "", "", "", None, "", False, "", "", None]
    assert entry_values(CITING_NOTE_SQLITE) == values
    assert CITING_NOTE_HASH not in (ENTRY_HASH, INTERACTION_HASH)


def test_citing_or_unciting_a_document_changes_the_hash():
    uncited = [*CITING_NOTE_POSTGRES[:-2], [], ""]
    assert link_hash(GENESIS, entry_values(uncited)) == ENTRY_HASH
    one_less = [*CITING_NOTE_POSTGRES[:-2], DOCUMENT_IDS[:1], ""]
    assert link_hash(GENESIS, entry_values(one_less)) != CITING_NOTE_HASH
    on_interaction = [*INTERACTION_ROW_POSTGRES[:-2], DOCUMENT_IDS[:1], ""]
    assert link_hash(GENESIS, entry_values(on_interaction)) != INTERACTION_HASH


# A note on an EHCP tracking case about Section F of the child's plan (issue 7).
SECTION_NOTE_POSTGRES = [*POSTGRES_ENTRY_ROW[:-1], "F"]
SECTION_NOTE_SQLITE = [*SQLITE_ENTRY_ROW[:-1], "F"]
SECTION_NOTE_HASH = "8970b48da5426f520a6e9560a5bc3bdafb1057b1afc215367cec94032f68a64e"


def test_a_note_about_a_plan_section_hashes_every_extension_group_the_same_on_both_databases():
    """The first two groups' empty values are hashed too, so the canonical form is still a
    function of the row alone."""
    values = entry_values(SECTION_NOTE_POSTGRES)
    assert len(values) == 46
    assert values[33:] == ["", "", "", "", "", None, "", False, "", "", None, [], "F"]
    assert entry_values(SECTION_NOTE_SQLITE) == values
    assert link_hash(GENESIS, values) == SECTION_NOTE_HASH


@pytest.mark.parametrize(
    ("row", "digest"),
    [
        (POSTGRES_ENTRY_ROW, ENTRY_HASH),
        (INTERACTION_ROW_POSTGRES, INTERACTION_HASH),
        (CITING_NOTE_POSTGRES, CITING_NOTE_HASH),
    ],
)
def test_giving_or_taking_away_a_plan_section_changes_the_hash(row, digest):
    with_section = [*row[:-1], "F"]
    assert link_hash(GENESIS, entry_values(with_section)) != digest
    another = [*row[:-1], "E"]
    assert entry_values(another) != entry_values(with_section)
    # Taken away again, the row is the one pinned before issue 7.
    assert link_hash(GENESIS, entry_values([*with_section[:-1], ""])) == digest


def test_entry_row_from_sqlite_and_postgresql_hash_the_same():
    assert entry_values(SQLITE_ENTRY_ROW) == entry_values(POSTGRES_ENTRY_ROW)
    assert link_hash(GENESIS, entry_values(SQLITE_ENTRY_ROW)) == ENTRY_HASH


def test_entry_values_are_plain_and_named_for_export():
    values = entry_values(POSTGRES_ENTRY_ROW)
    mapping = as_mapping(values, ENTRY_COLUMN_NAMES)
    assert mapping["id"] == "0b7e2c1a5d4f4a8e9c3b1f2e3d4c5b6a"
    assert mapping["occurred_at"] == "2026-12-24T15:30:00.000000Z"
    assert mapping["tag_ids"] == ["t2", "t1"]
    assert mapping["child_seen"] is True
    assert mapping["corrects_id"] is None
    assert mapping["working_days_to_finalise"] == 4
    # Every value survives a JSON round trip unchanged (what `canonical` relies on).
    assert json.loads(canonical(values)) == values


def test_entry_values_refuse_a_row_of_the_wrong_length():
    with pytest.raises(ValueError):
        entry_values(POSTGRES_ENTRY_ROW[:-1])


AUDIT_ROW_POSTGRES = [
    12,
    datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
    AUTHOR_ID,
    CASE_ID,
    "note_finalised",
    "ledger.entry",
    "x",
    None,
    {"b": 1, "a": [1, 2]},
    "req-1",
    "192.0.2.10",
]
AUDIT_ROW_SQLITE = [
    12,
    "2026-11-23 10:00:00",
    AUTHOR_ID.hex,
    CASE_ID.hex,
    "note_finalised",
    "ledger.entry",
    "x",
    None,
    '{"a": [1, 2], "b": 1}',
    "req-1",
    "192.0.2.10",
]


def test_audit_row_known_answer_and_both_databases_agree():
    assert len(AUDIT_COLUMN_NAMES) == len(AUDIT_ROW_POSTGRES)
    expected = "e4c0d8766b6c7e80078333e35b813ce2b020baa1e32e861e5218fb53040998ce"
    assert link_hash("a" * 64, audit_values(AUDIT_ROW_POSTGRES)) == expected
    assert audit_values(AUDIT_ROW_SQLITE) == audit_values(AUDIT_ROW_POSTGRES)
    # The detail object is canonicalised: key order and spacing do not matter.
    assert audit_values(AUDIT_ROW_SQLITE)[8] == '{"a":[1,2],"b":1}'


# --- Normalisers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-23 10:00:00.123456",  # SQLite text, UTC
        "2026-11-23T10:00:00.123456",
        "2026-11-23 10:00:00.123456+00:00",
        datetime(2026, 11, 23, 10, 0, 0, 123456),  # noqa: DTZ001 naive, read as UTC
        datetime(2026, 11, 23, 10, 0, 0, 123456, tzinfo=UTC),  # PostgreSQL
        datetime(2026, 11, 23, 10, 0, 0, 123456, tzinfo=ZoneInfo("Europe/London")),  # GMT
        datetime(2026, 11, 23, 11, 0, 0, 123456, tzinfo=timezone(timedelta(hours=1))),
        datetime(2026, 11, 23, 5, 0, 0, 123456, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_timestamp_is_utc_microseconds_whatever_the_form(value):
    assert timestamp(value) == "2026-11-23T10:00:00.123456Z"


def test_timestamp_keeps_microseconds_when_sqlite_drops_them():
    assert timestamp("2026-11-23 10:00:00") == "2026-11-23T10:00:00.000000Z"
    assert timestamp(datetime(2026, 11, 23, 10, tzinfo=UTC)) == "2026-11-23T10:00:00.000000Z"


def test_timestamp_converts_british_summer_time_to_utc():
    summer = datetime(2026, 7, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    assert timestamp(summer) == "2026-07-01T09:00:00.000000Z"
    assert timestamp("2026-07-01 10:00:00+01:00") == "2026-07-01T09:00:00.000000Z"


def test_timestamp_of_nothing_is_null():
    assert timestamp(None) is None


@pytest.mark.parametrize(
    "value",
    [
        UUID("0b7e2c1a-5d4f-4a8e-9c3b-1f2e3d4c5b6a"),  # PostgreSQL
        "0b7e2c1a5d4f4a8e9c3b1f2e3d4c5b6a",  # SQLite char(32)
        "0b7e2c1a-5d4f-4a8e-9c3b-1f2e3d4c5b6a",
        "0B7E2C1A5D4F4A8E9C3B1F2E3D4C5B6A",
    ],
)
def test_identifier_is_32_lower_hex_digits_whatever_the_form(value):
    assert identifier(value) == "0b7e2c1a5d4f4a8e9c3b1f2e3d4c5b6a"


def test_identifier_of_nothing_is_null():
    assert identifier(None) is None


# --- first_break: what a chain catches -------------------------------------------------------


def build_chain(rows: list[list[Plain]]) -> list[tuple[int, str, str, list[Plain]]]:
    links: list[tuple[int, str, str, list[Plain]]] = []
    previous = GENESIS
    for sequence, values in enumerate(rows, start=1):
        digest = link_hash(previous, values)
        links.append((sequence, previous, digest, values))
        previous = digest
    return links


def renumber(links):
    return [(n, prev, digest, values) for n, (_, prev, digest, values) in enumerate(links, 1)]


ROWS: list[list[Plain]] = [[f"note {n}", n, n % 2 == 0, None, [f"tag-{n}"]] for n in range(1, 6)]


def test_an_intact_chain_has_no_break():
    assert first_break(build_chain(ROWS)) is None
    assert first_break([]) is None


def test_an_edited_row_is_caught_where_it_was_edited():
    links = build_chain(ROWS)
    sequence, previous, digest, values = links[2]
    links[2] = (sequence, previous, digest, ["note 3 (edited)", *values[1:]])
    assert first_break(links) == (2, "its content does not match its hash")


def test_an_edited_row_with_its_own_hash_recomputed_breaks_the_next_link():
    links = build_chain(ROWS)
    sequence, previous, _, values = links[2]
    edited = ["note 3 (edited)", *values[1:]]
    links[2] = (sequence, previous, link_hash(previous, edited), edited)
    assert first_break(links) == (3, "does not follow the link before it")


def test_a_deleted_row_is_caught():
    links = build_chain(ROWS)
    del links[1]
    assert first_break(links) == (1, "expected link 2, found 3")
    # Renumbering the rest to hide the gap still breaks the hash links.
    assert first_break(renumber(links)) == (1, "does not follow the link before it")


def test_an_inserted_row_is_caught():
    links = build_chain(ROWS)
    sequence, previous, _, _ = links[2]
    forged: list[Plain] = ["forged note", 99, False, None, []]
    links.insert(2, (sequence, previous, link_hash(previous, forged), forged))
    assert first_break(links) == (3, "expected link 4, found 3")
    assert first_break(renumber(links)) == (3, "does not follow the link before it")


def test_swapped_rows_are_caught():
    links = build_chain(ROWS)
    links[1], links[2] = links[2], links[1]
    assert first_break(links) == (1, "expected link 2, found 3")
    assert first_break(renumber(links)) == (1, "does not follow the link before it")


def test_a_chain_that_does_not_start_at_genesis_is_caught():
    links = build_chain(ROWS)
    links = renumber(links[1:])
    assert first_break(links) == (0, "does not follow the link before it")


def test_a_cut_off_tail_is_not_caught_by_the_chain_alone():
    """The documented limit: only a signed checkpoint of length and head shows truncation."""
    links = build_chain(ROWS)
    assert first_break(links[:3]) is None


# --- Signed checkpoints ------------------------------------------------------------------------

KEY = b"k" * 32
CHECKPOINT = {"chain": "audit", "length": 12, "head": "ab" * 32}


def test_signature_known_answer():
    assert sign(KEY, CHECKPOINT) == (
        "5f5386e34f2f1a6f7355ea96aac52d176af0e5a8737a6f0ce2ac51aa58294a31"
    )


def test_a_signature_matches_its_payload_whatever_the_key_order():
    signature = sign(KEY, CHECKPOINT)
    assert signature_matches(KEY, dict(reversed(list(CHECKPOINT.items()))), signature)


@pytest.mark.parametrize(
    ("key", "payload"),
    [
        (b"x" * 32, CHECKPOINT),  # another key
        (KEY, {**CHECKPOINT, "length": 11}),  # a cut-off chain
        (KEY, {**CHECKPOINT, "head": "cd" * 32}),  # a rebuilt chain
        (KEY, {**CHECKPOINT, "extra": 1}),
    ],
)
def test_a_signature_does_not_match_another_key_or_payload(key, payload):
    assert not signature_matches(key, payload, sign(KEY, CHECKPOINT))


def test_a_tampered_signature_does_not_match():
    signature = sign(KEY, CHECKPOINT)
    tampered = ("0" if signature[0] != "0" else "1") + signature[1:]
    assert not signature_matches(KEY, CHECKPOINT, tampered)


# Naive on purpose: hypothesis needs naive bounds for naive datetimes.
@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31)))  # noqa: DTZ001
def test_sqlite_text_and_the_datetime_it_stores_hash_alike(moment: datetime) -> None:
    """`timestamp` rewrites SQLite's stored text without parsing it; that shortcut must give
    exactly what the moment itself gives (Django writes naive UTC, str() form)."""
    assert timestamp(str(moment)) == timestamp(moment.replace(tzinfo=UTC))
