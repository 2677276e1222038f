"""The compliance dashboards' tables (recording rule 13: records are monitored by managers).

Every table is one or two aggregate or indexed queries whatever its size: a page shows the
first `PAGE_ROWS` rows and the total, and the CSV export streams the rest. Entries are
reached through their case (`entry_chronology` is (case, status, occurred_at, id)), so
each table filters on the event's date, not on when the note was finalised: "notes about
events in the period". Unresolved findings are the exception: `NoteFinding` is indexed by
when the note was finalised, and the period applies to that.

What counts:

* Entries moved away from the wrong child (rule 6) are left out: their copy on the right
  child's case counts instead. Tombstones are never counted.
* A visit note reopened and amended (rule 5) counts once, as its latest version, except for
  lateness: only the first version is stamped late or on time when it is finalised.
* "Visits without a child-seen answer" are final case notes of a type marked as a visit
  whose answer to "was the child seen?" is empty: a type of visit not marked as a visit to
  a child, or notes written before the question was asked.
* A child's visit counts towards their visiting interval only if it was a visit to the
  child and the child was seen. The clock starts at the later of that visit and the day the
  case was opened.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from caseledger.accounts.models import Organisation, Team, User
from caseledger.cases.models import Case as CaseRecord
from caseledger.cases.models import CaseStatus, CaseType
from caseledger.compliance.models import DEFAULT_VISIT_INTERVALS, VisitInterval
from caseledger.compliance.reckoning import latest_overdue_start, month_label, months_in
from caseledger.domain.working_days import WorkingDays
from caseledger.ledger.models import (
    ContactType,
    Entry,
    EntryKind,
    EntryStatus,
    SignificantCategory,
)
from caseledger.quality.models import NoteFinding
from caseledger.workdays.calendar import working_days

# Rows a dashboard table shows; the CSV export has them all.
PAGE_ROWS = 50


# --- Scope and period ------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """An organisation, or one of its teams: the cases allocated to that team."""

    organisation: Organisation
    team: Team | None = None

    def cases(self, prefix: str = "") -> Q:
        condition = Q(**{f"{prefix}organisation_id": self.organisation.pk})
        if self.team is not None:
            condition &= Q(**{f"{prefix}allocated_team_id": self.team.pk})
        return condition

    @property
    def name(self) -> str:
        return self.team.name if self.team is not None else self.organisation.name


@dataclass(frozen=True)
class Period:
    """From the start of `start` to the end of `end`, Europe/London days."""

    start: date
    end: date

    @property
    def starts_at(self) -> datetime:
        return start_of(self.start)

    @property
    def ends_before(self) -> datetime:
        return start_of(self.end + timedelta(days=1))


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class Table[RowT]:
    total: int
    rows: list[RowT]

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


def child_name(first_names: str, preferred_name: str, last_name: str) -> str:
    """As `Child.display_name`, from the columns alone."""
    return f"{preferred_name or first_names} {last_name}"


def not_moved_away() -> Q:
    """Leaves out tombstones and notes moved to the right child's case (rule 6)."""
    return ~Q(kind=EntryKind.MOVED_OUT) & Q(
        ~Exists(Entry.objects.filter(moved_entry=OuterRef("pk")))
    )


def not_superseded() -> Q:
    """Leaves out earlier versions of a reopened visit note (rule 5)."""
    return Q(~Exists(Entry.objects.filter(previous_version=OuterRef("pk"))))


def in_scope(scope: Scope) -> Q:
    """Entries on the scope's cases, as a test of each entry's case: the tables read their
    entries from the partial index that matches them (ledger `Entry.Meta.indexes`), not
    every entry of every case in the scope."""
    return Q(Exists(CaseRecord.objects.filter(scope.cases(), pk=OuterRef("case_id"))))


def final_entries(scope: Scope) -> QuerySet[Entry]:
    return Entry.objects.filter(in_scope(scope), status=EntryStatus.FINAL).filter(not_moved_away())


def in_period(period: Period, field: str = "occurred_at") -> Q:
    return Q(**{f"{field}__gte": period.starts_at, f"{field}__lt": period.ends_before})


# --- Entry rows ------------------------------------------------------------------------------

