"""Compliance dashboards for managers (recording rule 13). Thin: check access, read the
period, build the tables (`reports`, `tables`), render or export.

Dashboards list cases a viewer may already open, by the child's name, with what was
recorded: each view is logged as a read (with the cases it listed), and each CSV export too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseledger.accounts.models import Organisation, Team
from caseledger.compliance import charts, services
from caseledger.compliance.access import (
    access_organisation_dashboard,
    access_team_dashboard,
    access_visit_interval_settings,
    monitors_organisation,
    teams_monitored_by,
)
from caseledger.compliance.forms import PeriodForm, VisitIntervalsForm
from caseledger.compliance.reckoning import (
    LONGEST_TREND_MONTHS,
    default_period,
    default_trend_period,
)
from caseledger.compliance.reports import (
    PAGE_ROWS,
    Period,
    Reckoner,
    Scope,
    Series,
    counts_by_team,
    intervals_for,
    overdue_drafts_by_author,
    section_counts,
    trends,
)
from caseledger.compliance.tables import SECTIONS, TREND_HEADER, csv_text, trend_rows
from caseledger.ui.pages import acting_user, call_service, render_form_page


def _period(request: HttpRequest, *, trend: bool = False) -> tuple[PeriodForm, Period]:
    today = timezone.localdate()
    form = PeriodForm(
        request.GET or None,
        default=default_trend_period(today) if trend else default_period(today),
        longest_months=LONGEST_TREND_MONTHS if trend else 0,
    )
    start, end = form.period()
    if not form.is_bound:
        # Show the dates the page is for, so the reader can change them.
        form = PeriodForm(
            initial={"date_from": start, "date_to": end},
            default=form.default,
            longest_months=form.longest_months,
        )
    return form, Period(start, end)


def _page(request: HttpRequest, template: str, form: PeriodForm, **context: Any) -> HttpResponse:
    """A dashboard page: a wrong date is a 400 with the GOV.UK error summary, like the
    chronology's filters; the page still shows the default period."""
    return render(
        request,
        template,
        {
            "form": form,
            "forms_to_check": [form],
            "page_has_errors": bool(form.errors),
            "query": request.GET.urlencode(),
            "page_rows": PAGE_ROWS,
            **context,
        },
        status=400 if form.errors else 200,
    )


def _log_view(
    request: HttpRequest,
    *,
    page: str,
    scope: Scope,
    period: Period | None,
    case_ids: list[Any] | None = None,
) -> None:
    services.record_view(
        actor=acting_user(request),
        organisation=scope.organisation,
        page=page,
        scope=str(scope.team.id) if scope.team is not None else "organisation",
        filters=(
            {"from": period.start.isoformat(), "to": period.end.isoformat()} if period else {}
        ),
        case_ids=case_ids or [],
    )


def _tables(scope: Scope, period: Period, reckoner: Reckoner) -> list[tuple[Any, Any]]:
    """Every section's first rows; their totals from one grouped query."""
    counts = section_counts(scope, period, reckoner)
    return [
        (
            section,
            section.build(
                scope,
                period,
                reckoner,
                PAGE_ROWS,
                sum(counts[section.slug].values()) if section.slug in counts else None,
            ),
        )
        for section in SECTIONS.values()
    ]


@require_http_methods(["GET"])
def organisation(request: HttpRequest) -> HttpResponse:
    """An admin's organisation-wide summary; a team manager is taken to their team (or
    chooses one, if they manage several)."""
    user = acting_user(request)
    if not monitors_organisation(user):
        teams = list(teams_monitored_by(user))
        if not teams:
            raise Http404
        if len(teams) == 1:
            return redirect("compliance:team", team_id=teams[0].id)
        return render(request, "compliance/team_picker.html", {"teams": teams})
    organisation = access_organisation_dashboard(user)
    form, period = _period(request)
    reckoner = Reckoner.for_organisation(organisation)
    counts = counts_by_team(organisation, period, reckoner)
    teams = list(teams_monitored_by(user))
    rows = [(team, [counts[slug].get(team.id, 0) for slug in SECTIONS]) for team in teams]
    no_team = [counts[slug].get(None, 0) for slug in SECTIONS]
    totals = [(section, sum(counts[section.slug].values())) for section in SECTIONS.values()]
    _log_view(request, page="organisation", scope=Scope(organisation), period=period)
    return _page(
        request,
        "compliance/organisation.html",
        form,
        organisation=organisation,
        period=period,
        sections=list(SECTIONS.values()),
        rows=rows,
        no_team=no_team if any(no_team) else None,
        totals=totals,
    )


@require_http_methods(["GET"])
def organisation_section(request: HttpRequest, section: str) -> HttpResponse:
    """One section's table across the whole organisation, teams and no team alike."""
    organisation = access_organisation_dashboard(acting_user(request))
    chosen = SECTIONS.get(section)
    if chosen is None:
        raise Http404
    form, period = _period(request)
    scope = Scope(organisation)
    reckoner = Reckoner.for_organisation(organisation)
    table = chosen.build(scope, period, reckoner, PAGE_ROWS, None)
    _log_view(
        request,
        page=chosen.slug,
        scope=scope,
        period=period,
        case_ids=[row.case_id for row in table.rows],
    )
    return _page(
        request,
        "compliance/section.html",
        form,
        organisation=organisation,
        scope=scope,
        period=period,
        section=chosen,
        table=table,
        authors=(
            overdue_drafts_by_author(scope, reckoner) if chosen.slug == "overdue-drafts" else None
        ),
    )


