"""Hash chains and signed checkpoints: the arithmetic of tamper evidence. No Django import.

Each link is `h_i = SHA-256(h_{i-1} || canonical(entry_i))` (a Schneier–Kelsey style chain,
research/security-reliability.md §1.5): changing, removing, inserting or reordering any row
breaks every later link. A chain alone cannot show that its tail was cut off or that someone
with write access rebuilt it; a checkpoint of each chain's length and head, signed with a key
that is not in the database, can (§2.16).

The canonical form is fixed here, once, so that writing a row and verifying it years later
compute the same bytes on SQLite and PostgreSQL: values are reduced to strings, integers,
booleans, null or lists of strings, in a fixed column order, before they reach `canonical`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

# The previous hash of the first link in every chain.
GENESIS = "0" * 64

type Plain = str | int | bool | list[str] | None


def canonical(values: Sequence[Plain]) -> bytes:
    """A JSON array in the chain's column order, no whitespace, UTF-8."""
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False).encode()


def link_hash(previous: str, values: Sequence[Plain]) -> str:
    return hashlib.sha256(previous.encode("ascii") + b"\n" + canonical(values)).hexdigest()


def timestamp(value: datetime | str | None) -> str | None:
    """A moment as UTC microseconds, whatever form the database handed it back in.

    PostgreSQL returns aware datetimes; SQLite returns text such as
    "2026-11-23 10:00:00.123456" (UTC, microseconds left off when zero).
    """
    if value is None:
        return None
    if isinstance(value, str):
        # SQLite's own form, the common case for `verify`: rewritten without parsing.
        if len(value) == 26 and value[10] == " " and value[19] == ".":
            return f"{value[:10]}T{value[11:]}Z"
        if len(value) == 19 and value[10] == " ":
            return f"{value[:10]}T{value[11:]}.000000Z"
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    elif value.utcoffset():
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def identifier(value: Any) -> str | None:
    """A UUID as 32 hex digits (SQLite stores it so; PostgreSQL returns a UUID)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.replace("-", "").lower()
    text = value.hex if hasattr(value, "hex") else str(value)
    return text.replace("-", "").lower()


def sign(key: bytes, payload: Mapping[str, Any]) -> str:
    """HMAC-SHA256 of a checkpoint's canonical JSON, with a key kept outside the database."""
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def signature_matches(key: bytes, payload: Mapping[str, Any], signature: str) -> bool:
    return hmac.compare_digest(sign(key, payload), signature)


def first_break(
    links: Sequence[tuple[int, str, str, Sequence[Plain]]],
) -> tuple[int, str] | None:
    """Check one chain given as (sequence, previous_hash, stored_hash, values) in order.

    Returns the position (0-based) of the first broken link and why, or None when intact.
    """
    previous = GENESIS
    for position, (sequence, stored_previous, stored_hash, values) in enumerate(links):
        if sequence != position + 1:
            return position, f"expected link {position + 1}, found {sequence}"
        if stored_previous != previous:
            return position, "does not follow the link before it"
        if link_hash(previous, values) != stored_hash:
            return position, "its content does not match its hash"
        previous = stored_hash
    return None


# --- The columns each chain covers -----------------------------------------------------------
#
# The writers (a service finalising an entry, `record_event` appending an audit event) and the
# verifier (`caseledger verify`, reading raw rows) all go through `entry_values` and
# `audit_values`, so they cannot disagree. The column order is part of the canonical form:
# append new columns at the end and never reorder, or every existing chain breaks.


def _text(value: Any) -> Plain:
    return "" if value is None else str(value)


def _flag(value: Any) -> Plain:
    return None if value is None else bool(value)


def _number(value: Any) -> Plain:
    return None if value is None else int(value)


def _ids(value: Any) -> Plain:
    """A JSON list of ids: SQLite hands back text, PostgreSQL a list."""
    if not value or value == "[]":
        return []
    if isinstance(value, str):
        value = json.loads(value)
    return [str(item) for item in value or []]


def _day(value: Any) -> Plain:
    """A calendar date as YYYY-MM-DD (SQLite hands back that text, PostgreSQL a date)."""
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else value.isoformat()


