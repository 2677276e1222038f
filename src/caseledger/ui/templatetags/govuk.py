"""Template helpers for GOV.UK Frontend markup."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField

from caseledger.ui.forms import GovukDateWidget

register = template.Library()


@register.filter
def widget_kind(field: BoundField) -> str:
    """Which GOV.UK component renders this field."""
    widget = field.field.widget
    if isinstance(widget, GovukDateWidget):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    if isinstance(widget, forms.FileInput):
        return "file"
    return "input"


@register.filter
def input_type(field: BoundField) -> str:
    widget = field.field.widget
    return str(widget.attrs.get("type") or getattr(widget, "input_type", "text"))


@register.filter
def widget_class(field: BoundField) -> str:
    return str(field.field.widget.attrs.get("class", ""))


@register.filter
def widget_attr(field: BoundField, name: str) -> str:
    return str(field.field.widget.attrs.get(name, ""))


@register.filter
def error_anchor(field: BoundField) -> str:
    """Where the error summary link lands: the first box of a date, the first radio."""
    kind = widget_kind(field)
    if kind == "date":
        return f"{field.auto_id}-day"
    if kind in {"radios", "checkboxes"}:
        return f"{field.auto_id}_0"
    return str(field.auto_id)


@register.filter
def selected_values(field: BoundField) -> list[str]:
    value = field.value()
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if value is True:
        return ["yes"]
    if value is False:
        return ["no"]
    return [str(value)]


@register.filter
def date_parts(field: BoundField) -> dict[str, str]:
    widget = field.field.widget
    assert isinstance(widget, GovukDateWidget)
    return widget.format_value(field.value())


@register.filter
def date_error_parts(field: BoundField) -> set[str]:
    """Highlight only the boxes the error is about, as the GOV.UK pattern does."""
    if not field.errors:
        return set()
    message = " ".join(str(error) for error in field.errors)
    named = {
        part
        for part in ("day", "month", "year")
        if f"include a {part}" in message or f"and a {part}" in message
    }
    if message.startswith("Year"):
        named = {"year"}
    return named or {"day", "month", "year"}


@register.simple_tag
def describedby(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.filter
def forms_with_errors(value: Any) -> list[Any]:
    """Forms in the page context that have errors (a page may show more than one)."""
    if isinstance(value, forms.BaseForm):
        return [value] if value.errors else []
    return [form for form in value or [] if isinstance(form, forms.BaseForm) and form.errors]