ENTRY_LIST_FIELDS = (
    "id",
    "case_id",
    "kind",
    "title",
    "channel",
    "event_type",
    "occurred_at",
    "finalised_at",
    "working_days_to_finalise",
    "significant_category",
    "case__reference",
    "case__child__first_names",
    "case__child__preferred_name",
    "case__child__last_name",
    "author__full_name",
    "contact_type__name",
    # `Entry.heading` names who an untitled interaction was with.
    "contact_name",
    "contact_organisation",
)


@dataclass(frozen=True)
class EntryRow:
    entry_id: UUID
    case_id: UUID
    case_reference: str
    child_name: str
    heading: str
    author: str
    occurred_on: date | None
    finalised_on: date | None
    working_days_to_finalise: int | None
    contact_type: str
    significant_category: str


def _entry_rows(entries: QuerySet[Entry]) -> Iterator[EntryRow]:
    for entry in entries.select_related("case__child", "author", "contact_type").only(
        *ENTRY_LIST_FIELDS
    ):
        yield EntryRow(
            entry_id=entry.id,
            case_id=entry.case_id,
            case_reference=entry.case.reference,
            child_name=entry.case.child.display_name,
            heading=entry.heading,
            author=entry.author.full_name,
            occurred_on=timezone.localdate(entry.occurred_at) if entry.occurred_at else None,
            finalised_on=timezone.localdate(entry.finalised_at) if entry.finalised_at else None,
            working_days_to_finalise=entry.working_days_to_finalise,
            contact_type=entry.contact_type.name if entry.contact_type else "",
            significant_category=(
                SignificantCategory(entry.significant_category).label
                if entry.significant_category in SignificantCategory.values
                else ""
            ),
        )


def _table(
    entries: QuerySet[Entry], limit: int | None, total: int | None = None
) -> Table[EntryRow]:
    """All the rows (`limit` None, for the export), or the first `limit` and the total: as
    counted already (`section_counts`), or counted here. Always the same queries."""
    if limit is None:
        return Table(total=-1, rows=list(_entry_rows(entries)))
    rows = list(_entry_rows(entries[:limit]))
    return Table(total=entries.count() if total is None else total, rows=rows)


def late_notes(scope: Scope, period: Period) -> QuerySet[Entry]:
    """Notes finalised more than the organisation's limit of working days after the event
    (rule 2), as stamped when they were finalised."""
    return (
        final_entries(scope)
        .filter(in_period(period), finalised_late=True)
        .order_by("-occurred_at", "-id")
    )


def visits_without_answer(scope: Scope, period: Period) -> QuerySet[Entry]:
    return (
        final_entries(scope)
        .filter(
            in_period(period),
            kind=EntryKind.CASE_NOTE,
            # The visit types, as a list: each is a range of `entry_unanswered_by_type`.
            contact_type_id__in=ContactType.objects.filter(is_visit=True).values("id"),
            child_seen__isnull=True,
        )
        .filter(not_superseded())
        .order_by("-occurred_at", "-id")
    )


def significant_events(scope: Scope, period: Period) -> QuerySet[Entry]:
    """Rule 8: the entries marked significant, in the period."""
    return (
        final_entries(scope)
        .filter(in_period(period), significant=True)
        .filter(not_superseded())
        .order_by("-occurred_at", "-id")
    )


# --- Drafts past their deadline --------------------------------------------------------------


@dataclass(frozen=True)
class DraftRow:
    """A draft is its author's alone (rule 3): no title or words, only where and how late."""

    case_id: UUID
    case_reference: str
    child_name: str
    author: str
    started_on: date
    due_on: date
    working_days_overdue: int


@dataclass(frozen=True)
class AuthorDrafts:
    author: str
    drafts: int
    oldest_due_on: date


@dataclass(frozen=True)
class Reckoner:
    """What a page needs to know about today once: the date, the working-day calendar (one
    query for one-off holidays), and the limit."""

    today: date
    calendar: WorkingDays
    limit: int

    @classmethod
    def for_organisation(cls, organisation: Organisation) -> Reckoner:
        return cls(
            today=timezone.localdate(),
            calendar=working_days(),
            limit=organisation.recording_limit_working_days,
        )

    @property
    def drafts_started_before(self) -> datetime:
        """A draft whose event (or, with no event date, whose start) is before this moment
        is past its deadline today (ledger.timeliness.deadline_for)."""
        return start_of(
            latest_overdue_start(self.today, self.limit, self.calendar) + timedelta(days=1)
        )

    def due_on(self, started_on: date) -> date:
        return self.calendar.add(started_on, self.limit)