def _json(value: Any) -> Plain:
    """A JSON object, canonicalised (key order and spacing are not the database's business)."""
    if isinstance(value, str):
        value = json.loads(value)
    return json.dumps(value or {}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


Normaliser = Callable[[Any], Plain]

# (column, normaliser) in canonical order.
ENTRY_COLUMNS: tuple[tuple[str, Normaliser], ...] = (
    ("id", identifier),
    ("case_id", identifier),
    ("sequence", _number),
    ("kind", _text),
    ("author_id", identifier),
    ("occurred_at", timestamp),
    ("title", _text),
    ("body", _text),
    ("contact_type_id", identifier),
    ("visit_statutory", _flag),
    ("visit_announcement", _text),
    ("child_seen", _flag),
    ("seen_alone", _flag),
    ("not_seen_reason", _text),
    ("significant", _flag),
    ("significant_category", _text),
    ("tag_ids", _ids),
    ("linked_entry_ids", _ids),
    ("external_reference", _text),
    ("group_id", identifier),
    ("corrects_id", identifier),
    ("correction_reason", _text),
    ("correction_explanation", _text),
    ("lineage_id", identifier),
    ("version", _number),
    ("previous_version_id", identifier),
    ("amendment_reason", _text),
    ("reindexed_from_id", identifier),
    ("moved_entry_id", identifier),
    ("recorded_at", timestamp),
    ("finalised_at", timestamp),
    ("working_days_to_finalise", _number),
    ("finalised_late", _flag),
)

# Columns added after the first entries were written, in groups, one group per change that
# added them: interactions, timeline events and the corrected date of an event (issue 4); the
# documents a note cites (issue 5); the section (A to K) of the child's EHC plan a note or
# interaction on an EHCP tracking case is about (issue 7). A row's canonical form is its base
# columns, then every group up to the last one holding something: so every link written before
# a group existed hashes exactly as it did, and a row that uses a group cannot have it emptied
# or filled without breaking its link. The rule for a future change: append a group, never
# reorder.
ENTRY_EXTENSION_GROUPS: tuple[tuple[tuple[str, Normaliser], ...], ...] = (
    (
        ("channel", _text),
        ("contact_name", _text),
        ("contact_role", _text),
        ("contact_organisation", _text),
        ("promise", _text),
        ("promise_due_on", _day),
        ("promise_party", _text),
        ("in_timeline", _flag),
        ("event_type", _text),
        ("generated_by", _text),
        ("corrected_occurred_at", timestamp),
    ),
    (("document_ids", _ids),),
    (("ehcp_section", _text),),
)
ENTRY_EXTENSION_COLUMNS: tuple[tuple[str, Normaliser], ...] = tuple(
    column for group in ENTRY_EXTENSION_GROUPS for column in group
)

AUDIT_COLUMNS: tuple[tuple[str, Normaliser], ...] = (
    ("sequence", _number),
    ("occurred_at", timestamp),
    ("actor_id", identifier),
    ("organisation_id", identifier),
    ("action", _text),
    ("object_type", _text),
    ("object_id", _text),
    ("case_id", identifier),
    ("detail", _json),
    ("request_id", _text),
    ("ip_address", _text),
)

ENTRY_COLUMN_NAMES = tuple(name for name, _ in (*ENTRY_COLUMNS, *ENTRY_EXTENSION_COLUMNS))
AUDIT_COLUMN_NAMES = tuple(name for name, _ in AUDIT_COLUMNS)
_ENTRY_NORMALISERS = tuple(normalise for _, normalise in (*ENTRY_COLUMNS, *ENTRY_EXTENSION_COLUMNS))
_BASE_WIDTH = len(ENTRY_COLUMNS)
# Where each extension group ends, as a width of the canonical form.
_GROUP_ENDS = tuple(
    _BASE_WIDTH + sum(len(group) for group in ENTRY_EXTENSION_GROUPS[: index + 1])
    for index in range(len(ENTRY_EXTENSION_GROUPS))
)
_BASE_NORMALISERS = _ENTRY_NORMALISERS[:_BASE_WIDTH]
_EMPTY: tuple[Plain, ...] = ("", None, False, [])
_AUDIT_NORMALISERS = tuple(normalise for _, normalise in AUDIT_COLUMNS)


def entry_values(row: Sequence[Any]) -> list[Plain]:
    """A ledger row's values, in ENTRY_COLUMN_NAMES order, as the chain hashes them: the
    extension columns only when one of them holds something."""
    if len(row) != len(_ENTRY_NORMALISERS):
        raise ValueError(f"expected {len(_ENTRY_NORMALISERS)} values, got {len(row)}")
    # Most rows are case notes with the extension columns empty: skip normalising them.
    # (SQLite hands an empty flag back as 0, which equals False, and an empty list as "[]".)
    if all(
        value is None or value == "" or value is False or value == 0 or value == "[]" or value == []
        for value in row[_BASE_WIDTH:]
    ):
        return [
            normalise(value)
            for normalise, value in zip(_BASE_NORMALISERS, row[:_BASE_WIDTH], strict=True)
        ]
    values = [normalise(value) for normalise, value in zip(_ENTRY_NORMALISERS, row, strict=True)]
    width = _BASE_WIDTH
    start = _BASE_WIDTH
    for end in _GROUP_ENDS:
        if any(value not in _EMPTY for value in values[start:end]):
            width = end
        start = end
    return values[:width]


def audit_values(row: Sequence[Any]) -> list[Plain]:
    return [normalise(value) for normalise, value in zip(_AUDIT_NORMALISERS, row, strict=True)]


def values_of(instance: Any, columns: Sequence[str]) -> list[Any]:
    return [getattr(instance, column) for column in columns]


def as_mapping(values: Sequence[Plain], columns: Sequence[str]) -> Mapping[str, Plain]:
    """For people reading an export: the hashed values with their column names (a row that
    leaves the extension columns empty hashes, and so names, only the columns before them)."""
    return dict(zip(columns[: len(values)], values, strict=True))
