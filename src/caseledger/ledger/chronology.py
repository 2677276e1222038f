"""The chronology: a case's (or a child's) final entries in time order, filtered and paged.

Keyset pagination on (occurred_at, id) over the `entry_chronology` index, so the hundredth
page of a 10,000-entry case costs what the first does. Everything a row shows besides the
entry itself (corrections of it, its tags, linked entries, where a moved note went) is
fetched once per page, so the query count does not grow with the page or the case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from caseledger.accounts.models import User
from caseledger.cases.models import Case
from caseledger.ledger.models import ContactType, Entry, EntryKind, EntryStatus, EntryTag, Tag

NEWEST_FIRST = "newest"
OLDEST_FIRST = "oldest"
# The print view shows up to this many entries at once; more asks the reader to filter.
PRINT_LIMIT = 1000


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    contact_type: UUID | None = None
    significant_only: bool = False
    tag: UUID | None = None
    author: UUID | None = None
    date_from: date | None = None
    date_to: date | None = None
    order: str = NEWEST_FIRST

    @property
    def active(self) -> bool:
        return any(
            [
                self.kind,
                self.contact_type,
                self.significant_only,
                self.tag,
                self.author,
                self.date_from,
                self.date_to,
            ]
        )


@dataclass
class Row:
    entry: Entry
    corrections: list[Entry] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    links: list[Entry] = field(default_factory=list)
    superseded: bool = False
    moved_to: Entry | None = None  # admins only: where a misfiled note went
    group_size: int = 1


@dataclass
class Page:
    rows: list[Row]
    next_cursor: str | None
    previous_exists: bool
    truncated: bool = False


def encode_cursor(entry: Entry) -> str:
    assert entry.occurred_at is not None
    return f"{entry.occurred_at.astimezone(UTC).strftime('%Y%m%dT%H%M%S.%f')}_{entry.id}"


def decode_cursor(value: str) -> tuple[datetime, UUID] | None:
    try:
        moment, identifier = value.split("_", 1)
        parsed = datetime.strptime(moment, "%Y%m%dT%H%M%S.%f").replace(tzinfo=UTC)
        return parsed, UUID(identifier)
    except ValueError:
        return None


def entries_for(
    cases: QuerySet[Case] | list[Case], *, include_moved: bool, filters: Filters
) -> QuerySet[Entry]:
    """Final entries of these cases that the chronology lists, filtered, in order.

    An amended note is listed once, as its latest version (rule 5). A note moved to another
    child, and its tombstone, are listed only for admins (rule 6).
    """
    entries = Entry.objects.filter(case__in=cases, status=EntryStatus.FINAL).exclude(
        Exists(Entry.objects.filter(previous_version=OuterRef("pk"), status=EntryStatus.FINAL))
    )
    if not include_moved:
        entries = entries.exclude(kind=EntryKind.MOVED_OUT).exclude(
            Exists(Entry.objects.filter(moved_entry=OuterRef("pk")))
        )
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.contact_type:
        entries = entries.filter(contact_type_id=filters.contact_type)
    if filters.significant_only:
        entries = entries.filter(significant=True)
    if filters.tag:
        entries = entries.filter(
            Exists(EntryTag.objects.filter(entry=OuterRef("pk"), tag_id=filters.tag))
        )
    if filters.author:
        entries = entries.filter(author_id=filters.author)
    if filters.date_from:
        entries = entries.filter(occurred_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        entries = entries.filter(occurred_at__lt=_start_of(filters.date_to + timedelta(days=1)))
    descending = filters.order != OLDEST_FIRST
    return entries.order_by(
        *(("-occurred_at", "-id") if descending else ("occurred_at", "id"))
    ).select_related("author", "contact_type")  # case and corrects: see `decorate`


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def chronology_page(
    entries: QuerySet[Entry],
    *,
    cases: Iterable[Case],
    filters: Filters,
    after: str | None,
    size: int,
) -> Page:
    cursor = decode_cursor(after) if after else None
    if cursor is not None:
        moment, identifier = cursor
        if filters.order == OLDEST_FIRST:
            entries = entries.filter(
                Q(occurred_at__gt=moment) | Q(occurred_at=moment, id__gt=identifier)
            )
        else:
            entries = entries.filter(
                Q(occurred_at__lt=moment) | Q(occurred_at=moment, id__lt=identifier)
            )
    found = list(entries[: size + 1])
    rows = found[:size]
    next_cursor = encode_cursor(rows[-1]) if len(found) > size else None
    return Page(
        rows=decorate(rows, cases=cases),
        next_cursor=next_cursor,
        previous_exists=cursor is not None,
    )


def printable(entries: QuerySet[Entry], *, cases: Iterable[Case]) -> Page:
    found = list(entries[: PRINT_LIMIT + 1])
    return Page(
        rows=decorate(found[:PRINT_LIMIT], cases=cases),
        next_cursor=None,
        previous_exists=False,
        truncated=len(found) > PRINT_LIMIT,
    )


def decorate(entries: list[Entry], *, cases: Iterable[Case] = ()) -> list[Row]:
    """What each row shows besides the entry itself, in a fixed number of queries.

    The entries' cases come from `cases` (the caller already holds them) and the originals
    that corrections name come with the versions query, rather than as joins on the page's
    query: on PostgreSQL those self-joins cost more to plan than the page costs to run.
    """
    if not entries:
        return []
    _attach_cases(entries, cases)
    ids = [entry.id for entry in entries]
    lineages = {entry.lineage_id for entry in entries}
    related = list(
        Entry.objects.filter(status=EntryStatus.FINAL)
        .filter(
            Q(lineage_id__in=lineages)
            | Q(id__in={entry.corrects_id for entry in entries if entry.corrects_id})
        )
        # What `Entry.heading` reads, so naming an original costs no further query.
        .only(
            "id",
            "lineage_id",
            "title",
            "kind",
            "version",
            "channel",
            "contact_name",
            "contact_organisation",
            "event_type",
        )
    )
    originals = {entry.id: entry for entry in related}
    for entry in entries:
        if entry.corrects_id is not None and not Entry.corrects.is_cached(entry):
            entry.corrects = originals.get(entry.corrects_id)
    # A correction names the version it corrects; show it on the note's latest version.
    versions = {entry.id: entry.lineage_id for entry in related if entry.lineage_id in lineages}
    corrections: dict[UUID, list[Entry]] = defaultdict(list)
    for correction in Entry.objects.filter(
        status=EntryStatus.FINAL, corrects_id__in=list(versions)
    ).order_by("occurred_at", "id"):
        assert correction.corrects_id is not None
        corrections[versions[correction.corrects_id]].append(correction)
    tag_names = {
        str(tag.id): tag.name
        for tag in Tag.objects.filter(
            id__in={tag_id for entry in entries for tag_id in entry.tag_ids}
        )
    }
    link_ids = {link for entry in entries for link in entry.linked_entry_ids}
    links = (
        {str(entry.id): entry for entry in Entry.objects.filter(id__in=link_ids)}
        if link_ids
        else {}
    )
    moved = {
        tombstone.moved_entry_id: tombstone
        for tombstone in Entry.objects.filter(moved_entry_id__in=ids)
    }
    copies = {
        copy.reindexed_from_id: copy
        for copy in Entry.objects.filter(reindexed_from_id__in=ids).select_related("case")
    }
    groups = {entry.group_id for entry in entries if entry.group_id}
    group_sizes: dict[UUID | None, int] = defaultdict(int)
    if groups:
        for group_id in Entry.objects.filter(
            group_id__in=groups, status=EntryStatus.FINAL, version=1
        ).values_list("group_id", flat=True):
            group_sizes[group_id] += 1
    return [
        Row(
            entry=entry,
            corrections=corrections.get(entry.lineage_id, []),
            tags=sorted(tag_names[tag_id] for tag_id in entry.tag_ids if tag_id in tag_names),
            links=[links[link] for link in entry.linked_entry_ids if link in links],
            moved_to=copies.get(entry.id) if entry.id in moved else None,
            group_size=group_sizes[entry.group_id] if entry.group_id is not None else 1,
        )
        for entry in entries
    ]


def _attach_cases(entries: list[Entry], cases: Iterable[Case]) -> None:
    by_id = {case.id: case for case in cases}
    missing = {
        entry.case_id
        for entry in entries
        if not Entry.case.is_cached(entry) and entry.case_id not in by_id
    }
    if missing:
        by_id.update(
            (case.id, case) for case in Case.objects.filter(id__in=missing).select_related("child")
        )
    for entry in entries:
        if not Entry.case.is_cached(entry):
            entry.case = by_id[entry.case_id]


def filter_choices(cases: QuerySet[Case] | list[Case], organisation_id: UUID) -> dict[str, Any]:
    """The options of the filter form: this organisation's types and tags, and the authors
    who have written on these cases."""
    authors = User.objects.filter(
        id__in=Entry.objects.filter(case__in=cases, status=EntryStatus.FINAL)
        .values("author_id")
        .distinct()
    ).order_by("full_name")
    return {
        "contact_types": list(ContactType.objects.filter(organisation_id=organisation_id)),
        "tags": list(Tag.objects.filter(organisation_id=organisation_id)),
        "authors": list(authors),
        "kinds": [
            (EntryKind.CASE_NOTE, "Case notes"),
            (EntryKind.INTERACTION, "Interactions"),
            (EntryKind.EVENT, "Timeline events"),
            (EntryKind.CORRECTION, "Corrections"),
        ],
    }
