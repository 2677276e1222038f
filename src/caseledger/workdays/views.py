"""The working days every deadline counts, for an organisation admin to check."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from caseledger.ledger.settings_views import administered_organisation
from caseledger.ui.pages import acting_user
from caseledger.workdays.calendar import bank_holidays_between
from caseledger.workdays.models import Holiday


@require_http_methods(["GET"])
def working_days_settings(request: HttpRequest) -> HttpResponse:
    organisation = administered_organisation(acting_user(request))
    today = timezone.localdate()
    start, end = date(today.year, 1, 1), date(today.year + 1, 12, 31)
    one_off = list(Holiday.objects.filter(date__range=(start, end)))
    rows = sorted(
        [(day, name, False) for day, name in bank_holidays_between(start, end)]
        + [(holiday.date, holiday.name, True) for holiday in one_off]
    )
    years = [
        (year, [row for row in rows if row[0].year == year])
        for year in (today.year, today.year + 1)
    ]
    return render(
        request,
        "workdays/working_days.html",
        {"organisation": organisation, "years": years, "today": today},
    )
