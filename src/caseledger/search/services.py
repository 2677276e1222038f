"""One search box over notes, interactions, timeline events, documents and children's names,
across exactly what the user may see, never more: results, counts and snippets alike.

Every query starts from `cases_visible_to(user)`, the single definition of who sees what, and
the full-text match is applied to the rows of those cases only. PostgreSQL answers with its
GIN-indexed `tsvector` (`plainto_tsquery`, English stemming, `ts_rank_cd`, `ts_headline`),
SQLite with FTS5 (porter stemming, `bm25`, `snippet`); the same behaviour tests run on both.
The words typed become a conjunction of plain terms on both: no operator syntax reaches the
engines, so nothing typed can widen a search or break it.

Snippets are built from the stored text with two control characters marking the matches,
then escaped, then the markers become `<mark>`: what a record says is never HTML.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from django.db import connection, transaction
from django.db.models import Q
from django.utils.safestring import SafeString, mark_safe

from caseledger.accounts.models import User
from caseledger.audit.models import Action
from caseledger.audit.services import record_event
from caseledger.cases.access import cases_visible_to, live_family_grants_for, live_grants_for
from caseledger.cases.models import Case
from caseledger.people.models import Child
from caseledger.search.models import SearchKind, case_scope, organisation_scope

PAGE_SIZE = 20
# Counts stop here ("more than 1,000 results"): past it, a person narrows the search.
COUNT_CAP = 1000
MAX_PAGES = COUNT_CAP // PAGE_SIZE
MAX_WORDS = 10
CHILDREN_SHOWN = 10
START, STOP = "\x02", "\x03"


class Order:
    RELEVANCE = "relevance"
    NEWEST = "newest"


@dataclass(frozen=True)
class Filters:
    child_id: UUID | None = None
    case_id: UUID | None = None
    kinds: tuple[str, ...] = ()
    category: str = ""
    date_from: date | None = None
    date_to: date | None = None
    order: str = Order.RELEVANCE


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: UUID
    case_id: UUID
    case_reference: str
    child_name: str
    occurred_on: date
    category: str
    title: SafeString
    snippet: SafeString
    # A document's results list the final notes on the user's cases that cite it.
    cited_by: tuple[tuple[UUID, str], ...] = ()

    @property
    def kind_label(self) -> str:
        return {
            SearchKind.NOTE: "Case note",
            SearchKind.INTERACTION: "Interaction",
            SearchKind.EVENT: "Timeline event",
            SearchKind.DOCUMENT: "Document",
        }[SearchKind(self.kind)]


@dataclass(frozen=True)
class Results:
    query: str
    words: list[str]
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    children: list[Child] = field(default_factory=list)

    @property
    def capped(self) -> bool:
        return self.total > COUNT_CAP

    @property
    def shown_total(self) -> int:
        return min(self.total, COUNT_CAP)

    @property
    def pages(self) -> int:
        return max(1, min(MAX_PAGES, -(-self.shown_total // PAGE_SIZE)))

    @property
    def first_number(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def words_of(query: str) -> list[str]:
    """The words searched for: letters and digits, lower case, at most `MAX_WORDS`."""
    return [word.lower() for word in re.findall(r"\w+", query)][:MAX_WORDS]


def marked_up(text: str) -> SafeString:
    """Text with match markers, escaped, the markers turned into <mark>."""
    escaped = html.escape(text, quote=False)
    return mark_safe(  # noqa: S308 - escaped above; only our own markers become tags
        escaped.replace(START, "<mark>").replace(STOP, "</mark>")
    )


CASELOAD_IDS = 500
SCOPE_WORDS = 2000


@dataclass(frozen=True)
class _Scope:
    """The visible cases as an SQL condition (always applied), and, where it is short enough,
    as scope words the full-text engine can narrow its match with before ranking."""

    sql: str
    params: list[Any]
    words: list[str] | None
    # The visible cases' ids when they are a caseload's short list; None for an organisation.
    case_ids: list[UUID] | None = None

    def cases(self, user: User) -> Any:
        """The visible cases for an ORM filter: the list in hand, else the query."""
        return self.case_ids if self.case_ids is not None else cases_visible_to(user)


def _scope(user: User) -> _Scope:
    """A caseload is a short list of case ids; someone who sees a whole organisation (an
    admin, a family) is that organisation's word, with any grants' cases beside it."""
    visible = cases_visible_to(user)
    ids = list(visible.values_list("id", flat=True)[: CASELOAD_IDS + 1])
    if not ids:
        return _Scope("1 = 0", [], [], [])
    if len(ids) <= CASELOAD_IDS:
        sql = f"e.case_id IN ({', '.join(['%s'] * len(ids))})"
        return _Scope(
            sql, [_db_id(value) for value in ids], [case_scope(value) for value in ids], ids
        )
    sql, params = visible.values("id").query.sql_with_params()
    words: list[str] | None = None
    # A family grant's cases are not listed by id, so with one the scope stays the SQL.
    if (
        user.organisation_id is not None
        and (user.is_organisation_admin or user.is_family_member)
        and not live_family_grants_for(user).exists()
    ):
        granted = list(live_grants_for(user).values_list("case_id", flat=True)[: SCOPE_WORDS + 1])
        if len(granted) <= SCOPE_WORDS:
            words = [organisation_scope(user.organisation_id)] + [
                case_scope(value) for value in granted
            ]
    return _Scope(f"e.case_id IN ({sql})", list(params), words)


def _db_id(value: UUID) -> Any:
    # UUIDs are stored as 32 hex digits on SQLite and as uuid on PostgreSQL.
    return value.hex if connection.vendor == "sqlite" else value


def _filters_sql(filters: Filters) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if filters.child_id is not None:
        where.append("e.child_id = %s")
        params.append(_db_id(filters.child_id))
    if filters.case_id is not None:
        where.append("e.case_id = %s")
        params.append(_db_id(filters.case_id))
    if filters.kinds:
        where.append(f"e.kind IN ({', '.join(['%s'] * len(filters.kinds))})")
        params.extend(filters.kinds)
    if filters.category:
        where.append("e.category = %s")
        params.append(filters.category)
    if filters.date_from is not None:
        where.append("e.occurred_on >= %s")
        params.append(filters.date_from)
    if filters.date_to is not None:
        where.append("e.occurred_on <= %s")
        params.append(filters.date_to)
    return where, params


class _Engine:
    """The vendor's full-text SQL."""

    def __init__(self, words: list[str], scope: list[str] | None = None) -> None:
        self.words = words
        self.scope = scope

    def match(self) -> tuple[str, list[Any], str, list[Any]]:
        """(FROM clause, its params, match condition, its params)."""
        raise NotImplementedError

    def rank(self) -> tuple[str, list[Any]]:
        """An SQL expression ranking a matched row, lower is better, and its params."""
        raise NotImplementedError

    def highlights(self, ids: list[int]) -> dict[int, tuple[str, str]]:
        raise NotImplementedError