def overdue_drafts(scope: Scope, reckoner: Reckoner) -> QuerySet[Entry]:
    cutoff = reckoner.drafts_started_before
    return (
        Entry.objects.filter(in_scope(scope), status=EntryStatus.DRAFT)
        .filter(Q(occurred_at__lt=cutoff) | Q(occurred_at__isnull=True, recorded_at__lt=cutoff))
        .annotate(started_at=Coalesce("occurred_at", "recorded_at"))
        .order_by("started_at", "id")
    )


def _draft_rows(drafts: QuerySet[Entry], reckoner: Reckoner) -> Iterator[DraftRow]:
    for values in drafts.values(
        "case_id",
        "case__reference",
        "case__child__first_names",
        "case__child__preferred_name",
        "case__child__last_name",
        "author__full_name",
        "occurred_at",
        "recorded_at",
    ):
        # A draft's clock starts at the event, or when it was begun if it has no date yet.
        started_on = timezone.localdate(values["occurred_at"] or values["recorded_at"])
        due_on = reckoner.due_on(started_on)
        yield DraftRow(
            case_id=values["case_id"],
            case_reference=values["case__reference"],
            child_name=child_name(
                values["case__child__first_names"],
                values["case__child__preferred_name"],
                values["case__child__last_name"],
            ),
            author=values["author__full_name"],
            started_on=started_on,
            due_on=due_on,
            working_days_overdue=reckoner.calendar.between(due_on, reckoner.today),
        )


def overdue_drafts_table(
    scope: Scope, reckoner: Reckoner, limit: int | None, total: int | None = None
) -> Table[DraftRow]:
    drafts = overdue_drafts(scope, reckoner)
    if limit is None:
        return Table(total=-1, rows=list(_draft_rows(drafts, reckoner)))
    rows = list(_draft_rows(drafts[:limit], reckoner))
    return Table(total=drafts.count() if total is None else total, rows=rows)


def overdue_drafts_by_author(scope: Scope, reckoner: Reckoner) -> list[AuthorDrafts]:
    """How many drafts past their deadline each author has, most first."""
    grouped = (
        overdue_drafts(scope, reckoner)
        .order_by()
        .values("author_id", "author__full_name")
        .annotate(drafts=Count("id"), oldest=Min("started_at"))
        .order_by("-drafts", "author__full_name")
    )
    return [
        AuthorDrafts(
            author=row["author__full_name"],
            drafts=row["drafts"],
            oldest_due_on=reckoner.due_on(timezone.localdate(row["oldest"])),
        )
        for row in grouped
    ]


# --- Children not visited within their interval ---------------------------------------------


def intervals_for(organisation: Organisation) -> dict[str, int | None]:
    """Days between visits for each type of case: the organisation's own, or the default."""
    intervals = dict(DEFAULT_VISIT_INTERVALS)
    intervals.update(
        VisitInterval.objects.filter(organisation=organisation).values_list(
            "case_type", "interval_days"
        )
    )
    return intervals


@dataclass(frozen=True)
class OverdueVisitRow:
    case_id: UUID
    case_reference: str
    child_name: str
    case_type: str
    worker: str
    team_id: UUID | None
    interval_days: int
    last_seen_on: date | None
    opened_on: date
    due_on: date
    days_since: int


def last_time_seen() -> Subquery:
    """When the child was last seen on a visit to them, recorded on this case."""
    return Subquery(
        Entry.objects.filter(
            case=OuterRef("pk"),
            status=EntryStatus.FINAL,
            contact_type__visit_to_child=True,
            child_seen=True,
        )
        .filter(not_moved_away() & not_superseded())
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )


