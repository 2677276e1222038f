"""The search page. The words searched for travel in the body of a POST, never in the
address: a child's name in a URL ends up in browser history and server logs (ASVS 14.2.1)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from caseledger.search.forms import SearchForm
from caseledger.search.services import cases_for_filter, categories_for_filter, search
from caseledger.ui.pages import acting_user, render_form_page


@require_http_methods(["GET", "POST"])
def search_page(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = SearchForm(
        request.POST or None,
        cases=cases_for_filter(user),
        categories=categories_for_filter(user),
    )
    results = None
    if request.method == "POST" and form.is_valid():
        results = search(
            actor=user,
            query=form.cleaned_data["query"],
            filters=form.filters(),
            page=form.cleaned_data.get("page") or 1,
        )
    return render_form_page(request, "search/search.html", form, results=results)
