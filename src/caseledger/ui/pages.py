"""Small helpers every thin view uses: render a form page, turn a DomainError into a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caseledger.accounts.models import User
from caseledger.domain.errors import DomainError

T = TypeVar("T")


def render_form_page(
    request: HttpRequest, template: str, form: forms.BaseForm, **context: Any
) -> HttpResponse:
    """Render a page with a form; errors go to the summary and the title gets "Error: "."""
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        template,
        {"form": form, "forms_to_check": [form], "page_has_errors": bool(form.errors), **context},
        status=status,
    )


def call_service[T](form: forms.BaseForm, service: Callable[[], T]) -> T | None:
    """Run a service; a broken rule becomes an error on the form, keeping what was typed."""
    try:
        return service()
    except DomainError as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return None


def acting_user(request: HttpRequest) -> User:
    """The signed-in user (LoginRequiredMiddleware guarantees one on every view but sign-in)."""
    assert isinstance(request.user, User)
    return request.user