class _Postgres(_Engine):
    def query_text(self) -> str:
        return " ".join(self.words)

    def match(self) -> tuple[str, list[Any], str, list[Any]]:
        return (
            "search_searchentry e, plainto_tsquery('english', %s) q",
            [self.query_text()],
            "e.vector @@ q",
            [],
        )

    def rank(self) -> tuple[str, list[Any]]:
        return "-ts_rank_cd(e.vector, q)", []

    def highlights(self, ids: list[int]) -> dict[int, tuple[str, str]]:
        options = (
            f"StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15, "
            'MaxFragments=2, FragmentDelimiter=" … "'
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.id, ts_headline('english', e.title, q, %s), "  # noqa: S608 - values are parameters
                "ts_headline('english', e.body, q, %s) "
                "FROM search_searchentry e, plainto_tsquery('english', %s) q "
                f"WHERE e.id IN ({', '.join(['%s'] * len(ids))})",
                [f"{options}, HighlightAll=true", options, self.query_text(), *ids],
            )
            return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}


class _Sqlite(_Engine):
    def expression(self) -> str:
        """Each word as a quoted FTS5 string in the title and body columns (an implicit AND,
        no operators from the user), then the scope words: FTS5 walks the caseload's short
        lists and seeks into the long list of a common word, rather than reading all of it."""
        return self._narrowed("title body", " ".join(f'"{word}"' for word in self.words))

    def snippet_expression(self) -> str:
        typed = " ".join(f'"{word}"' for word in self.words)
        return f"{{title body}} : ({typed})"

    def match(self) -> tuple[str, list[Any], str, list[Any]]:
        return (
            "search_fts JOIN search_searchentry e ON e.id = search_fts.rowid",
            [],
            "search_fts MATCH %s",
            [self.expression()],
        )

    def _narrowed(self, columns: str, words: str) -> str:
        expression = f"{{{columns}}} : ({words})"
        if self.scope is not None:
            expression += f" AND scope : ({' OR '.join(self.scope)})"
        return expression

    def rank(self) -> tuple[str, list[Any]]:
        """Best match first: records with every word in their title, then the rest; newest
        first within each (the caller's ORDER BY). One narrowed full-text lookup. FTS5's bm25
        would weigh every scope word of the expression for every row matched, a cost that
        grows with the caseload (over 100 ms for 30 cases at a million notes); this stays a
        few milliseconds."""
        typed = " ".join(f'"{word}"' for word in self.words)
        lookup = "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
        return f"CASE WHEN e.id IN ({lookup}) THEN 0 ELSE 1 END", [self._narrowed("title", typed)]

    def highlights(self, ids: list[int]) -> dict[int, tuple[str, str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, highlight(search_fts, 0, '{START}', '{STOP}'), "  # noqa: S608 - values are parameters
                f"snippet(search_fts, 1, '{START}', '{STOP}', ' … ', 30) "
                "FROM search_fts WHERE search_fts MATCH %s "
                f"AND rowid IN ({', '.join(['%s'] * len(ids))})",
                [self.snippet_expression(), *ids],
            )
            return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}