def overdue_visits(scope: Scope, today: date) -> list[OverdueVisitRow]:
    """Open cases of a monitored type whose child was last seen (or whose case was opened)
    longer ago than the interval, the longest overdue first. One query."""
    intervals = {kind: days for kind, days in intervals_for(scope.organisation).items() if days}
    if not intervals:
        return []
    overdue = Q()
    for kind, days in intervals.items():
        reference_day = today - timedelta(days=days)
        overdue |= Q(case_type=kind, opened_on__lt=reference_day) & (
            Q(last_seen__isnull=True) | Q(last_seen__lt=start_of(reference_day))
        )
    rows = []
    for values in (
        CaseRecord.objects.filter(
            scope.cases(), status=CaseStatus.OPEN, case_type__in=list(intervals)
        )
        .annotate(last_seen=last_time_seen())
        .filter(overdue)
        .values(
            "id",
            "reference",
            "case_type",
            "opened_on",
            "last_seen",
            "allocated_team_id",
            "child__first_names",
            "child__preferred_name",
            "child__last_name",
            "allocated_worker__full_name",
        )
    ):
        last_seen_on = timezone.localdate(values["last_seen"]) if values["last_seen"] else None
        since = max(last_seen_on or values["opened_on"], values["opened_on"])
        days = intervals[values["case_type"]]
        rows.append(
            OverdueVisitRow(
                case_id=values["id"],
                case_reference=values["reference"],
                child_name=child_name(
                    values["child__first_names"],
                    values["child__preferred_name"],
                    values["child__last_name"],
                ),
                case_type=CaseType(values["case_type"]).label,
                worker=values["allocated_worker__full_name"] or "",
                team_id=values["allocated_team_id"],
                interval_days=days,
                last_seen_on=last_seen_on,
                opened_on=values["opened_on"],
                due_on=since + timedelta(days=days),
                days_since=(today - since).days,
            )
        )
    rows.sort(key=lambda row: (row.due_on, row.case_reference))
    return rows


# --- Finalised notes with unresolved findings -------------------------------------------------


@dataclass(frozen=True)
class FindingRow:
    entry_id: UUID
    case_id: UUID
    case_reference: str
    child_name: str
    heading: str
    author: str
    finalised_on: date
    findings: int
    codes: tuple[str, ...]


# A note moved to the right child's case (rule 6) keeps the findings it was finalised with:
# they count against its copy there (`reindexed_copies`: at most one, a note is moved once),
# on the copy's case and team. The original is never shown.
COPY = "entry__reindexed_copies__"


def unresolved_findings(scope: Scope, period: Period) -> QuerySet[NoteFinding]:
    """Findings the author left standing when they finalised the note (issue: rule 12)."""
    findings = NoteFinding.objects.filter(
        in_period(period, "finalised_at"),
        organisation_id=scope.organisation.pk,  # `finding_org_open`
        resolved=False,
    )
    if scope.team is not None:
        findings = findings.filter(
            Q(**{f"{COPY}id__isnull": True, "case__allocated_team_id": scope.team.pk})
            | Q(**{f"{COPY}case__allocated_team_id": scope.team.pk})
        )
    return findings


def _finding_team() -> Case:
    """The team whose dashboard counts a finding: its note's copy's, if the note was moved."""
    return Case(
        When(**{f"{COPY}id__isnull": False}, then=F(f"{COPY}case__allocated_team_id")),
        default=F("case__allocated_team_id"),
    )


def _finding_rows(findings: QuerySet[NoteFinding], with_codes: bool) -> list[FindingRow]:
    grouped = list(
        findings.order_by()
        .values(
            "entry_id",
            "case_id",
            "finalised_at",
            "entry__title",
            "case__reference",
            "case__child__first_names",
            "case__child__preferred_name",
            "case__child__last_name",
            "author__full_name",
            f"{COPY}id",
            f"{COPY}case_id",
            f"{COPY}case__reference",
            f"{COPY}case__child__first_names",
            f"{COPY}case__child__preferred_name",
            f"{COPY}case__child__last_name",
        )
        .annotate(findings=Count("id"))
        .order_by("-finalised_at", "-entry_id")
    )
    codes: dict[UUID, set[str]] = defaultdict(set)
    if with_codes and grouped:
        for entry_id, code in findings.filter(
            entry_id__in=[row["entry_id"] for row in grouped]
        ).values_list("entry_id", "code"):
            codes[entry_id].add(code)
    rows = []
    for row in grouped:
        # Shown as the note's copy on the right child's case, if it was moved.
        shown = COPY if row[f"{COPY}id"] is not None else ""
        rows.append(
            FindingRow(
                entry_id=row[f"{shown}id" if shown else "entry_id"],
                case_id=row[f"{shown}case_id"],
                case_reference=row[f"{shown}case__reference"],
                child_name=child_name(
                    row[f"{shown}case__child__first_names"],
                    row[f"{shown}case__child__preferred_name"],
                    row[f"{shown}case__child__last_name"],
                ),
                heading=row["entry__title"] or "Case note",
                author=row["author__full_name"],
                finalised_on=timezone.localdate(row["finalised_at"]),
                findings=row["findings"],
                codes=tuple(sorted(codes[row["entry_id"]])),
            )
        )
    return rows


