"""What search reads: one row per searchable record per case it is on.

Final case notes (and corrections), interactions and timeline events, and the current version
of each document, copied here with the case, child and organisation they belong to, so that
one full-text index serves every kind and every query can be limited to the cases the user
may see before anything is counted or shown. The full-text index itself is vendor SQL
(migration 0001): a stored `tsvector` with a GIN index on PostgreSQL, an external-content
FTS5 table kept in step by triggers on SQLite. Drafts are never here: a draft is its
author's alone (recording rule 3).
"""

from __future__ import annotations

import uuid

from django.db import models


class SearchKind(models.TextChoices):
    NOTE = "note", "Case notes"
    INTERACTION = "interaction", "Interactions"
    EVENT = "event", "Timeline events"
    DOCUMENT = "document", "Documents"


def scope_words(case_id: uuid.UUID, organisation_id: uuid.UUID) -> str:
    return f"{case_scope(case_id)} {organisation_scope(organisation_id)}"


def case_scope(case_id: uuid.UUID) -> str:
    return f"case{case_id.int}"


def organisation_scope(organisation_id: uuid.UUID) -> str:
    return f"org{organisation_id.int}"


class SearchEntry(models.Model):
    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=12, choices=SearchKind.choices)
    # The ledger entry or the document.
    object_id = models.UUIDField()
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    occurred_on = models.DateField()
    # Type of contact, channel, type of event, or document category: a filter.
    category = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    # Words that say whose the row is ("case<id> org<id>", ids as decimal digits, which no
    # stemmer changes): SQLite's full-text index narrows a search to the user's cases with
    # them before it ranks anything (search/services.py). Never matched against what is typed.
    scope = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "case"], name="search_entry_unique"
            )
        ]
        indexes = [
            models.Index(fields=["case", "occurred_on"], name="search_entry_case_date"),
            models.Index(fields=["object_id"], name="search_entry_object"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
