from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_http_methods

from caseledger.accounts.models import User
from caseledger.cases.caseload import caseloads_for, page_of
from caseledger.ledger.timeliness import draft_deadlines


@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    """A person's caseload: one tab for each list of cases they work from, with real counts."""
    user = request.user
    assert isinstance(user, User)
    closed = request.GET.get("status") == "closed"
    drafts, draft_total = draft_deadlines(user)
    loads = caseloads_for(user, closed=closed)
    counts = {load.key: load.cases.count() for load in loads}
    chosen = next(
        (load for load in loads if load.key == request.GET.get("show")), loads[0] if loads else None
    )
    rows, next_cursor = (
        page_of(chosen.cases, request.GET.get("after"), settings.CASELEDGER_PAGE_SIZE)
        if chosen
        else ([], None)
    )
    return render(
        request,
        "ui/home.html",
        {
            "loads": [(load, counts[load.key]) for load in loads],
            "chosen": chosen,
            "rows": rows,
            "next_cursor": next_cursor,
            "is_first_page": not request.GET.get("after"),
            "closed": closed,
            "status_query": "&status=closed" if closed else "",
            "drafts": drafts,
            "draft_total": draft_total,
        },
    )


def _error_page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    # Rendered without the request's context processors: an error page must not fail, nor
    # show anything about the record that was asked for. Only the CSP nonce is taken, so the
    # page's one inline script may run.
    body = loader.get_template(template).render(
        {"service_name": settings.CASELEDGER_SERVICE_NAME, "csp_nonce": get_nonce(request)}
    )
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "ui/errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "ui/errors/403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, "ui/errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(request, "ui/errors/500.html", 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error_page(request, "ui/errors/403.html", 403)