def unresolved_findings_table(
    scope: Scope, period: Period, limit: int | None, total: int | None = None
) -> Table[FindingRow]:
    findings = unresolved_findings(scope, period)
    if limit is None:
        return Table(total=-1, rows=_finding_rows(findings, with_codes=True))
    # A page: the newest `limit` notes, found from their findings' entry ids.
    newest = list(
        findings.order_by()
        .values("entry_id")
        .annotate(latest=Max("finalised_at"))
        .order_by("-latest", "-entry_id")
        .values_list("entry_id", flat=True)[:limit]
    )
    rows = _finding_rows(findings.filter(entry_id__in=newest), with_codes=True) if newest else []
    if total is None:
        total = findings.order_by().values("entry_id").distinct().count()
    return Table(total=total, rows=rows)


# --- Per team counts for the organisation's dashboard ----------------------------------------

SECTIONS = (
    "late-notes",
    "overdue-drafts",
    "visits-without-answer",
    "overdue-visits",
    "significant-events",
    "unresolved-findings",
)


def section_counts(
    scope: Scope, period: Period, reckoner: Reckoner
) -> dict[str, dict[UUID | None, int]]:
    """For each section but the overdue visits, how many rows each team has (None: cases
    with no team): the totals of the tables, as the tables choose their rows. One query."""
    team = F("case__allocated_team_id")
    parts: list[tuple[str, QuerySet[Any], Any, str]] = [
        ("late-notes", late_notes(scope, period), team, "id"),
        ("overdue-drafts", overdue_drafts(scope, reckoner), team, "id"),
        ("visits-without-answer", visits_without_answer(scope, period), team, "id"),
        ("significant-events", significant_events(scope, period), team, "id"),
        ("unresolved-findings", unresolved_findings(scope, period), _finding_team(), "entry_id"),
    ]
    grouped = [
        rows.order_by()
        .annotate(section=Value(slug), team=team_of)
        .values("section", "team")
        .annotate(n=Count(counted, distinct=counted != "id"))
        .values_list("section", "team", "n")
        for slug, rows, team_of, counted in parts
    ]
    counts: dict[str, dict[UUID | None, int]] = {slug: {} for slug, *_ in parts}
    for slug, team_id, n in grouped[0].union(*grouped[1:], all=True).order_by():
        counts[slug][_uuid(team_id)] = n
    return counts


def _uuid(value: Any) -> UUID | None:
    """A team id read from a union (SQLite gives the column's text)."""
    if value is None or isinstance(value, UUID):
        return value
    return UUID(str(value))


def counts_by_team(
    organisation: Organisation, period: Period, reckoner: Reckoner
) -> dict[str, dict[UUID | None, int]]:
    """For each section, how many rows each team has (None: cases with no team). Two
    queries: the grouped counts, and the overdue visits."""
    scope = Scope(organisation)
    counts = section_counts(scope, period, reckoner)
    visits: dict[UUID | None, int] = defaultdict(int)
    for row in overdue_visits(scope, reckoner.today):
        visits[row.team_id] += 1
    counts["overdue-visits"] = dict(visits)
    return {slug: counts[slug] for slug in SECTIONS}


# --- Trends ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthFigures:
    month: date
    finalised: int
    late: int

    @property
    def label(self) -> str:
        return month_label(self.month)

    @property
    def percent_late(self) -> float | None:
        if not self.finalised:
            return None
        return round(100 * self.late / self.finalised, 1)


@dataclass(frozen=True)
class Series:
    """One team's or one worker's months, in order."""

    key: str
    name: str
    months: tuple[MonthFigures, ...]

    @property
    def finalised(self) -> int:
        return sum(month.finalised for month in self.months)

    @property
    def late(self) -> int:
        return sum(month.late for month in self.months)

    @property
    def percent_late(self) -> float | None:
        return round(100 * self.late / self.finalised, 1) if self.finalised else None


