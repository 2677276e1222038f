"""The dashboards' sections: what each is called, how its table is built, and its CSV.

The page and the export build a section the same way, so they never disagree: the page
shows the first rows and the total, the export every row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from caseledger.compliance import reports
from caseledger.compliance.reckoning import spreadsheet_safe
from caseledger.compliance.reports import Period, Reckoner, Scope, Series, Table


class Build(Protocol):
    """Every row (`limit` None), or the first `limit` and the total: as counted already
    (`reports.section_counts`), or counted here."""

    def __call__(
        self,
        scope: Scope,
        period: Period,
        reckoner: Reckoner,
        limit: int | None,
        total: int | None = None,
    ) -> Table[Any]: ...


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    summary: str
    build: Build
    header: tuple[str, ...]
    cells: Callable[[Any], Sequence[Any]]
    uses_period: bool = True


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _entries(
    query: Callable[[Scope, Period], Any],
) -> Build:
    def build(
        scope: Scope,
        period: Period,
        reckoner: Reckoner,
        limit: int | None,
        total: int | None = None,
    ) -> Table[Any]:
        return reports._table(query(scope, period), limit, total)

    return build


def _overdue_visits(
    scope: Scope,
    period: Period,
    reckoner: Reckoner,
    limit: int | None,
    total: int | None = None,
) -> Table[Any]:
    rows = reports.overdue_visits(scope, reckoner.today)
    return Table(total=len(rows), rows=rows if limit is None else rows[:limit])


SECTIONS: dict[str, Section] = {
    section.slug: section
    for section in (
        Section(
            slug="late-notes",
            title="Notes finalised late",
            summary="Finalised more working days after the event than the recording limit",
            build=_entries(reports.late_notes),
            header=(
                "Case reference",
                "Child",
                "Note",
                "Recorded by",
                "Date of event",
                "Date finalised",
                "Working days to finalise",
                "Case id",
                "Note id",
            ),
            cells=lambda row: (
                row.case_reference,
                row.child_name,
                row.heading,
                row.author,
                _day(row.occurred_on),
                _day(row.finalised_on),
                row.working_days_to_finalise,
                row.case_id,
                row.entry_id,
            ),
        ),
        Section(
            slug="overdue-drafts",
            title="Drafts past the recording limit",
            summary=(
                "Drafts not finalised within the recording limit, as of today. "
                "A draft's words are its author's alone, so only where it is and how late are shown"
            ),
            build=lambda scope, period, reckoner, limit, total=None: reports.overdue_drafts_table(
                scope, reckoner, limit, total
            ),
            header=(
                "Case reference",
                "Child",
                "Author",
                "Date of event (or started)",
                "Due",
                "Working days overdue",
                "Case id",
            ),
            cells=lambda row: (
                row.case_reference,
                row.child_name,
                row.author,
                _day(row.started_on),
                _day(row.due_on),
                row.working_days_overdue,
                row.case_id,
            ),
            uses_period=False,
        ),
        Section(
            slug="visits-without-answer",
            title="Visits without a child-seen answer",
            summary="Visit notes that do not say whether the child was seen",
            build=_entries(reports.visits_without_answer),
            header=(
                "Case reference",
                "Child",
                "Type of contact",
                "Note",
                "Recorded by",
                "Date of visit",
                "Case id",
                "Note id",
            ),
            cells=lambda row: (
                row.case_reference,
                row.child_name,
                row.contact_type,
                row.heading,
                row.author,
                _day(row.occurred_on),
                row.case_id,
                row.entry_id,
            ),
        ),
        Section(
            slug="overdue-visits",
            title="Children not seen within their visiting interval",
            summary=(
                "Open cases whose child was last seen on a visit longer ago than "
                "the interval for the type of case, or was never seen since the case opened"
            ),
            build=_overdue_visits,
            header=(
                "Case reference",
                "Child",
                "Type of case",
                "Worker",
                "Visit every (days)",
                "Last seen on a visit",
                "Case opened",
                "Visit was due",
                "Days since seen or opened",
                "Case id",
            ),
            cells=lambda row: (
                row.case_reference,
                row.child_name,
                row.case_type,
                row.worker,
                row.interval_days,
                _day(row.last_seen_on),
                _day(row.opened_on),
                _day(row.due_on),
                row.days_since,
                row.case_id,
            ),
            uses_period=False,
        ),
        Section(
            slug="significant-events",
            title="Significant events",
            summary="Entries marked significant, by the date of the event",
            build=_entries(reports.significant_events),
            header=(
                "Case reference",
                "Child",
                "Category",
                "Note",
                "Recorded by",
                "Date of event",
                "Case id",
                "Note id",
            ),
            cells=lambda row: (
                row.case_reference,
                row.child_name,
                row.significant_category,
                row.heading,
                row.author,
                _day(row.occurred_on),
                row.case_id,
                row.entry_id,
            ),
        ),
        Section(
            slug="unresolved-findings",
            title="Finalised notes with unresolved findings",
            summary=(
                "Notes finalised with recording-quality findings still standing, "
                "by the date they were finalised"
            ),
            build=lambda scope, period, reckoner, limit, total=None: (
                reports.unresolved_findings_table(scope, period, limit, total)
            ),
            header=(
                "Case reference",
                "Child",
                "Note",
                "Author",
                "Date finalised",
                "Unresolved findings",
                "Checks",
                "Case id",
                "Note id",
            ),
            cells=lambda row: (
                row.case_reference,
                row.child_name,
                row.heading,
                row.author,
                _day(row.finalised_on),
                row.findings,
                " ".join(row.codes),
                row.case_id,
                row.entry_id,
            ),
        ),
    )
}

TREND_HEADER = ("Month", "Team or worker", "Notes finalised", "Finalised late", "Percentage late")


def trend_rows(whole: Series, parts: Iterable[Series]) -> list[tuple[Any, ...]]:
    return [
        (
            month.month.strftime("%Y-%m"),
            series.name,
            month.finalised,
            month.late,
            "" if month.percent_late is None else month.percent_late,
        )
        for series in (whole, *parts)
        for month in series.months
    ]


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The table as CSV, every text cell safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()