@require_http_methods(["GET"])
def team(request: HttpRequest, team_id: UUID) -> HttpResponse:
    user = acting_user(request)
    chosen_team = access_team_dashboard(user, team_id)
    form, period = _period(request)
    scope = Scope(chosen_team.organisation, chosen_team)
    reckoner = Reckoner.for_organisation(chosen_team.organisation)
    tables = _tables(scope, period, reckoner)
    _log_view(
        request,
        page="team",
        scope=scope,
        period=period,
        case_ids=[row.case_id for _, table in tables for row in table.rows],
    )
    return _page(
        request,
        "compliance/team.html",
        form,
        organisation=chosen_team.organisation,
        team=chosen_team,
        scope=scope,
        period=period,
        tables=tables,
        authors=overdue_drafts_by_author(scope, reckoner),
        other_teams=monitors_organisation(user) or len(user.managed_team_ids) > 1,
    )


def _charts(whole: Series) -> dict[str, charts.BarChart]:
    points = [(month.label, float(month.finalised)) for month in whole.months]
    late = [(month.label, month.percent_late) for month in whole.months]
    return {
        "finalised": charts.bar_chart(
            title=f"Notes finalised per month, {whole.name}", points=points
        ),
        "late": charts.bar_chart(
            title=f"Percentage of notes finalised late per month, {whole.name}",
            points=late,
            unit="%",
            ceiling=100,
            empty_text="no notes",
        ),
    }


def _part_charts(parts: list[Series]) -> list[tuple[Series, charts.BarChart]]:
    return [
        (
            part,
            charts.bar_chart(
                title=f"Percentage of notes finalised late per month, {part.name}",
                points=[(month.label, month.percent_late) for month in part.months],
                unit="%",
                ceiling=100,
                empty_text="no notes",
            ),
        )
        for part in parts
    ]


@require_http_methods(["GET"])
def organisation_trends(request: HttpRequest) -> HttpResponse:
    organisation = access_organisation_dashboard(acting_user(request))
    form, period = _period(request, trend=True)
    whole, parts = trends(Scope(organisation), period, by="team")
    _log_view(request, page="trends", scope=Scope(organisation), period=period)
    return _page(
        request,
        "compliance/trends.html",
        form,
        organisation=organisation,
        team=None,
        period=period,
        whole=whole,
        charts=_charts(whole),
        parts=_part_charts(parts),
        part_noun="team",
    )


@require_http_methods(["GET"])
def team_trends(request: HttpRequest, team_id: UUID) -> HttpResponse:
    chosen_team = access_team_dashboard(acting_user(request), team_id)
    form, period = _period(request, trend=True)
    scope = Scope(chosen_team.organisation, chosen_team)
    whole, parts = trends(scope, period, by="author")
    _log_view(request, page="trends", scope=scope, period=period)
    return _page(
        request,
        "compliance/trends.html",
        form,
        organisation=chosen_team.organisation,
        team=chosen_team,
        period=period,
        whole=whole,
        charts=_charts(whole),
        parts=_part_charts(parts),
        part_noun="worker",
    )


def _csv(
    request: HttpRequest,
    *,
    organisation: Organisation,
    team: Team | None,
    section: str,
) -> HttpResponse:
    user = acting_user(request)
    scope = Scope(organisation, team)
    trend = section == "trends"
    if not trend and section not in SECTIONS:
        raise Http404
    form, period = _period(request, trend=trend)
    if form.errors:
        # Export only what the page shows: a wrong date is put right on the page first.
        raise Http404
    header: Sequence[str]
    rows: list[Sequence[Any]]
    if trend:
        whole, parts = trends(scope, period, by="team" if team is None else "author")
        header, rows = TREND_HEADER, list(trend_rows(whole, parts))
    else:
        chosen = SECTIONS[section]
        table = chosen.build(scope, period, Reckoner.for_organisation(organisation), None, None)
        header, rows = chosen.header, [chosen.cells(row) for row in table.rows]
    filters = (
        {"from": period.start.isoformat(), "to": period.end.isoformat()}
        if trend or SECTIONS[section].uses_period
        else {}
    )
    services.record_export(
        actor=user,
        organisation=organisation,
        table=section,
        scope=str(team.id) if team is not None else "organisation",
        filters=filters,
        rows=len(rows),
    )
    name = "-".join(
        [section, *(["team"] if team is not None else []), timezone.localdate().isoformat()]
    )
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET"])
def organisation_export(request: HttpRequest, section: str) -> HttpResponse:
    organisation = access_organisation_dashboard(acting_user(request))
    return _csv(request, organisation=organisation, team=None, section=section)


@require_http_methods(["GET"])
def team_export(request: HttpRequest, team_id: UUID, section: str) -> HttpResponse:
    chosen_team = access_team_dashboard(acting_user(request), team_id)
    return _csv(request, organisation=chosen_team.organisation, team=chosen_team, section=section)


@require_http_methods(["GET", "POST"])
def visit_intervals(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    organisation = access_visit_interval_settings(user)
    current = intervals_for(organisation)
    form = VisitIntervalsForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: services.set_visit_intervals(
                actor=user, organisation=organisation, intervals=form.intervals()
            ),
        )
        if saved is not None:
            messages.success(request, "Visiting intervals have been saved")
            return redirect("compliance:visit-intervals")
    return render_form_page(
        request, "compliance/visit_intervals.html", form, organisation=organisation
    )