def _engine(words: list[str], scope: _Scope) -> _Engine:
    if connection.vendor == "postgresql":
        return _Postgres(words)
    return _Sqlite(words, scope.words)


def _matching_children(
    user: User, words: list[str], filters: Filters, scope: _Scope
) -> list[Child]:
    """Children the user may see whose names hold every word typed (as a word's start)."""
    if filters.kinds or filters.category or filters.case_id:
        return []
    visible = (
        Case.objects.filter(id__in=scope.case_ids)
        if scope.case_ids is not None
        else cases_visible_to(user)
    )
    children = Child.objects.filter(id__in=visible.values("child_id"))
    if filters.child_id is not None:
        children = children.filter(id=filters.child_id)
    for word in words:
        name = (
            Q(first_names__istartswith=word)
            | Q(last_name__istartswith=word)
            | Q(preferred_name__istartswith=word)
            | Q(first_names__icontains=f" {word}")
            | Q(last_name__icontains=f" {word}")
            | Q(last_name__icontains=f"-{word}")
        )
        children = children.filter(name)
    return list(children.order_by("last_name", "first_names", "id")[:CHILDREN_SHOWN])


def search(*, actor: User, query: str, filters: Filters, page: int = 1) -> Results:
    """Search what the user may see; the search (terms, filters, what was shown) is audited."""
    words = words_of(query)
    if not words:
        return Results(query=query, words=words)
    page = max(1, min(page, MAX_PAGES))
    scope = _scope(actor)
    engine = _engine(words, scope)
    source, source_params, match, match_params = engine.match()
    extra, extra_params = _filters_sql(filters)
    where = " AND ".join([match, scope.sql, *extra])
    params = [*source_params, *match_params, *scope.params, *extra_params]
    rank, rank_params = engine.rank()
    # One row per record: a document on two of the user's cases is one result. The matches
    # are materialised once, ranked (by relevance only when asked for), grouped into records
    # for the page, and counted (up to the cap) in the same statement.
    relevance = filters.order == Order.RELEVANCE
    ranked = rank if relevance else "0"
    ordering = "best, latest DESC, id DESC" if relevance else "latest DESC, id DESC"
    sql = (
        f"WITH m AS MATERIALIZED (SELECT e.id, e.kind, e.object_id, e.occurred_on, "  # noqa: S608 - values are parameters
        f"{ranked} AS rank FROM {source} WHERE {where}), "
        "page AS (SELECT MIN(id) AS id, MIN(rank) AS best, MAX(occurred_on) AS latest "
        f"FROM m GROUP BY kind, object_id ORDER BY {ordering} "
        f"LIMIT {PAGE_SIZE} OFFSET {(page - 1) * PAGE_SIZE}) "
        "SELECT id, (SELECT COUNT(*) FROM (SELECT DISTINCT kind, object_id FROM m "
        f"LIMIT {COUNT_CAP + 1}) c) FROM page ORDER BY {ordering}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(rank_params if relevance else []), *params])
        rows = cursor.fetchall()
        ids = [row[0] for row in rows]
        if rows:
            total = int(rows[0][1])
        else:  # a page past the last: count on its own
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT DISTINCT e.kind, e.object_id FROM {source} "  # noqa: S608 - values are parameters
                f"WHERE {where} LIMIT {COUNT_CAP + 1}) c",
                params,
            )
            (total,) = cursor.fetchone()
    hits = _hits(ids, engine, actor, scope)
    children = _matching_children(actor, words, filters, scope) if page == 1 else []
    _audit(actor, query, filters, page, total, hits, children)
    return Results(query=query, words=words, hits=hits, total=total, page=page, children=children)