def _month_number(months: list[date]) -> Case:
    """Which of `months` an entry's event falls in (Europe/London), by comparing with the
    months' first moments: cheap on every database, from the index alone."""
    return Case(
        *(
            When(occurred_at__gte=start_of(month), then=Value(number))
            for number, month in reversed(list(enumerate(months)))
            if number
        ),
        default=Value(0),
        output_field=IntegerField(),
    )


def trends(scope: Scope, period: Period, by: str) -> tuple[Series, list[Series]]:
    """Notes finalised and how many late, per month of the event, for the whole scope and
    for each author (`by="author"`) or each team (`by="team"`). One query.

    Only entries stamped on time or late when finalised count: case notes and interactions
    (never a tombstone). A note moved to the right child (rule 6) counts once, as its copy:
    its original is counted and taken away again, which reads a handful of rows where
    leaving it out would ask about every row.

    The counts come from `entry_timeliness_trend` alone: per case (or author) and month,
    then summed per team (or author) with the names.
    """
    months = months_in(period.start, period.end)
    stamped = Entry.objects.filter(
        scope.cases("case__"), status=EntryStatus.FINAL, finalised_late__isnull=False
    ).filter(in_period(period))
    # Read from the tombstones: a few rows by their ids.
    moved = Entry.objects.filter(
        in_scope(scope),
        in_period(period),
        pk__in=Entry.objects.filter(moved_entry__isnull=False).values("moved_entry_id"),
        status=EntryStatus.FINAL,
        finalised_late__isnull=False,
    )
    key_field = "author_id" if by == "author" else "case_id"
    counted = [
        rows.order_by()
        .annotate(key=F(key_field), month_number=_month_number(months), sign=Value(sign))
        .values("key", "month_number", "sign")
        .annotate(
            finalised=Count("finalised_late"),
            late=Count("finalised_late", filter=Q(finalised_late=True)),
        )
        .values_list("key", "month_number", "sign", "finalised", "late")
        for rows, sign in ((stamped, 1), (moved, -1))
    ]
    inner, params = counted[0].union(counted[1], all=True).order_by().query.sql_with_params()
    quote = connection.ops.quote_name
    # Only names from the models go into the statement, quoted; every value is a parameter.
    if by == "author":
        group, name, joins = (
            f"u.{quote('id')}",
            f"u.{quote('full_name')}",
            f"INNER JOIN {quote(User._meta.db_table)} u ON u.{quote('id')} = x.{quote('key')}",
        )
    else:
        team_id, cases = quote("allocated_team_id"), quote(CaseRecord._meta.db_table)
        group, name, joins = (
            f"c.{team_id}",
            f"t.{quote('name')}",
            f"INNER JOIN {cases} c ON c.{quote('id')} = x.{quote('key')} "
            f"LEFT OUTER JOIN {quote(Team._meta.db_table)} t ON t.{quote('id')} = c.{team_id}",
        )
    month_col, sign_col, finalised_col, late_col = (
        f"x.{quote(column)}" for column in ("month_number", "sign", "finalised", "late")
    )
    sql = (
        # Only quoted table and column names are interpolated; every value is a parameter.
        f"SELECT {group}, {name}, {month_col}, SUM({sign_col} * {finalised_col}), "  # noqa: S608
        f"SUM({sign_col} * {late_col}) FROM ({inner}) x {joins} "
        f"GROUP BY {group}, {name}, {month_col}"
    )
    cells: dict[tuple[str, date], tuple[int, int]] = {}
    names: dict[str, str] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for group_id, group_name, number, finalised, late in cursor.fetchall():
            if not finalised:
                continue
            key = str(_uuid(group_id) or "")
            names[key] = group_name or "No team"
            cells[(key, months[number])] = (int(finalised), int(late))

    def series(key: str, name: str, keys: Iterable[str]) -> Series:
        wanted = set(keys)
        return Series(
            key=key,
            name=name,
            months=tuple(
                MonthFigures(
                    month=month,
                    finalised=sum(cells.get((k, month), (0, 0))[0] for k in wanted),
                    late=sum(cells.get((k, month), (0, 0))[1] for k in wanted),
                )
                for month in months
            ),
        )

    whole = series("all", scope.name, names)
    parts = sorted(
        (series(key, name, [key]) for key, name in names.items()),
        key=lambda item: (item.name == "No team", item.name),
    )
    return whole, parts