def _citations(
    user: User, document_ids: list[UUID], scope: _Scope
) -> dict[UUID, list[tuple[UUID, str]]]:
    """The final entries citing each document, on cases the user sees: one query."""
    from caseledger.ledger.models import EntryDocument, EntryKind, EntryStatus
    from caseledger.vault.models import Document

    cited: dict[UUID, list[tuple[UUID, str]]] = {}
    if not document_ids:
        return cited
    # Any version of the document, as its page lists them; never a note moved to the right
    # child (rule 6) or its tombstone.
    lineage = dict(Document.objects.filter(pk__in=document_ids).values_list("lineage", "pk"))
    links = (
        EntryDocument.objects.filter(
            document__lineage__in=list(lineage),
            entry__status=EntryStatus.FINAL,
            entry__case__in=scope.cases(user),
            entry__tombstones__isnull=True,
        )
        .exclude(entry__kind=EntryKind.MOVED_OUT)
        .select_related("entry", "document")
        .order_by("-entry__occurred_at", "entry_id")
    )
    seen: set[tuple[UUID, UUID]] = set()
    for link in links:
        document_id = lineage[link.document.lineage]
        if (document_id, link.entry_id) in seen:
            continue
        seen.add((document_id, link.entry_id))
        cited.setdefault(document_id, []).append((link.entry_id, link.entry.heading))
    return cited


def _hits(ids: list[int], engine: _Engine, user: User, scope: _Scope) -> list[Hit]:
    if not ids:
        return []
    from caseledger.search.models import SearchEntry

    rows = {
        row.id: row
        for row in SearchEntry.objects.filter(id__in=ids).select_related("case", "child")
    }
    marked = engine.highlights(ids)
    cited = _citations(
        user, [row.object_id for row in rows.values() if row.kind == SearchKind.DOCUMENT], scope
    )
    hits: list[Hit] = []
    for row_id in ids:
        row = rows[row_id]
        title, snippet = marked.get(row_id, (row.title, row.body[:200]))
        hits.append(
            Hit(
                kind=row.kind,
                object_id=row.object_id,
                case_id=row.case_id,
                case_reference=row.case.reference,
                child_name=row.child.display_name,
                occurred_on=row.occurred_on,
                category=row.category,
                title=marked_up(title or row.title),
                snippet=marked_up(snippet or ""),
                cited_by=tuple(cited.get(row.object_id, [])[:5]),
            )
        )
    return hits


@transaction.atomic
def _audit(
    actor: User,
    query: str,
    filters: Filters,
    page: int,
    total: int,
    hits: list[Hit],
    children: list[Child],
) -> None:
    """ASVS 16.3.2: searches are reads. The words, the filters and the ids shown, never the
    text shown."""
    record_event(
        actor=actor,
        action=Action.SEARCHED,
        organisation=actor.organisation,
        detail={
            "query": query[:200],
            "filters": {
                name: (str(value) if value is not None else None)
                for name, value in (
                    ("child", filters.child_id),
                    ("case", filters.case_id),
                    ("kinds", ",".join(filters.kinds) or None),
                    ("category", filters.category or None),
                    ("from", filters.date_from),
                    ("to", filters.date_to),
                    ("order", filters.order),
                )
            },
            "page": page,
            "total": min(total, COUNT_CAP + 1),
            "shown": [f"{hit.kind}:{hit.object_id}" for hit in hits],
            "children": [str(child.id) for child in children],
        },
    )


def categories_for_filter(user: User) -> list[str]:
    """What the category filter offers: the user's organisation's types of contact and
    document categories, the channels of an interaction and the kinds of timeline event."""
    from caseledger.ledger.models import Channel, ContactType, EventType
    from caseledger.vault.models import DocumentCategory

    names: set[str] = {label for _, label in Channel.choices}
    names |= {label for _, label in EventType.choices}
    if user.organisation_id is not None:
        names |= set(
            ContactType.objects.filter(organisation_id=user.organisation_id).values_list(
                "name", flat=True
            )
        )
        names |= set(
            DocumentCategory.objects.filter(organisation_id=user.organisation_id).values_list(
                "name", flat=True
            )
        )
    return sorted(names, key=str.lower)


def cases_for_filter(user: User) -> list[Case]:
    """The cases the user may see, for the filters (a caseload; capped for an organisation)."""
    return list(
        cases_visible_to(user)
        .select_related("child")
        .order_by("child__last_name", "reference")[:500]
    )
